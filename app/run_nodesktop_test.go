//go:build !desktop

package app

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestRunWithoutDesktopSaysHowToBuild(t *testing.T) {
	err := Run(context.Background(), Config{})
	if !errors.Is(err, ErrNoDesktop) {
		t.Fatalf("Run() = %v, want ErrNoDesktop", err)
	}
	if !strings.Contains(err.Error(), "-tags desktop,production,webkit2_41") {
		t.Errorf("error does not say how to build: %v", err)
	}
}
