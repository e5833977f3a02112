//go:build gui

package guitest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

const windowTitle = "MCP Conductor"

var (
	binary    string // the desktop build under test
	artifacts string // where screenshots and logs go
	deno      string // the real Deno the engine runs
	repoRoot  string
)

func TestMain(m *testing.M) {
	code, err := setup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "guitest:", err)
		os.Exit(1)
	}
	if code == 0 {
		code = m.Run()
	}
	fmt.Printf("guitest: screenshots and logs are in %s\n", artifacts)
	os.Exit(code)
}

func setup() (int, error) {
	artifacts = os.Getenv("CONDUCTOR_ARTIFACTS")
	if artifacts == "" {
		d, err := os.MkdirTemp("", "conductor-gui-")
		if err != nil {
			return 1, err
		}
		artifacts = d
	}
	abs, err := filepath.Abs(artifacts)
	if err != nil {
		return 1, err
	}
	artifacts = abs
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		return 1, err
	}
	fmt.Printf("guitest: screenshots and logs go to %s\n", artifacts)

	if repoRoot, err = filepath.Abs("../.."); err != nil {
		return 1, err
	}
	deno = os.Getenv("MCP_CONDUCTOR_DENO")
	if deno == "" {
		deno = filepath.Join(repoRoot, "node_modules", "@deno", "linux-x64-glibc", "deno")
	}
	if _, err := os.Stat(deno); err != nil {
		return 1, fmt.Errorf("deno is missing (npm ci at the repository root, or set MCP_CONDUCTOR_DENO): %w", err)
	}

	for _, tool := range []string{"Xvfb", "dbus-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			return 1, fmt.Errorf("%s is missing (apt-get install xvfb dbus): %w", tool, err)
		}
	}

	if b := os.Getenv("CONDUCTOR_GUI_BINARY"); b != "" {
		binary = b
		return 0, nil
	}
	if _, err := os.Stat("../../frontend/dist/index.html"); err != nil {
		return 1, fmt.Errorf("the frontend is not built (cd frontend && npm ci && npm run build): %w", err)
	}
	binary = filepath.Join(artifacts, "mcp-conductor")
	fmt.Println("guitest: building the desktop app (go build -tags desktop,production,webkit2_41)")
	cmd := exec.Command("go", "build", "-tags", "desktop,production,webkit2_41", "-o", binary, "github.com/mcp-conductor/mcp-conductor")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return 1, fmt.Errorf("building the desktop app (needs libgtk-3-dev libwebkit2gtk-4.1-dev): %w", err)
	}
	return 0, nil
}

// session is a private desktop: an Xvfb display and a D-Bus session bus,
// with a home folder of its own, whose MCP Conductor settings put the local
// endpoint on a free port.
type session struct {
	t       *testing.T
	display string
	busAddr string
	home    string
	port    int // the local endpoint's port
	bus     *dbus.Conn
	x       *display
}

// conductorHome is MCP_CONDUCTOR_HOME of the session's app.
func (s *session) conductorHome() string { return filepath.Join(s.home, ".mcp-conductor") }

// newSession starts Xvfb and dbus-daemon; both stop when the test ends.
func newSession(t *testing.T) *session {
	t.Helper()
	s := &session{t: t, home: t.TempDir()}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	os.MkdirAll(s.conductorHome(), 0o700)
	settings := fmt.Sprintf(`{"permissions": {}, "http": {"port": %d}}`, s.port)
	if err := os.WriteFile(filepath.Join(s.conductorHome(), "settings.json"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}

	num, err := startWithFD(t, "Xvfb", "-displayfd", "3", "-screen", "0", "1280x860x24", "-nolisten", "tcp")
	if err != nil {
		t.Fatalf("starting Xvfb: %v", err)
	}
	s.display = ":" + num
	addr, err := startWithFD(t, "dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=3")
	if err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	s.busAddr = addr

	s.bus, err = dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connecting to the test bus: %v", err)
	}
	t.Cleanup(func() { s.bus.Close() })
	s.x, err = openDisplay(s.display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.x.Close)
	return s
}

// startWithFD starts a helper that writes one line to fd 3 once it is ready
// (Xvfb's display number, dbus-daemon's address) and returns that line.
func startWithFD(t *testing.T, name string, args ...string) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command(name, args...)
	cmd.ExtraFiles = []*os.File{w}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		w.Close()
		return "", err
	}
	w.Close()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(l)
	}()
	select {
	case l := <-line:
		if l == "" {
			return "", fmt.Errorf("%s said nothing: %s", name, stderr.String())
		}
		return l, nil
	case <-time.After(20 * time.Second):
		return "", fmt.Errorf("%s did not start in time: %s", name, stderr.String())
	}
}

// env is the app's environment: only this session, never the caller's desktop.
func (s *session) env(extra ...string) []string {
	run := filepath.Join(s.home, "run")
	os.MkdirAll(run, 0o700)
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + s.home,
		"LANG=C.UTF-8",
		"DISPLAY=" + s.display,
		"GDK_BACKEND=x11",
		"DBUS_SESSION_BUS_ADDRESS=" + s.busAddr,
		"XDG_RUNTIME_DIR=" + run,
		"XDG_CONFIG_HOME=" + filepath.Join(s.home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(s.home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(s.home, ".cache"),
		"MCP_CONDUCTOR_HOME=" + s.conductorHome(),
		"MCP_CONDUCTOR_DENO=" + deno,
		"NO_AT_BRIDGE=1", // no accessibility bus in this session
		"LIBGL_ALWAYS_SOFTWARE=1",
	}
	return append(env, extra...)
}

// app is one running mcp-conductor.
type app struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // Wait's result, once done is closed
	log  *syncBuffer
}

// start runs the app (plain `mcp-conductor`, the desktop face) in the session.
func (s *session) start(name string, extraEnv ...string) *app {
	s.t.Helper()
	return s.startBinary(binary, name, extraEnv...)
}

// startBinary runs bin as the app; its output is saved as name.log.
func (s *session) startBinary(bin, name string, extraEnv ...string) *app {
	s.t.Helper()
	a := &app{done: make(chan struct{}), log: &syncBuffer{}}
	a.cmd = exec.Command(bin)
	a.cmd.Env = s.env(extraEnv...)
	a.cmd.Stdout, a.cmd.Stderr = a.log, a.log
	if err := a.cmd.Start(); err != nil {
		s.t.Fatalf("starting the app: %v", err)
	}
	go func() {
		a.err = a.cmd.Wait()
		close(a.done)
	}()
	s.t.Cleanup(func() {
		select {
		case <-a.done:
		default:
			a.cmd.Process.Kill()
			<-a.done
		}
		os.WriteFile(filepath.Join(artifacts, name+".log"), a.log.Bytes(), 0o644)
	})
	return a
}

// wait waits up to d for the app to exit and returns its exit code.
func (a *app) wait(d time.Duration) (int, error) {
	select {
	case <-a.done:
		var ee *exec.ExitError
		if errors.As(a.err, &ee) {
			return ee.ExitCode(), nil
		}
		if a.err != nil {
			return -1, a.err
		}
		return 0, nil
	case <-time.After(d):
		return -1, fmt.Errorf("still running after %v", d)
	}
}

func (a *app) running() bool {
	select {
	case <-a.done:
		return false
	default:
		return true
	}
}

// waitFor polls cond every 100ms until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// window waits for the app's window to exist and returns its X id.
func (s *session) window(d time.Duration) uint64 {
	s.t.Helper()
	var w uint64
	if !waitFor(d, func() bool { w = s.x.findWindow(windowTitle); return w != 0 }) {
		s.t.Fatalf("no window titled %q after %v", windowTitle, d)
	}
	return w
}

// stats summarises an image: distinct colours and mean luminance (0–255).
func stats(img image.Image) (colours int, luma float64) {
	seen := map[uint32]bool{}
	b := img.Bounds()
	var sum float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
			sum += 0.2126*float64(r>>8) + 0.7152*float64(g>>8) + 0.0722*float64(bl>>8)
		}
	}
	return len(seen), sum / float64(b.Dx()*b.Dy())
}

// screenshot waits until the window shows a rendered page (more than
// minColours colours, stable across two grabs), saves it as name.png and
// returns it.
func (s *session) screenshot(w uint64, name string, minColours int, d time.Duration) image.Image {
	s.t.Helper()
	var img image.Image
	var last, colours int
	ok := waitFor(d, func() bool {
		shot, err := s.x.screenshot(w)
		if err != nil {
			return false
		}
		img = shot
		c, _ := stats(shot)
		stable := c == last
		last, colours = c, c
		return c > minColours && stable
	})
	s.save(img, name)
	if !ok {
		s.t.Fatalf("the window did not render within %v: %d colours (want > %d); see %s.png in %s",
			d, colours, minColours, name, artifacts)
	}
	return img
}

// save writes img as name.png into the artefacts.
func (s *session) save(img image.Image, name string) {
	if img == nil {
		return
	}
	f, err := os.Create(filepath.Join(artifacts, name+".png"))
	if err != nil {
		s.t.Logf("saving %s.png: %v", name, err)
		return
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		s.t.Logf("saving %s.png: %v", name, err)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.b.Bytes()...)
}

func (b *syncBuffer) String() string { return string(b.Bytes()) }

// ctx returns a context that ends after d or with the test.
func ctx(t *testing.T, d time.Duration) context.Context {
	c, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return c
}

// longWait stretches a wait: on a loaded two-core machine the app can take
// much longer to answer than here. The wait ends as soon as its condition
// holds, so a generous bound costs nothing when things go well; it is a
// guard against hangs, never a measure of speed.
func longWait(d time.Duration) time.Duration { return max(d*6, 90*time.Second) }
