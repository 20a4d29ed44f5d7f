package domaintest

import (
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// A Step is one tool call: the tool's name and its arguments as a JSON object. It is an
// array so that domains' tables of cases can write steps without keys.
type Step [2]string

// Name returns the tool's name.
func (s Step) Name() string { return s[0] }

// Args returns the arguments.
func (s Step) Args() string { return s[1] }

// Call runs s on env, as an agent's tool call runs.
func Call(t testing.TB, env *domains.Env, s Step) domains.Result {
	t.Helper()
	args, err := py.Parse([]byte(s.Args()))
	if err != nil {
		t.Fatalf("arguments of %s: %v", s.Name(), err)
	}
	obj, ok := args.(*py.Object)
	if !ok {
		t.Fatalf("arguments of %s: %s is not a JSON object", s.Name(), s.Args())
	}
	return env.Call(s.Name(), obj)
}

// A ToolCase is one call of a tool on a fixture database, and what it must do. D is the
// domain's database type.
type ToolCase[D any] struct {
	Name  string
	Setup []Step // calls that must succeed first
	Call  Step
	// Err is the exact error text; for a pydantic validation error ("... for <Model>")
	// only the first line is compared.
	Err   string
	Exact string   // the whole content of a successful call, when set
	Want  []string // substrings of the content of a successful call
	Check func(t *testing.T, db D)
}

// RunToolCases runs each case on its own fork of base, a database of domain d, and checks
// that no case changed base itself.
func RunToolCases[D any](t *testing.T, d *domains.Domain, base domains.DB, cases []ToolCase[D]) {
	t.Helper()
	before, err := domains.Hash(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			env := domains.NewEnv(d, base, domains.DefaultNow)
			for _, s := range tc.Setup {
				if r := Call(t, env, s); !r.OK() {
					t.Fatalf("setup %s: %v", s.Name(), r.Err)
				}
			}
			r := Call(t, env, tc.Call)
			switch {
			case tc.Err != "" && r.OK():
				t.Fatalf("%s succeeded with %s; want error %q", tc.Call.Name(), r.Content, tc.Err)
			case tc.Err == "" && !r.OK():
				t.Fatalf("%s failed: %v", tc.Call.Name(), r.Err)
			case tc.Err != "":
				got := r.Err.Error()
				if strings.Contains(tc.Err, " validation error") {
					got, _, _ = strings.Cut(got, "\n")
				}
				if got != tc.Err {
					t.Errorf("error = %q; want %q", got, tc.Err)
				}
				if r.Content != "Error: "+r.Err.Error() {
					t.Errorf("content = %q; want the error behind \"Error: \"", r.Content)
				}
			}
			if tc.Exact != "" && r.Content != tc.Exact {
				t.Errorf("content\n got: %s\nwant: %s", r.Content, tc.Exact)
			}
			for _, w := range tc.Want {
				if !strings.Contains(r.Content, w) {
					t.Errorf("content lacks %s:\n%s", w, r.Content)
				}
			}
			if tc.Check != nil {
				tc.Check(t, env.DB.(D))
			}
		})
	}
	if after, _ := domains.Hash(base); after != before {
		t.Errorf("the tools changed the fixture database itself")
	}
}
