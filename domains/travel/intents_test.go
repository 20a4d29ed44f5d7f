package travel

import (
	"errors"
	"testing"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
)

func TestIntents(t *testing.T) { domaintest.Intents(t, Domain, domaintest.IntentOptions{}) }

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }

// owner returns the traveler a golden call is about: its traveler_id, or the owner of its
// booking_id; "" when it names neither.
func owner(db *DB, c task.Call) string {
	if v, ok := c.Arguments.Get("traveler_id"); ok {
		s, _ := v.(string)
		return s
	}
	if v, ok := c.Arguments.Get("booking_id"); ok {
		if ref, _, _, err := findBooking(db, v); err == nil {
			return ref.traveler
		}
		return "?"
	}
	return ""
}

// TestIntentsSubject checks the contract the evolve step relies on: drafting for a subject
// gives a draft of that traveler, about that traveler's records only, or no candidate; a
// first request names its traveler as subject, except a transfer, which ends the call and
// so starts no chain.
func TestIntentsSubject(t *testing.T) {
	gen, err := Generate(domains.Rand(4, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	db := gen.(*DB)
	ids := db.Travelers.Keys()[:25]
	for k, in := range Domain.Intents {
		drafted := 0
		for i, id := range ids {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			env.Subject = id
			dr, err := in.Draft(domains.Rand(4, Domain.Name, int64(100*k+i), "test"), env)
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
			for _, c := range dr.Actions {
				if o := owner(env.DB.(*DB), c); o != "" && o != id {
					t.Errorf("%s for %s: action %s is about traveler %s", in.Name, id, c.Name, o)
				}
			}
		}
		if drafted == 0 {
			t.Errorf("%s: no draft for any of the first %d travelers", in.Name, len(ids))
		}

		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		dr, err := in.Draft(domains.Rand(4, Domain.Name, int64(k), "first"), env)
		if err != nil {
			t.Fatalf("%s: %v", in.Name, err)
		}
		if in.Name == "transfer_add_traveler" {
			if dr.Subject != "" {
				t.Errorf("%s as a first request: subject %q, want none", in.Name, dr.Subject)
			}
			continue
		}
		if _, ok := db.Travelers.Get(dr.Subject); !ok {
			t.Errorf("%s as a first request: subject %q is no traveler", in.Name, dr.Subject)
		}
		for _, c := range dr.Actions {
			if o := owner(db, c); o != "" && o != dr.Subject {
				t.Errorf("%s: subject %s but action %s is about traveler %s", in.Name, dr.Subject, c.Name, o)
			}
		}
	}
}

// TestFreeWindow: only policies that plainly refund everything up to a deadline let a
// template cancel a booking; the others are for a human agent.
func TestFreeWindow(t *testing.T) {
	for _, tt := range []struct {
		policy string
		days   string
		ok     bool
	}{
		{"Free cancellation up to 45 days before departure; 50% penalty within 45–15 days; 100% within 14 days.", "45 days", true},
		{"Full refund up to 30 days; 50% within 15–29 days; no refund within 14 days.", "30 days", true},
		{"Cancel up to 35 days for a full refund; 70% penalty within 34–15 days; non-refundable within 14 days.", "35 days", true},
		{"Cancellation free up to 30 days; 75% fee within 15-29 days; no refund within 14 days.", "30 days", true},
		{"75% refund up to 21 days before departure.", "", false},
		{"Cancel up to 30 days prior for full refund minus processing fees.", "", false},
		{"Free cancellation within 48 hours of booking; thereafter 20% fee up to 30 days.", "", false},
		{"Non-refundable within 30 days; 25% fee up to 60 days.", "", false},
		{"Cancel up to 60 days before for a partial refund.", "", false},
	} {
		if days, ok := freeWindow(tt.policy); days != tt.days || ok != tt.ok {
			t.Errorf("freeWindow(%q) = %q, %v; want %q, %v", tt.policy, days, ok, tt.days, tt.ok)
		}
	}
	now := time.Date(2024, 5, 15, 15, 0, 0, 0, time.UTC)
	if !beforeWindow(now, "25-01-15", "45 days") || beforeWindow(now, "24-06-01", "30 days") {
		t.Error("beforeWindow misjudges a departure against the free window")
	}
}
