package clients

import "bytes"

// Editors on Windows end lines with "\r\n". The edits here are written for
// "\n" (they insert "\n" lines and look for blank lines as "\n\n"), so a
// file whose every line ends in "\r\n" is edited in its "\n" form and given
// its "\r\n" back (see Client.edit): the lines we add match the file's, and
// unregistering leaves it as it was. A file with mixed endings is edited as
// it is.

// isCRLF reports whether every line of data ends in "\r\n" (and there is
// at least one).
func isCRLF(data []byte) bool {
	n := bytes.Count(data, []byte("\n"))
	return n > 0 && bytes.Count(data, []byte("\r\n")) == n
}

// toLF turns every "\r\n" into "\n".
func toLF(data []byte) []byte { return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")) }

// toCRLF turns every "\n" into "\r\n"; data has no "\r\n" (see toLF).
func toCRLF(data []byte) []byte { return bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")) }
