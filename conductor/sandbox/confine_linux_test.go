package sandbox

import (
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// Confining a child must not confine the conductor: the restriction is
// applied to a thread that starts the child and then ends.
func TestConfinementStaysInTheChild(t *testing.T) {
	if ok, why := KernelConfinement().Available(); !ok {
		testenv.Missing(t, "Landlock: %s", why)
	}
	spec := LaunchSpec{Confine: true, Require: true, ReadDirs: []string{"/usr", "/lib", "/lib64", "/bin"}, NoNet: true}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The child may not read /etc/hostname...
			// Streams are opened before: files opened while starting would be
			// opened by the confined thread (the runner uses pipes).
			devnull, err := os.Open(os.DevNull)
			if err != nil {
				t.Error(err)
				return
			}
			defer devnull.Close()
			cmd := exec.Command("/bin/cat", "/etc/hostname")
			cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, io.Discard, io.Discard
			if err := startConfined(cmd, spec); err != nil {
				t.Error(err)
				return
			}
			if err := cmd.Wait(); err == nil {
				t.Error("a confined child read /etc/hostname")
			}
			// ...while this process still can, from any thread.
			if _, err := os.ReadFile("/etc/hostname"); err != nil {
				t.Errorf("the conductor lost access: %v", err)
			}
		}()
	}
	wg.Wait()
	// And children started without confinement are not confined either.
	if out, err := exec.Command("/bin/cat", "/etc/hostname").Output(); err != nil || len(out) == 0 {
		t.Errorf("an unconfined child failed: %v", err)
	}
}
