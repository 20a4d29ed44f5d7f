package export

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/dataset"
)

// The same dataset gives the same bytes, whatever the run.
func TestDeterministic(t *testing.T) {
	recs := makeRecords(40)
	dir, _ := writeFixture(t, recs, 3)
	for _, format := range Formats() {
		a, _ := runExport(t, dir, format, nil)
		b, _ := runExport(t, dir, format, &Options{TempDir: t.TempDir()})
		fa, fb := listFiles(t, a), listFiles(t, b)
		if !slices.Equal(fa, fb) || len(fa) == 0 {
			t.Fatalf("%s: files %q and %q", format, fa, fb)
		}
		for _, f := range fa {
			x, _ := os.ReadFile(filepath.Join(a, f))
			y, _ := os.ReadFile(filepath.Join(b, f))
			if !bytes.Equal(x, y) {
				t.Errorf("%s: %s differs between two runs", format, f)
			}
		}
	}
}

// A shard whose bytes differ from the manifest's stops the export before any of its records
// is converted, with an error naming it; the file being written is discarded.
func TestCorruptShard(t *testing.T) {
	recs := makeRecords(30)
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			dir, m := writeFixture(t, recs, 3)
			bad := m.Shards[1].Path
			b, err := os.ReadFile(filepath.Join(dir, bad))
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 0x20
			if err := os.WriteFile(filepath.Join(dir, bad), b, 0o644); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			_, err = Export(context.Background(), dataset.OpenDir(dir), dataset.OpenDir(out), format, nil)
			var fe *dataset.FileError
			if !errors.Is(err, dataset.ErrChecksum) || !errors.As(err, &fe) || fe.Path != bad {
				t.Fatalf("err = %v; want a checksum mismatch naming %s", err, bad)
			}
			files := listFiles(t, out)
			for _, f := range files {
				if strings.Contains(f, ".tmp-") {
					t.Errorf("temporary file %s left behind", f)
				}
			}
			if format == FormatVerl && !slices.Equal(files, []string{VerlFile(SplitAll, 0)}) {
				t.Errorf("files = %q; want only the file of the shard before %s", files, bad)
			}
			if format != FormatVerl && len(files) != 0 {
				t.Errorf("files = %q; want none", files)
			}
		})
	}
}

func TestBadArguments(t *testing.T) {
	dir, _ := writeFixture(t, makeRecords(4), 1)
	in, out := dataset.OpenDir(dir), dataset.OpenDir(t.TempDir())
	ctx := context.Background()
	if _, err := Export(ctx, in, out, "parquet", nil); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("format parquet: err = %v; want ErrUnknownFormat", err)
	}
	if _, err := Export(ctx, in, out, FormatVerl, &Options{Split: "validation"}); err == nil || !strings.Contains(err.Error(), `"validation"`) {
		t.Errorf("split validation: err = %v", err)
	}
	if _, err := Export(ctx, in, dataset.OpenDir(dir+"/."), FormatToolOrchestra, nil); err == nil {
		t.Error("export into the dataset itself: no error")
	}
	if _, err := Export(ctx, dataset.OpenDir(t.TempDir()), out, FormatVerl, nil); !errors.Is(err, dataset.ErrNoManifest) {
		t.Errorf("no manifest: err = %v; want ErrNoManifest", err)
	}
}
