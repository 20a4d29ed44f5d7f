package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/internal/gcstest"
)

const bucket = "bkt"

// startEmulator starts a GCS emulator on a loopback port with one bucket and points
// cloud.google.com/go/storage at it through STORAGE_EMULATOR_HOST, as a user would.
func startEmulator(t *testing.T) *fakestorage.Server {
	t.Helper()
	return gcstest.Start(t, bucket)
}

// makeDataset writes a dataset of n records in the given number of gzip shards to a new
// directory; seed changes every record.
func makeDataset(t *testing.T, n, shards int, seed int64) (string, *dataset.Manifest) {
	t.Helper()
	var recs []dataset.Record
	for i := range n {
		domain := []string{"bank", "weather", "movie"}[i%3]
		recs = append(recs, dataset.Record{
			ID: dataset.RecordID(seed, domain, int64(i)), Index: int64(i), Category: dataset.CategoryFuncCall,
			Domain: domain, Source: dataset.SourceToolScale, License: "CC-BY-4.0", Split: "train",
			Problem: fmt.Sprintf("task %d of seed %d: %s", i, seed, strings.Repeat("lorem ipsum ", 40)), Answer: "done",
			Tools:        []dataset.Tool{{Alias: "expert-1", Kind: "specialized", Description: "a model"}},
			ModelMapping: map[string]string{"expert-1": "qwen"},
			ToolPricing:  map[string]dataset.Pricing{"expert-1": {Provider: "p", InputPerMillion: 0.5, OutputPerMillion: 1.5}},
			PrefVec:      map[string]float64{"expert-1": 1, "accuracy": 1, "cost": 0.5, "latency": 0.1},
			Example:      json.RawMessage(`{}`),
		})
	}
	rejected := []dataset.Rejected{{ID: "bank-x", Source: dataset.SourceToolScale, Domain: "bank", Stage: "verify", Reason: "no_effect"}}
	dir := t.TempDir()
	m, err := dataset.WriteDataset(context.Background(), dataset.OpenDir(dir), recs, rejected, &dataset.WriteOptions{
		Shards: shards, Gzip: true, Seed: seed, ToolVersion: "test",
		Files: map[string][]byte{"tau2/bank/policy.md": []byte("# Policy\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir, m
}

// objects returns the generation of every object under prefix, by name relative to it.
func objects(t *testing.T, srv *fakestorage.Server, prefix string) map[string]int64 {
	t.Helper()
	list, _, err := srv.ListObjectsWithOptions(bucket, fakestorage.ListOptions{Prefix: prefix + "/"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, o := range list {
		out[strings.TrimPrefix(o.Name, prefix+"/")] = o.Generation
	}
	return out
}

func want(m *dataset.Manifest) []string {
	names := []string{dataset.ManifestName}
	for _, f := range m.AllFiles() {
		names = append(names, f.Path)
	}
	slices.Sort(names)
	return names
}

func validate(t *testing.T, url string) *dataset.Report {
	t.Helper()
	fsys, err := dataset.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	rep, err := dataset.Validate(context.Background(), fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func publish(t *testing.T, dir, url string, opts Options) Summary {
	t.Helper()
	s, err := Publish(context.Background(), dir, url, opts)
	if err != nil {
		t.Fatalf("Publish(%s, %s): %v", dir, url, err)
	}
	return s
}

func TestPublishThenValidateByURL(t *testing.T) {
	srv := startEmulator(t)
	dir, m := makeDataset(t, 60, 4, 1)
	var mu sync.Mutex
	var events []Progress
	s := publish(t, dir, "gs://bkt/data/v1", Options{Progress: func(p Progress) {
		mu.Lock()
		events = append(events, p)
		mu.Unlock()
	}})
	if s.Objects != 7 || s.Uploaded != 7 || s.Skipped != 0 || s.Deleted != 0 {
		t.Errorf("first publish: %+v; want 7 objects, all uploaded", s)
	}
	var size int64
	for _, f := range m.AllFiles() {
		size += f.Bytes
	}
	manifest, _ := os.ReadFile(filepath.Join(dir, dataset.ManifestName))
	if s.Bytes != size+int64(len(manifest)) || s.TotalBytes != s.Bytes {
		t.Errorf("summary bytes %d, total %d; want %d", s.Bytes, s.TotalBytes, size+int64(len(manifest)))
	}
	if got := slices.Sorted(maps.Keys(objects(t, srv, "data/v1"))); !slices.Equal(got, want(m)) {
		t.Errorf("bucket holds %v; want %v", got, want(m))
	}

	// Every local file checked, then every object settled, the manifest last.
	var checked, uploaded []string
	for _, e := range events {
		switch e.Step {
		case Checked:
			checked = append(checked, e.Path)
		case Uploaded:
			uploaded = append(uploaded, e.Path)
		}
	}
	if len(checked) != 6 || len(uploaded) != 7 || uploaded[6] != dataset.ManifestName {
		t.Errorf("progress: checked %v, uploaded %v; want 6 checks and 7 uploads ending with the manifest", checked, uploaded)
	}
	if last := events[len(events)-1]; last.Done != 7 || last.Total != 7 || last.DoneBytes != s.TotalBytes {
		t.Errorf("last progress %+v; want 7 of 7 done", last)
	}

	obj, err := srv.GetObject(bucket, "data/v1/"+m.Shards[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	if obj.ContentType != "application/gzip" || obj.ContentEncoding != "" {
		t.Errorf("shard stored as %q, encoding %q; want application/gzip with no encoding", obj.ContentType, obj.ContentEncoding)
	}

	if rep := validate(t, "gs://bkt/data/v1"); !rep.OK() || len(rep.Warnings) > 0 || rep.Records != 60 {
		t.Errorf("validate gs://bkt/data/v1: %+v", rep)
	}

	// A second run finds everything in place and changes nothing.
	before := objects(t, srv, "data/v1")
	s = publish(t, dir, "gs://bkt/data/v1/", Options{})
	if s.Uploaded != 0 || s.Skipped != 7 || s.Deleted != 0 || s.Bytes != 0 {
		t.Errorf("second publish: %+v; want everything skipped", s)
	}
	if after := objects(t, srv, "data/v1"); !maps.Equal(before, after) {
		t.Errorf("second publish rewrote objects: generations %v, then %v", before, after)
	}
}

func TestPublishInterruptedThenResumed(t *testing.T) {
	srv := startEmulator(t)
	dir, m := makeDataset(t, 200, 16, 2)
	const url = "gs://bkt/run"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	uploads := 0
	s, err := Publish(ctx, dir, url, Options{Parallel: 2, Progress: func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Step == Uploaded {
			if uploads++; uploads == 5 {
				cancel() // as a killed process would, with uploads in flight
			}
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Publish = %+v, %v; want context.Canceled", s, err)
	}
	part := objects(t, srv, "run")
	if _, ok := part[dataset.ManifestName]; ok {
		t.Fatal("an interrupted publish left a manifest: readers would see a partial dataset")
	}
	if _, ok := part[PendingName]; !ok {
		t.Error("an interrupted publish left no marker")
	}
	present := len(part) - 1
	if present < 5 || present >= len(m.AllFiles()) {
		t.Fatalf("after the interruption the bucket holds %d data objects; want 5 to %d", present, len(m.AllFiles())-1)
	}
	if rep := validate(t, url); rep.OK() || !strings.Contains(rep.Problems[0].Reason, "no manifest") {
		t.Errorf("validate after the interruption: %v; want a missing manifest", rep.Problems)
	}

	s = publish(t, dir, url, Options{Parallel: 2})
	if s.Uploaded != s.Objects-present || s.Skipped != present || s.Deleted != 0 {
		t.Errorf("resumed publish: %+v; want %d uploaded, %d skipped", s, s.Objects-present, present)
	}
	final := objects(t, srv, "run")
	if got := slices.Sorted(maps.Keys(final)); !slices.Equal(got, want(m)) {
		t.Errorf("bucket holds %v; want exactly %v", got, want(m))
	}
	for name, gen := range part {
		if name != PendingName && final[name] != gen {
			t.Errorf("%s was uploaded again (generation %d, then %d)", name, gen, final[name])
		}
	}
	if rep := validate(t, url); !rep.OK() || len(rep.Warnings) > 0 {
		t.Errorf("validate after resuming: %v %v", rep.Problems, rep.Warnings)
	}
}

func TestPublishRefusesCorruptLocalShard(t *testing.T) {
	srv := startEmulator(t)
	dir, m := makeDataset(t, 30, 2, 3)
	p := filepath.Join(dir, filepath.FromSlash(m.Shards[1].Path))
	b, _ := os.ReadFile(p)
	b[len(b)/2] ^= 0x10
	os.WriteFile(p, b, 0o644)
	_, err := Publish(context.Background(), dir, "gs://bkt/c", Options{})
	if !errors.Is(err, dataset.ErrChecksum) || !strings.Contains(err.Error(), m.Shards[1].Path) {
		t.Errorf("Publish(corrupt shard) = %v; want ErrChecksum naming %s", err, m.Shards[1].Path)
	}
	if got := objects(t, srv, "c"); len(got) != 0 {
		t.Errorf("a refused publish left objects: %v", got)
	}
}

func TestFlippedByteInBucketIsFoundAndRepaired(t *testing.T) {
	srv := startEmulator(t)
	dir, m := makeDataset(t, 40, 4, 4)
	publish(t, dir, "gs://bkt/d", Options{})
	bad := m.Shards[2].Path
	obj, err := srv.GetObject(bucket, "d/"+bad)
	if err != nil {
		t.Fatal(err)
	}
	obj.Content[len(obj.Content)/3] ^= 0x01
	obj.Crc32c, obj.Md5Hash, obj.Etag = "", "", "" // as a silently corrupted object would hold
	srv.CreateObject(obj)

	rep := validate(t, "gs://bkt/d")
	if rep.OK() || rep.ProblemCount != 1 || rep.Problems[0].File != bad || !strings.Contains(rep.Problems[0].Reason, "checksum mismatch") {
		t.Errorf("validate of a flipped byte: %v; want one checksum problem naming %s", rep.Problems, bad)
	}
	fsys, err := dataset.Open(context.Background(), "gs://bkt/d")
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	r, err := dataset.NewReader(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range r.ShardRecords(context.Background(), 2) {
		if !errors.Is(err, dataset.ErrChecksum) {
			t.Errorf("reading the corrupted shard: %v; want ErrChecksum", err)
		}
	}

	s := publish(t, dir, "gs://bkt/d", Options{})
	if s.Uploaded != 1 || s.Skipped != 6 {
		t.Errorf("repairing publish: %+v; want the one corrupted shard uploaded", s)
	}
	if rep := validate(t, "gs://bkt/d"); !rep.OK() {
		t.Errorf("validate after repair: %v", rep.Problems)
	}
}

func TestMissingManifest(t *testing.T) {
	startEmulator(t)
	dir := t.TempDir()
	if _, err := Publish(context.Background(), dir, "gs://bkt/m", Options{}); !errors.Is(err, dataset.ErrNoManifest) {
		t.Errorf("Publish(dir without a manifest) = %v; want ErrNoManifest", err)
	}
	rep := validate(t, "gs://bkt/m")
	if rep.OK() || rep.Problems[0].File != dataset.ManifestName || !strings.Contains(rep.Problems[0].Reason, "gs://bkt/m/manifest.json does not exist") {
		t.Errorf("validate(no manifest) = %v", rep.Problems)
	}
	if _, err := Publish(context.Background(), dir, "s3://bkt/m", Options{}); err == nil {
		t.Error("Publish to s3:// succeeded")
	}
	if _, err := dataset.WriteDataset(context.Background(), dataset.OpenDir(dir), nil, nil,
		&dataset.WriteOptions{Files: map[string][]byte{PendingName: []byte("{}")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Publish(context.Background(), dir, "gs://bkt/m", Options{}); err == nil || !strings.Contains(err.Error(), "reserves") {
		t.Errorf("Publish(a dataset listing %s) = %v; want a refusal", PendingName, err)
	}
}

func TestForce(t *testing.T) {
	srv := startEmulator(t)
	dirA, _ := makeDataset(t, 40, 4, 5)
	dirB, b := makeDataset(t, 20, 2, 6)
	publish(t, dirA, "gs://bkt/f", Options{})
	// A neighbouring prefix that shares the first letters must never be touched.
	publish(t, dirB, "gs://bkt/f2", Options{})
	neighbour := objects(t, srv, "f2")
	before := objects(t, srv, "f")

	_, err := Publish(context.Background(), dirB, "gs://bkt/f", Options{})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "gs://bkt/f/manifest.json differs") {
		t.Errorf("Publish(B over A) = %v; want ErrConflict", err)
	}
	if after := objects(t, srv, "f"); !maps.Equal(before, after) {
		t.Errorf("a refused publish changed the bucket: %v, then %v", before, after)
	}
	if rep := validate(t, "gs://bkt/f"); !rep.OK() || rep.Records != 40 {
		t.Errorf("A after the refusal: %v", rep.Problems)
	}

	s := publish(t, dirB, "gs://bkt/f", Options{Force: true})
	if got := slices.Sorted(maps.Keys(objects(t, srv, "f"))); !slices.Equal(got, want(b)) {
		t.Errorf("after forcing B the bucket holds %v; want exactly %v", got, want(b))
	}
	// A's four shards go; B's two shards and manifest go up; the rejected file and the
	// policy, the same bytes in A and B, stay.
	if s.Deleted != 4 || s.Uploaded != 3 || s.Skipped != 2 {
		t.Errorf("forced publish: %+v; want 4 deleted, 3 uploaded, 2 skipped", s)
	}
	if rep := validate(t, "gs://bkt/f"); !rep.OK() || rep.Records != 20 || len(rep.Warnings) > 0 {
		t.Errorf("B after forcing: %v %v", rep.Problems, rep.Warnings)
	}
	if got := objects(t, srv, "f2"); !maps.Equal(got, neighbour) {
		t.Errorf("publishing to gs://bkt/f changed gs://bkt/f2: %v, then %v", neighbour, got)
	}
}

func TestRefusesUnknownObjectsAndOthersUnfinishedPublish(t *testing.T) {
	srv := startEmulator(t)
	dirA, _ := makeDataset(t, 20, 2, 7)
	dirB, b := makeDataset(t, 20, 2, 8)

	srv.CreateObject(fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: bucket, Name: "u/notes.txt"}, Content: []byte("mine")})
	_, err := Publish(context.Background(), dirA, "gs://bkt/u", Options{})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), `"notes.txt"`) {
		t.Errorf("Publish over unknown objects = %v; want ErrConflict naming notes.txt", err)
	}
	if got := objects(t, srv, "u"); len(got) != 1 {
		t.Errorf("a refused publish changed the bucket: %v", got)
	}

	// Interrupt a forced publish of A, then try to publish B there.
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Publish(ctx, dirA, "gs://bkt/u", Options{Force: true, Parallel: 1, Progress: func(p Progress) {
		if p.Step == Uploaded {
			cancel()
		}
	}})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted publish = %v", err)
	}
	_, err = Publish(context.Background(), dirB, "gs://bkt/u", Options{})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "unfinished publish of a different dataset") {
		t.Errorf("Publish(B over A's unfinished publish) = %v; want ErrConflict", err)
	}
	s := publish(t, dirB, "gs://bkt/u", Options{Force: true})
	if got := slices.Sorted(maps.Keys(objects(t, srv, "u"))); !slices.Equal(got, want(b)) {
		t.Errorf("after forcing B the bucket holds %v; want exactly %v", got, want(b))
	}
	if s.Deleted < 1 {
		t.Errorf("forced publish deleted %d objects; want notes.txt at least", s.Deleted)
	}
	if rep := validate(t, "gs://bkt/u"); !rep.OK() || len(rep.Warnings) > 0 {
		t.Errorf("validate: %v %v", rep.Problems, rep.Warnings)
	}
}
