module github.com/kyc-go/kyc/kycvcr

go 1.24

require (
	github.com/kyc-go/kyc v0.2.0
	github.com/stretchr/testify v1.12.1
	gopkg.in/dnaeon/go-vcr.v4 v4.0.8
)

require (
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	github.com/nyaruka/phonenumbers v1.8.1 // indirect
	github.com/sony/gobreaker/v2 v2.4.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	go.yaml.in/yaml/v4 v4.0.0 // indirect
	golang.org/x/net v0.43.0 // indirect
	golang.org/x/text v0.28.0 // indirect
	golang.org/x/time v0.12.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
