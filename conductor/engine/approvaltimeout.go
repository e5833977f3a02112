package engine

import (
	"fmt"
	"strconv"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/config"
)

// approvalTimeout reads config.config.EnvApprovalTimeout, the wait for a person's
// answer to one approval question in milliseconds (no answer in time is a
// denial); 0 means the proxy's default, 5 minutes.
func approvalTimeout(getenv func(string) string) (time.Duration, error) {
	v := getenv(config.EnvApprovalTimeout)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 24*3600*1000 {
		return 0, fmt.Errorf("%s: %q is not a whole number of milliseconds from 1 to 86400000", config.EnvApprovalTimeout, v)
	}
	return time.Duration(n) * time.Millisecond, nil
}
