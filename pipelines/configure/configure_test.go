package configure

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultCatalogue(t *testing.T) {
	c := Default()
	if len(c.Tools) < 10 || len(c.Schedules) < 3 {
		t.Fatalf("default catalogue too small: %d tools, %d schedules", len(c.Tools), len(c.Schedules))
	}
}

func TestParseErrors(t *testing.T) {
	base := string(DefaultYAML())
	for _, tt := range []struct{ edit, want string }{
		{strings.Replace(base, "kind: basic", "kind: magic", 1), "tools[0].kind"},
		{strings.Replace(base, "held_out: [cloud-d]", "held_out: [nowhere]", 1), "sampling.held_out"},
		{strings.Replace(base, "min_tools: 3", "min_tools: 30", 1), "min_tools"},
		{strings.Replace(base, "sampling:", "samplin:", 1), "field samplin not found"},
		{strings.Replace(base, "      expert-4: {input_per_million: 0.3, output_per_million: 0.6}\n", "", 1), "schedules[0].prices.expert-4: missing"},
	} {
		_, err := Parse([]byte(tt.edit), "c.yaml")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse = %v; want an error containing %q", err, tt.want)
		}
	}
}

func TestSample(t *testing.T) {
	c := Default()
	tests := 0
	for i := 0; i < 2000; i++ {
		cfg := c.Sample(rand.New(rand.NewPCG(uint64(i), 7)))
		again := c.Sample(rand.New(rand.NewPCG(uint64(i), 7)))
		if !reflect.DeepEqual(cfg, again) {
			t.Fatalf("sample %d is not reproducible", i)
		}
		n := len(cfg.Tools)
		if n < c.Sampling.MinTools || n > c.Sampling.MaxTools {
			t.Fatalf("sample %d has %d tools", i, n)
		}
		if len(cfg.Pref) != n+3 {
			t.Fatalf("sample %d: pref has %d weights for %d tools", i, len(cfg.Pref), n)
		}
		for k, w := range cfg.Pref {
			if w < 0 || w > 1 {
				t.Fatalf("sample %d: weight %s = %v", i, k, w)
			}
		}
		heldOut := cfg.Schedule == "cloud-d"
		if heldOut != (cfg.Split == "test") {
			t.Fatalf("sample %d: split %s uses schedule %s", i, cfg.Split, cfg.Schedule)
		}
		if cfg.Split == "test" {
			tests++
		}
		for _, tool := range cfg.Tools {
			if p := cfg.Pricing[tool.Alias]; p.Provider != cfg.Schedule || p.LatencySeconds <= 0 {
				t.Fatalf("sample %d: pricing of %s = %+v", i, tool.Alias, p)
			}
		}
		if cfg.Instruction == "" {
			t.Fatalf("sample %d has no instruction", i)
		}
	}
	if tests < 120 || tests > 280 {
		t.Errorf("%d of 2000 records in test; want about 10%%", tests)
	}
}

func TestInstructionFollowsWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := instruction(r, map[string]float64{"accuracy": 1, "cost": 0, "latency": 0.9}, []string{"expert-1"}, []string{"search-2"})
	for _, want := range []string{"Prefer expert-1", "Avoid search-2"} {
		if !strings.Contains(s, want) {
			t.Errorf("instruction %q lacks %q", s, want)
		}
	}
	if !strings.Contains(s, "accuracy comes first") && !strings.Contains(s, "exactly right") {
		t.Errorf("instruction %q does not stress accuracy", s)
	}
}
