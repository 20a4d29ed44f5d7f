// Package configure gives each training record its orchestration tools, prices, latencies
// and user preference vector, drawn from a catalogue: an embedded default YAML that a
// configuration can replace.
package configure

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/toolscale/toolscale/dataset"
)

//go:embed catalogue.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded default catalogue, for users to copy and edit.
func DefaultYAML() []byte { return slices.Clone(defaultYAML) }

// A Catalogue lists the orchestration tools, their price schedules and latencies, and how
// records sample them.
type Catalogue struct {
	Tools     []ToolSpec         `yaml:"tools"`
	Schedules []Schedule         `yaml:"schedules"`
	Latency   map[string]Latency `yaml:"latency"`
	Sampling  Sampling           `yaml:"sampling"`
}

// A ToolSpec is one orchestration tool.
type ToolSpec struct {
	Alias       string `yaml:"alias"`
	Kind        string `yaml:"kind"`
	Model       string `yaml:"model"`
	Description string `yaml:"description"`
}

// A Schedule is one provider's prices for every tool.
type Schedule struct {
	Name   string           `yaml:"name"`
	Prices map[string]Price `yaml:"prices"`
}

// A Price is what a tool costs under one schedule.
type Price struct {
	InputPerMillion  float64 `yaml:"input_per_million"`
	OutputPerMillion float64 `yaml:"output_per_million"`
	PerCall          float64 `yaml:"per_call"`
	PerSecond        float64 `yaml:"per_second"`
}

// Latency is a log-normal distribution of one call's duration.
type Latency struct {
	MedianSeconds float64 `yaml:"median_seconds"`
	Spread        float64 `yaml:"spread"` // sigma of the log
}

// Sampling says how many tools a record gets and which schedules are held out.
type Sampling struct {
	MinTools  int      `yaml:"min_tools"`
	MaxTools  int      `yaml:"max_tools"`
	HeldOut   []string `yaml:"held_out"`
	TestShare float64  `yaml:"test_share"`
}

// Default returns the embedded catalogue.
func Default() *Catalogue {
	c, err := Parse(defaultYAML, "catalogue.yaml (embedded)")
	if err != nil {
		panic("configure: the embedded catalogue is invalid: " + err.Error()) // a bug, caught by tests
	}
	return c
}

// Parse reads a catalogue from YAML; name is used in errors. Unknown keys are errors.
func Parse(data []byte, name string) (*Catalogue, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Catalogue
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := c.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

// Check reports the first inconsistency of the catalogue, naming the field.
func (c *Catalogue) Check() error {
	if len(c.Tools) == 0 {
		return fmt.Errorf("tools: empty")
	}
	seen := map[string]bool{}
	for i, t := range c.Tools {
		switch {
		case t.Alias == "":
			return fmt.Errorf("tools[%d].alias: empty", i)
		case seen[t.Alias]:
			return fmt.Errorf("tools[%d].alias: %q listed twice", i, t.Alias)
		case t.Kind != "basic" && t.Kind != "specialized" && t.Kind != "generalist":
			return fmt.Errorf("tools[%d].kind: %q is not basic, specialized or generalist", i, t.Kind)
		case t.Model == "":
			return fmt.Errorf("tools[%d].model: empty", i)
		}
		seen[t.Alias] = true
		l, ok := c.Latency[t.Alias]
		if !ok {
			return fmt.Errorf("latency.%s: missing", t.Alias)
		}
		if l.MedianSeconds <= 0 || l.Spread < 0 {
			return fmt.Errorf("latency.%s: median_seconds must be > 0 and spread >= 0", t.Alias)
		}
	}
	if len(c.Schedules) == 0 {
		return fmt.Errorf("schedules: empty")
	}
	names := map[string]bool{}
	for i, s := range c.Schedules {
		if s.Name == "" || names[s.Name] {
			return fmt.Errorf("schedules[%d].name: empty or repeated %q", i, s.Name)
		}
		names[s.Name] = true
		for _, t := range c.Tools {
			p, ok := s.Prices[t.Alias]
			if !ok {
				return fmt.Errorf("schedules[%d].prices.%s: missing", i, t.Alias)
			}
			if p.InputPerMillion < 0 || p.OutputPerMillion < 0 || p.PerCall < 0 || p.PerSecond < 0 {
				return fmt.Errorf("schedules[%d].prices.%s: negative price", i, t.Alias)
			}
		}
		for alias := range s.Prices {
			if !seen[alias] {
				return fmt.Errorf("schedules[%d].prices.%s: not a tool", i, alias)
			}
		}
	}
	for _, h := range c.Sampling.HeldOut {
		if !names[h] {
			return fmt.Errorf("sampling.held_out: %q is not a schedule", h)
		}
	}
	if len(c.Sampling.HeldOut) >= len(c.Schedules) {
		return fmt.Errorf("sampling.held_out: every schedule is held out; none is left for training")
	}
	if c.Sampling.TestShare < 0 || c.Sampling.TestShare > 1 {
		return fmt.Errorf("sampling.test_share: %v is not in [0, 1]", c.Sampling.TestShare)
	}
	if c.Sampling.TestShare > 0 && len(c.Sampling.HeldOut) == 0 {
		return fmt.Errorf("sampling.test_share: test records need at least one held_out schedule")
	}
	if c.Sampling.MinTools < 1 || c.Sampling.MaxTools < c.Sampling.MinTools || c.Sampling.MaxTools > len(c.Tools) {
		return fmt.Errorf("sampling: need 1 <= min_tools <= max_tools <= %d tools", len(c.Tools))
	}
	return nil
}

// A Config is what one record is given.
type Config struct {
	Split        string
	Schedule     string
	Tools        []dataset.Tool
	ModelMapping map[string]string
	Pricing      map[string]dataset.Pricing
	// Pref has one weight per tool alias, then "accuracy", "cost" and "latency".
	Pref        map[string]float64
	Instruction string
}

// Apply copies the configuration into a record.
func (cfg *Config) Apply(rec *dataset.Record) {
	rec.Split = cfg.Split
	rec.Tools = cfg.Tools
	rec.ModelMapping = cfg.ModelMapping
	rec.ToolPricing = cfg.Pricing
	rec.PrefVec = cfg.Pref
	rec.PrefInstruction = cfg.Instruction
}

// Sample draws a record's configuration from r: the split, a schedule of that split, a
// subset of tools in catalogue order, their latencies and a preference vector with its
// instruction.
func (c *Catalogue) Sample(r *rand.Rand) *Config {
	cfg := &Config{Split: "train", ModelMapping: map[string]string{}, Pricing: map[string]dataset.Pricing{}, Pref: map[string]float64{}}
	if r.Float64() < c.Sampling.TestShare {
		cfg.Split = "test"
	}
	var pool []Schedule
	for _, s := range c.Schedules {
		if slices.Contains(c.Sampling.HeldOut, s.Name) == (cfg.Split == "test") {
			pool = append(pool, s)
		}
	}
	sched := pool[r.IntN(len(pool))]
	cfg.Schedule = sched.Name

	n := c.Sampling.MinTools + r.IntN(c.Sampling.MaxTools-c.Sampling.MinTools+1)
	picked := r.Perm(len(c.Tools))[:n]
	slices.Sort(picked) // catalogue order, whatever the draw order
	for _, i := range picked {
		t := c.Tools[i]
		cfg.Tools = append(cfg.Tools, dataset.Tool{Alias: t.Alias, Kind: t.Kind, Description: t.Description})
		cfg.ModelMapping[t.Alias] = t.Model
		p, l := sched.Prices[t.Alias], c.Latency[t.Alias]
		cfg.Pricing[t.Alias] = dataset.Pricing{
			Provider:         sched.Name,
			InputPerMillion:  p.InputPerMillion,
			OutputPerMillion: p.OutputPerMillion,
			PerCall:          p.PerCall,
			PerSecond:        p.PerSecond,
			LatencySeconds:   round3(l.MedianSeconds * math.Exp(l.Spread*r.NormFloat64())),
		}
	}
	var liked, avoided []string
	for _, t := range cfg.Tools {
		w := weight(r)
		cfg.Pref[t.Alias] = w
		switch {
		case w >= 0.75:
			liked = append(liked, t.Alias)
		case w <= 0.1:
			avoided = append(avoided, t.Alias)
		}
	}
	cfg.Pref["accuracy"] = weight(r)
	cfg.Pref["cost"] = weight(r)
	cfg.Pref["latency"] = weight(r)
	cfg.Instruction = instruction(r, cfg.Pref, liked, avoided)
	return cfg
}

// weight draws a preference weight in [0, 1], rounded to two decimals; a quarter of the
// weights are exactly 0, so that many records ignore some criterion.
func weight(r *rand.Rand) float64 {
	if r.IntN(4) == 0 {
		return 0
	}
	return math.Round(r.Float64()*100) / 100
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// instruction says in words what the weights say: how much accuracy, cost and latency
// matter, and which tools the user likes or avoids.
func instruction(r *rand.Rand, pref map[string]float64, liked, avoided []string) string {
	level := func(w float64) int {
		switch {
		case w == 0:
			return 0
		case w < 0.4:
			return 1
		case w < 0.75:
			return 2
		}
		return 3
	}
	phr := map[string][4][]string{
		"accuracy": {
			{"I do not mind if the answer is not perfect", "correctness is not my concern here"},
			{"the answer should be roughly right", "accuracy matters a little"},
			{"I want a correct answer", "accuracy is important to me"},
			{"getting the answer exactly right is what matters most", "accuracy comes first"},
		},
		"cost": {
			{"cost does not matter", "spend whatever it takes"},
			{"try not to waste money", "keep an eye on the cost"},
			{"keep the cost down", "I care about what this costs"},
			{"spend as little as possible", "the cheapest way is the best way"},
		},
		"latency": {
			{"I am in no hurry", "take all the time you need"},
			{"do not take forever", "a reasonable speed is fine"},
			{"I would like this soon", "please be quick"},
			{"I need this as fast as possible", "speed is critical"},
		},
	}
	var parts []string
	for _, k := range []string{"accuracy", "cost", "latency"} {
		opts := phr[k][level(pref[k])]
		parts = append(parts, opts[r.IntN(len(opts))])
	}
	s := strings.ToUpper(parts[0][:1]) + parts[0][1:] + "; " + parts[1] + "; " + parts[2] + "."
	if len(liked) > 0 {
		s += " Prefer " + strings.Join(liked, ", ") + " where it helps."
	}
	if len(avoided) > 0 {
		s += " Avoid " + strings.Join(avoided, ", ") + "."
	}
	return s
}
