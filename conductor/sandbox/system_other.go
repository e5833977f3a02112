//go:build !linux && !darwin && !windows

package sandbox

// No kernel layer reads these lists on this platform yet.
var (
	systemReadDirs  []string
	systemReadFiles []string
	systemRWFiles   []string
)

const carvesGrants = false
