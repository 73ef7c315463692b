package kyctest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/phone"
)

func TestFictionPhoneIsInTheFictionRange(t *testing.T) {
	for n := range kyctest.FictionPhones {
		p := kyctest.FictionPhone(n)
		assert.Len(t, p, 12, p)
		assert.True(t, strings.HasPrefix(p[5:], "55501"), "%s: 555-01xx is the range reserved for fiction", p)
		assert.True(t, kyc.IsPhone(p), p)
		assert.True(t, phone.IsValid(p), "%s: Verificar's strict check accepts it", p)
	}
	assert.Equal(t, "+12015550104", kyctest.FictionPhone(4))
	assert.Equal(t, kyctest.FictionPhone(0), kyctest.FictionPhone(kyctest.FictionPhones))
}

func TestDeliver(t *testing.T) {
	tests := map[string]struct {
		attempts, failFirst int
		auth                string
		wantStatus, wantN   int
	}{
		"once, ok":               {attempts: 0, wantStatus: 200, wantN: 1},
		"no retry by default":    {attempts: 0, failFirst: 1, wantStatus: 503, wantN: 1},
		"retried until 200":      {attempts: 3, failFirst: 2, wantStatus: 200, wantN: 3},
		"attempts bound":         {attempts: 2, failFirst: 5, wantStatus: 503, wantN: 2},
		"bearer sent":            {auth: kyctest.BearerAuth("tok"), wantStatus: 200, wantN: 1},
		"basic sent":             {auth: kyctest.BasicAuth("u", "p"), wantStatus: 200, wantN: 1},
		"no empty authorization": {auth: kyctest.BearerAuth(""), wantStatus: 200, wantN: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int32
			var gotAuth, gotCT atomic.Value
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotAuth.Store(r.Header.Get("Authorization"))
				gotCT.Store(r.Header.Get("Content-Type"))
				if int(n.Add(1)) <= tc.failFirst {
					w.WriteHeader(http.StatusServiceUnavailable)
				}
			}))
			defer srv.Close()
			st, err := kyctest.Deliver(context.Background(), srv.Client(), kyctest.Delivery{URL: srv.URL,
				ContentType: "application/json", Body: []byte(`{}`), Authorization: tc.auth, Attempts: tc.attempts})
			require.NoError(t, err)
			assert.Equal(t, tc.wantStatus, st)
			assert.Equal(t, tc.wantN, int(n.Load()))
			assert.Equal(t, tc.auth, gotAuth.Load())
			assert.Equal(t, "application/json", gotCT.Load())
		})
	}
}

func TestSameSecretAndBasicAuthIs(t *testing.T) {
	assert.True(t, kyctest.SameSecret("s3cret", "s3cret"))
	for _, got := range []string{"", "s3cre", "s3cret ", " s3cret", "S3CRET"} {
		assert.False(t, kyctest.SameSecret(got, "s3cret"), "%q", got)
	}
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	assert.False(t, kyctest.BasicAuthIs(r, "", ""), "no header is not the empty credentials")
	r.SetBasicAuth("u", "p")
	assert.True(t, kyctest.BasicAuthIs(r, "u", "p"))
	assert.False(t, kyctest.BasicAuthIs(r, "u", "p "))
	assert.False(t, kyctest.BasicAuthIs(r, "U", "p"))
}

func TestNoteCountsAndResetForgets(t *testing.T) {
	srv := kyctest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	srv.Note("a")
	srv.Note("a")
	srv.Note("b")
	assert.Equal(t, 2, srv.Noted("a"))
	assert.Equal(t, 1, srv.Noted("b"))
	srv.Reset()
	assert.Equal(t, 0, srv.Noted("a"))
}
