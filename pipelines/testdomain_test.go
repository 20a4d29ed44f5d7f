package pipelines

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// The test domain: a shop with items and orders, and intents that between them make every
// kind of task the pipeline must handle: good ones (read-only and writing), tasks with no
// effect, failing and schema-breaking calls, duplicates, and intents with no candidate.
// Registering it here keeps the pipeline tests independent of the real domains' templates.

const testDomain = "pipetest"

type ptItem struct {
	ItemID   string  `json:"item_id"`
	Name     string  `json:"name"`
	Category string  `json:"category"`
	Price    float64 `json:"price"`
	Stock    int64   `json:"stock"`
	Notes    string  `json:"notes"`
}

type ptOrder struct {
	OrderID  string `json:"order_id"`
	ItemID   string `json:"item_id"`
	Quantity int64  `json:"quantity"`
	Customer string `json:"customer"`
	Status   string `json:"status"`
}

type ptDB struct {
	Items  *domains.Table[ptItem]  `json:"items"`
	Orders *domains.Table[ptOrder] `json:"orders"`
}

type ptItemParams struct {
	ItemID string `json:"item_id" jsonschema:"description=The item id."`
}

type ptRestockParams struct {
	ItemID   string `json:"item_id" jsonschema:"description=The item id."`
	Quantity int64  `json:"quantity" jsonschema:"description=How many units arrive."`
}

type ptOrderParams struct {
	ItemID   string `json:"item_id" jsonschema:"description=The item id."`
	Quantity int64  `json:"quantity" jsonschema:"description=How many units."`
	Customer string `json:"customer" jsonschema:"description=Who orders."`
}

type ptCancelParams struct {
	OrderID string `json:"order_id" jsonschema:"description=The order id."`
}

func ptdb(e *domains.Env) *ptDB { return e.DB.(*ptDB) }

func ptString(a domains.Args, k string) (string, error) {
	s, ok := a[k].(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string, got %s", k, py.Repr(a[k]))
	}
	return s, nil
}

func ptInt(a domains.Args, k string) (int64, error) {
	n, ok := py.IsInt(a[k])
	if !ok {
		return 0, fmt.Errorf("%s must be an integer, got %s", k, py.Repr(a[k]))
	}
	return n, nil
}

var ptDomain = &domains.Domain{
	Name:    testDomain,
	Toolkit: "PipeTestTools",
	NewDB:   func() domains.DB { return &ptDB{} },
	Policy:  "# Shop policy\n\nLook an item up before you order it. Never sell more than the stock.\n",
	Tools: []*domains.Tool{
		{Name: "get_item", Kind: domains.Read, Description: "Get an item.", Params: ptItemParams{},
			Fn: func(e *domains.Env, a domains.Args) (any, error) {
				id, err := ptString(a, "item_id")
				if err != nil {
					return nil, err
				}
				it, ok := ptdb(e).Items.Get(id)
				if !ok {
					return nil, errors.New("Item " + id + " not found")
				}
				return it, nil
			}},
		{Name: "restock_item", Kind: domains.Write, Description: "Add units to an item's stock.", Params: ptRestockParams{},
			Fn: func(e *domains.Env, a domains.Args) (any, error) {
				id, err := ptString(a, "item_id")
				if err != nil {
					return nil, err
				}
				q, err := ptInt(a, "quantity")
				if err != nil {
					return nil, err
				}
				if q <= 0 {
					return nil, errors.New("Quantity must be positive")
				}
				it, ok := ptdb(e).Items.Mut(id)
				if !ok {
					return nil, errors.New("Item " + id + " not found")
				}
				it.Stock += q
				return it, nil
			}},
		{Name: "place_order", Kind: domains.Write, Description: "Order units of an item.", Params: ptOrderParams{},
			Fn: func(e *domains.Env, a domains.Args) (any, error) {
				id, err := ptString(a, "item_id")
				if err != nil {
					return nil, err
				}
				q, err := ptInt(a, "quantity")
				if err != nil {
					return nil, err
				}
				who, err := ptString(a, "customer")
				if err != nil {
					return nil, err
				}
				it, ok := ptdb(e).Items.Mut(id)
				if !ok {
					return nil, errors.New("Item " + id + " not found")
				}
				if q <= 0 || q > it.Stock {
					return nil, errors.New("Not enough stock")
				}
				it.Stock -= q
				o := &ptOrder{OrderID: fmt.Sprintf("ORD%05d", ptdb(e).Orders.Len()+1), ItemID: id, Quantity: q, Customer: who, Status: "placed"}
				ptdb(e).Orders.Put(o.OrderID, o)
				return o, nil
			}},
		{Name: "cancel_order", Kind: domains.Write, Description: "Cancel a placed order.", Params: ptCancelParams{},
			Fn: func(e *domains.Env, a domains.Args) (any, error) {
				id, err := ptString(a, "order_id")
				if err != nil {
					return nil, err
				}
				o, ok := ptdb(e).Orders.Mut(id)
				if !ok {
					return nil, errors.New("Order " + id + " not found")
				}
				if o.Status != "placed" {
					return nil, errors.New("Order " + id + " is " + o.Status)
				}
				o.Status = "cancelled"
				if it, ok := ptdb(e).Items.Mut(o.ItemID); ok {
					it.Stock += o.Quantity
				}
				return o, nil
			}},
	},
	Generate: ptGenerate,
}

var (
	ptAdjectives = []string{"red", "small", "vintage", "sturdy", "folding", "smart", "quiet", "linen", "copper", "bamboo",
		"waterproof", "wireless", "ceramic", "woolen", "compact", "deluxe"}
	ptNouns = []string{"kettle", "lamp", "backpack", "chair", "speaker", "blanket", "teapot", "umbrella", "notebook",
		"clock", "mug", "headphones", "planter", "scarf", "toaster", "tent"}
	ptCategories = []string{"kitchen", "home", "outdoor", "audio", "stationery", "apparel"}
	ptFirst      = []string{"Ada", "Bruno", "Chiara", "Dmitri", "Esme", "Farid", "Greta", "Hiro", "Ines", "Jonah", "Kemal",
		"Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Talia"}
	ptLast = []string{"Abara", "Bianchi", "Cortez", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen",
		"Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Schmidt", "Tanaka"}
	ptWords = strings.Fields("sturdy reliable gift popular seasonal handmade imported eco-friendly compact classic " +
		"bestseller limited edition durable lightweight premium recycled warranty returns assembly required")
)

// ptGenerate makes about 400 KB of database per unit of scale, like the smaller reference
// databases, so that verification costs what it costs on a real domain.
func ptGenerate(r *rand.Rand, scale int) (domains.DB, error) {
	db := &ptDB{Items: &domains.Table[ptItem]{}, Orders: &domains.Table[ptOrder]{}}
	for i := range 500 * scale {
		var notes []string
		for range 40 + r.IntN(40) {
			notes = append(notes, ptWords[r.IntN(len(ptWords))])
		}
		it := &ptItem{
			ItemID:   fmt.Sprintf("IT%05d", i+1),
			Name:     ptAdjectives[r.IntN(len(ptAdjectives))] + " " + ptNouns[r.IntN(len(ptNouns))],
			Category: ptCategories[r.IntN(len(ptCategories))],
			Price:    float64(100+r.IntN(20000)) / 100,
			Stock:    int64(r.IntN(40)),
			Notes:    strings.Join(notes, " "),
		}
		db.Items.Put(it.ItemID, it)
	}
	for i := range 100 * scale {
		o := &ptOrder{OrderID: fmt.Sprintf("ORD%05d", i+1), ItemID: fmt.Sprintf("IT%05d", 1+r.IntN(500*scale)),
			Quantity: int64(1 + r.IntN(4)), Customer: ptPerson(r), Status: []string{"placed", "shipped"}[r.IntN(2)]}
		db.Orders.Put(o.OrderID, o)
	}
	return db, nil
}

func ptPerson(r *rand.Rand) string {
	return ptFirst[r.IntN(len(ptFirst))] + " " + ptLast[r.IntN(len(ptLast))]
}

func ptPick(r *rand.Rand, env *domains.Env) (*ptItem, error) {
	keys := ptdb(env).Items.Keys()
	if len(keys) == 0 {
		return nil, domains.ErrNoCandidate
	}
	it, _ := ptdb(env).Items.Get(keys[r.IntN(len(keys))])
	return it, nil
}

func init() {
	ptDomain.Intents = []*domains.Intent{
		{Name: "check_stock", Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
			it, err := ptPick(r, env)
			if err != nil {
				return nil, err
			}
			who := ptPerson(r)
			ask := []string{"how many %s are left", "whether the %s is in stock and how many", "the stock of the %s"}[r.IntN(3)]
			return &task.Draft{
				Intent: "check_stock", Purpose: "Report an item's stock.",
				Persona:          who + ", a careful shopper.",
				ReasonForCall:    "You want to know " + fmt.Sprintf(ask, it.Name) + " (item " + it.ItemID + ").",
				KnownInfo:        "You are " + who + ". The item id is " + it.ItemID + ".",
				TaskInstructions: "Ask for the stock; do not order anything.",
				Actions:          []task.Call{{Name: "get_item", Arguments: py.NewObject("item_id", it.ItemID)}},
				CommunicateInfo:  []string{fmt.Sprint(it.Stock)},
				NLAssertions:     []string{"The agent tells the user the stock of " + it.ItemID + "."},
			}, nil
		}},
		{Name: "restock", Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
			it, err := ptPick(r, env)
			if err != nil {
				return nil, err
			}
			q := 1 + r.IntN(60)
			who := ptPerson(r)
			return &task.Draft{
				Intent: "restock", Purpose: "Record a delivery.",
				Persona:          who + ", the shop's warehouse clerk.",
				ReasonForCall:    fmt.Sprintf("A delivery of %d units of %s arrived.", q, it.Name),
				KnownInfo:        "You are " + who + ". The item id is " + it.ItemID + ".",
				TaskInstructions: fmt.Sprintf("Ask the agent to add %d units to %s.", q, it.ItemID),
				Actions:          []task.Call{{Name: "restock_item", Arguments: py.NewObject("item_id", it.ItemID, "quantity", int64(q))}},
				NLAssertions:     []string{"The agent restocks the item."},
			}, nil
		}},
		{Name: "order", Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
			it, err := ptPick(r, env)
			if err != nil {
				return nil, err
			}
			if it.Stock == 0 {
				return nil, domains.ErrNoCandidate
			}
			q := 1 + r.Int64N(min(it.Stock, 5))
			who := ptPerson(r)
			return &task.Draft{
				Intent: "order", Purpose: "Place an order.",
				Persona:          who + ", a returning customer.",
				ReasonForCall:    fmt.Sprintf("You want to buy %d × %s.", q, it.Name),
				KnownInfo:        "You are " + who + ". The item id is " + it.ItemID + ".",
				UnknownInfo:      "You do not know the price.",
				TaskInstructions: fmt.Sprintf("Order %d units of %s in the name %s.", q, it.ItemID, who),
				Actions: []task.Call{
					{Name: "get_item", Arguments: py.NewObject("item_id", it.ItemID)},
					{Name: "place_order", Arguments: py.NewObject("item_id", it.ItemID, "quantity", q, "customer", who)},
				},
				NLAssertions: []string{"The agent places the order."},
			}, nil
		}},
		{Name: "cancel", Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
			keys := ptdb(env).Orders.Keys()
			var placed []*ptOrder
			for _, k := range keys {
				if o, _ := ptdb(env).Orders.Get(k); o.Status == "placed" {
					placed = append(placed, o)
				}
			}
			if len(placed) == 0 {
				return nil, domains.ErrNoCandidate
			}
			o := placed[r.IntN(len(placed))]
			return &task.Draft{
				Intent: "cancel", Purpose: "Cancel an order.",
				Persona:          o.Customer + ", who changed their mind.",
				ReasonForCall:    "You want to cancel order " + o.OrderID + ".",
				KnownInfo:        "You are " + o.Customer + ". Your order is " + o.OrderID + ".",
				TaskInstructions: []string{"Insist politely.", "Be brief.", "Give the order id first."}[r.IntN(3)],
				Actions:          []task.Call{{Name: "cancel_order", Arguments: py.NewObject("order_id", o.OrderID)}},
				NLAssertions:     []string{"The agent cancels the order."},
			}, nil
		}},
		{Name: "noop", Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
			it, err := ptPick(r, env)
			if err != nil {
				return nil, err
			}
			return &task.Draft{
				Intent: "noop", Purpose: "Look without asking anything.",
				Persona: ptPerson(r) + ".", ReasonForCall: "You browse " + it.ItemID + ".",
				Actions: []task.Call{{Name: "get_item", Arguments: py.NewObject("item_id", it.ItemID)}},
			}, nil
		}},
		{Name: "broken", Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
			it, err := ptPick(r, env)
			if err != nil {
				return nil, err
			}
			var q any = int64(0) // fails on replay
			if r.IntN(2) == 1 {
				q = "five" // breaks the tool's schema
			}
			return &task.Draft{
				Intent: "broken", Purpose: "A delivery of nothing.", Persona: ptPerson(r) + ".",
				ReasonForCall: "A delivery for " + it.ItemID + " arrived.",
				Actions:       []task.Call{{Name: "restock_item", Arguments: py.NewObject("item_id", it.ItemID, "quantity", q)}},
			}, nil
		}},
		{Name: "repeat", Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
			return &task.Draft{
				Intent: "repeat", Purpose: "The same question every time.", Persona: "A regular.",
				ReasonForCall:   "You want the price of item IT00001.",
				Actions:         []task.Call{{Name: "get_item", Arguments: py.NewObject("item_id", "IT00001")}},
				CommunicateInfo: []string{"the price"},
			}, nil
		}},
		{Name: "none", Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
			return nil, domains.ErrNoCandidate
		}},
	}
	domains.Register(ptDomain)

	// The benchmark domain has the same environments and only the intents that make good
	// tasks, as a finished domain would.
	bench := *ptDomain
	bench.Name = benchDomain
	bench.Tools = nil
	for _, t := range ptDomain.Tools {
		bench.Tools = append(bench.Tools, &domains.Tool{Name: t.Name, Kind: t.Kind, Description: t.Description, Params: t.Params, Fn: t.Fn})
	}
	bench.Intents = ptDomain.Intents[:4]
	domains.Register(&bench)
}

const benchDomain = "pipebench"
