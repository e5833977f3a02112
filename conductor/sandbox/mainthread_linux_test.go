package sandbox

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestOffMainThread: what offMainThread runs never runs on the thread it
// was called on when that is the main thread (here a stand-in: whichever
// thread the test's goroutine holds), and runs right there otherwise.
func TestOffMainThread(t *testing.T) {
	for _, main := range []bool{true, false} {
		var caller, ran int
		done := make(chan struct{})
		go func() {
			defer close(done)
			offMainThread(func() bool { caller = unix.Gettid(); return main }, func() { ran = unix.Gettid() })
		}()
		<-done
		if main && ran == caller {
			t.Errorf("f ran on the main thread (%d)", caller)
		}
		if !main && ran != caller {
			t.Errorf("f moved off a thread that is not the main one (%d → %d)", caller, ran)
		}
	}
}
