package advanceai

// DropToken forgets the cached token, so the next call fetches one: the
// baseline of BenchmarkVerifyTokenPerCall.
func (c *Client) DropToken() {
	c.tokens.Forget(func(string) bool { return true })
}

// TokenWaiters is how many callers wait for the token fetch in flight.
func (c *Client) TokenWaiters() int { return c.tokens.Waiters() }
