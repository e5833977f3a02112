//go:build !linux

package notify

import "context"

// Notifier shows notifications; this system has none (see ErrUnsupported).
type Notifier struct{}

// New returns ErrUnsupported: notifications are built for Linux only.
func New(Options) (*Notifier, error) { return nil, ErrUnsupported }

// Show does nothing: there is no Notifier on this system.
func (n *Notifier) Show(context.Context, Notification) (uint32, error) { return 0, ErrUnsupported }

// Withdraw does nothing: there is no Notifier on this system.
func (n *Notifier) Withdraw(context.Context, uint32) error { return ErrUnsupported }

// Close does nothing.
func (n *Notifier) Close() error { return nil }
