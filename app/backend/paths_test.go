package backend

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

func TestPathsFromPolicy(t *testing.T) {
	home := t.TempDir()
	t.Setenv(config.EnvHome, home)
	tests := []struct {
		name string
		load func() (config.Policy, error)
		want Paths
	}{
		{"policy", func() (config.Policy, error) {
			return config.Policy{Home: "/h", Workspace: "/w"}, nil
		}, Paths{Home: "/h", Workspace: "/w", Logs: filepath.Join("/h", "logs")}},
		{"invalid policy falls back to the home folder", func() (config.Policy, error) {
			return config.Policy{}, errors.New("bad MCP_CONDUCTOR_RUN_ARGS")
		}, Paths{Home: home, Workspace: filepath.Join(home, "workspace"), Logs: filepath.Join(home, "logs")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pathsFrom(tt.load)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
