// Package appask is the local channel over which a headless conductor
// (--stdio, --http) asks the running desktop app to put an approval
// question to the person, when the MCP client that started the execution
// cannot ask (it has no elicitation).
//
// The app listens (Listen) on a socket in the conductor's home folder (on
// Windows a named pipe only its user can open) and writes a fresh random
// key beside it at each start. The home folder is a protected place:
// sandboxed code can neither read nor write it, whatever its grants. Both
// ends prove they hold the key without sending it: each message carries an
// HMAC-SHA256 of its exact bytes under the key, and the answer's covers the
// question's random nonce. So a process that does not hold the key can
// neither ask the app nor pose as it: an answer from anything but the app
// (say, code that managed to listen on the socket's path) fails the check,
// and the call is denied.
//
// The framing is hand-written because it is two JSON lines over a local
// stream; an RPC library would bring more surface than the exchange has.
package appask

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// The channel's files in the conductor's home folder. The config package
// lists them among the home's protected entries.
const (
	SocketName = "approval.sock"
	KeyName    = "approval-key"
)

// Via is how the audit log names an answer that came from the app.
const Via = "app"

// questionWithin bounds the wait for a connection's question.
const questionWithin = 10 * time.Second

// maxMessage bounds one message; a question's arguments are capped (masked
// and shortened like the audit log's) well below it.
const maxMessage = 1 << 20

// Question is one approval request put to the person through the app.
type Question struct {
	// Client is the MCP client whose code makes the call ("" if unknown).
	Client string `json:"client"`
	Server string `json:"server"`
	Tool   string `json:"tool"`
	// Args are the call's arguments, secrets masked.
	Args json.RawMessage `json:"args"`
	// Why is the rule that asks.
	Why string `json:"why"`
	// Skill, if set, is a skill the client wants to save, instead of a
	// tool call (Server, Tool and Args are then empty).
	Skill *proxy.SkillSave `json:"skill,omitempty"`
}

// Request is q as the proxy's request, whose Offered are q's answers.
func (q Question) Request() proxy.ApprovalRequest {
	return proxy.ApprovalRequest{Server: q.Server, Tool: q.Tool, Args: q.Args, Why: q.Why, Skill: q.Skill}
}

// question is a Question on the wire, with the nonce the answer must cover.
type question struct {
	Question
	Nonce string `json:"nonce"`
}

// answer is the app's reply: a choice, or why it could not ask.
type answer struct {
	Nonce  string `json:"nonce"`
	Choice string `json:"choice,omitempty"`
	Error  string `json:"error,omitempty"`
}

// envelope carries a message's exact bytes and their MAC.
type envelope struct {
	Msg json.RawMessage `json:"msg"`
	MAC string          `json:"mac"`
}

// Purposes keep a question's MAC from passing as an answer's.
const (
	purposeQuestion = "mcp-conductor approval question\n"
	purposeAnswer   = "mcp-conductor approval answer\n"
)

func mac(key []byte, purpose string, msg []byte) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(purpose))
	h.Write(msg)
	return hex.EncodeToString(h.Sum(nil))
}

// seal is v as an envelope line under key.
func seal(key []byte, purpose string, v any) ([]byte, error) {
	msg, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(envelope{Msg: msg, MAC: mac(key, purpose, msg)})
	return append(b, '\n'), err
}

// open reads one envelope line from r and decodes its message into v if its
// MAC is right under key.
func open(r *bufio.Reader, key []byte, purpose string, v any) error {
	line, err := readLine(r)
	if err != nil {
		return err
	}
	var e envelope
	if err := json.Unmarshal(line, &e); err != nil {
		return fmt.Errorf("not a message of the approval channel: %w", err)
	}
	want := mac(key, purpose, e.Msg)
	if !hmac.Equal([]byte(want), []byte(e.MAC)) {
		return errors.New("the message is not signed with the app's key")
	}
	return json.Unmarshal(e.Msg, v)
}

// readLine reads one line of at most maxMessage bytes.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxMessage {
			return nil, errors.New("message too long")
		}
		if err == nil {
			return line, nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
}

// newNonce is 32 random bytes, hex.
func newNonce() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// readKey reads the app's key from home.
func readKey(home string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(home, KeyName))
	if err != nil {
		return nil, err
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) < 32 {
		return nil, errors.New("the app's key file is damaged")
	}
	return k, nil
}

// AskOptions configure Asker.
type AskOptions struct {
	// Home is the conductor's home folder, where the app's socket and key
	// are.
	Home string
	// Client is the MCP client whose code asks.
	Client string
	// NoClient says why that client cannot be asked itself, for the denial
	// when the app cannot be asked either.
	NoClient string
}

// Asker asks the desktop app running for opts.Home. When no app answers
// (none runs, it has no window, or it is not the app), the error says so
// and the call is denied.
func Asker(opts AskOptions) proxy.Asker {
	return func(ctx context.Context, req proxy.ApprovalRequest) (proxy.Answer, error) {
		choice, err := ask(ctx, opts.Home, Question{Client: opts.Client, Server: req.Server, Tool: req.Tool, Args: req.Args, Why: req.Why, Skill: req.Skill})
		switch {
		case err == nil:
			return proxy.Answer{Choice: proxy.Choice(choice), Via: Via, Approver: "the person at the desktop app"}, nil
		case errors.Is(err, errAsked):
			return proxy.Answer{Via: Via}, fmt.Errorf("%w; %s", err, req.Remedy())
		case ctx.Err() != nil:
			return proxy.Answer{Via: Via}, ctx.Err()
		}
		who := "no one could be asked: "
		if opts.NoClient != "" {
			who += opts.NoClient + ", and "
		}
		return proxy.Answer{}, fmt.Errorf("%s%v; start MCP Conductor's desktop app to be asked, or %s", who, err, req.Remedy())
	}
}

// errAsked wraps the errors that come after the app received the question.
var errAsked = errors.New("the desktop app gave no valid answer")

// ask puts q to the app and returns the person's choice.
func ask(ctx context.Context, home string, q Question) (string, error) {
	key, err := readKey(home)
	if err != nil {
		return "", errors.New("the desktop app is not running")
	}
	c, err := dial(ctx, home)
	if err != nil {
		return "", errors.New("the desktop app is not running")
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	nonce := newNonce()
	line, err := seal(key, purposeQuestion, question{Question: q, Nonce: nonce})
	if err != nil {
		return "", err
	}
	if _, err := c.Write(line); err != nil {
		return "", fmt.Errorf("the desktop app could not be reached (%v)", err)
	}
	var a answer
	if err := open(bufio.NewReader(c), key, purposeAnswer, &a); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("%w (%v)", errAsked, err)
	}
	if a.Nonce != nonce {
		return "", fmt.Errorf("%w: the answer is for another question", errAsked)
	}
	if a.Error != "" {
		return "", fmt.Errorf("%w: %s", errAsked, a.Error)
	}
	if !slices.Contains(q.Request().Offered(), proxy.Choice(a.Choice)) {
		return "", fmt.Errorf("%w: %q is not one of the choices", errAsked, a.Choice)
	}
	return a.Choice, nil
}

// Handler puts a question to the person and returns the choice. ctx ends
// when the asking process stops waiting (its timeout, or it exited): the
// question should then be withdrawn.
type Handler func(ctx context.Context, q Question) (proxy.Choice, error)

// Service is the app's end of the channel.
type Service struct {
	home string
	key  []byte
	ln   net.Listener
	done chan struct{}
}

// Listen writes a fresh key to home and listens on its socket, answering
// each question with handle until Close. A stale socket (its app died) is
// replaced.
func Listen(home string, handle Handler) (*Service, error) {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	if err := writeKey(home, key); err != nil {
		return nil, fmt.Errorf("writing the approval channel's key in %s: %w", home, err)
	}
	ln, err := listen(home)
	if err != nil {
		return nil, fmt.Errorf("listening for approval questions in %s: %w", home, err)
	}
	s := &Service{home: home, key: key, ln: ln, done: make(chan struct{})}
	go s.serve(handle)
	return s, nil
}

// Close stops answering and removes the key, so that askers learn at once
// that no app runs.
func (s *Service) Close() error {
	err := s.ln.Close()
	<-s.done
	// Remove the key only if it is still ours (another app may have
	// started since).
	if k, kerr := readKey(s.home); kerr == nil && hmac.Equal(k, s.key) {
		_ = os.Remove(filepath.Join(s.home, KeyName))
	}
	return err
}

func (s *Service) serve(handle Handler) {
	defer close(s.done)
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.answer(c, handle)
	}
}

// answer serves one connection: one signed question, one signed answer.
func (s *Service) answer(c net.Conn, handle Handler) {
	defer c.Close()
	r := bufio.NewReader(c)
	var q question
	// A question is one line sent at once: a connection that sends none
	// in time holds nothing of the app's for long.
	_ = c.SetReadDeadline(time.Now().Add(questionWithin))
	if err := open(r, s.key, purposeQuestion, &q); err != nil {
		return // not from a holder of the key: say nothing
	}
	_ = c.SetReadDeadline(time.Time{})
	// The asker gives up by closing: withdraw the question then.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, r)
		cancel()
	}()
	a := answer{Nonce: q.Nonce}
	choice, err := handle(ctx, q.Question)
	if err != nil {
		a.Error = err.Error()
	} else {
		a.Choice = string(choice)
	}
	line, err := seal(s.key, purposeAnswer, a)
	if err == nil {
		_, _ = c.Write(line)
	}
}

// writeKey writes key, owner-only, in home.
func writeKey(home string, key []byte) error {
	if err := fsx.MkdirPrivate(home); err != nil {
		return err
	}
	return fsx.WriteFile(filepath.Join(home, KeyName), []byte(hex.EncodeToString(key)+"\n"), 0o600)
}
