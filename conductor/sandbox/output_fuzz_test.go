package sandbox

import (
	"bytes"
	"testing"
)

// FuzzFrameSplitter: whatever the code prints, in whatever chunks it
// arrives, comes out unchanged, and the frames written between its output
// come out whole.
func FuzzFrameSplitter(f *testing.F) {
	f.Add([]byte("hello\n"), []byte(`{"t":"result"}`), uint8(3))
	f.Add([]byte("\x1e\x1e:partial"), []byte(`{}`), uint8(1))
	f.Fuzz(func(t *testing.T, user, frame []byte, chunk uint8) {
		const key = "\x1ek3y0123456789abcdef:"
		if bytes.Contains(user, []byte(key)) || bytes.Contains(frame, []byte(key)) || bytes.ContainsRune(frame, '\n') {
			return
		}
		stream := append(append(append(append([]byte{}, readyMarker...), user...), key...), frame...)
		stream = append(append(stream, '\n'), user...)
		out := &cappedBuffer{max: 1 << 20}
		var frames [][]byte
		s := &frameSplitter{out: out, maxFrame: 1 << 20, onFrame: func(b []byte) { frames = append(frames, b) }}
		s.setKey(key)
		n := int(chunk%16) + 1
		for len(stream) > 0 {
			c := min(n, len(stream))
			s.Write(stream[:c])
			stream = stream[c:]
		}
		s.flush()
		want := append(append([]byte{}, user...), user...)
		if got := out.String("stdout"); got != string(want) {
			t.Fatalf("output %q, want %q", got, want)
		}
		if len(frames) != 1 || !bytes.Equal(frames[0], frame) {
			t.Fatalf("frames %q, want [%q]", frames, frame)
		}
	})
}
