//go:build gui

package guitest

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWindowPages shows every page in the real WebKitGTK window, reached
// from the keyboard (Ctrl+1…6), at the default and the minimum size, in
// light and dark; then Ctrl+Q asks to quit and Enter on Quit ends the app.
func TestWindowPages(t *testing.T) {
	pages := []string{"overview", "permissions", "servers", "clients", "activity", "playground"}
	for _, theme := range []struct{ name, gtk string }{{"light", "Adwaita"}, {"dark", "Adwaita:dark"}} {
		t.Run(theme.name, func(t *testing.T) {
			s := newSession(t)
			a, _ := startWithTray(t, s, "window-pages-"+theme.name, "GTK_THEME="+theme.gtk)
			w := s.window(30 * time.Second)
			prev := s.screenshot(w, "window-overview-1120x760-"+theme.name, 40, longWait(45*time.Second))
			for _, size := range [][2]int{{1120, 760}, {820, 560}} {
				if size[0] != 1120 {
					s.x.resize(w, size[0], size[1])
				}
				for i, id := range pages {
					if i == 0 && size[0] == 1120 {
						continue // shown already
					}
					if err := s.x.key(w, true, strconv.Itoa(i+1)); err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("window-%s-%dx%d-%s", id, size[0], size[1], theme.name)
					prev = s.screenshotChanged(w, name, prev, longWait(30*time.Second))
					if b := prev.Bounds(); b.Dx() != size[0] || b.Dy() != size[1] {
						t.Errorf("%s: the window is %v", name, b)
					}
				}
			}
			// Ctrl+Q asks first; Tab moves from Cancel to Quit, Enter quits.
			if err := s.x.key(w, true, "q"); err != nil {
				t.Fatal(err)
			}
			s.screenshotChanged(w, "window-quit-dialog-"+theme.name, prev, longWait(30*time.Second))
			for _, k := range []string{"Tab", "Return"} {
				if err := s.x.key(w, false, k); err != nil {
					t.Fatal(err)
				}
			}
			if code, err := a.wait(longWait(15 * time.Second)); err != nil || code != 0 {
				t.Fatalf("after Quit from the window: exit code %d, %v\napp log:\n%s", code, err, a.log)
			}
		})
	}
}

// TestCloseQuitsWithoutATrayHost: where no panel shows tray icons (GNOME
// without the AppIndicator extension), hiding the window would leave
// nothing to click, so closing it quits.
func TestCloseQuitsWithoutATrayHost(t *testing.T) {
	s := newSession(t)
	if _, err := startWatcher(s.bus, false); err != nil {
		t.Fatal(err)
	}
	a := s.start("close-no-host")
	w := s.window(30 * time.Second)
	s.screenshot(w, "close-no-host", 40, longWait(45*time.Second))
	if err := s.x.close(w); err != nil {
		t.Fatal(err)
	}
	if code, err := a.wait(longWait(15 * time.Second)); err != nil || code != 0 {
		t.Fatalf("closing the window without a tray host: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
	if !strings.Contains(a.log.String(), "closing the window quits") {
		t.Errorf("the app did not say why closing quit:\n%s", a.log)
	}
}

// TestCrashedPageReloads kills WebKit's web content process, as a crash
// would: the app notices, logs it and reloads the page, which renders
// again; a second launch then shows a working window.
func TestCrashedPageReloads(t *testing.T) {
	s := newSession(t)
	a, _ := startWithTray(t, s, "crash-reload")
	w := s.window(30 * time.Second)
	s.screenshot(w, "crash-before", 40, longWait(45*time.Second))
	var web int
	if !waitFor(longWait(10*time.Second), func() bool { web = descendant(a.cmd.Process.Pid, "WebKitWebProces"); return web != 0 }) {
		t.Fatalf("no WebKitWebProcess under the app (pid %d)", a.cmd.Process.Pid)
	}
	if err := syscall.Kill(web, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if !waitFor(longWait(20*time.Second), func() bool {
		l := a.log.String()
		return strings.Contains(l, "web content process ended; reloading the page") && strings.Contains(l, "why=crashed") &&
			strings.Contains(l, "page loaded again")
	}) {
		t.Fatalf("the app did not reload the page after the crash\napp log:\n%s", a.log)
	}
	if again := descendant(a.cmd.Process.Pid, "WebKitWebProces"); again == 0 || again == web {
		t.Errorf("no new web process after the reload (old %d, now %d)", web, again)
	}
	s.screenshot(w, "crash-reloaded", 40, longWait(45*time.Second))
	a.cmd.Process.Signal(syscall.SIGTERM)
	if code, err := a.wait(15 * time.Second); err != nil || code != 0 {
		t.Fatalf("after SIGTERM: exit code %d, %v\napp log:\n%s", code, err, a.log)
	}
}

// descendant returns the pid of a process under root whose name (as
// /proc/PID/comm has it, 15 characters at most) is comm, or 0.
func descendant(root int, comm string) int {
	parent := map[int]int{}
	name := map[int]string{}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at the last ')'.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(stat[i+1:]))
		if len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		parent[pid] = ppid
		if j := bytes.IndexByte(stat, '('); j >= 0 {
			name[pid] = string(stat[j+1 : i])
		}
	}
	for pid, n := range name {
		if n != comm {
			continue
		}
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == root {
				return pid
			}
		}
	}
	return 0
}

// screenshotChanged waits until the window shows something other than
// prev, rendered and stable across two grabs, saves it as name.png and
// returns it.
func (s *session) screenshotChanged(w uint64, name string, prev image.Image, d time.Duration) image.Image {
	s.t.Helper()
	var img, last image.Image
	ok := waitFor(d, func() bool {
		shot, err := s.x.screenshot(w)
		if err != nil {
			return false
		}
		stable := last != nil && sameImage(shot, last)
		last, img = shot, shot
		c, _ := stats(shot)
		return stable && c > 40 && !sameImage(shot, prev)
	})
	s.save(img, name)
	if !ok {
		s.t.Fatalf("the window did not change to %s within %v; see %s.png in %s", name, d, name, artifacts)
	}
	return img
}

// sameImage reports whether a and b have the same size and pixels.
func sameImage(a, b image.Image) bool {
	ra, okA := a.(*image.RGBA)
	rb, okB := b.(*image.RGBA)
	return okA && okB && ra.Rect == rb.Rect && bytes.Equal(ra.Pix, rb.Pix)
}
