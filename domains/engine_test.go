package domains

import (
	"errors"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains/py"
)

type toyAccount struct {
	ID      string   `json:"id"`
	Status  string   `json:"status" db:"enum=active|frozen"`
	Balance float64  `json:"balance"`
	Limit   *float64 `json:"limit" db:"optional"`
}

type toyClient struct {
	ID       string           `json:"client_id"`
	Name     string           `json:"name"`
	Born     string           `json:"born" db:"alias=date-of-birth"`
	Age      int64            `json:"age"`
	Tags     []string         `json:"tags" db:"default=[]"`
	Accounts Map[*toyAccount] `json:"accounts"`
	Extra    any              `json:"extra" db:"optional"`
	_        struct{}         `db:"ignore=legacy"`
}

type toyDB struct {
	Clients *Table[toyClient] `json:"clients"`
}

type lookupParams struct {
	ClientID string  `json:"client_id"`
	Limit    int64   `json:"limit,omitempty" jsonschema:"default=10"`
	Note     *string `json:"note,omitempty"`
}

type freezeParams struct {
	ClientID  string `json:"client_id"`
	AccountID string `json:"account_id"`
	Reason    string `json:"reason"`
}

var toy = &Domain{
	Name:    "toy",
	Toolkit: "ToyTools",
	NewDB:   func() DB { return &toyDB{} },
	Tools: []*Tool{
		{Name: "get_client", Kind: Read, Description: "Get a client.", Params: lookupParams{}, Fn: func(e *Env, a Args) (any, error) {
			id, ok := a["client_id"].(string)
			if !ok {
				return nil, errors.New("Client " + py.Str(a["client_id"]) + " not found")
			}
			c, ok := e.DB.(*toyDB).Clients.Get(id)
			if !ok {
				return nil, errors.New("Client " + id + " not found")
			}
			return c, nil
		}},
		{Name: "count", Kind: Read, Description: "Count.", Fn: func(e *Env, a Args) (any, error) {
			return py.NewObject("clients", int64(e.DB.(*toyDB).Clients.Len()), "ratio", 0.5, "ok", true), nil
		}},
		{Name: "freeze_account", Kind: Write, Description: "Freeze.", Params: freezeParams{}, Fn: func(e *Env, a Args) (any, error) {
			c, ok := e.DB.(*toyDB).Clients.Mut(a["client_id"].(string))
			if !ok {
				return nil, errors.New("Client not found")
			}
			acc, ok := c.Accounts.Get(a["account_id"].(string))
			if !ok {
				return nil, errors.New("Account not found")
			}
			acc.Status = "frozen"
			return acc, nil
		}},
	},
}

const toyJSON = `{"clients": {
 "C1": {"client_id": "C1", "name": "Zoë", "date-of-birth": "1990-01-01", "age": 34, "legacy": 1,
        "accounts": {"A2": {"id": "A2", "status": "active", "balance": 1500},
                     "A1": {"id": "A1", "status": "active", "balance": 0.1, "limit": 2}},
        "extra": {"b": 1, "a": 2.0}},
 "B9": {"client_id": "B9", "name": "Bo", "date-of-birth": "2001-02-03", "age": 23.0, "tags": ["x"], "accounts": {}}
}}`

func TestDecodeEncode(t *testing.T) {
	db, err := Decode(toy, []byte(toyJSON))
	if err != nil {
		t.Fatal(err)
	}
	canon, _ := Encode(db, py.Canonical)
	want := `{"clients":{"B9":{"accounts":{},"age":23,"client_id":"B9","date-of-birth":"2001-02-03","extra":null,"name":"Bo","tags":["x"]},` +
		`"C1":{"accounts":{"A1":{"balance":0.1,"id":"A1","limit":2.0,"status":"active"},"A2":{"balance":1500.0,"id":"A2","limit":null,"status":"active"}},"age":34,"client_id":"C1","date-of-birth":"1990-01-01","extra":{"a":2.0,"b":1},"name":"Zoë","tags":[]}}}`
	if string(canon) != want {
		t.Errorf("canonical:\n got %s\nwant %s", canon, want)
	}
	tau2, _ := Encode(db, py.Tau2)
	if !strings.Contains(string(tau2), `"born": "1990-01-01"`) || !strings.Contains(string(tau2), `"Zo\u00eb"`) {
		t.Errorf("tau2 form lacks field names or ASCII escapes: %s", tau2)
	}
	file, _ := Encode(db, py.File)
	if !strings.HasPrefix(string(file), `{"clients":{"C1":{"client_id":"C1","name":"Zoë","date-of-birth":"1990-01-01","age":34,"tags":[],"accounts":{"A2"`) {
		t.Errorf("file form keeps neither order nor aliases: %s", file)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"clients": {"C1": {"client_id": "C1", "name": "x", "date-of-birth": "", "age": 1, "accounts": {"A": {"id": "A", "status": "gone", "balance": 1}}}}}`,
			`clients.C1.accounts.A.status: Input should be 'active' or 'frozen'`},
		{`{"clients": {"C1": {"client_id": "C1", "name": 5, "date-of-birth": "", "age": 1, "accounts": {}}}}`,
			`clients.C1.name: Input should be a valid string, got 5`},
		{`{"clients": {"C1": {"client_id": "C1", "name": "x", "date-of-birth": "", "accounts": {}}}}`,
			`clients.C1.age: Field required`},
		{`{"clients": {"C1": {"client_id": "C1", "name": "x", "date-of-birth": "", "age": 1.5, "accounts": {}}}}`,
			`clients.C1.age: Input should be a valid integer, got a number with a fractional part`},
		{`{"clients": {"C1": {"client_id": "C1", "nom": "x"}}}`, `clients.C1.nom: Extra inputs are not permitted`},
		{`{"clients": {"C1": `, `line 1, column 19: unexpected end of JSON input`},
	} {
		_, err := Decode(toy, []byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%.40s…) = %v; want %q", tt.in, err, tt.want)
		}
	}
}

func TestCallSemantics(t *testing.T) {
	db, err := Decode(toy, []byte(toyJSON))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := Hash(db)
	env := NewEnv(toy, db, DefaultNow)
	for _, tt := range []struct {
		name, args, content string
		ok                  bool
	}{
		{"get_client", `{}`, "Error: ToyTools.get_client() missing 1 required positional argument: 'client_id'", false},
		{"get_client", `{"client_id": "B9", "x": 1, "y": 2}`, "Error: ToyTools.get_client() got an unexpected keyword argument 'x'", false},
		{"get_client", `{"client_id": 7}`, "Error: Client 7 not found", false},
		{"freeze_account", `{}`, "Error: ToyTools.freeze_account() missing 3 required positional arguments: 'client_id', 'account_id', and 'reason'", false},
		{"freeze_account", `{"reason": "x"}`, "Error: ToyTools.freeze_account() missing 2 required positional arguments: 'client_id' and 'account_id'", false},
		{"nope", `{}`, "Error: Tool 'nope' not found.", false},
		{"count", `{}`, `{"clients": "2", "ratio": "0.5", "ok": "True"}`, true},
		{"freeze_account", `{"client_id": "C1", "account_id": "A2", "reason": "lost"}`, `{"id": "A2", "status": "frozen", "balance": 1500.0, "limit": null}`, true},
	} {
		args, err := py.Parse([]byte(tt.args))
		if err != nil {
			t.Fatal(err)
		}
		r := env.Call(tt.name, args.(*py.Object))
		if r.OK() != tt.ok || r.Content != tt.content {
			t.Errorf("%s(%s) = ok %v %q; want ok %v %q", tt.name, tt.args, r.OK(), r.Content, tt.ok, tt.content)
		}
	}
	after, _ := Hash(db)
	if before != after {
		t.Errorf("a call on a fork changed the source database")
	}
	changed, _ := Hash(env.DB)
	if changed == before {
		t.Errorf("the write did not change the fork's hash")
	}
	// Hashing a fork must equal hashing the same data decoded afresh.
	file, _ := Encode(env.DB, py.File)
	fresh, err := Decode(toy, file)
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := Hash(fresh); h != changed {
		t.Errorf("fork hash %v != fresh hash %v", changed, h)
	}
}

func TestToolValidate(t *testing.T) {
	tool := toy.Tool("get_client")
	for _, tt := range []struct {
		args string
		ok   bool
	}{
		{`{"client_id": "C1"}`, true},
		{`{"client_id": "C1", "limit": 3}`, true},
		{`{"client_id": 3}`, false},
		{`{"limit": 3}`, false},
		{`{"client_id": "C1", "zzz": 3}`, false},
	} {
		args, _ := py.Parse([]byte(tt.args))
		if err := tool.Validate(args.(*py.Object)); (err == nil) != tt.ok {
			t.Errorf("Validate(%s) = %v; want ok %v", tt.args, err, tt.ok)
		}
	}
}

func TestBuild(t *testing.T) {
	v, _ := py.Parse([]byte(`{"id": "A", "status": "closed", "balance": "12.5", "junk": 1}`))
	_, err := Build[toyAccount](v)
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.HasPrefix(err.Error(), "1 validation error for toyAccount\nstatus\n  Input should be 'active' or 'frozen'") {
		t.Fatalf("Build = %v", err)
	}
	v, _ = py.Parse([]byte(`{"id": "A", "status": "active", "balance": "12.5", "junk": 1}`))
	a, err := Build[toyAccount](v)
	if err != nil || a.Balance != 12.5 {
		t.Fatalf("Build = %+v, %v", a, err)
	}
}
