package sandbox

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// uiLimitBits are the JOB_OBJECT_UILIMIT_* flags by the names winJob uses.
var uiLimitBits = map[string]uint32{
	"DESKTOP": windows.JOB_OBJECT_UILIMIT_DESKTOP, "DISPLAYSETTINGS": windows.JOB_OBJECT_UILIMIT_DISPLAYSETTINGS,
	"EXITWINDOWS": windows.JOB_OBJECT_UILIMIT_EXITWINDOWS, "GLOBALATOMS": windows.JOB_OBJECT_UILIMIT_GLOBALATOMS,
	"HANDLES": windows.JOB_OBJECT_UILIMIT_HANDLES, "READCLIPBOARD": windows.JOB_OBJECT_UILIMIT_READCLIPBOARD,
	"SYSTEMPARAMETERS": windows.JOB_OBJECT_UILIMIT_SYSTEMPARAMETERS, "WRITECLIPBOARD": windows.JOB_OBJECT_UILIMIT_WRITECLIPBOARD,
}

// jobLimits is j as Windows' extended limit structure.
func jobLimits(j winJob) windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION {
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	flags := uint32(0)
	if j.KillOnClose {
		flags |= windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	}
	if j.DieOnUnhandled {
		flags |= windows.JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION
	}
	if j.ActiveProcesses > 0 {
		flags |= windows.JOB_OBJECT_LIMIT_ACTIVE_PROCESS
		info.BasicLimitInformation.ActiveProcessLimit = j.ActiveProcesses
	}
	if j.JobMemory > 0 {
		flags |= windows.JOB_OBJECT_LIMIT_JOB_MEMORY
		info.JobMemoryLimit = uintptr(j.JobMemory)
	}
	info.BasicLimitInformation.LimitFlags = flags
	return info
}

// newJob makes the Job Object for one process, with j's limits.
func newJob(j winJob) (windows.Handle, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return 0, fmt.Errorf("create the sandbox's job object: %w", err)
	}
	info := jobLimits(j)
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return 0, fmt.Errorf("limit the sandbox's job object: %w", err)
	}
	ui := windows.JOBOBJECT_BASIC_UI_RESTRICTIONS{}
	for _, name := range j.UIRestrictions {
		ui.UIRestrictionsClass |= uiLimitBits[name]
	}
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectBasicUIRestrictions,
		uintptr(unsafe.Pointer(&ui)), uint32(unsafe.Sizeof(ui))); err != nil {
		windows.CloseHandle(job)
		return 0, fmt.Errorf("restrict the sandbox's job object: %w", err)
	}
	return job, nil
}

// queryJobLimits reads a job's limits back (for tests).
func queryJobLimits(job windows.Handle) (windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION, error) {
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	err := windows.QueryInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil)
	return info, err
}
