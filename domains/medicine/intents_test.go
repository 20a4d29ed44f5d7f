package medicine

import (
	"slices"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
)

func TestIntents(t *testing.T) { domaintest.Intents(t, Domain, domaintest.IntentOptions{}) }

// TestIntentsStayWithSubject: every patient id and prescription a chained draft passes to a
// tool is the caller's; requests that could undo an earlier one follow only requests that
// changed nothing, and a hand-off to a human has no subject.
func TestIntentsStayWithSubject(t *testing.T) {
	domaintest.IntentsStayWithSubject(t, Domain, domaintest.SubjectOptions{
		FirstOnly: []string{"hold_or_resume", "record_counseling", "remove_card", "out_of_scope"},
		NoSubject: []string{"out_of_scope"},
		Unknown:   "no-such-patient",
		ActsFor: func(env *domains.Env, a task.Call) any {
			patient, _ := a.Arguments.Get("patient_id")
			if id, ok := a.Arguments.Get("prescription_id"); ok {
				if rx, found := dbOf(env).Prescriptions.Get(id.(string)); found {
					patient = rx.PatientID
				}
			}
			return patient
		},
	})
}

// TestIntentsDoNotMutate checks that drafting leaves the database it reads unchanged.
func TestIntentsDoNotMutate(t *testing.T) {
	db, err := Generate(domains.Rand(9, "medicine", 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	before, err := domains.Hash(db)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range Domain.Intents {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		if _, err := in.Draft(domains.Rand(9, "medicine", int64(i), "draft"), env); err != nil {
			t.Errorf("%s: %v", in.Name, err)
		}
		after, err := domains.Hash(env.DB)
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("%s changed the environment while drafting", in.Name)
		}
	}
	if names := intentNames(); len(names) != len(slices.Compact(slices.Sorted(slices.Values(names)))) {
		t.Errorf("intent names repeat: %v", names)
	}
}

func intentNames() []string {
	var out []string
	for _, in := range Domain.Intents {
		out = append(out, in.Name)
	}
	return out
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }

func BenchmarkDraft(b *testing.B) { domaintest.BenchmarkDraft(b, Domain) }
