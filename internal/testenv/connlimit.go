package testenv

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// CheckConnCap holds 64+16 silent connections to addr until the test ends and
// checks that the 16 oldest were closed to make room.
func CheckConnCap(t *testing.T, addr string) {
	t.Helper()
	const capacity, extra = 64, 16
	held := HoldConns(t, addr, capacity+extra)
	// The accept queue is FIFO: once this is answered, the server has
	// accepted every held connection. Its 401 closes its connection.
	probe := HoldConns(t, addr, 1)[0]
	fmt.Fprintf(probe, "GET /mcp HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	probe.SetReadDeadline(time.Now().Add(time.Minute))
	br := bufio.NewReader(probe)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 401 || !resp.Close {
		t.Fatalf("probe: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	if err := ClosedByServer(probe, br); err != nil {
		t.Errorf("the probe's connection after its 401: %v", err)
	}
	for i, c := range held[:extra+1] { // the probe pushed out one more
		if err := ClosedByServer(c, bufio.NewReader(c)); err != nil {
			t.Errorf("held connection %d, over the cap: %v", i, err)
		}
	}
}

// HoldConns opens n connections to addr and keeps them open until the test
// ends.
func HoldConns(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var cs []net.Conn
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		cs = append(cs, c)
	}
	return cs
}

// ClosedByServer reports whether the server closed c: a read returns EOF
// (or a reset) rather than a timeout.
func ClosedByServer(c net.Conn, br *bufio.Reader) error {
	c.SetReadDeadline(time.Now().Add(30 * time.Second)) // a hang guard: a closed connection answers at once
	n, err := br.Read(make([]byte, 1))
	switch {
	case n > 0:
		return errors.New("the server sent more data")
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET):
		return nil
	}
	return fmt.Errorf("still open: %v", err)
}
