package export

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// The fixture: func_call records of three domains and qa records of two tasks, a quarter of
// them in the test split, with realistic field lengths.
var (
	fixtureDomains = []string{"bank", "movie", "weather"}
	fixtureTasks   = []string{"math", "physics"}
)

var fixtureTools = []struct {
	tool  dataset.Tool
	model string
	price dataset.Pricing
}{
	{dataset.Tool{Alias: "search-1", Kind: "basic", Description: "Search the web and return the top passages for a query."}, "web-search",
		dataset.Pricing{Provider: "cloud-a", PerCall: 0.005, LatencySeconds: 1.2}},
	{dataset.Tool{Alias: "code-1", Kind: "basic", Description: "Run Python code in a sandbox and return its output."}, "python-sandbox",
		dataset.Pricing{Provider: "cloud-a", PerSecond: 0.0001, LatencySeconds: 2.5}},
	{dataset.Tool{Alias: "answer-math-1", Kind: "specialized", Description: "A mathematics model: answers math problems with worked steps."}, "Qwen2.5-Math-72B-Instruct",
		dataset.Pricing{Provider: "cloud-a", InputPerMillion: 1.2, OutputPerMillion: 1.2, LatencySeconds: 6.1}},
	{dataset.Tool{Alias: "reasoner-1", Kind: "specialized", Description: "A coding model: writes and fixes code."}, "Qwen2.5-Coder-32B-Instruct",
		dataset.Pricing{Provider: "cloud-a", InputPerMillion: 0.8, OutputPerMillion: 0.8, LatencySeconds: 4.4}},
	{dataset.Tool{Alias: "expert-1", Kind: "generalist", Description: "The strongest generalist model; slow and expensive."}, "gpt-5",
		dataset.Pricing{Provider: "cloud-a", InputPerMillion: 1.25, OutputPerMillion: 10, LatencySeconds: 18.3}},
	{dataset.Tool{Alias: "expert-2", Kind: "generalist", Description: "A capable generalist model at a lower price."}, "gpt-5-mini",
		dataset.Pricing{Provider: "cloud-a", InputPerMillion: 0.25, OutputPerMillion: 2, LatencySeconds: 7.9}},
}

const lorem = "The account holder called about a transfer that was debited twice from the checking account " +
	"on the first of the month; the second debit should be reversed and the fee waived, as the policy allows " +
	"once a year for customers in good standing. "

// configure gives rec a tool configuration drawn from i.
func configure(rec *dataset.Record, i int) {
	rec.ModelMapping = map[string]string{}
	rec.ToolPricing = map[string]dataset.Pricing{}
	rec.PrefVec = map[string]float64{}
	for k, t := range fixtureTools {
		if (i+k)%3 == 0 && k != 4 {
			continue // each record gets a different subset; expert-1 always
		}
		rec.Tools = append(rec.Tools, t.tool)
		rec.ModelMapping[t.tool.Alias] = t.model
		p := t.price
		p.LatencySeconds += float64(i%7) / 10
		rec.ToolPricing[t.tool.Alias] = p
		rec.PrefVec[t.tool.Alias] = float64((i+k)%5) / 4
	}
	rec.PrefVec["accuracy"] = 1
	rec.PrefVec["cost"] = float64(i%3) / 2
	rec.PrefVec["latency"] = float64(i%4) / 3
	rec.PrefInstruction = "Prefer expert-1 when accuracy matters; keep the cost low & avoid slow tools <when possible>."
}

func funcCallRecord(i int) dataset.Record {
	domain := fixtureDomains[i%len(fixtureDomains)]
	id := dataset.RecordID(7, domain, int64(i))
	info := fmt.Sprintf("The refund of $%d.%02d was issued to account ACC-%04d.", 10+i%90, i%100, i)
	purpose := "Reverse a duplicated debit and waive the fee."
	t := task.Task{
		ID:          id,
		Description: &task.Description{Purpose: purpose},
		UserScenario: task.UserScenario{
			Persona: "A busy nurse who works night shifts and prefers short, direct answers. " + strings.Repeat("She is polite. ", 4),
			Instructions: task.Instructions{
				Domain:           domain,
				ReasonForCall:    "You were charged twice for the same transfer. " + lorem,
				KnownInfo:        fmt.Sprintf("Your customer id is CUST-%05d and your account is ACC-%04d.", i, i),
				UnknownInfo:      "You do not know the transaction ids.",
				TaskInstructions: "Ask for the duplicate to be reversed. If the agent asks, confirm the amount. " + lorem,
			},
		},
		EvaluationCriteria: task.EvaluationCriteria{
			Actions: []task.Action{
				{ActionID: "0", Requestor: "assistant", Name: "get_customer", Arguments: py.NewObject("customer_id", fmt.Sprintf("CUST-%05d", i))},
				{ActionID: "1", Requestor: "assistant", Name: "list_transactions", Arguments: py.NewObject("account_id", fmt.Sprintf("ACC-%04d", i), "limit", int64(20))},
				{ActionID: "2", Requestor: "assistant", Name: "reverse_transaction", Arguments: py.NewObject("transaction_id", fmt.Sprintf("TX-%06d", i*3), "amount", 12.5+float64(i%10))},
			},
			CommunicateInfo: []string{info},
			NLAssertions:    []string{"The agent reverses exactly one debit.", "The agent tells the user the refund amount."},
			RewardBasis:     []string{"DB", "COMMUNICATE"},
		},
		Toolscale: &task.Extension{DB: fmt.Sprintf("db_%03d.json", i%2), Intent: "reverse_duplicate", Difficulty: i % 3,
			Expected: task.Hashes{SHA256: fmt.Sprintf("%064x", i), Tau2: fmt.Sprintf("%064x", i*31+1)}},
	}
	ex, err := json.Marshal(t)
	if err != nil {
		panic(err) // a bug in the fixture
	}
	rec := dataset.Record{
		ID: id, Index: int64(i), Category: dataset.CategoryFuncCall, Domain: domain, Source: dataset.SourceToolScale,
		License: "CC-BY-4.0", Split: split(i), Difficulty: i % 3,
		Problem: t.UserScenario.Instructions.ReasonForCall + "\n\n" + t.UserScenario.Instructions.KnownInfo,
		Answer:  info, Example: ex,
	}
	configure(&rec, i)
	return rec
}

func qaRecord(i int) dataset.Record {
	tk := fixtureTasks[i%len(fixtureTasks)]
	id := dataset.RecordID(7, dataset.SourceGeneralThought, int64(i))
	question := fmt.Sprintf("A ball is thrown upward at %d m/s from a height of %d m. Taking g = 9.8 m/s², how long until it lands? ", 5+i%20, i%30) +
		strings.Repeat("Give the answer to two decimal places and explain each step briefly. ", 3)
	answer := fmt.Sprintf("%.2f s", 1+float64(i%37)/10)
	row := map[string]any{
		"question_id": i, "question_url": fmt.Sprintf("https://example.org/q/%d", i), "question": question,
		"reference_answer": answer, "prev_messages": nil, "model_name": "a-reasoning-model",
		"model_answer":    "The ball lands after " + answer + ".",
		"model_reasoning": strings.Repeat("We solve h + v t - g t²/2 = 0 for the positive root. ", 30),
		"task":            tk, "question_license": "MIT", "question_source": "Physics-Problems",
		"community_answer_score": 1, "community_question_score": 0, "verifier_score": 1.0,
	}
	ex, err := json.Marshal(row)
	if err != nil {
		panic(err)
	}
	rec := dataset.Record{
		ID: id, Index: int64(i), Category: dataset.CategoryQA, Domain: tk, Source: dataset.SourceGeneralThought,
		License: "MIT", Split: split(i), Problem: question, Answer: answer, Example: ex,
	}
	configure(&rec, i)
	return rec
}

func split(i int) string {
	if i%4 == 3 {
		return "test"
	}
	return "train"
}

// makeRecords returns n records, func_call and qa alternating.
func makeRecords(n int) []dataset.Record {
	recs := make([]dataset.Record, n)
	for i := range recs {
		if i%2 == 0 {
			recs[i] = funcCallRecord(i)
		} else {
			recs[i] = qaRecord(i)
		}
	}
	return recs
}

// tau2Files are the dataset's τ² files: databases and policies of two of the three domains
// (weather has none), and the dataset's own tasks.json, which the export does not copy.
var tau2Files = map[string][]byte{
	"tau2/bank/db_000.json":  []byte(`{"accounts": {"ACC-0000": {"balance": 12.5}}}` + "\n"),
	"tau2/bank/db_001.json":  []byte(`{"accounts": {}}` + "\n"),
	"tau2/bank/policy.md":    []byte("# Bank policy\n\nWaive one fee a year.\n"),
	"tau2/bank/tasks.json":   []byte("[]\n"),
	"tau2/movie/db_000.json": []byte(`{"movies": {}}` + "\n"),
	"tau2/movie/policy.md":   []byte("# Movie policy\n"),
}

// writeFixture writes a dataset of recs in shards shards to a temporary folder.
func writeFixture(t testing.TB, recs []dataset.Record, shards int) (dir string, m *dataset.Manifest) {
	t.Helper()
	dir = t.TempDir()
	m, err := dataset.WriteDataset(context.Background(), dataset.OpenDir(dir), slices.Clone(recs), nil,
		&dataset.WriteOptions{Shards: shards, Seed: 7, ToolVersion: "test", Files: tau2Files})
	if err != nil {
		t.Fatal(err)
	}
	return dir, m
}

// runExport exports the dataset in dir to a new temporary folder.
func runExport(t testing.TB, dir, format string, opts *Options) (out string, s *Summary) {
	t.Helper()
	out = t.TempDir()
	s, err := Export(context.Background(), dataset.OpenDir(dir), dataset.OpenDir(out), format, opts)
	if err != nil {
		t.Fatalf("Export(%s): %v", format, err)
	}
	return out, s
}

// ids returns the ids of recs in the split ("" or "all": every one) and category ("": any).
func ids(recs []dataset.Record, split, category string) []string {
	var out []string
	for _, r := range recs {
		if (split == "" || split == SplitAll || r.Split == split) && (category == "" || r.Category == category) {
			out = append(out, r.ID)
		}
	}
	slices.Sort(out)
	return out
}

// listFiles returns the files under dir, relative, sorted.
func listFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkOnce fails unless got holds each of want exactly once and nothing else.
func checkOnce(t *testing.T, what string, got, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s: id %s appears %d times", what, id, n)
		}
	}
	g := slices.Clone(got)
	slices.Sort(g)
	g = slices.Compact(g)
	if !slices.Equal(g, want) {
		t.Errorf("%s: %d distinct ids, want %d\n got %.5q…\nwant %.5q…", what, len(g), len(want), g, want)
	}
}
