package restaurant

import (
	"errors"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// Every reference patron has a single saved instrument, so no instrument change fits
		// it, and no placed ticket there can be swapped to a plate that is not served today:
		// two of the thirteen templates have no candidate, and one WRITE tool goes unused.
		ReferenceMinVerified: 0.8,
		ReferenceWrites:      5,
	})
}

// TestIntentsStayWithSubject drafts each template once for any patron and again for the
// patron the first draft chose: the second draft must be that patron's, and so must every
// patron it finds and every ticket it touches.
func TestIntentsStayWithSubject(t *testing.T) {
	db, err := Generate(domains.Rand(4, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	tickets := db.(*DB).ServiceTickets
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
				t.Fatalf("%s: draft without a subject", in.Name)
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
				guest, _ := a.Arguments.Get("guest_ref")
				switch a.Name {
				case "find_patron_ref_by_email", "find_patron_ref_by_name_zip":
					guest = env.Call(a.Name, a.Arguments).Output
				}
				if ref, ok := a.Arguments.Get("ticket_ref"); ok {
					if tk, found := tickets.Get(ref.(string)); found {
						guest = tk.GuestRef
					}
				}
				if guest != nil && guest != dr.Subject {
					t.Errorf("%s for %s: %s acts for patron %v", in.Name, dr.Subject, a.Name, guest)
				}
			}
		}
		if chained == 0 {
			t.Errorf("%s: no draft for the subject of an earlier draft", in.Name)
		}
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		env.Subject = "no-such-patron"
		if _, err := in.Draft(domains.Rand(4, Domain.Name, 0, "none"), env); !errors.Is(err, domains.ErrNoCandidate) {
			t.Errorf("%s for an unknown patron: %v, want ErrNoCandidate", in.Name, err)
		}
	}
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }

// BenchmarkDraft measures the templates alone: one draft on a fresh fork per iteration,
// round robin over the templates.
func BenchmarkDraft(b *testing.B) {
	db, err := Generate(domains.Rand(1, Domain.Name, 0, "db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		Domain.Intents[i%len(Domain.Intents)].Draft(domains.Rand(1, Domain.Name, int64(i), "bench"), env)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "drafts/s")
}
