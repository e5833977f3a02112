package server

import (
	"errors"
	"net"
	"testing"
)

// TestIsAddrInUse: a second listener on a taken port is recognised as
// "in use" on this platform (WSAEADDRINUSE on Windows), and other errors
// are not.
func TestIsAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = net.Listen("tcp", ln.Addr().String())
	if err == nil || !IsAddrInUse(err) {
		t.Fatalf("second listen on %s: %v; IsAddrInUse false", ln.Addr(), err)
	}
	if IsAddrInUse(errors.New("address already in use")) || IsAddrInUse(nil) {
		t.Error("text or nil taken for the error")
	}
}
