// Package incode is the client for Incode's Omni API
// (https://developer.incode.com/reference/introduction): ID document
// validation, selfie liveness and face match, as a server-side session flow.
//
// # Authentication
//
// Every call sends the account's API key in x-api-key and "api-version:
// 1.0". POST /omni/start creates a session and returns its token (a JWT,
// valid 90 days by default); every later call of that session sends it in
// X-Incode-Hardware-Id. Config.APIKey holds the key; a Session holds its
// token. With Config.ExecutiveEmail and ExecutivePassword the client also
// logs in (POST /executive/log-in) for a 24 h executive token that reads
// any session of the account; it is cached, refreshed by one log-in shared
// by concurrent callers, and never logged or printed. All of them are
// kyc.Secret.
//
// # The flow
//
// Client.StartSession gives a Session whose methods are Incode's steps, in
// the order Incode requires (https://docs.incode.com/docs/omni-api/integration-guide):
// AddFrontID, AddBackID, ProcessID (an asynchronous job), AddSelfie
// (liveness), ProcessFace (face match), OnboardingStatus (poll until the
// ID processing is over), FinishStatus, then Score and OCRData; Approve
// creates the customer identity. Client.ResumeSession rebuilds a Session
// from its id in any process. Images go as {"base64Image": …},
// base64-encoded while the request is written, never held whole in memory,
// and capped at MaxImageBytes (a stream of unknown size is aborted past the
// cap).
//
// Client.Verify (kyc.Verifier) runs the whole flow and maps the outcome:
// see its documentation, and the hosted link below for the other flow. Its Reference is "incode:<interviewId>" and
// carries no credential. Client.Result reads it back wherever the client
// finds a token for the session: Config documents where it looks, and which
// setup (executive credentials, or a TokenStore on your database) reads
// back across processes. References of the old form
// "incode:<interviewId>.<token>" still parse.
//
// # Hosted link
//
// With Config.Flow kyc.FlowHostedLink, the client is a link provider, like
// ADVANCE.AI: its Capabilities say kyc.FlowHostedLink and require
// Link.ReturnURL, and Verify sends no image. It starts a session (POST
// /omni/start, billed, never resent) with Link.ReturnURL as redirectionUrl,
// Config.Language as language and Request.ID as externalCustomerId, then
// asks for the link (Session.OnboardingURL: GET /0/omni/onboarding-url with
// the session token and the clientId the start answered). The Result is
// StatusPending with ReasonNotFinished, Result.Link (the URL to send to the
// person) and the Reference "incode:<interviewId>"; an error after the start
// carries that Reference. The person captures the document and the selfie
// on Incode's pages; the outcome arrives by the ONBOARDING_FINISHED webhook
// (ParseWebhook, ConfirmEvent) or by Client.Result. A hosted client never
// calls finish-status: the person may still be on Incode's pages, so its
// Result stays StatusPending until the flow marks the session completed
// (ONBOARDING_FINISHED or a manual review). Configure the dashboard flow to
// do so ("Mark session completed on status", as Incode's integration guide
// says). A Router holds one Verifier per provider: one Incode flow per
// Router.
//
// Documented (https://developer.incode.com/docs/generate-onboarding-url and
// https://developer.incode.com/docs/api-onboarding-start-session): the
// path, the session token in X-Incode-Hardware-Id, the clientId query
// parameter, the answer's url, and the start's redirectionUrl and language.
// Inferred: that onboarding-url is free (a read of a session already
// started), so it is resent like a read; that x-api-key may go with it, as
// on every call of this client (Incode's Salesforce integration,
// https://github.com/Incode-Technologies-Example-Repos/incode-salesforce,
// sends it on /omni/onboarding-url); that a session whose start answered no
// clientId is asked without one; that the link does not expire before the
// session (Incode documents no expiry: Result.Link.ExpiresAt is zero); and
// that completion is ONBOARDING_FINISHED, read from the integration guide's
// "listen for completion of the session … until onboardingStatus equals
// ONBOARDING_FINISHED" (https://docs.incode.com/docs/omni-api/integration-guide).
// Incode takes one redirectionUrl: the person returns to Link.ReturnURL
// whatever the outcome, and Link.FailReturnURL is not sent. The client
// requires an https ReturnURL (http only on loopback, for development)
// without user information, and an https url in the answer.
//
// The link's URL opens the person's session: treat it as a credential.
// The package's values and kyc.Result print no URL under fmt verbs
// (Result prints "Link: set"); a *kyc.Link printed by itself shows its URL.
//
// # Quirks
//
//   - Front and back uploads answer HTTP 200 even when Incode refuses the
//     image: IDSideResult.FailReason says why (nine documented values, see
//     ReasonForFailure). classification false alone is kept, not fatal.
//   - Selfie confidence 0 means live and 1 spoof suspected; a missing
//     confidence means too dark. isBright false, hasLenses or hasFaceMask
//     mean "capture again" in Incode's guide, so Verify rejects with
//     ReasonLowQualityImage and Resubmit. Face-match confidence reads the other way:
//     1 match, 0 mismatch.
//   - Errors come as {timestamp, status, error, message, path} whose
//     status is Incode's own code (4019 face not found, 3006 blurry, 6000
//     processing error…), not the HTTP status; they are mapped to kyc kinds
//     and, for capture problems, to reasons (ErrorReason). 6000 wraps
//     ErrRestartSession. HTTP 401 is a bad session token and 403 a bad API
//     key, both kyc.ErrUnauthorized. An error body inside an HTTP 200 is an
//     error too.
//
// # Webhooks
//
// Incode posts two families of webhooks, both received by
// Client.WebhookHandler and Client.ParseWebhook into the same kyc.Event
// (see DecodeWebhook and ParseWebhook for the fields and the verdicts):
//
//   - onboarding status (https://docs.incode.com/docs/omni-api/api/web-hooks):
//     {interviewId, externalId, onboardingStatus};
//   - session events (https://developer.incode.com/docs/session-webhooks):
//     Session Started, Session Progress, Session Failed, Session Succeeded,
//     Session Pending Review, Identity Enrolled, read from event_type or
//     eventType, in either value style ("Session Succeeded" or
//     SESSION_SUCCEEDED), with interviewId, externalCustomerId,
//     onboardingStatus and identityId.
//
// Event.Type is the event or status in the canonical form
// (SESSION_SUCCEEDED, ONBOARDING_FINISHED). Incode expects 200 {"success":
// true}; it sends the webhook again on a timeout or any other answer. The
// body is not signed. Incode authenticates it in one of two ways, and the
// client checks the one configured (New refuses both at once), in constant
// time, before reading the body, with a padded, repeated or empty field
// never matching over HTTP/1.1 or HTTP/2:
//
//   - static custom headers set on Incode's dashboard
//     (https://developer.incode.com/docs/webhooks): Config.WebhookHeaderName
//     and WebhookHeaderValue;
//   - OAuth2 client credentials (https://docs.incode.com/docs/omni-api/api/web-hooks):
//     Incode gets an access token from your token URL and sends
//     "Authorization: Bearer <token>". Config.WebhookToken is that bearer
//     token as one fixed value: it verifies this option when your token
//     endpoint always issues the same token; the client does not serve
//     the token endpoint, nor follow tokens that rotate.
//
// Without either, every webhook is refused with 401, unless
// Config.AcceptUnauthenticatedWebhooks is set. Every Event carries its
// Reference; Client.ConfirmEvent (kyc.EventConfirmer) reads the session
// back and returns the Event with the read-back Result and Confirmed set.
// For an interview the account does not know (never started, or erased),
// ConfirmEvent and Result return a *kyc.Error of kind kyc.ErrNotFound. A
// kyc.WebhookMux with kyc.ConfirmEvents answers that webhook 200 by itself,
// as Incode's own Salesforce integration does, so that Incode stops
// sending it; with Client.WebhookHandler, return nil from the function for
// that error.
//
// Confirmed by Incode's pages: the onboarding-status body and reply, the
// onboarding statuses (ID_VALIDATION_FINISHED_SECOND_ID on
// developer.incode.com's newer pages), the session event names, the static
// headers, the OAuth2 option, the retries, and that no signature is
// documented. Inferred: the session family's fields and its two value
// styles (read by Incode's official Salesforce integration,
// https://github.com/Incode-Technologies-Example-Repos/incode-salesforce,
// and, for eventType, by a third-party integration); the EXPIRED status
// (handled by Incode's official purge sample,
// https://github.com/Incode-Technologies-Example-Repos/nodejs-samples);
// that a session event's name is no verdict (Incode's docs say to decide by
// the score's overall status, https://developer.incode.com/docs/fetch-scores,
// which no webhook carries, so the event is pending until confirmed); and
// Incode's answer for an unknown interview (404 is read as
// kyc.ErrNotFound; the incodetest fake answers 404). The Salesforce
// guide's X-Incode-Signature HMAC is in no Incode page and is not
// supported; the status field its handler also reads is not read.
//
// # Operations
//
// Operations lists every operation with its class (billed, free), and
// Client.Call sends any other one.
//
// # Documented and inferred
//
// Paths, headers, the error shape, the failReason values, the confidence
// semantics, the score tree and the onboarding-status webhook body are
// documented by Incode (the webhooks' own split is under Webhooks).
// Inferred or observed only in production clients: the production host
// (ProductionURL), the selfie codes 100 and 101 (from Incode's guide, not
// its reference), the HTTP status paired with each code, which onboarding
// statuses mean the ID processing is over (OnboardingStatus.Ready), the
// finish-status action values, {"success": false} meaning failure, and
// MaxImageBytes read as 10,000,000 bytes before encoding, and the hosted
// link's points listed in its section. Inferred from
// Incode's official sample code only: the deletion Client.Erase sends
// (DELETE /omni/interviews, its body, and how its answer reads). The
// incodetest package fakes the API for tests.
//
// # Example
//
//	c, err := incode.New(incode.Config{
//		APIKey:          kyc.NewSecret(os.Getenv("INCODE_API_KEY")),
//		ConfigurationID: os.Getenv("INCODE_CONFIGURATION_ID"),
//	})
//	if err != nil { ... }
//	defer c.Close()
//	res, err := c.Verify(ctx, kyc.Request{ID: "user-42",
//		Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front, Back: back},
//		Selfie:   selfie})
//	// res.Status, res.Reasons; store res.Reference (no credential in it).
package incode
