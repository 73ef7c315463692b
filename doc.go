// Package kyc is a unified client for identity-verification (KYC) vendors:
// check a person's ID document, selfie and liveness, or a registry record,
// through one interface, and still reach each vendor's complete API.
//
// The root package holds the provider-neutral API: [Verifier], [Request],
// [Result], the [Reason] set, the typed [Error] with its sentinel kinds, the
// client [Option]s and [Secret]. Each vendor has its package, whose *Client
// implements [Verifier] and adds the vendor's own typed methods:
//
//   - atlas: Atlas by FRS Labs (India and 25+ countries)
//   - incode: Incode Omni
//   - advanceai: ADVANCE.AI H5 IDV (Indonesia)
//   - ekycid: EKYC Solutions (EkycID)
//   - verificar: Mensatek's Spanish /VerificarIdentidad API
//
// Each vendor package has an xxxtest package with an in-process fake of the
// vendor's API; [kyctest.FakeVerifier] fakes the interface itself for unit
// tests of code that takes a Verifier.
//
// # Errors
//
// Every failed call returns a *[Error]. errors.Is(err, kyc.ErrUnauthorized)
// tests its kind, errors.As gives its fields, and [IsRetryable] says whether
// trying again later can help. A rejected verification is not an error: it
// is a Result with StatusRejected and Reasons. Bad input is refused before
// anything is sent, with Error.Field naming the field.
//
// # Phone numbers
//
// [NormalizePhone], [IsPhone] and [Request.Validate] check a phone against a
// compact table generated from libphonenumber's metadata (phones_gen.go):
// country calling codes, international and national prefixes, and each
// plan's national number lengths and general pattern. That is enough to
// normalise a number to E.164 and refuse most mistakes, without importing a
// phone library. It is less strict than libphonenumber's own validation: it
// does not check the number against the plan's types of line, so a number
// with the right shape but no line behind it ("+34500000001") passes. The
// package github.com/kyc-go/kyc/phone checks fully, with libphonenumber; the
// verificar package uses it before texting a number.
//
// # Timeouts and retries
//
// The context passed to a call bounds the whole call, including retries and
// the waits between them. [WithTimeout] bounds each attempt. Every
// operation has a [Class], and one resend policy follows it: a messaging
// call is never resent once written, a billed call only when the vendor
// refused it unprocessed (never written, HTTP 429 or 503), a free call (and
// a billed one carrying the vendor's idempotency key) like a read. The
// [Router] falls back only after a failure that says nothing was processed.
//
// # Lifecycle
//
// Verify → Reference → (webhook | poll) → Result, the same for every
// vendor: a Reference carries no credential, every [Event] carries its
// Reference, a [WebhookMux] can confirm events through the vendor's
// read-back ([ConfirmEvents]), and a [ResultStore] lets [Router.Result]
// answer in any replica for vendors without a read-back.
//
// # Logging and printing
//
// Clients log nothing unless given [WithLogger], and then only an allowlist
// of request metadata at debug level: never credentials, bodies, images or
// personal data. [Request], [Person], [Document], [DocumentData], [Result],
// [Event] and [Reference] print their shape only under every fmt verb and
// in slog; their JSON is complete and is personal data. [Secret] prints
// [REDACTED] everywhere. An [Observer] ([WithObserver]) sees every call and
// attempt as metadata only.
//
// # Glossary
//
// The five vendor packages share one shape and one vocabulary, so that
// reading one teaches the others:
//
//   - operation: one vendor endpoint, declared once in the package's
//     operation table (Operations) as a [Operation] with its method, path
//     template, [Class] and documentation source;
//   - class: messaging, billed or free: what sending it twice could do;
//   - refused unprocessed: not written, or answered 429 or 503; the one
//     failure after which a billed call is resent and a Router falls back;
//   - typed method: a Client method named after the vendor's operation
//     (VerifyPAN, GenerateURL, SendVerification), taking a …Request and
//     returning a …Result; Call is the one generic escape hatch, with the
//     same signature in every package;
//   - inside each package: check is the vendor's answer check (the vendor
//     error inside a 200 decoded before the status is trusted), apiError
//     builds the *[Error] for a vendor code, send is the one internal
//     sender, decode reads a checked answer;
//   - Reference: "<provider>:<vendor id>", storable, without credentials;
//   - fake: the xxxtest package serving the vendor's wire format, driven by
//     the kyctest magic inputs.
package kyc
