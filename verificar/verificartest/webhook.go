package verificartest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
)

// Webhook is one status report, for SendWebhook, PostWebhook and Body.
type Webhook struct {
	// URL is where to POST the report.
	URL string
	// ID is the request's ID, as SendVerification returned it. It is sent
	// as it is, so a test can send a malformed one.
	ID string
	// Estado is the documented status: 3000-3003, 5000, 5001, 5100, 5500.
	Estado int
	// Resultado is the outcome carried in Result (Estado 5001, 5100, 5500):
	// a similarity of 80-100, or a documented negative code (-1..-9). 0
	// means the documentation's sample, 93.957847595214844.
	Resultado int
	// Magic, when set, is a kyctest magic input (kyctest.ImageExpired...):
	// Estado and Resultado are then those of Outcome(Magic).
	Magic string
	// Form sends application/x-www-form-urlencoded instead of JSON.
	Form bool
	// User and Password are sent as Basic auth. For SendWebhook, an empty
	// User means the fake's WebhookUser and WebhookPassword, unless NoAuth
	// is set; PostWebhook sends Basic auth only when User is set.
	User, Password string
	// NoAuth sends the report without credentials.
	NoAuth bool
}

// sampleSimilarity is the Resultado of the documentation's sample.
const sampleSimilarity = 93.957847595214844

// Outcome returns the report the fake sends for a kyctest magic input (see
// the package doc's table): Estado and Resultado of a finished process
// (5001). produced is false for the inputs Mensatek cannot express; the
// report is then the approved one.
func Outcome(magic string) (wh Webhook, produced bool) {
	resultado, produced := map[string]int{
		kyctest.ImageApproved:       0, // the sample: 93.96, PruebaDeVida Si
		kyctest.ImageFaceMismatch:   -8,
		kyctest.ImageFaceBorderline: verificar.MinSimilarity - 1,
		kyctest.ImageLivenessFailed: -6,
		kyctest.ImageExpired:        -5,
		kyctest.ImageUnderage:       -2,
		kyctest.ImageReview:         -1,
		kyctest.ImageNotFinished:    -7,
	}[magic]
	return Webhook{Estado: verificar.EstadoFinished, Resultado: resultado}, produced
}

// WebhookPayload returns the JSON body Mensatek POSTs when request id
// reaches state estado: the documented fields, the nested ones as JSON
// strings, and for 5001, 5100 and 5500 the documentation's sample Result.
// It is what `kyc webhook` sends; PostWebhook POSTs it.
func WebhookPayload(id string, estado int) []byte {
	_, b := Webhook{ID: id, Estado: estado}.Body()
	return b
}

// Body returns the Content-Type and the documented body of the report wh
// describes, with the nested fields as JSON strings, as Mensatek sends
// them. The phone is SamplePhone (fiction); Server.WebhookBody uses
// the fake's record of the send instead.
func (wh Webhook) Body() (contentType string, body []byte) {
	return wh.body(sendRecord{phone: SamplePhone, at: time.Now()})
}

func (wh Webhook) body(rec sendRecord) (string, []byte) {
	if wh.Magic != "" {
		o, _ := Outcome(wh.Magic)
		wh.Estado, wh.Resultado = o.Estado, o.Resultado
	}
	fields := map[string]string{
		"Servicio":            verificar.ServiceIdentity,
		"ID":                  wh.ID,
		"FechaEnvio":          rec.at.Format(verificar.SendAtLayout),
		"Estado":              strconv.Itoa(wh.Estado),
		"UltimaActualizacion": time.Now().Format(verificar.SendAtLayout),
		"Acceso":              `{"Fecha":"2021-09-04 19:37:21","IP":"85.10.20.221","Puerto":"11892"}`,
		"Telefono":            rec.phone,
		"DNISolicitado":       rec.dni,
		"Posicion":            `{"Direccion":"C. de las calles, 8B, 28333 Madrid, Spain","Coordenadas":{"Longitud":"-1.6592592","Latitud":"4.4577993","Altura":75.70229058041491,"Precision":15.265999794006348}}`,
		"Dispositivo":         `{"browser":"Chrome 92.0.4515.131","SysOp":"Android 11","displayResolution":"360 x 800"}`,
	}
	switch wh.Estado {
	case verificar.EstadoFinished, verificar.EstadoValidated, verificar.EstadoRejected:
		fields["DNIAnverso"], fields["DNIReverso"] = "00000000T", "00000000T"
		fields["Result"] = resultJSON(wh.Resultado, rec.dni)
	}
	if wh.Form {
		v := url.Values{}
		for k, x := range fields {
			v.Set(k, x)
		}
		return "application/x-www-form-urlencoded", []byte(v.Encode())
	}
	b, _ := json.Marshal(fields) // strings only
	return "application/json", b
}

// WebhookBody returns the Content-Type and the documented body of the
// report wh describes. The phone and requested DNI are those of the send
// with wh.ID when the fake made it.
func (s *Server) WebhookBody(wh Webhook) (contentType string, body []byte) {
	s.mu.Lock()
	rec, ok := s.sent[wh.ID]
	s.mu.Unlock()
	if !ok {
		rec = sendRecord{phone: SamplePhone, at: time.Now()}
	}
	return wh.body(rec)
}

// resultJSON is the documentation's Result sample, changed to match the
// outcome resultado.
func resultJSON(resultado int, dni string) string {
	var similarity any = sampleSimilarity
	score := any(sampleSimilarity)
	if resultado != 0 {
		similarity = resultado
		if resultado > 0 {
			score = resultado
		} else {
			score = 42.5
		}
	}
	yesNo := func(b bool) string {
		if b {
			return "Si"
		}
		return "No"
	}
	age, birth := 66, "18/12/1955"
	if resultado == -2 {
		age, birth = 16, "18/12/"+strconv.Itoa(time.Now().Year()-16)
	}
	matches := "N/A"
	if dni != "" {
		matches = yesNo(resultado != -9)
	}
	r := map[string]any{
		"Resultado":               similarity,
		"DNIAnverso":              "00000000T",
		"DNIReverso":              "00000000T",
		"AnversoReversoCoinciden": yesNo(resultado != -3),
		"DNISolicitado":           dni,
		"DNISolicitadoCoincide":   matches,
		"DNI": map[string]any{
			"Edad": age, "FechaNacimiento": birth, "DNI": "00000000T", "Nacionalidad": "ESP", "Pais": "ESP",
			"Nombre": "APARICIO GARCIA,RAFAEL", "NumeroSerie": "BGT78666", "TipoDocumento": "ID-1", "Sexo": "M",
			"FechaExpira": "19/10/2027", "Caducado": yesNo(resultado == -5),
		},
		"ProcesoRelizadoMismaPersona": yesNo(resultado != -4),
		"Barba":                       "No", "Bigote": "No", "GafasLectura": "No", "GafasSol": "No",
		"Sexo":               "Hombre con probabilidad de 99.599784851074%",
		"RangoAparenteEdad":  "44-62",
		"Dispositivo":        "Android.v11-Chrome.v92.0.4515.131",
		"ParecidoPersonaDNI": score,
		"PruebaDeVida":       yesNo(resultado != -6),
	}
	if resultado == -5 {
		r["DNI"].(map[string]any)["FechaExpira"] = "19/10/2020"
	}
	b, _ := json.Marshal(r)
	return string(b)
}

// SendWebhook POSTs the report wh describes to wh.URL, as Mensatek does,
// with the fake's webhook credentials unless wh says otherwise, and returns
// the receiver's HTTP status. It uses the client WithWebhookClient set.
func (s *Server) SendWebhook(ctx context.Context, wh Webhook) (int, error) {
	if wh.User == "" && !wh.NoAuth {
		wh.User, wh.Password = WebhookUser, WebhookPassword
	}
	if wh.URL == "" {
		return 0, errors.New("verificartest: Webhook needs a URL")
	}
	ct, body := s.WebhookBody(wh)
	return kyctest.Deliver(ctx, s.hc, delivery(wh, ct, body))
}

// PostWebhook POSTs the report wh describes to wh.URL with hc (nil means
// http.DefaultClient), with Basic auth when wh.User is set, and returns the
// receiver's HTTP status. It needs no fake: `kyc webhook` and tests of a
// deployed handler use it.
func PostWebhook(ctx context.Context, hc *http.Client, wh Webhook) (int, error) {
	if wh.URL == "" {
		return 0, errors.New("verificartest: Webhook needs a URL")
	}
	ct, body := wh.Body()
	return kyctest.Deliver(ctx, hc, delivery(wh, ct, body))
}

// delivery is the report Mensatek sends: once, with Basic auth when
// wh.User is set and wh.NoAuth is not.
func delivery(wh Webhook, contentType string, body []byte) kyctest.Delivery {
	d := kyctest.Delivery{URL: wh.URL, ContentType: contentType, Body: body}
	if !wh.NoAuth {
		d.Authorization = kyctest.BasicAuth(wh.User, wh.Password)
	}
	return d
}
