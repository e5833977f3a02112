//go:build desktop

package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/mcp-conductor/mcp-conductor/app/icon"
	"github.com/mcp-conductor/mcp-conductor/app/instance"
	"github.com/mcp-conductor/mcp-conductor/app/tray"
	"github.com/mcp-conductor/mcp-conductor/frontend"
)

// quitRetry spaces Quit's repeated requests (one may be lost before GTK's
// main loop runs).
const quitRetry = 2 * time.Second

// Run shows the window and the tray icon and blocks until the user quits
// (tray "Quit") or ctx ends. If another instance already runs for this user,
// Run asks it to show its window and returns nil. It must be called on the
// main goroutine: GTK and Cocoa need the main thread.
func Run(ctx context.Context, cfg Config) error {
	inst, err := instance.Acquire(instance.DefaultDir(ID))
	if errors.Is(err, instance.ErrAlreadyRunning) {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := instance.Send(sctx, instance.DefaultDir(ID), instance.CmdShow); err != nil {
			return fmt.Errorf("MCP Conductor is already running, but did not answer: %w", err)
		}
		fmt.Println("MCP Conductor is already running; its window was brought to the front.")
		return nil
	}
	if err != nil {
		return err
	}
	defer inst.Close()

	assets, err := frontend.Assets()
	if err != nil {
		return err
	}
	if cfg.Events == nil {
		cfg.Events = &Events{}
	}
	if cfg.PickFolder == nil {
		cfg.PickFolder = func(wctx context.Context, title, start string) (string, error) {
			return wruntime.OpenDirectoryDialog(wctx, wruntime.OpenDialogOptions{
				Title: title, DefaultDirectory: start, CanCreateDirectories: true})
		}
	}
	if cfg.Setup != nil {
		if stop := cfg.Setup(ctx, &cfg); stop != nil {
			defer stop()
		}
	}

	d := &desktop{app: New(cfg), ready: make(chan struct{}), loaded: make(chan struct{}), exited: make(chan struct{}),
		refresh: make(chan struct{}, 1)}
	d.trayClients = trayClients{d.app}
	d.app.quit = d.Quit
	d.tray = tray.New(d, d.app.trayState(ctx))
	// The tray follows the engine at once, not only at the next poll.
	for _, ev := range []string{EventStatus, EventClients, EventSettings} {
		cfg.Events.Listen(ev, d.refreshTray)
	}
	go inst.Serve(func(cmd string) error {
		if cmd != instance.CmdShow {
			return fmt.Errorf("unknown command %q", cmd)
		}
		d.OpenWindow()
		return nil
	})

	// The tray's external loop starts here, on the main thread, before the
	// window's loop: macOS requires it, Linux (D-Bus) and Windows (its own
	// message thread) accept it.
	stopTray, terr := d.tray.Start()
	if terr != nil {
		slog.Warn("no tray icon", "err", terr)
	}
	d.app.setTray(terr == nil, terr)
	// Start hidden (as the login item asks) only where a panel shows the
	// tray icon; otherwise the app would run with no way in.
	hidden := false
	if os.Getenv(EnvStartHidden) == "1" && terr == nil {
		vctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		hidden, _ = tray.Visible(vctx)
		cancel()
	}

	err = wails.Run(&options.App{
		Title:     Title,
		Width:     1120,
		Height:    760,
		MinWidth:  820,
		MinHeight: 560,
		// Closing hides the window only where a panel shows the tray icon
		// (see beforeClose); elsewhere it quits.
		HideWindowOnClose: false,
		OnBeforeClose:     d.beforeClose,
		StartHidden:       hidden,
		AssetServer:       &assetserver.Options{Assets: assets},
		BackgroundColour:  options.NewRGB(248, 249, 251),
		OnStartup:         func(wctx context.Context) { d.startup(ctx, wctx) },
		OnDomReady:        d.domReady,
		OnShutdown:        func(context.Context) { d.shutdown() },
		Bind:              []any{d.app},
		Linux: &linux.Options{
			Icon:                icon.PNG(256, icon.NoBadge),
			ProgramName:         ID,
			WindowIsTranslucent: false,
			WebviewGpuPolicy:    linux.WebviewGpuPolicyOnDemand,
		},
		Mac: &mac.Options{
			About: &mac.AboutInfo{Title: Title, Message: "Version " + cfg.Version, Icon: icon.PNG(256, icon.NoBadge)},
		},
		Windows: &windows.Options{},
	})
	close(d.exited)
	if stopTray != nil {
		stopTray()
	}
	if err != nil {
		return fmt.Errorf("desktop window: %w", err)
	}
	return nil
}

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
