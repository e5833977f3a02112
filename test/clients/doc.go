// Package clientcli holds the tests that register mcp-conductor with the
// real MCP client CLIs (Claude Code, Gemini CLI, Codex, Cline, Qwen Code,
// opencode) in a temporary home and ask each client, with its own command,
// whether it sees the entry and connects to it. The CLIs come from the npm
// registry, pinned in package-lock.json beside this file, and are installed
// by `make client-clis` (part of `make test`). In CI a missing CLI fails the
// test; elsewhere it skips it.
package clientcli
