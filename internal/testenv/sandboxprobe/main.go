//go:build linux

// Command sandboxprobe is a test program that sandboxed code starts (with
// allow-run) to try what Deno's own checks cannot see: system calls made
// directly by a child process. Each argument is one attempt; it prints one
// line per attempt, "<attempt>: ok" or "<attempt>: <error>".
//
//	read:<path>     read a file
//	udp:<host:port> send one UDP datagram
//	unix:<path>     connect to a pathname unix socket
//	netlink         open a NETLINK_ROUTE socket
//	chown:<path>    give a file to another user (needs CAP_CHOWN)
//	caps            print the effective, permitted and bounding capabilities
package main

import (
	"fmt"
	"net"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

func main() {
	for _, arg := range os.Args[1:] {
		what, target, _ := strings.Cut(arg, ":")
		fmt.Printf("%s: %s\n", arg, try(what, target))
	}
}

func try(what, target string) string {
	var err error
	switch what {
	case "read":
		var b []byte
		b, err = os.ReadFile(target)
		if err == nil {
			return "ok " + strings.TrimSpace(string(b))
		}
	case "udp":
		var c net.Conn
		if c, err = net.Dial("udp", target); err == nil {
			_, err = c.Write([]byte("probe"))
			c.Close()
		}
	case "unix":
		var c net.Conn
		if c, err = net.Dial("unix", target); err == nil {
			c.Close()
		}
	case "netlink":
		var fd int
		if fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_ROUTE); err == nil {
			unix.Close(fd)
		}
	case "chown":
		err = os.Chown(target, 12345, 12345)
	case "caps":
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		var data [2]unix.CapUserData
		if err = unix.Capget(&hdr, &data[0]); err != nil {
			break
		}
		bounding := 0
		for c := 0; c < 64; c++ {
			if v, e := unix.PrctlRetInt(unix.PR_CAPBSET_READ, uintptr(c), 0, 0, 0); e == nil && v == 1 {
				bounding++
			}
		}
		eff := uint64(data[1].Effective)<<32 | uint64(data[0].Effective)
		perm := uint64(data[1].Permitted)<<32 | uint64(data[0].Permitted)
		return fmt.Sprintf("effective=%x permitted=%x bounding=%d", eff, perm, bounding)
	default:
		return "unknown attempt"
	}
	if err != nil {
		return err.Error()
	}
	return "ok"
}
