// Command ekycid runs an express KYC check (a Cambodian ID card, a selfie and
// optionally a liveness video) with EKYC Solutions' EkycID API.
//
// It calls the real service, and needs:
//
//	EKYC_API_KEY   the account's API key (sent as x-api-key)
//	EKYC_DOCUMENT  the ID card's front: an https URL the vendor fetches, or a local JPEG/PNG file
//	EKYC_SELFIE    the selfie, in the same forms
//
// and reads, when set:
//
//	EKYC_BASE_URL   another host than ekycid.DefaultBaseURL (e.g. ekycid.SandboxBaseURL)
//	EKYC_VIDEO_URL  an https URL of a "blink" liveness video
//
// A missing variable is named in the error; nothing falls back to a fake.
// With -fake it runs against the in-process fake instead and reads no
// variable.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/kyctest"
)

func main() {
	fake := flag.Bool("fake", false, "run against the in-process fake instead of the EkycID service")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Getenv, *fake); err != nil {
		fmt.Fprintln(os.Stderr, "ekycid:", err)
		os.Exit(1)
	}
}

// run runs the check, reading the environment through getenv.
func run(ctx context.Context, out io.Writer, getenv func(string) string, fake bool) error {
	var (
		cfg  ekycid.Config
		opts []kyc.Option
		req  ekycid.ExpressKYCRequest
		mode string
	)
	if fake {
		mode = "in-process fake"
		srv := ekycidtest.NewServer()
		defer srv.Close()
		cfg, opts = srv.Config(), srv.Options()
		card, err := kyc.ImageFromBytes(kyctest.MagicImage(kyctest.ImageApproved, 0))
		if err != nil {
			return err
		}
		req = ekycid.ExpressKYCRequest{
			Document: ekycid.MediaImage(card),
			Face:     ekycid.MediaURL(ekycidtest.MagicURL(kyctest.ImageApproved)),
			Sequences: []ekycid.Sequence{{
				Checks: []ekycid.Check{ekycid.CheckBlink},
				Video:  ekycid.VideoFromBytes(ekycidtest.MagicVideo(kyctest.ImageApproved), "video/mp4"),
			}},
		}
	} else {
		mode = "EkycID service"
		var missing []string
		for _, name := range []string{"EKYC_API_KEY", "EKYC_DOCUMENT", "EKYC_SELFIE"} {
			if getenv(name) == "" {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s not set: set them to call the EkycID service, or pass -fake to run against the in-process fake",
				strings.Join(missing, ", "))
		}
		cfg = ekycid.Config{APIKey: kyc.NewSecret(getenv("EKYC_API_KEY"))}
		if u := getenv("EKYC_BASE_URL"); u != "" {
			opts = append(opts, kyc.WithBaseURL(u))
		}
		var err error
		if req.Document, err = media(getenv("EKYC_DOCUMENT")); err != nil {
			return fmt.Errorf("EKYC_DOCUMENT: %w", err)
		}
		if req.Face, err = media(getenv("EKYC_SELFIE")); err != nil {
			return fmt.Errorf("EKYC_SELFIE: %w", err)
		}
		if v := getenv("EKYC_VIDEO_URL"); v != "" {
			req.Sequences = []ekycid.Sequence{{Checks: []ekycid.Check{ekycid.CheckBlink}, Video: ekycid.VideoURL(v)}}
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
	ref := kyc.NewReference(kyc.EKYC, sub.ID)
	fmt.Fprintf(out, "express KYC against the %s: submitted, reference %s\n", mode, ref)
	reply, err := c.Wait(ctx, sub.ID)
	if err != nil {
		var kerr *kyc.Error
		switch {
		case errors.As(err, &kerr) && reply != nil && reply.Error != nil:
			fmt.Fprintf(out, "the vendor refused it: code %s (%s)\n", kerr.Code, kyc.KindOf(err))
			return nil
		case errors.Is(err, kyc.ErrTimeout):
			// The submission is billed: keep its reference and read it
			// later rather than submit again.
			fmt.Fprintf(out, "not ready yet: read it later with Result(%q)\n", ref)
			return nil
		}
		return fmt.Errorf("reading %s: %w", ref, err)
	}
	res, err := c.Result(ctx, ref)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "status:     %s %v\n", res.Status, res.Reasons)
	fmt.Fprintf(out, "face match: %s   liveness: %s\n", res.Scores.FaceMatch, res.Scores.Liveness)
	if d := res.Document; d != nil {
		// The document number and names are personal data: show only
		// which fields were read.
		fmt.Fprintf(out, "document:   %s, number read: %t, born %s, expires %s\n", d.Type, d.Number != "",
			d.DateOfBirth.Format("2006-01-02"), d.ExpiryDate.Format("2006-01-02"))
	}
	fmt.Fprintf(out, "done in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// media reads an https URL or a local image file.
func media(v string) (ekycid.Media, error) {
	if strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") {
		return ekycid.MediaURL(v), nil
	}
	img, err := kyc.ImageFromFile(v)
	if err != nil {
		return ekycid.Media{}, err
	}
	return ekycid.MediaImage(img), nil
}
