// Package atlas is a client for Atlas, the KYC API of FRS Labs (India):
// face comparison and verification, Indian ID verification (PAN, GSTIN,
// bank account penny drop, passport, MSME), Aadhaar OTP e-KYC and masking,
// and Aadhaar eSign. Its *Client implements kyc.Verifier (a document photo
// compared with a selfie, plus a PAN check) and carries the vendor's API as
// typed methods, with Call for the endpoints they do not cover.
//
// Every operation the client sends is declared once in its operation table
// (Operations), with its method, path, class and the documentation it
// rests on. The class decides how a failed call may be resent: AadhaarOTP
// (UIDAI texts the person) and ESignRequest are messaging, never resent
// once written; the PAN, GSTIN, bank, passport, MSME, Aadhaar KYC, mask
// and face operations are billed, resent only when the vendor provably did
// not process them; the reads are free, retried like reads.
//
// Vendor documentation: https://docs.frslabs.com/integration/api (API v1.3,
// AES header), https://docs.frslabs.com/integration/api-v2 (API v2, Basic
// auth), https://api-docs.atlaskyc.com/atlas-api/, and the official Java
// sample https://github.com/frslabs/atlas-api-sample-java.
//
// # Authentication
//
// AuthAES (the default) is the scheme of the vendor docs: every attempt
// carries
//
//	Authorization: key_id=<KEY_ID>,api_key=<B64>,timestamp=<TS>
//	request_id: <letters and digits, fresh per attempt>
//
// where B64 is base64 of salt(20) ‖ iv(16) ‖ AES-256-CBC/PKCS7 of
// "KEY_ID|KEY_SECRET|TS", keyed by PBKDF2-HMAC-SHA1 of the secret (UTF-8,
// as Java's PBKDF2WithHmacSHA1 encodes its char[] password) with 65556
// iterations, exactly as the vendor's Java sample computes it. TS is
// "yyyyMMddHHmmssSSS" in India Standard Time by default, from the client
// clock (kyc.WithClock); Config.TimestampLayout takes another Java
// SimpleDateFormat pattern, such as the sample's "ddMMyyyyHHmmss". A
// PBKDF2 derivation costs tens of milliseconds, so the client derives a key
// once per salt and reuses it with a fresh IV per header: a header then
// costs microseconds. Clients with the same KeySecret share the derived key
// within the process. A new salt is drawn every Config.SaltRotation
// (hourly): its key is derived in the background from 90% of the period,
// once for all callers, and the current salt signs until it is ready, so
// no request waits for a derivation but the very first of a secret in the
// process. Client.Warm pays that one at start-up.
//
// AuthBasic is API v2's "Authorization: Basic base64(KEY_ID:KEY_SECRET)",
// with base URL DefaultURLv2. The request_id header is sent in both modes
// (its last value becomes a Result's Reference). Keys must stay
// server-side.
//
// # Documented and inferred
//
// The auth scheme, the error envelope and the error codes are documented
// (the codes' "what to do" text is kept in error messages). The face and
// video paths come from the vendor's Java sample; the verification, Aadhaar
// and eSign paths and fields from independent integrators' code. Response
// bodies the public sources do not show are decoded tolerantly from the
// keys each type's doc comment lists, and every result keeps the vendor's
// body in Raw. Which base URL serves which endpoint under AuthAES is not
// documented beyond the face endpoints.
//
// # Example
//
//	c, err := atlas.New(atlas.Config{KeyID: id, KeySecret: kyc.NewSecret(secret)})
//	if err != nil { ... }
//	defer c.Close()
//	res, err := c.Verify(ctx, kyc.Request{
//		Country:  "IND",
//		Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: card},
//		Selfie:   selfie,
//		Person:   kyc.Person{FullName: "Rahul Kumar Sharma"},
//	})
//
// # Personal data
//
// API v2 takes its parameters in the query string, personal ones included
// (aadhaar_number, acc_number, ifsc, name_1_match, the PAN). No error this
// package returns carries them: its messages are the SDK's own texts and
// the vendor docs' hints, the vendor's own text goes to VendorMessage
// only, and the transport strips the query from every wrapped cause.
// Results keep the vendor's body in Raw, which is personal data.
//
// The atlastest package serves a fake Atlas API for tests.
package atlas
