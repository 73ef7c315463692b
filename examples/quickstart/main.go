// Command quickstart runs one verification per provider against the
// in-process fakes, with no credentials.
package main

import "fmt"

func main() {
	fmt.Println("kyc-go quickstart: no providers yet")
}
