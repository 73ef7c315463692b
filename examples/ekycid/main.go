// Command ekycid runs an express KYC check (a Cambodian ID card, a selfie and
// a liveness video) with EKYC Solutions' EkycID API.
//
// With no environment it runs against the in-process fake. With
// EKYC_API_KEY set it calls the real service (EKYC_BASE_URL overrides the
// host); EKYC_DOCUMENT and EKYC_SELFIE are then required, each an https URL
// the vendor fetches or a local JPEG/PNG file, and EKYC_VIDEO_URL optionally
// adds a "blink" liveness video by URL.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/kyctest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ekycid:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var (
		cfg  ekycid.Config
		opts []kyc.Option
		req  ekycid.ExpressKYCRequest
		mode string
	)
	if key := os.Getenv("EKYC_API_KEY"); key != "" {
		mode = "EkycID service"
		cfg = ekycid.Config{APIKey: kyc.NewSecret(key)}
		if u := os.Getenv("EKYC_BASE_URL"); u != "" {
			opts = append(opts, kyc.WithBaseURL(u))
		}
		var err error
		if req.Document, err = media(os.Getenv("EKYC_DOCUMENT")); err != nil {
			return fmt.Errorf("EKYC_DOCUMENT: %w", err)
		}
		if req.Face, err = media(os.Getenv("EKYC_SELFIE")); err != nil {
			return fmt.Errorf("EKYC_SELFIE: %w", err)
		}
		if v := os.Getenv("EKYC_VIDEO_URL"); v != "" {
			req.Sequences = []ekycid.Sequence{{Checks: []ekycid.Check{ekycid.CheckBlink}, Video: ekycid.VideoURL(v)}}
		}
	} else {
		mode = "in-process fake"
		srv := ekycidtest.NewServer()
		defer srv.Close()
		cfg, opts = srv.Config(), srv.Options()
		card, err := kyc.ImageFromBytes(kyctest.MagicImage(ekycidtest.ImageApproved, 0))
		if err != nil {
			return err
		}
		req = ekycid.ExpressKYCRequest{
			Document: ekycid.MediaImage(card),
			Face:     ekycid.MediaURL(ekycidtest.MagicURL(ekycidtest.ImageApproved)),
			Sequences: []ekycid.Sequence{{
				Checks: []ekycid.Check{ekycid.CheckBlink},
				Video:  ekycid.VideoFromBytes(ekycidtest.MagicVideo(ekycidtest.ImageApproved), "video/mp4"),
			}},
		}
	}

	c, err := ekycid.New(cfg, opts...)
	if err != nil {
		return err
	}
	defer c.Close()

	start := time.Now()
	sub, err := c.ExpressKYC(ctx, req)
	if err != nil {
		return err
	}
	fmt.Printf("express KYC against the %s: submitted, reference %s\n", mode, kyc.NewReference(kyc.EKYC, sub.ID))
	reply, err := c.Wait(ctx, sub.ID)
	if err != nil {
		var kerr *kyc.Error
		if errors.As(err, &kerr) && reply != nil && reply.Error != nil {
			fmt.Printf("the vendor refused it: code %s (%s)\n", kerr.Code, kyc.KindOf(err))
			return nil
		}
		return err
	}
	res, err := c.Result(ctx, kyc.NewReference(kyc.EKYC, sub.ID))
	if err != nil {
		return err
	}
	fmt.Printf("status:     %s %v\n", res.Status, res.Reasons)
	fmt.Printf("face match: %s   liveness: %s\n", res.Scores.FaceMatch, res.Scores.Liveness)
	if d := res.Document; d != nil {
		// The document number and names are personal data: show only
		// which fields were read.
		fmt.Printf("document:   %s, number read: %t, born %s, expires %s\n", d.Type, d.Number != "",
			d.DateOfBirth.Format("2006-01-02"), d.ExpiryDate.Format("2006-01-02"))
	}
	fmt.Printf("done in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// media reads an https URL or a local image file.
func media(v string) (ekycid.Media, error) {
	switch {
	case v == "":
		return ekycid.Media{}, errors.New("required with EKYC_API_KEY: an https URL or an image file")
	case strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://"):
		return ekycid.MediaURL(v), nil
	}
	img, err := kyc.ImageFromFile(v)
	if err != nil {
		return ekycid.Media{}, err
	}
	return ekycid.MediaImage(img), nil
}
