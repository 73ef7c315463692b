// Package docs holds the tests that keep README.md true: every environment
// variable an example reads is listed, the provider table matches each
// client's Capabilities, every performance figure quoted is one that
// BENCHMARKS.md holds, and every test command it shows is one .ci/run runs.
// Run them on another copy of the README with
//
//	go test ./internal/docs -args -readme /path/to/README.md
package docs
