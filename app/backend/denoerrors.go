package backend

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"
	"syscall"

	"github.com/mcp-conductor/mcp-conductor/conductor/deno"
)

// sourceNames are the download sources as the Overview names them.
var sourceNames = map[deno.Source]string{
	deno.GitHub: "GitHub releases",
	deno.NPM:    "the npm registry",
}

// installProblem turns a failed Deno install into one sentence for people:
// what failed and why, without the chain of wrapped errors, URLs or
// command-line flags. The window offers the next step (try again, or the
// other source) as buttons.
func installProblem(src deno.Source, err error) error {
	if src == "" {
		src = deno.GitHub
	}
	from := sourceNames[src]
	why := installReason(err)
	if why == "" {
		return fmt.Errorf("Deno could not be installed from %s: %s.", from, rootText(err))
	}
	return fmt.Errorf("Deno could not be installed from %s: %s.", from, why)
}

var httpStatus = regexp.MustCompile(`server answered (\d{3}[^;:)]*)`)

// installReason classifies err, "" when it is none of the known kinds.
func installReason(err error) string {
	var dns *net.DNSError
	var op *net.OpError
	var cert *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	text := err.Error()
	switch {
	case errors.Is(err, context.Canceled):
		return "the install was cancelled"
	case errors.As(err, &dns):
		return "the name " + dns.Name + " could not be looked up (is this computer offline?)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "the network is unreachable (is this computer offline?)"
	case errors.Is(err, context.DeadlineExceeded), os.IsTimeout(err):
		return "the server did not answer in time"
	case errors.As(err, &cert), errors.As(err, &unknownCA):
		return "the server's certificate is not trusted on this computer"
	case errors.As(err, &op):
		return "the connection failed (" + rootText(op.Err) + ")"
	case httpStatus.MatchString(text):
		return "the server answered " + strings.TrimSpace(httpStatus.FindStringSubmatch(text)[1])
	case strings.Contains(text, "checksum mismatch"), strings.Contains(text, "integrity mismatch"):
		return "the download did not match its published checksum, so nothing was installed"
	case errors.Is(err, os.ErrPermission):
		return "MCP Conductor may not write to its runtime folder"
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full"
	case strings.Contains(text, "does not run on this machine"):
		return "the downloaded Deno does not run on this computer"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return "the download failed (" + rootText(ue.Err) + ")"
	}
	return ""
}

// rootText is the innermost error's message (the first of joined ones),
// without the advice the command line adds after a semicolon.
func rootText(err error) string {
	for {
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			if errs := u.Unwrap(); len(errs) > 0 {
				err = errs[0]
				continue
			}
		case interface{ Unwrap() error }:
			if next := u.Unwrap(); next != nil {
				err = next
				continue
			}
		}
		text, _, _ := strings.Cut(err.Error(), "; ")
		return strings.TrimSuffix(text, ".")
	}
}
