package ekycid_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/internal/testutil"
	"github.com/kyc-go/kyc/kyctest"
)

// composite are the exported methods made of several operations, or of an
// operation the caller names (Call).
var composite = []string{"Verify", "VerifyWithLiveness", "Result", "Wait", "Call", "Erase"}

func TestOperationTable(t *testing.T) {
	t.Parallel()
	c, err := ekycid.New(ekycid.Config{APIKey: kyc.NewSecret("k")})
	require.NoError(t, err)
	testutil.OperationTable(t, "ekycid", c, ekycid.Operations(), composite, nil)
}

// TestOperationClasses: every v0 submission is billed and carries the
// vendor's idempotency key; reading a reply is free.
func TestOperationClasses(t *testing.T) {
	t.Parallel()
	ops := ekycid.Operations()
	require.Len(t, ops, 7)
	for _, op := range ops {
		if op.Name == "ekycid.Reply" {
			assert.Equal(t, kyc.ClassFree, op.Class, op.Name)
			assert.Equal(t, http.MethodGet, op.Method)
			assert.Equal(t, "/v0/api-request-reply/{id}", op.Path)
			continue
		}
		assert.Equal(t, kyc.ClassBilled, op.Class, op.Name)
		assert.True(t, op.Idempotent, "%s carries idempotent_id", op.Name)
		assert.True(t, op.Resendable(), op.Name)
		assert.Equal(t, http.MethodPost, op.Method, op.Name)
		assert.True(t, strings.HasPrefix(op.Path, "/v0/"), op.Name)
		assert.Contains(t, op.Doc, "idempotent_id", op.Name)
	}
	ops[0].Name = "changed"
	assert.NotEqual(t, "changed", ekycid.Operations()[0].Name, "Operations returns a copy")
}

// TestFailurePaths runs every typed method through the shared failure
// paths: 500, a vendor error inside a 200, malformed JSON, a cancelled
// context and a refused connection. Errors name the operation of the table
// that failed: the submission for Verify, the reply read for Wait and
// Result.
func TestFailurePaths(t *testing.T) {
	t.Parallel()
	img, err := kyc.ImageFromBytes(kyctest.MagicImage("", 0))
	require.NoError(t, err)
	u := ekycid.MediaURL("https://cdn.example.test/x.jpg")
	seq := []ekycid.Sequence{{Checks: []ekycid.Check{ekycid.CheckBlink}, Video: ekycid.VideoURL("https://cdn.example.test/v.mp4")}}
	req := kyc.Request{Country: "KHM", Document: kyc.Document{Front: img}, Selfie: img}
	vendorErr := []byte(`{"error":{"code":"INSUFFICIENT_PERMISSIONS","message":"Insufficient permissions for the requested operation"}}`)
	call := func(f func(ctx context.Context, c *ekycid.Client) error) func(context.Context, any) error {
		return func(ctx context.Context, c any) error { return f(ctx, c.(*ekycid.Client)) }
	}
	methods := []testutil.Method{
		{Name: "ekycid.OCR", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.OCR(ctx, ekycid.OCRRequest{Image: u})
			return err
		})},
		{Name: "ekycid.DetectID", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.DetectID(ctx, ekycid.DetectIDRequest{Image: ekycid.MediaImage(img)})
			return err
		})},
		{Name: "ekycid.CompareFaces", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.CompareFaces(ctx, ekycid.CompareFacesRequest{Face0: u, Face1: ekycid.MediaImage(img)})
			return err
		})},
		{Name: "ekycid.Liveness", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.Liveness(ctx, ekycid.LivenessRequest{Sequences: seq})
			return err
		})},
		{Name: "ekycid.ManualKYC", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.ManualKYC(ctx, ekycid.ManualKYCRequest{Document: u, Face: u})
			return err
		})},
		{Name: "ekycid.ExpressKYC", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.ExpressKYC(ctx, ekycid.ExpressKYCRequest{Document: u, Face: u, Sequences: seq})
			return err
		})},
		{Name: "ekycid.Reply", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.Reply(ctx, "r1")
			return err
		})},
		// Wait: the reply read; a transient failure ends it, when the wait
		// ends, with the last read's error. The wait ends once a read has
		// ended (waitAfterARead: once the next read starts), not at a 150 ms PollTimeout: a loaded
		// machine reached that before the first read came back, and Wait
		// rightly said only "not ready within Config.PollTimeout".
		{Name: "ekycid.Reply", Call: call(waitAfterARead)},
		// Result: the reply read.
		{Name: "ekycid.Reply", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.Result(ctx, "ekycid:r1")
			return err
		})},
		// Verify and VerifyWithLiveness: the submission.
		{Name: "ekycid.ExpressKYC", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.Verify(ctx, req)
			return err
		})},
		{Name: "ekycid.ExpressKYC", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			_, err := c.VerifyWithLiveness(ctx, req, seq...)
			return err
		})},
		{Name: "ekycid.Call", Call: call(func(ctx context.Context, c *ekycid.Client) error {
			return c.Call(ctx, kyc.Operation{Path: "/v0/abis/identify"}, map[string]string{"subject": "s-1"}, &struct{}{})
		})},
	}
	for i := range methods {
		methods[i].VendorError, methods[i].VendorErrorKind = vendorErr, kyc.ErrForbidden
	}
	t.Logf("%d typed methods through the failure paths", len(methods))
	testutil.FailurePaths(t, kyc.EKYC, func(baseURL string, opts ...kyc.Option) (any, error) {
		reads := &readEnds{ended: make(chan struct{})}
		c, err := ekycid.New(ekycid.Config{APIKey: kyc.NewSecret("k"), PollInterval: time.Millisecond,
			MaxPollInterval: 5 * time.Millisecond, PollTimeout: time.Minute},
			append(opts, kyc.WithBaseURL(baseURL), kyc.WithObserver(reads))...)
		if err == nil {
			readsOf.Store(c, reads)
		}
		return c, err
	}, methods)
}

// readsOf holds each FailurePaths client's readEnds.
var readsOf sync.Map // *ekycid.Client → *readEnds

// readEnds is an Observer that closes ended when the client's second call
// starts: Wait reads one at a time, so by then it has taken in the first
// read's outcome (closing at the first call's end raced Wait's own look
// at its context after that read).
type readEnds struct {
	mu    sync.Mutex
	calls int
	ended chan struct{}
}

func (o *readEnds) StartCall(ctx context.Context, _ kyc.CallInfo) (context.Context, func(kyc.CallEnd)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.calls++; o.calls == 2 {
		close(o.ended)
	}
	return ctx, func(kyc.CallEnd) {}
}

func (o *readEnds) StartAttempt(ctx context.Context, _ kyc.AttemptInfo) (context.Context, func(kyc.AttemptEnd)) {
	return ctx, func(kyc.AttemptEnd) {}
}

// waitAfterARead runs Wait and ends it (as its caller's context would)
// once a read of the reply has ended.
func waitAfterARead(ctx context.Context, c *ekycid.Client) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if o, ok := readsOf.Load(c); ok {
		go func() {
			select {
			case <-o.(*readEnds).ended:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	_, err := c.Wait(ctx, "r1")
	return err
}
