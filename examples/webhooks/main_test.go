package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo's handler sees a confirmed Incode ONBOARDING_FINISHED and an
// authenticated Verificar 5100, each correlated with the Reference Verify
// returned, and the forged webhook never reaches it.
func TestDemoConfirmedAndCorrelated(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, demo(&out))
	text := out.String()
	refs := regexp.MustCompile(`(?m)^verify\s+(\w+)\s+ref=(\S+)`).FindAllStringSubmatch(text, -1)
	require.Len(t, refs, 2, text)
	byProvider := map[string]string{}
	for _, m := range refs {
		byProvider[m[1]] = m[2]
	}
	assert.Regexp(t, `event verificar ref=`+regexp.QuoteMeta(byProvider["verificar"])+` type=5100 authenticated=true confirmed=false status=approved`, text)
	assert.Regexp(t, `event incode\s+ref=`+regexp.QuoteMeta(byProvider["incode"])+` type=ONBOARDING_FINISHED authenticated=true confirmed=true status=approved face=`, text)
	assert.Contains(t, text, "forged verificar 5100, no credentials  answered HTTP 401")
	assert.NotContains(t, text, "ref=verificar:4242", "the forged webhook never reached the handler")
	assert.Regexp(t, `result\s+verificar ref=\S+ status=approved source=store`, text)
	assert.Regexp(t, `result\s+incode\s+ref=\S+ status=approved source=provider`, text)
}

// The handler is the service's own, provider-neutral code: it imports no
// vendor package.
func TestHandlerImportsNoVendor(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "handler.go", nil, parser.ImportsOnly)
	require.NoError(t, err)
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if strings.HasPrefix(path, "github.com/kyc-go/kyc/") {
			t.Errorf("handler.go imports %s: the handler must know no vendor", path)
		}
	}
}

func TestListenNamesMissingVariables(t *testing.T) {
	for _, n := range []string{"VERIFICAR_API_USER", "VERIFICAR_API_TOKEN", "VERIFICAR_WEBHOOK_USER", "VERIFICAR_WEBHOOK_PASSWORD", "INCODE_API_KEY", "INCODE_WEBHOOK_TOKEN"} {
		t.Setenv(n, "")
	}
	err := serve("127.0.0.1:0", &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "VERIFICAR_WEBHOOK_USER")
	assert.Contains(t, err.Error(), "INCODE_WEBHOOK_TOKEN")
}
