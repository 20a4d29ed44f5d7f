package reward

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
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

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b)) }

func ok(id string, outcome int, cost, latency float64, calls map[string]int) Rollout {
	return Rollout{ID: id, Outcome: outcome, ToolCalls: calls, Cost: cost, Latency: latency, ValidAnswer: true, FormatOK: true}
}

// adv is the advantage formula, written out for the table below.
func adv(r, mean, std float64) float64 { return max(-3, min(3, (r-mean)/(std+1e-6))) }

func TestCompute(t *testing.T) {
	sqrt3 := math.Sqrt(1.0 / 3)
	type want struct {
		reward, advantage float64
		reason            string
	}
	for _, tt := range []struct {
		name string
		in   Group
		kept bool
		std  float64
		want []want
	}{
		{
			name: "outcome only",
			in: Group{ID: "g", Preference: map[string]float64{"accuracy": 1}, Rollouts: []Rollout{
				ok("a", 1, 0, 0, nil), ok("b", 0, 0, 0, nil), ok("c", 1, 0, 0, nil), ok("d", 0, 0, 0, nil)}},
			kept: true, std: sqrt3,
			want: []want{{1, adv(1, .5, sqrt3), ""}, {0, adv(0, .5, sqrt3), ""}, {1, adv(1, .5, sqrt3), ""}, {0, adv(0, .5, sqrt3), ""}},
		},
		{
			// -cost = [-1, -3, 0] normalizes to [2/3, 0, 1]; the cheapest rollout failed, so it gets 0.
			name: "cost is a penalty and the outcome gates the reward",
			in: Group{ID: "g", Preference: map[string]float64{"accuracy": .5, "cost": .5}, Rollouts: []Rollout{
				ok("a", 1, 1, 0, nil), ok("b", 1, 3, 0, nil), ok("c", 0, 0, 0, nil)}},
			kept: true, std: stddev(.5+.5*2/3., .5, 0),
			want: []want{
				{.5 + .5*2/3., adv(.5+.5*2/3., (1+1/3.)/3, stddev(.5+.5*2/3., .5, 0)), ""},
				{.5, adv(.5, (1+1/3.)/3, stddev(.5+.5*2/3., .5, 0)), ""},
				{0, adv(0, (1+1/3.)/3, stddev(.5+.5*2/3., .5, 0)), ""},
			},
		},
		{
			// Latency like cost: faster scores higher. All succeed, so the outcome feature is flat.
			name: "latency",
			in: Group{ID: "g", Preference: map[string]float64{"accuracy": 1, "latency": 1}, Rollouts: []Rollout{
				ok("a", 1, 0, 10, nil), ok("b", 1, 0, 20, nil), ok("c", 1, 0, 30, nil)}},
			kept: true, std: .5,
			want: []want{{1, adv(1, .5, .5), ""}, {.5, 0, ""}, {0, adv(0, .5, .5), ""}},
		},
		{
			// search-1 calls [2, 0, 1] normalize to [1, 0, .5]; "other" is not in the preference.
			name: "tool alias features, a missing alias counts 0",
			in: Group{ID: "g", Preference: map[string]float64{"search-1": 1, "accuracy": 0}, Rollouts: []Rollout{
				ok("a", 1, 0, 0, map[string]int{"search-1": 2}),
				ok("b", 1, 0, 0, nil),
				ok("c", 1, 0, 0, map[string]int{"search-1": 1, "other": 5})}},
			kept: true, std: .5,
			want: []want{{1, adv(1, .5, .5), ""}, {0, adv(0, .5, .5), ""}, {.5, 0, ""}},
		},
		{
			name: "one rollout",
			in:   Group{ID: "g", Preference: map[string]float64{"accuracy": 1}, Rollouts: []Rollout{ok("a", 1, 1, 1, nil)}},
			want: []want{{0, 0, DropGroupSize}},
		},
		{
			name: "no rollouts",
			in:   Group{ID: "g", Preference: map[string]float64{"accuracy": 1}, Rollouts: []Rollout{}},
			want: []want{},
		},
		{
			name: "all equal",
			in: Group{ID: "g", Preference: map[string]float64{"accuracy": 1, "cost": 1, "x": 1}, Rollouts: []Rollout{
				ok("a", 1, 2, 3, map[string]int{"x": 1}), ok("b", 1, 2, 3, map[string]int{"x": 1})}},
			want: []want{{0, 0, DropGroupStd}, {0, 0, DropGroupStd}},
		},
		{
			name: "all failed",
			in: Group{ID: "g", Preference: map[string]float64{"accuracy": 1, "cost": 1}, Rollouts: []Rollout{
				ok("a", 0, 1, 0, nil), ok("b", 0, 2, 0, nil), ok("c", 0, 3, 0, nil)}},
			want: []want{{0, 0, DropGroupStd}, {0, 0, DropGroupStd}, {0, 0, DropGroupStd}},
		},
		{
			// rewards [.1, 0]: std = .1/sqrt(2) ≤ 0.1
			name: "small std",
			in: Group{ID: "g", Preference: map[string]float64{"accuracy": .1}, Rollouts: []Rollout{
				ok("a", 1, 0, 0, nil), ok("b", 0, 0, 0, nil)}},
			std:  .1 / math.Sqrt2,
			want: []want{{.1, adv(.1, .05, .1/math.Sqrt2), DropGroupStd}, {0, adv(0, .05, .1/math.Sqrt2), DropGroupStd}},
		},
		{
			// Dropped rollouts still count: the stats are those of [1, 0, 1, 0].
			name: "invalid answer and bad format",
			in: Group{ID: "g", Preference: map[string]float64{"accuracy": 1}, Rollouts: []Rollout{
				{ID: "a", Outcome: 1, ValidAnswer: false, FormatOK: false},
				{ID: "b", Outcome: 0, ValidAnswer: true, FormatOK: false},
				ok("c", 1, 0, 0, nil), ok("d", 0, 0, 0, nil)}},
			kept: true, std: sqrt3,
			want: []want{{1, adv(1, .5, sqrt3), DropInvalidAnswer}, {0, adv(0, .5, sqrt3), DropBadFormat}, {1, adv(1, .5, sqrt3), ""}, {0, adv(0, .5, sqrt3), ""}},
		},
		{
			// One success among 20: (1 − .05) / sqrt(.05) ≈ 4.25 is clipped to 3.
			name: "clipped",
			in: Group{ID: "g", Preference: map[string]float64{"accuracy": 1}, Rollouts: append([]Rollout{ok("win", 1, 0, 0, nil)},
				func() (rs []Rollout) {
					for i := range 19 {
						rs = append(rs, ok(fmt.Sprint(i), 0, 0, 0, nil))
					}
					return rs
				}()...)},
			kept: true, std: math.Sqrt(.05),
			want: append([]want{{1, 3, ""}}, func() (ws []want) {
				for range 19 {
					ws = append(ws, want{0, -.05 / (math.Sqrt(.05) + 1e-6), ""})
				}
				return ws
			}()...),
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Compute(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.in.ID || got.Kept != tt.kept || !near(got.RewardStd, tt.std) {
				t.Errorf("Compute = {id %q kept %v std %v}; want {id %q kept %v std %v}", got.ID, got.Kept, got.RewardStd, tt.in.ID, tt.kept, tt.std)
			}
			if len(got.Rollouts) != len(tt.want) {
				t.Fatalf("Compute gave %d rollouts; want %d", len(got.Rollouts), len(tt.want))
			}
			for i, w := range tt.want {
				r := got.Rollouts[i]
				if r.ID != tt.in.Rollouts[i].ID || !near(r.Reward, w.reward) || !near(r.Advantage, w.advantage) ||
					r.DropReason != w.reason || r.Kept != (w.reason == "") {
					t.Errorf("rollout %d = %+v; want reward %v advantage %v reason %q", i, r, w.reward, w.advantage, w.reason)
				}
			}
		})
	}
}

func stddev(xs ...float64) float64 {
	var m float64
	for _, x := range xs {
		m += x / float64(len(xs))
	}
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

func TestComputeRejects(t *testing.T) {
	good := func() Group {
		return Group{ID: "g", Preference: map[string]float64{"accuracy": 1}, Rollouts: []Rollout{ok("a", 1, 0, 0, nil), ok("b", 0, 0, 0, nil)}}
	}
	for _, tt := range []struct {
		edit func(*Group)
		want string
		is   error
	}{
		{func(g *Group) { g.ID = "" }, "id: missing", ErrMissing},
		{func(g *Group) { g.Rollouts[1].ID = "" }, "rollouts[1].id: missing", ErrMissing},
		{func(g *Group) { g.Rollouts[1].ID = "a" }, `rollouts[1].id: duplicate id "a" (also rollouts[0])`, ErrDuplicateID},
		{func(g *Group) { g.Rollouts[0].Outcome = 2 }, "rollouts[0].outcome: unknown outcome value 2, want 0 or 1", ErrOutcome},
		{func(g *Group) { g.Rollouts[1].Cost = -0.5 }, "rollouts[1].cost: must not be negative, got -0.5", ErrNegative},
		{func(g *Group) { g.Rollouts[1].Latency = math.Inf(1) }, "rollouts[1].latency: must be a finite number, got +Inf", ErrNotFinite},
		{func(g *Group) { g.Rollouts[0].ToolCalls = map[string]int{"s": -1} }, "rollouts[0].tool_calls.s: tool call count must be a non-negative integer, got -1", ErrCount},
		{func(g *Group) { g.Preference["cost"] = -1 }, "preference.cost: must not be negative, got -1", ErrNegative},
		{func(g *Group) { g.Preference["s"] = math.NaN() }, "preference.s: must be a finite number, got NaN", ErrNotFinite},
	} {
		g := good()
		tt.edit(&g)
		_, err := Compute(g)
		if err == nil || err.Error() != tt.want || !errors.Is(err, tt.is) {
			t.Errorf("Compute(%+v) error = %v; want %q", g, err, tt.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	const r = `{"id":"r","outcome":1,"cost":0,"latency":0,"valid_answer":true,"format_ok":true}`
	group := func(rollouts ...string) string {
		return `{"id":"g","preference":{"accuracy":1},"rollouts":[` + strings.Join(rollouts, ",") + `]}`
	}
	doc := func(groups ...string) string { return `{"groups":[` + strings.Join(groups, ",") + `]}` }
	drop := func(field string) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(r), &m); err != nil {
			panic(err)
		}
		delete(m, field)
		b, _ := json.Marshal(m)
		return string(b)
	}
	set := func(field, value string) string { // the last duplicate key wins
		return strings.TrimSuffix(r, "}") + `,"` + field + `":` + value + "}"
	}
	for _, tt := range []struct{ in, want string }{
		{``, "decode reward input: want a JSON object, got nothing"},
		{`{"groups":[}`, "decode reward input at byte 12: invalid character '}' looking for beginning of value"},
		{`{}`, "groups: missing"},
		{`{"groups":{}}`, "decode reward input: got JSON object, want an array"},
		{doc(group(r), `{"preference":{},"rollouts":[]}`), "groups[1].id: missing"},
		{doc(`{"id":"g","rollouts":[]}`), "groups[0].preference: missing"},
		{doc(`{"id":"g","preference":{}}`), "groups[0].rollouts: missing"},
		{doc(`{"id":"g","preference":{"accuracy":"high"},"rollouts":[]}`), `groups[0].preference.accuracy: got JSON "high", want a number`},
		{doc(`{"id":"g","preference":{"accuracy":-1},"rollouts":[]}`), "groups[0].preference.accuracy: must not be negative, got -1"},
		{doc(group(r, drop("id"))), "groups[0].rollouts[1].id: missing"},
		{doc(group(drop("outcome"))), "groups[0].rollouts[0].outcome: missing"},
		{doc(group(drop("cost"))), "groups[0].rollouts[0].cost: missing"},
		{doc(group(drop("latency"))), "groups[0].rollouts[0].latency: missing"},
		{doc(group(drop("valid_answer"))), "groups[0].rollouts[0].valid_answer: missing"},
		{doc(group(drop("format_ok"))), "groups[0].rollouts[0].format_ok: missing"},
		{doc(group(set("outcome", "0.5"))), "groups[0].rollouts[0].outcome: unknown outcome value 0.5, want 0 or 1"},
		{doc(group(set("outcome", `"yes"`))), `groups[0].rollouts[0].outcome: unknown outcome value "yes", want 0 or 1`},
		{doc(group(set("outcome", "true"))), `groups[0].rollouts[0].outcome: unknown outcome value true, want 0 or 1`},
		{doc(group(set("cost", "-1"))), "groups[0].rollouts[0].cost: must not be negative, got -1"},
		{doc(group(set("cost", `"1"`))), "groups[0].rollouts[0].cost: got JSON string, want a number"},
		{doc(group(set("latency", "-2.5"))), "groups[0].rollouts[0].latency: must not be negative, got -2.5"},
		{doc(group(set("valid_answer", "1"))), "groups[0].rollouts[0].valid_answer: got JSON number, want true or false"},
		{doc(group(set("tool_calls", `{"s":1.5}`))), "groups[0].rollouts[0].tool_calls.s: tool call count must be a non-negative integer, got 1.5"},
		{doc(group(set("tool_calls", `{"s":-1}`))), "groups[0].rollouts[0].tool_calls.s: tool call count must be a non-negative integer, got -1"},
		{doc(group(r, r)), `groups[0].rollouts[1].id: duplicate id "r" (also rollouts[0])`},
		{doc(group(r), group(r)), `groups[1].id: duplicate id "g" (also groups[0])`},
		{doc(group(r), `[]`), "groups[1]: got JSON array, want an object"},
	} {
		err := Run(context.Background(), strings.NewReader(tt.in), new(bytes.Buffer))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Run(%s) error = %v; want %q", tt.in, err, tt.want)
		}
	}
}

func TestRunGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "groups.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Run(context.Background(), bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	golden(t, "groups", out.Bytes())
}

func TestRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := `{"groups":[{"id":"g","preference":{},"rollouts":[]}]}`
	if err := Run(ctx, strings.NewReader(in), new(bytes.Buffer)); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a canceled context = %v; want context.Canceled", err)
	}
}

// refCompute is an independent reading of the paper's equations, on the JSON as decoded into
// generic values, feature by feature.
func refCompute(group map[string]any) map[string]any {
	pref := group["preference"].(map[string]any)
	rollouts := group["rollouts"].([]any)
	n := len(rollouts)
	num := func(v any) float64 {
		if v == nil {
			return 0
		}
		return v.(float64)
	}

	var tools []string
	for k := range pref {
		if k != "accuracy" && k != "cost" && k != "latency" {
			tools = append(tools, k)
		}
	}
	sort.Strings(tools)
	type feature struct {
		weight float64
		value  func(r map[string]any) float64
	}
	var features []feature
	for _, tool := range tools {
		features = append(features, feature{num(pref[tool]), func(r map[string]any) float64 {
			calls, _ := r["tool_calls"].(map[string]any)
			return num(calls[tool])
		}})
	}
	features = append(features,
		feature{num(pref["accuracy"]), func(r map[string]any) float64 { return r["outcome"].(float64) }},
		feature{num(pref["cost"]), func(r map[string]any) float64 { return -r["cost"].(float64) }},
		feature{num(pref["latency"]), func(r map[string]any) float64 { return -r["latency"].(float64) }},
	)

	rewards := make([]float64, n)
	for i, ri := range rollouts {
		r := ri.(map[string]any)
		if r["outcome"].(float64) != 1 {
			continue
		}
		for _, f := range features {
			values := make([]float64, n)
			for k, rk := range rollouts {
				values[k] = f.value(rk.(map[string]any))
			}
			lo, hi := values[0], values[0]
			for _, v := range values {
				lo = math.Min(lo, v)
				hi = math.Max(hi, v)
			}
			normalized := 0.0
			if hi != lo {
				normalized = (f.value(r) - lo) / (hi - lo)
			}
			rewards[i] += f.weight * normalized
		}
	}

	mean, std := 0.0, 0.0
	for _, x := range rewards {
		mean += x
	}
	if n > 0 {
		mean /= float64(n)
	}
	if n >= 2 {
		for _, x := range rewards {
			std += (x - mean) * (x - mean)
		}
		std = math.Sqrt(std / float64(n-1))
	}
	groupReason := ""
	if n < 2 {
		groupReason = "group_size"
	} else if std <= 0.1 {
		groupReason = "group_std"
	}

	outRollouts := []any{}
	for i, ri := range rollouts {
		r := ri.(map[string]any)
		a := (rewards[i] - mean) / (std + 1e-6)
		if a > 3 {
			a = 3
		}
		if a < -3 {
			a = -3
		}
		reason := groupReason
		if reason == "" && !r["valid_answer"].(bool) {
			reason = "invalid_answer"
		}
		if reason == "" && !r["format_ok"].(bool) {
			reason = "bad_format"
		}
		outRollouts = append(outRollouts, map[string]any{
			"id": r["id"], "reward": rewards[i], "advantage": a, "kept": reason == "", "drop_reason": reason,
		})
	}
	return map[string]any{"id": group["id"], "kept": groupReason == "", "reward_std": std, "rollouts": outRollouts}
}

// randomGroups makes groups of every shape, with ties, missing aliases and the edge cases.
func randomGroups(rng *rand.Rand, count int) []Group {
	pool := []string{"code-1", "expert-1", "expert-2", "search-1", "math-1"}
	values := func(k int, scale float64) []float64 { // few distinct values make ties
		vs := make([]float64, k)
		for i := range vs {
			vs[i] = math.Round(rng.Float64()*scale*1000) / 1000
		}
		return vs
	}
	var groups []Group
	for gi := range count {
		g := Group{ID: fmt.Sprintf("g%d", gi), Preference: map[string]float64{}}
		for _, a := range pool {
			if rng.IntN(2) == 0 {
				g.Preference[a] = float64(rng.IntN(3)) / 2
			}
		}
		for _, k := range []string{"accuracy", "cost", "latency"} {
			if rng.IntN(5) > 0 {
				g.Preference[k] = rng.Float64()
			}
		}
		n := []int{1, 2, 3, 8, 8, 8, 16, 20}[rng.IntN(8)]
		costs, lats := values(1+rng.IntN(4), 0.05), values(1+rng.IntN(4), 30)
		pSuccess := []float64{0, 0.1, 0.5, 0.9, 1}[rng.IntN(5)]
		shape := rng.IntN(10)
		for ri := range n {
			r := Rollout{
				ID: fmt.Sprintf("g%d-r%d", gi, ri), Cost: costs[rng.IntN(len(costs))], Latency: lats[rng.IntN(len(lats))],
				ValidAnswer: rng.IntN(10) > 0, FormatOK: rng.IntN(10) > 0,
			}
			if rng.Float64() < pSuccess {
				r.Outcome = 1
			}
			if shape > 0 { // shape 0: no tool_calls at all, every alias missing
				r.ToolCalls = map[string]int{}
				for _, a := range pool {
					if rng.IntN(3) > 0 {
						r.ToolCalls[a] = rng.IntN(4)
					}
				}
				r.ToolCalls["unlisted"] = rng.IntN(9)
			}
			if shape == 1 && ri > 0 { // all equal
				first := g.Rollouts[0]
				first.ID = r.ID
				r = first
			}
			g.Rollouts = append(g.Rollouts, r)
		}
		groups = append(groups, g)
	}
	return groups
}

func TestComputeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	groups := randomGroups(rng, 2000)
	in, err := json.Marshal(Input{Groups: groups})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Run(context.Background(), bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	var got, doc struct{ Groups []map[string]any }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(in, &doc); err != nil {
		t.Fatal(err)
	}
	if len(got.Groups) != len(doc.Groups) {
		t.Fatalf("got %d groups; want %d", len(got.Groups), len(doc.Groups))
	}
	counts := map[string]int{}
	for i, g := range doc.Groups {
		want := refCompute(g)
		if diff := compareResult(got.Groups[i], want); diff != "" {
			t.Errorf("group %d: %s\ninput: %v", i, diff, g)
		}
		for _, r := range want["rollouts"].([]any) {
			counts[r.(map[string]any)["drop_reason"].(string)]++
		}
		if math.Abs(want["rollouts"].([]any)[0].(map[string]any)["advantage"].(float64)) == 3 {
			counts["clipped"]++
		}
	}
	// The random groups must reach every branch, or the comparison proves little.
	for _, k := range []string{"", DropGroupSize, DropGroupStd, DropInvalidAnswer, DropBadFormat, "clipped"} {
		if counts[k] == 0 {
			t.Errorf("no rollout with outcome %q among the random groups", k)
		}
	}
}

func compareResult(got, want map[string]any) string {
	if got["id"] != want["id"] || got["kept"] != want["kept"] || !near(got["reward_std"].(float64), want["reward_std"].(float64)) {
		return fmt.Sprintf("got {id %v kept %v std %v}; want {id %v kept %v std %v}",
			got["id"], got["kept"], got["reward_std"], want["id"], want["kept"], want["reward_std"])
	}
	gr, wr := got["rollouts"].([]any), want["rollouts"].([]any)
	if len(gr) != len(wr) {
		return fmt.Sprintf("got %d rollouts; want %d", len(gr), len(wr))
	}
	for i := range gr {
		g, w := gr[i].(map[string]any), wr[i].(map[string]any)
		if g["id"] != w["id"] || g["kept"] != w["kept"] || g["drop_reason"] != w["drop_reason"] ||
			!near(g["reward"].(float64), w["reward"].(float64)) || !near(g["advantage"].(float64), w["advantage"].(float64)) {
			return fmt.Sprintf("rollout %d = %v; want %v", i, g, w)
		}
	}
	return ""
}

func BenchmarkCompute(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var groups []Group
	for _, g := range randomGroups(rng, 400) {
		if len(g.Rollouts) == 8 {
			groups = append(groups, g)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, g := range groups {
			if _, err := Compute(g); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(groups))/b.Elapsed().Seconds(), "groups/s")
}

func BenchmarkRun(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	in, err := json.Marshal(Input{Groups: randomGroups(rng, 1000)})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Run(context.Background(), bytes.NewReader(in), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "groups/s")
}
