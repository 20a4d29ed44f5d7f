package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/dataset"
)

// exportFixture writes a dataset of six qa records, two of them in the test split.
func exportFixture(t *testing.T) string {
	t.Helper()
	var recs []dataset.Record
	for i := range 6 {
		split := "train"
		if i%3 == 2 {
			split = "test"
		}
		recs = append(recs, dataset.Record{
			ID: dataset.RecordID(1, dataset.SourceGeneralThought, int64(i)), Index: int64(i), Category: dataset.CategoryQA,
			Domain: "math", Source: dataset.SourceGeneralThought, License: "MIT", Split: split,
			Problem: fmt.Sprintf("What is %d + %d?", i, i), Answer: fmt.Sprint(2 * i),
			Tools:        []dataset.Tool{{Alias: "expert-1", Kind: "generalist", Description: "A generalist model."}},
			ModelMapping: map[string]string{"expert-1": "gpt-5"},
			ToolPricing:  map[string]dataset.Pricing{"expert-1": {InputPerMillion: 1.25, OutputPerMillion: 10}},
			PrefVec:      map[string]float64{"expert-1": 0.5, "accuracy": 1, "cost": 0, "latency": 0},
			Example:      json.RawMessage(`{"question_id": 1}`),
		})
	}
	dir := t.TempDir()
	if _, err := dataset.WriteDataset(context.Background(), dataset.OpenDir(dir), recs, nil, &dataset.WriteOptions{Shards: 2}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExport(t *testing.T) {
	dir := exportFixture(t)
	out := t.TempDir()
	stdout, _, err := runCmd(t, "", "export", "--in", dir, "--format", "verl", "--out", out, "--split", "train")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"train-00000.parquet", "train-00001.parquet"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
	if want := "exported 4 of 6 records (verl, split train); skipped 2 by split\n"; !strings.HasSuffix(stdout, want) {
		t.Errorf("stdout = %q; want it to end with %q", stdout, want)
	}

	// The split can come from the environment.
	t.Setenv("TOOLSCALE_SPLIT", "test")
	stdout, _, err = runCmd(t, "", "export", "--in", dir, "--format", "toolorchestra", "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "data.jsonl"))
	if err != nil || strings.Count(string(b), "\n") != 2 || !strings.Contains(stdout, "exported 2 of 6 records (toolorchestra, split test)") {
		t.Errorf("data.jsonl has %d lines (%v); stdout %q; want the 2 test records", strings.Count(string(b), "\n"), err, stdout)
	}
}

func TestExportErrors(t *testing.T) {
	dir := exportFixture(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--in", dir, "--format", "verl"}, "--out is required"},
		{[]string{"--out", t.TempDir(), "--format", "verl"}, "--in is required"},
		{[]string{"--in", dir, "--out", t.TempDir()}, "--format is required"},
		{[]string{"--in", dir, "--out", t.TempDir(), "--format", "jsonl"}, `unknown export format "jsonl"`},
		{[]string{"--in", t.TempDir(), "--out", t.TempDir(), "--format", "tau2"}, "no manifest"},
	} {
		_, _, err := runCmd(t, "", append([]string{"export"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("export %q: err = %v; want %q", tt.args, err, tt.want)
		}
	}
}
