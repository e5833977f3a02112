package backend

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

func TestMaskedValues(t *testing.T) {
	tests := []struct {
		value  string
		masked bool
	}{
		{"s3cret", true},
		{"production", true},
		{"${env:GH_TOKEN}", false},
		{"Bearer ${env:GH_TOKEN}", false},
		{"${env:A}:${env:B}", true}, // text between references may be anything
		{"abc${env:A}", true},
		{"", true},
	}
	for _, tt := range tests {
		if got := masked(tt.value); got != tt.masked {
			t.Errorf("masked(%q) = %v, want %v", tt.value, got, tt.masked)
		}
	}
}

func TestServerBindings(t *testing.T) {
	f := withDeno(t)
	path := filepath.Join(f.home, "mcp-config.json")
	everything := ServerForm{Name: "demo", Command: "node", Args: []string{"index.js", "stdio"},
		Env: []Secret{{Name: "API_KEY", Value: "k-123"}, {Name: "TOKEN_REF", Value: "${env:MY_TOKEN}"}}}

	tests := []struct {
		name    string
		do      func() (ServersView, error)
		wantErr string
		// file holds substrings the file must have afterwards.
		file  []string
		check func(t *testing.T, v ServersView)
	}{
		{name: "add a stdio server",
			do:   func() (ServersView, error) { return f.b.SaveMCPServer(t.Context(), "", everything) },
			file: []string{`"API_KEY": "k-123"`, `"TOKEN_REF": "${env:MY_TOKEN}"`},
			check: func(t *testing.T, v ServersView) {
				s := v.Servers[0]
				want := []Secret{{Name: "API_KEY", Stored: true}, {Name: "TOKEN_REF", Value: "${env:MY_TOKEN}"}}
				if s.Name != "demo" || s.Transport != "stdio" || !reflect.DeepEqual(s.Env, want) {
					t.Errorf("view %+v", s)
				}
			}},
		{name: "edit keeps a stored secret sent back masked",
			do: func() (ServersView, error) {
				e := everything
				e.Env = []Secret{{Name: "API_KEY", Stored: true}}
				e.Description = "demo server"
				return f.b.SaveMCPServer(t.Context(), "demo", e)
			},
			file: []string{`"API_KEY": "k-123"`, `"description": "demo server"`}},
		{name: "a new value replaces the secret",
			do: func() (ServersView, error) {
				e := everything
				e.Env = []Secret{{Name: "API_KEY", Value: "k-456", Stored: true}}
				return f.b.SaveMCPServer(t.Context(), "demo", e)
			},
			file: []string{`"API_KEY": "k-456"`}},
		{name: "a masked value with no stored one is refused",
			do: func() (ServersView, error) {
				e := everything
				e.Env = []Secret{{Name: "OTHER", Stored: true}}
				return f.b.SaveMCPServer(t.Context(), "demo", e)
			},
			wantErr: "OTHER has no stored value"},
		{name: "an http server; stdio fields are dropped",
			do: func() (ServersView, error) {
				return f.b.SaveMCPServer(t.Context(), "", ServerForm{Name: "remote", URL: "https://example.com/mcp", Args: []string{"x"},
					Headers: []Secret{{Name: "Authorization", Value: "Bearer ${env:GH}"}}})
			},
			file: []string{`"remote": {`, `"Authorization": "Bearer ${env:GH}"`},
			check: func(t *testing.T, v ServersView) {
				s := v.Servers[1]
				if s.Transport != "http" || len(s.Args) != 0 || s.Headers[0].Value != "Bearer ${env:GH}" {
					t.Errorf("view %+v", s)
				}
			}},
		{name: "rename", do: func() (ServersView, error) {
			return f.b.SaveMCPServer(t.Context(), "remote", ServerForm{Name: "far", URL: "https://example.com/mcp"})
		}, file: []string{`"far": {`}},
		{name: "duplicate name", do: func() (ServersView, error) {
			return f.b.SaveMCPServer(t.Context(), "", ServerForm{Name: "far", Command: "x"})
		},
			wantErr: "already exists"},
		{name: "neither command nor url", do: func() (ServersView, error) { return f.b.SaveMCPServer(t.Context(), "", ServerForm{Name: "x"}) },
			wantErr: `needs "command"`},
		{name: "an env row without a name", do: func() (ServersView, error) {
			return f.b.SaveMCPServer(t.Context(), "", ServerForm{Name: "x", Command: "y", Env: []Secret{{Value: "v"}}})
		}, wantErr: "a value has no name"},
		{name: "approval rules", do: func() (ServersView, error) {
			return f.b.SaveMCPServer(t.Context(), "far", ServerForm{Name: "far", URL: "https://example.com/mcp",
				ApprovalDefault: "ask", ApprovalAsk: []string{" create_* ", ""}, ApprovalDeny: []string{"delete_repo"}, ApprovalAllow: []string{"get_*"}})
		},
			file: []string{`"approval": {`, `"default": "ask"`, `["create_*"]`, `["delete_repo"]`},
			check: func(t *testing.T, v ServersView) {
				s := v.Servers[1]
				if s.ApprovalDefault != "ask" || !reflect.DeepEqual(s.ApprovalAsk, []string{"create_*"}) || !reflect.DeepEqual(s.ApprovalAllow, []string{"get_*"}) {
					t.Errorf("view %+v", s)
				}
			}},
		{name: "the form sent back as shown keeps the rules", do: func() (ServersView, error) {
			v, _ := f.b.MCPServers(t.Context())
			form := v.Servers[1].ServerForm
			form.ApprovalAllow = append(form.ApprovalAllow, "list_*")
			return f.b.SaveMCPServer(t.Context(), "far", form)
		},
			file: []string{`["delete_repo"]`, `["create_*"]`, `["get_*", "list_*"]`, `"default": "ask"`}},
		{name: "a bad rule is refused", do: func() (ServersView, error) {
			return f.b.SaveMCPServer(t.Context(), "far", ServerForm{Name: "far", URL: "https://example.com/mcp", ApprovalDefault: "sometimes"})
		}, wantErr: "use allow, ask or deny"},
		{name: "ask for changes", do: func() (ServersView, error) { return f.b.SetAskForChanges(t.Context(), true) },
			file: []string{`"askForChanges": true`},
			check: func(t *testing.T, v ServersView) {
				if !v.AskForChanges {
					t.Errorf("the switch is off in the view")
				}
			}},
		{name: "disable", do: func() (ServersView, error) { return f.b.SetMCPServerDisabled(t.Context(), "far", true) },
			file: []string{`"disabled": true`},
			check: func(t *testing.T, v ServersView) {
				if !v.Servers[1].Disabled {
					t.Errorf("far not disabled: %+v", v.Servers)
				}
			}},
		{name: "remove", do: func() (ServersView, error) { return f.b.RemoveMCPServer(t.Context(), "far") },
			check: func(t *testing.T, v ServersView) {
				if len(v.Servers) != 1 {
					t.Errorf("servers %+v", v.Servers)
				}
			}},
		{name: "remove a missing one", do: func() (ServersView, error) { return f.b.RemoveMCPServer(t.Context(), "nope") }, wantErr: `no server named "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(path)
			v, err := tt.do()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if after, _ := os.ReadFile(path); string(after) != string(before) {
					t.Error("a refused edit changed the file")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.Path != path || v.Error != "" {
				t.Errorf("view path %s error %q", v.Path, v.Error)
			}
			b, _ := os.ReadFile(path)
			for _, w := range tt.file {
				if !strings.Contains(string(b), w) {
					t.Errorf("file lacks %q:\n%s", w, b)
				}
			}
			if tt.check != nil {
				tt.check(t, v)
			}
			got, _ := f.b.MCPServers(t.Context())
			if !reflect.DeepEqual(got, v) {
				t.Errorf("MCPServers() = %+v, differs from the view returned %+v", got, v)
			}
		})
	}
	backups, _ := filepath.Glob(filepath.Join(f.home, "backups", "mcp-config", "*_mcp-config.json"))
	if len(backups) < 5 {
		t.Errorf("%d backups, want one per write", len(backups))
	}
}

func TestInvalidServersFileIsShownNotWritten(t *testing.T) {
	f := withDeno(t)
	path := filepath.Join(f.home, "mcp-config.json")
	bad := "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\",, }\n  }\n}\n"
	os.WriteFile(path, []byte(bad), 0o600)
	v, err := f.b.MCPServers(t.Context())
	if err != nil || !strings.Contains(v.Error, "line 3, column") {
		t.Fatalf("MCPServers() = %+v, %v; want the error with its position", v, err)
	}
	if _, err := f.b.SaveMCPServer(t.Context(), "", ServerForm{Name: "b", Command: "y"}); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("save into an invalid file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != bad {
		t.Errorf("the invalid file was changed")
	}
}

func TestTestMCPServer(t *testing.T) {
	f := withDeno(t)
	node := testenv.Node(t)
	index := testenv.NodeModule(t, "@modelcontextprotocol/server-everything/dist/index.js")
	form := ServerForm{Name: "everything", Command: node, Args: []string{index, "stdio"}, DenyTools: []string{"echo"}}

	// Unsaved: it is tested as the form says.
	res0, err := f.b.TestMCPServer(t.Context(), "", form)
	if err != nil || res0.Probe == nil {
		t.Fatalf("%+v %v", res0.Failure, err)
	}
	tools := map[string]bool{}
	for _, tool := range res0.Probe.Tools {
		tools[tool.Name] = tool.Allowed
	}
	if allowed, ok := tools["echo"]; !ok || allowed || len(tools) < 5 {
		t.Errorf("tools %v: want many, with echo listed but denied", tools)
	}
	// Saved with a secret, then tested with the secret sent back masked.
	form.Env = []Secret{{Name: "K", Value: "v"}}
	if _, err := f.b.SaveMCPServer(t.Context(), "", form); err != nil {
		t.Fatal(err)
	}
	form.Env = []Secret{{Name: "K", Stored: true}}
	if r, err := f.b.TestMCPServer(t.Context(), "everything", form); err != nil || r.Failure != nil {
		t.Errorf("test of the saved entry: %+v %v", r.Failure, err)
	}
	// The list shows the engine's view: not started, then connected once
	// code has used the server.
	status := func() string {
		v, err := f.b.MCPServers(t.Context())
		if err != nil || len(v.Servers) != 1 {
			t.Fatalf("servers: %+v %v", v, err)
		}
		return v.Servers[0].Status
	}
	if st := status(); st != "not connected" {
		t.Errorf("status before use = %q", st)
	}
	res, err := f.run(RunRequest{Code: `(await (await mcpFactory.load("everything")).callTool("get-sum", { a: 1, b: 2 }))`})
	if err != nil || res.Status != "success" {
		t.Fatalf("run: %v %+v", err, res)
	}
	if st := status(); st != "connected" {
		t.Errorf("status after use = %q", st)
	}
	form.Command = filepath.Join(f.user, "missing-program")
	if r, err := f.b.TestMCPServer(t.Context(), "everything", form); err != nil || r.Failure == nil || !strings.Contains(r.Failure.Message, "was not found") {
		t.Errorf("a missing program: %+v %v", r.Failure, err)
	}
}

// TestTestConnectionFailures: a failed test says what happened in one
// sentence, what to check, and shows what the program printed, never a
// chain of Go errors or a made-up timeout.
func TestTestConnectionFailures(t *testing.T) {
	f := withDeno(t)
	node := testenv.Node(t)
	refused := httptest.NewServer(http.NotFoundHandler())
	refused.Close()
	locked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no token", http.StatusUnauthorized)
	}))
	defer locked.Close()
	tests := []struct {
		name          string
		form          ServerForm
		message, hint string
		stderr        string // a line the program printed
	}{
		{"wrong script path", ServerForm{Name: "s", Command: node, Args: []string{"/nowhere/index.js"}},
			"The program ended with exit status 1 before it answered.", "arguments", "Cannot find module '/nowhere/index.js'"},
		{"exits silently", ServerForm{Name: "s", Command: node, Args: []string{"-e", "process.exit(3)"}},
			"The program ended with exit status 3 before it answered, and printed nothing.", "arguments", ""},
		{"missing program", ServerForm{Name: "s", Command: "no-such-program-7f3"},
			`The program "no-such-program-7f3" was not found.`, "full path", ""},
		{"nothing listens", ServerForm{Name: "h", URL: refused.URL + "/mcp"},
			"Nothing answers at " + strings.TrimPrefix(refused.URL, "http://") + ".", "port", ""},
		{"wants a token", ServerForm{Name: "h", URL: locked.URL + "/mcp"},
			"HTTP status 401", "headers", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r, err := f.b.TestMCPServer(t.Context(), "", tt.form)
			if err != nil || r.Failure == nil {
				t.Fatalf("%+v %v", r, err)
			}
			fl := r.Failure
			if !strings.Contains(fl.Message, tt.message) || !strings.Contains(fl.Hint, tt.hint) ||
				strings.Contains(fl.Message, "no answer within") && time.Since(start) < time.Minute {
				t.Errorf("failure %+v", fl)
			}
			if strings.Contains(fl.Message, `connect to MCP server`) || strings.Count(fl.Message, ": ") > 1 {
				t.Errorf("message %q is an error chain", fl.Message)
			}
			if got := strings.Join(fl.Stderr, "\n"); !strings.Contains(got, tt.stderr) {
				t.Errorf("stderr %q, want %q in it", got, tt.stderr)
			}
		})
	}
}

func TestServerURLSecretsAreMasked(t *testing.T) {
	f := withDeno(t)
	path := filepath.Join(f.home, "mcp-config.json")
	secretURL := "https://bot:pw-7d1e@mcp.example/v1?api_key=k-93ab&region=eu&ref=${env:REF}"
	masked := "https://REDACTED:REDACTED@mcp.example/v1?api_key=REDACTED&region=REDACTED&ref=${env:REF}"
	v, err := f.b.SaveMCPServer(t.Context(), "", ServerForm{Name: "remote", URL: secretURL})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Servers[0].URL; got != masked {
		t.Fatalf("the page gets %q, want %q", got, masked)
	}
	fileURL := func() string {
		t.Helper()
		got, err := stored(path, "remote")
		if err != nil {
			t.Fatal(err)
		}
		return got.URL
	}
	tests := []struct {
		name, url, want, wantErr string
	}{
		{name: "sent back masked: kept", url: masked, want: secretURL},
		{name: "host edited, masked parts kept", url: strings.Replace(masked, "mcp.example", "mcp2.example", 1),
			want: strings.Replace(secretURL, "mcp.example", "mcp2.example", 1)},
		{name: "a typed value replaces the stored one",
			url:  "https://REDACTED:pw-new@mcp2.example/v1?api_key=REDACTED&region=us",
			want: "https://bot:pw-new@mcp2.example/v1?api_key=k-93ab&region=us"},
		{name: "a masked value with no stored one is refused", url: "https://mcp2.example/v1?token=REDACTED", wantErr: `"token" has no stored value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fileURL()
			v, err := f.b.SaveMCPServer(t.Context(), "remote", ServerForm{Name: "remote", URL: tt.url, Description: tt.name})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || fileURL() != before {
					t.Fatalf("err = %v, want %q and the file unchanged", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := fileURL(); got != tt.want {
				t.Errorf("file has %q, want %q", got, tt.want)
			}
			b, _ := os.ReadFile(path)
			if page := v.Servers[0].URL; strings.Contains(page, "pw-") || strings.Contains(page, "k-93ab") || !strings.Contains(string(b), "k-93ab") {
				t.Errorf("page %q, file:\n%s", page, b)
			}
		})
	}
}
