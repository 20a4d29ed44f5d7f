package simulate

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"image/png"
	"math"
	"slices"
	"strings"
	"testing"
)

// meanShares averages the tool-call shares of steps [from, to).
func meanShares(res Result, from, to int) []float64 {
	m := make([]float64, len(res.Aliases))
	for _, s := range res.Steps[from:to] {
		for t, x := range s.Shares {
			m[t] += x / float64(to-from)
		}
	}
	return m
}

func argmax(xs []float64) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

func run(t *testing.T, cfg Config) Result {
	t.Helper()
	res, err := Simulate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != cfg.Steps {
		t.Fatalf("Simulate gave %d steps; want %d", len(res.Steps), cfg.Steps)
	}
	return res
}

func TestOutcomeOnlyDriftsToTheStrongestModel(t *testing.T) {
	cfg := DefaultConfig() // outcome-only preference
	tools := cfg.Tools
	strongest := 0
	for i, tool := range tools {
		if tool.Accuracy[1] > tools[strongest].Accuracy[1] {
			strongest = i
		}
	}
	if dearest := slices.IndexFunc(tools, func(tl Tool) bool {
		return tl.Cost == slices.Max([]float64{tools[0].Cost, tools[1].Cost, tools[2].Cost, tools[3].Cost})
	}); dearest != strongest {
		t.Fatalf("the default tools' strongest model (%d) is not the dearest (%d)", strongest, dearest)
	}
	res := run(t, cfg)
	start, end := res.Steps[0].Shares, meanShares(res, cfg.Steps-5, cfg.Steps)
	if end[strongest] <= start[strongest] {
		t.Errorf("share of %s went from %.3f to %.3f; want it to rise", res.Aliases[strongest], start[strongest], end[strongest])
	}
	if w := argmax(end); w != strongest {
		t.Errorf("largest final share is %s's (%.3f); want %s's, shares %.3f", res.Aliases[w], end[w], res.Aliases[strongest], end)
	}
	if w := argmax(res.FinalPolicy); w != strongest {
		t.Errorf("final policy favours %s; want %s, policy %.3f", res.Aliases[w], res.Aliases[strongest], res.FinalPolicy)
	}
	if first, last := res.Steps[0].SuccessRate, res.Steps[cfg.Steps-1].SuccessRate; last <= first {
		t.Errorf("success rate went from %.3f to %.3f; want it to rise", first, last)
	}
}

func TestCostPreferenceMovesToCheaperTools(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Preference = map[string]float64{"accuracy": 0.2, "cost": 1}
	res := run(t, cfg)
	byCost := make([]int, len(cfg.Tools)) // tool indexes, cheapest first
	for i := range byCost {
		byCost[i] = i
	}
	slices.SortFunc(byCost, func(a, b int) int { return int(math.Copysign(1, cfg.Tools[a].Cost-cfg.Tools[b].Cost)) })
	cheaper, dearest := byCost[:len(byCost)/2], byCost[len(byCost)-1]

	start, end := res.Steps[0].Shares, meanShares(res, cfg.Steps-5, cfg.Steps)
	if w := argmax(end); !slices.Contains(cheaper, w) {
		t.Errorf("largest final share is %s's; want one of the cheaper half, shares %.3f", res.Aliases[w], end)
	}
	if end[dearest] >= start[dearest] {
		t.Errorf("share of the dearest tool %s went from %.3f to %.3f; want it to fall", res.Aliases[dearest], start[dearest], end[dearest])
	}
	var cheapShare float64
	for _, t := range cheaper {
		cheapShare += end[t]
	}
	if cheapShare < 0.75 {
		t.Errorf("the cheaper half ends with %.3f of the calls; want most of them", cheapShare)
	}
	if first, last := res.Steps[0].MeanCost, res.Steps[cfg.Steps-1].MeanCost; last >= first/2 {
		t.Errorf("mean cost went from %.4f to %.4f; want it at least halved", first, last)
	}
}

func TestDeterministic(t *testing.T) {
	table := func(cfg Config) string {
		var b bytes.Buffer
		if err := Run(context.Background(), cfg, &b, nil); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	cfg := DefaultConfig()
	cfg.Steps = 10
	a, b := table(cfg), table(cfg)
	if a != b {
		t.Error("two runs with the same seed wrote different tables")
	}
	cfg.Seed++
	if c := table(cfg); c == a {
		t.Error("runs with different seeds wrote the same table")
	}
	rows, err := csv.NewReader(strings.NewReader(a)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 11 || !slices.Equal(rows[0][:8], []string{"step", "calls", "kept_groups", "success_rate", "mean_reward", "mean_cost", "mean_latency", "share:expert-1"}) ||
		rows[0][len(rows[0])-1] != "policy:search-1" || rows[1][0] != "1" || rows[10][0] != "10" {
		t.Errorf("table header and steps: %v … %v", rows[0], rows[len(rows)-1][:1])
	}
}

func TestVariants(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Steps, cfg.PerContext, cfg.ToolsPerPrompt, cfg.Contexts = 15, true, 2, 3
	cfg.Tools[0].Accuracy = []float64{0.9} // one value for every context
	cfg.Tools[1].Accuracy = []float64{0.8, 0.5, 0.2}
	cfg.Tools[2].Accuracy = []float64{0.7, 0.4, 0.1}
	cfg.Tools[3].Accuracy = []float64{0.6}
	cfg.Preference = map[string]float64{"accuracy": 1, "latency": 0.5, "search-1": 0.3}
	res := run(t, cfg)
	for _, s := range res.Steps {
		var share, pol float64
		for t := range s.Shares {
			share += s.Shares[t]
			pol += s.Policy[t]
		}
		if math.Abs(share-1) > 1e-9 || math.Abs(pol-1) > 1e-9 || s.Calls < cfg.PromptsPerStep*cfg.GroupSize {
			t.Errorf("step %d: shares sum to %v, policy to %v, %d calls", s.Step, share, pol, s.Calls)
		}
	}
}

// TestUpdateClips checks the PPO ratio clip: many epochs on one action stop moving its
// probability once π/π_old leaves [1 − ClipLow, 1 + ClipHigh].
func TestUpdateClips(t *testing.T) {
	for _, tt := range []struct {
		adv    float64
		lo, hi float64
	}{
		{+1, 1.28, 1.29},
		{-1, 0.79, 0.80},
	} {
		cfg := DefaultConfig()
		cfg.LearningRate, cfg.Epochs = 0.01, 2000
		pl := &policy{logits: [][]float64{make([]float64, 4)}}
		all := []int{0, 1, 2, 3}
		batch := []action{{row: 0, offered: all, tool: 1, logpOld: math.Log(0.25), adv: tt.adv}}
		pl.update(cfg, batch, make([]float64, 4))
		p := make([]float64, 4)
		pl.probs(0, all, p)
		if ratio := p[1] / 0.25; ratio < tt.lo || ratio > tt.hi {
			t.Errorf("advantage %v: ratio after %d epochs = %.4f; want in [%v, %v]", tt.adv, cfg.Epochs, ratio, tt.lo, tt.hi)
		}
	}
}

func TestPNG(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Steps = 5
	var table, img bytes.Buffer
	if err := Run(context.Background(), cfg, &table, &img); err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(&img)
	if err != nil {
		t.Fatalf("the plot is not a PNG: %v", err)
	}
	if b := m.Bounds(); b.Dx() != 8*96 || b.Dy() != 5*96 {
		t.Errorf("plot is %dx%d; want 768x480", b.Dx(), b.Dy())
	}
	if got, want := Title(cfg.Preference), "tool-call shares, preference accuracy=1"; got != want {
		t.Errorf("Title = %q; want %q", got, want)
	}
}

func TestBadConfig(t *testing.T) {
	for _, tt := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Steps = 0 }, "steps = 0, want at least 1"},
		{func(c *Config) { c.GroupSize = 1 }, "group_size = 1, want at least 2"},
		{func(c *Config) { c.Tools = c.Tools[:1] }, "tools = 1, want at least 2 tools"},
		{func(c *Config) { c.Tools[2].Alias = "expert-1" }, "tools[2].alias = expert-1, want a name no other tool has"},
		{func(c *Config) { c.Tools[1].Alias = "cost" }, "tools[1].alias = cost, want a name other than accuracy, cost and latency"},
		{func(c *Config) { c.Tools[0].Accuracy = []float64{0.5, 0.5, 0.5} }, "tools[0].accuracy = [0.5 0.5 0.5], want 1 or 2 values (one per context)"},
		{func(c *Config) { c.Tools[3].Accuracy[1] = 1.5 }, "tools[3].accuracy[1] = 1.5, want in [0, 1]"},
		{func(c *Config) { c.Tools[3].Cost = -1 }, "tools[3].cost = -1, want 0 or more"},
		{func(c *Config) { c.Preference = map[string]float64{"expert-9": 1} }, "preference.expert-9 = 1, want a weight of a simulated tool, accuracy, cost or latency"},
		{func(c *Config) { c.Preference = map[string]float64{"cost": -1} }, "preference.cost = -1, want a finite weight, 0 or more"},
		{func(c *Config) { c.ToolsPerPrompt = 5 }, "tools_per_prompt = 5, want 0 (all) or 1 to 4"},
		{func(c *Config) { c.Jitter = 1 }, "jitter = 1, want in [0, 1)"},
	} {
		cfg := DefaultConfig()
		tt.edit(&cfg)
		_, err := Simulate(context.Background(), cfg)
		if !errors.Is(err, ErrConfig) || !strings.HasSuffix(err.Error(), tt.want) {
			t.Errorf("Simulate with a bad config = %v; want …%q", err, tt.want)
		}
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Simulate(ctx, DefaultConfig()); !errors.Is(err, context.Canceled) {
		t.Errorf("Simulate with a canceled context = %v; want context.Canceled", err)
	}
}

func BenchmarkSimulate(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Preference = map[string]float64{"accuracy": 0.2, "cost": 1}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Simulate(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*cfg.Steps*cfg.PromptsPerStep*cfg.GroupSize)/b.Elapsed().Seconds(), "rollouts/s")
}

func BenchmarkPNG(b *testing.B) {
	res, err := Simulate(context.Background(), DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WritePNG(&buf, res, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
