package incodetest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/kyc-go/kyc/internal/shape"
)

// Deletion is one DELETE /omni/interviews the fake served, as the client
// sent it.
type Deletion struct {
	// IDs are the interview ids of filter.ids.
	IDs []string
	// DeletePIIDataOnly, SendNotification and RelatedEntitiesToKeep are
	// config's fields.
	DeletePIIDataOnly     bool
	SendNotification      bool
	RelatedEntitiesToKeep []string
}

// Format implements fmt.Formatter: it prints the shape only, under every
// verb (see format.go).
func (d Deletion) Format(f fmt.State, verb rune) { shape.Format(f, verb, d) }

// GoString prints the shape with the type name, as %#v does.
func (d Deletion) GoString() string { return shape.GoString(d) }

// Deletions returns the deletions the fake served, oldest first.
func (s *Server) Deletions() []Deletion {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Deletion, len(s.deletions))
	for i, d := range s.deletions {
		d.IDs, d.RelatedEntitiesToKeep = slices.Clone(d.IDs), slices.Clone(d.RelatedEntitiesToKeep)
		out[i] = d
	}
	return out
}

// erase serves DELETE /omni/interviews, the session deletion of Incode's
// sample code (see incode.Client.Erase): only with an executive token
// (401 otherwise), a body {"filter":{"ids":[…]},"config":{…}} with at
// least one id and config.deletePiiDataOnly given (400 otherwise). It
// records the Deletion and forgets every named session, so that its token
// and its reads answer as for an unknown session. Incode documents no
// answer: the fake answers 200 with {}, for known and unknown ids alike.
func (s *Server) erase(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	exec := s.exec[r.Header.Get("X-Incode-Hardware-Id")]
	s.mu.Unlock()
	if !exec {
		writeError(w, r, http.StatusUnauthorized, 401, "Unauthorized", "Deleting sessions needs an executive token")
		return
	}
	var req struct {
		Filter struct {
			IDs []string `json:"ids"`
		} `json:"filter"`
		Config struct {
			DeletePIIDataOnly     *bool    `json:"deletePiiDataOnly"`
			SendNotification      bool     `json:"sendNotification"`
			RelatedEntitiesToKeep []string `json:"relatedEntitiesToKeep"`
		} `json:"config"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		badRequest(w, r, "Malformed body")
		return
	}
	if len(req.Filter.IDs) == 0 || slices.Contains(req.Filter.IDs, "") || req.Config.DeletePIIDataOnly == nil {
		badRequest(w, r, "filter.ids and config.deletePiiDataOnly are required")
		return
	}
	s.mu.Lock()
	for _, id := range req.Filter.IDs {
		if ss, ok := s.byID[id]; ok {
			delete(s.sessions, ss.token)
			delete(s.byID, id)
		}
	}
	s.deletions = append(s.deletions, Deletion{IDs: req.Filter.IDs, DeletePIIDataOnly: *req.Config.DeletePIIDataOnly,
		SendNotification: req.Config.SendNotification, RelatedEntitiesToKeep: req.Config.RelatedEntitiesToKeep})
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{})
}
