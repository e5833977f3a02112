package server

import "errors"

// IsAddrInUse reports whether err (from net.Listen) says the address is
// taken by another socket: EADDRINUSE on Unix, WSAEADDRINUSE (10048) on
// Windows, which is a different number that syscall.EADDRINUSE does not
// match there.
func IsAddrInUse(err error) bool {
	return err != nil && errors.Is(err, errAddrInUse)
}
