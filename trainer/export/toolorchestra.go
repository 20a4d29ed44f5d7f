package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/dataset"
)

// ToolOrchestraFile is the name of the toolorchestra export.
const ToolOrchestraFile = "data.jsonl"

// A ToolOrchestraLine is one line of data.jsonl, the JSON-lines file ToolOrchestra's GRPO
// trainer reads (its JsonlDataset): the fields its rollouts use, with their names and types,
// then the record's id and the rest of its fields.
type ToolOrchestraLine struct {
	ID string `json:"id"`
	// Index is "<domain>____<id>": unique, since the trainer groups rollouts by it, and
	// starting with the τ² domain, which the trainer reads from it for func_call records.
	Index    string `json:"index"`
	Category string `json:"category"`
	Problem  string `json:"problem"`
	Answer   string `json:"answer"`
	// Tools are OpenAI-style function tools, one per tool family, each with a parameter
	// choosing the alias to call: search-1, search-2 → search(model).
	Tools []FunctionTool `json:"tools"`
	// ModelMapping maps each alias to the model behind it.
	ModelMapping map[string]string `json:"model_mapping"`
	// ToolPricing maps each model (as ModelMapping names it) to its prices: the trainer
	// looks prices up by model.
	ToolPricing map[string]ModelPricing `json:"tool_pricing"`
	// PrefVec maps each alias, "accuracy", "cost" and "latency" to its weight.
	PrefVec map[string]float64 `json:"pref_vec"`
	// Example is the τ² task (func_call) or the source row (qa), as a JSON object.
	Example         json.RawMessage `json:"example"`
	PrefInstruction string          `json:"pref_instruction"`
	Split           string          `json:"split"`
	Domain          string          `json:"domain"`
	Source          string          `json:"source"`
	License         string          `json:"license"`
	Difficulty      int             `json:"difficulty"`
}

// A FunctionTool is a tool in the OpenAI function-calling form that chat templates take.
type FunctionTool struct {
	Type     string   `json:"type"` // "function"
	Function Function `json:"function"`
}

// Function describes a callable function.
type Function struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Parameters  Parameters `json:"parameters"`
}

// Parameters is the JSON Schema of a function's arguments.
type Parameters struct {
	Type       string              `json:"type"` // "object"
	Properties map[string]Property `json:"properties"`
	Required   []string            `json:"required"`
}

// A Property is one argument of a function.
type Property struct {
	Type        string   `json:"type"`
	Description string   `json:"description"`
	Enum        []string `json:"enum,omitempty"`
}

// ModelPricing is what one call of a model costs and takes, under the names ToolOrchestra's
// trainer reads (input_tokens_per_million, output_tokens_per_million), with the other terms
// of dataset.Pricing.
type ModelPricing struct {
	InputTokensPerMillion  float64 `json:"input_tokens_per_million"`
	OutputTokensPerMillion float64 `json:"output_tokens_per_million"`
	PerCall                float64 `json:"per_call"`
	PerSecond              float64 `json:"per_second"`
	LatencySeconds         float64 `json:"latency_seconds"`
	Provider               string  `json:"provider"`
}

// toolFamilies maps a tool family (an alias without its "-N") to ToolOrchestra's function
// and the name of its argument. Families not listed keep their name and take "model".
var toolFamilies = map[string]struct{ name, arg, desc string }{
	"search":      {"search", "model", "Search for information the problem needs and the context lacks."},
	"reasoner":    {"enhance_reasoning", "model", "Have a model analyse the problem, write and run code, and return intermediate results that help solve it."},
	"answer":      {"answer", "model", "Give the final answer, written by the chosen model."},
	"answer-math": {"answer", "model", "Give the final answer, written by the chosen model."},
	"expert":      {"call_expert", "expert", "Hand the turn to a generalist model, which replies or calls the tools of the environment."},
}

var aliasNumber = regexp.MustCompile(`-\d+$`)

// ToToolOrchestra converts a record to its data.jsonl line.
func ToToolOrchestra(rec *dataset.Record) (*ToolOrchestraLine, error) {
	l := &ToolOrchestraLine{
		ID: rec.ID, Index: rec.Domain + "____" + rec.ID, Category: rec.Category, Problem: rec.Problem,
		Answer: rec.Answer, Tools: functionTools(rec), ModelMapping: rec.ModelMapping, PrefVec: rec.PrefVec,
		Example: rec.Example, PrefInstruction: rec.PrefInstruction, Split: rec.Split, Domain: rec.Domain,
		Source: rec.Source, License: rec.License, Difficulty: rec.Difficulty,
	}
	if l.ModelMapping == nil {
		l.ModelMapping = map[string]string{}
	}
	if l.PrefVec == nil {
		l.PrefVec = map[string]float64{}
	}
	if len(l.Example) == 0 {
		l.Example = json.RawMessage("null")
	}
	l.ToolPricing = map[string]ModelPricing{}
	owner := map[string]string{} // model → the alias whose price it has
	for _, t := range rec.Tools {
		p, ok := rec.ToolPricing[t.Alias]
		if !ok {
			continue
		}
		model := rec.ModelMapping[t.Alias]
		if model == "" {
			model = t.Alias
		}
		mp := ModelPricing{InputTokensPerMillion: p.InputPerMillion, OutputTokensPerMillion: p.OutputPerMillion,
			PerCall: p.PerCall, PerSecond: p.PerSecond, LatencySeconds: p.LatencySeconds, Provider: p.Provider}
		if prev, ok := l.ToolPricing[model]; ok && prev != mp {
			return nil, fmt.Errorf("tool_pricing: aliases %s and %s both call model %q at different prices", owner[model], t.Alias, model)
		}
		l.ToolPricing[model] = mp
		owner[model] = t.Alias
	}
	return l, nil
}

// functionTools groups the record's aliases by family into function tools, in the order the
// families first appear among the record's tools.
func functionTools(rec *dataset.Record) []FunctionTool {
	type family struct {
		key     string
		aliases []dataset.Tool
	}
	var fams []*family
	for _, t := range rec.Tools {
		key := aliasNumber.ReplaceAllString(t.Alias, "")
		i := slices.IndexFunc(fams, func(f *family) bool { return toolName(f.key) == toolName(key) })
		if i < 0 {
			fams = append(fams, &family{key: key})
			i = len(fams) - 1
		}
		fams[i].aliases = append(fams[i].aliases, t)
	}
	tools := make([]FunctionTool, 0, len(fams))
	for _, f := range fams {
		name, arg, desc := toolName(f.key), "model", "Call one of the "+f.key+" tools."
		if spec, ok := toolFamilies[f.key]; ok {
			arg, desc = spec.arg, spec.desc
		}
		enum := make([]string, len(f.aliases))
		var choices strings.Builder
		for i, t := range f.aliases {
			enum[i] = t.Alias
			if i > 0 {
				choices.WriteString("; ")
			}
			choices.WriteString(t.Alias + " -> ")
			if m := rec.ModelMapping[t.Alias]; m != "" {
				choices.WriteString(m + ": ")
			}
			choices.WriteString(t.Description)
		}
		quoted := make([]string, len(enum))
		for i, a := range enum {
			quoted[i] = "'" + a + "'"
		}
		tools = append(tools, FunctionTool{Type: "function", Function: Function{
			Name:        name,
			Description: desc,
			Parameters: Parameters{Type: "object", Required: []string{arg}, Properties: map[string]Property{
				arg: {Type: "string", Enum: enum,
					Description: "The tool to call. Choices: [" + strings.Join(quoted, ", ") + "] (" + choices.String() + ")."},
			}},
		}})
	}
	return tools
}

func toolName(family string) string {
	if spec, ok := toolFamilies[family]; ok {
		return spec.name
	}
	return family
}

func exportToolOrchestra(ctx context.Context, r *dataset.Reader, out dataset.FS, o *Options, s *Summary) error {
	w, err := create(ctx, out, ToolOrchestraFile)
	if err != nil {
		return err
	}
	defer w.abort()
	bw := bufio.NewWriterSize(w, 256<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var n int64
	for i := range r.Manifest().Shards {
		err := shardRecords(ctx, r, i, func(rec *dataset.Record) (string, error) {
			s.Read++
			if !o.keep(rec, s) {
				return "", nil
			}
			l, err := ToToolOrchestra(rec)
			if err != nil {
				return "", err
			}
			buf.Reset()
			if err := enc.Encode(l); err != nil { // one line: Encode writes compact JSON and "\n"
				return "", err
			}
			if _, err := bw.Write(buf.Bytes()); err != nil {
				return "", fmt.Errorf("write %s: %w", dataset.Join(out, ToolOrchestraFile), err)
			}
			n++
			return "", nil
		})
		if err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", dataset.Join(out, ToolOrchestraFile), err)
	}
	f, err := w.close(n)
	if err != nil {
		return err
	}
	s.Written += n
	s.Files = append(s.Files, f)
	return nil
}
