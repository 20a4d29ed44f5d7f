package domaintest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/task"
	"github.com/toolscale/toolscale/pipelines/synth"
)

// IntentOptions say what a domain's intent templates must reach; zero values take the
// defaults.
type IntentOptions struct {
	// Tasks is how many tasks are drafted per generated database (default 200).
	Tasks int
	// MinVerified is the share of them that must verify (default 0.9).
	MinVerified float64
	// ReferenceTasks is how many tasks are drafted on the reference database (default 100).
	ReferenceTasks int
	// ReferenceMinVerified is the share of them that must verify (default 0.9).
	ReferenceMinVerified float64
	// ReferenceWrites is how many WRITE tools the reference tasks must use between them
	// (default: all of them).
	ReferenceWrites int
}

func (o *IntentOptions) defaults(d *domains.Domain) {
	if o.Tasks == 0 {
		o.Tasks = 200
	}
	if o.MinVerified == 0 {
		o.MinVerified = 0.9
	}
	if o.ReferenceTasks == 0 {
		o.ReferenceTasks = 100
	}
	if o.ReferenceMinVerified == 0 {
		o.ReferenceMinVerified = 0.9
	}
	if o.ReferenceWrites == 0 {
		for _, tool := range d.Tools {
			if tool.Kind == domains.Write {
				o.ReferenceWrites++
			}
		}
	}
}

// Intents checks a domain's intent templates as issue-level contracts: at least 12
// templates; on three generated databases, the share of tasks that verify, every template
// yielding verified tasks, every WRITE tool used, evolved tasks of one caller, no two tasks
// with the same instructions, every fact to communicate found in a tool output; the same on
// the reference database (skipped when absent); and the same tasks from the same seed.
func Intents(t *testing.T, d *domains.Domain, opt IntentOptions) {
	opt.defaults(d)
	if len(d.Intents) < 12 {
		t.Fatalf("%d intent templates, want at least 12", len(d.Intents))
	}
	t.Run("generated", func(t *testing.T) {
		for _, seed := range []int64{1, 2, 3} {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				db, err := d.Generate(domains.Rand(seed, d.Name, 0, "db"), 1)
				if err != nil {
					t.Fatal(err)
				}
				tasks, rejected := SynthesizeAll(t, d, db, seed, opt.Tasks)
				if len(tasks) < int(float64(opt.Tasks)*opt.MinVerified) {
					t.Errorf("%d of %d tasks verified, want at least %.0f%% (rejected: %s)", len(tasks), opt.Tasks,
						100*opt.MinVerified, summary(rejected))
				}
				Coverage(t, d, tasks)
				evolved := 0
				for _, tk := range tasks {
					if tk.Toolscale.Difficulty > 0 {
						evolved++
					}
				}
				// Half the tasks ask for a harder variant; most templates must be able to give one.
				if evolved < len(tasks)/5 {
					t.Errorf("%d of %d verified tasks are evolved, want at least a fifth", evolved, len(tasks))
				}
				t.Logf("%d of %d verified, %d evolved; rejected: %s", len(tasks), opt.Tasks, evolved, summary(rejected))
			})
		}
	})
	t.Run("reference", func(t *testing.T) {
		db := LoadReference(t, d)
		if err := domains.Freeze(db); err != nil {
			t.Fatal(err)
		}
		n := opt.ReferenceTasks
		tasks, rejected := SynthesizeAll(t, d, db, 7, n)
		if len(tasks) < int(float64(n)*opt.ReferenceMinVerified) {
			t.Errorf("%d of %d tasks verified on the reference database, want at least %.0f%% (rejected: %s)",
				len(tasks), n, 100*opt.ReferenceMinVerified, summary(rejected))
		}
		var written []string
		for _, tk := range tasks {
			for _, a := range tk.EvaluationCriteria.Actions {
				if d.Tool(a.Name).Kind == domains.Write && !slices.Contains(written, a.Name) {
					written = append(written, a.Name)
				}
			}
		}
		if len(written) < opt.ReferenceWrites {
			t.Errorf("verified reference tasks use WRITE tools %v, want at least %d of them", written, opt.ReferenceWrites)
		}
		t.Logf("%d of %d verified; rejected: %s", len(tasks), n, summary(rejected))
	})
	t.Run("deterministic", func(t *testing.T) {
		db, err := d.Generate(domains.Rand(5, d.Name, 0, "db"), 1)
		if err != nil {
			t.Fatal(err)
		}
		o := synth.Options{Seed: 5, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
		for i := range int64(2 * len(d.Intents)) {
			a, ra := synth.Synthesize(d, db, synth.DBFile(0), "x", i, o)
			b, rb := synth.Synthesize(d, db, synth.DBFile(0), "x", i, o)
			if (ra == nil) != (rb == nil) {
				t.Fatalf("task %d: rejections differ: %v, %v", i, ra, rb)
			}
			if a != nil && (synth.DedupKey(a) != synth.DedupKey(b) || a.Toolscale.Expected != b.Toolscale.Expected) {
				t.Errorf("task %d differs between two runs", i)
			}
		}
	})
}

// SynthesizeAll drafts and verifies tasks 0…n-1 of d on db and checks what every task must
// satisfy (CheckTask, distinct instructions). Only no_candidate rejections are allowed. It
// returns the verified tasks and the rejections counted by reason and template.
func SynthesizeAll(t *testing.T, d *domains.Domain, db domains.DB, seed int64, n int) ([]*task.Task, map[string]int) {
	t.Helper()
	opt := synth.Options{Seed: seed, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	var tasks []*task.Task
	rejected := map[string]int{}
	keys := map[string]string{}
	for i := range n {
		id := fmt.Sprintf("%s_%d_%04d", d.Name, seed, i)
		tk, rej := synth.Synthesize(d, db, synth.DBFile(0), id, int64(i), opt)
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
		CheckTask(t, d, db, tk)
		tasks = append(tasks, tk)
	}
	return tasks, rejected
}

// CheckTask checks a verified task's text, and that every fact to communicate appears in
// the output of its golden actions.
func CheckTask(t *testing.T, d *domains.Domain, db domains.DB, tk *task.Task) {
	t.Helper()
	in := tk.UserScenario.Instructions
	for _, f := range []struct{ name, text string }{{"persona", tk.UserScenario.Persona},
		{"reason_for_call", in.ReasonForCall}, {"known_info", in.KnownInfo}, {"unknown_info", in.UnknownInfo},
		{"task_instructions", in.TaskInstructions}, {"purpose", tk.Description.Purpose}} {
		if strings.TrimSpace(f.text) == "" {
			t.Errorf("%s (%s): empty %s", tk.ID, tk.Toolscale.Intent, f.name)
		}
	}
	if n := len(tk.EvaluationCriteria.NLAssertions); tk.Toolscale.Difficulty == 0 && (n < 1 || n > 3) {
		t.Errorf("%s (%s): %d nl_assertions, want 1 to 3", tk.ID, tk.Toolscale.Intent, n)
	}
	if got := strings.Count(tk.Toolscale.Intent, "+"); got != tk.Toolscale.Difficulty {
		t.Errorf("%s: difficulty %d for intent chain %s", tk.ID, tk.Toolscale.Difficulty, tk.Toolscale.Intent)
	}
	env := domains.NewEnv(d, db, domains.DefaultNow)
	var out strings.Builder
	for _, a := range tk.EvaluationCriteria.Actions {
		res := env.Call(a.Name, a.Arguments)
		out.WriteString(strings.ToLower(res.Content))
		out.WriteByte('\n')
		// The agent reads the strings of the output unescaped ("López", not "L\u00f3pez").
		var v any
		if json.Unmarshal([]byte(res.Content), &v) == nil {
			appendStrings(&out, v)
		}
	}
	for _, info := range tk.EvaluationCriteria.CommunicateInfo {
		if !strings.Contains(out.String(), strings.ToLower(info)) {
			t.Errorf("%s (%s): communicate_info %q appears in no tool output", tk.ID, tk.Toolscale.Intent, info)
		}
	}
}

// Coverage checks that every template yields verified tasks and every WRITE tool is used.
func Coverage(t *testing.T, d *domains.Domain, tasks []*task.Task) {
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

// appendStrings writes the strings in v, lower-cased, one per line.
func appendStrings(out *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		out.WriteString(strings.ToLower(v))
		out.WriteByte('\n')
	case []any:
		for _, x := range v {
			appendStrings(out, x)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			appendStrings(out, k)
			appendStrings(out, v[k])
		}
	}
}

func summary(counts map[string]int) string {
	var parts []string
	for k, v := range counts {
		parts = append(parts, fmt.Sprintf("%s=%d", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// BenchmarkSynthesize measures the per-task work of the pipeline on a generated database:
// draft, evolve, schema check and verification.
func BenchmarkSynthesize(b *testing.B, d *domains.Domain) {
	db, err := d.Generate(domains.Rand(1, d.Name, 0, "db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	opt := synth.Options{Seed: 1, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		synth.Synthesize(d, db, synth.DBFile(0), "x", i, opt)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
}

// BenchmarkDraft measures d's templates alone: one draft on a fresh fork per iteration,
// round robin over the templates.
func BenchmarkDraft(b *testing.B, d *domains.Domain) {
	db, err := d.Generate(domains.Rand(1, d.Name, 0, "db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var i int64
	for b.Loop() {
		in := d.Intents[int(i)%len(d.Intents)]
		env := domains.NewEnv(d, db, domains.DefaultNow)
		if _, err := in.Draft(domains.Rand(1, d.Name, i, "draft"), env); err != nil && !errors.Is(err, domains.ErrNoCandidate) {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "drafts/s")
}
