package mcpconfig

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Tool patterns (allowTools, denyTools) are not file paths: a tool may be
// named "delete_repo/force", and "delete_*" must deny it. In a pattern, '*'
// matches any run of characters, '/' included; '?' matches exactly one
// character (a Unicode code point); every other character matches itself.
// Character classes and escapes are refused rather than read literally, so
// that a pattern written for path.Match cannot silently stop matching.

// checkGlob reports why pattern cannot be used as a tool pattern.
func checkGlob(pattern string) error {
	switch {
	case pattern == "":
		return errors.New("a pattern cannot be empty")
	case !utf8.ValidString(pattern):
		return errors.New("a pattern must be valid UTF-8")
	case strings.ContainsAny(pattern, `[]\`):
		return errors.New(`'[', ']' and '\' are not supported; use * (any characters) and ? (one character)`)
	}
	return nil
}

// globMatch reports whether name matches pattern in full.
func globMatch(pattern, name string) bool {
	// Greedy matching with one backtrack point, the last '*' seen: each
	// later '*' makes the earlier ones irrelevant, so this is linear in
	// practice and never exponential.
	p, n := 0, 0
	star, retry := -1, 0
	for n < len(name) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				star, retry = p, n
				p++
				continue
			case '?':
				_, size := utf8.DecodeRuneInString(name[n:])
				p, n = p+1, n+size
				continue
			default:
				if c == name[n] {
					p, n = p+1, n+1
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		// Let the last '*' swallow one more character and try again.
		_, size := utf8.DecodeRuneInString(name[retry:])
		retry += size
		p, n = star+1, retry
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
