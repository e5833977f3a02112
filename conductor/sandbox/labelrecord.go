package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mcp-conductor/mcp-conductor/internal/fsx"
)

// A write grant on Windows is a low integrity label on the administrator's
// folder (winplan.go), and a label outlives the process that set it. So
// that a folder stops being writable to low-integrity programs once no
// policy grants it, the conductor keeps a record of the labels it gave
// folders outside its own (labels.json in its sandbox folder, under
// labels.lock): for each, the label the folder had before (as Windows
// wrote it, SDDL), and the policies (of conductor processes) that hold it.
// A policy holds its labels from when they are set until its runner is
// closed because a new policy replaced it (not when the conductor exits:
// the next start would label a large folder anew). Each time the record
// changes, holders in processes that are no longer running are forgotten,
// and every label nobody holds gets the folder's earlier one back.
//
// Access entries for the grant SID (winaccess.go) on the administrator's
// folders are recorded the same way, beside the label of the same folder:
// giving one back removes the entries for that SID (Before is unused).
//
// The record's bookkeeping is plain code over labelOps, tested on every
// platform with a stand-in for the system calls (labelrecord_test.go);
// label_windows.go supplies the real ones.

// labelRecordName and labelLockName are the record and its lock, in the
// conductor's sandbox folder.
const (
	labelRecordName = "labels.json"
	labelLockName   = "labels.lock"
)

// labelRecord is labels.json.
type labelRecord struct {
	Labels []recordedLabel `json:"labels"`
}

// recordedLabel is one label the conductor set on a folder (or file) that
// is not its own.
type recordedLabel struct {
	Path    string        `json:"path"`
	SDDL    string        `json:"sddl"`    // the label the conductor set
	Before  string        `json:"before"`  // the object's label before, as Windows wrote it ("" for none)
	Holders []labelHolder `json:"holders"` // the policies that set it
}

// labelHolder is one policy of one conductor process.
type labelHolder struct {
	PID    int    `json:"pid"`
	Policy uint64 `json:"policy"` // LaunchSpec.Policy: which of the process's policies
}

// labelOps are the system calls the record needs.
type labelOps struct {
	get     func(path string) (string, error) // the object's label as SDDL
	set     func(winLabel) error              // setLabel
	restore func(recordedLabel) error         // give back what the record says was there before
	alive   func(pid int) bool                // is this conductor process still running
}

// applyLabels sets want (the labels of policy self; none to release it),
// recording the ones outside home first (with what they had before), and
// gives back the labels of folders no policy of a running conductor holds
// any longer. A label that cannot be given back stays in the record and
// is tried again next time.
func applyLabels(ctx context.Context, home string, want []winLabel, self labelHolder, ops labelOps) error {
	dir := filepath.Join(home, "sandbox")
	unlock, err := fsx.Lock(ctx, filepath.Join(dir, labelLockName))
	if err != nil {
		return fmt.Errorf("the record of the sandbox's labels: %w", err)
	}
	defer unlock()
	path := filepath.Join(dir, labelRecordName)
	rec := readLabelRecord(path)

	// Record first: a label set and not recorded could never be given back.
	wanted := map[string]bool{}
	for _, l := range want {
		if !recordable(l, home) {
			continue
		}
		if _, err := os.Lstat(l.Path); err != nil {
			continue // setLabel skips what does not exist
		}
		key := recordKey(l)
		wanted[key] = true
		i := slices.IndexFunc(rec.Labels, func(r recordedLabel) bool { return recordKey(winLabel{r.Path, r.SDDL}) == key })
		if i < 0 {
			before := ""
			if !isAccessEntry(l) {
				b, err := ops.get(l.Path)
				if err != nil {
					return fmt.Errorf("read the label of %s: %w", l.Path, err)
				}
				before = b
			}
			rec.Labels = append(rec.Labels, recordedLabel{Path: l.Path, Before: before})
			i = len(rec.Labels) - 1
		}
		rec.Labels[i].SDDL = l.SDDL
		if !slices.Contains(rec.Labels[i].Holders, self) {
			rec.Labels[i].Holders = append(rec.Labels[i].Holders, self)
		}
	}
	if err := writeLabelRecord(path, rec); err != nil {
		return err
	}
	for _, l := range want {
		if err := ops.set(l); err != nil {
			return err
		}
	}

	kept := rec.Labels[:0]
	for _, r := range rec.Labels {
		r.Holders = slices.DeleteFunc(r.Holders, func(h labelHolder) bool {
			if h == self {
				return !wanted[recordKey(winLabel{r.Path, r.SDDL})]
			}
			return h.PID != self.PID && !ops.alive(h.PID)
		})
		if len(r.Holders) > 0 {
			kept = append(kept, r)
			continue
		}
		if _, err := os.Lstat(r.Path); errors.Is(err, fs.ErrNotExist) {
			continue // gone, and its label with it
		}
		if err := ops.restore(r); err != nil {
			what := "could not give a folder no longer granted its earlier integrity label back; it stays writable to low-integrity programs until the next try"
			if isAccessEntry(winLabel{r.Path, r.SDDL}) {
				what = "could not take the sandbox's access entry off a folder no longer granted; the conductor's sandbox can still reach it until the next try"
			}
			slog.Warn(what, "path", r.Path, "err", err)
			kept = append(kept, r)
		}
	}
	rec.Labels = kept
	return writeLabelRecord(path, rec)
}

// recordable reports whether l is a label the record keeps: a writable
// label or an access entry on something outside the conductor's folder
// (its own files keep theirs).
func recordable(l winLabel, home string) bool {
	if l.SDDL != labelWritable && l.SDDL != labelWritableFile && !isAccessEntry(l) {
		return false
	}
	k, h := labelKey(l.Path), labelKey(home)
	return k != h && !isWithin(k, h)
}

// recordKey tells the record's entries apart: a folder may have a label
// and an access entry.
func recordKey(l winLabel) string {
	if isAccessEntry(l) {
		return "access " + labelKey(l.Path)
	}
	return labelKey(l.Path)
}

// labelKey is how the record compares paths: the policy's paths are
// resolved already, and Windows' file names are case-insensitive.
func labelKey(p string) string { return strings.ToLower(filepath.Clean(p)) }

// readLabelRecord reads the record; a missing one is empty, and so is a
// damaged one (with a warning: its labels can no longer be given back).
func readLabelRecord(path string) labelRecord {
	var rec labelRecord
	data, err := os.ReadFile(path)
	if err != nil {
		return rec
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		slog.Warn("the record of the sandbox's integrity labels is damaged and starts over; folders it named keep their labels", "file", path, "err", err)
		return labelRecord{}
	}
	return rec
}

func writeLabelRecord(path string, rec labelRecord) error {
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	if err := fsx.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write the record of the sandbox's labels: %w", err)
	}
	return nil
}
