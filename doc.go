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
// # Timeouts and retries
//
// The context passed to a call bounds the whole call, including retries and
// the waits between them. [WithTimeout] bounds each attempt. Calls that may
// charge the account or message a person are never retried once they may
// have reached the vendor.
//
// # Logging
//
// Clients log nothing unless given [WithLogger], and then only an allowlist
// of request metadata at debug level: never credentials, bodies, images or
// personal data. [Request], [Result], [Image] and [Secret] implement
// slog.LogValuer to the same rule.
package kyc
