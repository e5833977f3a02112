package sandbox

import (
	"os"

	"golang.org/x/sys/windows"
)

// hardLinks reports how many names a regular file has; 1 where unknown.
func hardLinks(path string) int {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return 1
	}
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 1
	}
	h, err := windows.CreateFile(p, 0, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil, windows.OPEN_EXISTING, windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		return 1
	}
	defer windows.CloseHandle(h)
	var info windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(h, &info); err != nil || info.NumberOfLinks == 0 {
		return 1
	}
	return int(info.NumberOfLinks)
}
