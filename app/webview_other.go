//go:build desktop && !linux

package app

// watchWebView does nothing yet outside Linux: WKWebView and WebView2
// report a crashed page in ways of their own, not handled here (CI runs
// Linux only).
func watchWebView() {}
