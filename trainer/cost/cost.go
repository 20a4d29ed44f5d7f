// Package cost accounts for what a rollout spent: the dollars and seconds of its tool calls,
// priced with its training record's tool pricing (dataset.Pricing).
//
// One call of a tool costs
//
//	input_tokens/1e6 × input_per_million + output_tokens/1e6 × output_per_million + per_call + seconds × per_second
//
// where seconds is the step's measured run time, or the tool's sampled latency_seconds when the
// step gives none. A rollout's latency is the sum of its calls' seconds: calls run one after
// another.
package cost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"

	"github.com/toolscale/toolscale/dataset"
)

// A Trajectory is what an orchestrator did in one rollout: its tool calls in order, the
// messages of the conversation and its final answer.
type Trajectory struct {
	Steps    []Step    `json:"steps"`
	Messages []Message `json:"messages,omitempty"`
	// FinalAnswer is the answer the orchestrator gave, for qa records.
	FinalAnswer string `json:"final_answer,omitempty"`
}

// A Step is one tool call of a trajectory.
type Step struct {
	// Alias is the tool called, as the record's tools name it ("search-1", "expert-3", …).
	Alias string `json:"alias"`
	// Arguments are the call's arguments as the orchestrator gave them.
	Arguments json.RawMessage `json:"arguments,omitempty"`
	// InputTokens and OutputTokens are the tokens the tool's model read and wrote; 0 for
	// tools that are not models.
	InputTokens  int64 `json:"input_tokens"`
	OutputTokens int64 `json:"output_tokens"`
	// Seconds is the call's measured run time; nil means the tool's latency_seconds.
	Seconds *float64 `json:"seconds,omitempty"`
}

// A Message is one turn of the conversation.
type Message struct {
	Role    string `json:"role"` // "user", "assistant" or "tool"
	Content string `json:"content"`
}

// Usage is what a trajectory spent.
type Usage struct {
	Cost      float64        `json:"cost"`       // dollars
	Latency   float64        `json:"latency"`    // seconds
	ToolCalls map[string]int `json:"tool_calls"` // calls per alias
	Steps     []StepUsage    `json:"steps"`      // one per step, in order
}

// StepUsage is what one step spent.
type StepUsage struct {
	Alias   string  `json:"alias"`
	Cost    float64 `json:"cost"`
	Seconds float64 `json:"seconds"`
}

// ErrUnknownAlias is wrapped by a StepError when a step calls a tool the pricing does not list.
var ErrUnknownAlias = errors.New("unknown tool alias")

// A StepError reports a bad step of a trajectory.
type StepError struct {
	Step  int    // 0-based index in Steps
	Alias string // the step's alias
	Field string // JSON field of the step, e.g. "input_tokens"
	Err   error
}

// Error prints "steps[2] (search-1).input_tokens: …".
func (e *StepError) Error() string {
	s := fmt.Sprintf("steps[%d]", e.Step)
	if e.Alias != "" {
		s += fmt.Sprintf(" (%s)", e.Alias)
	}
	if e.Field != "" {
		s += "." + e.Field
	}
	return s + ": " + e.Err.Error()
}

func (e *StepError) Unwrap() error { return e.Err }

// Call returns the dollars of one call of a tool priced p that read in and wrote out tokens
// and ran for seconds.
func Call(p dataset.Pricing, in, out int64, seconds float64) float64 {
	return float64(in)/1e6*p.InputPerMillion + float64(out)/1e6*p.OutputPerMillion + p.PerCall + seconds*p.PerSecond
}

// Account prices every step of tr with pricing, the tool_pricing of the trajectory's record.
// A step calling an alias pricing does not list, or giving negative tokens or seconds, is an
// error naming the step.
func Account(tr Trajectory, pricing map[string]dataset.Pricing) (Usage, error) {
	u := Usage{ToolCalls: map[string]int{}, Steps: make([]StepUsage, len(tr.Steps))}
	for i, s := range tr.Steps {
		stepErr := func(field string, err error) error {
			return &StepError{Step: i, Alias: s.Alias, Field: field, Err: err}
		}
		if s.Alias == "" {
			return Usage{}, stepErr("alias", errors.New("missing"))
		}
		p, ok := pricing[s.Alias]
		if !ok {
			return Usage{}, stepErr("alias", fmt.Errorf("%w (priced: %v)", ErrUnknownAlias, slices.Sorted(maps.Keys(pricing))))
		}
		if s.InputTokens < 0 {
			return Usage{}, stepErr("input_tokens", fmt.Errorf("must not be negative, got %d", s.InputTokens))
		}
		if s.OutputTokens < 0 {
			return Usage{}, stepErr("output_tokens", fmt.Errorf("must not be negative, got %d", s.OutputTokens))
		}
		secs := p.LatencySeconds
		if s.Seconds != nil {
			secs = *s.Seconds
			if secs < 0 || math.IsNaN(secs) || math.IsInf(secs, 0) {
				return Usage{}, stepErr("seconds", fmt.Errorf("must be a non-negative number, got %v", secs))
			}
		}
		c := Call(p, s.InputTokens, s.OutputTokens, secs)
		u.Steps[i] = StepUsage{Alias: s.Alias, Cost: c, Seconds: secs}
		u.Cost += c
		u.Latency += secs
		u.ToolCalls[s.Alias]++
	}
	return u, nil
}

// DecodeTrajectory reads one Trajectory document.
func DecodeTrajectory(r io.Reader) (Trajectory, error) {
	var tr Trajectory
	dec := json.NewDecoder(r)
	if err := dec.Decode(&tr); err != nil {
		return Trajectory{}, fmt.Errorf("decode trajectory: %w", err)
	}
	if dec.More() {
		return Trajectory{}, errors.New("decode trajectory: more than one JSON value")
	}
	return tr, nil
}

// Run reads a training record (dataset.Record) and a trajectory of a rollout on it, and
// writes the trajectory's Usage to out as indented JSON.
func Run(ctx context.Context, record, trajectory io.Reader, out io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var rec dataset.Record
	dec := json.NewDecoder(record)
	if err := dec.Decode(&rec); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	tr, err := DecodeTrajectory(trajectory)
	if err != nil {
		return err
	}
	u, err := Account(tr, rec.ToolPricing)
	if err != nil {
		return fmt.Errorf("record %s: %w", rec.ID, err)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(u); err != nil {
		return fmt.Errorf("write usage: %w", err)
	}
	return nil
}
