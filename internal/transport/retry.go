package transport

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// decision is everything the retry policy looks at.
type decision struct {
	mode       Mode
	replayable bool
	attempt    int // 1 for the first attempt
	maxRetries int
	resp       *Response
	err        error
	wrote      bool
	ctx        context.Context
	now        time.Time
	minBackoff time.Duration
	maxWait    time.Duration
}

type verdict struct {
	retry  bool
	reason string
	wait   time.Duration
}

// decide is the retry policy: whether to send the request again, why, and
// after how long. Every decision is logged with its reason.
func decide(d decision) verdict {
	retry, reason := shouldRetry(d)
	if !retry {
		return verdict{reason: reason}
	}
	wait := backoff(d.attempt, d.minBackoff, d.maxWait)
	if d.resp != nil {
		if ra, ok := RetryAfter(d.resp.Header, d.now); ok {
			if ra > d.maxWait {
				return verdict{reason: "Retry-After " + ra.String() + " exceeds the maximum wait " + d.maxWait.String()}
			}
			wait = ra
		}
	}
	if dl, ok := d.ctx.Deadline(); ok && time.Until(dl) < wait {
		return verdict{reason: "the context ends before the next attempt could start"}
	}
	return verdict{retry: true, reason: reason, wait: wait}
}

func shouldRetry(d decision) (bool, string) {
	if d.ctx.Err() != nil {
		return false, "the context is done"
	}
	if d.resp == nil && d.err == nil {
		return false, "no response and no error"
	}
	if d.err == nil && d.resp.StatusCode < 400 {
		return false, "success"
	}
	if d.attempt > d.maxRetries {
		return false, "no retries left"
	}
	if !d.replayable {
		return false, "the request body cannot be read twice"
	}
	if d.err != nil {
		switch {
		case !d.wrote:
			return true, "the request failed before it was sent"
		case d.mode == Idempotent:
			return true, "the request failed and is idempotent"
		default:
			return false, "the request may have reached the vendor and is not idempotent"
		}
	}
	switch code := d.resp.StatusCode; code {
	case http.StatusUnauthorized, http.StatusForbidden:
		return false, "authentication failures are not retried"
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		if d.mode == Once {
			return false, "the call is never resent once it may have reached the vendor"
		}
		return true, "HTTP " + strconv.Itoa(code) + ": the vendor did not process the request"
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		if d.mode == Idempotent {
			return true, "HTTP " + strconv.Itoa(code) + " on an idempotent request"
		}
		return false, "HTTP " + strconv.Itoa(code) + ": the request may have reached the vendor and is not idempotent"
	}
	return false, "HTTP " + strconv.Itoa(d.resp.StatusCode) + " is final"
}

// backoff is exponential from min, capped at max, with 25% jitter below.
func backoff(attempt int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 1; i < attempt && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	jitter := time.Duration(rand.Int64N(int64(d)/4 + 1))
	return d - jitter
}

// RetryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
