// Command kycresty imports kyc and resty, calling kyc.IsCountryCode and
// linking resty.New: what kyc adds to a program that already has resty,
// measured by importcost.
package main

import (
	"os"

	"github.com/go-resty/resty/v2"

	"github.com/kyc-go/kyc"
)

func main() {
	if !kyc.IsCountryCode("ESP") {
		os.Exit(1)
	}
	if len(os.Args) > 1 {
		resty.New()
	}
}
