package atlas_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/kyctest"
)

func image(marker string) *kyc.Image {
	img, _ := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
	return img
}

func ExampleNew() {
	c, err := atlas.New(atlas.Config{
		KeyID:     "abeb3372fa4eaf530",
		KeySecret: kyc.NewSecret("your key secret"),
		// The vendor's Java sample formats the timestamp this way; the
		// docs' default is yyyyMMddHHmmssSSS.
		TimestampLayout: "ddMMyyyyHHmmss",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	fmt.Println(c.Provider(), c.Capabilities().Flow)
	// Output: atlas direct
}

func ExampleNew_basic() {
	c, err := atlas.New(atlas.Config{KeyID: "k-…", KeySecret: kyc.NewSecret("s-…"), Auth: atlas.AuthBasic})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	fmt.Println("API v2 client ready")
	// Output: API v2 client ready
}

func ExampleClient_Verify() {
	srv := atlastest.NewServer()
	defer srv.Close()
	c, _ := atlas.New(srv.Config(), srv.Options()...)
	defer c.Close()

	res, err := c.Verify(context.Background(), kyc.Request{
		Country:  "IND",
		Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: image("")},
		Selfie:   image(kyctest.ImageApproved),
		Person:   kyc.Person{FullName: "Rahul Kumar Sharma"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Scores.FaceMatch, strings.HasPrefix(res.Reference, "atlas:"))
	// Output: approved 0.96 true
}

func ExampleClient_VerifyPAN() {
	srv := atlastest.NewServer()
	defer srv.Close()
	c, _ := atlas.New(srv.Config(), srv.Options()...)
	defer c.Close()

	p, err := c.VerifyPAN(context.Background(), atlastest.PANInvalid)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Status, p.Valid())

	_, err = c.VerifyPAN(context.Background(), "ABCDE1234")
	var kerr *kyc.Error
	if errors.As(err, &kerr) {
		fmt.Println(kerr.Field, errors.Is(err, kyc.ErrInvalidRequest))
	}
	// Output:
	// INVALID false
	// pan_number true
}

func ExampleClient_CompareFaces() {
	srv := atlastest.NewServer()
	defer srv.Close()
	c, _ := atlas.New(srv.Config(), srv.Options()...)
	defer c.Close()

	m, err := c.CompareFaces(context.Background(), image(""), image(kyctest.ImageFaceMismatch))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Score, *m.Matched)
	// Output: 0.12 false
}

func ExampleParseESignCallback() {
	r := httptest.NewRequest("POST", "/atlas/esign", strings.NewReader(string(atlastest.ESignCallbackBody("es-1", "COMPLETED"))))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	cb, err := atlas.ParseESignCallback(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The callback carries no credentials: confirm with ESignStatus.
	fmt.Println(cb.ESignID, cb.Completed())
	// Output: es-1 true
}
