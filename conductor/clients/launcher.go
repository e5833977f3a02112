package clients

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// LauncherPath returns the stable path that client entries launch:
// <conductor home>/bin/mcp-conductor (.exe on Windows).
func LauncherPath(home string) string {
	name := "mcp-conductor"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(home, "bin", name)
}

// InstallLauncher puts a copy of exe (normally os.Executable()) at
// LauncherPath(home) and returns that path. Entries point at the copy, not
// at exe, so they keep working when the app is moved, deleted or runs from
// a temporary mount (AppImage, a disk image); a symbolic link would dangle
// then. The copy is refreshed whenever its content differs, so calling this
// at every start and registration keeps it at the running version.
func InstallLauncher(home, exe string) (string, error) {
	dst := LauncherPath(home)
	if same, err := sameContent(exe, dst); err != nil {
		return "", fmt.Errorf("install launcher: %w", err)
	} else if same {
		return dst, nil
	}
	if err := ensureHome(home); err != nil {
		return "", fmt.Errorf("install launcher: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", fmt.Errorf("install launcher: %w", err)
	}
	src, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("install launcher: %w", err)
	}
	defer src.Close()
	if err := fsx.WriteExecutable(dst, src, 0o755); err != nil {
		return "", fmt.Errorf("install launcher: %w", err)
	}
	return dst, nil
}

// sameContent reports whether b exists with a's content (or is a itself).
func sameContent(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, nil
	}
	if os.SameFile(fa, fb) {
		return true, nil
	}
	if fa.Size() != fb.Size() {
		return false, nil
	}
	ha, err := fileHash(a)
	if err != nil {
		return false, err
	}
	hb, err := fileHash(b)
	return err == nil && bytes.Equal(ha, hb), nil
}

func fileHash(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
