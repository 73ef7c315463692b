package verificar

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

// TestOperationTable: every method that does I/O is in the operation
// table, and every operation names a method.
func TestOperationTable(t *testing.T) {
	t.Parallel()
	c, _ := mock(t)
	testutil.OperationTable(t, "verificar", c, Operations(),
		[]string{"Verify", "Result", "Call", "Erase"}, nil)

	classes := map[string]kyc.Class{}
	for _, op := range Operations() {
		classes[op.Name] = op.Class
		assert.Equal(t, http.MethodPost, op.Method, "Mensatek takes POST only")
		assert.Contains(t, op.Doc, "https://www.mensatek.com/api-verificacion-identidad-en.html", op.Name)
	}
	assert.Equal(t, map[string]kyc.Class{
		"verificar.SendVerification": kyc.ClassMessaging,
		"verificar.Certificate":      kyc.ClassFree,
		"verificar.Credits":          kyc.ClassFree,
	}, classes)
	ops := Operations()
	ops[0].Class = kyc.ClassFree
	assert.Equal(t, kyc.ClassMessaging, Operations()[0].Class, "Operations returns a copy")
}

// failureMethods are every typed method, and the escape hatch, for
// testutil.FailurePaths.
var failureMethods = []testutil.Method{
	{
		Name: "verificar.SendVerification",
		Call: func(ctx context.Context, c any) error {
			_, err := c.(*Client).SendVerification(ctx, SendRequest{Phone: "34600000001"})
			return err
		},
		VendorError: []byte(`[{"Res":-2}]`), VendorErrorKind: kyc.ErrInsufficientCredit,
	},
	{
		Name: "verificar.Certificate",
		Call: func(ctx context.Context, c any) error {
			return c.(*Client).Certificate(ctx, "1283876988", io.Discard)
		},
		VendorError: []byte(`[{"Res":-3,"Error":"Id no válido"}]`), VendorErrorKind: kyc.ErrInvalidRequest,
	},
	{
		Name: "verificar.Credits",
		Call: func(ctx context.Context, c any) error {
			_, err := c.(*Client).Credits(ctx)
			return err
		},
		VendorError: []byte(`{"Res":"-1"}`), VendorErrorKind: kyc.ErrUnauthorized,
	},
	{
		Name: "verificar.Call",
		Call: func(ctx context.Context, c any) error {
			return c.(*Client).Call(ctx, kyc.Operation{Path: "/GetOtra"}, map[string]any{"Id": 1}, nil)
		},
		VendorError: []byte(`[{"Res":-4}]`), VendorErrorKind: kyc.ErrForbidden,
	},
}

// TestFailurePaths runs every typed method and the generic Call through
// the shared failure paths: 500, a Res error inside a 200, malformed JSON,
// a cancelled context, a refused connection.
func TestFailurePaths(t *testing.T) {
	t.Parallel()
	testutil.FailurePaths(t, kyc.Verificar, func(baseURL string, opts ...kyc.Option) (any, error) {
		return New(Config{APIUser: "user", APIToken: kyc.NewSecret("tok3n")}, append(opts, kyc.WithBaseURL(baseURL))...)
	}, failureMethods)
}
