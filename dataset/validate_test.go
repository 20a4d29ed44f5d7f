package dataset

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// flipByte flips one bit of the byte at offset off of a local dataset file.
func flipByte(t *testing.T, dir, path string, off int) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(path))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[off] ^= 0x01
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rewriteShard replaces shard i's lines with lines (written in the order given) and updates
// the manifest's entry, so that only the content is wrong.
func rewriteShard(t *testing.T, fsys FS, m *Manifest, i int, lines [][]byte) {
	t.Helper()
	ctx := context.Background()
	f := &m.Shards[i]
	var nf File
	if err := WriteFile(ctx, fsys, f.Path, func(w io.Writer) error {
		var err error
		nf, err = WriteLines(w, lines, IsGzip(f.Path))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f.Records, f.Bytes, f.SHA256 = nf.Records, nf.Bytes, nf.SHA256
}

func shardLines(t *testing.T, fsys FS, f File) [][]byte {
	t.Helper()
	data, err := ReadVerified(context.Background(), fsys, f)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for l, err := range Lines(f.Path, data) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bytes.Clone(l.Data))
	}
	return out
}

func writeManifest(t *testing.T, fsys FS, m *Manifest) {
	t.Helper()
	if err := WriteManifest(context.Background(), fsys, m); err != nil {
		t.Fatal(err)
	}
}

func TestReaderReadsEveryRecord(t *testing.T) {
	for _, gz := range []bool{false, true} {
		fsys := OpenDir(t.TempDir())
		m := writeTestDataset(t, fsys, gz)
		r, err := NewReader(context.Background(), fsys)
		if err != nil {
			t.Fatal(err)
		}
		var got []Record
		for rec, err := range r.Records(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, rec)
		}
		want := testRecords(40)
		if len(got) != len(want) {
			t.Fatalf("gz=%v: read %d records; want %d", gz, len(got), len(want))
		}
		// Shard by shard, sorted by id, each in the shard its id hashes to.
		k := 0
		for i, f := range m.Shards {
			ids := []string{}
			for range f.Records {
				if s := ShardOf(got[k].ID, 4); s != i {
					t.Errorf("record %s read from shard %d; ShardOf = %d", got[k].ID, i, s)
				}
				ids = append(ids, got[k].ID)
				k++
			}
			if !slices.IsSorted(ids) {
				t.Errorf("shard %d ids not sorted: %v", i, ids)
			}
		}
		byID := map[string]Record{}
		for _, r := range got {
			byID[r.ID] = r
		}
		for _, w := range want {
			g, ok := byID[w.ID]
			gb, _ := json.Marshal(g)
			wb, _ := json.Marshal(w)
			if !ok || !bytes.Equal(gb, wb) {
				t.Errorf("record %s read back as %s; want %s", w.ID, gb, wb)
			}
		}
	}
}

func TestReaderRefusesCorruptShardBeforeYielding(t *testing.T) {
	dir := t.TempDir()
	fsys := OpenDir(dir)
	m := writeTestDataset(t, fsys, true)
	bad := m.Shards[2]
	flipByte(t, dir, bad.Path, int(bad.Bytes/2))
	r, err := NewReader(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	var last error
	for _, err := range r.Records(context.Background()) {
		if err != nil {
			last = err
			continue
		}
		n++
	}
	if want := m.Shards[0].Records + m.Shards[1].Records; n != want {
		t.Errorf("read %d records before the error; want %d (no record of the corrupt shard)", n, want)
	}
	var fe *FileError
	if !errors.Is(last, ErrChecksum) || !errors.As(last, &fe) || fe.Path != bad.Path {
		t.Errorf("error = %v; want ErrChecksum naming %s", last, bad.Path)
	}
	if !strings.Contains(last.Error(), bad.Path+": checksum mismatch: sha256 is ") {
		t.Errorf("error text = %q", last)
	}

	// A truncated shard is refused for its size.
	p := filepath.Join(dir, filepath.FromSlash(m.Shards[0].Path))
	b, _ := os.ReadFile(p)
	os.WriteFile(p, b[:len(b)-1], 0o644)
	for _, err := range r.ShardRecords(context.Background(), 0) {
		if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), "size is") {
			t.Errorf("truncated shard: error = %v; want a size mismatch", err)
		}
	}
}

func TestReaderNeedsAConsistentManifest(t *testing.T) {
	fsys := OpenDir(t.TempDir())
	_, err := NewReader(context.Background(), fsys)
	if !errors.Is(err, ErrNoManifest) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("NewReader(empty dir) = %v; want ErrNoManifest", err)
	}
	m := writeTestDataset(t, fsys, false)
	m.Counts.Written--
	writeManifest(t, fsys, m)
	if _, err := NewReader(context.Background(), fsys); !errors.Is(err, ErrInconsistent) {
		t.Errorf("NewReader(inconsistent) = %v; want ErrInconsistent", err)
	}
}

func TestReaderOverGCS(t *testing.T) {
	startEmulator(t)
	fsys := openGS(t, "ds")
	writeTestDataset(t, fsys, true)
	r, err := NewReader(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, err := range r.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 40 {
		t.Errorf("read %d records from gs://; want 40", n)
	}
}

func validate(t *testing.T, fsys FS, opts *ValidateOptions) *Report {
	t.Helper()
	rep, err := Validate(context.Background(), fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// hasProblem reports whether rep holds a problem matching want's set fields and whose
// reason contains want.Reason.
func hasProblem(rep *Report, want Problem) bool {
	for _, p := range rep.Problems {
		if p.File == want.File && (want.Line == 0 || p.Line == want.Line) && (want.Field == "" || p.Field == want.Field) &&
			strings.Contains(p.Reason, want.Reason) {
			return true
		}
	}
	return false
}

func TestValidateGoodDataset(t *testing.T) {
	startEmulator(t)
	for _, fsys := range []FS{OpenDir(t.TempDir()), openGS(t, "good")} {
		writeTestDataset(t, fsys, true)
		rep := validate(t, fsys, nil)
		if !rep.OK() || len(rep.Warnings) != 0 {
			t.Errorf("%s: report %+v; want OK with no warnings", fsys, rep)
		}
		if rep.Files != 7 || rep.Records != 40 || rep.Rejected != 3 {
			t.Errorf("%s: checked %d files, %d records, %d rejected; want 7, 40, 3", fsys, rep.Files, rep.Records, rep.Rejected)
		}
		var buf bytes.Buffer
		rep.WriteText(&buf)
		if !strings.Contains(buf.String(), "OK\n") {
			t.Errorf("WriteText = %q", buf.String())
		}
	}
}

func TestValidateFindsProblems(t *testing.T) {
	type setup func(t *testing.T, dir string, fsys FS, m *Manifest)
	for _, tt := range []struct {
		name  string
		setup setup
		want  Problem
	}{
		{"flipped byte", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			flipByte(t, dir, m.Shards[1].Path, 100)
		}, Problem{File: "shards/records-00001-of-00004.jsonl", Reason: "checksum mismatch: sha256 is"}},
		{"missing shard", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			os.Remove(filepath.Join(dir, "shards", "records-00003-of-00004.jsonl"))
		}, Problem{File: "shards/records-00003-of-00004.jsonl", Reason: "missing"}},
		{"extra bytes", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			f, _ := os.OpenFile(filepath.Join(dir, "tau2", "bank", "policy.md"), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("more")
			f.Close()
		}, Problem{File: "tau2/bank/policy.md", Reason: "size is more than the 14 bytes"}},
		{"bad field", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			lines := shardLines(t, fsys, m.Shards[0])
			lines[2] = bytes.Replace(lines[2], []byte(`"kind":"basic"`), []byte(`"kind":"oracle"`), 1)
			rewriteShard(t, fsys, m, 0, lines)
			writeManifest(t, fsys, m)
		}, Problem{File: "shards/records-00000-of-00004.jsonl", Line: 3, Field: "tools[0].kind", Reason: "value must be one of"}},
		{"missing field", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			lines := shardLines(t, fsys, m.Shards[0])
			lines[0] = bytes.Replace(lines[0], []byte(`"split":"train",`), nil, 1)
			rewriteShard(t, fsys, m, 0, lines)
			writeManifest(t, fsys, m)
		}, Problem{File: "shards/records-00000-of-00004.jsonl", Line: 1, Field: "split", Reason: "missing required property"}},
		{"not JSON", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			lines := shardLines(t, fsys, m.Shards[0])
			lines[4] = lines[4][:20]
			rewriteShard(t, fsys, m, 0, lines)
			writeManifest(t, fsys, m)
		}, Problem{File: "shards/records-00000-of-00004.jsonl", Line: 5, Reason: "invalid JSON"}},
		{"unsorted", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			lines := shardLines(t, fsys, m.Shards[2])
			lines[3], lines[4] = lines[4], lines[3]
			rewriteShard(t, fsys, m, 2, lines)
			writeManifest(t, fsys, m)
		}, Problem{File: "shards/records-00002-of-00004.jsonl", Line: 5, Field: "id", Reason: "is not after"}},
		{"duplicate", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			lines := shardLines(t, fsys, m.Shards[2])
			lines[4] = lines[3]
			rewriteShard(t, fsys, m, 2, lines)
			writeManifest(t, fsys, m)
		}, Problem{File: "shards/records-00002-of-00004.jsonl", Line: 5, Field: "id", Reason: "with no duplicates"}},
		{"wrong shard", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			l0, l1 := shardLines(t, fsys, m.Shards[0]), shardLines(t, fsys, m.Shards[1])
			moved := l0[len(l0)-1]
			rewriteShard(t, fsys, m, 0, l0[:len(l0)-1])
			rewriteShard(t, fsys, m, 1, append(l1, moved))
			writeManifest(t, fsys, m)
		}, Problem{File: "shards/records-00001-of-00004.jsonl", Line: 11, Field: "id", Reason: "belongs in shard 0 of 4, not 1"}},
		{"records count", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			m.Shards[0].Records--
			m.Shards[1].Records++
			writeManifest(t, fsys, m)
		}, Problem{File: "shards/records-00000-of-00004.jsonl", Reason: "holds 10 records, the manifest lists 9"}},
		{"domain counts", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			m.Counts.ByDomain["bank"]--
			m.Counts.ByDomain["weather"]++
			writeManifest(t, fsys, m)
		}, Problem{File: "manifest.json", Field: "counts.by_domain.bank", Reason: "the manifest counts 13, the shards hold 14"}},
		{"reason counts", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			m.Counts.RejectedByReason["malformed_json"]--
			m.Counts.RejectedByReason["wrong_type"]++
			writeManifest(t, fsys, m)
		}, Problem{File: "manifest.json", Field: "counts.rejected_by_reason + counts.filtered_by_reason.wrong_type", Reason: "counts 1, the rejected files hold 0"}},
		{"inconsistent manifest", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			m.Counts.Read = 1
			writeManifest(t, fsys, m)
		}, Problem{File: "manifest.json", Field: "counts.read", Reason: "read 1 ≠ written 40"}},
		{"manifest schema", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"format":"toolscale.dataset/v1","shards":"x"}`), 0o644)
		}, Problem{File: "manifest.json", Field: "shards", Reason: "expected array"}},
		{"missing manifest", func(t *testing.T, dir string, fsys FS, m *Manifest) {
			os.Remove(filepath.Join(dir, "manifest.json"))
		}, Problem{File: "manifest.json", Reason: "no manifest: " + "%DIR%/manifest.json does not exist"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			fsys := OpenDir(dir)
			m := writeTestDataset(t, fsys, false)
			tt.setup(t, dir, fsys, m)
			rep := validate(t, fsys, nil)
			tt.want.Reason = strings.ReplaceAll(tt.want.Reason, "%DIR%", dir)
			if rep.OK() || !hasProblem(rep, tt.want) {
				t.Errorf("problems %v; want one like %v", rep.Problems, tt.want)
			}
			var buf bytes.Buffer
			rep.WriteText(&buf)
			if !strings.Contains(buf.String(), "INVALID") || !strings.Contains(buf.String(), tt.want.File) {
				t.Errorf("WriteText = %q; want INVALID naming %s", buf.String(), tt.want.File)
			}
		})
	}
}

func TestValidateWarnsOfUnlistedFilesAndCapsProblems(t *testing.T) {
	dir := t.TempDir()
	fsys := OpenDir(dir)
	m := writeTestDataset(t, fsys, false)
	os.WriteFile(filepath.Join(dir, "shards", "records-00004-of-00005.jsonl"), []byte("{}\n"), 0o644)
	rep := validate(t, fsys, nil)
	if !rep.OK() || len(rep.Warnings) != 1 || rep.Warnings[0].File != "shards/records-00004-of-00005.jsonl" {
		t.Errorf("report %+v; want OK with a warning naming the stray shard", rep)
	}

	var lines [][]byte
	for _, l := range shardLines(t, fsys, m.Shards[0]) {
		lines = append(lines, bytes.Replace(l, []byte(`"split":"train"`), []byte(`"split":"dev"`), 1))
	}
	rewriteShard(t, fsys, m, 0, lines)
	writeManifest(t, fsys, m)
	rep = validate(t, fsys, &ValidateOptions{MaxProblems: 3})
	if len(rep.Problems) != 3 || rep.ProblemCount != 10 {
		t.Errorf("kept %d of %d problems; want 3 of 10", len(rep.Problems), rep.ProblemCount)
	}
}

func TestValidateFlippedByteOverGCS(t *testing.T) {
	srv := startEmulator(t)
	fsys := openGS(t, "corrupt/ds")
	m := writeTestDataset(t, fsys, true)
	path := "corrupt/ds/" + m.Shards[3].Path
	obj, err := srv.GetObject("bkt", path)
	if err != nil {
		t.Fatal(err)
	}
	obj.Content[len(obj.Content)/2] ^= 0x80
	srv.CreateObject(obj)
	rep := validate(t, fsys, nil)
	if rep.OK() || !hasProblem(rep, Problem{File: m.Shards[3].Path, Reason: "checksum mismatch"}) {
		t.Errorf("problems %v; want a checksum mismatch on %s", rep.Problems, m.Shards[3].Path)
	}
}
