package medicine

import (
	"errors"
	"slices"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestIntents(t *testing.T) { domaintest.Intents(t, Domain, domaintest.IntentOptions{}) }

// TestIntentsStayWithSubject drafts each template once for any patient and again for the
// patient the first draft chose: the second draft must be that patient's, and so must every
// patient id and prescription it passes to a tool. Requests that could undo an earlier one
// follow only requests that changed nothing, and a hand-off to a human has no subject.
func TestIntentsStayWithSubject(t *testing.T) {
	db, err := Generate(domains.Rand(4, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	prescriptions := db.(*DB).Prescriptions
	firstOnly := []string{"hold_or_resume", "record_counseling", "remove_card", "out_of_scope"}
	for _, in := range Domain.Intents {
		chained := 0
		for i := range int64(8) {
			dr, err := in.Draft(domains.Rand(4, Domain.Name, i, "first"), domains.NewEnv(Domain, db, domains.DefaultNow))
			if errors.Is(err, domains.ErrNoCandidate) {
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", in.Name, err)
			}
			if dr.Subject == "" {
				if in.Name != "out_of_scope" {
					t.Fatalf("%s: draft without a subject", in.Name)
				}
				continue
			}
			if slices.Contains(firstOnly, in.Name) {
				// After a request that changed something (this very one, as the evolve step
				// leaves it), the template has nothing to draft.
				after := domains.NewEnv(Domain, db, domains.DefaultNow)
				for _, a := range dr.Actions {
					after.Exec(a.Name, a.Arguments)
				}
				after.Subject = dr.Subject
				if changed, _ := domains.Touched(after.DB); len(changed) > 0 {
					if _, err := in.Draft(domains.Rand(4, Domain.Name, i, "after"), after); !errors.Is(err, domains.ErrNoCandidate) {
						t.Errorf("%s: drafted after the caller's earlier request changed %v (err %v)", in.Name, changed, err)
					}
				}
			}
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			env.Subject = dr.Subject
			again, err := in.Draft(domains.Rand(4, Domain.Name, i, "again"), env)
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
				patient, _ := a.Arguments.Get("patient_id")
				if id, ok := a.Arguments.Get("prescription_id"); ok {
					if rx, found := prescriptions.Get(id.(string)); found {
						patient = rx.PatientID
					}
				}
				if patient != nil && patient != dr.Subject {
					t.Errorf("%s for %s: %s acts for patient %v", in.Name, dr.Subject, a.Name, patient)
				}
			}
		}
		if !slices.Contains(firstOnly, in.Name) && chained == 0 {
			t.Errorf("%s: no draft for the subject of an earlier draft", in.Name)
		}
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		env.Subject = "no-such-patient"
		if _, err := in.Draft(domains.Rand(4, Domain.Name, 0, "none"), env); !errors.Is(err, domains.ErrNoCandidate) {
			t.Errorf("%s for an unknown patient: %v, want ErrNoCandidate", in.Name, err)
		}
	}
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

// BenchmarkDraft runs the templates alone, round robin, each on a fresh environment.
func BenchmarkDraft(b *testing.B) {
	db, err := Generate(domains.Rand(1, "medicine", 0, "db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var i int64
	for b.Loop() {
		in := Domain.Intents[int(i)%len(Domain.Intents)]
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		if _, err := in.Draft(domains.Rand(1, "medicine", i, "draft"), env); err != nil && !errors.Is(err, domains.ErrNoCandidate) {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "drafts/s")
}
