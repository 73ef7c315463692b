package incode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

var _ kyc.Eraser = (*Client)(nil)

// Erase implements kyc.Eraser: it asks Incode to delete the personal data
// of the session ref names, with the executive token (Config.ExecutiveEmail
// and ExecutivePassword; without them it is an ErrInvalidRequest naming
// ExecutiveEmail, and nothing is sent):
//
//	DELETE /omni/interviews (free) — inferred from Incode's official sample code
//	{"filter":{"ids":[interviewId]},
//	 "config":{"deletePiiDataOnly":true,"sendNotification":false,
//	           "relatedEntitiesToKeep":["deviceFingerPrints","stats"]}}
//
// Incode publishes no reference page for this call: its method, path and
// body are inferred from Incode's official sample code (GitHub
// Incode-Technologies-Example-Repos/nodejs-samples,
// purge-webhook/src/api/delete-multiple-sessions.ts), which sends this
// body. deletePiiDataOnly deletes the person's data (images, OCR, scores)
// and keeps the session's record; relatedEntitiesToKeep keeps the device
// fingerprints and the account's statistics, as the sample does;
// sendNotification false sends no e-mail. The shape of Incode's answer is
// not documented either: any 2xx answer, empty or JSON, is taken as done.
// How Incode answers for a session it does not know (or erased before) is
// not documented: whatever it answers is returned as it is (an error
// matching kyc.ErrNotFound for a 404), so a caller that erases twice
// decides what that means.
//
// The call is not billed and deleting twice leaves the same state, so it
// is resent like a read after an ambiguous failure. When it succeeds the
// client also forgets the session token it kept in memory; a
// Config.TokenStore has no delete: remove the token there yourself.
func (c *Client) Erase(ctx context.Context, ref string) error {
	ctx, end := c.tc.Span(ctx, opErase.Name)
	err := c.erase(ctx, ref)
	end(nil, err)
	return err
}

// erase is Erase, inside its span.
func (c *Client) erase(ctx context.Context, ref string) error {
	op := opErase
	id, _, err := c.ref(op.Name, ref)
	if err != nil {
		return err
	}
	if !c.hasExecutive() {
		return c.tc.Invalid(op.Name, "ExecutiveEmail",
			"erasing a session at Incode needs the executive token: set Config.ExecutiveEmail and ExecutivePassword")
	}
	type filter struct {
		IDs []string `json:"ids"`
	}
	type config struct {
		DeletePIIDataOnly     bool     `json:"deletePiiDataOnly"`
		SendNotification      bool     `json:"sendNotification"`
		RelatedEntitiesToKeep []string `json:"relatedEntitiesToKeep"`
	}
	body, err := transport.JSON(struct {
		Filter filter `json:"filter"`
		Config config `json:"config"`
	}{filter{IDs: []string{id}}, config{DeletePIIDataOnly: true, RelatedEntitiesToKeep: []string{"deviceFingerPrints", "stats"}}})
	if err != nil {
		return c.tc.Invalid(op.Name, "ref", "cannot be encoded as JSON")
	}
	tok, err := c.exec.token(ctx, c, op.Name, false)
	if err != nil {
		return logInFailed(op.Name, err)
	}
	req := &transport.Request{Operation: op, Body: body, Sign: hardwareID(tok)}
	req.Renew = c.renewExecutive(op.Name, req, tok)
	resp, err := c.tc.Call(ctx, req, nil)
	if err != nil {
		return err
	}
	if t := bytes.TrimSpace(transport.StripBOM(resp.Body)); len(t) > 0 {
		var answer json.RawMessage
		if err := c.tc.DecodeJSON(op.Name, resp, &answer); err != nil {
			return err
		}
	}
	c.kept.forget(id)
	return nil
}

// logInFailed is the error of Erase when the executive log-in it needs
// failed: the log-in's kind and status, under Erase's name, NotSent (the
// deletion itself was never sent), wrapping the log-in's error.
func logInFailed(op string, err error) error {
	var kerr *kyc.Error
	if !errors.As(err, &kerr) {
		return err
	}
	if kerr.Op == op {
		return kerr
	}
	return &kyc.Error{Provider: kyc.Incode, Op: op, Kind: kerr.Kind, StatusCode: kerr.StatusCode, Code: kerr.Code,
		Message: "the executive log-in the deletion needs failed; nothing was deleted", Err: kerr, NotSent: true, Unprocessed: true}
}

// forget drops the token kept for id, if any.
func (k *keeper) forget(id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if e, ok := k.byID[id]; ok {
		k.ll.Remove(e)
		delete(k.byID, id)
	}
}
