package generalthought_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cloud.google.com/go/storage"
	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/toolscale/toolscale/internal/gcstest"
	gt "github.com/toolscale/toolscale/pipelines/generalthought"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

// gs:// paths go through cloud.google.com/go/storage to an in-process fake-gcs-server,
// found through STORAGE_EMULATOR_HOST as a real deployment would be configured.
func TestGCS(t *testing.T) {
	srv := gcstest.Start(t)

	dir := t.TempDir()
	c := gtfake.Default(21, 500)
	c.RowsPerGroup = 120
	files := map[string]gtfake.Summary{}
	for _, name := range []string{"part-1.parquet", "part-0.jsonl.gz", "part-2.jsonl"} {
		path, sum := writeFixture(t, dir, name, c)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		srv.CreateObject(fakestorage.Object{
			ObjectAttrs: fakestorage.ObjectAttrs{BucketName: "gt-bucket", Name: "gt/train/" + name},
			Content:     data,
		})
		files[name] = sum
	}
	// Stored with Content-Encoding: gzip, the object may be served decompressed.
	gz, err := os.ReadFile(filepath.Join(dir, "part-0.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	srv.CreateObject(fakestorage.Object{
		ObjectAttrs: fakestorage.ObjectAttrs{BucketName: "gt-bucket", Name: "gt/encoded/part-0.jsonl.gz", ContentEncoding: "gzip"},
		Content:     gz,
	})
	srv.CreateObject(fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: "gt-bucket", Name: "gt/other/x.jsonl"}, Content: []byte("{}\n")})
	srv.CreateObject(fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: "gt-bucket", Name: "gt/train/sub/y.jsonl"}, Content: []byte("{}\n")})

	ctx := context.Background()
	got, err := gt.Glob(ctx, "gs://gt-bucket/gt/train/part-*")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"gs://gt-bucket/gt/train/part-0.jsonl.gz", "gs://gt-bucket/gt/train/part-1.parquet", "gs://gt-bucket/gt/train/part-2.jsonl"}
	if !slices.Equal(got, want) {
		t.Fatalf("Glob = %v; want %v", got, want)
	}
	if got, err := gt.Glob(ctx, "gs://gt-bucket/gt/train/*.jsonl"); err != nil || !slices.Equal(got, want[2:]) {
		t.Errorf("Glob(*.jsonl) = %v, %v; want %v (\"*\" does not cross \"/\")", got, err, want[2:])
	}
	if _, err := gt.Glob(ctx, "gs://gt-bucket/nothing/*"); !errors.Is(err, gt.ErrNoMatch) {
		t.Errorf("Glob of no object = %v; want ErrNoMatch", err)
	}

	// Each file reads the same from gs:// as from disk, through a shared client or not.
	client, err := storage.NewClient(ctx, storage.WithJSONReads())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	shared := &gt.Opener{Storage: client}
	for _, o := range []*gt.Opener{{}, shared} {
		for _, p := range got {
			name := p[strings.LastIndex(p, "/")+1:]
			remote := merge(t, o, gt.DefaultFilterConfig(), p)
			local := merge(t, o, gt.DefaultFilterConfig(), filepath.Join(dir, name))
			sum := files[name]
			if remote.read != c.Rows || remote.kept != sum.Kept || !maps.Equal(remote.byReason, sum.ByReason) {
				t.Errorf("%s: read %d, kept %d, dropped %v; want %d, %d, %v", p, remote.read, remote.kept, remote.byReason, c.Rows, sum.Kept, sum.ByReason)
			}
			for i := range remote.keptRows {
				r, l := remote.keptRows[i], local.keptRows[i]
				if r.File != p || r.Line != l.Line || r.Question != l.Question || r.ModelReasoning != l.ModelReasoning {
					t.Fatalf("%s: kept row %d differs from the local copy's", p, i)
				}
			}
		}
	}

	if got := merge(t, shared, gt.DefaultFilterConfig(), "gs://gt-bucket/gt/encoded/part-0.jsonl.gz"); got.read != c.Rows || got.kept != files["part-0.jsonl.gz"].Kept {
		t.Errorf("gzip-encoded object: read %d, kept %d; want %d, %d", got.read, got.kept, c.Rows, files["part-0.jsonl.gz"].Kept)
	}

	if _, err := gt.Open(ctx, "gs://gt-bucket/gt/absent.jsonl"); err == nil || !strings.Contains(err.Error(), "gs://gt-bucket/gt/absent.jsonl") {
		t.Errorf("Open of a missing object = %v; want an error naming it", err)
	}
	if _, err := gt.Open(ctx, "gs:///x"); err == nil {
		t.Error("Open(gs:///x) succeeded; want a bad path error")
	}
}
