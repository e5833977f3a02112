// Package localsock is the per-user local socket the desktop app listens
// on: a unix socket (owner-only) where the system has them, a named pipe
// only the current user may open on Windows (where AF_UNIX may be missing).
// The single-instance socket and the approval channel both use it.
package localsock
