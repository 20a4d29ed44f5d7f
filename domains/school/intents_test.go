package school

import (
	"errors"
	"fmt"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestIntents(t *testing.T) { domaintest.Intents(t, Domain, domaintest.IntentOptions{}) }

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }

// TestIntentsDoNotMutate checks that drafting leaves the environment as it was: templates
// price their writes on forks, and the pipeline applies the golden actions itself.
func TestIntentsDoNotMutate(t *testing.T) {
	db, err := Generate(domains.Rand(11, "school", 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	want, err := domains.Hash(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range Domain.Intents {
		for k := range int64(5) {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			if _, err := in.Draft(domains.Rand(11, "school", k, in.Name), env); err != nil && !errors.Is(err, domains.ErrNoCandidate) {
				t.Fatalf("%s: %v", in.Name, err)
			}
			got, err := domains.Hash(env.DB)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("%s (draw %d) changed the environment it drafted on", in.Name, k)
			}
		}
	}
}

// TestIntentsHonourSubject drafts every template for a given student: the draft is that
// student's, and every registration its golden actions touch is theirs.
func TestIntentsHonourSubject(t *testing.T) {
	db, err := Generate(domains.Rand(12, "school", 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	students := dbOf(domains.NewEnv(Domain, db, domains.DefaultNow)).Students.Keys()
	for _, in := range Domain.Intents {
		drafted := 0
		for k, id := range students[:20] {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			env.Subject = id
			d, err := in.Draft(domains.Rand(12, "school", int64(k), in.Name), env)
			if errors.Is(err, domains.ErrNoCandidate) {
				continue
			}
			if err != nil {
				t.Fatalf("%s for %s: %v", in.Name, id, err)
			}
			drafted++
			if d.Subject != id {
				t.Errorf("%s: drafted for %q, want %q", in.Name, d.Subject, id)
			}
			for _, a := range d.Actions {
				for _, key := range []string{"student_id", "registration_id"} {
					v, ok := a.Arguments.Get(key)
					if !ok {
						continue
					}
					owner := fmt.Sprint(v)
					if key == "registration_id" {
						reg, found := dbOf(env).Registrations.Get(owner)
						if !found {
							t.Fatalf("%s: %s names unknown registration %v", in.Name, a.Name, v)
						}
						owner = reg.StudentID
					}
					if owner != id {
						t.Errorf("%s: %s for %s touches student %s", in.Name, a.Name, id, owner)
					}
				}
			}
		}
		if drafted == 0 {
			t.Errorf("%s drafted nothing for any of 20 given students", in.Name)
		}
	}
}
