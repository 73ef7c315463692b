//go:build !slow && !soak

package soak_test

// slowTests: the normal suite leaves the soak and the fault matrices to
// -tags slow, which .ci/run runs as a step of its own.
const slowTests = false
