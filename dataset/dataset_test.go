package dataset

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
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/toolscale/toolscale/internal/gcstest"
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

// testRecords makes n valid records over two domains and two sources.
func testRecords(n int) []Record {
	var recs []Record
	for i := range n {
		domain, source, cat := "bank", SourceToolScale, CategoryFuncCall
		if i%3 == 2 {
			domain, source, cat = "math", SourceGeneralThought, CategoryQA
		} else if i%3 == 1 {
			domain = "weather"
		}
		recs = append(recs, Record{
			ID: RecordID(7, domain, int64(i)), Index: int64(i), Category: cat, Domain: domain, Source: source,
			License: "CC-BY-4.0", Split: "train", Problem: fmt.Sprintf("problem %d", i), Answer: "42",
			Tools:        []Tool{{Alias: "search-1", Kind: "basic", Description: "web search"}},
			ModelMapping: map[string]string{},
			ToolPricing:  map[string]Pricing{"search-1": {Provider: "tavily", PerCall: 0.01, LatencySeconds: 1.5}},
			PrefVec:      map[string]float64{"search-1": 0.5, "accuracy": 1, "cost": 0.2, "latency": 0},
			Example:      json.RawMessage(`{"n":` + fmt.Sprint(i) + `}`),
		})
	}
	return recs
}

func testRejected() []Rejected {
	return []Rejected{
		{ID: "bank-1", Source: SourceToolScale, Domain: "bank", Stage: "verify", Reason: "golden_call_error", Detail: "no such account"},
		{Source: SourceGeneralThought, Stage: "read", Reason: "malformed_json", File: "gt-00001.jsonl", Line: 17},
		{Source: SourceGeneralThought, Stage: "dedup", Reason: "duplicate_question_text", File: "gt-00001.jsonl", Line: 30},
	}
}

// writeTestDataset writes a 4-shard dataset of 40 records to fsys.
func writeTestDataset(t *testing.T, fsys FS, gz bool) *Manifest {
	t.Helper()
	m, err := WriteDataset(context.Background(), fsys, testRecords(40), testRejected(), &WriteOptions{
		Shards: 4, Gzip: gz, Seed: 7, ToolVersion: "test", Config: json.RawMessage(`{"seed": 7}`),
		Files: map[string][]byte{"tau2/bank/policy.md": []byte("# Bank policy\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// startEmulator starts a GCS emulator on a loopback port with bucket "bkt" and points
// cloud.google.com/go/storage at it through STORAGE_EMULATOR_HOST.
func startEmulator(t *testing.T) *fakestorage.Server {
	t.Helper()
	return gcstest.Start(t, "bkt")
}

func openGS(t *testing.T, prefix string) FS {
	t.Helper()
	fsys, err := Open(context.Background(), "gs://bkt/"+prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fsys.Close() })
	return fsys
}

func TestShardOf(t *testing.T) {
	// Pinned: changing the hash moves every record to another shard.
	for _, tt := range []struct {
		id   string
		n    int
		want int
	}{
		{"bank-0", 1, 0},
		{"bank-0", 16, 6},
		{"weather-5e2c", 16, 9},
		{"weather-5e2c", 100000, 60638},
	} {
		if got := ShardOf(tt.id, tt.n); got != tt.want {
			t.Errorf("ShardOf(%q, %d) = %d; want %d", tt.id, tt.n, got, tt.want)
		}
	}
	// Ids that differ only in their last characters spread evenly.
	const n, per = 16, 1000
	counts := make([]int, n)
	for i := range n * per {
		counts[ShardOf(fmt.Sprintf("bank-%d", i), n)]++
	}
	for s, c := range counts {
		if c < per*85/100 || c > per*115/100 {
			t.Errorf("shard %d holds %d of %d ids; want about %d", s, c, n*per, per)
		}
	}
}

func TestPaths(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{ShardPath(3, 16, false), "shards/records-00003-of-00016.jsonl"},
		{ShardPath(0, 1, true), "shards/records-00000-of-00001.jsonl.gz"},
		{RejectedPath(1, 2), "rejected/rejected-00001-of-00002.jsonl"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q; want %q", tt.got, tt.want)
		}
	}
}

func encodeAll(t *testing.T, recs []Record) [][]byte {
	var out [][]byte
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func TestWriteShardSortsAndIsDeterministic(t *testing.T) {
	recs := testRecords(30)
	for _, gz := range []bool{false, true} {
		var first []byte
		for k, perm := range [][]int{{0, 1}, {1, 0}} {
			in := encodeAll(t, recs)
			if perm[0] == 1 {
				slices.Reverse(in)
			}
			var buf bytes.Buffer
			f, err := WriteShard(&buf, in, gz)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(buf.Bytes())
			if f.Records != 30 || f.Bytes != int64(buf.Len()) || f.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("gz=%v: WriteShard = %+v; want 30 records, %d bytes, sha256 %x", gz, f, buf.Len(), sum)
			}
			if k == 0 {
				first = bytes.Clone(buf.Bytes())
			} else if !bytes.Equal(first, buf.Bytes()) {
				t.Errorf("gz=%v: the same records in another order give other bytes", gz)
			}
		}
		if gz {
			// No name, no modification time, level fixed: bytes 3..7 are FLG and MTIME.
			if !bytes.Equal(first[3:8], []byte{0, 0, 0, 0, 0}) {
				t.Errorf("gzip header flags and mtime = %x; want zeros", first[3:8])
			}
		}
		var ids []string
		for l, err := range Lines(map[bool]string{false: "a.jsonl", true: "a.jsonl.gz"}[gz], first) {
			if err != nil {
				t.Fatal(err)
			}
			var r Record
			if err := json.Unmarshal(l.Data, &r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		if len(ids) != 30 || !slices.IsSorted(ids) {
			t.Errorf("gz=%v: ids read back = %v; want 30 sorted ids", gz, ids)
		}
	}
}

func TestWriteShardRejectsBadRecords(t *testing.T) {
	good := encodeAll(t, testRecords(2))
	for _, tt := range []struct {
		name string
		recs [][]byte
		want string
	}{
		{"duplicate", [][]byte{good[0], good[1], good[0]}, "duplicate record id"},
		{"no id", [][]byte{good[0], []byte(`{"index":1}`)}, "record 1: id: missing or empty"},
		{"empty id", [][]byte{[]byte(`{"id":""}`)}, "record 0: id"},
		{"not JSON", [][]byte{[]byte(`{"id":`)}, "record 0: unexpected EOF"},
		{"not an object", [][]byte{[]byte(`["id"]`)}, "record 0: not a JSON object"},
		{"id not a string", [][]byte{[]byte(`{"id":3}`)}, "record 0: id: json: cannot unmarshal number"},
		{"id later", [][]byte{[]byte(`{"a":{"id":"x"},"id":"b"}`), []byte(`{"b":[1,{}],"id":"a"}`)}, ""},
		{"newline", [][]byte{[]byte("{\"id\":\"a\",\n\"x\":1}")}, "holds a newline"},
	} {
		var buf bytes.Buffer
		_, err := WriteShard(&buf, tt.recs, false)
		if tt.want == "" {
			if err != nil || !strings.HasPrefix(buf.String(), `{"b"`) {
				t.Errorf("%s: WriteShard = %v, %q; want the record with id \"a\" first", tt.name, err, buf.String())
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: WriteShard error = %v; want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestWriteRejectedIsSorted(t *testing.T) {
	rs := testRejected()
	var a, b bytes.Buffer
	if _, err := WriteRejected(&a, rs); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(rs)
	f, err := WriteRejected(&b, rs)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || f.Records != 3 {
		t.Errorf("WriteRejected depends on input order or miscounts: %+v\n%s\n%s", f, a.Bytes(), b.Bytes())
	}
	if rs[0].Stage != "dedup" {
		t.Error("WriteRejected reordered its argument")
	}
}

func TestLinesRejectsBadFraming(t *testing.T) {
	for _, tt := range []struct {
		data string
		want string
	}{
		{"{}\n{}", "x.jsonl:2: no newline"},
		{"{}\n\n{}\n", "x.jsonl:2: empty line"},
	} {
		var err error
		for _, e := range Lines("x.jsonl", []byte(tt.data)) {
			err = e
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Lines(%q) error = %v; want %q", tt.data, err, tt.want)
		}
	}
	var n int
	for _, err := range Lines("x.jsonl.gz", []byte("not gzip")) {
		if err == nil || !strings.Contains(err.Error(), "x.jsonl.gz: gzip") {
			t.Errorf("Lines(not gzip) error = %v", err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("Lines(not gzip) yielded %d times; want 1", n)
	}
}

func TestManifestEncodeIsCanonical(t *testing.T) {
	fsys := OpenDir(t.TempDir())
	m := writeTestDataset(t, fsys, true)
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "manifest", b)
	onDisk, err := ReadFile(context.Background(), fsys, ManifestName)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, b) {
		t.Error("WriteManifest wrote other bytes than Encode")
	}
	m2, err := DecodeManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	if b2, _ := m2.Encode(); !bytes.Equal(b, b2) {
		t.Error("decode then encode changed the manifest")
	}
	empty, err := (&Manifest{Format: FormatVersion}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(empty, []byte("null,")) && !bytes.Contains(empty, []byte(`"config": null`)) {
		t.Errorf("empty manifest encodes nil lists or maps as null:\n%s", empty)
	}
	if _, err := DecodeManifest([]byte(`{"format":"toolscale.dataset/v0"}`)); err == nil {
		t.Error("DecodeManifest accepted another format")
	}
}

func TestManifestCheck(t *testing.T) {
	base := writeTestDataset(t, OpenDir(t.TempDir()), false)
	if err := base.Check(); err != nil {
		t.Fatalf("Check(written dataset) = %v", err)
	}
	clone := func() *Manifest {
		b, _ := base.Encode()
		m, err := DecodeManifest(b)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, tt := range []struct {
		name  string
		edit  func(m *Manifest)
		field string
	}{
		{"read", func(m *Manifest) { m.Counts.Read++ }, "counts.read"},
		{"written", func(m *Manifest) { m.Counts.Written++; m.Counts.Read++ }, "shards"},
		{"domain", func(m *Manifest) { m.Counts.ByDomain["bank"]-- }, "counts.by_domain"},
		{"source", func(m *Manifest) { m.Counts.BySource["x"] = 1 }, "counts.by_source"},
		{"reason", func(m *Manifest) { m.Counts.RejectedByReason["other"] = 1 }, "counts.rejected_by_reason"},
		{"filtered reason", func(m *Manifest) { m.Counts.FilteredByReason = nil }, "counts.filtered_by_reason"},
		{"rejected files", func(m *Manifest) { m.Rejected[0].Records-- }, "rejected"},
		{"shard order", func(m *Manifest) { m.Shards[0], m.Shards[1] = m.Shards[1], m.Shards[0] }, "shards[0].path"},
		{"mixed compression", func(m *Manifest) { m.Shards[2].Path += ".gz" }, "shards[2].path"},
		{"escape", func(m *Manifest) { m.Files[0].Path = "../etc/passwd" }, "files[0].path"},
		{"duplicate", func(m *Manifest) { m.Files[0].Path = m.Shards[1].Path }, "files[0].path"},
		{"sha256", func(m *Manifest) { m.Files[0].SHA256 = strings.ToUpper(m.Files[0].SHA256) }, "files[0].sha256"},
		{"config", func(m *Manifest) { m.Config = json.RawMessage(`{"seed":8}`) }, "config_sha256"},
		{"format", func(m *Manifest) { m.Format = "v2" }, "format"},
	} {
		m := clone()
		tt.edit(m)
		err := m.Check()
		var fe *FileError
		if !errors.As(err, &fe) || !errors.Is(err, ErrInconsistent) {
			t.Errorf("%s: Check() = %v; want an ErrInconsistent FileError", tt.name, err)
			continue
		}
		if !strings.Contains(err.Error(), "manifest.json: "+tt.field+": ") {
			t.Errorf("%s: Check() = %v; want a problem with field %s", tt.name, err, tt.field)
		}
	}
}

// testFS checks an FS implementation: atomic create, abort, open, stat, list, bad paths.
func testFS(t *testing.T, fsys FS) {
	ctx := context.Background()
	if err := WriteFile(ctx, fsys, "a/b.txt", func(w io.Writer) error { _, err := io.WriteString(w, "one"); return err }); err != nil {
		t.Fatal(err)
	}
	w, err := fsys.Create(ctx, "a/b.txt")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "two, unfinished")
	if got, _ := ReadFile(ctx, fsys, "a/b.txt"); string(got) != "one" {
		t.Errorf("before Close, a/b.txt = %q; want the old %q", got, "one")
	}
	if err := w.Abort(); err != nil {
		t.Errorf("Abort: %v", err)
	}
	if got, _ := ReadFile(ctx, fsys, "a/b.txt"); string(got) != "one" {
		t.Errorf("after Abort, a/b.txt = %q; want %q", got, "one")
	}
	failed := errors.New("generator failed")
	if err := WriteFile(ctx, fsys, "c.txt", func(w io.Writer) error { io.WriteString(w, "x"); return failed }); !errors.Is(err, failed) {
		t.Errorf("WriteFile with a failing writer = %v; want %v", err, failed)
	}
	if _, err := fsys.Stat(ctx, "c.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat(c.txt) after a failed write = %v; want ErrNotExist", err)
	}
	if err := WriteFile(ctx, fsys, "a.txt", func(w io.Writer) error { _, err := io.WriteString(w, "12345"); return err }); err != nil {
		t.Fatal(err)
	}
	if fi, err := fsys.Stat(ctx, "a.txt"); err != nil || fi.Size != 5 {
		t.Errorf("Stat(a.txt) = %+v, %v; want size 5", fi, err)
	}
	if _, err := fsys.Open(ctx, "nope.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(nope.txt) = %v; want ErrNotExist", err)
	}
	list, err := fsys.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []FileInfo{{"a.txt", 5}, {"a/b.txt", 3}}
	if !slices.Equal(list, want) {
		t.Errorf("List = %v; want %v", list, want)
	}
	for _, bad := range []string{"../x", "/abs", "a//b", "./a", "", `a\b`} {
		if _, err := fsys.Open(ctx, bad); err == nil || errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q) = %v; want an invalid-path error", bad, err)
		}
		if _, err := fsys.Create(ctx, bad); err == nil {
			t.Errorf("Create(%q) succeeded", bad)
		}
	}
}

func TestLocalFS(t *testing.T) {
	dir := t.TempDir()
	testFS(t, OpenDir(dir))
	st, err := os.Stat(filepath.Join(dir, "a", "b.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("a/b.txt mode = %v; want 0644", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "a"))
	if len(entries) != 1 {
		t.Errorf("a/ holds %d entries; want 1 (no temporary files left)", len(entries))
	}
}

func TestGCSFS(t *testing.T) {
	startEmulator(t)
	fsys := openGS(t, "ds/v1/")
	if got := fsys.String(); got != "gs://bkt/ds/v1" {
		t.Errorf("String() = %q", got)
	}
	testFS(t, fsys)
	// The prefix is a folder: a neighbour with a longer name is not listed.
	if err := WriteFile(context.Background(), openGS(t, "ds/v10"), "z.txt", func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if list, _ := fsys.List(context.Background()); len(list) != 2 {
		t.Errorf("List after writing to a neighbour prefix = %v; want 2 files", list)
	}
}

func TestOpenURLs(t *testing.T) {
	for _, tt := range []struct{ url, want string }{
		{"gs://b", ""}, {"gs://b/p/q/", ""}, {"gs://", "no bucket"}, {"gs://b/../x", "prefix"},
		{"s3://b/p", "unsupported scheme"}, {"", "empty path"},
	} {
		_, _, err := ParseGCSURL(tt.url)
		if strings.HasPrefix(tt.url, "gs://") && (err == nil) != (tt.want == "") {
			t.Errorf("ParseGCSURL(%q) = %v; want error %q", tt.url, err, tt.want)
		}
		if !strings.HasPrefix(tt.url, "gs://") {
			if _, err := Open(context.Background(), tt.url); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open(%q) = %v; want error %q", tt.url, err, tt.want)
			}
		}
	}
	if b, p, _ := ParseGCSURL("gs://b/p/q/"); b != "b" || p != "p/q" {
		t.Errorf("ParseGCSURL(gs://b/p/q/) = %q, %q", b, p)
	}
}

func TestLongLinesRoundTrip(t *testing.T) {
	recs := testRecords(3)
	recs[1].Problem = strings.Repeat("long ", 200_000) // 1 MB, beyond any read buffer
	for _, gz := range []bool{false, true} {
		var buf bytes.Buffer
		if _, err := WriteShard(&buf, encodeAll(t, recs), gz); err != nil {
			t.Fatal(err)
		}
		path := map[bool]string{false: "x.jsonl", true: "x.jsonl.gz"}[gz]
		var lens []int
		for l, err := range Lines(path, buf.Bytes()) {
			if err != nil {
				t.Fatal(err)
			}
			var r Record
			if err := json.Unmarshal(l.Data, &r); err != nil {
				t.Fatalf("gz=%v line %d: %v", gz, l.N, err)
			}
			lens = append(lens, len(r.Problem))
		}
		if len(lens) != 3 || slices.Max(lens) != 1_000_000 {
			t.Errorf("gz=%v: problem lengths read back %v; want 3 records, one of 1000000", gz, lens)
		}
	}
}
