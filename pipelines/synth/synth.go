// Package synth does the per-task work of the ToolScale pipeline, without Beam: draft a task
// from a domain's intent templates on a generated environment, evolve it into harder
// variants, and verify it by replaying its golden actions on a fresh copy of the environment.
// The Beam pipeline wraps these functions in DoFns; benchmarks call them in a plain loop.
package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// Reasons a task is rejected. The list only grows: reasons are counted in manifests.
const (
	ReasonNoCandidate = "no_candidate" // no record of the environment fits the intent
	ReasonDraft       = "draft_error"  // the template failed
	ReasonSchema      = "schema"       // a golden action does not fit its tool's schema
	ReasonActionError = "action_error" // a golden action fails on replay
	ReasonNoEffect    = "no_effect"    // nothing changes and nothing is communicated
	ReasonDuplicate   = "duplicate"    // same domain, golden actions and instructions as another task
	ReasonNoIntents   = "no_intents"   // the domain has no intent templates yet
	ReasonEnvironment = "environment"  // the environment could not be generated
)

// A Rejection says why a task did not pass.
type Rejection struct {
	Stage  string // "synthesize" or "verify"
	Reason string
	Detail string
}

func (r *Rejection) Error() string { return r.Stage + ": " + r.Reason + ": " + r.Detail }

// Options shape the tasks of one run.
type Options struct {
	Seed int64
	// Scale sizes generated databases relative to the reference (1 = the same size).
	Scale int
	// MaxDifficulty is the most evolve steps a task gets (each chains one more intent).
	MaxDifficulty int
	// Now is the frozen clock of every environment.
	Now time.Time
}

// DBFile names environment k of a domain inside the domain's τ² folder.
func DBFile(k int) string { return fmt.Sprintf("db_%03d.json", k) }

// Envs generates and caches the environments of a run. It is safe for concurrent use, so
// one cache serves every bundle of a worker.
type Envs struct {
	m sync.Map // envKey → *envEntry
}

type envKey struct {
	seed   int64
	domain string
	index  int
	scale  int
}

type envEntry struct {
	once sync.Once
	db   domains.DB
	err  error
}

// Get returns environment k of domain d for seed and scale, generating it on first use.
func (e *Envs) Get(d *domains.Domain, seed int64, k, scale int) (domains.DB, error) {
	v, _ := e.m.LoadOrStore(envKey{seed, d.Name, k, scale}, &envEntry{})
	ent := v.(*envEntry)
	ent.once.Do(func() {
		ent.db, ent.err = d.Generate(domains.Rand(seed, d.Name, int64(k), "db"), scale)
		if ent.err == nil {
			ent.err = domains.Freeze(ent.db)
		}
	})
	return ent.db, ent.err
}

// Synthesize drafts task index of domain d on environment db (file dbFile): it picks the
// intent (round robin, so every template is used), evolves the task to a random difficulty
// by chaining more intents, checks the golden actions against their tools' schemas and
// verifies the task. The randomness comes from (seed, domain, index) alone.
func Synthesize(d *domains.Domain, db domains.DB, dbFile string, id string, index int64, opt Options) (*task.Task, *Rejection) {
	if len(d.Intents) == 0 {
		return nil, &Rejection{"synthesize", ReasonNoIntents, d.Name}
	}
	r := domains.Rand(opt.Seed, d.Name, index, "synthesize")
	difficulty := 0
	if opt.MaxDifficulty > 0 {
		// Half the tasks are base tasks; the rest spread over the harder levels.
		if r.IntN(2) == 1 {
			difficulty = 1 + r.IntN(opt.MaxDifficulty)
		}
	}
	env := domains.NewEnv(d, db, opt.Now)
	var drafts []*task.Draft
	first := d.Intents[int(index%int64(len(d.Intents)))]
	dr0, err := draftOnce(first, r, env)
	if err != nil {
		reason := ReasonDraft
		if errors.Is(err, domains.ErrNoCandidate) {
			reason = ReasonNoCandidate
		}
		return nil, &Rejection{"synthesize", reason, first.Name + ": " + err.Error()}
	}
	drafts = append(drafts, dr0)
	apply := func(dr *task.Draft) {
		// Later intents see the state the earlier golden actions leave.
		for _, a := range dr.Actions {
			env.Exec(a.Name, a.Arguments)
		}
	}
	if difficulty > 0 && dr0.Subject != "" {
		apply(dr0)
	}
	// Evolve: chain more requests of the same caller, trying the templates in a random
	// order; one that has nothing for this caller is skipped. The task stays as hard as it
	// got when no template fits.
	for step := 1; step <= difficulty && dr0.Subject != ""; step++ {
		var next *task.Draft
		for _, k := range r.Perm(len(d.Intents)) {
			probe := domains.NewEnv(d, env.DB, opt.Now)
			probe.Subject = dr0.Subject
			dr, err := draftOnce(d.Intents[k], r, probe)
			if err == nil && dr.Subject == dr0.Subject && !sameRequest(drafts, dr) {
				next = dr
				break
			}
		}
		if next == nil {
			break
		}
		drafts = append(drafts, next)
		if step < difficulty {
			apply(next)
		}
	}
	dr := chain(drafts)
	dr.Actions = dropRepeatedReads(d, dr.Actions)
	for i, a := range dr.Actions {
		tool := d.Tool(a.Name)
		if tool == nil {
			return nil, &Rejection{"synthesize", ReasonSchema, fmt.Sprintf("action %d: unknown tool %s", i, a.Name)}
		}
		if err := tool.Validate(a.Arguments); err != nil {
			return nil, &Rejection{"synthesize", ReasonSchema, fmt.Sprintf("action %d: %v", i, err)}
		}
	}
	t := build(d.Name, id, dbFile, dr, len(drafts)-1)
	if rej := Verify(d, db, t, opt.Now); rej != nil {
		return nil, rej
	}
	return t, nil
}

// sameRequest reports whether dr asks what one of drafts already asks: the same template
// with the same golden actions or the same facts to tell.
func sameRequest(drafts []*task.Draft, dr *task.Draft) bool {
	for _, d := range drafts {
		if d.Intent != dr.Intent {
			continue
		}
		if len(d.CommunicateInfo) > 0 && slices.Equal(d.CommunicateInfo, dr.CommunicateInfo) {
			return true
		}
		if slices.EqualFunc(d.Actions, dr.Actions, func(a, b task.Call) bool {
			x, errX := py.Marshal(a.Arguments, py.Canonical)
			y, errY := py.Marshal(b.Arguments, py.Canonical)
			return a.Name == b.Name && errX == nil && errY == nil && bytes.Equal(x, y)
		}) {
			return true
		}
	}
	return false
}

// draftOnce calls an intent's Draft, turning a panic in a template into an error so one bad
// template cannot stop a pipeline.
func draftOnce(in *domains.Intent, r *rand.Rand, env *domains.Env) (dr *task.Draft, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("template panicked: %v", p)
		}
	}()
	dr, err = in.Draft(r, env)
	if err == nil && (dr == nil || len(dr.Actions) == 0 && len(dr.CommunicateInfo) == 0) {
		err = fmt.Errorf("template returned an empty draft")
	}
	return dr, err
}

// dropRepeatedReads drops each READ call that repeats an earlier call (same tool, same
// arguments) with no WRITE call between them: its answer is already known. Chained requests
// of one caller would otherwise look the caller up again for every request.
func dropRepeatedReads(d *domains.Domain, calls []task.Call) []task.Call {
	out := make([]task.Call, 0, len(calls))
	seen := map[string]bool{} // the READ calls made since the last WRITE
	for _, c := range calls {
		tool := d.Tool(c.Name)
		switch {
		case tool == nil: // left for the schema check to reject
		case tool.Kind == domains.Write:
			clear(seen)
		case tool.Kind == domains.Read:
			args, err := py.Marshal(c.Arguments, py.Canonical)
			if err != nil {
				break
			}
			key := c.Name + "\x00" + string(args)
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		out = append(out, c)
	}
	return out
}

// chain joins drafts into one harder task: one caller with several requests in a row.
func chain(drafts []*task.Draft) *task.Draft {
	if len(drafts) == 1 {
		return drafts[0]
	}
	out := *drafts[0]
	names := []string{out.Intent}
	out.Actions = append([]task.Call(nil), out.Actions...)
	out.CommunicateInfo = append([]string(nil), out.CommunicateInfo...)
	out.NLAssertions = append([]string(nil), out.NLAssertions...)
	for i, d := range drafts[1:] {
		names = append(names, d.Intent)
		link := []string{"Once that is done, ", "After that, ", "Then, "}[i%3]
		out.Purpose += " Then: " + d.Purpose
		if rs := fresh(out.ReasonForCall, d.ReasonForCall); len(rs) > 0 {
			out.ReasonForCall += " " + link + lowerFirst(strings.Join(rs, " "))
		}
		out.KnownInfo = joinNew(out.KnownInfo, d.KnownInfo)
		out.UnknownInfo = joinNew(out.UnknownInfo, d.UnknownInfo)
		if ti := fresh(out.TaskInstructions, d.TaskInstructions); len(ti) > 0 {
			out.TaskInstructions = joinNonEmpty(out.TaskInstructions, link+lowerFirst(strings.Join(ti, " ")))
		}
		out.Actions = append(out.Actions, d.Actions...)
		out.CommunicateInfo = append(out.CommunicateInfo, d.CommunicateInfo...)
		out.NLAssertions = append(out.NLAssertions, d.NLAssertions...)
	}
	out.Intent = strings.Join(names, "+")
	return &out
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// joinNew appends to a the sentences of b that a does not already say: one caller knows
// their email once, however many requests they make.
func joinNew(a, b string) string {
	return joinNonEmpty(a, strings.Join(fresh(a, b), " "))
}

// fresh returns the sentences of b that a does not say, each once.
func fresh(a, b string) []string {
	said := sentences(a)
	var out []string
	for _, s := range sentences(b) {
		if !slices.Contains(said, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// sentences splits s after each '.', '!' or '?' that a space follows.
func sentences(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; {
		i := strings.IndexAny(s, ".!?")
		for i >= 0 && i+1 < len(s) && s[i+1] != ' ' {
			j := strings.IndexAny(s[i+1:], ".!?")
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = strings.TrimSpace(s[i+1:])
	}
	return out
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

func build(domain, id, dbFile string, dr *task.Draft, difficulty int) *task.Task {
	actions := make([]task.Action, len(dr.Actions))
	for i, a := range dr.Actions {
		actions[i] = task.Action{ActionID: fmt.Sprintf("%s_%d", id, i), Requestor: "assistant", Name: a.Name, Arguments: a.Arguments}
	}
	basis := []string{"DB", "COMMUNICATE"}
	if len(dr.CommunicateInfo) == 0 {
		basis = []string{"DB"}
	}
	return &task.Task{
		ID:          id,
		Description: &task.Description{Purpose: dr.Purpose},
		UserScenario: task.UserScenario{
			Persona: dr.Persona,
			Instructions: task.Instructions{
				Domain:           domain,
				ReasonForCall:    dr.ReasonForCall,
				KnownInfo:        dr.KnownInfo,
				UnknownInfo:      dr.UnknownInfo,
				TaskInstructions: dr.TaskInstructions,
			},
		},
		EvaluationCriteria: task.EvaluationCriteria{
			Actions:         actions,
			CommunicateInfo: nonNil(dr.CommunicateInfo),
			NLAssertions:    nonNil(dr.NLAssertions),
			RewardBasis:     basis,
		},
		Toolscale: &task.Extension{DB: dbFile, Intent: dr.Intent, Difficulty: difficulty},
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Verify replays a task's golden actions on a fresh copy of db, as the paper filters tasks:
// a call that errors, or a task that changes nothing and communicates nothing, is rejected.
// On success it records the expected final hashes on the task.
func Verify(d *domains.Domain, db domains.DB, t *task.Task, now time.Time) *Rejection {
	env := domains.NewEnv(d, db, now)
	for i, a := range t.EvaluationCriteria.Actions {
		if _, err := env.Exec(a.Name, a.Arguments); err != nil {
			return &Rejection{"verify", ReasonActionError, fmt.Sprintf("action %d %s: %v", i, a.Name, err)}
		}
	}
	before, err := domains.Hash(db)
	if err != nil {
		return &Rejection{"verify", ReasonEnvironment, err.Error()}
	}
	after, err := domains.Hash(env.DB)
	if err != nil {
		return &Rejection{"verify", ReasonEnvironment, err.Error()}
	}
	if after == before && len(t.EvaluationCriteria.CommunicateInfo) == 0 {
		return &Rejection{"verify", ReasonNoEffect, "the golden actions change nothing and nothing is to be communicated"}
	}
	if t.Toolscale == nil {
		t.Toolscale = &task.Extension{}
	}
	t.Toolscale.Expected = task.Hashes{SHA256: after.SHA256, Tau2: after.Tau2}
	return nil
}

// DedupKey identifies a task for duplicate detection: its domain, golden actions and
// instructions. Two tasks with the same key are the same task.
func DedupKey(t *task.Task) string {
	h := sha256.New()
	in := t.UserScenario.Instructions
	for _, s := range []string{in.Domain, in.ReasonForCall, in.KnownInfo, in.UnknownInfo, in.TaskInstructions} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, a := range t.EvaluationCriteria.Actions {
		h.Write([]byte(a.Name))
		args, _ := py.Marshal(a.Arguments, py.Canonical)
		h.Write(args)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
