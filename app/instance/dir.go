package instance

import (
	"path/filepath"

	"github.com/adrg/xdg"
)

// DefaultDir is where the lock and socket live: the user's runtime folder
// ($XDG_RUNTIME_DIR on Linux), in a folder of the app's own.
func DefaultDir(app string) string {
	return filepath.Join(xdg.RuntimeDir, app)
}
