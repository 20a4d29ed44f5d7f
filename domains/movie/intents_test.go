package movie

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
	"github.com/toolscale/toolscale/pipelines/synth"
)

// synthRun is what synthesizing a range of task indexes on one database gave.
type synthRun struct {
	verified  []*task.Task
	rejected  map[string]int // by reason
	details   []string       // the first rejections that point at a template bug
	byIntent  map[string]int // verified tasks by the template of their first step
	triedBy   map[string]int
	writeUsed map[string]bool
	// duplicates counts tasks that repeat an earlier one.
	duplicates int
}

func synthesizeRange(t *testing.T, db domains.DB, seed int64, from, to int) *synthRun {
	t.Helper()
	opt := synth.Options{Seed: seed, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	run := &synthRun{rejected: map[string]int{}, byIntent: map[string]int{}, triedBy: map[string]int{}, writeUsed: map[string]bool{}}
	seen := map[string]string{}
	for i := from; i < to; i++ {
		id := fmt.Sprintf("movie_%d_%d", seed, i)
		base := Domain.Intents[i%len(Domain.Intents)].Name
		run.triedBy[base]++
		tk, rej := synth.Synthesize(Domain, db, synth.DBFile(0), id, int64(i), opt)
		if rej != nil {
			run.rejected[rej.Reason]++
			if rej.Reason != synth.ReasonNoCandidate && len(run.details) < 10 {
				run.details = append(run.details, fmt.Sprintf("task %d (%s): %v", i, base, rej))
			}
			continue
		}
		key := synth.DedupKey(tk)
		// The pipeline's dedup stage drops repeats; templates must keep them rare.
		if other, dup := seen[key]; dup {
			run.duplicates++
			if run.duplicates > 2 {
				t.Errorf("tasks %s and %s share their instructions and actions (%d repeats)", other, id, run.duplicates)
			}
		}
		seen[key] = id
		if got := strings.Split(tk.Toolscale.Intent, "+")[0]; got != base {
			t.Errorf("task %s: intent %q; want it to start with %q", id, tk.Toolscale.Intent, base)
		}
		run.verified = append(run.verified, tk)
		run.byIntent[base]++
		for _, a := range tk.EvaluationCriteria.Actions {
			if tool := Domain.Tool(a.Name); tool != nil && tool.Kind == domains.Write {
				run.writeUsed[a.Name] = true
			}
		}
	}
	return run
}

func TestIntentsGenerated(t *testing.T) {
	if len(Domain.Intents) < 12 {
		t.Fatalf("%d intent templates; want at least 12", len(Domain.Intents))
	}
	const n = 200
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			db, err := Generate(domains.Rand(seed, Domain.Name, 0, "db"), 1)
			if err != nil {
				t.Fatal(err)
			}
			before, err := domains.Hash(db)
			if err != nil {
				t.Fatal(err)
			}
			run := synthesizeRange(t, db, seed, 0, n)
			if after, _ := domains.Hash(db); after != before {
				t.Fatal("synthesizing tasks changed the environment itself")
			}
			for _, d := range run.details {
				t.Error(d)
			}
			if len(run.verified) < n*9/10 {
				t.Errorf("%d of %d tasks verified; want at least 90%% (rejected: %v)", len(run.verified), n, run.rejected)
			}
			for _, in := range Domain.Intents {
				if run.byIntent[in.Name] == 0 {
					t.Errorf("template %s: none of %d tasks verified", in.Name, run.triedBy[in.Name])
				}
			}
			for _, tool := range Domain.Tools {
				if tool.Kind == domains.Write && !run.writeUsed[tool.Name] {
					t.Errorf("write tool %s is in no verified task", tool.Name)
				}
			}
			checkTexts(t, run.verified)
			t.Logf("%d of %d verified; rejected %v; verified by template %v", len(run.verified), n, run.rejected, run.byIntent)
		})
	}
}

// checkTexts checks what every verified task must have: a persona and instructions, the
// assertions, and communicated facts that are not empty.
func checkTexts(t *testing.T, tasks []*task.Task) {
	t.Helper()
	for _, tk := range tasks {
		in := tk.UserScenario.Instructions
		for name, s := range map[string]string{"persona": tk.UserScenario.Persona, "reason_for_call": in.ReasonForCall,
			"known_info": in.KnownInfo, "task_instructions": in.TaskInstructions, "purpose": tk.Description.Purpose} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("task %s (%s): empty %s", tk.ID, tk.Toolscale.Intent, name)
			}
		}
		if len(tk.EvaluationCriteria.NLAssertions) == 0 {
			t.Errorf("task %s (%s): no nl_assertions", tk.ID, tk.Toolscale.Intent)
		}
		for _, c := range tk.EvaluationCriteria.CommunicateInfo {
			if strings.TrimSpace(c) == "" {
				t.Errorf("task %s (%s): empty communicate_info item", tk.ID, tk.Toolscale.Intent)
			}
		}
	}
}

// TestIntentsCommunicateToolOutput replays every verified task and checks that each fact to
// communicate appears in a tool's output.
func TestIntentsCommunicateToolOutput(t *testing.T) {
	db, err := Generate(domains.Rand(7, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	run := synthesizeRange(t, db, 7, 0, 2*len(Domain.Intents))
	for _, tk := range run.verified {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		var out strings.Builder
		for _, a := range tk.EvaluationCriteria.Actions {
			res := env.Call(a.Name, a.Arguments)
			out.WriteString(res.Content)
			out.WriteByte('\n')
		}
		for _, c := range tk.EvaluationCriteria.CommunicateInfo {
			if strings.Contains(strings.ToLower(out.String()), strings.ToLower(c)) {
				continue
			}
			t.Errorf("task %s (%s): %q to communicate is in no tool output", tk.ID, tk.Toolscale.Intent, c)
		}
	}
}

func TestIntentsDeterministic(t *testing.T) {
	db, err := Generate(domains.Rand(5, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	opt := synth.Options{Seed: 5, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	for i := range int64(3 * len(Domain.Intents)) {
		a, ra := synth.Synthesize(Domain, db, synth.DBFile(0), "x", i, opt)
		b, rb := synth.Synthesize(Domain, db, synth.DBFile(0), "x", i, opt)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) || fmt.Sprint(ra) != fmt.Sprint(rb) {
			t.Fatalf("task %d differs between two runs:\n%s\n%s", i, ja, jb)
		}
	}
}

// TestIntentsReference drafts tasks on the reference database: templates whose records the
// reference data holds must verify there too.
func TestIntentsReference(t *testing.T) {
	db := domaintest.LoadReference(t, Domain)
	run := synthesizeRange(t, db, 11, 0, 4*len(Domain.Intents))
	for _, d := range run.details {
		t.Error(d)
	}
	var none []string
	for _, in := range Domain.Intents {
		if run.byIntent[in.Name] == 0 {
			none = append(none, in.Name)
		}
	}
	t.Logf("reference: %d of %d verified; rejected %v; templates without a fitting record: %v",
		len(run.verified), 4*len(Domain.Intents), run.rejected, none)
	// Every show of the reference is scheduled, so the templates that need a canceled or
	// completed show find nothing there; every other template must.
	needPatch := []string{"cancel_canceled_show_compensation", "completed_show_transfer"}
	for _, name := range none {
		if !slices.Contains(needPatch, name) {
			t.Errorf("template %s: no verified task on the reference database", name)
		}
	}
	checkTexts(t, run.verified)
}

func BenchmarkSynthesize(b *testing.B) {
	db, err := Generate(domains.Rand(1, Domain.Name, 0, "db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	opt := synth.Options{Seed: 1, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	b.ReportAllocs()
	var i, ok int64
	for b.Loop() {
		if _, rej := synth.Synthesize(Domain, db, synth.DBFile(0), "x", i, opt); rej == nil {
			ok++
		}
		i++
	}
	b.ReportMetric(float64(ok)/b.Elapsed().Seconds(), "verified/s")
}
