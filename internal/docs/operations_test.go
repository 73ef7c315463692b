package docs_test

import (
	"strings"
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/verificar"
)

// operationsTable is the README's table of every operation and its class,
// built from the vendor packages' operation tables: the one place each
// operation is declared.
func operationsTable() string {
	var b strings.Builder
	b.WriteString("| operation | request | class | after an ambiguous failure |\n")
	b.WriteString("| --- | --- | --- | --- |\n")
	for _, ops := range [][]kyc.Operation{atlas.Operations(), incode.Operations(), advanceai.Operations(), ekycid.Operations(), verificar.Operations()} {
		for _, op := range ops {
			class := op.Class.String()
			if op.Idempotent {
				class += ", idempotency key"
			}
			after := "never resent"
			switch {
			case op.Resendable():
				after = "resent like a read"
			case op.Class == kyc.ClassMessaging:
				after = "never resent once written"
			}
			b.WriteString("| `" + op.Name + "` | `" + op.Method + " " + op.Path + "` | " + class + " | " + after + " |\n")
		}
	}
	return b.String()
}

const (
	opsBegin = "<!-- operations table: generated from each package's Operations(); TestREADMEOperations checks it -->\n"
	opsEnd   = "<!-- end of operations table -->"
)

// TestREADMEOperations fails when the README's table of operations and
// classes disagrees with the code.
func TestREADMEOperations(t *testing.T) {
	t.Parallel()
	readme := read(t, *readmePath)
	i := strings.Index(readme, opsBegin)
	j := strings.Index(readme, opsEnd)
	if i < 0 || j < i {
		t.Fatalf("README has no operations table between %q and %q; it should be:\n%s", strings.TrimSpace(opsBegin), opsEnd, operationsTable())
	}
	got := readme[i+len(opsBegin) : j]
	if want := operationsTable(); got != want {
		t.Errorf("the README's operations table disagrees with the packages' Operations(); it should be:\n%s", want)
	}
}
