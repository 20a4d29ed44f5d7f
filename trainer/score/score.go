// Package score decides the outcome of one rollout, as the ToolOrchestra paper defines it.
// For a τ² task: the database after replaying the trajectory's tool calls equals the database
// after replaying the golden actions, every communicate_info item appears in the agent's
// messages, and every record the golden actions touch is touched. For a qa record: the final
// answer matches the reference answer. Each check is reported.
package score

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
	"github.com/toolscale/toolscale/trainer/cost"
)

// A Result is the outcome of a rollout with each check behind it.
type Result struct {
	Outcome int `json:"outcome"` // 1 when every check holds
	// DBMatch: the trajectory leaves the database as the golden actions do (func_call).
	DBMatch *bool `json:"db_match,omitempty"`
	// Communicated lists each communicate_info item and whether an agent message has it.
	Communicated []Communicated `json:"communicated,omitempty"`
	// Untouched lists records the golden actions change and the trajectory does not.
	Untouched []domains.Ref `json:"untouched,omitempty"`
	// FailedCalls counts the trajectory's domain tool calls that raised an error.
	FailedCalls int `json:"failed_calls"`
	// AnswerMatch: the final answer matches the reference (qa).
	AnswerMatch *bool `json:"answer_match,omitempty"`
	// Usage is the cost and latency of the orchestration tools the trajectory called.
	Usage cost.Usage `json:"usage"`
}

// Communicated is one communicate_info check.
type Communicated struct {
	Info  string `json:"info"`
	Found bool   `json:"found"`
}

// DBLoader returns the database a task runs on, given its domain and its db file name.
type DBLoader func(d *domains.Domain, file string) (domains.DB, error)

// Score scores a trajectory on a record. Steps whose alias is one of the domain's tools are
// replayed on the task's database; steps whose alias is one of the record's orchestration
// tools are costed.
func Score(rec *dataset.Record, tr cost.Trajectory, load DBLoader, now time.Time) (*Result, error) {
	var orch cost.Trajectory
	var calls []cost.Step
	for _, s := range tr.Steps {
		if _, ok := rec.ToolPricing[s.Alias]; ok {
			orch.Steps = append(orch.Steps, s)
		} else {
			calls = append(calls, s)
		}
	}
	usage, err := cost.Account(orch, rec.ToolPricing)
	if err != nil {
		return nil, err
	}
	res := &Result{Usage: usage}
	switch rec.Category {
	case dataset.CategoryQA:
		if len(calls) > 0 {
			return nil, fmt.Errorf("step alias %q is not a tool of record %s", calls[0].Alias, rec.ID)
		}
		ok := AnswerMatches(tr.FinalAnswer, rec.Answer)
		res.AnswerMatch = &ok
		if ok {
			res.Outcome = 1
		}
		return res, nil
	case dataset.CategoryFuncCall:
		return res, scoreTask(rec, calls, tr.Messages, load, now, res)
	}
	return nil, fmt.Errorf("record %s: unknown category %q", rec.ID, rec.Category)
}

func scoreTask(rec *dataset.Record, calls []cost.Step, msgs []cost.Message, load DBLoader, now time.Time, res *Result) error {
	var t task.Task
	if err := json.Unmarshal(rec.Example, &t); err != nil {
		return fmt.Errorf("record %s: example is not a τ² task: %w", rec.ID, err)
	}
	d, err := domains.Lookup(t.UserScenario.Instructions.Domain)
	if err != nil {
		return fmt.Errorf("record %s: %w", rec.ID, err)
	}
	file := ""
	if t.Toolscale != nil {
		file = t.Toolscale.DB
	}
	db, err := load(d, file)
	if err != nil {
		return fmt.Errorf("record %s: load database %s: %w", rec.ID, file, err)
	}
	gold := domains.NewEnv(d, db, now)
	for _, a := range t.EvaluationCriteria.Actions {
		gold.Call(a.Name, a.Arguments) // errors in golden actions only change what they change, as in τ²
	}
	pred := domains.NewEnv(d, db, now)
	for i, s := range calls {
		if d.Tool(s.Alias) == nil {
			return fmt.Errorf("step %d: %q is neither a tool of domain %s nor an orchestration tool of the record", i, s.Alias, d.Name)
		}
		args := py.NewObject()
		if len(s.Arguments) > 0 && string(s.Arguments) != "null" {
			v, err := py.Parse(s.Arguments)
			if err != nil {
				return fmt.Errorf("step %d (%s): arguments: %w", i, s.Alias, err)
			}
			o, ok := v.(*py.Object)
			if !ok {
				return fmt.Errorf("step %d (%s): arguments are %s, not an object", i, s.Alias, py.TypeName(v))
			}
			args = o
		}
		if r := pred.Call(s.Alias, args); !r.OK() {
			res.FailedCalls++
		}
	}
	gh, err := domains.Hash(gold.DB)
	if err != nil {
		return err
	}
	ph, err := domains.Hash(pred.DB)
	if err != nil {
		return err
	}
	match := gh == ph
	res.DBMatch = &match

	var said strings.Builder
	for _, m := range msgs {
		if m.Role == "assistant" {
			said.WriteString(strings.ToLower(strings.ReplaceAll(m.Content, ",", "")))
			said.WriteByte('\n')
		}
	}
	allSaid := true
	for _, info := range t.EvaluationCriteria.CommunicateInfo {
		found := strings.Contains(said.String(), strings.ToLower(strings.ReplaceAll(info, ",", "")))
		res.Communicated = append(res.Communicated, Communicated{info, found})
		allSaid = allSaid && found
	}

	goldTouched, err := domains.Touched(gold.DB)
	if err != nil {
		return err
	}
	predTouched, err := domains.Touched(pred.DB)
	if err != nil {
		return err
	}
	have := map[domains.Ref]bool{}
	for _, r := range predTouched {
		have[r] = true
	}
	for _, r := range goldTouched {
		if !have[r] {
			res.Untouched = append(res.Untouched, r)
		}
	}
	if match && allSaid && len(res.Untouched) == 0 {
		res.Outcome = 1
	}
	return nil
}
