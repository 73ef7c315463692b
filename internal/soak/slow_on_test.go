//go:build slow || soak

package soak_test

// slowTests: this build runs the soak and the fault matrices.
const slowTests = true
