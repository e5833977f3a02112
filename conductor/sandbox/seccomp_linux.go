package sandbox

import (
	"fmt"
	"unsafe"

	seccomp "github.com/elastic/go-seccomp-bpf"
	"github.com/elastic/go-seccomp-bpf/arch"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// sockets says which kinds of socket sandboxed code (and what it starts)
// may create. Landlock up to ABI 9 only governs TCP, and pathname unix
// sockets only from ABI 9, so the seccomp filter closes the rest: UDP,
// raw, packet and netlink sockets without allow-net, and every other
// family always. A socket pair (two connected ends, reaching nothing) is
// always allowed.
type sockets struct {
	inet    bool // AF_INET and AF_INET6: allow-net (Deno filters hosts; Landlock, TCP without it)
	netlink bool // AF_NETLINK, NETLINK_ROUTE only: name resolution and network interfaces
	unix    bool // AF_UNIX: only where Landlock confines connects to granted folders (ABI 9)
	filter  bool // whether to load the filter at all
}

// socketPolicy derives the socket rules for a process started under spec
// on a kernel with this Landlock ABI.
func socketPolicy(spec LaunchSpec, abi int) sockets {
	return sockets{
		inet:    !spec.NoNet,
		netlink: !spec.NoNet || spec.Sys,
		unix:    spec.Confine && abi >= 9,
		filter:  spec.Filter,
	}
}

// Errors the filter answers with: a refused socket reads as a permission
// error (Deno reports PermissionDenied); io_uring, which can make sockets
// behind the filter's back, as absent.
const (
	refuseSocket  = seccomp.ActionErrno | seccomp.Action(unix.EACCES)
	refuseIOURing = seccomp.ActionErrno | seccomp.Action(unix.ENOSYS)
)

// socketFilter assembles the seccomp program for s (nil when s.filter is
// false). go-seccomp-bpf builds the rules; an architecture guard is put in
// front of them, because with an allow-by-default policy the library lets a
// foreign-architecture system call (a 32-bit call through int 0x80 on
// x86-64) pass unfiltered.
func socketFilter(s sockets) (*unix.SockFprog, error) {
	if !s.filter {
		return nil, nil
	}
	insts, err := filterInstructions(s)
	if err != nil {
		return nil, err
	}
	raw, err := bpf.Assemble(insts)
	if err != nil {
		return nil, fmt.Errorf("seccomp filter: %w", err)
	}
	prog := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		prog[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	return &unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}, nil
}

func filterInstructions(s sockets) ([]bpf.Instruction, error) {
	info, err := arch.GetInfo("")
	if err != nil {
		return nil, fmt.Errorf("seccomp filter: %w", err)
	}
	var allowed []uint64
	if s.inet {
		allowed = append(allowed, unix.AF_INET, unix.AF_INET6)
	}
	if s.netlink {
		allowed = append(allowed, unix.AF_NETLINK)
	}
	if s.unix {
		allowed = append(allowed, unix.AF_UNIX)
	}
	refused := seccomp.SyscallGroup{Action: refuseSocket}
	if len(allowed) == 0 {
		refused.Names = []string{"socket"}
	} else {
		var other seccomp.ArgumentConditions // the family is none of the allowed
		for _, f := range allowed {
			other = append(other, seccomp.Condition{Argument: 0, Operation: seccomp.NotEqual, Value: f})
		}
		refused.NamesWithCondtions = append(refused.NamesWithCondtions, seccomp.NameWithConditions{Name: "socket", Conditions: other})
	}
	if s.netlink {
		refused.NamesWithCondtions = append(refused.NamesWithCondtions, seccomp.NameWithConditions{Name: "socket", Conditions: seccomp.ArgumentConditions{
			{Argument: 0, Operation: seccomp.Equal, Value: unix.AF_NETLINK},
			{Argument: 2, Operation: seccomp.NotEqual, Value: unix.NETLINK_ROUTE},
		}})
	}
	refused.NamesWithCondtions = append(refused.NamesWithCondtions, seccomp.NameWithConditions{Name: "socketpair", Conditions: seccomp.ArgumentConditions{
		{Argument: 0, Operation: seccomp.NotEqual, Value: unix.AF_UNIX},
	}})
	policy := seccomp.Policy{
		DefaultAction: seccomp.ActionAllow,
		Syscalls: []seccomp.SyscallGroup{
			{Action: refuseIOURing, Names: []string{"io_uring_setup", "io_uring_enter", "io_uring_register"}},
			refused,
		},
	}
	body, err := policy.Assemble()
	if err != nil {
		return nil, fmt.Errorf("seccomp filter: %w", err)
	}
	guard := []bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4}, // seccomp_data.arch
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(info.ID), SkipTrue: 1},
		bpf.RetConstant{Val: uint32(refuseIOURing)},
	}
	return append(guard, body...), nil
}

// loadFilter installs prog on the calling thread only (no TSYNC): the
// thread that starts the sandbox, never the conductor's others.
func loadFilter(prog *unix.SockFprog) error {
	if prog == nil {
		return nil
	}
	return unix.Prctl(unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_FILTER, uintptr(unsafe.Pointer(prog)), 0, 0)
}
