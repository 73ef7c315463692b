package kycworld

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// Outcome is what one provider gives for one kyctest magic input, when a
// Request built by World.Request goes through the World's Router and, for
// the link providers, World.Complete finishes it.
type Outcome struct {
	Provider kyc.Provider
	// Input is the kyctest magic input (kyctest.ImageNoFace...).
	Input string
	// Status and Reasons are the Result's. They are empty when Err is set.
	Status  kyc.Status
	Reasons []kyc.Reason
	// Then is the status of the next read (Router.Result) when Status is
	// StatusPending: the outcome a poll or a later report brings.
	Then kyc.Status
	// Err is the kind of the error returned instead of a Result
	// (kyc.ErrUnavailable), matched with errors.Is; nil for a Result.
	Err error
	// Produced is false when the vendor cannot produce this outcome: its
	// fake answers as for kyctest.ImageApproved, as the kyctest convention
	// says, and the fake's package doc says why.
	Produced bool
	// Note says how the outcome comes about, where that is not plain.
	Note string
}

// String prints the cell as the tables do: "rejected no_face",
// "pending not_finished → approved", "approved*" (cannot be produced),
// "error unavailable".
func (o Outcome) String() string {
	var s string
	switch {
	case o.Err != nil:
		s = "error " + kindName(o.Err)
	default:
		s = string(o.Status)
		if len(o.Reasons) > 0 {
			parts := make([]string, len(o.Reasons))
			for i, r := range o.Reasons {
				parts[i] = string(r)
			}
			s += " " + strings.Join(parts, ",")
		}
		if o.Then != "" {
			s += " → " + string(o.Then)
		}
	}
	if !o.Produced {
		s += "*"
	}
	return s
}

func kindName(err error) string {
	for _, k := range []error{kyc.ErrUnavailable, kyc.ErrTimeout, kyc.ErrRateLimited, kyc.ErrInvalidRequest,
		kyc.ErrUnauthorized, kyc.ErrBadResponse, kyc.ErrNotFound} {
		if errors.Is(err, k) {
			return strings.ReplaceAll(k.Error(), "provider ", "")
		}
	}
	return err.Error()
}

// outcome builders, to keep the table readable.
func ok(p kyc.Provider, in string) Outcome {
	return Outcome{Provider: p, Input: in, Status: kyc.StatusApproved, Produced: true}
}

func asApproved(p kyc.Provider, in, why string) Outcome {
	return Outcome{Provider: p, Input: in, Status: kyc.StatusApproved, Note: why}
}

func got(p kyc.Provider, in string, st kyc.Status, reasons ...kyc.Reason) Outcome {
	return Outcome{Provider: p, Input: in, Status: st, Reasons: reasons, Produced: true}
}

func failed(p kyc.Provider, in string, kind error, note string) Outcome {
	return Outcome{Provider: p, Input: in, Err: kind, Produced: true, Note: note}
}

func (o Outcome) then(st kyc.Status) Outcome { o.Then = st; return o }

func (o Outcome) note(n string) Outcome { o.Note = n; return o }

const (
	approved = kyc.StatusApproved
	rejected = kyc.StatusRejected
	review   = kyc.StatusReview
	pending  = kyc.StatusPending
)

// outcomes is THE table: every provider × every magic input. The tests of
// this package and of internal/usertest drive every cell through the fakes;
// the kyctest package doc and the README print it (MarkdownTable,
// TextTable).
var outcomes = func() []Outcome {
	A, I, D, E, V := kyc.Atlas, kyc.Incode, kyc.AdvanceAI, kyc.EKYC, kyc.Verificar
	const (
		atlasNoDoc = "Verify reads no document data"
		h5         = "H5 IDV checks a KTP card only"
		mensatek   = "no Resultado code for it"
	)
	return []Outcome{
		ok(A, kyctest.ImageApproved),
		got(A, kyctest.ImageNoFace, rejected, kyc.ReasonNoFace),
		got(A, kyctest.ImageFaceMismatch, rejected, kyc.ReasonFaceMismatch),
		got(A, kyctest.ImageFaceBorderline, review, kyc.ReasonFaceMismatch),
		asApproved(A, kyctest.ImageLivenessFailed, "the face comparison has no liveness check"),
		asApproved(A, kyctest.ImageLowQuality, "no quality verdict in a comparison"),
		asApproved(A, kyctest.ImageExpired, atlasNoDoc),
		asApproved(A, kyctest.ImageForged, atlasNoDoc),
		asApproved(A, kyctest.ImageUnderage, atlasNoDoc),
		asApproved(A, kyctest.ImageNoDocument, atlasNoDoc),
		got(A, kyctest.ImageReview, review, kyc.ReasonOther).note("no manual review: a comparison without score or match flag"),
		asApproved(A, kyctest.ImageNotFinished, "Atlas answers synchronously"),
		failed(A, kyctest.ImageServerError, kyc.ErrUnavailable, "HTTP 500 to the face comparison"),

		ok(I, kyctest.ImageApproved),
		got(I, kyctest.ImageNoFace, rejected, kyc.ReasonNoFace),
		got(I, kyctest.ImageFaceMismatch, rejected, kyc.ReasonFaceMismatch),
		got(I, kyctest.ImageFaceBorderline, review, kyc.ReasonFaceMismatch),
		got(I, kyctest.ImageLivenessFailed, rejected, kyc.ReasonLivenessFailed),
		got(I, kyctest.ImageLowQuality, rejected, kyc.ReasonLowQualityImage),
		got(I, kyctest.ImageExpired, rejected, kyc.ReasonDocumentExpired),
		got(I, kyctest.ImageForged, rejected, kyc.ReasonDocumentForged),
		asApproved(I, kyctest.ImageUnderage, "Incode's score has no age check"),
		got(I, kyctest.ImageNoDocument, rejected, kyc.ReasonUnsupportedDocument).note("failReason UNKNOWN_DOCUMENT_TYPE, the nearest answer"),
		got(I, kyctest.ImageReview, review, kyc.ReasonFaceMismatch).note("overall WARN"),
		ok(I, kyctest.ImageNotFinished).note("after polling the onboarding status"),
		failed(I, kyctest.ImageServerError, kyc.ErrUnavailable, "HTTP 500 to the upload; the error carries the session's Reference"),

		ok(D, kyctest.ImageApproved),
		asApproved(D, kyctest.ImageNoFace, h5),
		asApproved(D, kyctest.ImageFaceMismatch, h5),
		asApproved(D, kyctest.ImageFaceBorderline, h5),
		asApproved(D, kyctest.ImageLivenessFailed, h5),
		got(D, kyctest.ImageLowQuality, rejected, kyc.ReasonLowQualityImage),
		asApproved(D, kyctest.ImageExpired, "no expiry verdict"),
		got(D, kyctest.ImageForged, rejected, kyc.ReasonDocumentForged),
		asApproved(D, kyctest.ImageUnderage, "no age verdict"),
		got(D, kyctest.ImageNoDocument, rejected, kyc.ReasonNoDocument),
		asApproved(D, kyctest.ImageReview, "no review verdict"),
		got(D, kyctest.ImageNotFinished, pending, kyc.ReasonNotFinished).then(approved).note("null idvCode on the first read"),
		failed(D, kyctest.ImageServerError, kyc.ErrUnavailable, "get-result answers idvCode ERROR"),

		ok(E, kyctest.ImageApproved),
		got(E, kyctest.ImageNoFace, rejected, kyc.ReasonNoFace),
		got(E, kyctest.ImageFaceMismatch, rejected, kyc.ReasonFaceMismatch),
		got(E, kyctest.ImageFaceBorderline, rejected, kyc.ReasonFaceMismatch).note("EKYC has no review band: score 0.74 under the default FaceMatchThreshold 0.75"),
		got(E, kyctest.ImageLivenessFailed, rejected, kyc.ReasonLivenessFailed),
		got(E, kyctest.ImageLowQuality, rejected, kyc.ReasonLowQualityImage),
		got(E, kyctest.ImageExpired, rejected, kyc.ReasonDocumentExpired),
		asApproved(E, kyctest.ImageForged, "no tamper check is published"),
		asApproved(E, kyctest.ImageUnderage, "no age rule is published"),
		got(E, kyctest.ImageNoDocument, rejected, kyc.ReasonNoDocument),
		got(E, kyctest.ImageReview, review, kyc.ReasonOther).note("a face comparison without score or decision"),
		ok(E, kyctest.ImageNotFinished).note("after a second read of the reply"),
		failed(E, kyctest.ImageServerError, kyc.ErrUnavailable, "HTTP 500 INTERNAL_ERROR to the submission; nothing started"),

		ok(V, kyctest.ImageApproved),
		asApproved(V, kyctest.ImageNoFace, mensatek),
		got(V, kyctest.ImageFaceMismatch, rejected, kyc.ReasonFaceMismatch),
		got(V, kyctest.ImageFaceBorderline, review, kyc.ReasonFaceMismatch),
		got(V, kyctest.ImageLivenessFailed, rejected, kyc.ReasonLivenessFailed),
		asApproved(V, kyctest.ImageLowQuality, mensatek),
		got(V, kyctest.ImageExpired, rejected, kyc.ReasonDocumentExpired),
		asApproved(V, kyctest.ImageForged, mensatek),
		got(V, kyctest.ImageUnderage, rejected, kyc.ReasonUnderage),
		asApproved(V, kyctest.ImageNoDocument, mensatek),
		got(V, kyctest.ImageReview, review, kyc.ReasonFaceMismatch).note("Resultado -1: an operator must decide"),
		got(V, kyctest.ImageNotFinished, pending, kyc.ReasonNotFinished).then(pending).note("Resultado -7; only a later report (5100) finishes it"),
		failed(V, kyctest.ImageServerError, kyc.ErrUnavailable, "no image reaches Mensatek: the magic phone verificartest.PhoneServerError, HTTP 500 to the send"),
	}
}()

// Outcomes returns the table of what every provider gives for every
// kyctest magic input (kyctest.MagicInputs), provider by provider in the
// order of Providers, input by input in the order of kyctest.MagicInputs.
// It is the single source of the kyctest package doc's table (TextTable)
// and of the README's (MarkdownTable), and the tests drive every cell of it
// through the fakes.
func Outcomes() []Outcome {
	out := slices.Clone(outcomes)
	for i := range out {
		out[i].Reasons = slices.Clone(out[i].Reasons)
	}
	return out
}

// OutcomeOf returns the cell of provider p and magic input in, and false
// when the table has none.
func OutcomeOf(p kyc.Provider, in string) (Outcome, bool) {
	for _, o := range outcomes {
		if o.Provider == p && o.Input == in {
			o.Reasons = slices.Clone(o.Reasons)
			return o, true
		}
	}
	return Outcome{}, false
}

// legend explains the marks of both tables.
const legend = "* the vendor cannot produce this outcome; its fake answers as for approved (the fake's package doc says why).\n" +
	"→ the status of the next read (Router.Result) of a pending result."

// headers are the tables' column names.
var headers = []string{"magic input", "atlas", "incode", "advanceai", "ekycid", "verificar"}

func rows() [][]string {
	var out [][]string
	for _, in := range kyctest.MagicInputs() {
		row := []string{in}
		for _, p := range Providers() {
			o, _ := OutcomeOf(p, in)
			row = append(row, o.String())
		}
		out = append(out, row)
	}
	return out
}

// MarkdownTable returns the Outcomes table in Markdown, one row per magic
// input and one column per provider, with its legend: the README's table.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| `kyctest` input | " + strings.Join(headers[1:], " | ") + " |\n")
	b.WriteString("|" + strings.Repeat(" --- |", len(headers)) + "\n")
	for _, r := range rows() {
		r[0] = "`" + r[0] + "`"
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	b.WriteString("\n" + strings.ReplaceAll(legend, "\n", "  \n") + "\n")
	return b.String()
}

// TextTable returns the Outcomes table as aligned plain text, indented by a
// tab for a Go doc comment's preformatted block, with its legend: the
// kyctest package doc's table.
func TextTable() string {
	all := append([][]string{headers}, rows()...)
	width := make([]int, len(headers))
	for _, r := range all {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, r := range all {
		line := ""
		for i, c := range r {
			if i < len(r)-1 {
				c += strings.Repeat(" ", width[i]-len([]rune(c))+2)
			}
			line += c
		}
		b.WriteString("\t" + strings.TrimRight(line, " ") + "\n")
	}
	b.WriteString("\n")
	for _, l := range strings.Split(legend, "\n") {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// Match reports whether a Result and an error are the outcome o describes
// (Status and Reasons, in any order; or the error's kind), with an error
// that says how they differ. Then is not checked: read the reference again
// and compare with o.Then.
func (o Outcome) Match(res *kyc.Result, err error) error {
	if o.Err != nil {
		if !errors.Is(err, o.Err) {
			return fmt.Errorf("%s %s: want error %v, got %v (result %v)", o.Provider, o.Input, o.Err, err, res)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s %s: want %s, got error %v", o.Provider, o.Input, o, err)
	}
	want := slices.Clone(o.Reasons)
	gotR := slices.Clone(res.Reasons)
	slices.Sort(want)
	slices.Sort(gotR)
	if res.Status != o.Status || !slices.Equal(want, gotR) {
		return fmt.Errorf("%s %s: want %s %v, got %s %v", o.Provider, o.Input, o.Status, o.Reasons, res.Status, res.Reasons)
	}
	return nil
}
