package app

import (
	"fmt"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// Settings returns the Permissions & packages page's data.
func (a *App) Settings() (backend.SettingsView, error) {
	b, err := a.backendOrErr("settings")
	if err != nil {
		return backend.SettingsView{}, err
	}
	return b.Settings()
}

// SaveSettings validates s, writes it to the settings file and switches the
// engine to it (backend.SaveSettings), tells the window (EventSettings),
// and returns the page's new data.
func (a *App) SaveSettings(s backend.Settings) (backend.SettingsView, error) {
	b, err := a.backendOrErr("settings")
	if err != nil {
		return backend.SettingsView{}, err
	}
	v, err := b.SaveSettings(a.context(), s)
	if err != nil {
		return v, err
	}
	a.cfg.Events.Emit(EventSettings)
	return v, nil
}

// CheckPackage says whether spec can go on the allowed packages list, as
// SaveSettings would judge it, so the page refuses a chip when it is added.
// Nil means it can.
func (a *App) CheckPackage(spec string) error { return backend.CheckPackage(spec) }

// CheckPythonPackage says whether spec can go on the Python allowlist, as
// SaveSettings would judge it (backend.CheckPythonPackage).
func (a *App) CheckPythonPackage(spec string) error { return backend.CheckPythonPackage(spec) }

// ChooseFolder asks the user for a folder with the system's dialog,
// starting in start; "" means the user cancelled.
func (a *App) ChooseFolder(title, start string) (string, error) {
	if a.cfg.PickFolder == nil {
		return "", notAvailable("the folder dialog")
	}
	dir, err := a.cfg.PickFolder(a.context(), title, start)
	if err != nil {
		return "", fmt.Errorf("the folder dialog: %w", err)
	}
	return dir, nil
}
