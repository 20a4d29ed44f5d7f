package plan

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
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

func TestRunDefault(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Data = "gs://toolscale-data/v1/"
	cfg.GPUsPerNode = 2
	var out bytes.Buffer
	if err := Run(context.Background(), cfg, &out); err != nil {
		t.Fatal(err)
	}
	golden(t, "default.yaml", out.Bytes())
}

// lookup follows a dotted path through decoded YAML.
func lookup(t *testing.T, doc map[string]any, path string) any {
	t.Helper()
	var v any = doc
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %v is not a mapping", path, v)
		}
		v = m[k]
	}
	return v
}

func TestOverrides(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Model = "/models/orchestrator-8b"
	cfg.GroupSize, cfg.PromptsPerStep, cfg.LearningRate = 16, 32, 5e-7
	cfg.MaxPromptTokens, cfg.MaxResponseTokens = 16000, 4096
	cfg.ClipLow, cfg.ClipHigh, cfg.KLCoef, cfg.MaxTurns = 0.1, 0.3, 0, 12
	cfg.Nodes, cfg.GPUsPerNode, cfg.WorldSize, cfg.Seed = 2, 8, 4, 9
	var out bytes.Buffer
	if err := Run(context.Background(), cfg, &out); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]any{
		"actor_rollout_ref.model.path":                             "/models/orchestrator-8b",
		"actor_rollout_ref.rollout.n":                              16,
		"data.train_batch_size":                                    32,
		"actor_rollout_ref.actor.optim.lr":                         5e-7,
		"data.max_prompt_length":                                   16000,
		"data.max_response_length":                                 4096,
		"actor_rollout_ref.actor.clip_ratio_low":                   0.1,
		"actor_rollout_ref.actor.clip_ratio_high":                  0.3,
		"actor_rollout_ref.actor.kl_loss_coef":                     0.0,
		"algorithm.kl_ctrl.kl_coef":                                0.0,
		"actor_rollout_ref.rollout.multi_turn.max_assistant_turns": 12,
		"max_turns":                   12,
		"trainer.nnodes":              2,
		"toolscale.data.world_size":   4,
		"toolscale.reward.group_size": 16,
	} {
		if got := lookup(t, doc, path); got != want {
			t.Errorf("%s = %v (%T); want %v (%T)", path, got, got, want, want)
		}
	}
	ranks := lookup(t, doc, "toolscale.data.ranks").([]any)
	if len(ranks) != 4 {
		t.Fatalf("%d ranks; want 4", len(ranks))
	}
	got := strings.Join(func() (s []string) {
		for _, a := range ranks[3].(map[string]any)["command"].([]any) {
			s = append(s, a.(string))
		}
		return s
	}(), " ")
	if want := "toolscale train feed --data ./toolscale-out --rank 3 --world-size 4 --seed 9"; got != want {
		t.Errorf("rank 3 command %q; want %q", got, want)
	}
}

func TestFloat(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{
		{1e-6, "1.0e-06\n"}, {1, "1.0\n"}, {0, "0.0\n"}, {0.28, "0.28\n"}, {1e-4, "0.0001\n"}, {3e21, "3.0e+21\n"}, {-2, "-2.0\n"},
	} {
		b, err := yaml.Marshal(Float(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("Marshal(Float(%v)) = %q; want %q", tt.in, b, tt.want)
		}
		var back float64
		if err := yaml.Unmarshal(b, &back); err != nil || back != tt.in {
			t.Errorf("Unmarshal(%q) = %v, %v; want %v", b, back, err, tt.in)
		}
	}
}

func TestBadConfig(t *testing.T) {
	for _, tt := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.GroupSize = 1 }, "group_size = 1, want at least 2"},
		{func(c *Config) { c.LearningRate = 0 }, "learning_rate = 0, want more than 0"},
		{func(c *Config) { c.ClipLow = 1 }, "clip_low = 1, want in (0, 1)"},
		{func(c *Config) { c.Data = "" }, `data = "", want a dataset path or gs:// URL`},
		{func(c *Config) { c.MaxTurns = 0 }, "max_turns = 0, want at least 1"},
		{func(c *Config) { c.KLCoef = -1 }, "kl_coef = -1, want 0 or more"},
	} {
		cfg := DefaultConfig()
		tt.edit(&cfg)
		err := Run(context.Background(), cfg, new(bytes.Buffer))
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Run with a bad config = %v; want ...%q", err, tt.want)
		}
	}
}
