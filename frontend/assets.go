//go:build desktop

// Build the assets first with `npm ci && npm run build` in this folder.

package frontend

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Assets returns the built frontend, index.html at its root.
func Assets() (fs.FS, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, fmt.Errorf("frontend assets: %w", err)
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil, fmt.Errorf("frontend assets lack index.html (run npm run build in frontend/): %w", err)
	}
	return sub, nil
}
