package server

import "golang.org/x/sys/windows"

// errConnReset is the error of a read from a connection the peer reset:
// WSAECONNRESET (10054), which syscall.ECONNRESET does not match on Windows.
var errConnReset error = windows.WSAECONNRESET
