//go:build windows

package autostart

import (
	"errors"
	"strings"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// runKey is where Windows keeps the current user's login items: one string
// value per item, named for it, holding the command line to run.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// runCommand is exec as one Windows command line, each argument quoted by
// the rules programs' argument parsers undo.
func runCommand(exec []string) string {
	q := make([]string, len(exec))
	for i, a := range exec {
		q[i] = windows.EscapeArg(a)
	}
	return strings.Join(q, " ")
}

func runKeyEnabled(name string) (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer k.Close()
	_, _, err = k.GetStringValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func setRunKey(name string, exec []string, on bool) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	if !on {
		if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return err
		}
		return nil
	}
	return k.SetStringValue(name, runCommand(exec))
}
