package cost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/dataset"
)

var pricing = map[string]dataset.Pricing{
	"expert-1": {Provider: "openai", InputPerMillion: 1.25, OutputPerMillion: 10, LatencySeconds: 20},
	"search-1": {Provider: "tavily", PerCall: 0.008, LatencySeconds: 1.5},
	"code-1":   {Provider: "sandbox", PerSecond: 0.0001, LatencySeconds: 4},
}

func secs(s float64) *float64 { return &s }

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*max(1, math.Abs(a), math.Abs(b)) }

func TestAccount(t *testing.T) {
	for _, tt := range []struct {
		name          string
		steps         []Step
		cost, latency float64
		calls         map[string]int
	}{
		{"no steps", nil, 0, 0, map[string]int{}},
		{
			"model tokens, measured seconds",
			[]Step{{Alias: "expert-1", InputTokens: 200_000, OutputTokens: 3_000, Seconds: secs(12.5)}},
			0.2*1.25 + 0.003*10, 12.5, map[string]int{"expert-1": 1},
		},
		{
			"per call, latency from pricing",
			[]Step{{Alias: "search-1"}, {Alias: "search-1", Seconds: secs(0)}},
			2 * 0.008, 1.5, map[string]int{"search-1": 2},
		},
		{
			"per second uses the effective seconds",
			[]Step{{Alias: "code-1"}, {Alias: "code-1", Seconds: secs(100)}},
			4*0.0001 + 100*0.0001, 104, map[string]int{"code-1": 2},
		},
		{
			"mixed",
			[]Step{
				{Alias: "search-1", Arguments: json.RawMessage(`{"query":"x"}`)},
				{Alias: "expert-1", InputTokens: 1_000_000, OutputTokens: 1_000_000},
				{Alias: "code-1", Seconds: secs(2)},
			},
			0.008 + 1.25 + 10 + 2*0.0001, 1.5 + 20 + 2, map[string]int{"search-1": 1, "expert-1": 1, "code-1": 1},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Account(Trajectory{Steps: tt.steps}, pricing)
			if err != nil {
				t.Fatal(err)
			}
			if !near(u.Cost, tt.cost) || !near(u.Latency, tt.latency) || fmt.Sprint(u.ToolCalls) != fmt.Sprint(tt.calls) {
				t.Errorf("Account = cost %v latency %v calls %v; want %v %v %v", u.Cost, u.Latency, u.ToolCalls, tt.cost, tt.latency, tt.calls)
			}
			if len(u.Steps) != len(tt.steps) {
				t.Fatalf("Account gave %d steps; want %d", len(u.Steps), len(tt.steps))
			}
			var sum, lat float64
			for i, s := range u.Steps {
				if s.Alias != tt.steps[i].Alias {
					t.Errorf("step %d alias %q; want %q", i, s.Alias, tt.steps[i].Alias)
				}
				sum += s.Cost
				lat += s.Seconds
			}
			if !near(sum, u.Cost) || !near(lat, u.Latency) {
				t.Errorf("steps sum to cost %v latency %v; totals are %v %v", sum, lat, u.Cost, u.Latency)
			}
		})
	}
}

func TestAccountErrors(t *testing.T) {
	for _, tt := range []struct {
		steps []Step
		want  string
	}{
		{[]Step{{Alias: "search-1"}, {Alias: "expert-9"}},
			"steps[1] (expert-9).alias: unknown tool alias (priced: [code-1 expert-1 search-1])"},
		{[]Step{{}}, "steps[0].alias: missing"},
		{[]Step{{Alias: "expert-1", InputTokens: -1}}, "steps[0] (expert-1).input_tokens: must not be negative, got -1"},
		{[]Step{{Alias: "expert-1", OutputTokens: -5}}, "steps[0] (expert-1).output_tokens: must not be negative, got -5"},
		{[]Step{{Alias: "code-1", Seconds: secs(-2)}}, "steps[0] (code-1).seconds: must be a non-negative number, got -2"},
	} {
		_, err := Account(Trajectory{Steps: tt.steps}, pricing)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Account(%+v) error = %v; want %q", tt.steps, err, tt.want)
		}
		var se *StepError
		if !errors.As(err, &se) {
			t.Errorf("Account(%+v) error %T is not a *StepError", tt.steps, err)
		}
	}
	_, err := Account(Trajectory{Steps: []Step{{Alias: "nope"}}}, pricing)
	if !errors.Is(err, ErrUnknownAlias) {
		t.Errorf("Account with an unknown alias = %v; want ErrUnknownAlias", err)
	}
}

func TestRun(t *testing.T) {
	rec, err := json.Marshal(dataset.Record{ID: "bank-0001", Category: dataset.CategoryFuncCall, ToolPricing: pricing})
	if err != nil {
		t.Fatal(err)
	}
	const traj = `{
		"steps": [
			{"alias": "search-1", "arguments": {"query": "overdraft fee"}},
			{"alias": "expert-1", "arguments": {"prompt": "…"}, "input_tokens": 8000, "output_tokens": 500, "seconds": 9}
		],
		"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "done"}],
		"final_answer": "done"
	}`
	var out bytes.Buffer
	if err := Run(context.Background(), bytes.NewReader(rec), strings.NewReader(traj), &out); err != nil {
		t.Fatal(err)
	}
	var u Usage
	if err := json.Unmarshal(out.Bytes(), &u); err != nil {
		t.Fatal(err)
	}
	if want := 0.008 + 0.008*1.25 + 0.0005*10; !near(u.Cost, want) || u.Latency != 10.5 || u.ToolCalls["expert-1"] != 1 {
		t.Errorf("Run printed %s; want cost %v latency 10.5", out.Bytes(), want)
	}

	err = Run(context.Background(), bytes.NewReader(rec), strings.NewReader(`{"steps":[{"alias":"x"}]}`), &out)
	if err == nil || !strings.HasPrefix(err.Error(), "record bank-0001: steps[0] (x).alias: unknown tool alias") {
		t.Errorf("Run with an unknown alias = %v", err)
	}
	err = Run(context.Background(), bytes.NewReader(rec), strings.NewReader(`{"steps":[]} {}`), &out)
	if err == nil || err.Error() != "decode trajectory: more than one JSON value" {
		t.Errorf("Run with two trajectories = %v", err)
	}
}

func TestTrajectoryRoundTrip(t *testing.T) {
	in := `{"steps":[{"alias":"a","arguments":{"k":[1,2]},"input_tokens":3,"output_tokens":4,"seconds":0}],"messages":[{"role":"assistant","content":"x"}],"final_answer":"42"}`
	tr, err := DecodeTrajectory(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Steps[0].Seconds == nil || *tr.Steps[0].Seconds != 0 {
		t.Errorf("seconds 0 decoded as %v; want a measured 0", tr.Steps[0].Seconds)
	}
	out, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("round trip\n got %s\nwant %s", out, in)
	}
}

func BenchmarkAccount(b *testing.B) {
	tr := Trajectory{}
	aliases := []string{"search-1", "expert-1", "code-1"}
	for i := range 30 { // a full episode: 30 turns
		tr.Steps = append(tr.Steps, Step{Alias: aliases[i%3], InputTokens: int64(1000 * i), OutputTokens: 300, Seconds: secs(float64(i))})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Account(tr, pricing); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "trajectories/s")
}
