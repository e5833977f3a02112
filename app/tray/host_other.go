//go:build !linux

package tray

import "context"

func checkHost() error { return nil }

// Visible reports whether the tray icon can be seen. Outside Linux the
// notification area always exists.
func Visible(ctx context.Context) (bool, string) { return true, "" }
