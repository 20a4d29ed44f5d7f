package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"cloud.google.com/go/storage"
	"github.com/fsouza/fake-gcs-server/fakestorage"
	"google.golang.org/api/iterator"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/internal/gcstest"
)

// `generate --out gs://…` writes through the GCS client to an in-process fake-gcs-server
// found through STORAGE_EMULATOR_HOST: the manifest is the last object written, no spill
// object is left, `validate gs://…` passes, and a flipped byte in a shard makes it fail
// naming that shard.
func TestGenerateToGCS(t *testing.T) {
	domain := domainWithIntents(t)
	srv := gcstest.Start(t, "bkt")

	ctx := context.Background()
	const url = "gs://bkt/runs/a"
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"generate", "--out", url, "--domains", domain, "--tasks-per-domain", "8",
		"--envs-per-domain", "1", "--shards", "3"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("generate: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), url+"/"+dataset.ManifestName) {
		t.Errorf("summary does not name the manifest's URL:\n%s", stdout.String())
	}

	client, err := storage.NewClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var manifest *storage.ObjectAttrs
	var others []*storage.ObjectAttrs
	it := client.Bucket("bkt").Objects(ctx, &storage.Query{Prefix: "runs/a/"})
	for {
		a, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case a.Name == "runs/a/"+dataset.ManifestName:
			manifest = a
		case strings.Contains(a.Name, ".toolscale-spill") || strings.Contains(a.Name, ".tmp"):
			t.Errorf("left behind: %s", a.Name)
		default:
			others = append(others, a)
		}
	}
	if manifest == nil || len(others) == 0 {
		t.Fatalf("manifest %v and %d other objects under %s", manifest, len(others), url)
	}
	for _, a := range others {
		if a.Generation > manifest.Generation {
			t.Errorf("%s was written after the manifest", a.Name)
		}
	}

	stdout.Reset()
	if err := run(ctx, []string{"validate", url}, &stdout, &stderr); err != nil {
		t.Fatalf("validate %s: %v\n%s", url, err, stdout.String())
	}

	// Flip one byte of a shard that holds records.
	var shard string
	for _, a := range others {
		if strings.HasPrefix(a.Name, "runs/a/shards/records-") && a.Size > 0 {
			shard = a.Name
			break
		}
	}
	if shard == "" {
		t.Fatal("no non-empty record shard")
	}
	obj, err := srv.GetObject("bkt", shard)
	if err != nil {
		t.Fatal(err)
	}
	content := bytes.Clone(obj.Content)
	content[len(content)/2] ^= 0x20
	srv.CreateObject(fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: "bkt", Name: shard}, Content: content})
	stdout.Reset()
	err = run(ctx, []string{"validate", url}, &stdout, &stderr)
	if err == nil {
		t.Fatalf("validate passed a shard with a flipped byte:\n%s", stdout.String())
	}
	if rel := strings.TrimPrefix(shard, "runs/a/"); !strings.Contains(stdout.String(), rel) {
		t.Errorf("the report does not name %s:\n%s", rel, stdout.String())
	}
}
