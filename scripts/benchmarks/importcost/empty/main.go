// Command empty imports nothing, the floor of importcost: the runtime's own
// start-up.
package main

func main() {}
