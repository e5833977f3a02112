package sandbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// fakeLabels stands in for Windows' labels: the label of each path, and
// which processes run.
type fakeLabels struct {
	label    map[string]string
	dead     map[int]bool
	failOn   string // restore of this path fails
	restored []string
}

func (f *fakeLabels) ops() labelOps {
	return labelOps{
		get: func(p string) (string, error) { return f.label[p], nil },
		set: func(l winLabel) error { f.label[l.Path] = l.SDDL; return nil },
		restore: func(p, before string) error {
			if p == f.failOn {
				return errors.New("access denied")
			}
			f.label[p] = before
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
	f := &fakeLabels{label: map[string]string{y: yBefore}, dead: map[int]bool{}}
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
	f := &fakeLabels{label: map[string]string{}, dead: map[int]bool{}}
	if err := applyLabels(context.Background(), home, []winLabel{{x, labelWritable}}, labelHolder{1, 1}, f.ops()); err != nil {
		t.Fatal(err)
	}
	got := readLabelRecord(rec)
	if len(got.Labels) != 1 || got.Labels[0].Path != x || got.Labels[0].SDDL != labelWritable || len(got.Labels[0].Holders) != 1 {
		t.Errorf("record after a damaged one: %+v", got.Labels)
	}
}
