package audit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRedact(t *testing.T) {
	got := string(Redact(map[string]any{
		"query": "x", "apiKey": "k1", "nested": map[string]any{"Authorization": "Bearer z", "list": []any{map[string]any{"password": "p"}}},
		"github_token": "ghp", "tokens_used": 3,
	}))
	for _, leak := range []string{"k1", "Bearer z", `"p"`, "ghp"} {
		if strings.Contains(got, leak) {
			t.Errorf("leaked %s: %s", leak, got)
		}
	}
	if !strings.Contains(got, `"query":"x"`) {
		t.Errorf("lost a plain value: %s", got)
	}
	big := Redact(map[string]any{"s": strings.Repeat("a", MaxArgs*2)})
	if len(big) > MaxArgs+100 || !strings.Contains(string(big), "TRUNCATED") {
		t.Errorf("not capped: %d bytes", len(big))
	}
}

func TestAppendAndRecent(t *testing.T) {
	l := Open(filepath.Join(t.TempDir(), "logs", "audit.jsonl"))
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok := true
			if err := l.Append(Record{Time: time.Now(), Kind: "execution", ExecutionID: "e", Code: strings.Repeat("c", MaxCode+10)},
				Record{Time: time.Now(), Kind: "tool_call", ExecutionID: "e", Server: "s", Tool: "t", OK: &ok}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	b, err := os.ReadFile(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 40 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, line := range lines {
		var r Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("interleaved or broken line: %v", err)
		}
	}
	// Windows has no mode bits: there the log is private through the home's
	// access list, which it inherits (fsx.TestSecretsArePrivate).
	st, _ := os.Stat(l.Path())
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	recent, err := l.Recent(3)
	if err != nil || len(recent) != 3 || recent[0].Kind != "tool_call" {
		t.Fatalf("recent: %v %+v", err, recent)
	}
	if len(recent[1].Code) > MaxCode+20 {
		t.Errorf("code not capped")
	}
}
