//go:build windows

package autostart

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// runKey is where Windows keeps the current user's login items: one string
// value per item, named for it, holding the command line to run.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// runCommand is exec as one Windows command line. Windows splits the
// program name by its own rule (everything up to the next quote, with no
// backslash escapes), so the program is always quoted plainly and may not
// hold a quote, which no Windows file name can; every later argument is
// quoted by the rules programs' argument parsers undo.
func runCommand(exec []string) (string, error) {
	if len(exec) == 0 {
		return "", errors.New("no program to run at login")
	}
	if strings.ContainsRune(exec[0], '"') {
		return "", fmt.Errorf("program path %q holds a quote, which a Windows file name cannot", exec[0])
	}
	q := make([]string, len(exec))
	q[0] = `"` + exec[0] + `"`
	for i, a := range exec[1:] {
		q[i+1] = windows.EscapeArg(a)
	}
	return strings.Join(q, " "), nil
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
	line, err := runCommand(exec)
	if err != nil {
		return err
	}
	return k.SetStringValue(name, line)
}
