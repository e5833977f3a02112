package sandbox

import (
	"encoding/binary"
	"testing"

	"github.com/elastic/go-seccomp-bpf/arch"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// The filter is data: run it in a BPF machine against system calls and
// check what the kernel would answer.
func TestSocketFilter(t *testing.T) {
	native, err := arch.GetInfo("")
	if err != nil {
		t.Fatal(err)
	}
	nr := func(name string) uint32 {
		n, ok := native.SyscallNames[name]
		if !ok {
			t.Fatalf("no syscall %s", name)
		}
		return uint32(n)
	}
	type call struct {
		name   string
		archID uint32
		args   [6]uint64
	}
	allow, refused, absent := uint32(unix.SECCOMP_RET_ALLOW), uint32(refuseSocket), uint32(refuseIOURing)
	sock := func(family, typ, proto uint64) call {
		return call{name: "socket", args: [6]uint64{family, typ, proto}}
	}
	for _, tt := range []struct {
		name  string
		s     sockets
		calls map[string]call
		want  map[string]uint32
	}{
		{
			name: "no network",
			s:    sockets{filter: true},
			calls: map[string]call{
				"udp": sock(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0), "tcp6": sock(unix.AF_INET6, unix.SOCK_STREAM, 0),
				"mptcp":   sock(unix.AF_INET, unix.SOCK_STREAM, unix.IPPROTO_MPTCP),
				"netlink": sock(unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_ROUTE), "packet": sock(unix.AF_PACKET, unix.SOCK_RAW, 0),
				"unix": sock(unix.AF_UNIX, unix.SOCK_STREAM, 0), "pair": {name: "socketpair", args: [6]uint64{unix.AF_UNIX, unix.SOCK_STREAM}},
				"inet pair": {name: "socketpair", args: [6]uint64{unix.AF_INET, unix.SOCK_STREAM}},
				"io_uring":  {name: "io_uring_setup"}, "read": {name: "read"},
				// The family in the high half of the register must not fool it.
				"high bits": sock(1<<32|unix.AF_INET, unix.SOCK_DGRAM, 0),
				"i386":      {name: "read", archID: unix.AUDIT_ARCH_I386},
			},
			want: map[string]uint32{"udp": refused, "tcp6": refused, "mptcp": refused, "netlink": refused, "packet": refused, "unix": refused,
				"pair": allow, "inet pair": refused, "io_uring": absent, "read": allow, "high bits": refused, "i386": absent},
		},
		{
			name: "allow-net",
			s:    sockets{filter: true, inet: true, netlink: true},
			calls: map[string]call{
				"udp": sock(unix.AF_INET, unix.SOCK_DGRAM, 0), "tcp6": sock(unix.AF_INET6, unix.SOCK_STREAM, 0),
				"route": sock(unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_ROUTE), "audit": sock(unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_AUDIT),
				"packet": sock(unix.AF_PACKET, unix.SOCK_RAW, 0), "unix": sock(unix.AF_UNIX, unix.SOCK_STREAM, 0), "vsock": sock(unix.AF_VSOCK, unix.SOCK_STREAM, 0),
			},
			want: map[string]uint32{"udp": allow, "tcp6": allow, "route": allow, "audit": refused, "packet": refused, "unix": refused, "vsock": refused},
		},
		{
			name:  "unix sockets under Landlock ABI 9",
			s:     sockets{filter: true, unix: true},
			calls: map[string]call{"unix": sock(unix.AF_UNIX, unix.SOCK_STREAM, 0), "udp": sock(unix.AF_INET, unix.SOCK_DGRAM, 0)},
			want:  map[string]uint32{"unix": allow, "udp": refused},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			insts, err := filterInstructions(tt.s)
			if err != nil {
				t.Fatal(err)
			}
			vm, err := bpf.NewVM(insts)
			if err != nil {
				t.Fatal(err)
			}
			for name, c := range tt.calls {
				// struct seccomp_data, little-endian as on amd64 and arm64;
				// the kernel loads words in the machine's order, the VM in
				// network order, so each word is written big-endian.
				data := make([]byte, 64)
				a := c.archID
				if a == 0 {
					a = uint32(native.ID)
				}
				binary.BigEndian.PutUint32(data[0:], nr(c.name))
				binary.BigEndian.PutUint32(data[4:], a)
				for i, v := range c.args {
					binary.BigEndian.PutUint32(data[16+8*i:], uint32(v))       // low word first
					binary.BigEndian.PutUint32(data[16+8*i+4:], uint32(v>>32)) // then the high word
				}
				got, err := vm.Run(data)
				if err != nil {
					t.Fatal(err)
				}
				if uint32(got) != tt.want[name] {
					t.Errorf("%s: filter answers %#x, want %#x", name, got, tt.want[name])
				}
			}
		})
	}
}
