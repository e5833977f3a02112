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

// commandLine reads a process's command line ("" when it cannot):
// ProcessCommandLineInformation where the system has it (Windows 8.1 on),
// else from the process's PEB (Wine 8.0 has only that).
func commandLine(pid uint32) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_INFORMATION|windows.PROCESS_VM_READ, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	buf := make([]byte, 64<<10)
	var n uint32
	if err := windows.NtQueryInformationProcess(h, windows.ProcessCommandLineInformation, unsafe.Pointer(&buf[0]), uint32(len(buf)), &n); err == nil {
		return (*windows.NTUnicodeString)(unsafe.Pointer(&buf[0])).String()
	}
	var pbi windows.PROCESS_BASIC_INFORMATION
	if err := windows.NtQueryInformationProcess(h, windows.ProcessBasicInformation, unsafe.Pointer(&pbi), uint32(unsafe.Sizeof(pbi)), &n); err != nil {
		return ""
	}
	read := func(addr uintptr, dst unsafe.Pointer, size uintptr) bool {
		return windows.ReadProcessMemory(h, addr, (*byte)(dst), size, nil) == nil
	}
	var peb windows.PEB
	var params windows.RTL_USER_PROCESS_PARAMETERS
	if !read(uintptr(unsafe.Pointer(pbi.PebBaseAddress)), unsafe.Pointer(&peb), unsafe.Sizeof(peb)) ||
		!read(uintptr(unsafe.Pointer(peb.ProcessParameters)), unsafe.Pointer(&params), unsafe.Sizeof(params)) {
		return ""
	}
	cl := params.CommandLine
	if cl.Length == 0 {
		return ""
	}
	u := make([]uint16, cl.Length/2)
	if !read(uintptr(unsafe.Pointer(cl.Buffer)), unsafe.Pointer(&u[0]), uintptr(cl.Length)) {
		return ""
	}
	return windows.UTF16ToString(u)
}

// processMemoryCounters is PROCESS_MEMORY_COUNTERS (psapi), which
// golang.org/x/sys/windows does not define.
type processMemoryCounters struct {
	cb                         uint32
	PageFaultCount             uint32
	PeakWorkingSetSize         uintptr
	WorkingSetSize             uintptr
	QuotaPeakPagedPoolUsage    uintptr
	QuotaPagedPoolUsage        uintptr
	QuotaPeakNonPagedPoolUsage uintptr
	QuotaNonPagedPoolUsage     uintptr
	PagefileUsage              uintptr
	PeakPagefileUsage          uintptr
}

var getProcessMemoryInfo = windows.NewLazySystemDLL("kernel32.dll").NewProc("K32GetProcessMemoryInfo")

// peakRSSKB is a process's peak working set in KiB.
func peakRSSKB(t *testing.T, pid int) int {
	t.Helper()
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(h)
	c := processMemoryCounters{cb: uint32(unsafe.Sizeof(processMemoryCounters{}))}
	if r, _, err := getProcessMemoryInfo.Call(uintptr(h), uintptr(unsafe.Pointer(&c)), uintptr(c.cb)); r == 0 {
		t.Fatalf("GetProcessMemoryInfo: %v", err)
	}
	return int(c.PeakWorkingSetSize / 1024)
}

// processGone reports whether pid has exited.
func processGone(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return true
	}
	defer windows.CloseHandle(h)
	var code uint32
	return windows.GetExitCodeProcess(h, &code) == nil && code != 259 // STILL_ACTIVE
}

// aProgram is a program every Windows has, for tests that try to start
// one (Deno looks a program up before it asks for permission, so it must
// exist for the permission error to show).
const aProgram = "hostname"
