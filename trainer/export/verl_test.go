package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/toolscale/toolscale/dataset"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile(path); err != nil {
		t.Fatal(err)
	} else if !bytes.Equal(got, want) {
		t.Errorf("%s differs (rerun with -update to accept)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// verlColumns is the layout a verl trainer expects, written here independently of VerlRow:
// reading the files into it checks the column names and nesting.
type verlColumns struct {
	DataSource string `parquet:"data_source"`
	Prompt     []struct {
		Role    string `parquet:"role"`
		Content string `parquet:"content"`
	} `parquet:"prompt,list"`
	Ability     string `parquet:"ability"`
	RewardModel struct {
		Style       string `parquet:"style"`
		GroundTruth string `parquet:"ground_truth"`
	} `parquet:"reward_model"`
	ExtraInfo struct {
		Split       string `parquet:"split"`
		Index       int64  `parquet:"index"`
		ID          string `parquet:"id"`
		Category    string `parquet:"category"`
		Domain      string `parquet:"domain"`
		Source      string `parquet:"source"`
		License     string `parquet:"license"`
		Tools       string `parquet:"tools"`
		ToolPricing string `parquet:"tool_pricing"`
		PrefVec     string `parquet:"pref_vec"`
		Example     string `parquet:"example"`
	} `parquet:"extra_info"`
}

// openParquet opens a Parquet file for reading.
func openParquet(t *testing.T, path string) (*parquet.File, *os.File) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return pf, f
}

func readRows[T any](t *testing.T, f io.ReaderAt) []T {
	t.Helper()
	r := parquet.NewGenericReader[T](f)
	defer r.Close()
	rows := make([]T, r.NumRows())
	n, err := r.Read(rows)
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	return rows[:n]
}

// describeSchema prints the file's own schema, as stored in its footer: one element a line,
// indented by depth, with repetition, physical type and logical type.
func describeSchema(elems []format.SchemaElement) string {
	var b strings.Builder
	var walk func(i, depth int) int
	walk = func(i, depth int) int {
		e := elems[i]
		fmt.Fprintf(&b, "%s%s", strings.Repeat("  ", depth), e.Name)
		if r, ok := e.RepetitionType.Get(); ok {
			fmt.Fprintf(&b, " %s", strings.ToLower(r.String()))
		}
		if ty, ok := e.Type.Get(); ok {
			fmt.Fprintf(&b, " %s", ty)
		}
		if l := e.LogicalType.String(); l != "" {
			fmt.Fprintf(&b, " (%s)", l)
		}
		b.WriteString("\n")
		next := i + 1
		n, _ := e.NumChildren.Get()
		for range n {
			next = walk(next, depth+1)
		}
		return next
	}
	walk(0, 0)
	return b.String()
}

func TestVerl(t *testing.T) {
	recs := makeRecords(60)
	dir, m := writeFixture(t, recs, 4)
	out, s := runExport(t, dir, FormatVerl, &Options{ToolVersion: "v1.2.3"})

	var want []string
	for i := range m.Shards {
		want = append(want, VerlFile(SplitAll, i))
	}
	if got := listFiles(t, out); !slices.Equal(got, want) {
		t.Fatalf("files = %q; want %q", got, want)
	}
	if s.Read != 60 || s.Written != 60 || len(s.Skipped) != 0 {
		t.Errorf("summary read %d, written %d, skipped %v; want 60, 60, none", s.Read, s.Written, s.Skipped)
	}
	byID := map[string]dataset.Record{}
	for _, r := range recs {
		byID[r.ID] = r
	}

	var got []string
	var schema string
	for i, name := range want {
		path := filepath.Join(out, name)
		pf, f := openParquet(t, path)
		b, _ := os.ReadFile(path)
		sum := sha256.Sum256(b)
		if fs := s.Files[i]; fs.Path != name || fs.Bytes != int64(len(b)) || fs.SHA256 != hex.EncodeToString(sum[:]) || fs.Records != m.Shards[i].Records {
			t.Errorf("summary file %d = %+v; want %s, %d bytes, %d records, its sha256", i, fs, name, len(b), m.Shards[i].Records)
		}
		if pf.NumRows() != m.Shards[i].Records {
			t.Errorf("%s: %d rows; shard %s holds %d records", name, pf.NumRows(), m.Shards[i].Path, m.Shards[i].Records)
		}
		if v, _ := pf.Lookup("toolscale.shard"); v != m.Shards[i].Path {
			t.Errorf("%s: toolscale.shard = %q; want %q", name, v, m.Shards[i].Path)
		}
		if cb := pf.Metadata().CreatedBy; cb != "toolscale version v1.2.3" {
			t.Errorf("%s: created_by = %q", name, cb)
		}
		d := describeSchema(pf.Metadata().Schema)
		if i == 0 {
			schema = d
			golden(t, "verl_schema", []byte(d))
		} else if d != schema {
			t.Errorf("%s: schema differs from %s's:\n%s", name, want[0], d)
		}

		for _, row := range readRows[verlColumns](t, f) {
			id := row.ExtraInfo.ID
			got = append(got, id)
			if sh := dataset.ShardOf(id, len(m.Shards)); sh != i {
				t.Errorf("%s holds %s, a record of shard %d", name, id, sh)
			}
			rec := byID[id]
			if len(row.Prompt) != 2 || row.Prompt[0].Role != "system" || row.Prompt[1].Role != "user" || row.Prompt[1].Content != rec.Problem {
				t.Errorf("%s: prompt = %+v; want a system message and the problem", id, row.Prompt)
			}
			for _, tl := range rec.Tools {
				if !strings.Contains(row.Prompt[0].Content, tl.Alias+" ("+tl.Kind+"): "+tl.Description) {
					t.Errorf("%s: the system message does not offer %s:\n%s", id, tl.Alias, row.Prompt[0].Content)
				}
			}
			if !strings.Contains(row.Prompt[0].Content, rec.PrefInstruction) {
				t.Errorf("%s: the system message lacks the preference instruction", id)
			}
			if row.DataSource != rec.Source+"/"+rec.Domain || row.RewardModel.Style != "rule" || row.ExtraInfo.Split != rec.Split || row.ExtraInfo.Index != rec.Index {
				t.Errorf("%s: data_source %q, style %q, split %q, index %d", id, row.DataSource, row.RewardModel.Style, row.ExtraInfo.Split, row.ExtraInfo.Index)
			}
			switch rec.Category {
			case dataset.CategoryQA:
				if row.Ability != rec.Domain || row.RewardModel.GroundTruth != rec.Answer {
					t.Errorf("%s: ability %q, ground truth %q; want %q, %q", id, row.Ability, row.RewardModel.GroundTruth, rec.Domain, rec.Answer)
				}
			case dataset.CategoryFuncCall:
				var gt FuncCallTruth
				if err := json.Unmarshal([]byte(row.RewardModel.GroundTruth), &gt); err != nil {
					t.Fatalf("%s: ground truth: %v", id, err)
				}
				var task struct {
					EvaluationCriteria struct {
						Actions         []json.RawMessage `json:"actions"`
						CommunicateInfo []string          `json:"communicate_info"`
					} `json:"evaluation_criteria"`
				}
				json.Unmarshal(rec.Example, &task)
				var actions []json.RawMessage
				json.Unmarshal(gt.Actions, &actions)
				if row.Ability != AbilityToolOrchestration || gt.TaskID != id || gt.Domain != rec.Domain || gt.Expected.Tau2 == "" || gt.Expected.SHA256 == "" ||
					len(actions) != 3 || !slices.Equal(gt.CommunicateInfo, task.EvaluationCriteria.CommunicateInfo) || !strings.HasPrefix(gt.DB, "db_") {
					t.Errorf("%s: ability %q, ground truth %s", id, row.Ability, row.RewardModel.GroundTruth)
				}
				for k := range actions {
					if !bytes.Equal(actions[k], task.EvaluationCriteria.Actions[k]) {
						t.Errorf("%s: action %d = %s; want %s", id, k, actions[k], task.EvaluationCriteria.Actions[k])
					}
				}
			}
		}

		// The package's own row type gives every record back, field for field.
		for _, row := range readRows[VerlRow](t, f) {
			rec, err := FromVerl(&row)
			if err != nil {
				t.Fatal(err)
			}
			g, _ := json.Marshal(rec)
			w, _ := json.Marshal(byID[rec.ID])
			if !bytes.Equal(g, w) {
				t.Errorf("FromVerl(ToVerl(%s)):\n got %s\nwant %s", rec.ID, g, w)
			}
		}
	}
	checkOnce(t, "verl", got, ids(recs, SplitAll, ""))
}

func TestVerlSplit(t *testing.T) {
	recs := makeRecords(40)
	dir, _ := writeFixture(t, recs, 3)
	for _, split := range []string{"train", "test"} {
		out, s := runExport(t, dir, FormatVerl, &Options{Split: split})
		var got []string
		for i := range 3 {
			_, f := openParquet(t, filepath.Join(out, VerlFile(split, i)))
			for _, row := range readRows[verlColumns](t, f) {
				if row.ExtraInfo.Split != split {
					t.Errorf("split %s: exported %s of split %s", split, row.ExtraInfo.ID, row.ExtraInfo.Split)
				}
				got = append(got, row.ExtraInfo.ID)
			}
		}
		want := ids(recs, split, "")
		checkOnce(t, "verl "+split, got, want)
		if s.Read != 40 || s.Written != int64(len(want)) || s.Skipped[SkipSplit] != int64(40-len(want)) {
			t.Errorf("split %s: summary %+v; want read 40, written %d", split, s, len(want))
		}
	}
}

// An empty shard still gives a file, with the same schema and no rows.
func TestVerlEmptyShards(t *testing.T) {
	recs := makeRecords(3)
	dir, m := writeFixture(t, recs, 8)
	out, _ := runExport(t, dir, FormatVerl, nil)
	var got []string
	empty := 0
	for i := range m.Shards {
		pf, f := openParquet(t, filepath.Join(out, VerlFile(SplitAll, i)))
		if pf.NumRows() == 0 {
			empty++
		}
		golden(t, "verl_schema", []byte(describeSchema(pf.Metadata().Schema)))
		for _, row := range readRows[verlColumns](t, f) {
			got = append(got, row.ExtraInfo.ID)
		}
	}
	if empty < 5 {
		t.Errorf("%d empty shards of 8 for 3 records; the test wants at least 5", empty)
	}
	checkOnce(t, "verl", got, ids(recs, "", ""))
}

// A folder with verl files of a larger export of the same split is refused; another split's
// files are left alone.
func TestVerlStaleFiles(t *testing.T) {
	big, _ := writeFixture(t, makeRecords(20), 4)
	small, _ := writeFixture(t, makeRecords(20), 2)
	out := t.TempDir()
	ctx := context.Background()
	if _, err := Export(ctx, dataset.OpenDir(big), dataset.OpenDir(out), FormatVerl, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(ctx, dataset.OpenDir(small), dataset.OpenDir(out), FormatVerl, &Options{Split: "train"}); err != nil {
		t.Errorf("export of split train beside split all: %v", err)
	}
	_, err := Export(ctx, dataset.OpenDir(small), dataset.OpenDir(out), FormatVerl, nil)
	if err == nil || !strings.Contains(err.Error(), "all-00002.parquet") {
		t.Errorf("export of 2 shards over 4: err = %v; want one naming all-00002.parquet", err)
	}
}

func TestVerlBadExample(t *testing.T) {
	recs := makeRecords(12)
	bad := &recs[4] // a func_call record
	var ex map[string]json.RawMessage
	json.Unmarshal(bad.Example, &ex)
	delete(ex, "toolscale")
	bad.Example, _ = json.Marshal(ex)
	dir, m := writeFixture(t, recs, 2)

	_, err := Export(context.Background(), dataset.OpenDir(dir), dataset.OpenDir(t.TempDir()), FormatVerl, nil)
	var fe *dataset.FileError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v; want a *dataset.FileError", err)
	}
	shard := dataset.ShardOf(bad.ID, 2)
	var inShard []string
	for _, r := range recs {
		if dataset.ShardOf(r.ID, 2) == shard {
			inShard = append(inShard, r.ID)
		}
	}
	slices.Sort(inShard)
	line := int64(slices.Index(inShard, bad.ID) + 1)
	if fe.Path != m.Shards[shard].Path || fe.Line != line || !strings.Contains(err.Error(), "example.toolscale.expected") {
		t.Errorf("err = %v; want %s:%d and the missing field", err, m.Shards[shard].Path, line)
	}
}

// pyarrowCheck reads verl files with pyarrow, the reader verl itself uses, and prints the
// schema and the ids; it exits 77 when pyarrow is not installed.
const pyarrowCheck = `
import sys
try:
    import pyarrow.parquet as pq
except ImportError:
    sys.exit(77)
for path in sys.argv[1:]:
    t = pq.read_table(path)
    print("schema", str(t.schema.remove_metadata()).replace("\n", " | "))
    for info in t.column("extra_info").to_pylist():
        print("id", info["id"])
`

// TestVerlPyarrow runs only where Python has pyarrow; the other tests do not need it.
func TestVerlPyarrow(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3: the files are checked with parquet-go only")
	}
	recs := makeRecords(20)
	dir, m := writeFixture(t, recs, 2)
	out, _ := runExport(t, dir, FormatVerl, nil)
	args := []string{"-c", pyarrowCheck}
	for i := range m.Shards {
		args = append(args, filepath.Join(out, VerlFile(SplitAll, i)))
	}
	b, err := exec.Command(python, args...).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 77 {
		t.Skip("python3 has no pyarrow: the files are checked with parquet-go only")
	}
	if err != nil {
		t.Fatalf("pyarrow: %v", err)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		switch k, v, _ := strings.Cut(line, " "); k {
		case "id":
			got = append(got, v)
		case "schema":
			for _, col := range []string{"data_source: string", "prompt: list<element: struct<role: string", "ability: string",
				"reward_model: struct<style: string", "extra_info: struct<split: string", "index: int64"} {
				if !strings.Contains(v, col) {
					t.Errorf("pyarrow schema lacks %q: %s", col, v)
				}
			}
		}
	}
	checkOnce(t, "verl read by pyarrow", got, ids(recs, "", ""))
}
