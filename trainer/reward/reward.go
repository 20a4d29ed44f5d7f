// Package reward computes the rewards and group-relative advantages of GRPO rollouts as
// ToolOrchestra defines them (arXiv 2511.21689, "outcome, efficiency and preference rewards").
//
// For each rollout of a group the features are
//
//	[calls of each tool alias named in the preference (aliases in sorted order)…, outcome, −cost, −latency]
//
// Each feature is min-max normalized over all rollouts of the group (0 where max = min). The
// reward of a rollout is the dot product of its normalized features with the preference weights
// when its outcome is 1, and 0 otherwise; the "accuracy" weight pairs with the outcome feature,
// "cost" with −cost and "latency" with −latency, so cheaper and faster rollouts score higher.
//
// The advantage of a rollout is (R − mean) / (std + 1e-6), clipped to ±3, where mean and the
// sample standard deviation (n − 1 in the denominator) are taken over all rollouts of the group.
// A group with fewer than 2 rollouts, or whose reward standard deviation is at most 0.1, is
// dropped whole. A rollout without a valid answer or with a bad format is dropped, but its
// reward still counts in its group's statistics.
package reward

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
)

// Preference keys that are not tool aliases.
const (
	Accuracy = "accuracy" // weight of the outcome feature
	Cost     = "cost"     // weight of the −cost feature
	Latency  = "latency"  // weight of the −latency feature
)

// Parameters of the filters and of the advantage, as the paper sets them.
const (
	MinGroupSize  = 2    // a smaller group is dropped
	StdThreshold  = 0.1  // a group whose reward std is at most this is dropped
	Epsilon       = 1e-6 // added to the std before dividing
	AdvantageClip = 3.0  // advantages are clipped to ±AdvantageClip
)

// Reasons a rollout is dropped, in the order they are checked: a group-level reason wins
// over a rollout-level one, and an invalid answer over a bad format.
const (
	DropGroupSize     = "group_size"     // the group has fewer than MinGroupSize rollouts
	DropGroupStd      = "group_std"      // the group's reward std is at most StdThreshold
	DropInvalidAnswer = "invalid_answer" // the rollout gave no valid answer
	DropBadFormat     = "bad_format"     // the rollout broke the output format
)

// Input is the document `toolscale train reward` reads.
type Input struct {
	Groups []Group `json:"groups"`
}

// A Group is the rollouts of one prompt under one preference.
type Group struct {
	ID string `json:"id"`
	// Preference maps each tool alias, and Accuracy, Cost and Latency, to a non-negative
	// weight. A missing Accuracy, Cost or Latency weighs 0.
	Preference map[string]float64 `json:"preference"`
	Rollouts   []Rollout          `json:"rollouts"`
}

// A Rollout is what one rollout of a group achieved and spent.
type Rollout struct {
	ID      string `json:"id"`
	Outcome int    `json:"outcome"` // 1 if the task was solved, else 0
	// ToolCalls counts the calls of each tool alias. Aliases the preference does not name are
	// ignored; aliases it names that are missing here count 0.
	ToolCalls   map[string]int `json:"tool_calls"`
	Cost        float64        `json:"cost"`    // dollars
	Latency     float64        `json:"latency"` // seconds
	ValidAnswer bool           `json:"valid_answer"`
	FormatOK    bool           `json:"format_ok"`
}

// Output is the document `toolscale train reward` prints.
type Output struct {
	Groups []GroupResult `json:"groups"`
}

// A GroupResult is the rewards and advantages of one group, in the order of its rollouts.
type GroupResult struct {
	ID        string          `json:"id"`
	Kept      bool            `json:"kept"`
	RewardStd float64         `json:"reward_std"` // sample std (n − 1) of the group's rewards; 0 when n < 2
	Rollouts  []RolloutResult `json:"rollouts"`
}

// A RolloutResult is the reward and advantage of one rollout. Advantage is computed for every
// rollout, kept or not; a trainer uses only the kept ones.
type RolloutResult struct {
	ID         string  `json:"id"`
	Reward     float64 `json:"reward"`
	Advantage  float64 `json:"advantage"`
	Kept       bool    `json:"kept"`
	DropReason string  `json:"drop_reason"` // empty when kept
}

// Aliases returns the tool aliases a preference names, sorted: the order of the tool-call
// features.
func Aliases(pref map[string]float64) []string {
	aliases := make([]string, 0, len(pref))
	for k := range pref {
		if k != Accuracy && k != Cost && k != Latency {
			aliases = append(aliases, k)
		}
	}
	slices.Sort(aliases)
	return aliases
}

// Compute returns the rewards and advantages of one group. It returns an *InputError (with
// Group set to -1) when the group is not valid.
func Compute(g Group) (GroupResult, error) {
	if err := validateGroup(g); err != nil {
		return GroupResult{}, err
	}
	aliases := Aliases(g.Preference)
	nf := len(aliases) + 3
	weights := make([]float64, nf)
	for j, a := range aliases {
		weights[j] = g.Preference[a]
	}
	weights[nf-3] = g.Preference[Accuracy]
	weights[nf-2] = g.Preference[Cost]
	weights[nf-1] = g.Preference[Latency]

	n := len(g.Rollouts)
	feats := make([]float64, n*nf)
	for i, r := range g.Rollouts {
		row := feats[i*nf : (i+1)*nf]
		for j, a := range aliases {
			row[j] = float64(r.ToolCalls[a])
		}
		row[nf-3] = float64(r.Outcome)
		row[nf-2] = -r.Cost
		row[nf-1] = -r.Latency
	}
	for j := range nf {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range n {
			x := feats[i*nf+j]
			lo, hi = min(lo, x), max(hi, x)
		}
		for i := range n {
			if hi > lo {
				feats[i*nf+j] = (feats[i*nf+j] - lo) / (hi - lo)
			} else {
				feats[i*nf+j] = 0
			}
		}
	}

	res := GroupResult{ID: g.ID, Rollouts: make([]RolloutResult, n)}
	var sum float64
	for i, r := range g.Rollouts {
		var rew float64
		if r.Outcome == 1 {
			for j, w := range weights {
				rew += w * feats[i*nf+j]
			}
		}
		res.Rollouts[i] = RolloutResult{ID: r.ID, Reward: rew}
		sum += rew
	}
	var mean, std float64
	if n > 0 {
		mean = sum / float64(n)
	}
	if n > 1 {
		var ss float64
		for _, rr := range res.Rollouts {
			d := rr.Reward - mean
			ss += d * d
		}
		std = math.Sqrt(ss / float64(n-1))
	}
	res.RewardStd = std

	groupReason := ""
	switch {
	case n < MinGroupSize:
		groupReason = DropGroupSize
	case std <= StdThreshold:
		groupReason = DropGroupStd
	}
	res.Kept = groupReason == ""
	for i, r := range g.Rollouts {
		rr := &res.Rollouts[i]
		rr.Advantage = max(-AdvantageClip, min(AdvantageClip, (rr.Reward-mean)/(std+Epsilon)))
		switch {
		case groupReason != "":
			rr.DropReason = groupReason
		case !r.ValidAnswer:
			rr.DropReason = DropInvalidAnswer
		case !r.FormatOK:
			rr.DropReason = DropBadFormat
		default:
			rr.Kept = true
		}
	}
	return res, nil
}

// ComputeAll computes every group of in, in order. Group ids must be unique. An invalid group
// gives an *InputError naming its index.
func ComputeAll(ctx context.Context, in Input) (Output, error) {
	out := Output{Groups: make([]GroupResult, 0, len(in.Groups))}
	seen := make(map[string]int, len(in.Groups))
	for i, g := range in.Groups {
		if err := ctx.Err(); err != nil {
			return Output{}, err
		}
		if prev, dup := seen[g.ID]; dup && g.ID != "" {
			return Output{}, &InputError{Group: i, Rollout: -1, Field: "id",
				Err: fmt.Errorf("%w %q (also groups[%d])", ErrDuplicateID, g.ID, prev)}
		}
		seen[g.ID] = i
		res, err := Compute(g)
		if err != nil {
			return Output{}, atGroup(err, i)
		}
		out.Groups = append(out.Groups, res)
	}
	return out, nil
}

// Run reads an Input document from in, computes it and writes the Output document to out as
// indented JSON. It is `toolscale train reward`.
func Run(ctx context.Context, in io.Reader, out io.Writer) error {
	input, err := Decode(in)
	if err != nil {
		return err
	}
	res, err := ComputeAll(ctx, input)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return fmt.Errorf("write rewards: %w", err)
	}
	return nil
}
