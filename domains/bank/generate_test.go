package bank

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

func generated(t testing.TB, seed int64, scale int) *DB {
	t.Helper()
	db, err := Generate(domains.Rand(seed, "bank", 0, "db"), scale)
	if err != nil {
		t.Fatal(err)
	}
	return db.(*DB)
}

func TestGenerateScale(t *testing.T) {
	if _, err := Generate(rand.New(rand.NewPCG(1, 2)), 0); err == nil {
		t.Errorf("Generate(scale 0) succeeded")
	}
	for _, scale := range []int{1, 3} {
		db := generated(t, 7, scale)
		n := refClients * scale
		if db.Clients.Len() != n || db.Loans.Len() != n {
			t.Errorf("scale %d: %d clients, %d loans; want %d", scale, db.Clients.Len(), db.Loans.Len(), n)
		}
		for name, got := range map[string]int{"transactions": db.Transactions.Len(), "beneficiaries": db.Beneficiaries.Len()} {
			if got < n/2 || got > 2*n {
				t.Errorf("scale %d: %d %s; want about %d", scale, got, name, n)
			}
		}
	}
}

// TestGenerateConsistent checks every cross-reference of generated databases.
func TestGenerateConsistent(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		db := generated(t, seed, 1)
		owner := map[string]string{} // account id → client id
		for cid, c := range db.Clients.All() {
			if c.ClientID != cid {
				t.Errorf("client key %s holds %s", cid, c.ClientID)
			}
			for aid, a := range c.Accounts.All() {
				if a.AccountID != aid || owner[aid] != "" {
					t.Errorf("account %s: key mismatch or held twice", aid)
				}
				owner[aid] = cid
				if b := a.Balance; a.Type != "credit" && py.Round(b.Current-b.OnHold, 2) != b.Available {
					t.Errorf("account %s: available %v != current %v - on hold %v", aid, b.Available, b.Current, b.OnHold)
				}
			}
			for cd := range c.Cards.Values() {
				if _, ok := c.Accounts.Get(cd.LinkedAccountID); !ok {
					t.Errorf("card %s links %s, not an account of %s", cd.CardID, cd.LinkedAccountID, cid)
				}
			}
			for _, lid := range c.LoanIDs {
				if l, ok := db.Loans.Get(lid); !ok || l.ClientID != cid {
					t.Errorf("client %s lists loan %s it does not own", cid, lid)
				}
			}
			for _, bid := range c.BeneficiaryIDs {
				b, ok := db.Beneficiaries.Get(bid)
				if !ok || b.ClientID != cid {
					t.Fatalf("client %s lists beneficiary %s it does not own", cid, bid)
				}
				for _, aid := range b.AllowedFromAccountIDs {
					if _, ok := c.Accounts.Get(aid); !ok {
						t.Errorf("beneficiary %s allows %s, not an account of %s", bid, aid, cid)
					}
				}
			}
		}
		for id, tx := range db.Transactions.All() {
			if owner[tx.AccountID] != tx.ClientID || tx.TransactionID != id || tx.Amount <= 0 {
				t.Errorf("transaction %s: account %s of %s, amount %v", id, tx.AccountID, tx.ClientID, tx.Amount)
			}
		}
		for id, l := range db.Loans.All() {
			if owner[l.LinkedRepaymentAccountID] != l.ClientID {
				t.Errorf("loan %s repaid from %s, not an account of %s", id, l.LinkedRepaymentAccountID, l.ClientID)
			}
			for _, r := range l.RepaymentHistory {
				if _, ok := db.Transactions.Get(r.TransactionID); !ok {
					t.Errorf("loan %s repayment %s has no transaction", id, r.TransactionID)
				}
			}
		}
	}
}

// TestGenerateCoversEnums checks that every enum value of the data model occurs.
func TestGenerateCoversEnums(t *testing.T) {
	db := generated(t, 1, 1)
	seen := map[string]bool{}
	for c := range db.Clients.Values() {
		seen["kyc:"+c.KYC.Status] = true
		for a := range c.Accounts.Values() {
			seen["account:"+a.Type], seen["account:"+a.Status] = true, true
		}
		for cd := range c.Cards.Values() {
			seen["card:"+cd.Type], seen["card:"+cd.Status] = true, true
		}
	}
	for tx := range db.Transactions.Values() {
		seen["tx:"+tx.Type], seen["tx:"+tx.Direction], seen["tx:"+tx.Method], seen["tx:"+tx.Status] = true, true, true, true
	}
	for l := range db.Loans.Values() {
		seen["loan:"+l.Type], seen["loan:"+l.Amortization], seen["loan:"+l.Status] = true, true, true
		if l.Collateral != nil {
			seen["collateral:"+l.Collateral.Type] = true
		}
		for _, p := range l.PaymentSchedule {
			seen["schedule:"+p.Status] = true
		}
	}
	for b := range db.Beneficiaries.Values() {
		seen["beneficiary:"+b.Type], seen["beneficiary:"+b.Status] = true, true
		seen["verification:"+b.Verification.Status], seen["verification:"+b.Verification.Method.(string)] = true, true
	}
	for _, want := range []string{
		"kyc:pending", "kyc:verified", "kyc:failed",
		"account:checking", "account:savings", "account:credit", "account:active", "account:frozen", "account:closed",
		"card:debit", "card:credit", "card:active", "card:blocked", "card:expired",
		"tx:deposit", "tx:withdrawal", "tx:transfer", "tx:payment", "tx:fee", "tx:interest", "tx:debit", "tx:credit",
		"tx:ACH", "tx:Wire", "tx:Card", "tx:ATM", "tx:Internal", "tx:pending", "tx:posted", "tx:reversed",
		"loan:mortgage", "loan:auto", "loan:personal", "loan:credit_line", "loan:fixed", "loan:interest_only", "loan:balloon",
		"loan:active", "loan:closed", "loan:delinquent", "loan:default",
		"collateral:real_estate", "collateral:vehicle", "collateral:unsecured", "collateral:other",
		"schedule:due", "schedule:paid", "schedule:late", "schedule:deferred",
		"beneficiary:individual", "beneficiary:business", "beneficiary:active", "beneficiary:suspended", "beneficiary:revoked",
		"verification:pending", "verification:verified", "verification:failed",
		"verification:micro_deposits", "verification:document", "verification:instant",
	} {
		if !seen[want] {
			t.Errorf("generated database has no %s", want)
		}
	}
}

// A probe is a call made from a generated database, with the outcome wanted.
type probe struct {
	tool, args string
	wantErr    string // "" for success
}

// probes finds, in db, a succeeding call of every write tool and a call failing each
// precondition that depends on data.
func probes(db *DB) []probe {
	var out []probe
	have := map[string]bool{}
	add := func(key string, p probe) {
		if !have[key] {
			have[key] = true
			out = append(out, p)
		}
	}
	for cid, c := range db.Clients.All() {
		accts := c.Accounts.Values
		for a := range accts() {
			if a.Status == "active" {
				add("freeze_account", probe{"freeze_account", fmt.Sprintf(`{"account_id": %q, "reason": "lost"}`, a.AccountID), ""})
			}
			if a.Status == "frozen" {
				add("unfreeze_account", probe{"unfreeze_account", fmt.Sprintf(`{"account_id": %q}`, a.AccountID), ""})
			}
			if a.Status == "closed" {
				add("freeze closed", probe{"freeze_account", fmt.Sprintf(`{"account_id": %q, "reason": "x"}`, a.AccountID), "Account is closed and cannot be frozen"})
				add("unfreeze closed", probe{"unfreeze_account", fmt.Sprintf(`{"account_id": %q}`, a.AccountID), "Account is closed and cannot be unfrozen"})
			}
			for b := range accts() {
				if a == b || a.Status != "active" || b.Status != "active" {
					continue
				}
				args := func(amount float64) string {
					return fmt.Sprintf(`{"client_id": %q, "from_account_id": %q, "to_account_id": %q, "amount": %s}`, cid, a.AccountID, b.AccountID, py.FormatFloat(amount))
				}
				switch {
				case a.Type == "credit":
					add("transfer from credit", probe{"initiate_internal_transfer", args(1), "Transfers from a credit account are not supported"})
				case a.Currency != b.Currency:
					add("transfer cross currency", probe{"initiate_internal_transfer", args(1), "Cross-currency internal transfers are not supported"})
				case a.Balance.Available >= 1:
					add("initiate_internal_transfer", probe{"initiate_internal_transfer", args(1), ""})
					add("transfer too much", probe{"initiate_internal_transfer", args(a.Balance.Available + 1), "Insufficient available balance"})
				}
			}
		}
		for cd := range c.Cards.Values() {
			switch cd.Status {
			case "active":
				add("freeze_card", probe{"freeze_card", fmt.Sprintf(`{"card_id": %q, "reason": "lost"}`, cd.CardID), ""})
			case "blocked":
				add("unfreeze_card", probe{"unfreeze_card", fmt.Sprintf(`{"card_id": %q}`, cd.CardID), ""})
			case "expired":
				add("expired card", probe{"freeze_card", fmt.Sprintf(`{"card_id": %q, "reason": "lost"}`, cd.CardID), "Card not in a manageable state"})
			}
		}
		first := c.Accounts.Keys()[0]
		add("add_beneficiary", probe{"add_beneficiary", fmt.Sprintf(`{"client_id": %q, "beneficiary_id": "NEW-BEN-1", "allowed_from_account_ids": [%q], %s}`, cid, first, newBeneficiary), ""})
		for _, bid := range c.BeneficiaryIDs {
			b, _ := db.Beneficiaries.Get(bid)
			add("verify_beneficiary", probe{"verify_beneficiary", fmt.Sprintf(`{"client_id": %q, "beneficiary_id": %q}`, cid, bid), ""})
			from, _ := c.Accounts.Get(b.AllowedFromAccountIDs[0])
			args := func(amount float64) string {
				return fmt.Sprintf(`{"client_id": %q, "from_account_id": %q, "beneficiary_id": %q, "amount": %s}`, cid, from.AccountID, bid, py.FormatFloat(amount))
			}
			switch {
			case from.Status != "active":
			case b.Status != "active":
				add("payee not active", probe{"initiate_transfer_to_beneficiary", args(1), "Beneficiary is not active"})
			case b.Verification.Status != "verified":
				add("payee unverified", probe{"initiate_transfer_to_beneficiary", args(1), "Beneficiary must be verified before transfers"})
			case from.Balance.Available >= 1:
				add("initiate_transfer_to_beneficiary", probe{"initiate_transfer_to_beneficiary", args(1), ""})
				add("over payee limit", probe{"initiate_transfer_to_beneficiary", args(b.TransferLimits.PerTransferLimit + 1), "Amount exceeds per-transfer limit for beneficiary"})
			}
		}
		for _, lid := range c.LoanIDs {
			l, _ := db.Loans.Get(lid)
			if from, _ := c.Accounts.Get(l.LinkedRepaymentAccountID); from.Status == "active" && from.Balance.Available >= 1 {
				add("make_loan_payment", probe{"make_loan_payment", fmt.Sprintf(`{"client_id": %q, "loan_id": %q, "from_account_id": %q, "amount": 1}`, cid, lid, from.AccountID), ""})
			}
		}
	}
	return out
}

// TestGenerateServesWriteTools checks that generated databases give every write tool a
// call that succeeds and every data-dependent precondition a call that fails it.
func TestGenerateServesWriteTools(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		db := generated(t, seed, 1)
		ps := probes(db)
		found := map[string]bool{}
		for _, p := range ps {
			e := domains.NewEnv(Domain, db, domains.DefaultNow)
			r := call(t, e, p.tool, p.args)
			switch {
			case p.wantErr == "" && !r.OK():
				t.Errorf("seed %d: %s(%s) failed: %s", seed, p.tool, p.args, r.Content)
			case p.wantErr != "" && (r.OK() || r.Err.Error() != p.wantErr):
				t.Errorf("seed %d: %s(%s) = %s; want error %s", seed, p.tool, p.args, r.Content, p.wantErr)
			}
			if p.wantErr == "" {
				found[p.tool] = true
			} else {
				found[p.wantErr] = true
			}
		}
		for _, tool := range Domain.Tools {
			if tool.Kind == domains.Write && !found[tool.Name] {
				t.Errorf("seed %d: no succeeding call of %s", seed, tool.Name)
			}
		}
		for _, msg := range []string{
			"Account is closed and cannot be frozen", "Transfers from a credit account are not supported",
			"Cross-currency internal transfers are not supported", "Insufficient available balance",
			"Card not in a manageable state", "Beneficiary is not active",
			"Beneficiary must be verified before transfers", "Amount exceeds per-transfer limit for beneficiary",
		} {
			if !found[msg] {
				t.Errorf("seed %d: no call failing with %q", seed, msg)
			}
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(domains.Rand(1, "bank", 0, "db"), 1); err != nil {
			b.Fatal(err)
		}
	}
}
