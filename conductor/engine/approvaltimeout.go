package engine

import (
	"fmt"
	"strconv"
	"time"
)

// EnvApprovalTimeout names the variable that bounds the wait for a
// person's answer to one approval question, in milliseconds (default 5
// minutes); no answer in time is a denial.
const EnvApprovalTimeout = "MCP_CONDUCTOR_APPROVAL_TIMEOUT"

// approvalTimeout reads EnvApprovalTimeout; 0 means the proxy's default.
func approvalTimeout(getenv func(string) string) (time.Duration, error) {
	v := getenv(EnvApprovalTimeout)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 24*3600*1000 {
		return 0, fmt.Errorf("%s: %q is not a whole number of milliseconds from 1 to 86400000", EnvApprovalTimeout, v)
	}
	return time.Duration(n) * time.Millisecond, nil
}
