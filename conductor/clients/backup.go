package clients

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// keepBackups is how many backups are kept per client; older ones are pruned.
const keepBackups = 20

// A Backup is a copy of a client's configuration file taken before we
// changed it. Backups live in <conductor home>/backups/<client id>/, not next
// to the file, so project folders (often under version control) stay clean.
type Backup struct {
	// Name identifies the backup, e.g. "20260101T120000.000000000Z_mcp.json".
	Name string
	// File is the backup copy.
	File string
	// Original is the configuration file it was taken from.
	Original string
	// Time is when it was taken.
	Time time.Time
}

func backupDir(home, clientID string) string { return filepath.Join(home, "backups", clientID) }

// backups is a client's backup folder.
func backups(home, clientID string) fsx.Backups {
	return fsx.Backups{Dir: backupDir(home, clientID), Keep: keepBackups, Sidecars: []string{".path"}}
}

// saveBackup copies data (the current content of original) into the backup
// folder, with a sidecar ".path" file naming the original.
func saveBackup(home, clientID, original string, data []byte) (string, error) {
	if err := ensureHome(home); err != nil {
		return "", err
	}
	name, err := backups(home, clientID).Save(filepath.Base(original), data)
	if err != nil {
		return "", err
	}
	if err := fsx.WriteFile(name+".path", []byte(original+"\n"), 0o600); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("write backup: %w", err)
	}
	return name, nil
}

func listBackups(dir string) ([]Backup, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Backup
	for _, de := range ents {
		n := de.Name()
		if strings.HasSuffix(n, ".path") || !de.Type().IsRegular() {
			continue
		}
		orig, err := os.ReadFile(filepath.Join(dir, n+".path"))
		if err != nil {
			continue
		}
		ts, _, _ := strings.Cut(n, "_")
		t, _ := fsx.ParseStamp(ts)
		out = append(out, Backup{Name: n, File: filepath.Join(dir, n), Original: strings.TrimSpace(string(orig)), Time: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	return out, nil
}

// Backups lists c's backups, newest first.
func (c Client) Backups(opts Options) ([]Backup, error) {
	home, err := opts.conductorHome()
	if err != nil {
		return nil, err
	}
	return listBackups(backupDir(home, c.ID))
}

// Restore puts a backup of c back in place of the file it was taken from.
// An empty name restores the newest backup. The file being replaced is
// itself backed up first, so a restore can be undone the same way.
func (c Client) Restore(ctx context.Context, name string, opts Options) (*Backup, error) {
	list, err := c.Backups(opts)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("no backups of %s yet", c.Name)
	}
	b := list[0]
	if name != "" {
		i := -1
		for j := range list {
			if list[j].Name == name || list[j].File == name {
				i = j
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("no backup %q of %s; list them with `mcp-conductor clients backups %s`", name, c.Name, c.ID)
		}
		b = list[i]
	}
	data, err := os.ReadFile(b.File)
	if err != nil {
		return nil, fmt.Errorf("read backup: %w", err)
	}
	home, err := opts.conductorHome()
	if err != nil {
		return nil, err
	}
	unlock, err := lock(ctx, home, b.Original)
	if err != nil {
		return nil, err
	}
	defer unlock()
	real, cur, mode, present, err := readConfig(b.Original)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", b.Original, err)
	}
	if present {
		if _, err := saveBackup(home, c.ID, real, cur); err != nil {
			return nil, err
		}
	}
	if err := writeAtomic(real, data, mode); err != nil {
		return nil, fmt.Errorf("restore %s: %w", real, err)
	}
	return &b, nil
}
