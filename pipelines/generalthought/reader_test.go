package generalthought_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	gt "github.com/toolscale/toolscale/pipelines/generalthought"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

// Every row read ends kept, rejected or filtered, with the reason the fixture planted.
func TestCountsByReason(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		cfg  gtfake.Config
	}{
		{"rows.jsonl.gz", gtfake.Default(7, 1500)},
		{"rows.parquet", gtfake.Default(8, 1500)},
		{"rows.jsonl", gtfake.Default(9, 600)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			c.BadShare, c.RowsPerGroup = 0.06, 400 // several row groups
			path, sum := writeFixture(t, dir, tt.name, c)
			got := merge(t, &gt.Opener{}, gt.DefaultFilterConfig(), path)

			if got.read != c.Rows {
				t.Errorf("read %d rows; want %d", got.read, c.Rows)
			}
			if n := got.kept + sumCounts(got.byReason); n != got.read {
				t.Errorf("kept %d + dropped %d = %d; want read = %d", got.kept, sumCounts(got.byReason), n, got.read)
			}
			if got.kept != sum.Kept {
				t.Errorf("kept %d; want %d", got.kept, sum.Kept)
			}
			if !maps.Equal(got.byReason, sum.ByReason) {
				t.Errorf("dropped by reason:\n got %v\nwant %v", got.byReason, sum.ByReason)
			}
			want := []string{gt.ReasonMissingQuestion, gt.ReasonOpenEnded, gt.ReasonEmptyReferenceAnswer,
				gt.ReasonDuplicateID, gt.ReasonDuplicateText}
			if gtfake.FormatOf(path) != gtfake.Parquet {
				want = append(want, gt.ReasonMalformedJSON, gt.ReasonWrongType)
			}
			for _, r := range want {
				if sum.ByReason[r] == 0 {
					t.Errorf("fixture has no row dropped for %s: the test proves nothing about it", r)
				}
			}
		})
	}
}

// Parts of one dataset in different formats merge as one: duplicates span files.
func TestCountsAcrossParts(t *testing.T) {
	dir := t.TempDir()
	c := gtfake.Default(12, 700)
	c.DuplicateShare = 0.2
	var paths []string
	kept, byReason := 0, map[string]int{}
	for k, name := range []string{"part-0.parquet", "part-1.jsonl.gz", "part-2.parquet"} {
		c.First = k * c.Rows
		path, sum := writeFixture(t, dir, name, c)
		paths = append(paths, path)
		kept += sum.Kept
		for r, n := range sum.ByReason {
			byReason[r] += n
		}
	}
	got := merge(t, &gt.Opener{}, gt.DefaultFilterConfig(), paths...)
	if got.read != 3*c.Rows || got.kept != kept || !maps.Equal(got.byReason, byReason) {
		t.Errorf("read %d, kept %d, dropped %v; want %d, %d, %v", got.read, got.kept, got.byReason, 3*c.Rows, kept, byReason)
	}
	// Some duplicates repeat a row of an earlier file.
	first := map[int64]string{}
	across := 0
	for it := range (gtfake.Config{Seed: c.Seed, Rows: 3 * c.Rows, DuplicateShare: c.DuplicateShare, BadShare: c.BadShare,
		OpenEndedShare: c.OpenEndedShare, EmptyAnswerShare: c.EmptyAnswerShare}).Items() {
		part := paths[it.Index/c.Rows]
		id := *it.Row.QuestionID
		if f, ok := first[id]; ok && it.Kind == gtfake.DuplicateID && f != part {
			across++
		} else if !ok {
			first[id] = part
		}
	}
	if across == 0 {
		t.Error("no duplicate spans two files: the test proves nothing about it")
	}
}

// The rows kept are the generated rows, column for column, in both formats.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c := gtfake.Default(3, 300)
	c.RowsPerGroup = 70
	want := map[int64]gt.Row{}
	for it := range c.Items() {
		if it.Want(gtfake.Parquet) == "" {
			want[*it.Row.QuestionID] = it.Row
		}
	}
	for _, name := range []string{"a.jsonl.gz", "a.parquet"} {
		path, _ := writeFixture(t, dir, name, c)
		got := merge(t, &gt.Opener{}, gt.DefaultFilterConfig(), path)
		if len(got.keptRows) != len(want) {
			t.Fatalf("%s: kept %d rows; want %d", name, len(got.keptRows), len(want))
		}
		for _, row := range got.keptRows {
			w := want[*row.QuestionID]
			w.File, w.Line = path, row.Line
			if len(w.PrevMessages) == 0 && len(row.PrevMessages) == 0 {
				w.PrevMessages = row.PrevMessages // [] and null both read as no message
			}
			if !reflect.DeepEqual(row, w) {
				t.Fatalf("%s: row %d differs:\n got %+v\nwant %+v", name, row.Line, row, w)
			}
			if row.Line < 1 || row.Line > int64(c.Rows) {
				t.Errorf("%s: row line %d out of range", name, row.Line)
			}
		}
	}
}

// Bad lines are reported with their line, field and reason, and reading goes on.
func TestRowErrors(t *testing.T) {
	const good = `{"question_id": 1, "question": "Compute 2+2.", "reference_answer": "4"}`
	lines := []struct {
		line   string
		field  string
		reason string // "" for a good row
	}{
		{good, "", ""},
		{`{"question_id": 2, "question": "Compute 3+3.", "reference_answer": "6", "prev_messages": null,` +
			` "community_answer_score": null, "verifier_score": 1, "task": null, "extra": [1, 2]}`, "", ""},
		{"", "", "blank"},
		{`{"question_id": 3, "question": "cut sh`, "", gt.ReasonMalformedJSON},
		{`{"question_id": 4, "question": "x"}}`, "", gt.ReasonMalformedJSON},
		{`{'question_id': 5, 'question': 'python'}`, "", gt.ReasonMalformedJSON},
		{`[1, 2, 3]`, "", gt.ReasonMalformedJSON},
		{`null`, "", gt.ReasonMalformedJSON},
		{`{"question_id": 6, "question": 42}`, "question", gt.ReasonWrongType},
		{`{"question_id": 7, "question": "Compute 1+1.", "verifier_score": "high"}`, "verifier_score", gt.ReasonWrongType},
		{`{"question_id": 8, "question": "Compute 1+1.", "prev_messages": "none"}`, "prev_messages", gt.ReasonWrongType},
		{`{"question_id": 9, "question": "Compute 1+1.", "prev_messages": [{"role": 1, "content": "hi"}]}`, "prev_messages.role", gt.ReasonWrongType},
		{`{"question_id": 1.5, "question": "Compute 1+1."}`, "question_id", gt.ReasonWrongType},
		{`{"question_id": "q-10", "question": "Compute 1+1."}`, "question_id", gt.ReasonWrongType},
		{`{"question_id": 11, "reference_answer": "4"}`, "question", gt.ReasonMissingQuestion},
		{`{"question_id": 12, "question": null}`, "question", gt.ReasonMissingQuestion},
		{`{"question_id": 13, "question": " \t\n "}`, "question", gt.ReasonMissingQuestion},
		{"  " + good + "  \r", "", ""},
	}
	var buf bytes.Buffer
	for _, l := range lines {
		if l.reason == "blank" {
			buf.WriteString("   \n")
			continue
		}
		buf.WriteString(l.line + "\n")
	}
	path := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, rowErrs, fatal := readAll(t, &gt.Opener{}, path)
	if fatal != nil {
		t.Fatal(fatal)
	}
	var wantRows []int64
	var wantErrs []string
	for i, l := range lines {
		switch l.reason {
		case "":
			wantRows = append(wantRows, int64(i+1))
		case "blank":
		default:
			wantErrs = append(wantErrs, fmt.Sprintf("%s:%d %s %s", path, i+1, l.field, l.reason))
		}
	}
	var gotRows []int64
	for _, r := range rows {
		gotRows = append(gotRows, r.Line)
		if r.File != path {
			t.Errorf("row %d: File = %q; want %q", r.Line, r.File, path)
		}
	}
	var gotErrs []string
	for _, e := range rowErrs {
		gotErrs = append(gotErrs, fmt.Sprintf("%s:%d %s %s", e.File, e.Row, e.Field, e.Reason))
		if !strings.HasPrefix(e.Error(), fmt.Sprintf("%s:%d: ", path, e.Row)) {
			t.Errorf("error %q does not start with file:line", e.Error())
		}
	}
	if !slices.Equal(gotRows, wantRows) {
		t.Errorf("rows at lines %v; want %v", gotRows, wantRows)
	}
	if !slices.Equal(gotErrs, wantErrs) {
		t.Errorf("row errors:\n got %q\nwant %q", gotErrs, wantErrs)
	}
	if s := rows[1]; s.VerifierScore == nil || *s.VerifierScore != 1 || s.CommunityAnswerScore != nil || s.Task != "" {
		t.Errorf("nulls and numbers read as %+v", s)
	}
}

func TestRowErrorMessage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	os.WriteFile(path, []byte(`{"question": "Compute 1+1.", "verifier_score": "high"}`), 0o644)
	_, errs, _ := readAll(t, &gt.Opener{}, path)
	if len(errs) != 1 {
		t.Fatalf("got %d row errors; want 1", len(errs))
	}
	want := path + ":1: verifier_score: wrong_type: got JSON string, want a number"
	if got := errs[0].Error(); got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}

// A line over the limit is a row error, both when it fits in the read buffer and when not.
func TestLineTooLong(t *testing.T) {
	row := func(id int, pad int) string {
		return fmt.Sprintf(`{"question_id": %d, "question": "Compute %d+1.", "reference_answer": "x", "model_reasoning": "%s"}`,
			id, id, strings.Repeat("a", pad))
	}
	lines := []string{row(1, 10), row(2, 3<<20), row(3, 10), row(4, (3<<20)/2), row(5, 5000), row(6, 10)}
	path := filepath.Join(t.TempDir(), "long.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil { // no final newline
		t.Fatal(err)
	}
	for _, tt := range []struct {
		max      int
		long     []int64
		wantRows []int64
	}{
		{0, nil, []int64{1, 2, 3, 4, 5, 6}},
		{2 << 20, []int64{2}, []int64{1, 3, 4, 5, 6}},
		{4000, []int64{2, 4, 5}, []int64{1, 3, 6}},
	} {
		rows, errs, fatal := readAll(t, &gt.Opener{MaxLineBytes: tt.max}, path)
		if fatal != nil {
			t.Fatal(fatal)
		}
		var gotRows, gotLong []int64
		for _, r := range rows {
			gotRows = append(gotRows, r.Line)
		}
		for _, e := range errs {
			if e.Reason != gt.ReasonLineTooLong {
				t.Errorf("max %d: unexpected %v", tt.max, e)
			}
			gotLong = append(gotLong, e.Row)
		}
		if !slices.Equal(gotRows, tt.wantRows) || !slices.Equal(gotLong, tt.long) {
			t.Errorf("max %d: rows %v, too long %v; want %v, %v", tt.max, gotRows, gotLong, tt.wantRows, tt.long)
		}
	}
}

// A large gzip file is read to its last row (Beam's textio stops early on such files).
func TestLargeGzip(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 200,000 rows; skipped with -short")
	}
	c := gtfake.Default(11, 200_000)
	c.Compact = true
	path, sum := writeFixture(t, t.TempDir(), "large.jsonl.gz", c)
	if sum.JSONBytes < 50<<20 || sum.Bytes > sum.JSONBytes/3 {
		t.Fatalf("fixture too small to matter: %d bytes of JSON, %d compressed", sum.JSONBytes, sum.Bytes)
	}
	got := merge(t, &gt.Opener{}, gt.DefaultFilterConfig(), path)
	if got.read != c.Rows || got.kept != sum.Kept || !maps.Equal(got.byReason, sum.ByReason) {
		t.Errorf("read %d, kept %d, dropped %v; want %d, %d, %v", got.read, got.kept, got.byReason, c.Rows, sum.Kept, sum.ByReason)
	}
	last := got.keptRows[len(got.keptRows)-1]
	var wantLast gtfake.Item
	for i := c.Rows - 1; ; i-- {
		if wantLast = c.Item(i); wantLast.Want(gtfake.GzipJSONL) == "" {
			break
		}
	}
	if last.Line != int64(wantLast.Index+1) || *last.QuestionID != *wantLast.Row.QuestionID {
		t.Errorf("last kept row is line %d id %d; want line %d id %d", last.Line, *last.QuestionID, wantLast.Index+1, *wantLast.Row.QuestionID)
	}
}

// gzip files made of several members (as from parallel compressors or cat) are read whole.
func TestMultiMemberGzip(t *testing.T) {
	var buf bytes.Buffer
	for part := range 3 {
		zw := gzip.NewWriter(&buf)
		for i := range 1000 {
			fmt.Fprintf(zw, `{"question_id": %d, "question": "Compute %d*%d."}`+"\n", part*1000+i, part, i)
		}
		zw.Close()
	}
	path := filepath.Join(t.TempDir(), "multi.json.gz")
	os.WriteFile(path, buf.Bytes(), 0o644)
	rows, errs, fatal := readAll(t, &gt.Opener{}, path)
	if fatal != nil || len(errs) > 0 || len(rows) != 3000 {
		t.Fatalf("got %d rows, %d row errors, %v; want 3000 rows", len(rows), len(errs), fatal)
	}
	if id := *rows[2999].QuestionID; id != 2999 {
		t.Errorf("last id %d; want 2999", id)
	}
}

// A cut gzip file gives the rows before the cut, then a fatal error naming the file.
func TestTruncatedGzip(t *testing.T) {
	c := gtfake.Default(5, 5000)
	c.Compact = true
	dir := t.TempDir()
	path, _ := writeFixture(t, dir, "cut.jsonl.gz", c)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)*6/10], 0o644); err != nil {
		t.Fatal(err)
	}
	rows, errs, fatal := readAll(t, &gt.Opener{}, path)
	if fatal == nil {
		t.Fatal("no error reading a truncated gzip file")
	}
	if !errors.Is(fatal, gt.ErrTruncated) || !errors.Is(fatal, io.ErrUnexpectedEOF) {
		t.Errorf("error %v does not wrap ErrTruncated and io.ErrUnexpectedEOF", fatal)
	}
	n := len(rows) + len(errs)
	if n < 1000 || n >= c.Rows {
		t.Errorf("read %d rows before the cut; want most of the first 60%% of %d", n, c.Rows)
	}
	want := fmt.Sprintf("%s: gzip stream ends early after line %d", path, n)
	if !strings.HasPrefix(fatal.Error(), want) {
		t.Errorf("error %q; want it to start with %q", fatal, want)
	}
	// Calling Next after the fatal error does not panic and reports the end.
	r, _ := gt.Open(context.Background(), path)
	defer r.Close()
	for _, err := range gt.All(context.Background(), r) {
		_ = err
	}
	if _, err := r.Next(context.Background()); err != io.EOF {
		t.Errorf("Next after a fatal error = %v; want io.EOF", err)
	}
}

func TestTruncatedParquet(t *testing.T) {
	dir := t.TempDir()
	path, _ := writeFixture(t, dir, "cut.parquet", gtfake.Default(1, 200))
	data, _ := os.ReadFile(path)
	os.WriteFile(path, data[:len(data)/2], 0o644)
	_, err := gt.Open(context.Background(), path)
	if !errors.Is(err, gt.ErrTruncated) || !strings.Contains(err.Error(), path) {
		t.Errorf("Open of a cut Parquet file = %v; want an error naming it and wrapping ErrTruncated", err)
	}
}

// The format comes from the first bytes; the name only makes a non-Parquet .parquet an error.
func TestFormatDetection(t *testing.T) {
	dir := t.TempDir()
	c := gtfake.Default(2, 50)
	var parquetBytes, gzipBytes, plainBytes bytes.Buffer
	for _, w := range []struct {
		buf *bytes.Buffer
		f   gtfake.Format
	}{{&parquetBytes, gtfake.Parquet}, {&gzipBytes, gtfake.GzipJSONL}, {&plainBytes, gtfake.JSONL}} {
		if _, err := gtfake.Write(w.buf, w.f, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name    string
		data    []byte
		rows    int // rows + row errors; -1 for an Open error
		wantErr string
	}{
		{"parquet-named.jsonl", parquetBytes.Bytes(), 50, ""},
		{"gzip-named.jsonl", gzipBytes.Bytes(), 50, ""},
		{"plain-named.jsonl.gz", plainBytes.Bytes(), 50, ""},
		{"noext", gzipBytes.Bytes(), 50, ""},
		{"empty.jsonl", nil, 0, ""},
		{"empty.jsonl.gz", nil, 0, ""},
		{"json.parquet", plainBytes.Bytes(), -1, "not a Parquet file"},
		{"empty.parquet", nil, -1, "not a Parquet file"},
	} {
		path := filepath.Join(dir, tt.name)
		os.WriteFile(path, tt.data, 0o644)
		r, err := gt.Open(context.Background(), path)
		if tt.rows < 0 {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
				t.Errorf("%s: Open error %v; want one naming the file and saying %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		n := 0
		for _, err := range gt.All(context.Background(), r) {
			var rerr *gt.RowError
			if err != nil && !errors.As(err, &rerr) {
				t.Errorf("%s: %v", tt.name, err)
			}
			n++
		}
		r.Close()
		if n != tt.rows {
			t.Errorf("%s: read %d rows; want %d", tt.name, n, tt.rows)
		}
	}
	if _, err := gt.Open(context.Background(), filepath.Join(dir, "absent.jsonl")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open of a missing file = %v; want os.ErrNotExist", err)
	}
}

func TestGlobLocal(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.parquet", "a.jsonl.gz", "c.jsonl", "sub.jsonl/x.jsonl"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, nil, 0o644)
	}
	ctx := context.Background()
	for _, tt := range []struct {
		pattern string
		want    []string
	}{
		{"*", []string{"a.jsonl.gz", "b.parquet", "c.jsonl"}}, // the directory is left out
		{"*.jsonl*", []string{"a.jsonl.gz", "c.jsonl"}},
		{"c.jsonl", []string{"c.jsonl"}},
		{"*/*.jsonl", []string{"sub.jsonl/x.jsonl"}},
	} {
		got, err := gt.Glob(ctx, filepath.Join(dir, tt.pattern))
		if err != nil {
			t.Errorf("Glob(%q): %v", tt.pattern, err)
			continue
		}
		var want []string
		for _, w := range tt.want {
			want = append(want, filepath.Join(dir, w))
		}
		if !slices.Equal(got, want) {
			t.Errorf("Glob(%q) = %v; want %v", tt.pattern, got, want)
		}
	}
	for _, p := range []string{"*.csv", "absent.jsonl"} {
		if _, err := gt.Glob(ctx, filepath.Join(dir, p)); !errors.Is(err, gt.ErrNoMatch) {
			t.Errorf("Glob(%q) error = %v; want ErrNoMatch", p, err)
		}
	}
	if _, err := gt.Glob(ctx, filepath.Join(dir, "[")); err == nil || errors.Is(err, gt.ErrNoMatch) {
		t.Errorf("Glob of a bad pattern = %v; want a pattern error", err)
	}
}
