package kyc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

var (
	jpegBytes = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, []byte("rest of a jpeg")...)
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde....")
	webpBytes = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f....")
)

func TestSecretNeverPrints(t *testing.T) {
	t.Parallel()
	const value = "sk_live_very_secret_value"
	s := kyc.NewSecret(value)
	type holder struct {
		Key    kyc.Secret
		hidden kyc.Secret
	}
	h := holder{Key: s, hidden: s}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%T"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, h), fmt.Sprintf(verb, &h))
	}
	js, err := json.Marshal(h)
	require.NoError(t, err)
	outs = append(outs, string(js))
	var buf bytes.Buffer
	for _, hd := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		slog.New(hd).Info("x", "key", s, "holder", h)
	}
	outs = append(outs, buf.String())
	for _, o := range outs {
		assert.NotContains(t, o, value)
		assert.NotContains(t, o, "very_secret")
	}
	assert.Contains(t, fmt.Sprintf("%v", s), "[REDACTED]")
	assert.Equal(t, `"[REDACTED]"`, fmt.Sprintf("%q", s))
	assert.Equal(t, value, s.Reveal())
	assert.True(t, s.Equal(kyc.NewSecret(value)))
	assert.False(t, s.Equal(kyc.NewSecret(value+"x")))
	assert.True(t, kyc.Secret{}.IsZero())
	assert.True(t, kyc.NewSecret("").IsZero())
	assert.False(t, s.IsZero())
}

func TestImageSources(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "maria-garcia-passport.png")
	require.NoError(t, os.WriteFile(path, pngBytes, 0o600))

	fromFile, err := kyc.ImageFromFile(path)
	require.NoError(t, err)
	fromBytes, err := kyc.ImageFromBytes(jpegBytes)
	require.NoError(t, err)
	fromWebP, err := kyc.ImageFromBytes(webpBytes)
	require.NoError(t, err)
	fromReader, err := kyc.ImageFromReader(bytes.NewReader(jpegBytes))
	require.NoError(t, err)

	tests := []struct {
		name       string
		img        *kyc.Image
		want       []byte
		format     string
		size       int64
		replayable bool
	}{
		{"file", fromFile, pngBytes, kyc.PNG, int64(len(pngBytes)), true},
		{"bytes", fromBytes, jpegBytes, kyc.JPEG, int64(len(jpegBytes)), true},
		{"webp", fromWebP, webpBytes, kyc.WebP, int64(len(webpBytes)), true},
		{"reader", fromReader, jpegBytes, kyc.JPEG, int64(len(jpegBytes)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.format, tt.img.ContentType())
			assert.Equal(t, tt.size, tt.img.Size())
			assert.Equal(t, tt.replayable, tt.img.Replayable())
			rc, err := tt.img.Open()
			require.NoError(t, err)
			got := new(bytes.Buffer)
			_, err = got.ReadFrom(rc)
			require.NoError(t, err)
			require.NoError(t, rc.Close())
			assert.Equal(t, tt.want, got.Bytes())
			_, err = tt.img.Open()
			if tt.replayable {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "a reader opens once")
			}
			// Neither the path nor the content shows when printed or logged.
			var buf bytes.Buffer
			slog.New(slog.NewTextHandler(&buf, nil)).Info("img", "image", tt.img)
			for _, s := range []string{fmt.Sprintf("%v %+v %#v %s", tt.img, tt.img, tt.img, tt.img), buf.String()} {
				assert.NotContains(t, s, "maria")
				assert.NotContains(t, s, "rest of a jpeg")
			}
		})
	}
	assert.Equal(t, "image.png", fromFile.Filename(), "the caller's file name is never sent")
}

func TestImageRefusals(t *testing.T) {
	t.Parallel()
	for name, fn := range map[string]func() (*kyc.Image, error){
		"empty bytes":     func() (*kyc.Image, error) { return kyc.ImageFromBytes(nil) },
		"text":            func() (*kyc.Image, error) { return kyc.ImageFromBytes([]byte("hello, world")) },
		"pdf":             func() (*kyc.Image, error) { return kyc.ImageFromBytes([]byte("%PDF-1.7\n")) },
		"empty reader":    func() (*kyc.Image, error) { return kyc.ImageFromReader(strings.NewReader("")) },
		"nil reader":      func() (*kyc.Image, error) { return kyc.ImageFromReader(nil) },
		"gif reader":      func() (*kyc.Image, error) { return kyc.ImageFromReader(strings.NewReader("GIF89a......")) },
		"missing file":    func() (*kyc.Image, error) { return kyc.ImageFromFile(filepath.Join(t.TempDir(), "none.jpg")) },
		"directory":       func() (*kyc.Image, error) { return kyc.ImageFromFile(t.TempDir()) },
		"truncated riff":  func() (*kyc.Image, error) { return kyc.ImageFromBytes([]byte("RIFF\x00\x00")) },
		"jpeg two bytes":  func() (*kyc.Image, error) { return kyc.ImageFromBytes([]byte{0xFF, 0xD8}) },
		"png wrong magic": func() (*kyc.Image, error) { return kyc.ImageFromBytes([]byte("\x89PNX\r\n\x1a\n")) },
	} {
		t.Run(name, func(t *testing.T) {
			img, err := fn()
			assert.Nil(t, img)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, "image", kerr.Field)
		})
	}
}

func TestErrorFormatAndMatching(t *testing.T) {
	t.Parallel()
	cause := errors.New("dial tcp 10.0.0.1:443: connection refused")
	err := fmt.Errorf("wrapped: %w", &kyc.Error{
		Provider: kyc.AdvanceAI, Op: "advanceai.GenerateURL", Kind: kyc.ErrRateLimited, StatusCode: 429,
		Code: "TOO_MANY_REQUESTS", Message: "Too Many Requests", VendorMessage: "slow down for user +6281234567890 or a@b.co", RequestID: "tx-1",
		RetryAfter: 2 * time.Second, Err: cause,
	})
	assert.ErrorIs(t, err, kyc.ErrRateLimited)
	assert.ErrorIs(t, err, cause)
	assert.NotErrorIs(t, err, kyc.ErrUnavailable)
	assert.True(t, kyc.IsRetryable(err))
	assert.Equal(t, kyc.ErrRateLimited, kyc.KindOf(err))
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, 2*time.Second, kerr.RetryAfter)

	s := err.Error()
	assert.Contains(t, s, "advanceai.GenerateURL: rate limited (HTTP 429, code TOO_MANY_REQUESTS, request id tx-1, retry after 2s)")
	assert.Contains(t, s, ": Too Many Requests", "the SDK's own text is printed as it is")
	assert.NotContains(t, s, "6281234567890", "the vendor's text is not printed")
	assert.NotContains(t, s, "a@b.co", "the vendor's text is not printed")
	assert.NotContains(t, s, "10.0.0.1", "the cause's text is not printed")

	for kind, retry := range map[error]bool{
		kyc.ErrInvalidRequest: false, kyc.ErrUnauthorized: false, kyc.ErrForbidden: false, kyc.ErrNotFound: false,
		kyc.ErrRateLimited: true, kyc.ErrInsufficientCredit: false, kyc.ErrUnavailable: true, kyc.ErrTimeout: true,
		kyc.ErrUnsupported: false, kyc.ErrBadResponse: false,
	} {
		assert.Equal(t, retry, kyc.IsRetryable(&kyc.Error{Kind: kind}), kind.Error())
	}
	assert.False(t, kyc.IsRetryable(&kyc.Error{Kind: kyc.ErrTimeout, Err: context.Canceled}))
	assert.False(t, kyc.IsRetryable(errors.New("plain")))
	assert.Nil(t, kyc.KindOf(errors.New("plain")))
}

func TestReference(t *testing.T) {
	t.Parallel()
	ref := kyc.NewReference(kyc.Incode, "64f0a.tok123")
	assert.Equal(t, "incode:64f0a.tok123", ref)
	got, err := kyc.ParseReference(ref)
	require.NoError(t, err)
	assert.Equal(t, kyc.Reference{Provider: kyc.Incode, ID: "64f0a.tok123"}, got)
	assert.Equal(t, ref, got.String())

	got, err = kyc.ParseReference("verificar:123:456")
	require.NoError(t, err)
	assert.Equal(t, "123:456", got.ID, "only the first colon separates")

	for _, bad := range []string{"", "atlas", "atlas:", ":123", "Atlas:1", "at las:1"} {
		_, err := kyc.ParseReference(bad)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, bad)
	}
}

func TestCapabilitiesCheck(t *testing.T) {
	t.Parallel()
	img, err := kyc.ImageFromBytes(jpegBytes)
	require.NoError(t, err)
	caps := kyc.Capabilities{
		Flow:          kyc.FlowDirect,
		Countries:     []string{"IND"},
		DocumentTypes: []kyc.DocumentType{kyc.DocumentPAN, kyc.DocumentIDCard},
		Requires:      []kyc.Field{kyc.FieldSelfie},
		RequiresOneOf: [][]kyc.Field{{kyc.FieldDocumentFront, kyc.FieldDocumentNumber}},
	}
	ok := kyc.Request{Country: "IND", Selfie: img, Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F"}}
	require.NoError(t, caps.Check(ok))
	assert.True(t, caps.Accepts(ok))

	tests := []struct {
		name  string
		edit  func(r *kyc.Request)
		field string
	}{
		{"no country", func(r *kyc.Request) { r.Country = "" }, "Country"},
		{"other country", func(r *kyc.Request) { r.Country = "ESP" }, "Country"},
		{"malformed country", func(r *kyc.Request) { r.Country = "in" }, "Country"},
		{"no selfie", func(r *kyc.Request) { r.Selfie = nil }, "Selfie"},
		{"passport", func(r *kyc.Request) { r.Document.Type = kyc.DocumentPassport }, "Document.Type"},
		{"neither front nor number", func(r *kyc.Request) { r.Document.Number = "" }, "Document.Front"},
		{"bad phone", func(r *kyc.Request) { r.Person.Phone = "600-111" }, "Person.Phone"},
		{"control char", func(r *kyc.Request) { r.Person.FullName = "A\x00B" }, "Person.FullName"},
		{"huge id", func(r *kyc.Request) { r.ID = strings.Repeat("x", 200) }, "ID"},
		{"bad url", func(r *kyc.Request) { r.Link.ReturnURL = "javascript:alert(1)" }, "Link.ReturnURL"},
		{"bad email", func(r *kyc.Request) { r.Person.Email = "nobody" }, "Person.Email"},
		{"invalid utf8", func(r *kyc.Request) { r.Document.Number = "\xff" }, "Document.Number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.edit(&r)
			err := caps.Check(r)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.False(t, caps.Accepts(r))
		})
	}
}

func TestValidateAcceptsGoodValues(t *testing.T) {
	t.Parallel()
	req := kyc.Request{
		ID: "case-42", Country: "ESP",
		Person: kyc.Person{FullName: "María José Núñez", Phone: "+34600111222", Email: "m@example.com"},
		Link:   kyc.LinkOptions{ReturnURL: "https://example.com/done", Message: "Verify: [LINK]\nThanks"},
	}
	require.NoError(t, req.Validate())
	assert.True(t, kyc.IsPhone("34600111222"))
	assert.False(t, kyc.IsPhone("+3460011122233344"))
	assert.True(t, kyc.IsCountryCode("KHM"))
	assert.False(t, kyc.IsCountryCode("KH"))
}

func TestScore(t *testing.T) {
	t.Parallel()
	var missing kyc.Score
	zero := kyc.NewScore(0)
	v, ok := missing.Value()
	assert.False(t, ok)
	assert.Zero(t, v)
	v, ok = zero.Value()
	assert.True(t, ok)
	assert.Zero(t, v)
	assert.Equal(t, "-", missing.String())
	assert.Equal(t, "0", zero.String())
	assert.Equal(t, "0.97", kyc.NewScore(0.971).String())
	assert.Equal(t, "1", kyc.NewScore(1.7).String(), "clamped")
	assert.False(t, kyc.NewScore(nanValue()).Given())

	b, err := json.Marshal(kyc.Scores{FaceMatch: kyc.NewScore(0.5)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"FaceMatch":0.5,"Liveness":null,"Document":null}`, string(b))
	var back kyc.Scores
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.FaceMatch.Given())
	assert.False(t, back.Liveness.Given())
}

func nanValue() float64 { var z float64; return z / z }

func TestLogValuesHoldNoPersonalData(t *testing.T) {
	t.Parallel()
	img, err := kyc.ImageFromBytes(jpegBytes)
	require.NoError(t, err)
	req := kyc.Request{ID: "case-1", Country: "ESP", Selfie: img,
		Document: kyc.Document{Type: kyc.DocumentIDCard, Number: "12345678Z", Front: img},
		Person:   kyc.Person{FullName: "Maria Garcia", Phone: "+34600111222", Email: "maria@example.com"}}
	res := &kyc.Result{Provider: kyc.Incode, Reference: "incode:abc.SESSIONTOKEN", Status: kyc.StatusRejected,
		Reasons: []kyc.Reason{kyc.ReasonFaceMismatch}, Scores: kyc.Scores{FaceMatch: kyc.NewScore(0.1)},
		Document: &kyc.DocumentData{Number: "12345678Z", FullName: "Maria Garcia"}, Raw: json.RawMessage(`{"name":"Maria Garcia"}`)}
	ev := &kyc.Event{Provider: kyc.Verificar, Reference: "verificar:1", Result: res, Raw: json.RawMessage(`{"Nombre":"Maria Garcia"}`)}
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	l.Info("verify", "request", req, "result", res, "doc", res.Document, "event", ev)
	out := buf.String()
	for _, v := range []string{"Maria", "Garcia", "12345678Z", "600111222", "maria@example.com", "SESSIONTOKEN", "rest of a jpeg"} {
		assert.NotContains(t, out, v)
	}
	assert.Contains(t, out, `"status":"rejected"`)
	assert.Contains(t, out, `"reasons":"face_mismatch"`)
	assert.Contains(t, out, `"country":"ESP"`)
}

func TestReasons(t *testing.T) {
	t.Parallel()
	seen := map[kyc.Reason]bool{}
	for _, r := range kyc.Reasons() {
		assert.True(t, r.Valid())
		assert.NotContains(t, r.Description(), "unknown")
		assert.False(t, seen[r], "listed once")
		seen[r] = true
	}
	assert.Len(t, seen, 15)
	assert.False(t, kyc.Reason("nope").Valid())
	res := &kyc.Result{Reasons: []kyc.Reason{kyc.ReasonNoFace}}
	assert.True(t, res.HasReason(kyc.ReasonNoFace))
	assert.False(t, res.HasReason(kyc.ReasonOther))
	assert.True(t, kyc.StatusApproved.Final())
	assert.False(t, kyc.StatusReview.Final())
	assert.Equal(t, "paid", kyc.ChargePaid.String())
}

func TestCheckForNamesTheProvider(t *testing.T) {
	t.Parallel()
	caps := kyc.Capabilities{Requires: []kyc.Field{kyc.FieldPhone}}
	err := caps.CheckFor(context.Background(), kyc.Verificar, "verificar.Verify", kyc.Request{})
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, kyc.Verificar, kerr.Provider)
	assert.Equal(t, "verificar.Verify", kerr.Op)
	assert.EqualValues(t, "Person.Phone", kerr.Field)
	assert.NoError(t, caps.CheckFor(context.Background(), kyc.Verificar, "verificar.Verify", kyc.Request{Person: kyc.Person{Phone: "+34600111222"}}))
}

// TestRouterValidatesOnce: a vendor's CheckFor under the Router's context
// skips the validation the Router did, but not for a Request changed on
// the way.
func TestRouterValidatesOnce(t *testing.T) {
	t.Parallel()
	caps := kyc.Capabilities{Flow: kyc.FlowDirect}
	var same, changed error
	v := kyctest.New(kyc.Atlas, caps).Do(func(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
		same = caps.CheckFor(ctx, kyc.Atlas, "atlas.Verify", req)
		bad := req
		bad.Person.Email = "not an address"
		changed = caps.CheckFor(ctx, kyc.Atlas, "atlas.Verify", bad)
		return &kyc.Result{Status: kyc.StatusApproved, Reference: "atlas:1"}, nil
	})
	r, err := kyc.NewRouter(kyc.DefaultRoute(v))
	require.NoError(t, err)
	_, err = r.Verify(context.Background(), kyc.Request{Country: "IND", Person: kyc.Person{Email: "a@example.com"}})
	require.NoError(t, err)
	assert.NoError(t, same)
	assert.ErrorIs(t, changed, kyc.ErrInvalidRequest, "a Request changed after the Router validated it is validated again")
}

func TestReverifyBy(t *testing.T) {
	t.Parallel()
	day := func(y int) time.Time { return time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name string
		res  *kyc.Result
		want time.Time
	}{
		{"nil", nil, time.Time{}},
		{"nothing known", &kyc.Result{Status: kyc.StatusApproved}, time.Time{}},
		{"document expiry", &kyc.Result{Status: kyc.StatusApproved, Document: &kyc.DocumentData{ExpiryDate: day(2030)}}, day(2030)},
		{"vendor validity first", &kyc.Result{Status: kyc.StatusApproved, ValidUntil: day(2027), Document: &kyc.DocumentData{ExpiryDate: day(2030)}}, day(2027)},
		{"document first", &kyc.Result{Status: kyc.StatusApproved, ValidUntil: day(2031), Document: &kyc.DocumentData{ExpiryDate: day(2030)}}, day(2030)},
		{"not approved", &kyc.Result{Status: kyc.StatusRejected, Document: &kyc.DocumentData{ExpiryDate: day(2030)}}, time.Time{}},
	} {
		assert.Equal(t, tc.want, tc.res.ReverifyBy(), tc.name)
	}
}

// TestLinkLanguage checks LinkOptions.Language's form, and that a Request
// without one keeps the fingerprint it had before the field existed (a
// claim made by an older replica still matches its retry).
func TestLinkLanguage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang string
		ok   bool
	}{
		{"", true}, {"en", true}, {"en-US", true}, {"zh-Hant-TW", true}, {"es-419", true},
		{"en US", false}, {"en_US", false}, {"-en", false}, {"en-", false}, {"en--US", false}, {"1en", false},
		{"en\n", false}, {"énglish", false}, {strings.Repeat("a", kyc.MaxLanguageLength+1), false},
	} {
		req := kyc.Request{ID: "case-42", Link: kyc.LinkOptions{ReturnURL: "https://example.com/done", Language: tt.lang}}
		err := req.Validate()
		assert.Equal(t, tt.ok, kyc.IsLanguageTag(tt.lang), "%q", tt.lang)
		if tt.ok {
			assert.NoError(t, err, "%q", tt.lang)
			continue
		}
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, "%q", tt.lang)
		assert.Equal(t, kyc.FieldLanguage, kerr.Field)
	}
	old := kyc.Request{ID: "case-42", Country: "ESP", Link: kyc.LinkOptions{ReturnURL: "https://example.com/done"}}
	assert.Equal(t, "472d5b3eeb3342bcf266eae71063c083af6754c52472e5b6ffa5e02e96863084", kyc.RequestFingerprint(old),
		"the fingerprint of a Request without a Language is the one it had before the field")
	withLang := old
	withLang.Link.Language = "en"
	assert.NotEqual(t, kyc.RequestFingerprint(old), kyc.RequestFingerprint(withLang), "a different Language is a different Request")
}

// TestRequestTextsRefuseInvisibleControls: an ID is one visible key (no
// newline, no format character), names and numbers are one line without
// bidirectional controls, and only the SMS text may span lines.
func TestRequestTextsRefuseInvisibleControls(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		req   kyc.Request
		field string
	}{
		{"ID with a newline", kyc.Request{ID: "case\n1"}, "ID"},
		{"ID with a right-to-left override", kyc.Request{ID: "case-\u202e1"}, "ID"},
		{"ID with a zero-width space", kyc.Request{ID: "case\u200b1"}, "ID"},
		{"name with a newline", kyc.Request{Person: kyc.Person{FullName: "Maria\nGarcia"}}, "Person.FullName"},
		{"name with an isolate", kyc.Request{Person: kyc.Person{FullName: "Maria \u2067Garcia"}}, "Person.FullName"},
		{"number with a tab", kyc.Request{Document: kyc.Document{Number: "123\t45"}}, "Document.Number"},
		{"message with a bidi override", kyc.Request{Link: kyc.LinkOptions{Message: "Hola [LINK] \u202e"}}, "Link.Message"},
	} {
		err := tt.req.Validate()
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, tt.name)
		assert.EqualValues(t, tt.field, kerr.Field, tt.name)
	}
	ok := kyc.Request{ID: "case-1", Person: kyc.Person{FullName: "अनु\u200dराग"},
		Link: kyc.LinkOptions{Message: "Hola\n[LINK]"}}
	assert.NoError(t, ok.Validate(), "a zero-width joiner in a Devanagari name, a newline in an SMS")
}
