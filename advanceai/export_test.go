package advanceai

// DropToken forgets the cached token, so the next call fetches one: the
// baseline of BenchmarkVerifyTokenPerCall.
func (c *Client) DropToken() {
	c.tokens.Forget(func(string) bool { return true })
}
