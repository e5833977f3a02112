package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// startSkillsConductor starts a conductor whose home is below a temporary
// HOME, in the given confinement mode, with more environment.
func startSkillsConductor(t *testing.T, mode string, env ...string) (c *conductor, home, conductorHome string) {
	t.Helper()
	home = realTemp(t)
	conductorHome = filepath.Join(home, ".mcp-conductor")
	if err := os.MkdirAll(conductorHome, 0o700); err != nil {
		t.Fatal(err)
	}
	return startConductorIn(t, home, mode, env...), home, conductorHome
}

func startConductorIn(t *testing.T, home, mode string, env ...string) *conductor {
	t.Helper()
	c := startConductor(t, append([]string{"HOME=" + home, "MCP_CONDUCTOR_HOME=" + filepath.Join(home, ".mcp-conductor"), "MCP_CONDUCTOR_CONFINEMENT=" + mode}, env...)...)
	c.home = home
	return c
}

// attempts runs code that tries each of the given async expressions and
// returns, per attempt, "ok: <value>" or "error: <message>".
func attempts(t *testing.T, c *conductor, exprs map[string]string) (map[string]string, string) {
	t.Helper()
	var b strings.Builder
	// computed imports a specifier the host cannot see before the run, so
	// that Deno's own checks are what is tested.
	b.WriteString("const out: Record<string, string> = {};\nconst computed = (s: string) => import(s);\n")
	for name, e := range exprs {
		n, _ := json.Marshal(name)
		b.WriteString("try { out[" + string(n) + "] = \"ok: \" + String(await (async () => " + e + ")()); } catch (e) { out[" + string(n) + "] = \"error: \" + String(e); }\n")
	}
	b.WriteString("out")
	r := c.run(b.String(), nil).mustSucceed(t)
	got := map[string]string{}
	for k, v := range r.ReturnValue.(map[string]any) {
		got[k] = v.(string)
	}
	return got, string(r.raw)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestSkillsRunWithTheExecutionsPermissions: a skill is code like any
// other. One that reads a canary outside the grants, in the conductor's
// folder, or beside itself gets nothing; given a read grant, the same
// skill reads what the grant allows (the control).
func TestSkillsRunWithTheExecutionsPermissions(t *testing.T) {
	for _, mode := range []string{"auto", "off"} {
		t.Run(mode, func(t *testing.T) {
			canary := newCanary(t)
			outside := realTemp(t)
			writeFile(t, filepath.Join(outside, "secret.txt"), canary)
			c, _, ch := startSkillsConductor(t, mode)
			writeFile(t, filepath.Join(ch, "secret.txt"), canary) // a file of the conductor's folder
			skills := filepath.Join(ch, "skills")
			src := `export async function read(path: string): Promise<string> { return await Deno.readTextFile(path) }
export async function load(spec: string): Promise<string> { return JSON.stringify(await import(spec)) }
export async function list(dir: string): Promise<string> { const n: string[] = []; for await (const e of Deno.readDir(dir)) n.push(e.name); return n.join(",") }
`
			if raw, failed := c.saveSkill("steal", "Tries to read what it may not.", src); failed {
				t.Fatalf("save_skill: %s", raw)
			}
			got, raw := attempts(t, c, map[string]string{
				"outside":       `(await import("skills/steal")).read(` + jsString(filepath.Join(outside, "secret.txt")) + `)`,
				"home":          `(await import("skills/steal")).read(` + jsString(filepath.Join(ch, "secret.txt")) + `)`,
				"beside":        `(await import("skills/steal")).read(` + jsString(filepath.Join(skills, "..", "secret.txt")) + `)`,
				"settings":      `(await import("skills/steal")).read(` + jsString(filepath.Join(ch, "mcp-config.json")) + `)`,
				"import home":   `(await import("skills/steal")).load("file://" + ` + jsString(filepath.ToSlash(filepath.Join(ch, "secret.txt"))) + `)`,
				"folder":        `(await import("skills/steal")).list(` + jsString(skills) + `)`,
				"up from skill": `computed("skills/../secret.txt")`,
				"escaped":       `computed("skills/%2e%2e/secret.txt")`,
				"via file url":  `computed("file://" + ` + jsString(filepath.ToSlash(skills)) + ` + "/../secret.txt")`,
				"own source":    `(await import("skills/steal")).read(` + jsString(filepath.Join(skills, "steal.ts")) + `)`,
			})
			if strings.Contains(raw, canary) {
				t.Fatalf("the canary leaked: %s", raw)
			}
			for k, v := range got {
				if k == "own source" {
					continue // the skill files are readable: they are code the model wrote
				}
				if !strings.HasPrefix(v, "error: ") {
					t.Errorf("%s: %s", k, v)
				}
			}
			// A static import that leaves the skills folder is refused before
			// anything runs.
			r := c.run(`import s from "skills/../secret.txt"; s`, nil).mustFail(t, "dependency")
			if strings.Contains(string(r.raw), canary) {
				t.Fatalf("the canary leaked: %s", r.raw)
			}

			// The control: the same skill under a read grant of outside.
			c2 := startConductorIn(t, c.home, mode, "MCP_CONDUCTOR_RUN_ARGS=allow-read="+outside)
			got, _ = attempts(t, c2, map[string]string{
				"outside": `(await import("skills/steal")).read(` + jsString(filepath.Join(outside, "secret.txt")) + `)`,
				"home":    `(await import("skills/steal")).read(` + jsString(filepath.Join(ch, "secret.txt")) + `)`,
			})
			if got["outside"] != "ok: "+canary || !strings.HasPrefix(got["home"], "error: ") {
				t.Errorf("under a read grant: %v", got)
			}
		})
	}
}

// TestSkillsFolderIsReadOnlyToCode: code, even with write access to the
// folder that holds the conductor's home, cannot change a skill, add one,
// or put anything in the skills folder.
func TestSkillsFolderIsReadOnlyToCode(t *testing.T) {
	for _, tt := range []struct{ mode, grant string }{
		{"auto", "home"}, // the kernel layer carves the skills folder out of the grant
		{"auto", ""},
		{"off", ""},
	} {
		t.Run(tt.mode+"-"+tt.grant, func(t *testing.T) {
			if tt.grant != "" && runtime.GOOS != "linux" {
				t.Skip("a grant holding the conductor's home needs the kernel layer (Linux)")
			}
			home := realTemp(t)
			ch := filepath.Join(home, ".mcp-conductor")
			canary := newCanary(t)
			outside := realTemp(t)
			writeFile(t, filepath.Join(outside, "evil.ts"), `export function keep(): string { return "`+canary+`" }`)
			var env []string
			if tt.grant != "" {
				env = append(env, "MCP_CONDUCTOR_RUN_ARGS=allow-read="+home+";allow-write="+home)
			}
			if err := os.MkdirAll(ch, 0o700); err != nil {
				t.Fatal(err)
			}
			c := startConductorIn(t, home, tt.mode, env...)
			src := `export function keep(): string { return "original" }` + "\n"
			if raw, failed := c.saveSkill("keep", "Keeps.", src); failed {
				t.Fatalf("save_skill: %s", raw)
			}
			skills := filepath.Join(ch, "skills")
			before, _ := os.ReadDir(skills)
			evil := jsString(`export function keep(): string { return "` + canary + `" }`)
			p := func(name string) string { return jsString(filepath.Join(skills, name)) }
			got, raw := attempts(t, c, map[string]string{
				"overwrite":  `Deno.writeTextFile(` + p("keep.ts") + `, ` + evil + `)`,
				"append":     `Deno.writeTextFile(` + p("keep.ts") + `, ` + evil + `, { append: true })`,
				"metadata":   `Deno.writeTextFile(` + p("keep.json") + `, "{}")`,
				"new skill":  `Deno.writeTextFile(` + p("new.ts") + `, ` + evil + `)`,
				"remove":     `Deno.remove(` + p("keep.ts") + `)`,
				"rename":     `Deno.rename(` + p("keep.ts") + `, ` + p("moved.ts") + `)`,
				"rename in":  `Deno.rename(` + jsString(filepath.Join(outside, "evil.ts")) + `, ` + p("keep.ts") + `)`,
				"mkdir":      `Deno.mkdir(` + p("sub") + `)`,
				"symlink":    `Deno.symlink(` + jsString(filepath.Join(outside, "evil.ts")) + `, ` + p("link.ts") + `)`,
				"chmod":      `Deno.chmod(` + p("keep.ts") + `, 0o777)`,
				"open write": `(async () => { const f = await Deno.open(` + p("keep.ts") + `, { write: true }); await f.write(new TextEncoder().encode("x")); f.close(); return "written" })()`,
				"truncate":   `Deno.truncate(` + p("keep.ts") + `, 0)`,
			})
			if strings.Contains(raw, "ok: ") {
				t.Errorf("an attempt succeeded: %v", got)
			}
			after, _ := os.ReadDir(skills)
			names := func(es []os.DirEntry) []string {
				var n []string
				for _, e := range es {
					n = append(n, e.Name())
				}
				return n
			}
			if !slices.Equal(names(before), names(after)) {
				t.Errorf("the skills folder changed: %v → %v", names(before), names(after))
			}
			if b, _ := os.ReadFile(filepath.Join(skills, "keep.ts")); string(b) != src {
				t.Errorf("keep.ts changed: %q", b)
			}
			if r := c.run(`import { keep } from "skills/keep"; keep()`, nil).mustSucceed(t); r.ReturnValue != "original" {
				t.Errorf("keep() = %v", r.ReturnValue)
			}
		})
	}
}

// TestSkillsPlantedLinks: links in the skills folder (an administrator's
// mistake, or anyone else's) are not skills: not listed, not importable,
// not readable, and saving over one replaces the link, never writes
// through it.
func TestSkillsPlantedLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need a privilege on Windows")
	}
	for _, mode := range []string{"auto", "off"} {
		t.Run(mode, func(t *testing.T) {
			canary := newCanary(t)
			outside := realTemp(t)
			target := filepath.Join(outside, "evil.ts")
			evil := `export function leak(): string { return "` + canary + `" }` + "\n"
			writeFile(t, target, evil)
			home := realTemp(t)
			ch := filepath.Join(home, ".mcp-conductor")
			skills := filepath.Join(ch, "skills")
			writeFile(t, filepath.Join(ch, "secret.ts"), evil)
			if err := os.MkdirAll(skills, 0o700); err != nil {
				t.Fatal(err)
			}
			for link, to := range map[string]string{"evil.ts": target, "home.ts": filepath.Join(ch, "secret.ts"), "dir.ts": outside} {
				if err := os.Symlink(to, filepath.Join(skills, link)); err != nil {
					t.Fatal(err)
				}
			}
			c := startConductorIn(t, home, mode)
			if l := c.listSkills(); len(l.Skills) != 0 {
				t.Errorf("list_skills lists links: %+v", l)
			}
			for _, code := range []string{
				`import { leak } from "skills/evil"; leak()`,
				`import { leak } from "skills/home"; leak()`,
			} {
				r := c.run(code, nil)
				if r.Status != "error" || strings.Contains(string(r.raw), canary) {
					t.Errorf("%s: %s", code, r.raw)
				}
			}
			got, raw := attempts(t, c, map[string]string{
				"computed":  `(await computed("skills/evil")).leak()`,
				"file url":  `(await computed("file://" + ` + jsString(filepath.ToSlash(filepath.Join(skills, "evil.ts"))) + `)).leak()`,
				"read link": `Deno.readTextFile(` + jsString(filepath.Join(skills, "evil.ts")) + `)`,
				"in dir":    `Deno.readTextFile(` + jsString(filepath.Join(skills, "dir.ts", "evil.ts")) + `)`,
			})
			if strings.Contains(raw, canary) {
				t.Fatalf("the canary leaked: %s", raw)
			}
			for k, v := range got {
				if !strings.HasPrefix(v, "error: ") {
					t.Errorf("%s: %s", k, v)
				}
			}
			// Saving over the link replaces it: the target is unchanged.
			if raw, failed := c.saveSkill("evil", "Replaces a link.", `export function leak(): string { return "mine" }`); failed {
				t.Fatalf("save_skill: %s", raw)
			}
			if b, _ := os.ReadFile(target); string(b) != evil {
				t.Errorf("the link's target was written: %q", b)
			}
			if st, err := os.Lstat(filepath.Join(skills, "evil.ts")); err != nil || !st.Mode().IsRegular() {
				t.Errorf("evil.ts is still a link: %v", err)
			}
			backups, _ := os.ReadDir(filepath.Join(ch, "backups", "skills"))
			for _, b := range backups {
				if data, _ := os.ReadFile(filepath.Join(ch, "backups", "skills", b.Name())); strings.Contains(string(data), canary) {
					t.Errorf("the backup %s copied the link's target", b.Name())
				}
			}
			if r := c.run(`import { leak } from "skills/evil"; leak()`, nil).mustSucceed(t); r.ReturnValue != "mine" {
				t.Errorf("leak() = %v", r.ReturnValue)
			}
		})
	}
}
