//go:build desktop

package app

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/mcp-conductor/mcp-conductor/app/tray"
)

// quitRetry spaces Quit's repeated requests (one may be lost before GTK's
// main loop runs).
const quitRetry = 2 * time.Second

// desktop joins the window, the tray and the API, and does what tray clicks
// and other instances ask.
type desktop struct {
	trayClients // the Clients submenu's actions
	app         *App
	tray        *tray.Tray

	once       sync.Once
	ready      chan struct{} // closed once the window's context exists
	loadedOnce sync.Once
	loaded     chan struct{} // closed once the page loaded: the main loop runs
	exited     chan struct{} // closed once the window's loop has ended
	quitOnce   sync.Once
	quitting   atomic.Bool // Quit was asked for: closing must not just hide
	quitMu     sync.Mutex
	quitAt     time.Time // when a quit was last let through to GTK
	refresh    chan struct{}
	wctx       context.Context
	stop       context.CancelFunc
	hidden     atomic.Bool    // the window is hidden (started so, or closed to the tray)
	notes      *approvalNotes // nil: no desktop notifications here
}

// approvalsChanged updates the approval notification (see approvalNotes),
// on a goroutine of its own: event listeners must not block.
func (d *desktop) approvalsChanged() {
	if d.notes == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := d.notes.update(ctx); err != nil {
			slog.Warn("the approval notification could not be updated", "err", err)
		}
	}()
}

func (d *desktop) startup(ctx, wctx context.Context) {
	d.app.startup(wctx)
	d.app.cfg.Events.Attach(func(name string, data ...any) { wruntime.EventsEmit(wctx, name, data...) })
	pctx, stop := context.WithCancel(wctx)
	d.wctx, d.stop = wctx, stop
	close(d.ready)
	go func() {
		// Quit when the process is told to stop (SIGINT, SIGTERM).
		select {
		case <-ctx.Done():
			d.Quit()
		case <-pctx.Done():
		}
	}()
	go d.poll(pctx)
	go d.app.watchActivity(pctx)
}

// domReady runs each time the page has loaded: the first time it marks the
// main loop as running and starts watching the web view for crashes; a
// later time is a reload (after a crash, or asked for).
func (d *desktop) domReady(context.Context) {
	first := false
	d.loadedOnce.Do(func() {
		first = true
		close(d.loaded)
	})
	if first {
		watchWebView()
		return
	}
	slog.Info("the window's page loaded again")
}

// beforeClose decides what closing the window does: with a tray icon that
// a panel shows, it hides the window (the app keeps serving, the tray
// brings it back); without one there would be nothing left to click, so
// the app quits. Quit (tray, window, signal) always quits. Wails calls it
// for every quit request too, each from a goroutine of its own; only one
// quit at a time is let through to GTK (a second gtk_main_quit while the
// first tears the window down can crash), and Quit's retry comes later.
func (d *desktop) beforeClose(wctx context.Context) (prevent bool) {
	quitting := d.quitting.Load()
	if !quitting {
		vctx, cancel := context.WithTimeout(wctx, 2*time.Second)
		defer cancel()
		if d.app.trayShown(vctx) {
			wruntime.WindowHide(wctx)
			d.hidden.Store(true)
			d.approvalsChanged() // a question still waiting now notifies
			return true
		}
	}
	d.quitMu.Lock()
	defer d.quitMu.Unlock()
	if time.Since(d.quitAt) < quitRetry/2 {
		return true // a quit is under way
	}
	d.quitAt = time.Now()
	if !quitting {
		slog.Info("closing the window quits: no panel shows the tray icon")
	}
	return false
}

// refreshTray asks the poll loop to read the tray's state again now.
func (d *desktop) refreshTray() {
	select {
	case d.refresh <- struct{}{}:
	default:
	}
}

func (d *desktop) shutdown() {
	d.once.Do(func() {
		if d.stop != nil {
			d.stop()
		}
	})
}

// poll keeps the tray in step with the services.
func (d *desktop) poll(ctx context.Context) {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.tray.SetState(d.app.trayState(ctx))
		case <-d.refresh:
			d.tray.SetState(d.app.trayState(ctx))
		}
	}
}

// window returns the window's context, waiting briefly for it to exist.
func (d *desktop) window() (context.Context, bool) {
	select {
	case <-d.ready:
		return d.wctx, true
	case <-time.After(10 * time.Second):
		slog.Error("the window did not start")
		return nil, false
	}
}

// OpenWindow shows, restores and focuses the window.
func (d *desktop) OpenWindow() {
	if w, ok := d.window(); ok {
		wruntime.WindowShow(w)
		wruntime.WindowUnminimise(w)
		d.hidden.Store(false)
		d.approvalsChanged() // the window's dialog asks now
	}
}

// OpenClients shows the window on its Clients page.
func (d *desktop) OpenClients() {
	d.OpenWindow()
	if w, ok := d.window(); ok {
		wruntime.EventsEmit(w, EventNavigate, "clients")
	}
}

// CopyText puts text on the clipboard.
func (d *desktop) CopyText(text string) {
	if w, ok := d.window(); ok {
		if err := wruntime.ClipboardSetText(w, text); err != nil {
			slog.Warn("copying to the clipboard", "err", err)
		}
	}
}

// OpenWorkspace opens the workspace folder.
func (d *desktop) OpenWorkspace() {
	if err := d.app.OpenWorkspaceFolder(); err != nil {
		slog.Warn(err.Error())
	}
}

// OpenLogs opens the logs folder.
func (d *desktop) OpenLogs() {
	if err := d.app.OpenLogsFolder(); err != nil {
		slog.Warn(err.Error())
	}
}

// SetAutostart turns start-on-login on or off.
func (d *desktop) SetAutostart(on bool) (bool, error) {
	st, err := d.app.SetAutostart(on)
	if w, ok := d.window(); ok {
		wruntime.EventsEmit(w, EventAutostart, st.Enabled)
	}
	return st.Enabled, err
}

// Quit ends the app. Wails' quit is lost if it comes before GTK's main loop
// runs, so it waits for the page to have loaded (or a while), and asks
// again until the loop has ended.
func (d *desktop) Quit() {
	d.quitting.Store(true)
	d.quitOnce.Do(func() {
		go func() {
			w, ok := d.window()
			if !ok {
				return
			}
			select {
			case <-d.loaded:
			case <-d.exited:
				return
			case <-time.After(10 * time.Second):
			}
			for {
				wruntime.Quit(w)
				select {
				case <-d.exited:
					return
				case <-time.After(quitRetry):
				}
			}
		}()
	})
}

// startup records the window's context; Wails calls it through OnStartup.
func (a *App) startup(ctx context.Context) {
	a.mu.Lock()
	a.ctx = ctx
	a.mu.Unlock()
}

// trayShown reports whether the tray icon runs and a panel shows it.
func (a *App) trayShown(ctx context.Context) bool {
	a.mu.Lock()
	on := a.trayOn
	a.mu.Unlock()
	if !on {
		return false
	}
	vis, _ := a.cfg.TrayVisible(ctx)
	return vis
}
