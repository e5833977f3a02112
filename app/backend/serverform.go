package backend

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/conductor/clients"
	"github.com/mcp-conductor/mcp-conductor/conductor/mcpconfig"
)

// ServerForm is an entry as the page edits it and sends it back.
type ServerForm struct {
	Name    string   `json:"name"`
	Command string   `json:"command"`
	Args    []string `json:"args"`
	Cwd     string   `json:"cwd"`
	Env     []Secret `json:"env"`
	// URL reaches the page with its user name, password and query values
	// masked as REDACTED (mcpconfig.RedactURL); sent back so, the stored parts
	// are kept, and a part typed in replaces its stored value.
	URL         string   `json:"url"`
	Type        string   `json:"type"` // "", "http", "sse"
	Headers     []Secret `json:"headers"`
	Disabled    bool     `json:"disabled"`
	Description string   `json:"description"`
	AllowTools  []string `json:"allowTools"`
	DenyTools   []string `json:"denyTools"`
	// The entry's approval rules for tool calls made from code (names or
	// patterns): ApprovalDefault ("", "allow", "ask" or "deny") covers the
	// tools no list names; "" leaves them to the "ask for changes" switch.
	ApprovalDefault string   `json:"approvalDefault"`
	ApprovalAllow   []string `json:"approvalAllow"`
	ApprovalAsk     []string `json:"approvalAsk"`
	ApprovalDeny    []string `json:"approvalDeny"`
}

// Secret is one env variable or header. Values that may be secrets reach
// the page masked: Value is "" and Stored is true. Sent back that way, the
// stored value is kept; a non-empty Value replaces it. Values made only of
// ${env:NAME} references (optionally after a scheme such as "Bearer ") are
// not secrets and are shown.
type Secret struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Stored bool   `json:"stored"`
}

var (
	placeholder   = regexp.MustCompile(`\$\{env:[A-Za-z_][A-Za-z0-9_]*\}`)
	notSecretRest = regexp.MustCompile(`^(?i:bearer|basic|token)?$`)
)

func masked(v string) bool {
	return !placeholder.MatchString(v) || !notSecretRest.MatchString(strings.TrimSpace(placeholder.ReplaceAllString(v, "")))
}

func secretsOut(m map[string]string) []Secret {
	out := []Secret{}
	for k, v := range m {
		if masked(v) {
			out = append(out, Secret{Name: k, Stored: true})
		} else {
			out = append(out, Secret{Name: k, Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// secretsIn resolves the page's rows against the stored values.
func secretsIn(what string, rows []Secret, stored map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for _, r := range rows {
		name := strings.TrimSpace(r.Name)
		switch {
		case name == "" && r.Value == "":
			continue
		case name == "":
			return nil, fmt.Errorf("%s: a value has no name", what)
		case out[name] != "":
			return nil, fmt.Errorf("%s: %s is listed twice", what, name)
		}
		v := r.Value
		if v == "" && r.Stored {
			old, ok := stored[name]
			if !ok {
				return nil, fmt.Errorf("%s: %s has no stored value; type one", what, name)
			}
			v = old
		}
		out[name] = v
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func viewOf(sc mcpconfig.Server) ServerView {
	v := ServerView{Transport: sc.Transport(), ServerForm: ServerForm{
		Name: sc.Name, Command: sc.Command, Args: nonNil(sc.Args), Cwd: sc.Cwd, Env: secretsOut(sc.Env),
		URL: mcpconfig.RedactURL(sc.URL), Type: sc.Type, Headers: secretsOut(sc.Headers), Disabled: sc.Disabled,
		Description: sc.Description, AllowTools: nonNil(sc.AllowTools), DenyTools: nonNil(sc.DenyTools),
		ApprovalDefault: string(sc.Approval.Default), ApprovalAllow: nonNil(sc.Approval.Allow),
		ApprovalAsk: nonNil(sc.Approval.Ask), ApprovalDeny: nonNil(sc.Approval.Deny),
	}}
	v.Runs = summary(sc)
	if sc.Err != nil {
		v.Error = sc.Err.Error()
	}
	return v
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// configOf turns the page's form into an entry, taking the values sent
// masked from stored (the entry as saved, zero for a new one).
func configOf(f ServerForm, stored mcpconfig.Server) (mcpconfig.Server, error) {
	sc := mcpconfig.Server{
		Name: strings.TrimSpace(f.Name), Command: strings.TrimSpace(f.Command), Args: f.Args,
		Cwd: strings.TrimSpace(f.Cwd), URL: strings.TrimSpace(f.URL), Type: f.Type, Disabled: f.Disabled,
		Description: strings.TrimSpace(f.Description), AllowTools: cleanList(f.AllowTools), DenyTools: cleanList(f.DenyTools),
		Approval: mcpconfig.Approval{Default: mcpconfig.Rule(strings.TrimSpace(f.ApprovalDefault)), Allow: cleanList(f.ApprovalAllow),
			Ask: cleanList(f.ApprovalAsk), Deny: cleanList(f.ApprovalDeny)},
	}
	if len(sc.Args) == 0 {
		sc.Args = nil
	}
	var err error
	if sc.Env, err = secretsIn("environment", f.Env, stored.Env); err != nil {
		return sc, err
	}
	if sc.Headers, err = secretsIn("headers", f.Headers, stored.Headers); err != nil {
		return sc, err
	}
	if sc.URL, err = mcpconfig.RestoreURL(sc.URL, stored.URL); err != nil {
		return sc, err
	}
	if sc.Command != "" {
		sc.URL, sc.Type, sc.Headers = "", "", nil
	} else {
		sc.Args, sc.Cwd, sc.Env = nil, "", nil
	}
	return sc, mcpconfig.Validate(sc)
}

// summary is what the list shows of an entry: the command line, with
// secret-looking arguments masked, or the masked URL.
func summary(sc mcpconfig.Server) string {
	if sc.Command != "" {
		return clients.ShellQuote(append([]string{sc.Command}, clients.MaskArgs(sc.Args)...))
	}
	return mcpconfig.RedactURL(sc.URL)
}
