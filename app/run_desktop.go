//go:build desktop

package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
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
	"github.com/mcp-conductor/mcp-conductor/app/notify"
	"github.com/mcp-conductor/mcp-conductor/app/tray"
	"github.com/mcp-conductor/mcp-conductor/frontend"
)

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
	if (cfg.StartHidden || os.Getenv(EnvStartHidden) == "1") && terr == nil {
		vctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		hidden, _ = tray.Visible(vctx)
		cancel()
	}

	d.hidden.Store(hidden)
	// A question that arrives while the window is hidden is announced by a
	// desktop notification (Linux); a click on it shows the window. Without
	// notifications the window shows itself.
	d.notes = &approvalNotes{hidden: d.hidden.Load, open: d.OpenWindow, questions: d.app.Approvals}
	if n, err := notify.New(notify.Options{AppName: Title}); err == nil {
		defer n.Close()
		d.notes.show, d.notes.withdraw = n.Show, n.Withdraw
	} else {
		slog.Info("no desktop notifications: an approval question shows the window", "err", err)
	}
	cfg.Events.Listen(EventApprovals, d.approvalsChanged)

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
