//go:build desktop && linux

package app

/*
#cgo linux pkg-config: gtk+-3.0
#cgo !webkit2_41 pkg-config: webkit2gtk-4.0
#cgo webkit2_41 pkg-config: webkit2gtk-4.1
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

extern void goWebProcessEnded(int reason);

static void on_terminated(WebKitWebView *view, WebKitWebProcessTerminationReason reason, gpointer data) {
	goWebProcessEnded((int)reason);
	webkit_web_view_reload(view);
}

static void find_view(GtkWidget *w, gpointer found) {
	if (*(GtkWidget **)found) return;
	if (WEBKIT_IS_WEB_VIEW(w)) {
		*(GtkWidget **)found = w;
		return;
	}
	if (GTK_IS_CONTAINER(w)) gtk_container_forall(GTK_CONTAINER(w), find_view, found);
}

// hook runs on the GTK main thread: it finds the window's web view and
// reloads its page whenever the web content process ends.
static gboolean hook(gpointer data) {
	GtkWidget *view = NULL;
	GList *tops = gtk_window_list_toplevels();
	for (GList *l = tops; l && !view; l = l->next) find_view(GTK_WIDGET(l->data), &view);
	g_list_free(tops);
	if (view) g_signal_connect(view, "web-process-terminated", G_CALLBACK(on_terminated), NULL);
	return G_SOURCE_REMOVE;
}

static void watch_web_view(void) { g_idle_add(hook, NULL); }
*/
import "C"

import "log/slog"

// watchWebView makes the window reload its page when WebKit's web content
// process ends (it crashed, or was killed for using too much memory):
// otherwise the window stays blank until the app is restarted.
func watchWebView() { C.watch_web_view() }

//export goWebProcessEnded
func goWebProcessEnded(reason C.int) {
	why := "crashed"
	if reason == C.WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT {
		why = "used too much memory"
	} else if reason == C.WEBKIT_WEB_PROCESS_TERMINATED_BY_API {
		why = "was stopped"
	}
	slog.Warn("the window's web content process ended; reloading the page", "why", why)
}
