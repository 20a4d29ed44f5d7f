// Package simulate trains a small softmax policy over orchestration tools on the CPU, with the
// same rewards and advantages as the GRPO trainer (package reward), to show how a preference
// vector moves tool choice.
//
// Each prompt has a context (a difficulty level) and offers some of the tools. A rollout calls
// tools one after another, each drawn from the policy, until a call solves the prompt (with the
// tool's accuracy for that context) or MaxCalls calls have been made; every call adds the tool's
// cost and latency, with some noise. The rollouts of a prompt form a group; reward.Compute gives
// their rewards and advantages, and the policy takes PPO-style clipped policy-gradient steps on
// the kept rollouts. The policy has one logit per tool, or one per (context, tool).
//
// With an outcome-only preference the policy drifts to the most accurate, dearest model; with a
// cost preference it moves to cheaper tools.
package simulate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/toolscale/toolscale/trainer/reward"
)

// A Tool is a simulated orchestration tool.
type Tool struct {
	Alias string `mapstructure:"alias"`
	// Accuracy is the chance that one call solves a prompt, per context; a single value holds
	// in every context.
	Accuracy []float64 `mapstructure:"accuracy"`
	Cost     float64   `mapstructure:"cost"`    // dollars per call
	Latency  float64   `mapstructure:"latency"` // seconds per call
}

// Config describes a simulation. Start from DefaultConfig and override fields.
type Config struct {
	// Seed makes a run reproducible: the same Config gives the same Result.
	Seed uint64 `mapstructure:"seed"`
	// Steps is the number of training steps.
	Steps int `mapstructure:"steps"`
	// PromptsPerStep and GroupSize size a step's batch, as in the GRPO trainer.
	PromptsPerStep int `mapstructure:"prompts_per_step"`
	GroupSize      int `mapstructure:"group_size"`
	// MaxCalls bounds the tool calls of one rollout.
	MaxCalls int `mapstructure:"max_calls"`
	// Contexts is the number of prompt contexts (difficulty levels), drawn uniformly.
	Contexts int `mapstructure:"contexts"`
	// PerContext gives the policy one logit per (context, tool) instead of one per tool.
	PerContext bool `mapstructure:"per_context"`
	// ToolsPerPrompt is how many tools each prompt offers, drawn at random; 0 offers all.
	ToolsPerPrompt int `mapstructure:"tools_per_prompt"`
	// LearningRate is the step size on the logits.
	LearningRate float64 `mapstructure:"learning_rate"`
	// Epochs is the number of policy updates on each step's batch.
	Epochs int `mapstructure:"epochs"`
	// ClipLow and ClipHigh bound the ratio π/π_old to [1 − ClipLow, 1 + ClipHigh].
	ClipLow  float64 `mapstructure:"clip_low"`
	ClipHigh float64 `mapstructure:"clip_high"`
	// Jitter is the relative noise on each call's cost and latency: ±Jitter, uniform.
	Jitter float64 `mapstructure:"jitter"`
	// Tools are the simulated tools; their order is the order of the output columns.
	Tools []Tool `mapstructure:"tools"`
	// Preference weighs the reward features as in package reward: tool aliases, then
	// "accuracy", "cost" and "latency".
	Preference map[string]float64 `mapstructure:"preference"`
}

// DefaultTools are four tools from strong and dear to weak and cheap, with accuracy on easy
// and hard prompts.
func DefaultTools() []Tool {
	return []Tool{
		{Alias: "expert-1", Accuracy: []float64{0.95, 0.70}, Cost: 0.060, Latency: 30},
		{Alias: "expert-2", Accuracy: []float64{0.85, 0.45}, Cost: 0.012, Latency: 12},
		{Alias: "expert-3", Accuracy: []float64{0.75, 0.25}, Cost: 0.003, Latency: 5},
		{Alias: "search-1", Accuracy: []float64{0.55, 0.10}, Cost: 0.001, Latency: 2},
	}
}

// DefaultConfig returns a run of 60 steps of 16 prompts × 8 rollouts over DefaultTools on easy
// and hard prompts, with the outcome-only preference.
func DefaultConfig() Config {
	return Config{
		Seed:           1,
		Steps:          60,
		PromptsPerStep: 16,
		GroupSize:      8,
		MaxCalls:       3,
		Contexts:       2,
		LearningRate:   0.5,
		Epochs:         2,
		ClipLow:        0.2,
		ClipHigh:       0.28,
		Jitter:         0.1,
		Tools:          DefaultTools(),
		Preference:     map[string]float64{reward.Accuracy: 1},
	}
}

// ErrConfig is wrapped by every error about a bad Config.
var ErrConfig = errors.New("bad simulation configuration")

func (c Config) validate() error {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("%w: %s = %v, want %s", ErrConfig, field, v, want)
	}
	switch {
	case c.Steps < 1:
		return bad("steps", c.Steps, "at least 1")
	case c.PromptsPerStep < 1:
		return bad("prompts_per_step", c.PromptsPerStep, "at least 1")
	case c.GroupSize < reward.MinGroupSize:
		return bad("group_size", c.GroupSize, fmt.Sprintf("at least %d", reward.MinGroupSize))
	case c.MaxCalls < 1:
		return bad("max_calls", c.MaxCalls, "at least 1")
	case c.Contexts < 1:
		return bad("contexts", c.Contexts, "at least 1")
	case len(c.Tools) < 2:
		return bad("tools", len(c.Tools), "at least 2 tools")
	case c.ToolsPerPrompt != 0 && (c.ToolsPerPrompt < 1 || c.ToolsPerPrompt > len(c.Tools)):
		return bad("tools_per_prompt", c.ToolsPerPrompt, fmt.Sprintf("0 (all) or 1 to %d", len(c.Tools)))
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0):
		return bad("learning_rate", c.LearningRate, "more than 0")
	case c.Epochs < 1:
		return bad("epochs", c.Epochs, "at least 1")
	case !(c.ClipLow > 0 && c.ClipLow < 1):
		return bad("clip_low", c.ClipLow, "in (0, 1)")
	case !(c.ClipHigh > 0) || math.IsInf(c.ClipHigh, 0):
		return bad("clip_high", c.ClipHigh, "more than 0")
	case !(c.Jitter >= 0 && c.Jitter < 1):
		return bad("jitter", c.Jitter, "in [0, 1)")
	}
	seen := map[string]bool{}
	for i, t := range c.Tools {
		field := fmt.Sprintf("tools[%d]", i)
		switch {
		case t.Alias == "":
			return bad(field+".alias", `""`, "a name")
		case t.Alias == reward.Accuracy || t.Alias == reward.Cost || t.Alias == reward.Latency:
			return bad(field+".alias", t.Alias, "a name other than accuracy, cost and latency")
		case seen[t.Alias]:
			return bad(field+".alias", t.Alias, "a name no other tool has")
		case len(t.Accuracy) != 1 && len(t.Accuracy) != c.Contexts:
			return bad(field+".accuracy", t.Accuracy, fmt.Sprintf("1 or %d values (one per context)", c.Contexts))
		case !(t.Cost >= 0) || math.IsInf(t.Cost, 0):
			return bad(field+".cost", t.Cost, "0 or more")
		case !(t.Latency >= 0) || math.IsInf(t.Latency, 0):
			return bad(field+".latency", t.Latency, "0 or more")
		}
		for j, a := range t.Accuracy {
			if !(a >= 0 && a <= 1) {
				return bad(fmt.Sprintf("%s.accuracy[%d]", field, j), a, "in [0, 1]")
			}
		}
		seen[t.Alias] = true
	}
	for k, w := range c.Preference {
		if k != reward.Accuracy && k != reward.Cost && k != reward.Latency && !seen[k] {
			return bad("preference."+k, w, "a weight of a simulated tool, accuracy, cost or latency")
		}
		if !(w >= 0) || math.IsInf(w, 0) {
			return bad("preference."+k, w, "a finite weight, 0 or more")
		}
	}
	return nil
}

// A Step is what one training step saw, before its update.
type Step struct {
	Step int
	// Shares is each tool's share of the step's tool calls, in Config.Tools order.
	Shares []float64
	// Policy is each tool's probability under the policy, averaged over contexts, with every
	// tool offered.
	Policy      []float64
	Calls       int     // tool calls in the step
	KeptGroups  int     // groups that passed reward's filters
	SuccessRate float64 // share of rollouts that solved their prompt
	MeanReward  float64
	MeanCost    float64 // dollars per rollout
	MeanLatency float64 // seconds per rollout
}

// A Result is a whole run: one Step per training step and the policy at the end.
type Result struct {
	Aliases     []string
	Steps       []Step
	FinalPolicy []float64 // as Step.Policy, after the last update
}

// action is one sampled tool call, with what the update needs.
type action struct {
	row     int     // row of the logits
	offered []int   // tools the prompt offered
	tool    int     // the tool called
	logpOld float64 // its log-probability when sampled
	adv     float64 // its rollout's advantage
}

// policy holds the logits, one row per context (or a single row).
type policy struct {
	logits [][]float64
}

// probs writes into p the softmax of row over the offered tools (p has one entry per tool;
// tools not offered get 0).
func (pl *policy) probs(row int, offered []int, p []float64) {
	clear(p)
	l := pl.logits[row]
	hi := math.Inf(-1)
	for _, t := range offered {
		hi = max(hi, l[t])
	}
	var sum float64
	for _, t := range offered {
		p[t] = math.Exp(l[t] - hi)
		sum += p[t]
	}
	for _, t := range offered {
		p[t] /= sum
	}
}

// Simulate runs cfg. It is deterministic: the same Config gives the same Result.
func Simulate(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.validate(); err != nil {
		return Result{}, err
	}
	nt := len(cfg.Tools)
	rows := 1
	if cfg.PerContext {
		rows = cfg.Contexts
	}
	pl := &policy{logits: make([][]float64, rows)}
	for r := range pl.logits {
		pl.logits[r] = make([]float64, nt)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x746f6f6c7363616c)) // "toolscal"
	all := make([]int, nt)
	for i := range all {
		all[i] = i
	}
	res := Result{Aliases: make([]string, nt), Steps: make([]Step, 0, cfg.Steps)}
	for i, t := range cfg.Tools {
		res.Aliases[i] = t.Alias
	}
	p := make([]float64, nt)
	var batch []action
	for step := range cfg.Steps {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		st := Step{Step: step + 1, Shares: make([]float64, nt), Policy: pl.average(cfg.Contexts, all)}
		batch = batch[:0]
		rollouts := 0
		for range cfg.PromptsPerStep {
			c := rng.IntN(cfg.Contexts)
			row := 0
			if cfg.PerContext {
				row = c
			}
			offered := all
			if cfg.ToolsPerPrompt > 0 && cfg.ToolsPerPrompt < nt {
				offered = rng.Perm(nt)[:cfg.ToolsPerPrompt]
				slices.Sort(offered)
			}
			g := reward.Group{ID: "p", Preference: cfg.Preference, Rollouts: make([]reward.Rollout, cfg.GroupSize)}
			acts := make([][]action, cfg.GroupSize)
			for i := range g.Rollouts {
				r := reward.Rollout{ID: strconv.Itoa(i), ToolCalls: map[string]int{}, ValidAnswer: true, FormatOK: true}
				for range cfg.MaxCalls {
					pl.probs(row, offered, p)
					t := sample(rng, p, offered)
					acts[i] = append(acts[i], action{row: row, offered: offered, tool: t, logpOld: math.Log(p[t])})
					tool := cfg.Tools[t]
					r.ToolCalls[tool.Alias]++
					r.Cost += tool.Cost * (1 + cfg.Jitter*(2*rng.Float64()-1))
					r.Latency += tool.Latency * (1 + cfg.Jitter*(2*rng.Float64()-1))
					st.Shares[t]++
					st.Calls++
					if rng.Float64() < accuracy(tool, c) {
						r.Outcome = 1
						break
					}
				}
				g.Rollouts[i] = r
				st.SuccessRate += float64(r.Outcome)
				st.MeanCost += r.Cost
				st.MeanLatency += r.Latency
			}
			gr, err := reward.Compute(g)
			if err != nil {
				return Result{}, fmt.Errorf("step %d: %w", step+1, err)
			}
			if gr.Kept {
				st.KeptGroups++
			}
			for i, rr := range gr.Rollouts {
				st.MeanReward += rr.Reward
				if !rr.Kept {
					continue
				}
				for _, a := range acts[i] {
					a.adv = rr.Advantage
					batch = append(batch, a)
				}
			}
			rollouts += cfg.GroupSize
		}
		for t := range st.Shares {
			st.Shares[t] /= float64(st.Calls)
		}
		st.SuccessRate /= float64(rollouts)
		st.MeanReward /= float64(rollouts)
		st.MeanCost /= float64(rollouts)
		st.MeanLatency /= float64(rollouts)
		res.Steps = append(res.Steps, st)
		pl.update(cfg, batch, p)
	}
	res.FinalPolicy = pl.average(cfg.Contexts, all)
	return res, nil
}

// update takes cfg.Epochs clipped policy-gradient steps on batch: for each action, the
// gradient of min(ρ·A, clip(ρ, 1−ClipLow, 1+ClipHigh)·A) with ρ = π(a)/π_old(a), averaged
// over the batch's actions.
func (pl *policy) update(cfg Config, batch []action, p []float64) {
	if len(batch) == 0 {
		return
	}
	grad := make([][]float64, len(pl.logits))
	for r := range grad {
		grad[r] = make([]float64, len(pl.logits[r]))
	}
	for range cfg.Epochs {
		for r := range grad {
			clear(grad[r])
		}
		for _, a := range batch {
			pl.probs(a.row, a.offered, p)
			ratio := math.Exp(math.Log(p[a.tool]) - a.logpOld)
			if (a.adv > 0 && ratio > 1+cfg.ClipHigh) || (a.adv < 0 && ratio < 1-cfg.ClipLow) {
				continue // clipped: no gradient
			}
			g := grad[a.row]
			for _, t := range a.offered {
				ind := 0.0
				if t == a.tool {
					ind = 1
				}
				g[t] += a.adv * ratio * (ind - p[t])
			}
		}
		scale := cfg.LearningRate / float64(len(batch))
		for r := range pl.logits {
			for t := range pl.logits[r] {
				pl.logits[r][t] += scale * grad[r][t]
			}
		}
	}
}

// average returns each tool's probability with every tool offered, averaged over contexts.
func (pl *policy) average(contexts int, all []int) []float64 {
	avg := make([]float64, len(all))
	p := make([]float64, len(all))
	for c := range contexts {
		row := 0
		if len(pl.logits) > 1 {
			row = c
		}
		pl.probs(row, all, p)
		for t := range avg {
			avg[t] += p[t] / float64(contexts)
		}
	}
	return avg
}

// sample draws a tool from p over the offered tools.
func sample(rng *rand.Rand, p []float64, offered []int) int {
	u := rng.Float64()
	for _, t := range offered {
		u -= p[t]
		if u < 0 {
			return t
		}
	}
	return offered[len(offered)-1]
}

func accuracy(t Tool, context int) float64 {
	if len(t.Accuracy) == 1 {
		return t.Accuracy[0]
	}
	return t.Accuracy[context]
}
