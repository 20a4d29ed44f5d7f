package ecommerce

import (
	"errors"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// The reference holds no pending order, no order with a return or exchange
		// requested and one credit card per account: six templates of 15 find nothing
		// there, and only three WRITE tools (address, return, exchange) have a record.
		ReferenceMinVerified: 0.55,
		ReferenceWrites:      3,
	})
}

// TestIntentsSubject checks that a template drafted for a subject drafts for that account
// alone, without identifying the caller again and touching only their orders, or has
// nothing for them.
func TestIntentsSubject(t *testing.T) {
	db, err := Generate(domains.Rand(4, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	edb := db.(*DB)
	var keys []string
	for k := range edb.Accounts.All() {
		keys = append(keys, k)
		if len(keys) == 8 {
			break
		}
	}
	drafted := map[string]bool{}
	for i, in := range Domain.Intents {
		for _, key := range keys {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			env.Subject = key
			dr, err := in.Draft(domains.Rand(4, Domain.Name, int64(i), key), env)
			if errors.Is(err, domains.ErrNoCandidate) {
				continue
			}
			if err != nil {
				t.Fatalf("%s for %s: %v", in.Name, key, err)
			}
			drafted[in.Name] = true
			if dr.Subject != key {
				t.Errorf("%s for %s: subject %q", in.Name, key, dr.Subject)
			}
			for _, a := range dr.Actions {
				switch a.Name {
				case "find_account_key_by_email", "find_account_key_by_name_zip":
					t.Errorf("%s for %s: identifies the caller again with %s", in.Name, key, a.Name)
				}
				if v, ok := a.Arguments.Get("account_key"); ok && v != key {
					t.Errorf("%s for %s: %s on account %v", in.Name, key, a.Name, v)
				}
				if v, ok := a.Arguments.Get("sale_ref"); ok {
					if s, found := edb.Sales.Get(v.(string)); !found || s.AccountKey != key {
						t.Errorf("%s for %s: %s on order %v of another account", in.Name, key, a.Name, v)
					}
				}
			}
		}
	}
	if len(drafted) < len(Domain.Intents)/2 {
		t.Errorf("%d of %d templates draft for one of %d subjects, want at least half", len(drafted), len(Domain.Intents), len(keys))
	}
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }
