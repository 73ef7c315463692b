package advanceai

// DropToken forgets the cached token, so the next call fetches one: the
// baseline of BenchmarkVerifyTokenPerCall.
func (c *Client) DropToken() {
	c.tokens.mu.Lock()
	defer c.tokens.mu.Unlock()
	c.tokens.tok = ""
}
