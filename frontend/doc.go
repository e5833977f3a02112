// Package frontend holds the desktop window's built web assets; they are
// embedded only in binaries built with the "desktop" tag (see assets.go).
package frontend
