package backend

import (
	"errors"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
)

func TestClientStatusFlags(t *testing.T) {
	cursor, err := clients.Find("cursor")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		st   clients.Status
		want ClientStatus
	}{
		{clients.Status{State: clients.NotInstalled},
			ClientStatus{State: "not installed"}},
		{clients.Status{State: clients.Installed},
			ClientStatus{State: "installed", Installed: true}},
		{clients.Status{State: clients.Registered},
			ClientStatus{State: "registered", Installed: true, Configured: true,
				Detail: "Restart Cursor after a change to apply it."}},
		{clients.Status{State: clients.Drifted, Differs: []string{"args", "env"}},
			ClientStatus{State: "registered-but-different", Installed: true, Configured: true, Drifted: true,
				Differs: "args, env", Detail: "Someone changed the entry (args, env); Repair rewrites it."}},
		{clients.Status{State: clients.Disabled, Reason: `the client set "disabled": true in the entry`, Reenable: true},
			ClientStatus{State: "disabled", Installed: true, Configured: true, Reenable: true,
				Detail: `Cursor has the entry switched off: the client set "disabled": true in the entry. Register turns it back on.`}},
		{clients.Status{State: clients.Blocked, Reason: "deniedMcpServers in /etc/x.json names mcp-conductor; ask your administrator"},
			ClientStatus{State: "blocked", Installed: true, Configured: true,
				Detail: "Cursor will not start it: deniedMcpServers in /etc/x.json names mcp-conductor; ask your administrator."}},
		{clients.Status{State: clients.Unreadable, Err: errors.New("line 3: unexpected }")},
			ClientStatus{State: "unreadable", Installed: true, Detail: "line 3: unexpected }"}},
	}
	for _, tt := range tests {
		t.Run(tt.want.State, func(t *testing.T) {
			tt.st.Client, tt.st.Path = cursor, "/h/.cursor/mcp.json"
			tt.want.ID, tt.want.Name, tt.want.ConfigPath = "cursor", "Cursor", "/h/.cursor/mcp.json"
			if got := clientStatus(tt.st); got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
