package e2e

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// proc is a running process as the tests see it.
type proc struct {
	pid          int
	exe, cmdline string // the program's file name; the whole command line
}

// childProcesses lists the children of ppid: a Toolhelp snapshot for the
// parent, NtQueryInformationProcess for the command line.
func childProcesses(t *testing.T, ppid int) []proc {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		t.Fatalf("process snapshot: %v", err)
	}
	defer windows.CloseHandle(snap)
	var out []proc
	pe := windows.ProcessEntry32{Size: uint32(unsafe.Sizeof(windows.ProcessEntry32{}))}
	for err = windows.Process32First(snap, &pe); err == nil; err = windows.Process32Next(snap, &pe) {
		if int(pe.ParentProcessID) != ppid {
			continue
		}
		out = append(out, proc{pid: int(pe.ProcessID), exe: windows.UTF16ToString(pe.ExeFile[:]), cmdline: commandLine(pe.ProcessID)})
	}
	return out
}

// commandLine reads a process's command line ("" when it cannot).
func commandLine(pid uint32) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	buf := make([]byte, 64<<10)
	var n uint32
	if err := windows.NtQueryInformationProcess(h, windows.ProcessCommandLineInformation, unsafe.Pointer(&buf[0]), uint32(len(buf)), &n); err != nil {
		return ""
	}
	return (*windows.NTUnicodeString)(unsafe.Pointer(&buf[0])).String()
}
