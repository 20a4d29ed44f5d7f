package bank

import (
	"errors"
	"slices"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// The reference database has no client with accounts in two currencies, so
		// refuse_cross_currency never fits it; the other writes all appear.
		ReferenceMinVerified: 0.8,
		ReferenceWrites:      8,
	})
}

// TestIntentsStayWithSubject drafts each template once for any client and again for the
// client the first draft chose: the second draft must be that client's, and every client id
// it passes to a tool, or finds by email, must be that client's. Status changes follow only
// requests that changed nothing.
func TestIntentsStayWithSubject(t *testing.T) {
	firstOnly := []string{"freeze_lost_card", "unfreeze_found_card", "freeze_account", "unfreeze_account"}
	db, err := Generate(domains.Rand(4, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
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
				id, _ := a.Arguments.Get("client_id")
				if a.Name == "find_client_id_by_email" {
					id = env.Call(a.Name, a.Arguments).Output
				}
				if id != nil && id != dr.Subject {
					t.Errorf("%s for %s: %s acts for client %v", in.Name, dr.Subject, a.Name, id)
				}
			}
		}
		if !slices.Contains(firstOnly, in.Name) && chained == 0 {
			t.Errorf("%s: no draft for the subject of an earlier draft", in.Name)
		}
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		env.Subject = "no-such-client"
		if _, err := in.Draft(domains.Rand(4, Domain.Name, 0, "none"), env); !errors.Is(err, domains.ErrNoCandidate) {
			t.Errorf("%s for an unknown client: %v, want ErrNoCandidate", in.Name, err)
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
