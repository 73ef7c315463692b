package atlas

// SetMaxRequestBytes lowers the vendor's request limit of one client, so
// that tests of the caps need not send 100 MB.
func SetMaxRequestBytes(c *Client, n int64) { c.maxBody = n }
