// Command gen writes the icon files that packaging needs under build/:
// appicon.png (Wails' source icon), linux/mcp-conductor.png and
// windows/icon.ico. Run it with go generate ./app/icon.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/mcp-conductor/mcp-conductor/app/icon"
)

func main() {
	out := flag.String("out", "build", "the build folder")
	flag.Parse()
	if err := icon.WriteBuildIcons(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
