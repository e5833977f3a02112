package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Python code asks before it changes anything, as JavaScript does: the
// client that ran it is asked, on the current protocol (rounds) and on
// 2025-11-25 (elicitation during the call), and a denied call writes
// nothing.
func TestPythonApprovalByElicitation(t *testing.T) {
	for _, proto := range []string{"", "2025-11-25"} {
		t.Run("protocol "+firstNonEmptyString(proto, "latest"), func(t *testing.T) {
			chome, root, _ := approvalSetup(t)
			p := &person{}
			var sopts *mcp.ClientSessionOptions
			if proto != "" {
				sopts = &mcp.ClientSessionOptions{ProtocolVersion: proto}
			}
			c := startConductorWith(t, &mcp.ClientOptions{ElicitationHandler: p.handler}, sopts, "MCP_CONDUCTOR_HOME="+chome)
			allowed, denied := filepath.Join(root, "py-allowed.txt"), filepath.Join(root, "py-denied.txt")
			code := fmt.Sprintf(`fs = await mcp_factory.load("filesystem")
out = []
for path in [%q, %q]:
    try:
        await fs.write_file({"path": path, "content": "written"})
        out.append("ok")
    except Exception as e:
        out.append(str(e))
out`, allowed, denied)
			p.say("allow once", "deny")
			r := c.runPy(code, nil).mustSucceed(t)
			got := fmt.Sprint(r.ReturnValue)
			if !exists(allowed) || exists(denied) || !strings.Contains(got, "denied") {
				t.Fatalf("allowed written %v, denied written %v; result %s", exists(allowed), exists(denied), r.raw)
			}
			if msgs := p.asked(); len(msgs) != 2 || !strings.Contains(msgs[0], "py-allowed.txt") || !strings.Contains(msgs[1], "py-denied.txt") {
				t.Fatalf("questions: %q", msgs)
			}
		})
	}
}
