package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains/task"
)

func TestTau2(t *testing.T) {
	recs := makeRecords(60)
	dir, _ := writeFixture(t, recs, 4)
	tmp := t.TempDir()
	out, s := runExport(t, dir, FormatTau2, &Options{TempDir: tmp})

	want := []string{"bank/db_000.json", "bank/db_001.json", "bank/policy.md", "bank/tasks.json",
		"movie/db_000.json", "movie/policy.md", "movie/tasks.json", "weather/tasks.json"}
	if got := listFiles(t, out); !slices.Equal(got, want) {
		t.Errorf("files = %q; want %q", got, want)
	}
	for path, b := range tau2Files {
		d, rest, _ := strings.Cut(strings.TrimPrefix(path, "tau2/"), "/")
		if rest == Tau2TasksFile {
			continue
		}
		if got, err := os.ReadFile(filepath.Join(out, d, rest)); err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s/%s = %q, %v; want the dataset's %s", d, rest, got, err, path)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the sort files were left in TempDir: %v", left)
	}

	var got []string
	for _, d := range fixtureDomains {
		b, err := os.ReadFile(filepath.Join(out, d, Tau2TasksFile))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("[\n{")) || !bytes.HasSuffix(b, []byte("}\n]\n")) {
			t.Errorf("%s/tasks.json is not a list of one task a line: %.40q…", d, b)
		}
		var tasks []task.Task
		if err := json.Unmarshal(b, &tasks); err != nil {
			t.Fatalf("%s/tasks.json: %v", d, err)
		}
		var domainIDs []string
		for _, tk := range tasks {
			if tk.UserScenario.Instructions.Domain != d || tk.Toolscale == nil || len(tk.EvaluationCriteria.Actions) != 3 {
				t.Errorf("%s/tasks.json holds task %s of domain %q", d, tk.ID, tk.UserScenario.Instructions.Domain)
			}
			domainIDs = append(domainIDs, tk.ID)
		}
		if !slices.IsSorted(domainIDs) {
			t.Errorf("%s/tasks.json is not sorted by id: %q", d, domainIDs)
		}
		got = append(got, domainIDs...)
	}
	checkOnce(t, "tau2", got, ids(recs, "", dataset.CategoryFuncCall))
	qa := int64(len(ids(recs, "", dataset.CategoryQA)))
	if s.Read != 60 || s.Written != 60-qa || s.Skipped[SkipCategory] != qa {
		t.Errorf("summary read %d, written %d, skipped %v; want 60, %d, %d qa", s.Read, s.Written, s.Skipped, 60-qa, qa)
	}
}

func TestTau2Split(t *testing.T) {
	recs := makeRecords(40)
	dir, _ := writeFixture(t, recs, 3)
	out, s := runExport(t, dir, FormatTau2, &Options{Split: "test"})
	var got []string
	for _, name := range listFiles(t, out) {
		if !strings.HasSuffix(name, "/"+Tau2TasksFile) {
			continue
		}
		var tasks []task.Task
		b, _ := os.ReadFile(filepath.Join(out, name))
		if err := json.Unmarshal(b, &tasks); err != nil {
			t.Fatal(err)
		}
		for _, tk := range tasks {
			got = append(got, tk.ID)
		}
	}
	checkOnce(t, "tau2 test", got, ids(recs, "test", dataset.CategoryFuncCall))
	if s.Read != s.Written+s.Skipped[SkipSplit]+s.Skipped[SkipCategory] {
		t.Errorf("summary %+v does not add up", s)
	}
}

// A database whose bytes differ from the manifest's is not copied.
func TestTau2CorruptFile(t *testing.T) {
	dir, _ := writeFixture(t, makeRecords(10), 2)
	if err := os.WriteFile(filepath.Join(dir, "tau2/bank/policy.md"), []byte("# Bank policy\n\nWaive two fees a year.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	_, err := Export(context.Background(), dataset.OpenDir(dir), dataset.OpenDir(out), FormatTau2, nil)
	if !errors.Is(err, dataset.ErrChecksum) || !strings.Contains(err.Error(), "tau2/bank/policy.md") {
		t.Errorf("err = %v; want a checksum mismatch naming tau2/bank/policy.md", err)
	}
	for _, f := range listFiles(t, out) {
		if strings.HasSuffix(f, "policy.md") && strings.HasPrefix(f, "bank/") || strings.Contains(f, ".tmp-") {
			t.Errorf("%s was written", f)
		}
	}
}

func TestTau2ExampleNotATask(t *testing.T) {
	recs := makeRecords(10)
	recs[2].Example = json.RawMessage(`{"id": "` + recs[2].ID + `", "user_scenario": "a string"}`)
	dir, m := writeFixture(t, recs, 1)
	_, err := Export(context.Background(), dataset.OpenDir(dir), dataset.OpenDir(t.TempDir()), FormatTau2, nil)
	var fe *dataset.FileError
	if !errors.As(err, &fe) || fe.Path != m.Shards[0].Path || fe.Field != "example" || fe.Line < 1 {
		t.Errorf("err = %v; want a *dataset.FileError at %s, field example", err, m.Shards[0].Path)
	}
}
