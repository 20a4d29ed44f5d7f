package basketball

import (
	"errors"
	"slices"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
)

func TestIntents(t *testing.T) { domaintest.Intents(t, Domain, domaintest.IntentOptions{}) }

// TestIntentsDoNotMutate checks that drafting leaves the database it reads unchanged.
func TestIntentsDoNotMutate(t *testing.T) {
	db, err := Generate(domains.Rand(9, "basketball", 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	before, err := domains.Hash(db)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range Domain.Intents {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		if _, err := in.Draft(domains.Rand(9, "basketball", int64(i), "draft"), env); err != nil {
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

// TestIntentsSubject checks that a template drafted for a subject drafts for that player
// alone, with no second authentication, or has nothing for them.
func TestIntentsSubject(t *testing.T) {
	db, err := Generate(domains.Rand(4, "basketball", 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range db.(*DB).Players.All() {
		ids = append(ids, id)
		if len(ids) == 5 {
			break
		}
	}
	// selfLookup reports whether a call looks the subject up, as authentication does.
	selfLookup := func(id string, a task.Call) bool {
		p, _ := db.(*DB).Players.Get(id)
		email, _ := a.Arguments.Get("email")
		first, _ := a.Arguments.Get("first_name")
		last, _ := a.Arguments.Get("last_name")
		return a.Name == "find_player_id_by_email" && email == p.Email ||
			a.Name == "find_player_id_by_name" && first == p.Name.FirstName && last == p.Name.LastName
	}
	drafted := 0
	for i, in := range Domain.Intents {
		for _, id := range ids {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			env.Subject = id
			dr, err := in.Draft(domains.Rand(4, "basketball", int64(i), id), env)
			if errors.Is(err, domains.ErrNoCandidate) {
				continue
			}
			if err != nil {
				t.Fatalf("%s for %s: %v", in.Name, id, err)
			}
			drafted++
			if dr.Subject != id {
				t.Errorf("%s for %s: subject %q", in.Name, id, dr.Subject)
			}
			for _, a := range dr.Actions {
				if selfLookup(id, a) {
					t.Errorf("%s for %s: authenticates again with %s", in.Name, id, a.Name)
				}
			}
		}
	}
	if drafted < len(Domain.Intents) {
		t.Errorf("%d drafts for %d subjects and %d templates, want at least %d", drafted, len(ids), len(Domain.Intents), len(Domain.Intents))
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
