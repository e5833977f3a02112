package clients

import udiff "github.com/aymanbagabas/go-udiff"

// unifiedDiff returns a unified diff (3 lines of context) between two
// versions of path, "" when they are equal; a new file (a == "") is shown
// as coming from /dev/null.
func unifiedDiff(path, a, b string) string {
	if a == b {
		return ""
	}
	from := path
	if a == "" {
		from = "/dev/null"
	}
	return udiff.Unified(from, path, a, b)
}
