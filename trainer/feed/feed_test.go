package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/toolscale/toolscale/dataset"
)

// makeDataset writes n small records in shards and returns the dataset's folder.
func makeDataset(t *testing.T, n, shards int) string {
	t.Helper()
	dir := t.TempDir()
	recs := make([]dataset.Record, n)
	for i := range recs {
		recs[i] = dataset.Record{
			ID: dataset.RecordID(1, "qa", int64(i)), Index: int64(i), Category: dataset.CategoryQA, Domain: "Mathematics",
			Source: dataset.SourceGeneralThought, License: "MIT", Split: "train", Problem: fmt.Sprintf("What is %d + 1?", i),
			Answer: fmt.Sprint(i + 1), Tools: []dataset.Tool{}, ModelMapping: map[string]string{},
			ToolPricing: map[string]dataset.Pricing{}, PrefVec: map[string]float64{}, Example: json.RawMessage(`{}`),
		}
	}
	fsys := dataset.OpenDir(dir)
	if _, err := dataset.WriteDataset(context.Background(), fsys, recs, nil, &dataset.WriteOptions{Shards: shards}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func ids(t *testing.T, dir string, o Options) []string {
	t.Helper()
	var out []string
	for l, err := range Lines(context.Background(), dataset.OpenDir(dir), o) {
		if err != nil {
			t.Fatal(err)
		}
		var r dataset.Record
		if err := json.Unmarshal(l.Data, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r.ID)
	}
	return out
}

func TestRanksCoverEveryRecordOnce(t *testing.T) {
	dir := makeDataset(t, 503, 7)
	for _, world := range []int{1, 2, 3, 8} {
		for epoch := 0; epoch < 2; epoch++ {
			seen := map[string]int{}
			var sizes []int
			for rank := 0; rank < world; rank++ {
				got := ids(t, dir, Options{Rank: rank, WorldSize: world, Epoch: epoch, Seed: 9})
				sizes = append(sizes, len(got))
				for _, id := range got {
					seen[id]++
				}
			}
			if len(seen) != 503 {
				t.Errorf("world %d epoch %d: %d distinct records; want 503", world, epoch, len(seen))
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("world %d epoch %d: record %s served %d times", world, epoch, id, n)
				}
			}
			if slices.Max(sizes)-slices.Min(sizes) > 1 {
				t.Errorf("world %d: unbalanced parts %v", world, sizes)
			}
		}
	}
}

func TestOrderIsSeededPerEpoch(t *testing.T) {
	dir := makeDataset(t, 200, 3)
	o := Options{Rank: 1, WorldSize: 2, Epoch: 0, Seed: 5}
	a, b := ids(t, dir, o), ids(t, dir, o)
	if !slices.Equal(a, b) {
		t.Errorf("the same seed gave different orders")
	}
	o.Epoch = 1
	if slices.Equal(a, ids(t, dir, o)) {
		t.Errorf("epochs 0 and 1 have the same order")
	}
	o.Epoch, o.Seed = 0, 6
	if slices.Equal(a, ids(t, dir, o)) {
		t.Errorf("seeds 5 and 6 give the same order")
	}
}

func TestResume(t *testing.T) {
	dir := makeDataset(t, 300, 5)
	o := Options{Rank: 2, WorldSize: 3, Epoch: 4, Seed: 1}
	all := ids(t, dir, o)
	for _, k := range []int{0, 1, 37, 99, len(all)} {
		o.ResumeFrom = int64(k)
		if got := ids(t, dir, o); !slices.Equal(got, all[k:]) {
			t.Errorf("resume from %d: %d records, want the last %d of the part", k, len(got), len(all)-k)
		}
	}
}

func TestCorruptedShardRefused(t *testing.T) {
	dir := makeDataset(t, 100, 2)
	shard := filepath.Join(dir, dataset.ShardPath(1, 2, false))
	data, err := os.ReadFile(shard)
	if err != nil {
		t.Fatal(err)
	}
	data[10] ^= 1
	os.WriteFile(shard, data, 0o644)
	var buf bytes.Buffer
	_, err = Write(context.Background(), dataset.OpenDir(dir), Options{WorldSize: 1}, &buf)
	if !errors.Is(err, dataset.ErrChecksum) || !bytes.Contains([]byte(err.Error()), []byte(dataset.ShardPath(1, 2, false))) {
		t.Errorf("Write = %v; want a checksum error naming the shard", err)
	}
}

func TestBadOptions(t *testing.T) {
	dir := makeDataset(t, 10, 1)
	for _, o := range []Options{{Rank: 2, WorldSize: 2}, {WorldSize: 0}, {WorldSize: 1, ResumeFrom: -1}} {
		if _, err := Write(context.Background(), dataset.OpenDir(dir), o, &bytes.Buffer{}); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}
