package atlas

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/webhook"
)

var _ kyc.WebhookReceiver = (*Client)(nil)

// ParseWebhook implements kyc.WebhookReceiver for eSign callbacks: the POST
// FRS Labs sends when an eSign ends (see ESignCallback and
// DecodeESignCallback for the forms it takes). The callback carries no
// credentials, so it is refused (ErrUnauthorized, 401) unless
// Config.AcceptESignCallbacks is set, and its Event is never
// Authenticated: read the eSign back with ESignStatus before acting on it.
// The browser's redirect to the success URL is a GET, not a callback: read
// it with ParseESignCallback in the page that serves that URL.
//
// The Event has no Reference and no Result (an eSign is not an identity
// verification): its Type is "esign.completed" when the document_status
// is COMPLETED and "esign.not_completed" otherwise (the only status FRS
// Labs documents; the Type never carries the callback's own text), its Raw
// the esign_status JSON; EventESign decodes it. A body over 1 MiB is refused (413), one without an esign_id
// or that cannot be read (400), with the reason in the SDK's words.
func (c *Client) ParseWebhook(r *http.Request) (*kyc.Event, error) {
	return c.callbacks().Parse(r)
}

// WebhookHandler serves eSign callbacks: it is kyc.WebhookHandler for this
// client (the exchange every kyc.WebhookMux runs), with the client's logger
// and Config.WebhookReadTimeout, handing each Event to fn and answering 200
// only when fn succeeded (401, 400, 405, 408, 413 or 500 otherwise, with a
// plain-text reason in the SDK's words).
func (c *Client) WebhookHandler(fn func(context.Context, *kyc.Event) error) http.Handler {
	return kyc.WebhookHandler(c, fn, webhook.Options(c.tc.Logger(), c.cfg.WebhookReadTimeout)...)
}

// callbacks is the receiver: no credentials exist, so the shared rule
// accepts callbacks only when the Config opts in.
func (c *Client) callbacks() *webhook.Receiver {
	const op = "atlas.ParseWebhook"
	return &webhook.Receiver{
		Provider: kyc.Atlas, Op: op,
		Auth: webhook.Auth{AcceptUnauthenticated: c.cfg.AcceptESignCallbacks},
		Decode: func(r *http.Request, body []byte) (*kyc.Event, error) {
			cb, err := DecodeESignCallback(r.Header.Get("Content-Type"), body, r.URL.Query())
			if err != nil {
				var kerr *kyc.Error
				if errors.As(err, &kerr) {
					return nil, webhook.Refuse(kyc.Atlas, op, kyc.ErrInvalidRequest, 0, kerr.Message, nil)
				}
				return nil, err
			}
			typ := "esign.not_completed"
			if cb.Completed() {
				typ = "esign.completed"
			}
			return &kyc.Event{Provider: kyc.Atlas, Type: typ, Raw: cb.Raw}, nil
		},
		Now: c.tc.Now,
	}
}

// EventESign decodes the eSign callback an Event from ParseWebhook holds.
// Its Token is empty: a POST callback has none.
func EventESign(ev *kyc.Event) (*ESignCallback, error) {
	if ev == nil || ev.Provider != kyc.Atlas || !strings.HasPrefix(ev.Type, "esign.") {
		return nil, &kyc.Error{Provider: kyc.Atlas, Op: "atlas.EventESign", Kind: kyc.ErrInvalidRequest,
			Message: "not an Atlas eSign callback event", NotSent: true, Unprocessed: true}
	}
	return DecodeESignCallback("application/json", ev.Raw, nil)
}
