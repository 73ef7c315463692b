package atlas_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
)

// env wraps data in a success envelope.
func env(data string) string {
	return `{"status":"success","response_timestamp":"1595488026806","data":` + data + `,"error":null}`
}

// Verify's decisions on answers the fake does not produce.
func TestVerifyDecisionsOnVendorShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, pan, face string
		status          kyc.Status
		reasons         []kyc.Reason
	}{
		{"unknown PAN status goes to review", `{"pan_number":"ABCDE1234F","pan_status":"DEACTIVATED","first_name":"RAHUL","last_name":"SHARMA"}`,
			`{"match_score":"99"}`, kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}},
		{"flag without score: match", `{"pan_status":"VALID","first_name":"RAHUL","last_name":"SHARMA"}`,
			`{"match_status":"MATCH"}`, kyc.StatusApproved, nil},
		{"flag without score: no match", `{"pan_status":"VALID","first_name":"RAHUL","last_name":"SHARMA"}`,
			`{"is_match":"false"}`, kyc.StatusRejected, []kyc.Reason{kyc.ReasonFaceMismatch}},
		{"neither score nor flag goes to review", `{"pan_status":"VALID","first_name":"RAHUL","last_name":"SHARMA"}`,
			`{"something":"else"}`, kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}},
		{"score as a 0..1 fraction", `{"pan_status":"VALID","first_name":"RAHUL","last_name":"SHARMA"}`,
			`{"similarity":0.91}`, kyc.StatusApproved, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := mock(t)
			mt.RegisterResponder("POST", base+"/verify/pan", httpmock.NewStringResponder(200, env(tt.pan)))
			mt.RegisterResponder("POST", base+"/face/compare", httpmock.NewStringResponder(200, env(tt.face)))
			img := mustImage(t, "")
			res, err := c.Verify(context.Background(), kyc.Request{Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: img},
				Selfie: img, Person: kyc.Person{FullName: "Rahul Sharma"}})
			require.NoError(t, err)
			assert.Equal(t, tt.status, res.Status)
			assert.Equal(t, tt.reasons, res.Reasons)
			for _, r := range res.Reasons {
				assert.True(t, r.Valid(), "reasons come from the closed kyc set")
			}
		})
	}
}

func TestClientDoesNotPrintTheSecret(t *testing.T) {
	t.Parallel()
	const secret = "very-secret-value-ü"
	for _, mode := range []atlas.AuthMode{atlas.AuthAES, atlas.AuthBasic} {
		c, err := atlas.New(atlas.Config{KeyID: "k", KeySecret: kyc.NewSecret(secret), Auth: mode})
		require.NoError(t, err)
		for _, s := range []string{fmt.Sprintf("%v %+v %#v", c, c, c), fmt.Sprint(atlas.Config{KeySecret: kyc.NewSecret(secret)})} {
			assert.NotContains(t, s, secret)
		}
	}
}
