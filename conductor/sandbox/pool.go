package sandbox

import (
	"context"
	"sync"
)

// pool keeps pre-started sandbox processes, each waiting for exactly one job.
// A process is never reused: after its job it is gone, and a fresh one is
// started in the background. With size 0, every job starts cold.
type pool struct {
	size  int
	spawn func() (*process, error)
	ready chan *process
	mu    sync.Mutex
	done  bool
	ctx   context.Context
	stopF context.CancelFunc
	want  chan struct{}
}

func newPool(ctx context.Context, size int, spawn func() (*process, error)) *pool {
	ctx, cancel := context.WithCancel(ctx)
	p := &pool{size: size, spawn: spawn, ready: make(chan *process, max(size, 1)), ctx: ctx, stopF: cancel, want: make(chan struct{}, 1)}
	if size > 0 {
		go p.fill()
		p.kick()
	}
	return p
}

func (p *pool) kick() {
	select {
	case p.want <- struct{}{}:
	default:
	}
}

// fill keeps the pool topped up, one process at a time.
func (p *pool) fill() {
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-p.want:
		}
		for len(p.ready) < p.size {
			proc, err := p.spawn()
			if err != nil {
				break // jobs fall back to cold starts, which report the error
			}
			select {
			case p.ready <- proc:
			case <-p.ctx.Done():
				proc.stop()
				return
			}
		}
	}
}

// get returns a pre-started process, preferring one that has finished
// booting; with none at all it starts one cold.
func (p *pool) get() (*process, error) {
	defer p.kick()
	var booting []*process
	defer func() {
		for _, b := range booting { // hand back the ones not taken
			select {
			case p.ready <- b:
			default:
				go b.stop()
			}
		}
	}()
	for {
		select {
		case proc := <-p.ready:
			if !proc.alive() {
				continue
			}
			if proc.isReady() {
				return proc, nil
			}
			booting = append(booting, proc)
			continue
		default:
		}
		if len(booting) > 0 {
			// Still booting, but further along than a new process would be.
			proc := booting[0]
			booting = booting[1:]
			return proc, nil
		}
		return p.spawn()
	}
}

// close stops the background filler and every waiting process.
func (p *pool) close() {
	p.mu.Lock()
	if p.done {
		p.mu.Unlock()
		return
	}
	p.done = true
	p.mu.Unlock()
	p.stopF()
	for {
		select {
		case proc := <-p.ready:
			proc.stop()
		default:
			return
		}
	}
}
