package pipelines

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

func TestZZDebug(t *testing.T) {
	dir := t.TempDir()
	c := gtfake.Default(11, 600)
	c.Compact = true
	gtfake.WriteFile(filepath.Join(dir, "a.jsonl"), c)
	gtfake.WriteFile(filepath.Join(dir, "b.jsonl.gz"), c)
	cfg := gtConfig(t, filepath.Join(dir, "*.jsonl*"))
	cfg.Out = "/tmp/tsdebug"
	os.RemoveAll(cfg.Out)
	cfg.Check()
	cat, _ := cfg.catalogueYAML()
	conf, _ := ManifestConfig(cfg, cat)
	_ = conf
	// run without manifest check: build manually
	res, err := Run(context.Background(), cfg, RunOptions{})
	t.Log(res, err)
	files, _ := filepath.Glob("/tmp/tsdebug/rejected/*")
	counts := map[string]int{}
	for _, f := range files {
		for _, l := range fileLines(t, f) {
			var r dataset.Rejected
			json.Unmarshal(l, &r)
			counts[r.Stage+"/"+r.Reason]++
		}
	}
	t.Log(counts)
	files, _ = filepath.Glob("/tmp/tsdebug/.toolscale-spill/runs/*")
	t.Log(len(files))
}
