package incode

import "slices"

// SessionEvent is the event of Incode's session-events webhook family
// (https://developer.incode.com/docs/session-webhooks), in the SDK's
// canonical form: upper case with underscores, such as SESSION_SUCCEEDED.
// Incode's payloads name it in either of two styles ("Session Succeeded"
// in production, SESSION_SUCCEEDED in older payloads, by Incode's own
// Salesforce integration); DecodeWebhook reads both and gives this form.
type SessionEvent string

// The session events Incode's session-webhooks page lists. The names are
// documented; the field carrying them and its value style are not (see
// the package documentation).
const (
	EventSessionStarted       SessionEvent = "SESSION_STARTED"
	EventSessionProgress      SessionEvent = "SESSION_PROGRESS"
	EventSessionFailed        SessionEvent = "SESSION_FAILED"
	EventSessionSucceeded     SessionEvent = "SESSION_SUCCEEDED"
	EventSessionPendingReview SessionEvent = "SESSION_PENDING_REVIEW"
	EventIdentityEnrolled     SessionEvent = "IDENTITY_ENROLLED"
)

// SessionEvents lists the session events DecodeWebhook accepts.
func SessionEvents() []SessionEvent {
	return []SessionEvent{EventSessionStarted, EventSessionProgress, EventSessionFailed, EventSessionSucceeded,
		EventSessionPendingReview, EventIdentityEnrolled}
}

// Documented reports whether e is one of SessionEvents.
func (e SessionEvent) Documented() bool { return slices.Contains(SessionEvents(), e) }

// StatusExpired is the onboarding status of a session that expired before
// it was finished. Incode's reference pages do not list it; its official
// purge sample handles it beside ONBOARDING_FINISHED
// (https://github.com/Incode-Technologies-Example-Repos/nodejs-samples,
// purge-webhook). A webhook carrying it is accepted.
const StatusExpired OnboardingStatus = "EXPIRED"

// webhookStatus reports whether a webhook may carry st: a documented
// onboarding status, or StatusExpired.
func webhookStatus(st OnboardingStatus) bool { return st.Documented() || st == StatusExpired }

// maxName bounds an event name or an onboarding status in a webhook.
const maxName = 64

// canonical gives a webhook's event or status name in the canonical form
// (upper case, underscores): "Session Succeeded" and "SESSION_SUCCEEDED"
// both give SESSION_SUCCEEDED. A name of anything but ASCII letters,
// digits, single spaces and underscores gives "", as does one over maxName
// bytes: no Unicode case folding turns another text into a known name.
func canonical(s string) string {
	if s == "" || len(s) > maxName || s[0] == ' ' || s[len(s)-1] == ' ' {
		return ""
	}
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
		case c == ' ' && b[i-1] != ' ' && b[i-1] != '_':
			b[i] = '_'
		default:
			return ""
		}
	}
	return string(b)
}
