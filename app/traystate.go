package app

import (
	"context"
	"errors"

	"github.com/mcp-conductor/mcp-conductor/app/autostart"
	"github.com/mcp-conductor/mcp-conductor/app/backend"
	"github.com/mcp-conductor/mcp-conductor/app/tray"
)

// trayState gathers what the tray shows from the backend; without one it
// is the "not available yet" state.
func (a *App) trayState(ctx context.Context) tray.State {
	var st tray.State
	ctx, cancel := context.WithTimeout(ctx, stateTimeout)
	defer cancel()
	if b := a.cfg.Backend; b != nil {
		rt, ep := b.RuntimeStatus(ctx), b.EndpointStatus(ctx)
		st.Endpoint = &ep
		st.Health, st.Detail = health(rt, ep)
		st.ClientsAvailable = true
		cs, err := b.ListClients(ctx)
		if err != nil {
			st.ClientsErr = err.Error()
		}
		st.Clients = cs
	}
	if as, err := a.Autostart(); err == nil || errors.Is(err, autostart.ErrUnsupported) {
		st.AutostartSupported, st.Autostart = as.Supported, as.Enabled
	}
	return st
}

// health is the tray's badge and its sentence for the runtime and the
// endpoint: a missing Deno first, as nothing runs without it.
func health(rt backend.RuntimeStatus, ep backend.EndpointStatus) (tray.Health, string) {
	switch {
	case !rt.Found:
		return tray.HealthDenoMissing, rt.Detail
	case !ep.Running:
		return tray.HealthError, "the local endpoint is stopped"
	}
	return tray.HealthReady, ""
}
