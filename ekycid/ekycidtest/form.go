package ekycidtest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"strings"
)

// formValue reads one text field of a recorded multipart body.
func formValue(contentType string, body []byte, name string) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return ""
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return ""
		}
		if p.FormName() == name && p.FileName() == "" {
			b, _ := io.ReadAll(io.LimitReader(p, 256))
			return string(b)
		}
	}
}
