package pipelines

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
	"github.com/toolscale/toolscale/pipelines/synth"
)

// ReasonPanic is the rejection reason of a task whose domain code panicked: a bug in a
// template or tool, kept out of the dataset rather than stopping the run.
const ReasonPanic = "panic"

// itemSlots is how many tasks a work item holds: enough for a worker's goroutines to share
// with little idle time at the item's end (where the slowest task finishes alone), few
// enough for many items to spread over many workers.
const itemSlots = 256

// envs is the per-process cache of generated environments, the one piece of state that
// DoFns share: an environment is generated once per worker process and then only forked.
var envs synth.Envs

// progress counts what this process has done, for the progress line of in-process runs.
// It is display only: no output depends on it.
var progress struct {
	tasks atomic.Int64
	rows  atomic.Int64
}

// WorkItems lists the work of a run: for each domain and environment, the task slots in
// ranges of itemSlots. It returns a PCollection<WorkItem>.
func WorkItems(s beam.Scope, cfg *Config) beam.PCollection {
	s = s.Scope("pipelines.WorkItems")
	return beam.CreateList(s, workItems(cfg))
}

func workItems(cfg *Config) []WorkItem {
	items := []WorkItem{}
	n, e := int64(cfg.TasksPerDomain), int64(cfg.EnvsPerDomain)
	for _, d := range cfg.Domains {
		for k := int64(0); k < e && k < n; k++ {
			slots := (n - k + e - 1) / e // indices k, k+e, … below n
			for lo := int64(0); lo < slots; lo += itemSlots {
				items = append(items, WorkItem{Domain: d, Env: int(k), Lo: lo, Hi: min(lo+itemSlots, slots)})
			}
		}
	}
	return items
}

// Synthesize drafts and verifies the tasks of each work item (see synth.Synthesize). It
// takes a PCollection<WorkItem> and returns the tasks that pass (PCollection<VerifiedTask>),
// the rejected ones (PCollection<dataset.Rejected>), the dedup line of each task that passes,
// for Dedup (PCollection<KV<string, []byte>>: dups partition, line), and a tally of the tasks
// attempted (PCollection<Part>).
func Synthesize(s beam.Scope, cfg *Config, items beam.PCollection) (tasks, rejected, keys, tallies beam.PCollection) {
	s = s.Scope("pipelines.Synthesize")
	fn := &synthesizeFn{
		Seed: cfg.Seed, Scale: cfg.Scale, MaxDifficulty: cfg.MaxDifficulty, Now: cfg.Now,
		Envs: cfg.EnvsPerDomain, Parallelism: cfg.Parallelism, Shards: cfg.Shards,
	}
	return beam.ParDo4(s, fn, items)
}

type synthesizeFn struct {
	Seed          int64  `json:"seed"`
	Scale         int    `json:"scale"`
	MaxDifficulty int    `json:"max_difficulty"`
	Now           string `json:"now"`
	Envs          int    `json:"envs"`
	Parallelism   int    `json:"parallelism"`
	Shards        int    `json:"shards"`

	opts synth.Options
}

func (f *synthesizeFn) Setup() error {
	now, err := time.Parse(time.RFC3339, f.Now)
	if err != nil {
		return fmt.Errorf("synthesize: now: %w", err)
	}
	f.opts = synth.Options{Seed: f.Seed, Scale: f.Scale, MaxDifficulty: f.MaxDifficulty, Now: now.UTC()}
	return nil
}

// outcome is what became of one task.
type outcome struct {
	task *VerifiedTask
	key  string
	rej  *dataset.Rejected
}

func (f *synthesizeFn) ProcessElement(ctx context.Context, item WorkItem,
	emitTask func(VerifiedTask), emitRej func(dataset.Rejected), emitKey func(string, []byte), emitTally func(Part)) error {
	d, err := domains.Lookup(item.Domain)
	if err != nil {
		return fmt.Errorf("synthesize: %w", err)
	}
	n := int(item.Hi - item.Lo)
	index := func(j int) int64 { return (item.Lo+int64(j))*int64(f.Envs) + int64(item.Env) }
	emit := func(o outcome) error {
		if o.rej != nil {
			emitRej(*o.rej)
			return nil
		}
		emitKey(partOf(kindDups, o.key, f.Shards), dupLine(o.key, o.task.ID, o.task.Domain))
		emitTask(*o.task)
		return nil
	}
	db, envErr := envs.Get(d, f.Seed, item.Env, f.Scale)
	if envErr != nil {
		for j := range n {
			emit(outcome{rej: &dataset.Rejected{ID: dataset.RecordID(f.Seed, d.Name, index(j)), Source: dataset.SourceToolScale,
				Domain: d.Name, Stage: "synthesize", Reason: synth.ReasonEnvironment, Detail: envErr.Error()}})
		}
	} else {
		// The tasks are made by a few goroutines while this one emits them in order, so
		// that what follows in the bundle (configure, spill) overlaps with synthesis.
		work := func(j int) outcome {
			defer progress.tasks.Add(1)
			return synthesizeOne(d, db, item.Env, dataset.RecordID(f.Seed, d.Name, index(j)), index(j), f.opts)
		}
		if err := inOrder(ctx, f.Parallelism, 2*itemSlots, sliceNext(iota(n)), work, emit); err != nil {
			return err
		}
	}
	emitTally(Part{Kind: partRead, Counts: []Count{{Kind: countSource, Name: dataset.SourceToolScale, N: int64(n)}}})
	return nil
}

// iota returns 0, 1, …, n-1.
func iota(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// synthesizeOne makes task index of domain d on environment env, turning a panic of the
// domain's code into a rejection.
func synthesizeOne(d *domains.Domain, db domains.DB, env int, id string, index int64, opts synth.Options) (o outcome) {
	defer func() {
		if p := recover(); p != nil {
			o = outcome{rej: &dataset.Rejected{ID: id, Source: dataset.SourceToolScale, Domain: d.Name,
				Stage: "synthesize", Reason: ReasonPanic, Detail: fmt.Sprint(p)}}
		}
	}()
	t, rej := synth.Synthesize(d, db, synth.DBFile(env), id, index, opts)
	if rej != nil {
		return outcome{rej: &dataset.Rejected{ID: id, Source: dataset.SourceToolScale, Domain: d.Name,
			Stage: rej.Stage, Reason: rej.Reason, Detail: rej.Detail}}
	}
	js, err := json.Marshal(t)
	if err != nil {
		return outcome{rej: &dataset.Rejected{ID: id, Source: dataset.SourceToolScale, Domain: d.Name,
			Stage: "synthesize", Reason: synth.ReasonDraft, Detail: "encode task: " + err.Error()}}
	}
	difficulty := 0
	if t.Toolscale != nil {
		difficulty = t.Toolscale.Difficulty
	}
	return outcome{
		task: &VerifiedTask{ID: id, Domain: d.Name, Index: index, Difficulty: difficulty,
			Problem: problemOf(t), Answer: answerOf(t), Task: js},
		key: synth.DedupKey(t),
	}
}

// problemOf is what the user asks: the reason for the call, with what the user knows.
func problemOf(t *task.Task) string {
	in := t.UserScenario.Instructions
	if in.KnownInfo == "" {
		return in.ReasonForCall
	}
	return in.ReasonForCall + "\n\n" + in.KnownInfo
}

// answerOf is what must be communicated, one fact a line, or else the expected outcome: the
// golden calls and the hash of the database they leave.
func answerOf(t *task.Task) string {
	ec := t.EvaluationCriteria
	if len(ec.CommunicateInfo) > 0 {
		return strings.Join(ec.CommunicateInfo, "\n")
	}
	calls := make([]string, len(ec.Actions))
	for i, a := range ec.Actions {
		args, err := py.Marshal(a.Arguments, py.Output)
		if err != nil {
			args = []byte("{}")
		}
		calls[i] = a.Name + "(" + string(args) + ")"
	}
	s := "Expected outcome: " + strings.Join(calls, "; ")
	if t.Toolscale != nil && t.Toolscale.Expected.Tau2 != "" {
		s += "; final database tau2_hash " + t.Toolscale.Expected.Tau2
	}
	return s
}
