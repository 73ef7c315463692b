package transport

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
)

// Reason is why the resend policy sends a request again or stops. Its text
// is the README's wording of the policy.
type Reason int

// The reasons of the resend policy. The comments are the README's table.
const (
	// Stop reasons.
	ReasonSuccess           Reason = iota // the vendor answered below 400
	ReasonContextDone                     // the caller's context ended
	ReasonNoRetries                       // kyc.WithRetry's count is used up
	ReasonNotReplayable                   // the body (an image from a reader) cannot be sent twice
	ReasonMessagingWritten                // messaging: never resent once written, whatever the answer
	ReasonBilledAmbiguous                 // billed: the vendor may have processed it (timeout or reset after the write, 500, 502, 504)
	ReasonAuthRefused                     // 401, 403: authentication failures are not retried in a loop
	ReasonFinal                           // any other status is the vendor's final answer
	ReasonRetryAfterTooLong               // Retry-After is beyond the maximum wait: not within this call
	ReasonDeadline                        // the context ends before the next attempt could start
	ReasonBudgetEmpty                     // the client's retry budget is spent: a vendor in an outage is not sent more

	// Resend reasons.
	ReasonNotWritten // refused unprocessed: the request was never written
	ReasonRefused    // refused unprocessed: HTTP 429 or 503
	ReasonResendable // free, or billed with an idempotency key: retried like a read
)

var reasonText = [...]string{
	ReasonSuccess:           "success",
	ReasonContextDone:       "the context is done",
	ReasonNoRetries:         "no retries left",
	ReasonNotReplayable:     "the request body cannot be read twice",
	ReasonMessagingWritten:  "messaging: never resent once written",
	ReasonBilledAmbiguous:   "billed: the vendor may have processed it",
	ReasonAuthRefused:       "authentication failures are not retried",
	ReasonFinal:             "the status is final",
	ReasonRetryAfterTooLong: "Retry-After exceeds the maximum wait",
	ReasonDeadline:          "the context ends before the next attempt could start",
	ReasonBudgetEmpty:       "the retry budget is spent",
	ReasonNotWritten:        "refused unprocessed: the request was never written",
	ReasonRefused:           "refused unprocessed: HTTP 429 or 503",
	ReasonResendable:        "free or idempotent: retried like a read",
}

// String is the reason in the README's words.
func (r Reason) String() string {
	if int(r) < len(reasonText) {
		return reasonText[r]
	}
	return "reason " + strconv.Itoa(int(r))
}

// outcome is what one attempt gave, as the resend policy sees it.
type outcome struct {
	resp  *Response
	err   error
	wrote bool
}

// unprocessed reports that the vendor provably did not process the
// attempt: it was never written, or it was refused with 429 or 503.
func (o outcome) unprocessed() bool {
	if o.err != nil {
		return !o.wrote
	}
	return o.resp != nil && refusedUnprocessed(o.resp.StatusCode)
}

func refusedUnprocessed(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
}

// policy is the resend policy's fixed inputs for one call.
type policy struct {
	op         kyc.Operation
	replayable bool
	maxRetries int
	minBackoff time.Duration
	maxWait    time.Duration
}

// decision is the resend policy's verdict on one attempt.
type decision struct {
	retry  bool
	reason Reason
	wait   time.Duration
}

// decide is the resend policy: whether to send the request again, why, and
// after how long. Every decision is logged and observed with its reason.
func (p policy) decide(ctx context.Context, attempt int, o outcome, now time.Time) decision {
	reason, retry := p.classify(ctx, attempt, o)
	if !retry {
		return decision{reason: reason}
	}
	wait := backoff(attempt, p.minBackoff, p.maxWait)
	if o.resp != nil {
		if ra, ok := RetryAfter(o.resp.Header, now); ok {
			if ra > p.maxWait {
				return decision{reason: ReasonRetryAfterTooLong}
			}
			wait = ra
		}
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return decision{reason: ReasonDeadline}
	}
	return decision{retry: true, reason: reason, wait: wait}
}

func (p policy) classify(ctx context.Context, attempt int, o outcome) (Reason, bool) {
	if ctx.Err() != nil {
		return ReasonContextDone, false
	}
	if o.err == nil && o.resp != nil && o.resp.StatusCode < 400 {
		return ReasonSuccess, false
	}
	if attempt > p.maxRetries {
		return ReasonNoRetries, false
	}
	if !p.replayable {
		return ReasonNotReplayable, false
	}
	if o.err != nil && !o.wrote {
		return ReasonNotWritten, true // nothing reached the vendor, whatever the class
	}
	if o.resp != nil {
		switch code := o.resp.StatusCode; {
		case code == http.StatusUnauthorized || code == http.StatusForbidden:
			return ReasonAuthRefused, false
		case p.op.Class == kyc.ClassMessaging:
			return ReasonMessagingWritten, false
		case refusedUnprocessed(code):
			return ReasonRefused, true
		case code >= 500 || code == http.StatusRequestTimeout:
			if p.op.Resendable() {
				return ReasonResendable, true
			}
			return ReasonBilledAmbiguous, false
		default:
			return ReasonFinal, false
		}
	}
	// An error after the write: a timeout, a reset, a truncated body.
	switch {
	case p.op.Class == kyc.ClassMessaging:
		return ReasonMessagingWritten, false
	case p.op.Resendable():
		return ReasonResendable, true
	}
	return ReasonBilledAmbiguous, false
}

// backoff is exponential from min, capped at max, with 25% jitter below.
func backoff(attempt int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 1; i < attempt && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	if d <= 0 {
		return 0
	}
	jitter := time.Duration(rand.Int64N(int64(d)/4 + 1))
	return d - jitter
}

// MaxRetryAfter is where a parsed Retry-After saturates: any longer hint,
// however absurd (9223372037 seconds, the year 9999), reads as this, which
// is beyond every maximum wait and so means "not within this call".
const MaxRetryAfter = 7 * 24 * time.Hour

// RetryAfter parses a Retry-After header: delay-seconds or an HTTP date.
// The result is never negative and saturates at MaxRetryAfter; a negative,
// fractional or malformed value is ignored (ok false).
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil || secs > uint64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true // too large to parse is too long to wait
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now) // Sub saturates at the extremes of Duration
		switch {
		case d < 0:
			d = 0
		case d > MaxRetryAfter || d == math.MaxInt64:
			d = MaxRetryAfter
		}
		return d, true
	}
	return 0, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
