// Command onlynethttp imports only net/http, a reference row of
// importcost: the client is linked but not used (main returns at once).
package main

import (
	"net/http"
	"os"
)

func main() {
	if len(os.Args) > 1 {
		_, _ = http.Get(os.Args[1])
	}
}
