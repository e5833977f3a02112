// Package devpath tests the developer entry points of the Makefile from a
// clean copy of the repository, as a new developer (or an MCP client
// pointed at `make run`) meets them.
package devpath
