// Package advanceai is a client for ADVANCE.AI's H5 Document Verification
// (H5 IDV) service for Indonesian KTP identity cards.
//
// ADVANCE.AI hosts the capture: [Client.GenerateURL] returns a link to the
// vendor's H5 page, the person opens it on a phone and photographs the KTP,
// and [Client.GetResult] reads back the verdict (idvCode), the OCR of the
// card and links to the captured images. As a [kyc.Verifier], Verify returns
// StatusPending with Result.Link, and Result maps the verdict.
//
// Vendor documentation: https://doc.advance.ai (Back-end Integration of H5
// Document Verification, and the Token Authentication API).
//
// # Authentication
//
// Every business call carries an access token in the X-ACCESS-TOKEN header.
// The token comes from POST /openapi/auth/ticket/v1/generate-token, signed
// with signature = lowercase hex SHA-256 of accessKey+secretKey+timestamp,
// where timestamp is the client clock in milliseconds (13 digits). The
// client caches the token until shortly before its expiredTime, lets every
// concurrent caller share one refresh, and, when a business call is refused
// for its token (HTTP 401 or code IAM_FAILED), fetches a new one once and
// repeats the call once. The token is a [kyc.Secret]: it never appears in a
// log record or an error. [Client.Token] returns it for users who call
// other ADVANCE.AI products themselves.
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
//     envelope's code is read before the status is trusted).
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
