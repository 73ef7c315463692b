package advanceaitest

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/kyctest"
)

// envelope is the vendor's answer, fields in the documented order.
type envelope struct {
	Code            string `json:"code"`
	Message         string `json:"message"`
	Data            any    `json:"data"`
	Extra           any    `json:"extra"`
	TransactionID   string `json:"transactionId"`
	PricingStrategy string `json:"pricingStrategy"`
}

func reply(w http.ResponseWriter, status int, code, message string, data any) {
	b, _ := json.Marshal(envelope{Code: code, Message: message, Data: data,
		TransactionID: kyctest.RandomHex(8), PricingStrategy: advanceai.PricingFree})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Documented messages.
const (
	msgOK           = "OK"
	msgEmpty        = "Parameter should not be empty"
	msgParameter    = "Parameter error,please check you input."
	msgTimestamp    = "Timestamp error"
	msgSignature    = "Signature error"
	msgReturnURL    = "Invalid returnUrl,please check your returnUrl"
	msgRegion       = "Region is wrong"
	msgNoSignature  = "This signatureId is not exist"
	msgBadRequest   = "HTTP 400 - Bad Request"
	msgAccessDenied = "Access Denied"
)

// maxMarkerBytes is how much of a captured image the page reads: the
// marker is in its first 64 KiB.
const maxMarkerBytes = 64 << 10

// request is the body of any of the three endpoints; each reads its own
// fields. It is read tolerantly (numbers sent for strings).
type request struct {
	// Generate Token.
	AccessKey    string `wire:"accessKey"`
	Signature    string `wire:"signature"`
	Timestamp    string `wire:"timestamp"`
	PeriodSecond string `wire:"periodSecond"`
	// Generate URL.
	ReturnURL     string `wire:"returnUrl"`
	FailReturnURL string `wire:"failReturnUrl"`
	UserID        string `wire:"userId"`
	Region        string `wire:"region"`
	// Get Result.
	SignatureID string `wire:"signatureId"`
}

// decode reads the JSON request into v; it answers the vendor's 400 and
// returns false when the body is not that JSON.
func decode(w http.ResponseWriter, r *http.Request, v *request) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || tolerant.Decode(b, v) != nil {
		reply(w, http.StatusBadRequest, advanceai.CodeClientError, msgBadRequest, nil)
		return false
	}
	return true
}

func (s *Server) generateToken(w http.ResponseWriter, r *http.Request) {
	s.Note(noteTokenRequest)
	var req request
	if !decode(w, r, &req) {
		return
	}
	if req.AccessKey == "" || req.Signature == "" || req.Timestamp == "" {
		reply(w, http.StatusOK, advanceai.CodeParameterError, msgEmpty, nil)
		return
	}
	now := s.now()
	ts, err := strconv.ParseInt(req.Timestamp, 10, 64)
	if err != nil || len(req.Timestamp) != 13 || time.UnixMilli(ts).Sub(now).Abs() > MaxClockSkew {
		reply(w, http.StatusOK, advanceai.CodeParameterError, msgTimestamp, nil)
		return
	}
	want := advanceai.Signature(s.accessKey, kyc.NewSecret(s.secretKey), ts)
	if !kyctest.SameSecret(req.AccessKey, s.accessKey) ||
		!kyctest.SameSecret(req.Signature, want) {
		reply(w, http.StatusOK, advanceai.CodeParameterError, msgSignature, nil)
		return
	}
	ttl := DefaultTokenTTL
	if req.PeriodSecond != "" {
		p, err := strconv.ParseInt(req.PeriodSecond, 10, 64)
		if err != nil || p < 60 || p > 86400 {
			reply(w, http.StatusOK, advanceai.CodeParameterError, msgParameter, nil)
			return
		}
		ttl = time.Duration(p) * time.Second
	}
	if s.tokenTTL > 0 {
		ttl = s.tokenTTL
	}
	tok, exp := "fake-token-"+kyctest.RandomHex(16), now.Add(ttl)
	s.mu.Lock()
	for t, e := range s.tokens { // forget expired tokens
		if !now.Before(e) {
			delete(s.tokens, t)
		}
	}
	s.tokens[tok] = exp
	s.mu.Unlock()
	reply(w, http.StatusOK, advanceai.CodeSuccess, msgOK, map[string]any{"token": tok, "expiredTime": exp.UnixMilli()})
}

// authenticated refuses a missing, unknown or expired X-ACCESS-TOKEN with
// HTTP 401 IAM_FAILED (the vendor's answer as public material reports it).
func (s *Server) authenticated(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get(advanceai.HeaderAccessToken)
		s.mu.Lock()
		exp, ok := s.tokens[tok]
		s.mu.Unlock()
		if tok == "" || !ok || !s.now().Before(exp) {
			reply(w, http.StatusUnauthorized, advanceai.CodeIAMFailed, msgAccessDenied, nil)
			return
		}
		next(w, r)
	}
}

func (s *Server) generateURL(w http.ResponseWriter, r *http.Request) {
	var req request
	if !decode(w, r, &req) {
		return
	}
	if req.ReturnURL == "" || req.Region == "" {
		reply(w, http.StatusOK, advanceai.CodeParameterError, msgEmpty, nil)
		return
	}
	if u, err := url.Parse(req.ReturnURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		reply(w, http.StatusOK, advanceai.CodeParameterError, msgReturnURL, nil)
		return
	}
	if req.Region != advanceai.RegionIndonesia {
		reply(w, http.StatusOK, advanceai.CodeRegionWrong, msgRegion, nil)
		return
	}
	id, page := kyctest.RandomHex(8), kyctest.RandomHex(16)
	exp := s.now().Add(LinkTTL)
	s.mu.Lock()
	s.sessions[id] = &session{userID: req.UserID, returnURL: req.ReturnURL, pageToken: page, expires: exp}
	s.mu.Unlock()
	s.CountSend(req.UserID)
	link := s.URL + H5Path + "?" + url.Values{"token": {page}, "signatureId": {id}}.Encode()
	reply(w, http.StatusOK, advanceai.CodeSuccess, msgOK, map[string]any{"signatureId": id, "url": link, "expiredTime": exp.UnixMilli()})
}

func (s *Server) getResult(w http.ResponseWriter, r *http.Request) {
	var req request
	if !decode(w, r, &req) {
		return
	}
	if req.SignatureID == "" {
		reply(w, http.StatusOK, advanceai.CodeParameterError, msgEmpty, nil)
		return
	}
	s.mu.Lock()
	v, ok := s.sessions[req.SignatureID]
	var code string
	if ok {
		code = v.idvCode
		if code != "" && v.pendingReads > 0 { // ImageNotFinished: not yet
			v.pendingReads--
			code = ""
		}
	}
	s.mu.Unlock()
	if !ok {
		reply(w, http.StatusOK, advanceai.CodeSignatureNotExist, msgNoSignature, nil)
		return
	}
	reply(w, http.StatusOK, advanceai.CodeSuccess, msgOK, s.resultData(req.SignatureID, code))
}

// h5Page stands for the vendor's capture page. A POST of an image to the
// link captures that image (its magic marker chooses the outcome, see
// Capture); a GET captures a card without a marker, which finishes with the
// outcome chosen by SetOutcome, or SUCCESS. It answers a small HTML page
// linking to the returnUrl (it does not redirect, so a test's HTTP client
// never leaves the fake). Opening a finished verification's link again
// changes nothing. An unknown or expired link is 404 or 410.
func (s *Server) h5Page(w http.ResponseWriter, r *http.Request) {
	var marker string
	if r.Method == http.MethodPost {
		head, _ := io.ReadAll(io.LimitReader(r.Body, maxMarkerBytes))
		marker = kyctest.ImageMarker(head)
	}
	q := r.URL.Query()
	id := q.Get("signatureId")
	s.mu.Lock()
	v, ok := s.sessions[id]
	if ok && !kyctest.SameSecret(q.Get("token"), v.pageToken) {
		ok = false
	}
	var expired bool
	var code, ret string
	if ok {
		expired = !s.now().Before(v.expires)
		if !expired {
			v.capture(marker)
		}
		code, ret = v.idvCode, v.returnURL
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	switch {
	case !ok:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "<!doctype html><p>Unknown verification link.</p>\n")
	case expired:
		w.WriteHeader(http.StatusGone)
		_, _ = io.WriteString(w, "<!doctype html><p>This verification link has expired.</p>\n")
	default:
		_, _ = io.WriteString(w, "<!doctype html><p>Document verification finished: "+html.EscapeString(code)+
			`.</p><p><a href="`+html.EscapeString(ret)+`">Continue</a></p>`+"\n")
	}
}
