package sandbox

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PoolOptions size the pool of pre-started processes.
type PoolOptions struct {
	Size        int           // processes kept waiting; 0 = every job starts cold
	MaxIdleMB   int           // stop filling when the waiting processes use this much memory (Linux); 0 = no cap
	IdleTimeout time.Duration // drain after this long without a job; refill on the next one; 0 = never
}

// pool keeps pre-started sandbox processes, each waiting for exactly one job.
// A process is never reused: after its job it is gone, and a fresh one is
// started in the background.
type pool struct {
	opts  PoolOptions
	spawn func() (*process, error)
	fresh func(*process) bool // false: started under an outdated setup (lockfile)
	ready chan *process

	mu       sync.Mutex
	closed   bool
	lastUsed time.Time
	drained  bool // emptied for idleness; refilled by the next get

	ctx     context.Context
	stop    context.CancelFunc
	wants   chan struct{}
	filling sync.WaitGroup // the background filler
}

func newPool(ctx context.Context, opts PoolOptions, spawn func() (*process, error), fresh func(*process) bool) *pool {
	ctx, cancel := context.WithCancel(ctx)
	p := &pool{opts: opts, spawn: spawn, fresh: fresh, ready: make(chan *process, max(opts.Size, 1)),
		ctx: ctx, stop: cancel, wants: make(chan struct{}, 1), lastUsed: time.Now()}
	if opts.Size > 0 {
		p.filling.Add(1)
		go func() { defer p.filling.Done(); p.fill() }()
		p.kick()
	}
	return p
}

func (p *pool) kick() {
	select {
	case p.wants <- struct{}{}:
	default:
	}
}

// fill keeps the pool topped up and drains it after a long idle spell.
func (p *pool) fill() {
	var tick <-chan time.Time
	if p.opts.IdleTimeout > 0 {
		t := time.NewTicker(min(p.opts.IdleTimeout/4, time.Minute))
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-tick:
			p.mu.Lock()
			idle := time.Since(p.lastUsed) > p.opts.IdleTimeout
			if idle {
				p.drained = true
			}
			p.mu.Unlock()
			if idle {
				p.stopWaiting()
			}
			continue
		case <-p.wants:
		}
		for len(p.ready) < p.opts.Size && !p.isDrained() && !p.overMemory() {
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

func (p *pool) isDrained() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.drained
}

// overMemory reports whether the waiting processes already use MaxIdleMB.
func (p *pool) overMemory() bool {
	if p.opts.MaxIdleMB <= 0 || len(p.ready) == 0 {
		return false
	}
	var procs []*process
	for i := len(p.ready); i > 0; i-- {
		select {
		case proc := <-p.ready:
			procs = append(procs, proc)
		default:
		}
	}
	total := 0
	for _, proc := range procs {
		total += rssKB(proc.cmd.Process.Pid)
		p.ready <- proc
	}
	if total == 0 {
		return false
	}
	avg := total / len(procs)
	return (total+avg)/1024 > p.opts.MaxIdleMB
}

// get returns a pre-started process, preferring one that has finished
// booting; with none at all it starts one cold. The caller calls done when
// its job has finished: the replacement is started then, so that booting it
// does not compete for the CPU with the job.
func (p *pool) get() (*process, error) {
	p.mu.Lock()
	p.lastUsed, p.drained = time.Now(), false
	p.mu.Unlock()
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
			if !p.fresh(proc) {
				go proc.stop()
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

// discardStale stops waiting processes started under an outdated setup and
// tops the pool up with fresh ones.
func (p *pool) discardStale() {
	for i := len(p.ready); i > 0; i-- {
		select {
		case proc := <-p.ready:
			if !p.fresh(proc) || !proc.alive() {
				go proc.stop()
				continue
			}
			select {
			case p.ready <- proc:
			default:
				go proc.stop()
			}
		default:
		}
	}
	p.kick()
}

// done tells the pool a job has finished; it tops itself up.
func (p *pool) done() { p.kick() }

// stopWaiting stops every waiting process.
func (p *pool) stopWaiting() {
	for {
		select {
		case proc := <-p.ready:
			proc.stop()
		default:
			return
		}
	}
}

// close stops the background filler and every waiting process.
func (p *pool) close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.mu.Unlock()
	p.stop()
	p.filling.Wait() // a process being started is stopped by the filler itself
	p.stopWaiting()
}

// size reports how many processes are waiting.
func (p *pool) waiting() int { return len(p.ready) }

// rssKB reads a process's resident memory (Linux); 0 where unknown.
func rssKB(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			if len(f) > 1 {
				n, _ := strconv.Atoi(f[1])
				return n
			}
		}
	}
	return 0
}
