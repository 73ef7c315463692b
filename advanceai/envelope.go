package advanceai

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// Meta is what every ADVANCE.AI answer carries besides its data.
type Meta struct {
	// Code is the vendor's status code: SUCCESS, PARAMETER_ERROR…
	Code string `wire:"code"`
	// Message explains Code.
	Message string `wire:"message"`
	// TransactionID is the vendor's request id (at most 64 characters);
	// quote it to the vendor's support.
	TransactionID string `wire:"transactionId"`
	// PricingStrategy says whether the request is charged: FREE or PAY.
	PricingStrategy string `wire:"pricingStrategy"`
	// Extra is extra response info (an exception message), as sent; usually
	// null.
	Extra json.RawMessage `wire:"extra"`
}

// Charged maps PricingStrategy: PAY is kyc.ChargePaid, FREE kyc.ChargeFree,
// anything else kyc.ChargeUnknown.
func (m Meta) Charged() kyc.Charge {
	switch strings.ToUpper(m.PricingStrategy) {
	case PricingPay:
		return kyc.ChargePaid
	case PricingFree:
		return kyc.ChargeFree
	}
	return kyc.ChargeUnknown
}

// The values of pricingStrategy.
const (
	PricingFree = "FREE"
	PricingPay  = "PAY"
)

// Envelope is a whole ADVANCE.AI answer: its Meta and its data as sent.
// Pass an *Envelope as the out of Client.Call to receive it.
type Envelope struct {
	Meta
	// Data is the answer's data, as sent (null when the vendor sent none).
	// It may hold personal data, as the typed results do.
	Data json.RawMessage `wire:"data"`
}

// decodeEnvelope reads an answer's envelope, after a BOM or an XSSI
// prefix. It fails on anything but a JSON object. Its fields are read
// tolerantly (numbers sent for strings), so an odd answer is still
// classified by its code.
func decodeEnvelope(body []byte) (*Envelope, error) {
	t := bytes.TrimSpace(transport.StripBOM(bytes.TrimSpace(body)))
	if len(t) == 0 || t[0] != '{' {
		return nil, errors.New("the answer is not a JSON object")
	}
	env := &Envelope{}
	if err := tolerant.Decode(t, env); err != nil {
		return nil, err
	}
	return env, nil
}

// isNull reports data that is missing or JSON null.
func isNull(data json.RawMessage) bool {
	t := bytes.TrimSpace(data)
	return len(t) == 0 || string(t) == "null"
}

// decodeData decodes the envelope's data into v; null or missing data is an
// error, since every SUCCESS answer documented carries data.
func decodeData(data json.RawMessage, v any) error {
	if isNull(data) {
		return errors.New("the answer has no data")
	}
	return json.Unmarshal(bytes.TrimSpace(data), v)
}

// epochMillis reads a number or a numeric string; anything else is 0.
func epochMillis(raw json.RawMessage) int64 {
	var s tolerant.String
	if err := s.UnmarshalJSON(raw); err != nil {
		return 0
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(s)), 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}
