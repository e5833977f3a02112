package backend

import (
	"context"
	"fmt"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
)

// importFrom are the clients whose servers the MCP servers page offers to
// import.
var importFrom = []string{"cursor", "claude-desktop"}

// ImportCandidate is a server configured in an AI client.
type ImportCandidate struct {
	Client     string `json:"client"`     // client id, e.g. "cursor"
	ClientName string `json:"clientName"` // e.g. "Cursor"
	Path       string `json:"path"`       // the client's file
	Name       string `json:"name"`
	Transport  string `json:"transport"`
	// Summary is the command line or the URL (no env or header values;
	// secret-looking arguments and the URL's user name, password and query
	// values masked).
	Summary string `json:"summary"`
	// Exists reports that mcp-config.json has an entry of that name already.
	Exists bool `json:"exists"`
	// Error says why it cannot be imported; Dropped names the keys that
	// mean nothing to MCP Conductor and are left out.
	Error   string   `json:"error"`
	Dropped []string `json:"dropped"`
}

// ImportPick names one server to import.
type ImportPick struct {
	Client string `json:"client"`
	Name   string `json:"name"`
}

// ImportableServers lists the servers configured in Cursor and Claude
// Desktop (our own entry excluded). An unreadable client file is one
// candidate carrying the error.
func (b *Backend) ImportableServers() ([]ImportCandidate, error) {
	path, err := b.serversFile()
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	if f, err := mcpconfig.ReadFile(path); err == nil {
		for _, s := range f.Servers {
			have[s.Name] = true
		}
	}
	out := []ImportCandidate{}
	for _, id := range importFrom {
		cl, err := clients.Find(id)
		if err != nil {
			return nil, err
		}
		file, entries, err := cl.Servers(b.clientOptions())
		if err != nil {
			out = append(out, ImportCandidate{Client: id, ClientName: cl.Name, Path: file, Error: err.Error(), Dropped: []string{}})
			continue
		}
		for _, e := range entries {
			ic := ImportCandidate{Client: id, ClientName: cl.Name, Path: file, Name: e.Name, Exists: have[e.Name], Dropped: []string{}}
			sc, dropped, err := mcpconfig.FromClientEntry(e.Name, e.Raw)
			if err != nil {
				ic.Error = err.Error()
			}
			ic.Transport, ic.Summary = sc.Transport(), summary(sc)
			if dropped != nil {
				ic.Dropped = dropped
			}
			out = append(out, ic)
		}
	}
	return out, nil
}

// ImportServers copies the picked servers, with their env and headers, from
// the clients' files into mcp-config.json. Nothing is written unless every
// pick can be imported: a name already in mcp-config.json, or an entry the
// proxy cannot use, refuses the whole import.
func (b *Backend) ImportServers(ctx context.Context, picks []ImportPick) (ServersView, error) {
	path, err := b.serversFile()
	if err != nil {
		return ServersView{}, err
	}
	f, err := mcpconfig.ReadFile(path)
	if err != nil {
		return ServersView{}, err
	}
	var todo []mcpconfig.Server
	var problems []string
	seen := map[string]bool{}
	for _, p := range picks {
		sc, err := fromClient(b.clientOptions(), p)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case seen[sc.Name]:
			problems = append(problems, fmt.Sprintf("%q is picked twice", sc.Name))
		default:
			if _, ok := f.Server(sc.Name); ok {
				problems = append(problems, fmt.Sprintf("%q is in %s already; rename or remove it first", sc.Name, path))
			}
		}
		seen[sc.Name] = true
		todo = append(todo, sc)
	}
	if len(problems) > 0 {
		return ServersView{}, fmt.Errorf("nothing was imported: %s", strings.Join(problems, "; "))
	}
	opts := b.editOptions()
	for _, sc := range todo {
		if err := mcpconfig.SetServer(path, "", sc, opts); err != nil {
			return b.liveView(ctx, path), fmt.Errorf("importing %q: %w", sc.Name, err)
		}
	}
	return b.liveView(ctx, path), nil
}

func fromClient(opts clients.Options, p ImportPick) (mcpconfig.Server, error) {
	cl, err := clients.Find(p.Client)
	if err != nil {
		return mcpconfig.Server{}, err
	}
	_, entries, err := cl.Servers(opts)
	if err != nil {
		return mcpconfig.Server{}, err
	}
	for _, e := range entries {
		if e.Name == p.Name {
			sc, _, err := mcpconfig.FromClientEntry(e.Name, e.Raw)
			return sc, err
		}
	}
	return mcpconfig.Server{}, fmt.Errorf("%s has no server %q", cl.Name, p.Name)
}
