package export

import (
	"bufio"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/internal/gcstest"
)

// A dataset in gs:// exports as a local one does, and an export can go to gs://.
func TestGCS(t *testing.T) {
	gcstest.Start(t, "bkt")
	ctx := context.Background()
	open := func(url string) dataset.FS {
		fsys, err := dataset.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { fsys.Close() })
		return fsys
	}

	recs := makeRecords(30)
	in := open("gs://bkt/data")
	if _, err := dataset.WriteDataset(ctx, in, recs, nil, &dataset.WriteOptions{Shards: 2, Files: tau2Files}); err != nil {
		t.Fatal(err)
	}

	local := t.TempDir()
	if _, err := Export(ctx, in, dataset.OpenDir(local), FormatVerl, nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range 2 {
		_, f := openParquet(t, filepath.Join(local, VerlFile(SplitAll, i)))
		for _, row := range readRows[verlColumns](t, f) {
			got = append(got, row.ExtraInfo.ID)
		}
	}
	checkOnce(t, "verl from gs://", got, ids(recs, "", ""))

	out := open("gs://bkt/export")
	s, err := Export(ctx, in, out, FormatToolOrchestra, nil)
	if err != nil {
		t.Fatal(err)
	}
	files, err := out.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Path != ToolOrchestraFile || files[0].Size != s.Files[0].Bytes {
		t.Fatalf("gs://bkt/export holds %+v; want %s of %d bytes", files, ToolOrchestraFile, s.Files[0].Bytes)
	}
	r, err := out.Open(ctx, ToolOrchestraFile)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got = got[:0]
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct{ ID string }
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		got = append(got, l.ID)
	}
	checkOnce(t, "toolorchestra to gs://", got, ids(recs, "", ""))

	if _, err := Export(ctx, in, open("gs://bkt/tau2"), FormatTau2, nil); err != nil {
		t.Fatal(err)
	}
	files, err = open("gs://bkt/tau2").List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Path)
	}
	if want := []string{"bank/db_000.json", "bank/db_001.json", "bank/policy.md", "bank/tasks.json",
		"movie/db_000.json", "movie/policy.md", "movie/tasks.json", "weather/tasks.json"}; !slices.Equal(names, want) {
		t.Errorf("gs://bkt/tau2 holds %q; want %q", names, want)
	}
}
