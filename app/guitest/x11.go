//go:build gui && linux && cgo

package guitest

/*
#cgo pkg-config: x11 xtst
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

static int ignore_errors(Display *d, XErrorEvent *e) { return 0; }

static void quiet(void) { XSetErrorHandler(ignore_errors); }

// window_name returns the window's _NET_WM_NAME (or WM_NAME), malloc'ed, or NULL.
static char *window_name(Display *d, Window w) {
	Atom utf8 = XInternAtom(d, "UTF8_STRING", False);
	Atom net = XInternAtom(d, "_NET_WM_NAME", False);
	Atom type; int format; unsigned long n, after; unsigned char *data = NULL;
	if (XGetWindowProperty(d, w, net, 0, 1024, False, utf8, &type, &format, &n, &after, &data) == Success && data) {
		char *s = strdup((char *)data);
		XFree(data);
		return s;
	}
	char *name = NULL;
	if (XFetchName(d, w, &name) && name) {
		char *s = strdup(name);
		XFree(name);
		return s;
	}
	return NULL;
}

// find_window searches the tree under w for a window titled name.
static Window find_window(Display *d, Window w, const char *name) {
	char *n = window_name(d, w);
	if (n) {
		int match = strcmp(n, name) == 0;
		free(n);
		if (match) return w;
	}
	Window root, parent, *kids = NULL; unsigned int nk = 0;
	if (!XQueryTree(d, w, &root, &parent, &kids, &nk)) return 0;
	Window found = 0;
	for (unsigned int i = 0; i < nk && !found; i++) found = find_window(d, kids[i], name);
	if (kids) XFree(kids);
	return found;
}

static int send_delete(Display *d, Window w) {
	XEvent ev;
	memset(&ev, 0, sizeof ev);
	ev.xclient.type = ClientMessage;
	ev.xclient.window = w;
	ev.xclient.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
	ev.xclient.format = 32;
	ev.xclient.data.l[0] = XInternAtom(d, "WM_DELETE_WINDOW", False);
	ev.xclient.data.l[1] = CurrentTime;
	int ok = XSendEvent(d, w, False, NoEventMask, &ev);
	XFlush(d);
	return ok;
}

// grab copies the screen area of w as 0xRRGGBB pixels into out (w*h).
static int grab(Display *d, Window w, int *ox, int *oy, int *ow, int *oh, unsigned int **out) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(d, w, &a) || a.map_state != IsViewable) return 0;
	Window child; int x, y;
	XTranslateCoordinates(d, w, DefaultRootWindow(d), 0, 0, &x, &y, &child);
	XImage *img = XGetImage(d, DefaultRootWindow(d), x, y, a.width, a.height, AllPlanes, ZPixmap);
	if (!img) return 0;
	unsigned int *px = malloc(sizeof(unsigned int) * a.width * a.height);
	for (int j = 0; j < a.height; j++)
		for (int i = 0; i < a.width; i++)
			px[j * a.width + i] = XGetPixel(img, i, j) & 0xffffff;
	XDestroyImage(img);
	*ox = x; *oy = y; *ow = a.width; *oh = a.height; *out = px;
	return 1;
}

// press types one key chord on the keyboard (XTest), as a person would:
// the modifier (0 for none) held down around the key. The window gets the
// focus first.
static int press(Display *d, Window w, KeySym mod, KeySym key) {
	int ev, er, maj, min;
	if (!XTestQueryExtension(d, &ev, &er, &maj, &min)) return 0;
	XSetInputFocus(d, w, RevertToParent, CurrentTime);
	KeyCode m = mod ? XKeysymToKeycode(d, mod) : 0;
	KeyCode k = XKeysymToKeycode(d, key);
	if (m) XTestFakeKeyEvent(d, m, True, CurrentTime);
	XTestFakeKeyEvent(d, k, True, CurrentTime);
	XTestFakeKeyEvent(d, k, False, CurrentTime);
	if (m) XTestFakeKeyEvent(d, m, False, CurrentTime);
	XFlush(d);
	return 1;
}

static void resize(Display *d, Window w, int width, int height) {
	XResizeWindow(d, w, width, height);
	XFlush(d);
}

static int viewable(Display *d, Window w) {
	XWindowAttributes a;
	return XGetWindowAttributes(d, w, &a) && a.map_state == IsViewable;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"unsafe"
)

// display is a connection to an X server.
type display struct{ d *C.Display }

func openDisplay(name string) (*display, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	d := C.XOpenDisplay(cs)
	if d == nil {
		return nil, fmt.Errorf("cannot open X display %q", name)
	}
	C.quiet()
	return &display{d}, nil
}

// Close closes the connection.
func (x *display) Close() { C.XCloseDisplay(x.d) }

// findWindow returns the window titled title, or 0.
func (x *display) findWindow(title string) uint64 {
	cs := C.CString(title)
	defer C.free(unsafe.Pointer(cs))
	return uint64(C.find_window(x.d, C.XDefaultRootWindow(x.d), cs))
}

// viewable reports whether w is mapped and all its ancestors are.
func (x *display) viewable(w uint64) bool {
	return w != 0 && C.viewable(x.d, C.Window(w)) != 0
}

// close asks w to close, as a window manager's close button does.
func (x *display) close(w uint64) error {
	if C.send_delete(x.d, C.Window(w)) == 0 {
		return errors.New("XSendEvent failed")
	}
	return nil
}

// key types the key named by keysym ("1", "q", "Tab", "Return",
// "Escape") in w, with Ctrl held when ctrl is set.
func (x *display) key(w uint64, ctrl bool, keysym string) error {
	cs := C.CString(keysym)
	defer C.free(unsafe.Pointer(cs))
	k := C.XStringToKeysym(cs)
	if k == C.NoSymbol {
		return fmt.Errorf("no key %q", keysym)
	}
	var mod C.KeySym
	if ctrl {
		mod = C.XK_Control_L
	}
	if C.press(x.d, C.Window(w), mod, k) == 0 {
		return errors.New("the X server has no XTest extension")
	}
	return nil
}

// resize asks for w to be width×height (no window manager is in the way).
func (x *display) resize(w uint64, width, height int) {
	C.resize(x.d, C.Window(w), C.int(width), C.int(height))
}

// screenshot returns what the screen shows where w is.
func (x *display) screenshot(w uint64) (*image.RGBA, error) {
	var ox, oy, ow, oh C.int
	var px *C.uint
	if C.grab(x.d, C.Window(w), &ox, &oy, &ow, &oh, &px) == 0 {
		return nil, errors.New("the window is not viewable")
	}
	defer C.free(unsafe.Pointer(px))
	n := int(ow) * int(oh)
	src := unsafe.Slice((*uint32)(unsafe.Pointer(px)), n)
	img := image.NewRGBA(image.Rect(0, 0, int(ow), int(oh)))
	for i, p := range src {
		img.Set(i%int(ow), i/int(ow), color.RGBA{uint8(p >> 16), uint8(p >> 8), uint8(p), 255})
	}
	return img, nil
}
