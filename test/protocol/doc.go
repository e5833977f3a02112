// Package protocol holds the tests that check the conductor against the
// MCP ecosystem's own tools, driving the real binary:
//
//   - the official conformance suite (@modelcontextprotocol/conformance)
//     against `mcp-conductor --http`, through a loopback proxy that adds
//     the bearer token (the suite cannot send headers); the scenarios that
//     do not apply are listed, each with its reason, in
//     conformance-baseline.yml, and any other failure or warning fails the
//     test, as does a baseline entry that no longer fails;
//   - the MCP Inspector's CLI (@modelcontextprotocol/inspector --cli)
//     against `mcp-conductor --stdio`: tools/list passes its --strict
//     schema checks with no finding at all, and calls come back as the
//     README documents.
//
// The tools, and the Node.js 22 they need, come from the npm registry,
// pinned in package-lock.json beside this file, and are installed by `make
// protocol-tools` (part of `make test`). In CI a missing tool fails the
// test; elsewhere it skips it.
package protocol
