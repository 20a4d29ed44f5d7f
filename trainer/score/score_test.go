package score

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
	"github.com/toolscale/toolscale/trainer/cost"
)

// A shop: items with prices, one read tool and one write tool.
type item struct {
	ID    string  `json:"item_id"`
	Price float64 `json:"price"`
}

type shopDB struct {
	Items *domains.Table[item] `json:"items"`
}

type idParams struct {
	ItemID string `json:"item_id"`
}

type priceParams struct {
	ItemID string  `json:"item_id"`
	Price  float64 `json:"price"`
}

var shop = &domains.Domain{
	Name: "scoreshop", Toolkit: "ShopTools", Policy: "Be nice.",
	NewDB: func() domains.DB { return &shopDB{} },
	Tools: []*domains.Tool{
		{Name: "get_item", Kind: domains.Read, Description: "Get an item.", Params: idParams{}, Fn: func(e *domains.Env, a domains.Args) (any, error) {
			it, ok := e.DB.(*shopDB).Items.Get(py.Str(a["item_id"]))
			if !ok {
				return nil, errors.New("Item not found")
			}
			return it, nil
		}},
		{Name: "set_price", Kind: domains.Write, Description: "Set a price.", Params: priceParams{}, Fn: func(e *domains.Env, a domains.Args) (any, error) {
			it, ok := e.DB.(*shopDB).Items.Mut(py.Str(a["item_id"]))
			if !ok {
				return nil, errors.New("Item not found")
			}
			p, ok := py.IsNumber(a["price"])
			if !ok {
				return nil, errors.New("bad price")
			}
			it.Price = p
			return it, nil
		}},
	},
	Generate: func(r *rand.Rand, scale int) (domains.DB, error) {
		db := &shopDB{Items: &domains.Table[item]{}}
		for _, id := range []string{"A", "B", "C"} {
			db.Items.Put(id, &item{ID: id, Price: 1})
		}
		return db, domains.Freeze(db)
	},
}

func init() { domains.Register(shop) }

func loader(d *domains.Domain, file string) (domains.DB, error) {
	if file != "db_000.json" {
		return nil, fmt.Errorf("no database %q", file)
	}
	return d.Generate(nil, 1)
}

func funcCallRecord(t *testing.T) *dataset.Record {
	t.Helper()
	tk := task.Task{
		ID:           "scoreshop-1",
		UserScenario: task.UserScenario{Instructions: task.Instructions{Domain: "scoreshop"}},
		EvaluationCriteria: task.EvaluationCriteria{
			Actions:         []task.Action{{Name: "set_price", Arguments: py.NewObject("item_id", "A", "price", int64(5))}},
			CommunicateInfo: []string{"1,500"},
		},
		Toolscale: &task.Extension{DB: "db_000.json"},
	}
	ex, err := json.Marshal(tk)
	if err != nil {
		t.Fatal(err)
	}
	return &dataset.Record{ID: "scoreshop-1", Category: dataset.CategoryFuncCall, Example: ex,
		ToolPricing: map[string]dataset.Pricing{"expert-1": {InputPerMillion: 1, OutputPerMillion: 10, LatencySeconds: 2}}}
}

func step(alias, args string) cost.Step {
	return cost.Step{Alias: alias, Arguments: json.RawMessage(args)}
}

func TestScoreTask(t *testing.T) {
	rec := funcCallRecord(t)
	said := []cost.Message{{Role: "assistant", Content: "Done: the total is 1500 dollars."}}
	for _, tt := range []struct {
		name      string
		steps     []cost.Step
		msgs      []cost.Message
		outcome   int
		db        bool
		untouched int
	}{
		{"correct", []cost.Step{step("get_item", `{"item_id": "A"}`), step("set_price", `{"item_id": "A", "price": 5.0}`), step("expert-1", `{}`)}, said, 1, true, 0},
		{"wrong write", []cost.Step{step("set_price", `{"item_id": "A", "price": 6}`)}, said, 0, false, 0},
		{"missing communication", []cost.Step{step("set_price", `{"item_id": "A", "price": 5}`)}, []cost.Message{{Role: "assistant", Content: "Done."}}, 0, true, 0},
		{"said by the user only", []cost.Step{step("set_price", `{"item_id": "A", "price": 5}`)}, []cost.Message{{Role: "user", Content: "1500"}}, 0, true, 0},
		{"extra write", []cost.Step{step("set_price", `{"item_id": "A", "price": 5}`), step("set_price", `{"item_id": "B", "price": 2}`)}, said, 0, false, 0},
		{"no write", []cost.Step{step("get_item", `{"item_id": "A"}`)}, said, 0, false, 1},
		{"failed call then right", []cost.Step{step("set_price", `{"item_id": "Z", "price": 5}`), step("set_price", `{"item_id": "A", "price": 5}`)}, said, 1, true, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Score(rec, cost.Trajectory{Steps: tt.steps, Messages: tt.msgs}, loader, domains.DefaultNow)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tt.outcome || *res.DBMatch != tt.db || len(res.Untouched) != tt.untouched {
				t.Errorf("outcome %d, db match %v, untouched %v; want %d, %v, %d", res.Outcome, *res.DBMatch, res.Untouched, tt.outcome, tt.db, tt.untouched)
			}
		})
	}
	res, err := Score(rec, cost.Trajectory{Steps: []cost.Step{step("expert-1", `{}`)}}, loader, domains.DefaultNow)
	if err != nil || res.Usage.Latency != 2 {
		t.Errorf("usage of an orchestration step: %+v, %v", res, err)
	}
	if _, err := Score(rec, cost.Trajectory{Steps: []cost.Step{step("drop_table", `{}`)}}, loader, domains.DefaultNow); err == nil {
		t.Errorf("an unknown tool was accepted")
	}
}

func TestScoreQA(t *testing.T) {
	rec := &dataset.Record{ID: "q", Category: dataset.CategoryQA, Answer: `\frac{1}{2}`}
	for _, tt := range []struct {
		answer string
		want   int
	}{{`\boxed{0.5}`, 1}, {"1/2", 1}, {"The answer is 0.50.", 1}, {"0.6", 0}, {"", 0}} {
		res, err := Score(rec, cost.Trajectory{FinalAnswer: tt.answer}, loader, domains.DefaultNow)
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != tt.want {
			t.Errorf("answer %q: outcome %d; want %d", tt.answer, res.Outcome, tt.want)
		}
	}
}

func TestAnswerMatches(t *testing.T) {
	for _, tt := range []struct {
		got, want string
		ok        bool
	}{
		{`$\boxed{1{,}000}$`, "1000", false}, // LaTeX thousands braces are not unwrapped
		{"1,000", "1000", true},
		{`\boxed{\text{Paris}}`, "paris", true},
		{"Final answer: 42", "42.0", true},
		{"50%", "0.5", true},
		{"x = 3", "3", false},
		{`\dfrac{3}{4}`, "0.75", true},
		{"Blue.", "blue", true},
		{"1e3", "1000", true},
	} {
		if got := AnswerMatches(tt.got, tt.want); got != tt.ok {
			t.Errorf("AnswerMatches(%q, %q) = %v; want %v", tt.got, tt.want, got, tt.ok)
		}
	}
}
