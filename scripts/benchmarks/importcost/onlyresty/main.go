// Command onlyresty imports only resty, the baseline of importcost: the
// client is linked but not built (main returns at once).
package main

import (
	"os"

	"github.com/go-resty/resty/v2"
)

func main() {
	if len(os.Args) > 1 {
		resty.New()
	}
}
