package railway

import (
	"errors"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// The reference prices its fares freely and holds no regular members, so
		// cancel_first_class and refuse_compensation (a known class, a regular member) find
		// nothing there: two templates of 24, some 8% of the tasks.
		ReferenceMinVerified: 0.85,
	})
}

// TestIntentsSubject checks that a template drafted for a subject drafts for that user
// alone, touching only their reservations, or has nothing for them.
func TestIntentsSubject(t *testing.T) {
	db, err := Generate(domains.Rand(4, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	rdb := db.(*DB)
	var ids []string
	for id := range rdb.Users.All() {
		ids = append(ids, id)
		if len(ids) == 8 {
			break
		}
	}
	drafted := map[string]bool{}
	for i, in := range Domain.Intents {
		for _, id := range ids {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			env.Subject = id
			dr, err := in.Draft(domains.Rand(4, Domain.Name, int64(i), id), env)
			if errors.Is(err, domains.ErrNoCandidate) {
				continue
			}
			if err != nil {
				t.Fatalf("%s for %s: %v", in.Name, id, err)
			}
			drafted[in.Name] = true
			if dr.Subject != id {
				t.Errorf("%s for %s: subject %q", in.Name, id, dr.Subject)
			}
			for _, a := range dr.Actions {
				if v, ok := a.Arguments.Get("user_id"); ok && v != id {
					t.Errorf("%s for %s: %s for user %v", in.Name, id, a.Name, v)
				}
				if v, ok := a.Arguments.Get("reservation_id"); ok {
					if res, found := rdb.Reservations.Get(v.(string)); !found || res.UserID != id {
						t.Errorf("%s for %s: %s on reservation %v of another user", in.Name, id, a.Name, v)
					}
				}
			}
		}
	}
	if len(drafted) < len(Domain.Intents)/2 {
		t.Errorf("%d of %d templates draft for one of %d subjects, want at least half", len(drafted), len(Domain.Intents), len(ids))
	}
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }
