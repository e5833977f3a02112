package server

import "golang.org/x/sys/windows"

var errAddrInUse error = windows.WSAEADDRINUSE
