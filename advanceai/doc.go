// Package advanceai is a client for ADVANCE.AI's H5 Document Verification
// (H5 IDV) service for Indonesian KTP identity cards.
//
// ADVANCE.AI hosts the capture: [Client.GenerateURL] returns a link to the
// vendor's H5 page, the person opens it on a phone and photographs the KTP,
// and [Client.GetResult] reads back the verdict (idvCode), the OCR of the
// card and links to the captured images. As a [kyc.Verifier], Verify returns
// StatusPending with Result.Link, and Result maps the verdict. No image
// goes through this client, so no size cap applies to it.
//
// Vendor documentation: https://doc.advance.ai (Back-end Integration of H5
// Document Verification, and the Token Authentication API).
//
// # Operations
//
// [Operations] lists the three operations and their classes, each with the
// vendor doc line it rests on:
//
//	GenerateToken  free    POST /openapi/auth/ticket/v1/generate-token
//	GenerateURL    billed  POST /intl/openapi/face-identity/h5-idv/v1/generate-url
//	GetResult      free    POST /intl/openapi/face-identity/h5-idv/v1/get-result
//
// GenerateURL starts a verification the account may pay for. The vendor has
// no idempotency key, so it is sent again only when it provably was not
// processed: never written, refused with 429 or 503, or refused for its
// access token. The vendor sends the link to nobody (the request has no
// phone or e-mail), so it is not a messaging operation. Once it answered
// SUCCESS with a signatureId, every error it returns carries the
// verification's Reference in kyc.Error.Reference. The free operations are
// retried like reads. [Client.Call] reaches any other path, billed unless
// its op says otherwise.
//
// # Authentication
//
// Every business call carries an access token in the X-ACCESS-TOKEN header.
// The token comes from generate-token, signed with signature = lowercase
// hex SHA-256 of accessKey+secretKey+timestamp, where timestamp is the
// client clock in milliseconds (13 digits). The client caches the token
// until shortly before its expiredTime and lets every concurrent caller
// share one refresh. When a business call is refused for its token (HTTP
// 401 or code IAM_FAILED), the client drops that token, fetches a new one
// and repeats the call once; the refused call counts as refused
// unprocessed, so a billed call is repeated too, and the error after a
// failed repeat is Unprocessed only when the repeat was. A token that
// cannot be had ends a call before it is sent (kyc.Error.NotSent), with the
// token fetch's error as its cause. The token is a [kyc.Secret]: it never
// appears in a log record or an error. [Client.Token] returns it for users
// who call other ADVANCE.AI products themselves.
//
// # References
//
// A Reference is "advanceai:<signatureId>". Its id is checked before
// anything is sent: 1 to 64 ASCII letters, digits, '-' or '_'
// (MaxSignatureIDLength). The vendor's ids are 16 hex digits in its
// examples; the bound is the documented length of its request ids.
//
// # Personal data
//
// The answer of get-result holds the card's OCR (NIK, name, birth date,
// address) and signed URLs of the card's photos that anyone holding them
// may open for 24 hours. [VerificationResult] (its Image, CroppedImage,
// OCRResult and Raw) and the Raw of the kyc.Result that Result returns
// carry them: store them as personal data, and do not log them. The
// LogValue methods log only codes and which fields are present. The link
// of GenerateURL lets whoever holds it capture a card in the person's
// verification for an hour: hand it to the person only.
//
// # Documented and inferred
//
// Documented: the three endpoints, their request fields, the envelope
// {code, message, data, extra, transactionId, pricingStrategy}, the codes
// listed in errors.go (except IAM_FAILED), the idvCode and ocrCode values and
// the OCR fields. Inferred, not in the vendor's documentation:
//   - IAM_FAILED with HTTP 401 as the answer to an expired or unknown token
//     (public material reports it; unconfirmed);
//   - the answer of get-result before the person has finished: taken to be
//     SUCCESS with a null or empty idvCode, mapped to StatusPending;
//   - timestamp and periodSecond are sent as JSON numbers, as in the
//     vendor's own curl sample (its parameter table says "string");
//   - the HTTP status of the documented error bodies (taken to be 200: the
//     envelope's code is read before the status is trusted);
//   - the form of a signatureId (see References);
//   - generate-url's class: its code table marks the answers "free", and
//     billed is the safe class of the call that starts a verification.
//
// # Example
//
//	c, err := advanceai.New(advanceai.Config{
//		AccessKey: os.Getenv("ADVANCEAI_ACCESS_KEY"),
//		SecretKey: kyc.NewSecret(os.Getenv("ADVANCEAI_SECRET_KEY")),
//	})
//	if err != nil { ... }
//	defer c.Close()
//	res, err := c.Verify(ctx, kyc.Request{ID: "case-42", Country: "IDN",
//		Link: kyc.LinkOptions{ReturnURL: "https://example.com/done"}})
//	// hand res.Link.URL to the person, store res.Reference, later:
//	res, err = c.Result(ctx, res.Reference)
//
// The package advanceaitest serves the same API in-process for tests.
package advanceai
