package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// newVerifier stands in for any vendor client (atlas.New, incode.New, …) or
// a kyc.Router: they all implement kyc.Verifier.
func newVerifier() kyc.Verifier {
	return kyctest.New(kyc.Incode, kyc.Capabilities{Flow: kyc.FlowDirect, Requires: []kyc.Field{kyc.FieldSelfie}}).
		Return(kyc.Result{Status: kyc.StatusPending, Reference: "incode:6543.token"}).
		OnResult(func(ctx context.Context, ref string) (*kyc.Result, error) {
			return &kyc.Result{Provider: kyc.Incode, Reference: ref, Status: kyc.StatusApproved,
				Scores: kyc.Scores{FaceMatch: kyc.NewScore(0.98), Liveness: kyc.NewScore(1)}}, nil
		})
}

// Start a verification, store its Reference, and read the outcome later,
// possibly in another process.
func ExampleVerifier() {
	v := newVerifier()
	selfie, err := kyc.ImageFromBytes(kyctest.MagicImage("", 0))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	res, err := v.Verify(ctx, kyc.Request{ID: "case-42", Country: "MEX", Selfie: selfie})
	if err != nil {
		fmt.Println("verify failed:", err)
		return
	}
	fmt.Println(res.Status, res.Reference)

	// Later, with the stored reference:
	res, err = v.Result(ctx, res.Reference)
	if err != nil {
		fmt.Println("result failed:", err)
		return
	}
	fmt.Println(res.Status, "face match", res.Scores.FaceMatch, "liveness", res.Scores.Liveness)
	// Output:
	// pending incode:6543.token
	// approved face match 0.98 liveness 1
}

// Tell the failure kinds apart with errors.Is, read details with errors.As,
// and ask IsRetryable whether to try again later.
func ExampleError() {
	v := kyctest.New(kyc.AdvanceAI, kyc.Capabilities{Flow: kyc.FlowHostedLink}).
		Fail(&kyc.Error{Provider: kyc.AdvanceAI, Op: "advanceai.GenerateURL", Kind: kyc.ErrRateLimited,
			StatusCode: 429, RetryAfter: 2 * time.Second, RequestID: "tx-9"})

	_, err := v.Verify(context.Background(), kyc.Request{ID: "case-7"})
	switch {
	case errors.Is(err, kyc.ErrInvalidRequest):
		fmt.Println("fix the request")
	case errors.Is(err, kyc.ErrUnauthorized):
		fmt.Println("check the credentials")
	case kyc.IsRetryable(err):
		var kerr *kyc.Error
		if errors.As(err, &kerr) {
			fmt.Println("retry after", kerr.RetryAfter, "request id", kerr.RequestID)
		}
	}
	fmt.Println(err)
	// Output:
	// retry after 2s request id tx-9
	// advanceai.GenerateURL: rate limited (HTTP 429, request id tx-9, retry after 2s)
}

// A rejected field is named before anything is sent.
func ExampleCapabilities_Check() {
	caps := kyc.Capabilities{Flow: kyc.FlowSMSLink, Countries: []string{"ESP"}, Requires: []kyc.Field{kyc.FieldPhone}}
	err := caps.Check(kyc.Request{Country: "ESP"})
	var kerr *kyc.Error
	if errors.As(err, &kerr) {
		fmt.Println(kerr.Field, errors.Is(err, kyc.ErrInvalidRequest))
	}
	// Output: Person.Phone true
}

func ExampleParseReference() {
	ref, err := kyc.ParseReference("advanceai:5f1c2b7e")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ref.Provider, ref.ID)
	fmt.Println(kyc.NewReference(kyc.Atlas, "REQ123"))
	// Output:
	// advanceai 5f1c2b7e
	// atlas:REQ123
}

func ExampleSecret() {
	key := kyc.NewSecret("sk_live_123")
	fmt.Printf("%v %s %+v\n", key, key, struct{ APIKey kyc.Secret }{key})
	// Output: [REDACTED] [REDACTED] {APIKey:[REDACTED]}
}
