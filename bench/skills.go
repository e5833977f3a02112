package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// skillN is how many saves (and runs after one) benchSkills measures.
const skillN = 20

// settle is the pause before a measurement that wants the pool full again
// (a process boots in well under it on two shared cores).
const settle = time.Second

// benchSkills measures what saving a skill costs a model: save_skill's
// latency beside its dominant part alone, one `deno doc --json` of the same
// source measured in the same run (the store parses every source with
// Deno), and the first run importing the skill right after a save (the
// save retires the pre-started processes, so that run starts one) beside
// the same run with no save in between (it takes a pre-started process).
func benchSkills(bin, deno, tmp string) error {
	fmt.Fprintln(os.Stderr, "measuring save_skill…")
	s, _, err := connect(bin, deno, tmp, "2", "MCP_CONDUCTOR_HOME="+filepath.Join(tmp, "home-skills"))
	if err != nil {
		return err
	}
	defer s.Close()
	source := func(i int) string {
		return fmt.Sprintf("/** Adds two numbers and %d. */\nexport function add(a: number, b: number): number {\n  return a + b + %d;\n}\n", i, i)
	}
	call := func(name string, args map[string]any) (map[string]any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
		if err != nil {
			return nil, err
		}
		if res.IsError {
			return nil, fmt.Errorf("%s failed: %v", name, res.Content)
		}
		var out map[string]any
		b, _ := json.Marshal(res.StructuredContent)
		return out, json.Unmarshal(b, &out)
	}
	save := func(i int) error {
		_, err := call("save_skill", map[string]any{"name": "bench", "description": "Adds two numbers.", "source": source(i)})
		return err
	}
	run := func(i int) error {
		out, err := call("run_deno_code", map[string]any{"deno_code": "import { add } from \"skills/bench\";\nadd(1, 2)"})
		if err != nil {
			return err
		}
		if v, _ := out["returnValue"].(float64); v != float64(3+i) {
			return fmt.Errorf("the run imported an old skill: %v, want %d", out["returnValue"], 3+i)
		}
		return nil
	}
	timed := func(f func() error) (time.Duration, error) {
		t := time.Now()
		err := f()
		return time.Since(t), err
	}
	if err := save(0); err != nil {
		return err
	}
	var saves, afterSave, noSave, plain []time.Duration
	for i := 1; i <= skillN; i++ {
		time.Sleep(settle) // the pool refills between measurements
		d, err := timed(func() error { return save(i) })
		if err != nil {
			return err
		}
		saves = append(saves, d)
		if d, err = timed(func() error { return run(i) }); err != nil {
			return err
		}
		afterSave = append(afterSave, d)
		time.Sleep(settle)
		if d, err = timed(func() error { return run(i) }); err != nil {
			return err
		}
		noSave = append(noSave, d)
		time.Sleep(settle)
		if d, err = timed(func() error { _, err := call("run_deno_code", map[string]any{"deno_code": "1 + 2"}); return err }); err != nil {
			return err
		}
		plain = append(plain, d)
	}

	file := filepath.Join(tmp, "skill.ts")
	var doc []time.Duration
	for i := 1; i <= skillN; i++ {
		if err := os.WriteFile(file, []byte(source(i)), 0o644); err != nil {
			return err
		}
		d, err := timed(func() error {
			out, err := exec.Command(deno, "doc", "--json", file).CombinedOutput()
			if err != nil {
				return fmt.Errorf("deno doc: %v: %s", err, out)
			}
			return nil
		})
		if err != nil {
			return err
		}
		doc = append(doc, d)
	}

	fmt.Printf("skills (%d saves of a one-function skill, each followed by runs importing it)\n", skillN)
	fmt.Printf("%-52s %10s / %8s\n", "", "p50", "p95")
	line := func(name string, d []time.Duration) {
		fmt.Printf("%-52s %10s / %8s\n", name, ms(pct(d, 50)), ms(pct(d, 95)))
	}
	line("`deno doc --json` of the source alone (baseline)", doc)
	line("save_skill", saves)
	line("run importing it, right after a save", afterSave)
	line("run importing it, no save in between", noSave)
	line("run importing nothing, same pool", plain)
	fmt.Printf("save_skill: %.2fx the baseline's p50 (the rest is the check, the write with its backup, the audit record)\n",
		ratio(pct(saves, 50), pct(doc, 50)))
	fmt.Printf("the first run after a save: %.1fx the p50 of a run with no save in between (a process started for it, not a pre-started one)\n",
		ratio(pct(afterSave, 50), pct(noSave, 50)))
	return nil
}
