package sandbox

import (
	"fmt"
	"os"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// linkDir makes link lead to the folder target: a junction (a mount-point
// reparse point), which, unlike a symbolic link, every user may make
// without developer mode. go-winio encodes the reparse data; Windows has no
// call that makes a junction by itself.
func linkDir(target, link string) error {
	if err := os.Mkdir(link, 0o700); err != nil {
		return err
	}
	data := winio.EncodeReparsePoint(&winio.ReparsePoint{Target: target, IsMountPoint: true})
	p, err := windows.UTF16PtrFromString(link)
	if err != nil {
		return err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING,
		windows.FILE_FLAG_OPEN_REPARSE_POINT|windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		os.Remove(link)
		return err
	}
	defer windows.CloseHandle(h)
	var n uint32
	if err := windows.DeviceIoControl(h, windows.FSCTL_SET_REPARSE_POINT, &data[0], uint32(len(data)), nil, 0, &n, nil); err != nil {
		os.Remove(link)
		return fmt.Errorf("junction %s → %s: %w", link, target, err)
	}
	return nil
}
