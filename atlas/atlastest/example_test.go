package atlastest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/kyctest"
)

func image(marker string) *kyc.Image {
	img, _ := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
	return img
}

// Start a fake and point a client at it.
func ExampleNewServer() {
	srv := atlastest.NewServer()
	defer srv.Close()
	c, err := atlas.New(srv.Config(), srv.Options()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	p, err := c.VerifyPAN(context.Background(), "ABCDE1234F")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Status, p.FullName())
	// Output: VALID RAHUL KUMAR SHARMA
}

// Make a rejection with a magic input: a selfie that does not match.
func ExampleServer_rejection() {
	srv := atlastest.NewServer()
	defer srv.Close()
	c, _ := atlas.New(srv.Config(), srv.Options()...)
	defer c.Close()

	res, err := c.Verify(context.Background(), kyc.Request{
		Country:  "IND",
		Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: image("")},
		Selfie:   image(kyctest.ImageFaceMismatch),
		Person:   kyc.Person{FullName: atlastest.HolderName},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Reasons)
	// Output: rejected [face_mismatch]
}

// Inject a fault: the vendor refuses the PAN check with a 503, which
// charged nothing.
func ExampleServer_Inject() {
	srv := atlastest.NewServer()
	defer srv.Close()
	c, _ := atlas.New(srv.Config(), append(srv.Options(), kyc.WithRetry(0, 0))...)
	defer c.Close()

	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: http.StatusServiceUnavailable, Path: "/verify/pan"})
	_, err := c.VerifyPAN(context.Background(), "ABCDE1234F")
	fmt.Println(errors.Is(err, kyc.ErrUnavailable), kyc.MayHaveCharged(err), srv.Count("/verify/pan"))
	// Output: true false 1
}

// Send the eSign callback FRS Labs posts when a document is signed, to
// drive an application's handler.
func ExampleServer_PostESignCallback() {
	srv := atlastest.NewServer()
	defer srv.Close()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cb, err := atlas.ParseESignCallback(r)
		if err != nil {
			http.Error(w, "bad callback", http.StatusBadRequest)
			return
		}
		// The callback carries no credentials: confirm with ESignStatus.
		fmt.Println(cb.ESignID, cb.Completed())
	}))
	defer app.Close()

	status, err := srv.PostESignCallback(context.Background(), app.URL, "es-1", "COMPLETED")
	fmt.Println(status, err)
	// Output:
	// es-1 true
	// 200 <nil>
}
