package verificar

import (
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
)

// dateLayouts are the documented dd/mm/yyyy and forms seen nearby.
var dateLayouts = []string{"02/01/2006", "2/1/2006", "02-01-2006", "2006-01-02"}

// mapReport turns Estado and the Result of a report into a kyc.Result
// (without Reference and Raw).
func mapReport(estado int64, res *result) *kyc.Result {
	out := &kyc.Result{Provider: kyc.Verificar, Status: kyc.StatusPending}
	switch {
	case estado == EstadoFinished:
		out.Status, out.Reasons = decideResultado(res)
	case estado == EstadoRejected:
		out.Status = kyc.StatusRejected
		out.Reasons = []kyc.Reason{kyc.ReasonOther}
		if res != nil && res.HasResultado {
			if o, ok := resultadoOutcomes[int64(res.Resultado)]; ok && float64(int64(res.Resultado)) == res.Resultado && o.reason != kyc.ReasonNotFinished {
				out.Reasons = []kyc.Reason{o.reason}
			}
		}
	default:
		if s, ok := estadoStatus[estado]; ok {
			out.Status = s
		}
	}
	if res != nil {
		out.Scores = scores(res)
		out.Document = document(res)
	}
	return out
}

// decideResultado maps the Resultado of a finished process (Estado 5001).
func decideResultado(res *result) (kyc.Status, []kyc.Reason) {
	if res == nil || !res.HasResultado {
		return kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}
	}
	v := res.Resultado
	switch {
	case v >= MinSimilarity && isYes(res.PruebaDeVida):
		return kyc.StatusApproved, nil
	case v >= MinSimilarity:
		return kyc.StatusReview, []kyc.Reason{kyc.ReasonLivenessFailed}
	case v >= 0:
		return kyc.StatusReview, []kyc.Reason{kyc.ReasonFaceMismatch}
	}
	if o, ok := resultadoOutcomes[int64(v)]; ok && float64(int64(v)) == v {
		return o.status, []kyc.Reason{o.reason}
	}
	return kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}
}

func isYes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "si", "sí", "yes":
		return true
	}
	return false
}

func isNo(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "no") }

// scores: FaceMatch from ParecidoPersonaDNI (a percentage), Liveness 1 or 0
// from PruebaDeVida.
func scores(res *result) kyc.Scores {
	var s kyc.Scores
	if res.HasParecido {
		s.FaceMatch = kyc.NewScore(res.ParecidoPersonaDNI / 100)
	}
	switch {
	case isYes(res.PruebaDeVida):
		s.Liveness = kyc.NewScore(1)
	case isNo(res.PruebaDeVida):
		s.Liveness = kyc.NewScore(0)
	}
	return s
}

// document maps the DNI block: Nombre is "SURNAMES, NAME", dates dd/mm/yyyy.
func document(res *result) *kyc.DocumentData {
	d := res.DNI
	if d == nil {
		return nil
	}
	doc := &kyc.DocumentData{
		Type:           docTypes[strings.ToUpper(strings.TrimSpace(d.TipoDocumento))],
		Number:         strings.TrimSpace(d.DNI),
		DateOfBirth:    tolerant.Date(d.FechaNacimiento, dateLayouts...),
		ExpiryDate:     tolerant.Date(d.FechaExpira, dateLayouts...),
		Sex:            strings.ToUpper(strings.TrimSpace(d.Sexo)),
		Nationality:    strings.TrimSpace(d.Nacionalidad),
		IssuingCountry: strings.TrimSpace(d.Pais),
	}
	if doc.Number == "" {
		doc.Number = strings.TrimSpace(res.DNIAnverso)
	}
	name := strings.TrimSpace(d.Nombre)
	if last, first, ok := strings.Cut(name, ","); ok {
		doc.LastName, doc.FirstName = strings.TrimSpace(last), strings.TrimSpace(first)
		doc.FullName = strings.TrimSpace(doc.FirstName + " " + doc.LastName)
	} else {
		doc.FullName = name
	}
	for k, v := range map[string]string{
		"NumeroSerie": d.NumeroSerie, "TipoDocumento": d.TipoDocumento, "Caducado": d.Caducado, "Edad": d.Edad,
	} {
		if s := strings.TrimSpace(v); s != "" {
			if doc.Extra == nil {
				doc.Extra = map[string]string{}
			}
			doc.Extra[k] = s
		}
	}
	return doc
}
