// Command withkyc imports the root package kyc and calls only
// kyc.IsCountryCode: the import cost of kyc, measured by importcost.
package main

import (
	"os"

	"github.com/kyc-go/kyc"
)

func main() {
	if !kyc.IsCountryCode("ESP") {
		os.Exit(1)
	}
}
