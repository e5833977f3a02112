package sandbox

import "testing"

func TestHostSDDL(t *testing.T) {
	if got := hostSDDL("S-1-5-21-1-2-3-1001"); got != "D:P(A;;0x101000;;;S-1-5-21-1-2-3-1001)(A;;GA;;;SY)" {
		t.Errorf("hostSDDL = %s", got)
	}
}
