package sandbox

import (
	"strings"
	"testing"
)

func TestWithPath(t *testing.T) {
	for _, tt := range []struct {
		flags []string
		want  string
	}{
		{[]string{"run", "--allow-net"}, "run --allow-net --allow-read=/t"},
		{[]string{"run", "--allow-read"}, "run --allow-read"},
		{[]string{"run", "--allow-read=/a,/b", "--allow-read-x"}, "run --allow-read=/a,/b,/t --allow-read-x"},
	} {
		if got := strings.Join(withPath(tt.flags, "--allow-read", "/t"), " "); got != tt.want {
			t.Errorf("withPath(%q) = %q, want %q", tt.flags, got, tt.want)
		}
	}
}
