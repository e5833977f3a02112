package sandbox

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestWindowsPlan is what the Windows layer asks for, as data, on every
// platform: the job's limits, the token, and one label per place (the
// write grant and the private folder writable; the conductor's folder and
// files unreadable; what Deno reads inside them readable, explicitly).
func TestWindowsPlan(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home")
	j := func(p ...string) string { return filepath.Join(append([]string{root}, p...)...) }
	spec := LaunchSpec{
		DataLimit:  (512 + 1024) << 20,
		WriteRoots: []string{j("work")},
		RWDirs:     []string{j("tmp", "run-1", "tmp")},
		ReadRoots:  []string{j("data"), filepath.Join(home, "workspace")},
		ReadDirs:   []string{filepath.Join(home, "cache", "deno")},
		ReadFiles:  []string{filepath.Join(home, "runtime", "deno.exe"), filepath.Join(home, "sandbox", "bootstrap-1.js")},
		Private:    []string{home, filepath.Join(home, "settings.json"), filepath.Join(home, "logs")},
		WorkDir:    filepath.Join(home, "workspace"),
	}
	want := []winLabel{
		{j("work"), "S:(ML;OICI;NW;;;LW)"},
		{j("tmp", "run-1", "tmp"), "S:(ML;OICI;NW;;;LW)"},
		{filepath.Join(home, "cache", "deno"), "S:(ML;OICI;NW;;;ME)"},
		{filepath.Join(home, "workspace"), "S:(ML;OICI;NW;;;ME)"},
		{filepath.Join(home, "runtime", "deno.exe"), "S:(ML;;NW;;;ME)"},
		{filepath.Join(home, "sandbox", "bootstrap-1.js"), "S:(ML;;NW;;;ME)"},
		{home, "S:(ML;OICI;NWNR;;;ME)"},
		{filepath.Join(home, "settings.json"), "S:(ML;;NWNR;;;ME)"},
		{filepath.Join(home, "logs"), "S:(ML;OICI;NWNR;;;ME)"},
	}
	if got := windowsLabels(spec); !reflect.DeepEqual(got, want) {
		t.Errorf("labels:\n got %v\nwant %v", got, want)
	}
	job := windowsJob(spec)
	if !job.KillOnClose || !job.DieOnUnhandled || job.ActiveProcesses != 1 || job.JobMemory != 1536<<20 || job.BreakawayAllowed || len(job.UIRestrictions) != 8 {
		t.Errorf("job without allow-run: %+v", job)
	}
	spec.Run = true
	if job := windowsJob(spec); job.ActiveProcesses != maxJobProcesses {
		t.Errorf("allow-run: %d processes, want %d", job.ActiveProcesses, maxJobProcesses)
	}
	if err := refuseWholeDrives(LaunchSpec{WriteRoots: []string{filepath.VolumeName(root) + string(filepath.Separator)}}); err == nil {
		t.Error("a write grant of a whole drive is labelled")
	}
	if err := refuseWholeDrives(spec); err != nil {
		t.Errorf("folder grants refused: %v", err)
	}
	tok := windowsToken(spec)
	if tok.Integrity != "S-1-16-4096" || !tok.DisableMaxPrivilege || !reflect.DeepEqual(tok.DenyOnly, []string{"S-1-5-32-544"}) {
		t.Errorf("token %+v: want low integrity, no privileges, Administrators deny-only", tok)
	}
}
