//go:build !linux

package pathid

import "errors"

func bindMount(src, dst string) error { return errors.New("bind mounts are a Linux test") }
func unmount(dst string)              {}
