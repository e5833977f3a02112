package sandbox

// Windows' layer works by labels on objects, not by lists of what may be
// read (see winplan.go): reading system files needs no rule.
var (
	systemReadDirs  []string
	systemReadFiles []string
	systemRWFiles   []string
)

// carvesGrants is false: a label on a protected place inside a grant takes
// precedence over the grant's inherited one, so grants stay whole.
const carvesGrants = false
