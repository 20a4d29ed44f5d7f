package movie

import (
	"errors"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// Every show of the reference is scheduled, so cancel_canceled_show_compensation
		// and completed_show_transfer find nothing there: two templates of 16, some 12% of
		// the tasks.
		ReferenceMinVerified: 0.85,
	})
}

// TestIntentsSubject checks that a template drafted for a subject drafts for that customer
// alone, touching only their bookings, or has nothing for them.
func TestIntentsSubject(t *testing.T) {
	db, err := Generate(domains.Rand(4, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	mdb := db.(*DB)
	var emails []string
	for b := range mdb.Bookings.Values() {
		emails = append(emails, b.Customer.Email)
		if len(emails) == 8 {
			break
		}
	}
	drafted := map[string]bool{}
	for i, in := range Domain.Intents {
		for _, email := range emails {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			env.Subject = email
			dr, err := in.Draft(domains.Rand(4, Domain.Name, int64(i), email), env)
			if errors.Is(err, domains.ErrNoCandidate) {
				continue
			}
			if err != nil {
				t.Fatalf("%s for %s: %v", in.Name, email, err)
			}
			drafted[in.Name] = true
			if dr.Subject != email {
				t.Errorf("%s for %s: subject %q", in.Name, email, dr.Subject)
			}
			for _, a := range dr.Actions {
				if v, ok := a.Arguments.Get("booking_id"); ok {
					if b, found := mdb.Bookings.Get(v.(string)); !found || b.Customer.Email != email {
						t.Errorf("%s for %s: %s on booking %v of another customer", in.Name, email, a.Name, v)
					}
				}
				if a.Name == "transfer_to_human_agents" {
					t.Errorf("%s for %s: hands a later request over to a human agent", in.Name, email)
				}
			}
		}
	}
	if len(drafted) < len(Domain.Intents)/2 {
		t.Errorf("%d of %d templates draft for one of %d subjects, want at least half", len(drafted), len(Domain.Intents), len(emails))
	}
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }
