package core

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/internal/testenv"
)

// A local program without the token holds more connections open than the
// endpoint's cap (server.Serve) without sending a byte: the oldest are
// closed to make room, and a client with the token is still served.
func TestEndpointUnderFlood(t *testing.T) {
	port := freePort(t)
	c := start(t, newHome(t, port), testenv.Deno(t))
	if _, err := c.Engine(); err != nil {
		t.Fatal(err)
	}
	ep, _ := c.EndpointStatus(context.Background())
	token, err := c.Token()
	if !ep.Running || err != nil {
		t.Fatalf("EndpointStatus = %+v, token: %v", ep, err)
	}
	checkCap(t, "127.0.0.1:"+strconv.Itoa(port))
	if out, err := callEndpoint(t, ep.URL, token); err != nil || !strings.Contains(out, `"returnValue":42`) {
		t.Fatalf("run through the endpoint while the cap is full: %s, %v", out, err)
	}
}

// checkCap holds 64+16 silent connections to addr until the test ends and
// checks that the 16 oldest were closed to make room.
func checkCap(t *testing.T, addr string) {
	t.Helper()
	const capacity, extra = 64, 16
	held := holdConns(t, addr, capacity+extra)
	// The accept queue is FIFO: once this is answered, the server has
	// accepted every held connection. Its 401 closes its connection.
	probe := holdConns(t, addr, 1)[0]
	fmt.Fprintf(probe, "GET /mcp HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	probe.SetReadDeadline(time.Now().Add(time.Minute))
	br := bufio.NewReader(probe)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 401 || !resp.Close {
		t.Fatalf("probe: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	if err := closedByServer(probe, br); err != nil {
		t.Errorf("the probe's connection after its 401: %v", err)
	}
	for i, c := range held[:extra+1] { // the probe pushed out one more
		if err := closedByServer(c, bufio.NewReader(c)); err != nil {
			t.Errorf("held connection %d, over the cap: %v", i, err)
		}
	}
}

// holdConns opens n connections to addr and keeps them open until the test
// ends.
func holdConns(t *testing.T, addr string, n int) []net.Conn {
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

// closedByServer reports whether the server closed c: a read returns EOF
// (or a reset) rather than, within the endpoint's 10 s header timeout, a
// timeout.
func closedByServer(c net.Conn, br *bufio.Reader) error {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := br.Read(make([]byte, 1))
	switch {
	case n > 0:
		return errors.New("the server sent more data")
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET):
		return nil
	}
	return fmt.Errorf("still open: %v", err)
}
