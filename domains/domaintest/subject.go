package domaintest

import (
	"errors"
	"slices"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/task"
)

// SubjectOptions describe how a domain's templates keep to one caller.
type SubjectOptions struct {
	// FirstOnly names templates that draft nothing for a caller whose earlier request
	// changed something (status changes that could undo it), and need not draft again
	// for the caller of an earlier draft.
	FirstOnly []string
	// NoSubject names templates whose drafts have no caller (a hand-off to a human).
	NoSubject []string
	// Unknown is a caller id that no record has.
	Unknown string
	// ActsFor returns the caller a golden call acts for, or nil when it names none; env is
	// the environment the call was drafted on.
	ActsFor func(env *domains.Env, a task.Call) any
}

// IntentsStayWithSubject drafts each template of d once for any caller and again for the
// caller the first draft chose: the second draft must be that caller's, and every call in
// it must act for that caller. A FirstOnly template must draft nothing after its own request
// changed something, and every template has nothing for an unknown caller.
func IntentsStayWithSubject(t *testing.T, d *domains.Domain, opt SubjectOptions) {
	db, err := d.Generate(domains.Rand(4, d.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range d.Intents {
		firstOnly := slices.Contains(opt.FirstOnly, in.Name)
		chained := 0
		for i := range int64(8) {
			dr, err := in.Draft(domains.Rand(4, d.Name, i, "first"), domains.NewEnv(d, db, domains.DefaultNow))
			if errors.Is(err, domains.ErrNoCandidate) {
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", in.Name, err)
			}
			if dr.Subject == "" {
				if !slices.Contains(opt.NoSubject, in.Name) {
					t.Fatalf("%s: draft without a subject", in.Name)
				}
				continue
			}
			if firstOnly {
				// After a request that changed something (this very one, as the evolve step
				// leaves it), the template has nothing to draft.
				after := domains.NewEnv(d, db, domains.DefaultNow)
				for _, a := range dr.Actions {
					after.Exec(a.Name, a.Arguments)
				}
				after.Subject = dr.Subject
				if changed, _ := domains.Touched(after.DB); len(changed) > 0 {
					if _, err := in.Draft(domains.Rand(4, d.Name, i, "after"), after); !errors.Is(err, domains.ErrNoCandidate) {
						t.Errorf("%s: drafted after the caller's earlier request changed %v (err %v)", in.Name, changed, err)
					}
				}
			}
			env := domains.NewEnv(d, db, domains.DefaultNow)
			env.Subject = dr.Subject
			again, err := in.Draft(domains.Rand(4, d.Name, i, "again"), env)
			if errors.Is(err, domains.ErrNoCandidate) {
				continue
			}
			if err != nil {
				t.Fatalf("%s for %s: %v", in.Name, dr.Subject, err)
			}
			chained++
			if again.Subject != dr.Subject {
				t.Errorf("%s: drafted for %s, want %s", in.Name, again.Subject, dr.Subject)
			}
			for _, a := range again.Actions {
				if who := opt.ActsFor(env, a); who != nil && who != dr.Subject {
					t.Errorf("%s for %s: %s acts for %v", in.Name, dr.Subject, a.Name, who)
				}
			}
		}
		if !firstOnly && chained == 0 {
			t.Errorf("%s: no draft for the subject of an earlier draft", in.Name)
		}
		env := domains.NewEnv(d, db, domains.DefaultNow)
		env.Subject = opt.Unknown
		if _, err := in.Draft(domains.Rand(4, d.Name, 0, "none"), env); !errors.Is(err, domains.ErrNoCandidate) {
			t.Errorf("%s for an unknown caller %s: %v, want ErrNoCandidate", in.Name, opt.Unknown, err)
		}
	}
}

// IntentsForSubject drafts every template of d for each caller that subjects picks from a
// generated database: a draft must be for that caller, and wrong must find nothing in any of
// its calls (it describes a call that acts for someone else, or returns ""). At least half
// the templates must draft for one of the callers.
func IntentsForSubject(t *testing.T, d *domains.Domain, subjects func(db domains.DB) []string,
	wrong func(db domains.DB, subject string, a task.Call) string) {
	db, err := d.Generate(domains.Rand(4, d.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	callers := subjects(db)
	drafted := map[string]bool{}
	for i, in := range d.Intents {
		for _, subject := range callers {
			env := domains.NewEnv(d, db, domains.DefaultNow)
			env.Subject = subject
			dr, err := in.Draft(domains.Rand(4, d.Name, int64(i), subject), env)
			if errors.Is(err, domains.ErrNoCandidate) {
				continue
			}
			if err != nil {
				t.Fatalf("%s for %s: %v", in.Name, subject, err)
			}
			drafted[in.Name] = true
			if dr.Subject != subject {
				t.Errorf("%s for %s: subject %q", in.Name, subject, dr.Subject)
			}
			for _, a := range dr.Actions {
				if problem := wrong(db, subject, a); problem != "" {
					t.Errorf("%s for %s: %s", in.Name, subject, problem)
				}
			}
		}
	}
	if len(drafted) < len(d.Intents)/2 {
		t.Errorf("%d of %d templates draft for one of %d subjects, want at least half", len(drafted), len(d.Intents), len(callers))
	}
}
