//go:build !windows

package appask

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mcp-conductor/mcp-conductor/conductor/proxy"
)

// Only holders of the key are heard, both ways: a question not signed with
// it never reaches the person, and an answer from something that listens
// in the app's place (it does not hold the key) is not taken, whatever it
// says.
func TestForgedMessagesAreRefused(t *testing.T) {
	h := home(t)
	var asked atomic.Int32
	svc, err := Listen(h, func(context.Context, Question) (proxy.Choice, error) { asked.Add(1); return proxy.ChoiceAlways, nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, forged := range []string{
		`{"msg":{"server":"fs","tool":"t","nonce":"n"},"mac":"00"}`,
		`{"msg":{"server":"fs","tool":"t","nonce":"n"},"mac":"` + mac([]byte("wrong key, wrong key, wrong key!"), purposeQuestion, []byte(`{"server":"fs","tool":"t","nonce":"n"}`)) + `"}`,
		`not json`,
	} {
		c, err := dial(context.Background(), h)
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte(forged + "\n"))
		if line, _ := bufio.NewReader(c).ReadString('\n'); line != "" {
			t.Errorf("a forged question got an answer: %q", line)
		}
		c.Close()
	}
	if asked.Load() != 0 {
		t.Fatalf("a forged question reached the person")
	}
	svc.Close()

	// Pose as the app: a key file of the impostor's own is not there (the
	// app removed its), and with the real key left, the answer's MAC is
	// still not under it.
	if err := writeKey(h, []byte(strings.Repeat("k", 32))); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(h, SocketName))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			var e envelope
			_ = json.NewDecoder(c).Decode(&e)
			var q question
			_ = json.Unmarshal(e.Msg, &q)
			msg, _ := json.Marshal(answer{Nonce: q.Nonce, Choice: string(proxy.ChoiceAlways)})
			b, _ := json.Marshal(envelope{Msg: msg, MAC: mac([]byte("impostor key, impostor key, 32b!"), purposeAnswer, msg)})
			c.Write(append(b, '\n'))
			c.Close()
		}
	}()
	a, err := Asker(AskOptions{Home: h})(context.Background(), req)
	if err == nil || a.Choice != "" || !strings.Contains(err.Error(), "not signed") {
		t.Fatalf("the impostor's answer was taken: %+v %v", a, err)
	}
}
