// Package ekycid is a client for the backend API of EKYC Solutions Co., Ltd.
// (Cambodia): the EkycID identity checks (OCR of Cambodian national ID cards,
// ID detection, face comparison, video liveness, manual and express KYC)
// behind the kyc.Verifier interface, with each operation also typed.
//
// Vendor pages: https://docs.ekycsolutions.com (authentication and platform
// overview) and the vendor's Node SDK, https://github.com/EKYCSolutions/node-sdk,
// the only public source of the wire format.
//
// # Authentication
//
// Every request carries the account's API key in the x-api-key header
// (Config.APIKey). The key belongs on the server: the vendor's client SDKs
// never hold it and talk to the customer's backend instead, which is the
// role this package plays. A missing, invalid or expired key gives
// kyc.ErrUnauthorized; a key without permission for the operation
// kyc.ErrForbidden.
//
// # The v0 operations
//
// OCR, DetectID, CompareFaces, Liveness, ManualKYC and ExpressKYC each POST a
// multipart form to /v0/<operation> and get back {"id"}; the result is read
// from GET /v0/api-request-reply/{id} with Reply, or waited for with Wait.
// Operations lists them with their classes: every submission is billed, and
// reading a reply is free. Images are given by URL (the vendor fetches them,
// as the Node SDK does) or uploaded from a *kyc.Image; liveness videos by URL
// or as bytes (Video). Uploads stream as the request is written, capped at
// MaxImageSize and MaxVideoSize.
//
// Every form carries an idempotent_id: a random UUID made once per logical
// request and sent unchanged by every retry of it, so a submission whose
// answer was lost can be sent again without running twice, and the
// transport resends a submission like a read (kyc.Operation.Idempotent);
// pass SubmissionResult.IdempotentID back in a request's IdempotentID field
// to resend it yourself.
//
// # Waiting
//
// Wait, and the wait inside Verify, read the reply with growing intervals
// (Config.PollInterval to MaxPollInterval) for at most Config.PollTimeout
// (DefaultPollTimeout, 64 s, the Node SDK's bound), whatever the context
// allows: Verify then returns StatusPending with its Reference, and Result
// reads the outcome later. Every error Verify returns after the submission
// got its id carries that Reference (kyc.Error.Reference).
//
// # References
//
// A Reference is "ekycid:<id>", the submission's id. Ids are checked before
// they go into a path (Reply, Wait, Result): 1 to MaxIDLength letters,
// digits, '-' and '_', so "ekycid:.." or an id holding '/' or NUL is refused
// with kyc.ErrInvalidRequest and nothing is sent.
//
// # Country
//
// EKYC reads Cambodian ID cards only. Verify, like Capabilities().Check,
// requires Country "KHM": a Request without Country is refused by both,
// before anything is sent, so a Router never sends EKYC a document of an
// unknown country.
//
// # Documented, confirmed and inferred
//
// The vendor's public documentation describes authentication in words only.
// Confirmed from the vendor's Node SDK: the host, the x-api-key header, the
// paths, the form field names for media given by URL, idempotent_id, the
// {id} answer and the reply envelope {result, error{code, message},
// service_usage{id, start_time, end_time, inserted_at, is_success}}.
// Inferred: the upload field names (the URL field name without "_url", as
// the vendor's browser SDK uploads "ocr_image" and "face_image"), the join of
// several checks in one sequence, the error codes (codeKinds in errors.go,
// backed by a classification by words and by HTTP status) and the shape of
// every result: Reply.Document, FaceMatch, Liveness and Outcome decode them
// tolerantly from the vendor's Flutter SDK models and a customer demo, and
// ReplyResult.Result and kyc.Result.Raw keep the vendor's body.
//
// ABIS (enrolment, verification, identification) has no public wire format,
// so this package has no typed ABIS methods; Call reaches any path with the
// same signing and error mapping once the vendor gives you its reference,
// treated as billed unless its kyc.Operation says otherwise.
//
// # Example
//
//	c, err := ekycid.New(ekycid.Config{APIKey: kyc.NewSecret(os.Getenv("EKYC_API_KEY"))})
//	if err != nil { ... }
//	defer c.Close()
//	res, err := c.Verify(ctx, kyc.Request{ID: "case-42", Country: "KHM", Document: kyc.Document{Front: front}, Selfie: selfie})
//	// res.Status is approved, rejected, review, or pending (then c.Result(ctx, res.Reference) later).
package ekycid
