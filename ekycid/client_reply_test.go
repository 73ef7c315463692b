package ekycid

import (
	"context"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

func TestReplyFixtures(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	tests := []struct {
		fixture string
		check   func(t *testing.T, r *ReplyResult, err error)
	}{
		{"reply_pending.json", func(t *testing.T, r *ReplyResult, err error) {
			require.NoError(t, err)
			assert.False(t, r.Done())
			assert.Nil(t, r.Usage)
			assert.Nil(t, r.Document())
		}},
		{"reply_ocr.json", func(t *testing.T, r *ReplyResult, err error) {
			require.NoError(t, err)
			assert.True(t, r.Done())
			require.NotNil(t, r.Usage)
			assert.Equal(t, "su_01", r.Usage.ID)
			assert.True(t, r.Usage.IsSuccess)
			assert.Equal(t, time.Date(2023, 9, 12, 8, 15, 1, 250e6, time.UTC), r.Usage.StartTime)
			d := r.Document()
			require.NotNil(t, d)
			assert.Equal(t, kyc.DocumentData{
				Type: kyc.DocumentIDCard, Number: "343234587", FullName: "POV SREY", FirstName: "SREY", LastName: "POV",
				DateOfBirth: time.Date(1990, 8, 3, 0, 0, 0, 0, time.UTC), ExpiryDate: time.Date(2026, 1, 25, 0, 0, 0, 0, time.UTC),
				Sex: "F", Nationality: "KHM", IssuingCountry: "KHM", Address: "ភ្នំពេញ",
				Extra: map[string]string{"NAME_KH": "ពៅ ស្រី", "HEIGHT_KH": "160", "ADDRESS_KH": "ភ្នំពេញ"},
			}, *d)
		}},
		{"reply_ocr_demo.json", func(t *testing.T, r *ReplyResult, err error) {
			require.NoError(t, err)
			d := r.Document()
			require.NotNil(t, d)
			assert.Equal(t, "343234587", d.Number)
			assert.Equal(t, "POV SREY", d.FullName)
			assert.Equal(t, "M", d.Sex)
			assert.Equal(t, time.Date(1990, 8, 3, 0, 0, 0, 0, time.UTC), d.DateOfBirth)
			assert.Equal(t, time.Date(2026, 1, 25, 0, 0, 0, 0, time.UTC), d.ExpiryDate)
			assert.True(t, r.Usage.IsSuccess, `"true" as a string`)
		}},
		{"reply_express.json", func(t *testing.T, r *ReplyResult, err error) {
			require.NoError(t, err)
			o := r.Outcome()
			require.NotNil(t, o.Document)
			assert.Equal(t, "100000001", o.Document.Number)
			assert.Equal(t, DecisionPass, o.FaceMatch.Decision)
			s, _ := o.Liveness.Score.Value()
			assert.InDelta(t, 0.97, s, 1e-9)
		}},
		{"reply_face_score.json", func(t *testing.T, r *ReplyResult, err error) {
			require.NoError(t, err)
			v := r.FaceMatch()
			s, ok := v.Score.Value()
			assert.True(t, ok)
			assert.InDelta(t, 0.815, s, 1e-9, "a percentage in a string")
			assert.Equal(t, DecisionNone, v.Decision)
			pass, known := v.Passed(0.75)
			assert.True(t, pass && known)
			pass, _ = v.Passed(0.9)
			assert.False(t, pass)
		}},
		{"reply_liveness_sequences.json", func(t *testing.T, r *ReplyResult, err error) {
			require.NoError(t, err)
			assert.Equal(t, DecisionFail, r.Liveness().Decision, "one failed sequence fails liveness")
		}},
		{"reply_error_ocr.json", func(t *testing.T, r *ReplyResult, err error) {
			require.NotNil(t, r)
			assert.True(t, r.Done())
			assert.Equal(t, &ReplyError{Code: "OCR_FAILED", Message: "cannot extract information"}, r.Error)
			assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
			assert.False(t, r.Usage.IsSuccess)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, "cannot extract information", kerr.VendorMessage)
			assert.NotContains(t, err.Error(), "extract", "the vendor's text is never printed")
		}},
		{"reply_error_internal.json", func(t *testing.T, r *ReplyResult, err error) {
			require.NotNil(t, r)
			assert.ErrorIs(t, err, kyc.ErrUnavailable)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, "INTERNAL_ERROR", kerr.Code)
			assert.Equal(t, "ekycid.Reply", kerr.Op)
		}},
		{"reply_error_unknown.json", func(t *testing.T, r *ReplyResult, err error) {
			require.NotNil(t, r)
			assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, "E1234", kerr.Code)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			mt.RegisterResponder("GET", testBase+"/v0/api-request-reply/r1", fixtureResponder(t, 200, tt.fixture))
			r, err := c.Reply(context.Background(), "r1")
			if r != nil {
				assert.Equal(t, "r1", r.ID)
				assert.JSONEq(t, string(testutil.Fixture(t, tt.fixture)), string(r.Raw))
			}
			tt.check(t, r, err)
		})
	}
}

func TestResultFromFixtures(t *testing.T) {
	t.Parallel()
	clock := func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }
	c, mt := mock(t, kyc.WithClock(clock))
	tests := []struct {
		fixture  string
		status   kyc.Status
		reasons  []kyc.Reason
		resubmit bool
	}{
		{"reply_pending.json", kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}, false},
		{"reply_express.json", kyc.StatusApproved, nil, false},
		{"reply_face_score.json", kyc.StatusApproved, nil, false},
		{"reply_ocr.json", kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}, false},
		{"reply_liveness_sequences.json", kyc.StatusRejected, []kyc.Reason{kyc.ReasonLivenessFailed}, false},
		{"reply_error_ocr.json", kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			mt.RegisterResponder("GET", testBase+"/v0/api-request-reply/r1", fixtureResponder(t, 200, tt.fixture))
			res, err := c.Result(context.Background(), "ekycid:r1")
			require.NoError(t, err)
			assert.Equal(t, tt.status, res.Status)
			assert.Equal(t, tt.reasons, res.Reasons)
			assert.Equal(t, tt.resubmit, res.Resubmit)
			assert.Equal(t, "ekycid:r1", res.Reference)
			assert.NotEmpty(t, res.Raw)
		})
	}
	t.Run("expired card", func(t *testing.T) {
		late, mt := mock(t, kyc.WithClock(func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) }))
		mt.RegisterResponder("GET", testBase+"/v0/api-request-reply/r1", fixtureResponder(t, 200, "reply_express.json"))
		res, err := late.Result(context.Background(), "ekycid:r1")
		require.NoError(t, err)
		assert.Equal(t, kyc.StatusApproved, res.Status, "expires 2032")
		mt.RegisterResponder("GET", testBase+"/v0/api-request-reply/r2", fixtureResponder(t, 200, "reply_ocr_demo.json"))
		res, err = late.Result(context.Background(), "ekycid:r2")
		require.NoError(t, err)
		assert.Contains(t, res.Reasons, kyc.ReasonDocumentExpired, "expired 2026-01-25")
		assert.Equal(t, kyc.StatusRejected, res.Status)
	})
	t.Run("unavailable", func(t *testing.T) {
		mt.RegisterResponder("GET", testBase+"/v0/api-request-reply/r3", fixtureResponder(t, 200, "reply_error_internal.json"))
		_, err := c.Result(context.Background(), "ekycid:r3")
		assert.ErrorIs(t, err, kyc.ErrUnavailable)
	})
}

// TestSubmissionAnswers: a submission's answer must carry an id of the
// vendor's form, and a BOM before the JSON is tolerated.
func TestSubmissionAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		id   string
		kind error
	}{
		{`{"id":"r1"}`, "r1", nil},
		{"\xef\xbb\xbf{\"id\":\"r2\"}", "r2", nil},
		{`{"id":42}`, "42", nil},
		{`{"id":"../x"}`, "", kyc.ErrBadResponse},
		{`{"id":""}`, "", kyc.ErrBadResponse},
		{`{}`, "", kyc.ErrBadResponse},
		{``, "", kyc.ErrBadResponse},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			mt.RegisterResponder("POST", testBase+"/v0/ocr", httpmock.NewStringResponder(200, tt.body))
			sub, err := c.OCR(context.Background(), OCRRequest{Image: MediaURL("https://cdn.example.test/c.jpg")})
			if tt.kind != nil {
				assert.ErrorIs(t, err, tt.kind)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.id, sub.ID)
		})
	}
}

func TestReplyWithBOM(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	body := append([]byte("\xef\xbb\xbf"), testutil.Fixture(t, "reply_face_score.json")...)
	mt.RegisterResponder("GET", testBase+"/v0/api-request-reply/r1", httpmock.NewBytesResponder(200, body))
	r, err := c.Reply(context.Background(), "r1")
	require.NoError(t, err)
	assert.True(t, r.FaceMatch().Score.Given())
}
