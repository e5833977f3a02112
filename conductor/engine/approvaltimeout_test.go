package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

func TestApprovalTimeout(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want time.Duration
		err  bool
	}{
		{"", 0, false},
		{"1", time.Millisecond, false},
		{"300000", 5 * time.Minute, false},
		{"0", 0, true},
		{"-5", 0, true},
		{"5m", 0, true},
		{"86400001", 0, true},
	} {
		got, err := approvalTimeout(func(k string) string {
			if k == config.EnvApprovalTimeout {
				return tc.v
			}
			return ""
		})
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("%q: %v, %v", tc.v, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), config.EnvApprovalTimeout) {
			t.Errorf("%q: the error does not name the variable: %v", tc.v, err)
		}
	}
}
