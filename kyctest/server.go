package kyctest

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kyc-go/kyc"
)

// FaultKind is what goes wrong.
type FaultKind int

// Fault kinds.
const (
	// FaultStatus answers Fault.Status (default 500) with Fault.Body.
	FaultStatus FaultKind = iota + 1
	// FaultRateLimit answers 429 with Retry-After: Fault.RetryAfter
	// (default "1").
	FaultRateLimit
	// FaultLatency waits Fault.Latency, then serves normally.
	FaultLatency
	// FaultDrop closes the connection without an answer.
	FaultDrop
	// FaultTruncate sends the real answer's headers and half its body, then
	// closes the connection.
	FaultTruncate
	// FaultMalformed answers 200 with a body that is not JSON.
	FaultMalformed
)

// String names the kind.
func (k FaultKind) String() string {
	return [...]string{"none", "status", "rate_limit", "latency", "drop", "truncate", "malformed"}[min(int(k), 6)]
}

// Fault describes what goes wrong with matching requests.
type Fault struct {
	Kind       FaultKind
	Status     int
	RetryAfter string
	Latency    time.Duration
	Body       string
	// After runs the vendor logic first, so the request counts as
	// processed, then answers with the fault instead of the real answer.
	After bool
	// Path limits the fault to requests whose path contains it.
	Path string
	// Times is how many matching requests get the fault (default 1).
	Times int
}

// Record is one request as the fake received it.
type Record struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	// Body holds up to the first MiB of the body.
	Body []byte
	Time time.Time
}

// Server is the base of every vendor fake (atlastest.Server and the
// others embed it): a TLS server in front of the vendor logic that records
// the requests it gets and injects faults, either before the vendor logic
// runs or after it (the request was processed, then the answer was lost).
type Server struct {
	*httptest.Server

	mu        sync.Mutex
	faults    []*Fault
	rate      float64
	rateSet   []Fault
	rng       *rand.Rand
	records   []Record
	injected  map[FaultKind]int
	sends     map[string]int
	notes     map[string]int
	maxRecord int
}

// NewServer starts a TLS server in front of the vendor logic h. Close it
// when done.
func NewServer(h http.Handler) *Server {
	s := &Server{injected: map[FaultKind]int{}, sends: map[string]int{}, notes: map[string]int{}, maxRecord: 20000, rng: rand.New(rand.NewPCG(1, 2))}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, h)
	}))
	// Dropped connections and fault injection make net/http log harmless
	// handshake errors; a test's output stays readable.
	s.Server.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Server.StartTLS()
	return s
}

// Options points a client at this server: base URL and a client trusting
// its certificate.
func (s *Server) Options() []kyc.Option {
	return []kyc.Option{kyc.WithBaseURL(s.URL), kyc.WithHTTPClient(s.Client())}
}

// Inject queues a fault for the next matching requests.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// FaultRate makes each request fail, with probability p, with one of faults
// chosen at random (seeded, so a run is repeatable). p = 0 stops it.
func (s *Server) FaultRate(p float64, seed uint64, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate, s.rateSet, s.rng = p, faults, rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Injected returns how many faults of each kind were served.
func (s *Server) Injected() map[FaultKind]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.injected)
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Record(nil), s.records...)
}

// Count returns how many requests with pathContains in their path arrived.
func (s *Server) Count(pathContains string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.records {
		if strings.Contains(r.Path, pathContains) {
			n++
		}
	}
	return n
}

// Reset forgets the recorded requests, the counted sends and notes, and
// the pending faults.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records, s.faults, s.rate = nil, nil, 0
	s.injected, s.sends, s.notes = map[FaultKind]int{}, map[string]int{}, map[string]int{}
}

// CountSend records that the vendor logic processed one chargeable or
// person-visible operation (a billed check, a session start, a link, an SMS)
// for key: the logical request it belongs to, as each fake documents (the
// caller's id, an idempotency key, a phone). An empty key is not counted.
func (s *Server) CountSend(key string) {
	if key == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sends[key]++
}

// Note counts one event of the vendor logic under name: what a fake
// counts beside the sends (a token issued, an executive log-in). Faults
// injected before the logic are not noted; Count counts them.
func (s *Server) Note(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes[name]++
}

// Noted returns how many events Note counted under name.
func (s *Server) Noted(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notes[name]
}

// Sends returns how many operations were processed for key.
func (s *Server) Sends(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sends[key]
}

// DuplicateSends counts operations processed more than once for the same
// key: each key's processings beyond the first, summed. Retries that a
// client should never have sent, or that the vendor failed to deduplicate,
// show here; a soak asserts it stays 0.
func (s *Server) DuplicateSends() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.sends {
		n += max(v-1, 0)
	}
	return n
}

// SendKeys returns the keys of the operations processed, sorted.
func (s *Server) SendKeys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.sends))
}

func (s *Server) pick(path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Path != "" && !strings.Contains(path, f.Path) {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		s.injected[f.Kind]++
		c := *f
		return &c
	}
	if s.rate > 0 && len(s.rateSet) > 0 && s.rng.Float64() < s.rate {
		c := s.rateSet[s.rng.IntN(len(s.rateSet))]
		s.injected[c.Kind]++
		return &c
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, h http.Handler) {
	body, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	rec := Record{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Time: time.Now()}
	rec.Body = body[:min(len(body), 1<<20)]
	s.mu.Lock()
	if len(s.records) < s.maxRecord {
		s.records = append(s.records, rec)
	}
	s.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))

	f := s.pick(r.URL.Path)
	if f == nil {
		h.ServeHTTP(w, r)
		return
	}
	if f.Kind == FaultLatency {
		select {
		case <-time.After(f.Latency):
		case <-r.Context().Done():
			// The client went: answer nothing. An empty 200 here could
			// race the client's own deadline and read as an answer.
			panic(http.ErrAbortHandler)
		}
		h.ServeHTTP(w, r)
		return
	}
	var real *httptest.ResponseRecorder
	if f.After || f.Kind == FaultTruncate {
		real = httptest.NewRecorder()
		h.ServeHTTP(real, r)
	}
	switch f.Kind {
	case FaultStatus:
		st := f.Status
		if st == 0 {
			st = http.StatusInternalServerError
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		_, _ = io.WriteString(w, f.Body)
	case FaultRateLimit:
		ra := f.RetryAfter
		if ra == "" {
			ra = "1"
		}
		w.Header().Set("Retry-After", ra)
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, f.Body)
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status": "succ<html>`+"\x00")
	case FaultDrop:
		hijack(w, nil)
	case FaultTruncate:
		b := real.Body.Bytes()
		head := fmt.Sprintf("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
			real.Code, http.StatusText(real.Code), real.Header().Get("Content-Type"), len(b)+1)
		hijack(w, append([]byte(head), b[:len(b)/2]...))
	}
}

// hijack writes raw (if any) on the bare connection and resets it.
func hijack(w http.ResponseWriter, raw []byte) {
	hj, ok := w.(http.Hijacker)
	if !ok { // HTTP/2: answer instead of dropping
		http.Error(w, "fault: cannot drop an HTTP/2 connection", http.StatusBadGateway)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	if len(raw) > 0 {
		_, _ = buf.Write(raw)
		_ = buf.Flush()
	}
	if tc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		if tcp, ok := tc.NetConn().(*net.TCPConn); ok && len(raw) == 0 {
			_ = tcp.SetLinger(0)
		}
	}
	_ = conn.Close()
}
