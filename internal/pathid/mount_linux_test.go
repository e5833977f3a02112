package pathid

import "golang.org/x/sys/unix"

func bindMount(src, dst string) error { return unix.Mount(src, dst, "", unix.MS_BIND, "") }
func unmount(dst string)              { _ = unix.Unmount(dst, unix.MNT_DETACH) }
