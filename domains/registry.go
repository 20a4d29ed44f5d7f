// Package domains is the environment engine: databases of tables keyed by id that load and
// encode exactly as the reference environments do, toolkits of READ, WRITE and GENERIC
// tools with CPython's argument semantics, the two database hashes, a frozen clock, and the
// registry of domains. Each domain is a package of its own (domains/bank, …) that registers
// itself in init; domains/all imports them all.
package domains

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/toolscale/toolscale/domains/task"
)

// A Domain is one τ²-style environment family: its data model, tools, policy and generator.
type Domain struct {
	Name string
	// Toolkit is the reference toolkit's class name, which CPython argument errors name
	// ("BankTools").
	Toolkit string
	// NewDB returns a pointer to an empty database struct.
	NewDB func() DB
	// Tools are the toolkit's tools in the reference's order.
	Tools []*Tool
	// Policy is the agent policy, in Markdown.
	Policy string
	// Generate builds a new database from r. Scale 1 gives about the reference's record
	// counts; scale k about k times as many. The result must load in the reference data
	// model and keep every cross-table reference consistent.
	Generate func(r *rand.Rand, scale int) (DB, error)
	// Intents are the domain's task templates.
	Intents []*Intent
}

// An Intent is a template of user requests. Draft samples real records of the environment
// (it may call tools on env, a private fork, to learn what the answer will be) and fills in
// a task: the user's scenario in varied wording, the golden actions, what must be
// communicated and the assertions to check. It returns ErrNoCandidate when the environment
// has no record the intent fits.
type Intent struct {
	Name  string
	Draft func(r *rand.Rand, env *Env) (*task.Draft, error)
}

// ErrNoCandidate says that an environment holds no record an intent can be drafted on.
var ErrNoCandidate = errors.New("no candidate record for this intent")

// Tool returns the tool called name, or nil.
func (d *Domain) Tool(name string) *Tool {
	for _, t := range d.Tools {
		if t.Name == name {
			return t
		}
	}
	return nil
}

var (
	mu       sync.RWMutex
	registry = map[string]*Domain{}
)

// Register makes a domain available by name. It panics on an empty or duplicate name, or a
// tool whose parameters do not describe a schema: bugs, caught at init.
func Register(d *Domain) {
	mu.Lock()
	defer mu.Unlock()
	if d == nil || d.Name == "" {
		panic("domains: Register of an unnamed domain")
	}
	if _, dup := registry[d.Name]; dup {
		panic("domains: Register called twice for domain " + d.Name)
	}
	for _, t := range d.Tools {
		if err := t.prepare(); err != nil {
			panic("domains: " + d.Name + ": " + err.Error())
		}
	}
	registry[d.Name] = d
}

// Lookup returns the domain called name.
func Lookup(name string) (*Domain, error) {
	mu.RLock()
	defer mu.RUnlock()
	d, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown domain %q (known: %v)", name, namesLocked())
	}
	return d, nil
}

// Names returns the registered domain names, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	return namesLocked()
}

func namesLocked() []string {
	n := make([]string, 0, len(registry))
	for k := range registry {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

// Rand returns the random stream for (seed, domain, index, stage): the only source of
// randomness generators and pipelines use, so that results never depend on order or time.
func Rand(seed int64, domain string, index int64, stage string) *rand.Rand {
	h := uint64(14695981039346656037)
	for _, s := range []string{domain, "\x00", stage} {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
	}
	return rand.New(rand.NewPCG(uint64(seed)^h, uint64(index)*0x9e3779b97f4a7c15+h))
}
