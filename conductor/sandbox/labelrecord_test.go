package sandbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// fakeLabels stands in for Windows' labels: the label of each path, its
// access entry for the grant SID, and which processes run.
type fakeLabels struct {
	label    map[string]string
	access   map[string]string
	dead     map[int]bool
	failOn   string // restore of this path fails
	restored []string
}

func (f *fakeLabels) ops() labelOps {
	return labelOps{
		get: func(p string) (string, error) { return f.label[p], nil },
		set: func(l winLabel) error {
			if isAccessEntry(l) {
				f.access[l.Path] = l.SDDL
			} else {
				f.label[l.Path] = l.SDDL
			}
			return nil
		},
		restore: func(r recordedLabel) error {
			p := r.Path
			if p == f.failOn {
				return errors.New("access denied")
			}
			if isAccessEntry(winLabel{p, r.SDDL}) {
				delete(f.access, p)
				f.restored = append(f.restored, "access "+p)
				return nil
			}
			f.label[p] = r.Before
			f.restored = append(f.restored, p)
			return nil
		},
		alive: func(pid int) bool { return !f.dead[pid] },
	}
}

// TestLabelsGoBackWhenNoPolicyGrantsThem follows the record of Windows'
// labels through policies of two conductor processes: a folder a policy
// labels writable gets its earlier label back (read before it was
// changed) once no policy of a running conductor grants it, and not
// before; the conductor's own files are never recorded.
func TestLabelsGoBackWhenNoPolicyGrantsThem(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home")
	x, y, gone := filepath.Join(root, "x"), filepath.Join(root, "y"), filepath.Join(root, "gone")
	for _, d := range []string{home, x, y, gone} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	const yBefore = "S:(ML;OICI;NW;;;HI)" // an explicit label of its own
	f := &fakeLabels{label: map[string]string{y: yBefore}, access: map[string]string{}, dead: map[int]bool{}}
	ctx := context.Background()
	apply := func(h labelHolder, want ...winLabel) {
		t.Helper()
		if err := applyLabels(ctx, home, want, h, f.ops()); err != nil {
			t.Fatal(err)
		}
	}
	expect := func(step, path, want string) {
		t.Helper()
		if got := f.label[path]; got != want {
			t.Errorf("%s: label of %s = %q, want %q", step, filepath.Base(path), got, want)
		}
	}
	w := func(p string) winLabel { return winLabel{p, labelWritable} }
	own := winLabel{home, labelUnreadable}
	a1, a2, b := labelHolder{100, 1}, labelHolder{100, 2}, labelHolder{200, 1}

	apply(a1, w(x), w(y), w(gone), own)
	expect("granted", x, labelWritable)
	expect("granted", y, labelWritable)
	expect("granted", home, labelUnreadable)

	// A reload in the same process grants x only: the old policy still
	// runs, so y stays writable until it is closed.
	apply(a2, w(x), own)
	expect("reloaded, old policy open", y, labelWritable)
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	apply(a1) // the old policy's runner closes
	expect("old policy closed", y, yBefore)
	expect("old policy closed", x, labelWritable)

	// Another conductor grants x; the first one dies without closing.
	apply(b, w(x), own)
	f.dead[100] = true
	f.failOn = x
	apply(b) // its grant is removed: x's restore fails, and is tried again
	expect("restore failed", x, labelWritable)
	f.failOn = ""
	apply(labelHolder{300, 1}, own) // the next policy anywhere
	expect("retried", x, "")
	expect("never recorded", home, labelUnreadable)
	if want := []string{y, x}; !slices.Equal(f.restored, want) {
		t.Errorf("restored %v, want %v (the conductor's own folder never, the deleted folder never)", f.restored, want)
	}
	if rec := readLabelRecord(filepath.Join(home, "sandbox", labelRecordName)); len(rec.Labels) != 0 {
		t.Errorf("record after every policy let go: %+v", rec.Labels)
	}
}

// TestDamagedLabelRecordStartsOver: a record that does not parse is
// replaced by one that holds the current policy's labels.
func TestDamagedLabelRecordStartsOver(t *testing.T) {
	root := t.TempDir()
	home, x := filepath.Join(root, "home"), filepath.Join(root, "x")
	rec := filepath.Join(home, "sandbox", labelRecordName)
	for _, d := range []string{filepath.Dir(rec), x} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(rec, []byte(`{"labels": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &fakeLabels{label: map[string]string{}, access: map[string]string{}, dead: map[int]bool{}}
	if err := applyLabels(context.Background(), home, []winLabel{{x, labelWritable}}, labelHolder{1, 1}, f.ops()); err != nil {
		t.Fatal(err)
	}
	got := readLabelRecord(rec)
	if len(got.Labels) != 1 || got.Labels[0].Path != x || got.Labels[0].SDDL != labelWritable || len(got.Labels[0].Holders) != 1 {
		t.Errorf("record after a damaged one: %+v", got.Labels)
	}
}

// TestAccessEntriesGoBack: the grant SID's access entries on the
// administrator's folders (winaccess.go) are recorded beside their labels
// and taken back, each on its own, once no policy grants them; the
// conductor's own folders are never recorded.
func TestAccessEntriesGoBack(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home")
	w, r := filepath.Join(root, "w"), filepath.Join(root, "r")
	cache := filepath.Join(home, "cache")
	for _, d := range []string{w, r, cache} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	spec := LaunchSpec{WriteRoots: []string{w}, ReadRoots: []string{r}, ReadDirs: []string{cache}, Private: []string{home}}
	want := append(windowsLabels(spec), windowsAccess(spec)...)
	f := &fakeLabels{label: map[string]string{}, access: map[string]string{}, dead: map[int]bool{}}
	ctx := context.Background()
	if err := applyLabels(ctx, home, want, labelHolder{1, 1}, f.ops()); err != nil {
		t.Fatal(err)
	}
	sid := grantSID(home)
	for p, mask := range map[string]string{w: accessModify, r: accessRead, cache: accessRead} {
		if got := f.access[p]; got != "D:(A;OICI;"+mask+";;;"+sid+")" {
			t.Errorf("access entry of %s = %q", filepath.Base(p), got)
		}
	}
	if f.label[w] != labelWritable {
		t.Errorf("label of the write grant = %q", f.label[w])
	}
	rec := readLabelRecord(filepath.Join(home, "sandbox", labelRecordName))
	if len(rec.Labels) != 3 { // w's label, w's entry, r's entry; nothing in home
		t.Errorf("record: %+v", rec.Labels)
	}
	// The next policy reads r only: w's label and entry go back, r's stays.
	next := LaunchSpec{ReadRoots: []string{r}, ReadDirs: []string{cache}, Private: []string{home}}
	if err := applyLabels(ctx, home, append(windowsLabels(next), windowsAccess(next)...), labelHolder{1, 2}, f.ops()); err != nil {
		t.Fatal(err)
	}
	if err := applyLabels(ctx, home, nil, labelHolder{1, 1}, f.ops()); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.access[w]; ok || f.label[w] != "" {
		t.Errorf("write grant removed, but its entry %q or label %q stays", f.access[w], f.label[w])
	}
	if f.access[r] == "" {
		t.Error("the read grant's entry went while a policy still grants it")
	}
	if slices.Contains(f.restored, "access "+cache) {
		t.Error("an entry in the conductor's own folder was recorded and taken back")
	}
}
