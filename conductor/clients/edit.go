package clients

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// Options says where and how an operation works. The zero value edits the
// running user's global (user-scope) configuration.
type Options struct {
	// Env locates the client files; the zero value means DefaultEnv().
	Env Env
	// Home is the conductor home (backups, locks); "" means config.HomeDir().
	Home string
	// ProjectDir selects the client's per-project file inside that folder
	// instead of the user-scope one.
	ProjectDir string
	// Force registers even when the client does not seem to be installed.
	Force bool
	// DryRun computes the change without writing anything.
	DryRun bool
	// Place selects one of a client's user-scope places by name (see
	// Client.Places); "" picks the first installed one.
	Place string
	// WorkDir is the folder a client would be started in, for clients
	// whose rules depend on it (Gemini's trusted folders, Claude Code's
	// per-project switches); "" means ProjectDir, else the current folder.
	WorkDir string
}

func (o Options) env() (Env, error) {
	if o.Env.Home == "" {
		return DefaultEnv()
	}
	return o.Env, nil
}

func (o Options) conductorHome() (string, error) {
	if o.Home != "" {
		return o.Home, nil
	}
	return config.HomeDir()
}

// ConfigPath returns the file that holds c's servers.
func (c Client) ConfigPath(opts Options) (string, error) {
	if opts.ProjectDir != "" {
		if c.def.project == "" {
			return "", fmt.Errorf("%s has no per-project configuration; register it without --project", c.Name)
		}
		dir, err := filepath.Abs(opts.ProjectDir)
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, c.def.project), nil
	}
	env, err := opts.env()
	if err != nil {
		return "", err
	}
	pl, err := c.place(opts, env)
	if err != nil {
		return "", err
	}
	cands := pl.user(env)
	for _, p := range cands {
		if exists(p) {
			return p, nil
		}
	}
	for _, p := range cands {
		if d := filepath.Dir(p); exists(d) || exists(filepath.Dir(d)) && d != env.Home {
			return p, nil
		}
	}
	return cands[0], nil
}

// Installed reports whether c seems to be installed for the user: its
// configuration folder, another marker the client creates, or its program
// on PATH exists. With opts.Place, only that place counts.
func (c Client) Installed(opts Options) bool {
	env, err := opts.env()
	if err != nil {
		return false
	}
	if opts.Place != "" {
		pl, err := c.place(opts, env)
		return err == nil && pl.installed(env)
	}
	return len(c.InstalledPlaces(opts)) > 0
}

// A Change is the outcome of Register, Unregister or Repair.
type Change struct {
	// Path is the configuration file.
	Path string
	// Before and After are its content; Before is nil for a new file.
	Before, After []byte
	// Backup is the copy taken before writing, "" if none was needed.
	Backup string
	// Written reports whether the file was written (or removed).
	Written bool
	// Removed reports that Unregister deleted the file: mcp-conductor had
	// created it and nothing but an empty server list was left.
	Removed bool
}

// Changed reports whether the file's content differs.
func (ch *Change) Changed() bool { return !bytes.Equal(ch.Before, ch.After) }

// Diff returns a unified diff of the change ("" if none), with the
// file's secrets masked (see Masked): it is shown to people, in the
// window and by register --dry-run, and the file holds other servers'
// tokens.
func (ch *Change) Diff() string {
	d := unifiedDiff(ch.Path, string(maskSecrets(ch.Path, ch.Before)), string(maskSecrets(ch.Path, ch.After)))
	if d == "" && ch.Changed() {
		d = "--- " + ch.Path + "\n+++ " + ch.Path + "\n(only masked values change)\n"
	}
	return d
}

// Register adds our entry e to c's configuration, or updates it in place,
// and turns it back on where the client switched it off: in the entry
// itself, or (in Claude Code's user-scope file) for the folder of
// Options.WorkDir. Registering twice changes nothing the second time.
func (c Client) Register(ctx context.Context, e Entry, opts Options) (*Change, error) {
	f, err := c.def.render(e)
	if err != nil {
		return nil, err
	}
	return c.edit(ctx, opts, true, func(path string, data []byte) ([]byte, error) {
		if c.def.format == formatTOML {
			if got, ok, err := tomlEntry(path, data); err != nil {
				return nil, err
			} else if ok && len(entryDiff(got, f)) == 0 && entryOff(got) == "" {
				return data, nil
			}
			return tomlSet(path, data, f)
		}
		out, err := jsonSet(path, data, c.def.key, f)
		if err != nil || c.def.enable == nil || opts.ProjectDir != "" {
			return out, err
		}
		env, err := opts.env()
		if err != nil {
			return nil, err
		}
		return c.def.enable(env, path, out, opts.workDir())
	})
}

// Repair rewrites our entry when someone else changed or removed it. It is
// Register under another name, for the "registered-but-different" state.
func (c Client) Repair(ctx context.Context, e Entry, opts Options) (*Change, error) {
	return c.Register(ctx, e, opts)
}

// Unregister removes our entry from c's configuration; other servers stay.
// A file that Register created is deleted when nothing but an empty server
// list would be left; in a project, so are the folders it created.
func (c Client) Unregister(ctx context.Context, opts Options) (*Change, error) {
	return c.edit(ctx, opts, false, func(path string, data []byte) ([]byte, error) {
		var out []byte
		var err error
		if c.def.format == formatTOML {
			out, _, err = tomlRemove(path, data)
		} else {
			out, _, err = jsonRemove(path, data, c.def.key)
		}
		return out, err
	})
}

// edit runs fn on the file's content under the lock, then backs the file
// up and writes the result atomically.
func (c Client) edit(ctx context.Context, opts Options, create bool, fn func(path string, data []byte) ([]byte, error)) (*Change, error) {
	path, err := c.ConfigPath(opts)
	if err != nil {
		return nil, err
	}
	if create && opts.ProjectDir == "" && !opts.Force && !c.Installed(opts) {
		return nil, fmt.Errorf("%s does not seem to be installed (no %s); install it and start it once, or pass --force", c.Name, filepath.Dir(path))
	}
	if opts.ProjectDir != "" && !exists(opts.ProjectDir) {
		return nil, fmt.Errorf("project folder %s does not exist", opts.ProjectDir)
	}
	home, err := opts.conductorHome()
	if err != nil {
		return nil, err
	}
	if !opts.DryRun {
		unlock, err := lock(ctx, home, path)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	real, data, mode, present, err := readConfig(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	ch := &Change{Path: path, Before: data}
	if present {
		if err := checkWritable(real, mode); err != nil {
			return nil, err
		}
	}
	if !present && !create {
		ch.After = data
		return ch, nil
	}
	if !isCRLF(data) {
		ch.After, err = fn(path, data)
	} else if ch.After, err = fn(path, toLF(data)); err == nil {
		ch.After = toCRLF(ch.After) // see lineend.go
	}
	if err != nil {
		return nil, err
	}
	if !ch.Changed() {
		return ch, nil
	}
	rec := created(home, real)
	ch.Removed = !create && rec != nil && c.emptyShell(ch.After)
	if ch.Removed {
		ch.After = nil
	}
	if opts.DryRun {
		return ch, nil
	}
	if present {
		if ch.Backup, err = saveBackup(home, c.ID, real, data); err != nil {
			return nil, err
		}
	}
	if ch.Removed {
		if err := os.Remove(real); err != nil {
			return nil, fmt.Errorf("remove %s: %w", real, err)
		}
		rec.undo(opts.ProjectDir != "") // a user's client folders stay: they show it installed
		ch.Written = true
		return ch, nil
	}
	var dirs []string
	if !present {
		dirs = missingDirs(filepath.Dir(real))
	}
	if err := writeAtomic(real, ch.After, mode); err != nil {
		return nil, fmt.Errorf("write %s: %w (the file was not changed)", real, err)
	}
	if !present {
		recordCreated(home, real, dirs)
	}
	ch.Written = true
	return ch, nil
}

// readEntry returns our entry in c's file, if there is one.
func (c Client) readEntry(opts Options) (path string, got map[string]any, found bool, err error) {
	if path, err = c.ConfigPath(opts); err != nil {
		return "", nil, false, err
	}
	_, data, _, present, err := readConfig(path)
	if err != nil || !present {
		return path, nil, false, err
	}
	if c.def.format == formatTOML {
		got, found, err = tomlEntry(path, data)
	} else {
		got, found, err = jsonEntry(path, data, c.def.key)
	}
	return path, got, found, err
}
