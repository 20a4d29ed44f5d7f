package bank

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
	"github.com/toolscale/toolscale/pipelines/synth"
)

// synthesizeAll drafts and verifies tasks 0…n-1 on db and checks what every task must
// satisfy. It returns the verified tasks and the rejections by reason.
func synthesizeAll(t *testing.T, db domains.DB, seed int64, n int) ([]*task.Task, map[string]int) {
	t.Helper()
	opt := synth.Options{Seed: seed, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	var tasks []*task.Task
	rejected := map[string]int{}
	keys := map[string]string{}
	for i := range n {
		id := fmt.Sprintf("bank_%d_%04d", seed, i)
		tk, rej := synth.Synthesize(Domain, db, synth.DBFile(0), id, int64(i), opt)
		if rej != nil {
			rejected[rej.Reason+":"+strings.SplitN(rej.Detail, ":", 2)[0]]++
			if rej.Reason != synth.ReasonNoCandidate {
				t.Errorf("task %d: %v", i, rej)
			}
			continue
		}
		if prev, dup := keys[synth.DedupKey(tk)]; dup {
			t.Errorf("tasks %s and %s share instructions and actions", prev, id)
		}
		keys[synth.DedupKey(tk)] = id
		checkTask(t, Domain, db, tk)
		tasks = append(tasks, tk)
	}
	return tasks, rejected
}

// checkTask checks a verified task's text and that every fact to communicate appears in the
// output of its golden actions.
func checkTask(t *testing.T, d *domains.Domain, db domains.DB, tk *task.Task) {
	t.Helper()
	in := tk.UserScenario.Instructions
	for field, s := range map[string]string{"persona": tk.UserScenario.Persona, "reason_for_call": in.ReasonForCall,
		"known_info": in.KnownInfo, "unknown_info": in.UnknownInfo, "task_instructions": in.TaskInstructions, "purpose": tk.Description.Purpose} {
		if strings.TrimSpace(s) == "" {
			t.Errorf("%s (%s): empty %s", tk.ID, tk.Toolscale.Intent, field)
		}
	}
	if n := len(tk.EvaluationCriteria.NLAssertions); tk.Toolscale.Difficulty == 0 && (n < 1 || n > 3) {
		t.Errorf("%s (%s): %d nl_assertions, want 1 to 3", tk.ID, tk.Toolscale.Intent, n)
	}
	env := domains.NewEnv(d, db, domains.DefaultNow)
	var out strings.Builder
	for _, a := range tk.EvaluationCriteria.Actions {
		res := env.Call(a.Name, a.Arguments)
		out.WriteString(strings.ToLower(res.Content))
		out.WriteByte('\n')
	}
	for _, info := range tk.EvaluationCriteria.CommunicateInfo {
		if !strings.Contains(out.String(), strings.ToLower(info)) {
			t.Errorf("%s (%s): communicate_info %q appears in no tool output", tk.ID, tk.Toolscale.Intent, info)
		}
	}
}

// coverage checks that every template yields verified tasks and every WRITE tool is used.
func coverage(t *testing.T, d *domains.Domain, tasks []*task.Task) {
	t.Helper()
	base := map[string]int{}
	used := map[string]bool{}
	for _, tk := range tasks {
		base[strings.Split(tk.Toolscale.Intent, "+")[0]]++
		for _, a := range tk.EvaluationCriteria.Actions {
			used[a.Name] = true
		}
	}
	for _, in := range d.Intents {
		if base[in.Name] == 0 {
			t.Errorf("template %s yields no verified task", in.Name)
		}
	}
	for _, tool := range d.Tools {
		if tool.Kind == domains.Write && !used[tool.Name] {
			t.Errorf("WRITE tool %s appears in no verified task", tool.Name)
		}
	}
}

func rejectionSummary(rejected map[string]int) string {
	var parts []string
	for k, v := range rejected {
		parts = append(parts, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func TestIntentsGenerated(t *testing.T) {
	if len(Domain.Intents) < 12 {
		t.Fatalf("%d intent templates, want at least 12", len(Domain.Intents))
	}
	const n = 200
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			db, err := Generate(domains.Rand(seed, Domain.Name, 0, "db"), 1)
			if err != nil {
				t.Fatal(err)
			}
			tasks, rejected := synthesizeAll(t, db, seed, n)
			if len(tasks) < n*9/10 {
				t.Errorf("%d of %d tasks verified, want at least 90%% (rejected: %s)", len(tasks), n, rejectionSummary(rejected))
			}
			coverage(t, Domain, tasks)
			t.Logf("%d of %d verified; rejected: %s", len(tasks), n, rejectionSummary(rejected))
		})
	}
}

func TestIntentsReference(t *testing.T) {
	db := domaintest.LoadReference(t, Domain)
	if err := domains.Freeze(db); err != nil {
		t.Fatal(err)
	}
	const n = 100
	tasks, rejected := synthesizeAll(t, db, 7, n)
	// The reference has no two-currency client, so one refusal never fits it.
	if len(tasks) < n*8/10 {
		t.Errorf("%d of %d tasks verified on the reference database, want at least 80%% (rejected: %s)", len(tasks), n, rejectionSummary(rejected))
	}
	t.Logf("%d of %d verified; rejected: %s", len(tasks), n, rejectionSummary(rejected))
	var written []string
	for _, tk := range tasks {
		for _, a := range tk.EvaluationCriteria.Actions {
			if Domain.Tool(a.Name).Kind == domains.Write && !slices.Contains(written, a.Name) {
				written = append(written, a.Name)
			}
		}
	}
	if len(written) < 8 {
		t.Errorf("verified reference tasks use WRITE tools %v, want at least 8 of them", written)
	}
}

func TestIntentsDeterministic(t *testing.T) {
	db, err := Generate(domains.Rand(5, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	opt := synth.Options{Seed: 5, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	for i := range int64(2 * len(Domain.Intents)) {
		a, ra := synth.Synthesize(Domain, db, synth.DBFile(0), "x", i, opt)
		b, rb := synth.Synthesize(Domain, db, synth.DBFile(0), "x", i, opt)
		if (ra == nil) != (rb == nil) {
			t.Fatalf("task %d: rejections differ: %v, %v", i, ra, rb)
		}
		if a != nil && (synth.DedupKey(a) != synth.DedupKey(b) || a.Toolscale.Expected != b.Toolscale.Expected) {
			t.Errorf("task %d differs between two runs", i)
		}
	}
}

// BenchmarkSynthesize measures the per-task work of the pipeline on a generated database:
// draft, evolve, schema check and verification.
func BenchmarkSynthesize(b *testing.B) {
	db, err := Generate(domains.Rand(1, Domain.Name, 0, "db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	opt := synth.Options{Seed: 1, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		synth.Synthesize(Domain, db, synth.DBFile(0), "x", i, opt)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
}

// BenchmarkDraft measures the templates alone: one draft on a fresh fork per iteration,
// round robin over the templates.
func BenchmarkDraft(b *testing.B) {
	db, err := Generate(domains.Rand(1, Domain.Name, 0, "db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		Domain.Intents[i%len(Domain.Intents)].Draft(domains.Rand(1, Domain.Name, int64(i), "bench"), env)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "drafts/s")
}
