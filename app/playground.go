package app

import (
	"errors"
	"fmt"

	"github.com/mcp-conductor/mcp-conductor/conductor/sandbox"
	"github.com/mcp-conductor/mcp-conductor/conductor/server"
)

// PlaygroundClient is the client name the Playground's runs are recorded
// under in the audit log.
const PlaygroundClient = "playground"

// RunRequest is code to run from the Playground.
type RunRequest struct {
	Code string `json:"code"`
	// TimeoutMs is the time limit; 0 means the administrator's default.
	TimeoutMs int64 `json:"timeoutMs"`
}

// RunCode runs code exactly as an AI client's run_deno_code call would,
// under the settings in force, and returns the tool's structured result.
func (a *App) RunCode(req RunRequest) (*sandbox.Result, error) {
	c, err := a.coreOrErr("running code")
	if err != nil {
		return nil, err
	}
	if req.Code == "" {
		return nil, errors.New("there is no code to run")
	}
	e, err := c.Engine()
	if err != nil {
		return nil, fmt.Errorf("cannot run code: %w", err)
	}
	return e.Server().Execute(a.context(), PlaygroundClient, server.RunInput{DenoCode: req.Code, Timeout: req.TimeoutMs})
}
