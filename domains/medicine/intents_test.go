package medicine

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
	"github.com/toolscale/toolscale/pipelines/synth"
)

// intentRun is what synthesizing a range of task indexes on one database gave.
type intentRun struct {
	verified []*task.Task
	rejected map[string]int // reason → count
	byIntent map[string]int // base intent → verified tasks
	// duplicates counts tasks that repeat an earlier one.
	duplicates int
}

// synthesizeRange synthesizes tasks 0..n-1 on db and checks what every verified task
// must satisfy: its golden actions replay on a fresh copy, the strings to communicate
// appear in the tools' outputs, and it repeats no other task but rarely.
func synthesizeRange(t *testing.T, db domains.DB, seed int64, n int) intentRun {
	t.Helper()
	opt := synth.Options{Seed: seed, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	run := intentRun{rejected: map[string]int{}, byIntent: map[string]int{}}
	seen := map[string]string{}
	for i := range n {
		id := fmt.Sprintf("medicine_%d_%d", seed, i)
		tk, rej := synth.Synthesize(Domain, db, "db.json", id, int64(i), opt)
		if rej != nil {
			run.rejected[rej.Reason]++
			if rej.Reason != synth.ReasonNoCandidate {
				t.Errorf("task %s rejected: %v", id, rej)
			}
			continue
		}
		run.verified = append(run.verified, tk)
		run.byIntent[strings.Split(tk.Toolscale.Intent, "+")[0]]++
		key := synth.DedupKey(tk)
		// The pipeline's dedup stage drops repeats; templates must keep them rare.
		if other, dup := seen[key]; dup {
			run.duplicates++
			if run.duplicates > 2 {
				t.Errorf("tasks %s and %s share instructions and actions (%d repeats)", other, id, run.duplicates)
			}
		}
		seen[key] = id
		checkCommunicated(t, db, tk)
	}
	return run
}

// checkCommunicated replays a task's golden actions and checks that each string to be
// communicated occurs in a tool's output (or is the policy's hand-off message).
func checkCommunicated(t *testing.T, db domains.DB, tk *task.Task) {
	t.Helper()
	env := domains.NewEnv(Domain, db, domains.DefaultNow)
	var out strings.Builder
	for i, a := range tk.EvaluationCriteria.Actions {
		res := env.Call(a.Name, a.Arguments)
		if !res.OK() {
			t.Errorf("task %s: action %d %s: %v", tk.ID, i, a.Name, res.Err)
			return
		}
		out.WriteString(strings.ToLower(res.Content))
		out.WriteByte('\n')
	}
	for _, s := range tk.EvaluationCriteria.CommunicateInfo {
		if s == transferMessage {
			continue
		}
		if s == "" || !strings.Contains(out.String(), strings.ToLower(s)) {
			t.Errorf("task %s (%s): communicate_info %q appears in no tool output", tk.ID, tk.Toolscale.Intent, s)
		}
	}
}

// checkCoverage checks that every template has verified tasks and every WRITE tool is
// used by one.
func checkCoverage(t *testing.T, run intentRun) {
	t.Helper()
	for _, in := range Domain.Intents {
		if run.byIntent[in.Name] == 0 {
			t.Errorf("intent %s has no verified task", in.Name)
		}
	}
	used := map[string]bool{}
	for _, tk := range run.verified {
		for _, a := range tk.EvaluationCriteria.Actions {
			used[a.Name] = true
		}
	}
	for _, tool := range Domain.Tools {
		if tool.Kind == domains.Write && !used[tool.Name] {
			t.Errorf("WRITE tool %s appears in no verified task", tool.Name)
		}
	}
}

func TestIntentsGenerated(t *testing.T) {
	const n = 200
	seeds := []int64{1, 7, 42}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			db, err := Generate(domains.Rand(seed, "medicine", 0, "db"), 1)
			if err != nil {
				t.Fatal(err)
			}
			run := synthesizeRange(t, db, seed, n)
			if got := len(run.verified); got < n*9/10 {
				t.Errorf("%d of %d tasks verified (rejected: %v); want at least 90%%", got, n, run.rejected)
			}
			checkCoverage(t, run)
		})
	}
}

func TestIntentsReference(t *testing.T) {
	db := domaintest.LoadReference(t, Domain)
	if err := domains.Freeze(db); err != nil {
		t.Fatal(err)
	}
	const n = 120
	run := synthesizeRange(t, db, 3, n)
	if got := len(run.verified); got < n*9/10 {
		t.Errorf("%d of %d tasks verified on the reference database (rejected: %v); want at least 90%%", got, n, run.rejected)
	}
	checkCoverage(t, run)
}

func TestIntentsDeterministic(t *testing.T) {
	db, err := Generate(domains.Rand(5, "medicine", 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	opt := synth.Options{Seed: 5, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	for i := range int64(len(Domain.Intents) * 2) {
		a, ra := synth.Synthesize(Domain, db, "db.json", "x", i, opt)
		b, rb := synth.Synthesize(Domain, db, "db.json", "x", i, opt)
		if (ra == nil) != (rb == nil) {
			t.Fatalf("index %d: rejections differ: %v, %v", i, ra, rb)
		}
		if ra == nil && (synth.DedupKey(a) != synth.DedupKey(b) || a.Toolscale.Expected != b.Toolscale.Expected) {
			t.Errorf("index %d: two syntheses differ", i)
		}
	}
}

// TestIntentsDoNotMutate checks that drafting leaves the database it reads unchanged.
func TestIntentsDoNotMutate(t *testing.T) {
	db, err := Generate(domains.Rand(9, "medicine", 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	before, err := domains.Hash(db)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range Domain.Intents {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		if _, err := in.Draft(domains.Rand(9, "medicine", int64(i), "draft"), env); err != nil {
			t.Errorf("%s: %v", in.Name, err)
		}
		after, err := domains.Hash(env.DB)
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("%s changed the environment while drafting", in.Name)
		}
	}
	if names := intentNames(); len(names) != len(slices.Compact(slices.Sorted(slices.Values(names)))) {
		t.Errorf("intent names repeat: %v", names)
	}
}

func intentNames() []string {
	var out []string
	for _, in := range Domain.Intents {
		out = append(out, in.Name)
	}
	return out
}

// BenchmarkSynthesize drafts, evolves and verifies tasks as the pipeline does per task.
func BenchmarkSynthesize(b *testing.B) {
	db, err := Generate(domains.Rand(1, "medicine", 0, "db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	opt := synth.Options{Seed: 1, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	b.ReportAllocs()
	var i int64
	for b.Loop() {
		synth.Synthesize(Domain, db, "db.json", "x", i, opt)
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "tasks/s")
}

// BenchmarkDraft runs the templates alone, round robin, each on a fresh environment.
func BenchmarkDraft(b *testing.B) {
	db, err := Generate(domains.Rand(1, "medicine", 0, "db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var i int64
	for b.Loop() {
		in := Domain.Intents[int(i)%len(Domain.Intents)]
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		if _, err := in.Draft(domains.Rand(1, "medicine", i, "draft"), env); err != nil && !errors.Is(err, domains.ErrNoCandidate) {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "drafts/s")
}
