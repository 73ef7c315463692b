-- kycpg schema version 1. {{schema}} is the schema the user names, quoted.
-- Every key is text COLLATE "C": compared byte for byte, case-sensitively.

-- The Result of each verification, by Reference. Personal data: body holds
-- the whole Result (document data, names, dates of birth, the vendor's raw
-- body).
CREATE TABLE {{schema}}.results (
	ref        text COLLATE "C" PRIMARY KEY,
	final      boolean NOT NULL,
	status     text NOT NULL,
	sequence   bigint NOT NULL,
	digest     bytea NOT NULL,
	body       bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX results_updated_at ON {{schema}}.results (updated_at);

-- The Router's idempotency claims, by Request.ID. The ID is the caller's and
-- may be personal data if the caller puts some in it.
CREATE TABLE {{schema}}.claims (
	id          text COLLATE "C" PRIMARY KEY,
	fingerprint text NOT NULL,
	state       text NOT NULL,
	reference   text COLLATE "C" NOT NULL DEFAULT '',
	expires     timestamptz NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claims_expires ON {{schema}}.claims (expires);
CREATE INDEX claims_created_at ON {{schema}}.claims (created_at);

-- Incode session tokens, AES-256-GCM encrypted (the interview id is the
-- additional data). A token is a bearer credential for the person's session.
CREATE TABLE {{schema}}.tokens (
	interview_id text COLLATE "C" PRIMARY KEY,
	key_id       text COLLATE "C" NOT NULL,
	nonce        bytea NOT NULL,
	ciphertext   bytea NOT NULL,
	updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tokens_updated_at ON {{schema}}.tokens (updated_at);

-- Webhook deliveries already seen, by provider and delivery key: no personal
-- data unless the key is made from some (derive it from a hash).
CREATE TABLE {{schema}}.deliveries (
	provider     text COLLATE "C" NOT NULL,
	delivery_key text COLLATE "C" NOT NULL,
	seen_at      timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (provider, delivery_key)
);
CREATE INDEX deliveries_seen_at ON {{schema}}.deliveries (seen_at);
