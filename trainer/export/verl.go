package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains/task"
)

// A VerlRow is one row of verl's RL dataset: the columns verl's RLHFDataset reads
// (data_source, prompt, ability, reward_model, extra_info). Every field of the record is kept,
// so FromVerl gives the record back: the problem is the user message, the rest is in
// extra_info, with lists and maps as JSON text so that every file has the same schema.
type VerlRow struct {
	// DataSource is the record's source and domain, "toolscale/bank" or
	// "generalthought/math": what verl groups validation metrics by.
	DataSource string `parquet:"data_source,dict" json:"data_source"`
	// Prompt is the chat: a system message with the tools, their prices and the
	// preference instruction, then a user message with the problem.
	Prompt []Message `parquet:"prompt,list" json:"prompt"`
	// Ability is AbilityToolOrchestration for a func_call record, the task for a qa record.
	Ability     string      `parquet:"ability,dict" json:"ability"`
	RewardModel RewardModel `parquet:"reward_model" json:"reward_model"`
	ExtraInfo   ExtraInfo   `parquet:"extra_info" json:"extra_info"`
}

// AbilityToolOrchestration is the ability of func_call records.
const AbilityToolOrchestration = "tool_orchestration"

// A Message is one chat message.
type Message struct {
	Role    string `parquet:"role,dict" json:"role"`
	Content string `parquet:"content" json:"content"`
}

// RewardModel says how verl scores a rollout: by rule, against GroundTruth.
type RewardModel struct {
	Style string `parquet:"style,dict" json:"style"` // always "rule"
	// GroundTruth is the reference answer of a qa record, or for a func_call record the JSON
	// text of a FuncCallTruth.
	GroundTruth string `parquet:"ground_truth" json:"ground_truth"`
}

// FuncCallTruth is what a rule reward needs to score a func_call rollout: replay the golden
// actions on the task's database, compare the hashes, look for each communicate_info item.
type FuncCallTruth struct {
	TaskID          string          `json:"task_id"`
	Domain          string          `json:"domain"`
	DB              string          `json:"db"` // the database file, relative to the domain's τ² folder
	Expected        task.Hashes     `json:"expected"`
	Actions         json.RawMessage `json:"actions"` // the task's evaluation_criteria.actions, as stored
	CommunicateInfo []string        `json:"communicate_info"`
}

// ExtraInfo holds the record's other fields. Lists and maps are JSON text.
type ExtraInfo struct {
	Split           string `parquet:"split,dict" json:"split"`
	Index           int64  `parquet:"index" json:"index"`
	ID              string `parquet:"id" json:"id"`
	Category        string `parquet:"category,dict" json:"category"`
	Domain          string `parquet:"domain,dict" json:"domain"`
	Source          string `parquet:"source,dict" json:"source"`
	License         string `parquet:"license,dict" json:"license"`
	Difficulty      int64  `parquet:"difficulty" json:"difficulty"`
	Answer          string `parquet:"answer" json:"answer"`
	Tools           string `parquet:"tools" json:"tools"`                 // JSON list of dataset.Tool
	ModelMapping    string `parquet:"model_mapping" json:"model_mapping"` // JSON object
	ToolPricing     string `parquet:"tool_pricing" json:"tool_pricing"`   // JSON object of dataset.Pricing
	PrefVec         string `parquet:"pref_vec" json:"pref_vec"`           // JSON object
	PrefInstruction string `parquet:"pref_instruction" json:"pref_instruction"`
	Example         string `parquet:"example" json:"example"` // JSON: the τ² task or the source row
}

// ToVerl converts a record to its verl row. It fails, naming the field, when a func_call
// record's example is not a τ² task with its expected hashes. The example is copied as it is:
// it must be JSON, as it is in any record decoded from a shard.
func ToVerl(rec *dataset.Record) (VerlRow, error) {
	row := VerlRow{
		DataSource: rec.Source + "/" + rec.Domain,
		Prompt: []Message{
			{Role: "system", Content: systemPrompt(rec)},
			{Role: "user", Content: rec.Problem},
		},
		RewardModel: RewardModel{Style: "rule", GroundTruth: rec.Answer},
		ExtraInfo: ExtraInfo{
			Split: rec.Split, Index: rec.Index, ID: rec.ID, Category: rec.Category, Domain: rec.Domain,
			Source: rec.Source, License: rec.License, Difficulty: int64(rec.Difficulty), Answer: rec.Answer,
			PrefInstruction: rec.PrefInstruction,
		},
	}
	switch rec.Category {
	case dataset.CategoryFuncCall:
		row.Ability = AbilityToolOrchestration
		truth, err := funcCallTruth(rec)
		if err != nil {
			return VerlRow{}, err
		}
		b, err := json.Marshal(truth)
		if err != nil {
			return VerlRow{}, fmt.Errorf("example: %w", err)
		}
		row.RewardModel.GroundTruth = string(b)
	case dataset.CategoryQA:
		row.Ability = rec.Domain
	default:
		return VerlRow{}, fmt.Errorf("category: %q is neither %s nor %s", rec.Category, dataset.CategoryFuncCall, dataset.CategoryQA)
	}
	x := &row.ExtraInfo
	for _, f := range []struct {
		dst *string
		v   any
	}{{&x.Tools, rec.Tools}, {&x.ModelMapping, rec.ModelMapping}, {&x.ToolPricing, rec.ToolPricing}, {&x.PrefVec, rec.PrefVec}} {
		b, err := json.Marshal(f.v)
		if err != nil {
			return VerlRow{}, err
		}
		*f.dst = string(b)
	}
	// The example is kept as the shard stores it: decoding the record checked it is JSON.
	x.Example = "null"
	if len(rec.Example) > 0 {
		x.Example = string(rec.Example)
	}
	return row, nil
}

// exampleHead is what an export needs of a func_call record's τ² task.
type exampleHead struct {
	ID                 string `json:"id"`
	EvaluationCriteria *struct {
		Actions         json.RawMessage `json:"actions"`
		CommunicateInfo []string        `json:"communicate_info"`
	} `json:"evaluation_criteria"`
	Toolscale *struct {
		DB       string       `json:"db"`
		Expected *task.Hashes `json:"expected"`
	} `json:"toolscale"`
}

// funcCallTruth reads the ground truth of a func_call record from its τ² task.
func funcCallTruth(rec *dataset.Record) (*FuncCallTruth, error) {
	var h exampleHead
	if err := json.Unmarshal(rec.Example, &h); err != nil {
		return nil, fmt.Errorf("example: %w", err)
	}
	switch {
	case h.ID != rec.ID:
		return nil, fmt.Errorf("example.id: %q is not the record's id %q", h.ID, rec.ID)
	case h.EvaluationCriteria == nil:
		return nil, errors.New("example.evaluation_criteria: missing")
	case h.Toolscale == nil || h.Toolscale.Expected == nil:
		return nil, errors.New("example.toolscale.expected: missing (the hashes a rollout's database must match)")
	}
	actions := h.EvaluationCriteria.Actions
	if len(actions) == 0 {
		actions = json.RawMessage("[]")
	}
	info := h.EvaluationCriteria.CommunicateInfo
	if info == nil {
		info = []string{}
	}
	return &FuncCallTruth{TaskID: h.ID, Domain: rec.Domain, DB: h.Toolscale.DB, Expected: *h.Toolscale.Expected,
		Actions: actions, CommunicateInfo: info}, nil
}

// FromVerl gives back the record a row was made from.
func FromVerl(row *VerlRow) (dataset.Record, error) {
	x := &row.ExtraInfo
	rec := dataset.Record{
		ID: x.ID, Index: x.Index, Category: x.Category, Domain: x.Domain, Source: x.Source, License: x.License,
		Split: x.Split, Difficulty: int(x.Difficulty), Answer: x.Answer, PrefInstruction: x.PrefInstruction,
	}
	for i := len(row.Prompt) - 1; i >= 0; i-- {
		if row.Prompt[i].Role == "user" {
			rec.Problem = row.Prompt[i].Content
			break
		}
	}
	for _, f := range []struct {
		name string
		text string
		dst  any
	}{{"tools", x.Tools, &rec.Tools}, {"model_mapping", x.ModelMapping, &rec.ModelMapping},
		{"tool_pricing", x.ToolPricing, &rec.ToolPricing}, {"pref_vec", x.PrefVec, &rec.PrefVec}, {"example", x.Example, &rec.Example}} {
		if err := json.Unmarshal([]byte(f.text), f.dst); err != nil {
			return dataset.Record{}, fmt.Errorf("extra_info.%s: %w", f.name, err)
		}
	}
	return rec, nil
}

// systemPrompt tells the orchestrator its tools, what each costs and takes, and the user's
// preference.
func systemPrompt(rec *dataset.Record) string {
	var b strings.Builder
	b.WriteString("You are an orchestrator: solve the user's problem, calling the tools below when they help. " +
		"Every call costs money and time.\n\nTools:\n")
	if len(rec.Tools) == 0 {
		b.WriteString("(none)\n")
	}
	for _, t := range rec.Tools {
		fmt.Fprintf(&b, "- %s (%s): %s", t.Alias, t.Kind, t.Description)
		if p, ok := rec.ToolPricing[t.Alias]; ok {
			b.WriteString(" Cost: " + priceText(p) + "; latency about " + num(p.LatencySeconds) + " s per call.")
		}
		b.WriteString("\n")
	}
	if rec.PrefInstruction != "" {
		b.WriteString("\nPreference: " + rec.PrefInstruction + "\n")
	}
	return b.String()
}

func priceText(p dataset.Pricing) string {
	var parts []string
	if p.InputPerMillion != 0 || p.OutputPerMillion != 0 {
		parts = append(parts, "$"+num(p.InputPerMillion)+" per million input tokens, $"+num(p.OutputPerMillion)+" per million output tokens")
	}
	if p.PerCall != 0 {
		parts = append(parts, "$"+num(p.PerCall)+" per call")
	}
	if p.PerSecond != 0 {
		parts = append(parts, "$"+num(p.PerSecond)+" per second")
	}
	if len(parts) == 0 {
		return "free"
	}
	return strings.Join(parts, " plus ")
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// VerlFile returns the name of the verl file of input shard i for split: "train-00003.parquet".
func VerlFile(split string, i int) string { return fmt.Sprintf("%s-%05d.parquet", split, i) }

var verlFileRE = regexp.MustCompile(`^(.+)-(\d{5,})\.parquet$`)

// RowGroupRows is the most rows a verl file's row group holds.
const RowGroupRows = 4096

// verlBatch is how many rows go to the Parquet writer at once.
const verlBatch = 256

// verlSchema is the one schema of every verl file.
var verlSchema = parquet.NewSchema("schema", parquet.SchemaOf(VerlRow{}))

// createdBy sets a Parquet file's created_by to "toolscale version V", as the format's
// convention has it, rather than the library's default, which depends on the build.
type createdBy string

func (c createdBy) ConfigureWriter(cfg *parquet.WriterConfig) { cfg.CreatedBy = string(c) }

func exportVerl(ctx context.Context, r *dataset.Reader, out dataset.FS, o *Options, s *Summary) error {
	m := r.Manifest()
	if err := checkStaleVerl(ctx, out, o.Split, len(m.Shards)); err != nil {
		return err
	}
	rows := make([]VerlRow, 0, verlBatch)
	for i, shard := range m.Shards {
		name := VerlFile(o.Split, i)
		w, err := create(ctx, out, name)
		if err != nil {
			return err
		}
		pw := parquet.NewGenericWriter[VerlRow](w, verlSchema,
			createdBy("toolscale version "+o.ToolVersion),
			parquet.Compression(&parquet.Snappy),
			parquet.DataPageVersion(1), // the widest-read page format
			parquet.MaxRowsPerRowGroup(RowGroupRows),
			parquet.KeyValueMetadata("toolscale.shard", shard.Path),
			parquet.KeyValueMetadata("toolscale.shard_sha256", shard.SHA256),
			parquet.KeyValueMetadata("toolscale.split", o.Split),
		)
		var n int64
		flush := func() error {
			if len(rows) == 0 {
				return nil
			}
			_, err := pw.Write(rows)
			clear(rows)
			rows = rows[:0]
			return err
		}
		err = shardRecords(ctx, r, i, func(rec *dataset.Record) (string, error) {
			s.Read++
			if !o.keep(rec, s) {
				return "", nil
			}
			row, err := ToVerl(rec)
			if err != nil {
				return "", err
			}
			rows = append(rows, row)
			n++
			if len(rows) == verlBatch {
				if err := flush(); err != nil {
					return "", fmt.Errorf("write %s: %w", dataset.Join(out, name), err)
				}
			}
			return "", nil
		})
		if err == nil {
			err = flush()
			if err == nil {
				err = pw.Close()
			}
			if err != nil {
				err = fmt.Errorf("write %s: %w", dataset.Join(out, name), err)
			}
		}
		if err != nil {
			clear(rows)
			rows = rows[:0]
			w.abort()
			return err
		}
		f, err := w.close(n)
		if err != nil {
			return err
		}
		s.Written += n
		s.Files = append(s.Files, f)
	}
	return nil
}

// checkStaleVerl refuses to export to a folder that holds a verl file of the same split this
// export would not overwrite (an earlier export of a dataset with more shards): a trainer
// reading "<split>-*.parquet" would mix the two.
func checkStaleVerl(ctx context.Context, out dataset.FS, split string, shards int) error {
	files, err := out.List(ctx)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, f := range files {
		m := verlFileRE.FindStringSubmatch(f.Path)
		if m == nil || m[1] != split {
			continue
		}
		if i, err := strconv.Atoi(m[2]); err == nil && i >= shards {
			return fmt.Errorf("%s holds %s from another export, which this one (%d shards) would not replace: remove it or export elsewhere",
				out, f.Path, shards)
		}
	}
	return nil
}
