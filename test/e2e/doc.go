// Package e2e is the conductor's end-to-end suite: it builds the real
// binary and drives it the way MCP clients and administrators do (over
// stdio and HTTP with the go-sdk client, from the command line), with the
// real Deno, real upstream MCP servers and the real kernel. The adversarial
// tests (e2e_security, e2e_pathid, e2e_channel, …) plant canaries and check
// that they did not leak. Run with `go test ./test/e2e/` (part of ./...).
package e2e
