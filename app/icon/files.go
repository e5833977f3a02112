package icon

import (
	"fmt"
	"os"
	"path/filepath"
)

// BuildFiles returns the packaging icons by path relative to the build folder.
func BuildFiles() map[string][]byte {
	return map[string][]byte{
		"appicon.png":             PNG(1024, NoBadge),
		"linux/mcp-conductor.png": PNG(256, NoBadge),
		"windows/icon.ico":        ICO([]int{16, 24, 32, 48, 64, 256}, NoBadge),
	}
}

// WriteBuildIcons writes BuildFiles under dir.
func WriteBuildIcons(dir string) error {
	for name, b := range BuildFiles() {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", filepath.Dir(p), err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}
