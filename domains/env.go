package domains

import (
	"fmt"
	"time"

	"github.com/toolscale/toolscale/domains/py"
)

// DefaultNow is the frozen clock of the reference environments.
var DefaultNow = time.Date(2024, 5, 15, 15, 0, 0, 0, time.UTC)

// An Env is one environment: a domain's tools acting on a private fork of a database, with
// a frozen clock.
type Env struct {
	Domain *Domain
	DB     DB
	Now    time.Time
	// Subject, when set, is the caller an intent template must draft for: the template
	// sets task.Draft.Subject to it or returns ErrNoCandidate. The evolve step sets it to
	// chain more requests of the same caller.
	Subject string
}

// NewEnv returns an environment on a fork of db, so calls never change db itself.
func NewEnv(d *Domain, db DB, now time.Time) *Env {
	return &Env{Domain: d, DB: Fork(db), Now: now}
}

// A Result is the outcome of one tool call.
type Result struct {
	Output  any    // the tool's return value; nil when the call failed
	Err     error  // the error the tool raised
	Content string // the text of the tool message the model sees
}

// OK reports whether the call succeeded.
func (r Result) OK() bool { return r.Err == nil }

// Call runs the tool name with args, as the reference does: unknown tools, unexpected and
// missing arguments fail with CPython's texts; arguments are passed unchecked; a failing
// call keeps whatever it changed before failing.
func (e *Env) Call(name string, args *py.Object) Result {
	out, err := e.Exec(name, args)
	if err != nil {
		return failed(err)
	}
	content, err := py.Content(out)
	if err != nil {
		return failed(fmt.Errorf("serialise result of %s: %w", name, err))
	}
	return Result{Output: out, Content: content}
}

// Exec runs the tool name with args as Call does, and returns its output without the
// text of the tool message, which replays that only need the outcome do not pay for.
func (e *Env) Exec(name string, args *py.Object) (any, error) {
	t := e.Domain.Tool(name)
	if t == nil {
		return nil, fmt.Errorf("Tool '%s' not found.", name)
	}
	a, err := t.bindArgs(e.Domain.Toolkit, args)
	if err != nil {
		return nil, err
	}
	return t.Fn(e, a)
}

func failed(err error) Result {
	return Result{Err: err, Content: "Error: " + err.Error()}
}
