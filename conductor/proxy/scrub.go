package proxy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Scrubbing replaces every exact occurrence of a secret with Redacted. It
// works on values, never on their JSON text: a result is turned into a
// generic JSON tree and each string in it (object keys included) is
// scrubbed once decoded, so a secret that JSON escapes is found all the
// same. Base64 in "data" and "blob" members (images, audio, embedded and
// read resources) is decoded, scrubbed as bytes and encoded again.
//
// Occurrences of different secrets that overlap are replaced as one span,
// so no piece of either survives.

// String returns t with every secret replaced.
func (s *secretSet) String(t string) string {
	if s.empty() || len(t) < minSecretLen {
		return t
	}
	// A secret could begin inside one marker and end in the text after it
	// ("D]x" after "[REDACTED]"): replace until nothing is found.
	for range 8 {
		next := s.once(t)
		if next == t {
			return t
		}
		t = next
	}
	return Redacted
}

func (s *secretSet) once(t string) string {
	var spans [][2]int
	for _, secret := range s.list {
		for from := 0; ; {
			i := strings.Index(t[from:], secret)
			if i < 0 {
				break
			}
			spans = append(spans, [2]int{from + i, from + i + len(secret)})
			from += i + 1
		}
	}
	if len(spans) == 0 {
		return t
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	last := 0
	for i := 0; i < len(spans); {
		start, end := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] < end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(t[last:start])
		b.WriteString(Redacted)
		last = end
	}
	b.WriteString(t[last:])
	return b.String()
}

// Bytes returns b with every secret replaced.
func (s *secretSet) Bytes(b []byte) []byte {
	if s.empty() || !s.containsAny(b) {
		return b
	}
	return []byte(s.String(string(b)))
}

func (s *secretSet) containsAny(b []byte) bool {
	for _, secret := range s.list {
		if bytes.Contains(b, []byte(secret)) {
			return true
		}
	}
	return false
}

// Error returns err with its message scrubbed. errors.Is still sees the
// errors it wraps; the wrapped errors themselves are not reachable.
func (s *secretSet) Error(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: s.String(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// As finds only a *ProgramExit, which holds no text: the wrapped errors'
// messages are what the redaction hides.
func (e *redactedError) As(target any) bool {
	if p, ok := target.(**ProgramExit); ok {
		return errors.As(e.err, p)
	}
	return false
}

// Value returns v as a generic JSON value (maps, slices, strings,
// json.Number, bools, nil) with every secret replaced.
func (s *secretSet) Value(v any) (any, error) {
	if s.empty() {
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("the upstream's answer cannot be passed on: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // numbers stay exact and can be scrubbed like text
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("the upstream's answer cannot be passed on: %w", err)
	}
	return s.walk(tree), nil
}

func (s *secretSet) walk(v any) any {
	switch v := v.(type) {
	case string:
		return s.String(v)
	case json.Number:
		if t := s.String(string(v)); t != string(v) {
			return t
		}
		return v
	case []any:
		for i := range v {
			v[i] = s.walk(v[i])
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if str, ok := x.(string); ok && (k == "data" || k == "blob") {
				x = s.base64(str)
			} else {
				x = s.walk(x)
			}
			out[s.String(k)] = x
		}
		return out
	}
	return v
}

// base64 scrubs what a base64 string encodes, and the string itself.
func (s *secretSet) base64(b64 string) string {
	if raw, err := base64.StdEncoding.DecodeString(b64); err == nil {
		if clean := s.Bytes(raw); !bytes.Equal(clean, raw) {
			b64 = base64.StdEncoding.EncodeToString(clean)
		}
	}
	return s.String(b64)
}

// scrubAs returns a copy of v, of the same type, with every secret
// replaced: v goes through a generic JSON tree and back.
func scrubAs[T any](s *secretSet, v T) (T, error) {
	if s.empty() {
		return v, nil
	}
	var out T
	tree, err := s.Value(v)
	if err != nil {
		return out, err
	}
	b, err := json.Marshal(tree)
	if err != nil {
		return out, err
	}
	err = json.Unmarshal(b, &out)
	return out, err
}
