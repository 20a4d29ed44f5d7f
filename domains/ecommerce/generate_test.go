package ecommerce

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

func generated(t testing.TB, seed int64, scale int) *DB {
	t.Helper()
	db, err := Generate(domains.Rand(seed, "ecommerce", 0, "db"), scale)
	if err != nil {
		t.Fatal(err)
	}
	return db.(*DB)
}

func call(t *testing.T, db domains.DB, name string, args *py.Object) domains.Result {
	t.Helper()
	return domains.NewEnv(Domain, db, domains.DefaultNow).Call(name, args)
}

func quoted(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// TestGeneratedWrites checks that generated databases give every write tool a call that
// succeeds and records on which each of its checks fails.
func TestGeneratedWrites(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			db := generated(t, seed, 1)
			want := map[string]bool{} // outcome → seen
			expect := func(r domains.Result, outcome string) {
				t.Helper()
				if outcome == "ok" && !r.OK() {
					t.Errorf("%s: %s", outcome, r.Content)
					return
				}
				if outcome != "ok" && r.Content != "Error: "+outcome {
					t.Errorf("want %q, got %q", outcome, clip(r.Content))
					return
				}
				want[outcome] = true
			}
			acc, _ := db.Accounts.Get(db.Accounts.Keys()[0])
			expect(call(t, db, "modify_account_location", py.NewObject("account_key", acc.AccountKey, "line1", "1 New Rd", "line2", "", "municipality", "Austin", "region", "TX", "nation", "USA", "postal_code", "78701")), "ok")
			for ref, s := range db.Sales.All() {
				a, _ := db.Accounts.Get(s.AccountKey)
				var payments []LedgerEntry
				for _, l := range s.Ledger {
					if l.EntryKind == "payment" {
						payments = append(payments, l)
					}
				}
				if isPending(s) {
					expect(call(t, db, "modify_pending_sale_delivery", py.NewObject("sale_ref", ref, "line1", "1 New Rd", "line2", "", "municipality", "Austin", "region", "TX", "nation", "USA", "postal_code", "78701")), "ok")
					if len(payments) == 1 {
						for _, id := range a.FundingSources.Keys() {
							if id != payments[0].InstrumentID {
								expect(call(t, db, "modify_pending_sale_payment", py.NewObject("sale_ref", ref, "instrument_id", id)), "ok")
							} else {
								expect(call(t, db, "modify_pending_sale_payment", py.NewObject("sale_ref", ref, "instrument_id", id)), "The new funding instrument should be different from the current one")
							}
						}
					} else {
						expect(call(t, db, "modify_pending_sale_payment", py.NewObject("sale_ref", ref, "instrument_id", a.FundingSources.Keys()[0])), "There should be exactly one payment for a pending sale")
					}
				} else {
					expect(call(t, db, "modify_pending_sale_delivery", py.NewObject("sale_ref", ref, "line1", "x", "line2", "", "municipality", "x", "region", "x", "nation", "x", "postal_code", "x")), "Non-pending sale cannot be modified")
				}
				if s.State == "pending" {
					expect(call(t, db, "cancel_pending_sale", py.NewObject("sale_ref", ref, "reason", "no longer needed")), "ok")
					expect(call(t, db, "cancel_pending_sale", py.NewObject("sale_ref", ref, "reason", "too slow")), "Invalid reason")
				} else {
					expect(call(t, db, "cancel_pending_sale", py.NewObject("sale_ref", ref, "reason", "no longer needed")), "Non-pending sale cannot be cancelled")
				}
				if s.State != "delivered" {
					expect(call(t, db, "return_delivered_sale_lines", py.NewObject("sale_ref", ref, "unit_skus", []any{}, "instrument_id", "x")), "Non-delivered sale cannot be returned")
					continue
				}
				skus := quoted(lineSKUs(s))
				if len(payments) == 0 {
					expect(call(t, db, "return_delivered_sale_lines", py.NewObject("sale_ref", ref, "unit_skus", skus, "instrument_id", a.FundingSources.Keys()[0])), "Original payment not found")
				} else {
					expect(call(t, db, "return_delivered_sale_lines", py.NewObject("sale_ref", ref, "unit_skus", skus, "instrument_id", payments[0].InstrumentID)), "ok")
					expect(call(t, db, "return_delivered_sale_lines", py.NewObject("sale_ref", ref, "unit_skus", append(skus, skus[0]), "instrument_id", payments[0].InstrumentID)), "Some item not found")
					for f := range a.FundingSources.Values() {
						if f.Origin == "gift_card" {
							expect(call(t, db, "return_delivered_sale_lines", py.NewObject("sale_ref", ref, "unit_skus", skus, "instrument_id", f.InstrumentID)), "ok")
						} else if f.InstrumentID != payments[0].InstrumentID {
							expect(call(t, db, "return_delivered_sale_lines", py.NewObject("sale_ref", ref, "unit_skus", skus, "instrument_id", f.InstrumentID)), "Funding instrument should be the original payment instrument or a gift card")
						}
					}
				}
				line := s.Lines[0]
				g, _ := db.Catalogue.Get(line.CatalogRef)
				for o := range g.Offerings.Values() {
					args := py.NewObject("sale_ref", ref, "unit_skus_old", []any{line.UnitSKU}, "unit_skus_new", []any{o.UnitSKU}, "instrument_id", a.FundingSources.Keys()[0])
					if !o.InStock {
						expect(call(t, db, "exchange_delivered_sale_lines", args), "New item "+o.UnitSKU+" not found or not in stock")
					} else if o.UnitSKU != line.UnitSKU {
						expect(call(t, db, "exchange_delivered_sale_lines", args), "ok")
						want["exchange for another variant"] = true
					}
				}
			}
			for _, outcome := range []string{
				"ok", "Non-pending sale cannot be modified", "The new funding instrument should be different from the current one",
				"There should be exactly one payment for a pending sale", "Non-pending sale cannot be cancelled", "Invalid reason",
				"Non-delivered sale cannot be returned", "Original payment not found", "Some item not found",
				"Funding instrument should be the original payment instrument or a gift card", "exchange for another variant",
			} {
				if !want[outcome] {
					t.Errorf("no generated record gives %q", outcome)
				}
			}
			if !strings.Contains(fmt.Sprint(want), "not in stock") {
				t.Errorf("no delivered sale has an out-of-stock variant to exchange for")
			}
		})
	}
}

// TestGeneratedConsistency checks the cross-table references of a generated database.
func TestGeneratedConsistency(t *testing.T) {
	db := generated(t, 7, 2)
	counts, _ := domains.Counts(db)
	if counts["catalogue"] != 400 || counts["accounts"] != 400 || counts["sales"] != 440 {
		t.Errorf("counts at scale 2: %v", counts)
	}
	titles := map[string]bool{}
	for k, g := range db.Catalogue.All() {
		if k != g.GroupRef || len(k) != 7 {
			t.Errorf("group key %q, ref %q", k, g.GroupRef)
		}
		if titles[g.Title] {
			t.Errorf("title %q repeated", g.Title)
		}
		titles[g.Title] = true
	}
	owned := map[string]string{}
	for k, a := range db.Accounts.All() {
		if k != a.AccountKey {
			t.Errorf("account key %q != %q", k, a.AccountKey)
		}
		if a.FundingSources.Len() == 0 {
			t.Errorf("account %s has no funding source", k)
		}
		for _, ref := range a.Purchases {
			owned[ref] = k
		}
	}
	for k, s := range db.Sales.All() {
		if owned[k] != s.AccountKey {
			t.Errorf("sale %s owned by %q, listed under %q", k, s.AccountKey, owned[k])
		}
		a, ok := db.Accounts.Get(s.AccountKey)
		if !ok {
			t.Fatalf("sale %s: no account %s", k, s.AccountKey)
		}
		paid := 0.0
		for _, l := range s.Ledger {
			if _, ok := a.FundingSources.Get(l.InstrumentID); !ok {
				t.Errorf("sale %s: instrument %s not on the account", k, l.InstrumentID)
			}
			if l.EntryKind == "payment" {
				paid += l.Value
			}
		}
		total := 0.0
		for _, l := range s.Lines {
			g, ok := db.Catalogue.Get(l.CatalogRef)
			if !ok {
				t.Fatalf("sale %s: no group %s", k, l.CatalogRef)
			}
			o, ok := g.Offerings.Get(l.UnitSKU)
			if !ok || o.UnitPrice != l.UnitPrice {
				t.Errorf("sale %s: line %s does not match its offering", k, l.UnitSKU)
			}
			total += l.UnitPrice
		}
		if len(s.Ledger) > 0 && py.Round(paid, 2) != py.Round(total, 2) {
			t.Errorf("sale %s: paid %v for %v", k, paid, total)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(domains.Rand(1, "ecommerce", 0, "db"), 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplayVectors replays the reference vectors on a fresh fork of the reference
// database and hashes the result, as a task verification does.
func BenchmarkReplayVectors(b *testing.B) {
	db := domaintest.LoadReference(b, Domain)
	raw, err := os.ReadFile(filepath.Join(domaintest.ReferenceDir(b), Domain.Name, "vectors", "calls.json"))
	if err != nil {
		b.Fatal(err)
	}
	calls, err := domains.ParseCalls(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		env.Replay(calls)
		if _, err := domains.Hash(env.DB); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(calls))/b.Elapsed().Seconds(), "calls/s")
}
