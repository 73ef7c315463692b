// Package benchapi is what the benchmark server (scripts/benchserver) and
// the harness's client programs (scripts/benchmarks) share: the JSON of
// the server's admin endpoint. It imports nothing of the SDK, so that the
// server builds whatever state the SDK is in.
package benchapi

// Counters are what the admin endpoint (GET /counters) reports, totals
// since the server started.
type Counters struct {
	// Conns is the number of TCP connections accepted.
	Conns int64 `json:"conns"`
	// Hellos is the number of TLS ClientHellos received.
	Hellos int64 `json:"hellos"`
	// Handshakes is the number of TLS handshakes completed.
	Handshakes int64 `json:"handshakes"`
	// Open is the number of connections open now.
	Open int64 `json:"open"`
	// Requests is the number of requests answered.
	Requests int64 `json:"requests"`
	// Tokens is the number of ADVANCE.AI token exchanges answered.
	Tokens int64 `json:"tokens"`
	// Salts is the number of distinct Atlas PBKDF2 salts seen.
	Salts int64 `json:"salts"`
	// LatencyNS is the latency added to each answer now.
	LatencyNS int64 `json:"latency_ns"`
}

// Sub returns c minus o, counter by counter (Open and LatencyNS are c's).
func (c Counters) Sub(o Counters) Counters {
	return Counters{Conns: c.Conns - o.Conns, Hellos: c.Hellos - o.Hellos, Handshakes: c.Handshakes - o.Handshakes,
		Open: c.Open, Requests: c.Requests - o.Requests, Tokens: c.Tokens - o.Tokens, Salts: c.Salts - o.Salts,
		LatencyNS: c.LatencyNS}
}
