package bank

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// tinyDB is testdata/tiny_bank.json: three clients covering every account, card and
// beneficiary state the tools check.
func tinyDB(t testing.TB) domains.DB {
	t.Helper()
	data, err := os.ReadFile("testdata/tiny_bank.json")
	if err != nil {
		t.Fatal(err)
	}
	db, err := domains.Decode(Domain, data)
	if err != nil {
		t.Fatalf("decode testdata/tiny_bank.json: %v", err)
	}
	return db
}

func call(t testing.TB, e *domains.Env, tool, args string) domains.Result {
	t.Helper()
	v, err := py.Parse([]byte(args))
	if err != nil {
		t.Fatalf("arguments %s: %v", args, err)
	}
	return e.Call(tool, v.(*py.Object))
}

// A toolCase is one call on a fresh environment over the tiny database. want is the exact
// content; "x…" means content starting with x, "…x…" content containing x. check looks at
// the result and the database after the call.
type toolCase struct {
	name  string
	tool  string
	args  string
	want  string
	check func(t *testing.T, e *domains.Env, r domains.Result)
}

func runCases(t *testing.T, cases []toolCase) {
	t.Helper()
	db := tinyDB(t)
	before, err := domains.Hash(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := domains.NewEnv(Domain, db, domains.DefaultNow)
			r := call(t, e, tc.tool, tc.args)
			if wantOK := !strings.HasPrefix(tc.want, "Error: "); r.OK() != wantOK {
				t.Fatalf("%s(%s): ok = %v; want %v (%s)", tc.tool, tc.args, r.OK(), wantOK, r.Content)
			}
			if part, ok := strings.CutSuffix(tc.want, "…"); ok {
				inner, anywhere := strings.CutPrefix(part, "…")
				if anywhere && !strings.Contains(r.Content, inner) || !anywhere && !strings.HasPrefix(r.Content, part) {
					t.Errorf("%s(%s) = %s; want %s", tc.tool, tc.args, r.Content, tc.want)
				}
			} else if r.Content != tc.want {
				t.Errorf("%s(%s) = %s; want %s", tc.tool, tc.args, r.Content, tc.want)
			}
			if tc.check != nil {
				tc.check(t, e, r)
			}
		})
	}
	if after, _ := domains.Hash(db); after != before {
		t.Errorf("the calls changed the database they were forked from")
	}
}

func bankOf(e *domains.Env) *DB { return e.DB.(*DB) }

func accountIn(t *testing.T, e *domains.Env, id string) *Account {
	t.Helper()
	_, a, err := bankOf(e).account(id)
	if err != nil {
		t.Fatalf("account %s: %v", id, err)
	}
	return a
}

func wantBalance(t *testing.T, e *domains.Env, id string, current, available float64) {
	t.Helper()
	b := accountIn(t, e, id).Balance
	if b.Current != current || b.Available != available {
		t.Errorf("account %s balance = %v/%v; want %v/%v", id, b.Current, b.Available, current, available)
	}
}

func wantTransactions(t *testing.T, e *domains.Env, n int) {
	t.Helper()
	if got := bankOf(e).Transactions.Len(); got != n {
		t.Errorf("%d transactions; want %d", got, n)
	}
}

// unchanged checks that a failing call left the database as it was.
func unchanged(t *testing.T, e *domains.Env, _ domains.Result) {
	t.Helper()
	got, err := domains.Hash(e.DB)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := domains.Hash(tinyDB(t))
	if got != want {
		t.Errorf("database changed")
	}
}

func TestGenericTools(t *testing.T) {
	runCases(t, []toolCase{
		{"transfer", "transfer_to_human_agents", `{"summary": "wants a mortgage"}`, "Transfer successful", unchanged},
		{"transfer any summary", "transfer_to_human_agents", `{"summary": 5}`, "Transfer successful", nil},
		{"transfer missing summary", "transfer_to_human_agents", `{}`,
			"Error: BankTools.transfer_to_human_agents() missing 1 required positional argument: 'summary'", nil},
		{"unknown tool", "close_account", `{"account_id": "A1"}`, "Error: Tool 'close_account' not found.", nil},
	})
}

func TestFindClientIDByEmail(t *testing.T) {
	runCases(t, []toolCase{
		{"case-insensitive", "find_client_id_by_email", `{"email": "ANA.Silva@Example.PT"}`, "C1", nil},
		{"first of a shared email", "find_client_id_by_email", `{"email": "ben@example.ng"}`, "C2", nil},
		{"no trimming", "find_client_id_by_email", `{"email": " ana.silva@example.pt"}`, "Error: Client not found", nil},
		{"unknown", "find_client_id_by_email", `{"email": "nobody@example.com"}`, "Error: Client not found", nil},
		{"int", "find_client_id_by_email", `{"email": 7}`, "Error: 'int' object has no attribute 'lower'", nil},
		{"null", "find_client_id_by_email", `{"email": null}`, "Error: 'NoneType' object has no attribute 'lower'", nil},
		{"extra argument", "find_client_id_by_email", `{"email": "x", "client_id": "C1"}`,
			"Error: BankTools.find_client_id_by_email() got an unexpected keyword argument 'client_id'", nil},
	})
}

func TestSingleRecordReads(t *testing.T) {
	runCases(t, []toolCase{
		{"client", "get_client_details", `{"client_id": "C2"}`,
			`{"client_id": "C2", "name": {"first_name": "Ben", "last_name": "Okafor", "middle_name": null}, "contact": {"email": "BEN@example.ng"…`, nil},
		{"client unknown", "get_client_details", `{"client_id": "c2"}`, "Error: Client not found", nil},
		{"client list id", "get_client_details", `{"client_id": ["C2"]}`, "Error: unhashable type: 'list'", nil},
		{"account of any client", "get_account_details", `{"account_id": "A7"}`,
			`{"account_id": "A7", "type": "checking", "currency": "NGN", "status": "active", "account_number_masked": "****7777", "routing_number": "021000021", "balance": {"current": 250000.0, "available": 250000.0, "on_hold": 0.0}, "interest_rate_apr": null, "overdraft_limit": null…`, nil},
		{"account unknown", "get_account_details", `{"account_id": "A9"}`, "Error: Account not found", nil},
		{"account int", "get_account_details", `{"account_id": 1}`, "Error: Account not found", nil},
		{"account dict", "get_account_details", `{"account_id": {"id": "A1"}}`, "Error: unhashable type: 'dict'", nil},
		{"card", "get_card_details", `{"card_id": "K3"}`,
			`{"card_id": "K3", "type": "debit", "linked_account_id": "A1", "status": "expired", "issuer": "Caixa Geral de Dep\u00f3sitos"…`, nil},
		{"card unknown", "get_card_details", `{"card_id": "K9"}`, "Error: Card not found", nil},
		{"loan", "get_loan_details", `{"loan_id": "L2"}`, `{"loan_id": "L2", "client_id": "C2"…`, nil},
		{"loan null", "get_loan_details", `{"loan_id": null}`, "Error: Loan not found", nil},
		{"beneficiary", "get_beneficiary_details", `{"beneficiary_id": "B5"}`,
			`{"beneficiary_id": "B5", "client_id": "C2", "name": {"display_name": null, "first_name": null, "last_name": null, "business_name": null}…`, nil},
		{"beneficiary unknown", "get_beneficiary_details", `{"beneficiary_id": "BX"}`, "Error: Beneficiary not found", nil},
		{"beneficiary missing argument", "get_beneficiary_details", `{}`,
			"Error: BankTools.get_beneficiary_details() missing 1 required positional argument: 'beneficiary_id'", nil},
	})
}

func TestListTools(t *testing.T) {
	runCases(t, []toolCase{
		{"accounts sorted", "list_client_accounts", `{"client_id": "C2"}`,
			`{"A7": {"currency": "NGN", "masked": "****7777", "status": "active", "type": "checking"}}`, nil},
		{"accounts unknown client", "list_client_accounts", `{"client_id": "C9"}`, "Error: Client not found", nil},
		// B1 by display name, B2 by business name, B3 by display name, B4 by first name
		// (empty display name), BX skipped: it does not exist.
		{"beneficiaries", "list_client_beneficiaries", `{"client_id": "C1"}`,
			`{"B1": "Mom", "B2": "Acme Lda", "B3": "Rui", "B4": "Tom"}`, nil},
		{"beneficiary without a name", "list_client_beneficiaries", `{"client_id": "C2"}`, `{"B5": "Unnamed Beneficiary"}`, nil},
		{"beneficiaries none", "list_client_beneficiaries", `{"client_id": "C3"}`, `{}`, nil},
		{"beneficiaries unknown client", "list_client_beneficiaries", `{"client_id": 3}`, "Error: Client not found", nil},
	})
}

// ids returns the transaction ids of a result holding a list of transactions.
func ids(t *testing.T, r domains.Result) []string {
	t.Helper()
	txs, ok := r.Output.([]*Transaction)
	if !ok {
		t.Fatalf("output is %T, not []*Transaction (%s)", r.Output, r.Content)
	}
	var out []string
	for _, tx := range txs {
		out = append(out, tx.TransactionID)
	}
	return out
}

func wantIDs(want ...string) func(t *testing.T, e *domains.Env, r domains.Result) {
	return func(t *testing.T, e *domains.Env, r domains.Result) {
		t.Helper()
		if got := ids(t, r); !slices.Equal(got, want) {
			t.Errorf("transactions %v; want %v", got, want)
		}
	}
}

func TestGetRecentTransactions(t *testing.T) {
	runCases(t, []toolCase{
		// Newest first by timestamp text: "…09:00:00Z" sorts after "…09:00:00+02:00"; the
		// reversed T3 is left out.
		{"default limit", "get_recent_transactions", `{"account_id": "A1"}`, `[{"transaction_id": "T5"…`, wantIDs("T5", "T2", "T1")},
		{"limit", "get_recent_transactions", `{"account_id": "A1", "limit": 2}`, `…`, wantIDs("T5", "T2")},
		{"limit zero", "get_recent_transactions", `{"account_id": "A1", "limit": 0}`, `[]`, nil},
		{"negative limit", "get_recent_transactions", `{"account_id": "A1", "limit": -2}`, `[]`, nil},
		{"limit true", "get_recent_transactions", `{"account_id": "A1", "limit": true}`, `…`, wantIDs("T5")},
		{"limit null", "get_recent_transactions", `{"account_id": "A1", "limit": null}`,
			"Error: '>' not supported between instances of 'NoneType' and 'int'", nil},
		{"limit text", "get_recent_transactions", `{"account_id": "A1", "limit": "2"}`,
			"Error: '>' not supported between instances of 'str' and 'int'", nil},
		{"limit float", "get_recent_transactions", `{"account_id": "A1", "limit": 2.0}`,
			"Error: slice indices must be integers or None or have an __index__ method", nil},
		{"negative float limit", "get_recent_transactions", `{"account_id": "A1", "limit": -2.5}`, `[]`, nil},
		{"no transactions", "get_recent_transactions", `{"account_id": "A6"}`, `[]`, nil},
		{"unknown account first", "get_recent_transactions", `{"account_id": "A9", "limit": "x"}`, "Error: Account not found", nil},
	})
}

func TestSearchTransactions(t *testing.T) {
	runCases(t, []toolCase{
		{"all statuses", "search_transactions", `{"client_id": "C1", "account_id": "A1"}`, `…`, wantIDs("T5", "T2", "T3", "T1")},
		{"start date", "search_transactions", `{"client_id": "C1", "account_id": "A1", "start_date": "2025-08-02"}`, `…`, wantIDs("T5", "T2", "T3")},
		{"empty start date is no filter", "search_transactions", `{"client_id": "C1", "account_id": "A1", "start_date": ""}`, `…`, wantIDs("T5", "T2", "T3", "T1")},
		// A bare end date excludes that day: "2025-08-02T…" > "2025-08-02".
		{"end date", "search_transactions", `{"client_id": "C1", "account_id": "A1", "end_date": "2025-08-02"}`, `…`, wantIDs("T1")},
		{"amount range", "search_transactions", `{"client_id": "C1", "account_id": "A1", "min_amount": 2, "max_amount": 30.0}`, `…`, wantIDs("T5", "T2", "T3")},
		{"zero is a bound", "search_transactions", `{"client_id": "C1", "account_id": "A1", "max_amount": 0}`, `[]`, nil},
		{"type", "search_transactions", `{"client_id": "C1", "account_id": "A1", "transaction_type": "payment"}`, `…`, wantIDs("T2", "T3")},
		{"status", "search_transactions", `{"client_id": "C1", "account_id": "A1", "status": "reversed"}`, `…`, wantIDs("T3")},
		{"status not a str", "search_transactions", `{"client_id": "C1", "account_id": "A1", "status": 1}`, `[]`, nil},
		{"merchant", "search_transactions", `{"client_id": "C1", "account_id": "A1", "merchant_name_contains": "CORNER caf"}`, `…`, wantIDs("T2")},
		{"start date int", "search_transactions", `{"client_id": "C1", "account_id": "A1", "start_date": 2025}`,
			"Error: '<' not supported between instances of 'str' and 'int'", nil},
		{"min amount text", "search_transactions", `{"client_id": "C1", "account_id": "A1", "min_amount": "5"}`,
			"Error: '<' not supported between instances of 'float' and 'str'", nil},
		{"merchant int", "search_transactions", `{"client_id": "C1", "account_id": "A1", "merchant_name_contains": 5}`,
			"Error: 'int' object has no attribute 'lower'", nil},
		{"bad filter on an empty account", "search_transactions", `{"client_id": "C1", "account_id": "A6", "start_date": 1}`, `[]`, nil},
		{"another client's account", "search_transactions", `{"client_id": "C1", "account_id": "A7"}`, "Error: Account not found for this client", nil},
		{"unknown client", "search_transactions", `{"client_id": "C9", "account_id": "A1"}`, "Error: Client not found", nil},
		{"unexpected filter", "search_transactions", `{"client_id": "C1", "account_id": "A1", "merchant": "x"}`,
			"Error: BankTools.search_transactions() got an unexpected keyword argument 'merchant'", nil},
	})
}

func TestInitiateInternalTransfer(t *testing.T) {
	const name = "initiate_internal_transfer"
	runCases(t, []toolCase{
		{"success", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A2", "amount": 100.555}`,
			`[{"transaction_id": "tx_0000006", "client_id": "C1", "account_id": "A1", "timestamp": "2024-05-15T15:00:00Z", "type": "transfer", "direction": "debit", "amount": 100.56, "currency": "EUR", "description": "Internal transfer to A2", "method": "Internal", "status": "posted", "merchant": null, "related_transaction_id": "tx_0000006", "exchange": null, "fees": [], "hold": null, "balance_after": 899.44}, {"transaction_id": "tx_0000006", "client_id": "C1", "account_id": "A2", "timestamp": "2024-05-15T15:00:00Z", "type": "transfer", "direction": "credit", "amount": 100.56, "currency": "EUR", "description": "Internal transfer from A1", "method": "Internal", "status": "posted", "merchant": null, "related_transaction_id": "tx_0000006", "exchange": null, "fees": [], "hold": null, "balance_after": 5100.56}]`,
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				wantBalance(t, e, "A1", 899.44, 799.44)
				wantBalance(t, e, "A2", 5100.56, 5100.56)
				// Both legs share one id: only the credit leg is stored.
				wantTransactions(t, e, 6)
				if tx, _ := bankOf(e).Transactions.Get("tx_0000006"); tx.Direction != "credit" {
					t.Errorf("stored leg is %s; want credit", tx.Direction)
				}
			}},
		{"description on both legs", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A2", "amount": 1, "description": "Top-up"}`, `…`,
			func(t *testing.T, e *domains.Env, r domains.Result) {
				legs := r.Output.([]*Transaction)
				if *legs[0].Description != "Top-up" || *legs[1].Description != "Top-up" || legs[0].Amount != 1 {
					t.Errorf("legs %s", r.Content)
				}
			}},
		{"same account", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A1", "amount": 10}`, `…`,
			func(t *testing.T, e *domains.Env, _ domains.Result) { wantBalance(t, e, "A1", 1000, 900) }},
		{"zero", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A2", "amount": 0}`, "Error: Amount must be greater than zero", unchanged},
		{"amount text", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A2", "amount": "5"}`,
			"Error: '<=' not supported between instances of 'str' and 'int'", unchanged},
		{"unknown client", name, `{"client_id": "C9", "from_account_id": "A1", "to_account_id": "A2", "amount": 5}`, "Error: Client not found", unchanged},
		{"other client's account", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A7", "amount": 5}`,
			"Error: Both accounts must belong to the same client", unchanged},
		{"frozen source", name, `{"client_id": "C1", "from_account_id": "A5", "to_account_id": "A2", "amount": 5}`, "Error: Account is not active", unchanged},
		{"closed destination", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A6", "amount": 5}`, "Error: Account is not active", unchanged},
		{"credit source", name, `{"client_id": "C1", "from_account_id": "A3", "to_account_id": "A1", "amount": 5}`,
			"Error: Transfers from a credit account are not supported", unchanged},
		{"cross currency", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A4", "amount": 5}`,
			"Error: Cross-currency internal transfers are not supported", unchanged},
		{"more than available", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A2", "amount": 900.01}`,
			"Error: Insufficient available balance", unchanged},
		// The balances change before the legs are built (reference partial mutation).
		{"description not a str", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A2", "amount": 10, "description": 5}`,
			"Error: 1 validation error for Transaction\ndescription\n  Input should be a valid string…",
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				wantBalance(t, e, "A1", 990, 890)
				wantBalance(t, e, "A2", 5010, 5010)
				wantTransactions(t, e, 5)
			}},
		{"missing amount", name, `{"client_id": "C1", "from_account_id": "A1", "to_account_id": "A2"}`,
			"Error: BankTools.initiate_internal_transfer() missing 1 required positional argument: 'amount'", nil},
	})
}

const newBeneficiary = `"beneficiary_type": "individual", "display_name": "Zoë", "first_name": "Zoë", "last_name": "Lima",
	"business_name": null, "bank_name": "Novo Banco", "account_number_masked": "****1212", "routing_number": null,
	"iban": "PT50000700000012345678901", "swift_bic": null, "address1": "Rua Nova 1", "address2": "", "city": "Porto",
	"state": "Porto", "zip": "4000-001", "country": "Portugal", "per_transfer_limit": 300, "daily_limit": 600.0`

func TestAddBeneficiary(t *testing.T) {
	const name = "add_beneficiary"
	args := func(s string) string { return "{" + newBeneficiary + ", " + s + "}" }
	runCases(t, []toolCase{
		{"success", name, args(`"client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": ["A1", "A2"]`),
			`{"beneficiary_id": "B9", "client_id": "C1", "name": {"display_name": "Zo\u00eb", "first_name": "Zo\u00eb", "last_name": "Lima", "business_name": null}, "type": "individual", "bank_details": {"bank_name": "Novo Banco", "account_number_masked": "****1212", "routing_number": null, "iban": "PT50000700000012345678901", "swift_bic": null}, "address": {"address1": "Rua Nova 1", "address2": "", "city": "Porto", "state": "Porto", "zip": "4000-001", "country": "Portugal"}, "allowed_from_account_ids": ["A1", "A2"], "transfer_limits": {"per_transfer_limit": 300.0, "daily_limit": 600.0}, "verification": {"status": "pending", "method": "document", "verified_at": null}, "status": "active", "created_at": "2024-05-15T15:00:00Z", "notes": null}`,
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				c, _ := bankOf(e).Clients.Get("C1")
				if !slices.Equal(c.BeneficiaryIDs, []string{"B1", "B2", "B3", "B4", "BX", "B9"}) {
					t.Errorf("beneficiary ids %v", c.BeneficiaryIDs)
				}
			}},
		// No uniqueness check: another client's beneficiary is overwritten in place.
		{"overwrite", name, args(`"client_id": "C1", "beneficiary_id": "B5", "allowed_from_account_ids": ["A1"], "verification_method": "instant"`), `…`,
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				db := bankOf(e)
				if b, _ := db.Beneficiaries.Get("B5"); b.ClientID != "C1" || b.Verification.Method != "instant" {
					t.Errorf("B5 = %+v", b)
				}
				if got := db.Beneficiaries.Keys(); !slices.Equal(got, []string{"B1", "B2", "B3", "B4", "B5"}) {
					t.Errorf("beneficiary order %v", got)
				}
				if c2, _ := db.Clients.Get("C2"); !slices.Equal(c2.BeneficiaryIDs, []string{"B5"}) {
					t.Errorf("C2 beneficiary ids %v", c2.BeneficiaryIDs)
				}
			}},
		{"listed id not appended twice", name, args(`"client_id": "C1", "beneficiary_id": "BX", "allowed_from_account_ids": []`), `…`,
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				if c, _ := bankOf(e).Clients.Get("C1"); len(c.BeneficiaryIDs) != 5 {
					t.Errorf("beneficiary ids %v", c.BeneficiaryIDs)
				}
			}},
		{"unknown client", name, args(`"client_id": "C9", "beneficiary_id": "B9", "allowed_from_account_ids": ["A1"]`), "Error: Client not found", unchanged},
		{"foreign account", name, args(`"client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": ["A1", "A7", 3]`),
			"Error: Allowed account A7 does not belong to client", unchanged},
		{"int account", name, args(`"client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": [1.5]`),
			"Error: Allowed account 1.5 does not belong to client", unchanged},
		{"accounts as text", name, args(`"client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": "A1"`),
			"Error: Allowed account A does not belong to client", unchanged},
		{"accounts as int", name, args(`"client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": 1`),
			"Error: 'int' object is not iterable", unchanged},
		{"bad type", name, strings.Replace(args(`"client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": ["A1"]`), `"individual"`, `"cousin"`, 1),
			"Error: 1 validation error for Beneficiary\ntype\n  Input should be 'individual' or 'business'…", unchanged},
		{"bad verification method", name, args(`"client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": ["A1"], "verification_method": "phone"`),
			"Error: 1 validation error for BeneficiaryVerification\nmethod…", unchanged},
		{"bad limit", name, strings.Replace(args(`"client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": ["A1"]`), `"per_transfer_limit": 300`, `"per_transfer_limit": "lots"`, 1),
			"Error: 1 validation error for TransferLimits…", unchanged},
		{"id not a str", name, args(`"client_id": "C1", "beneficiary_id": 9, "allowed_from_account_ids": ["A1"]`),
			"Error: 1 validation error for Beneficiary\nbeneficiary_id…", unchanged},
		{"missing iban", name, strings.Replace(args(`"client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": ["A1"]`), `"iban": "PT50000700000012345678901", `, ``, 1),
			"Error: BankTools.add_beneficiary() missing 1 required positional argument: 'iban'", nil},
	})
}

func TestVerifyBeneficiary(t *testing.T) {
	const name = "verify_beneficiary"
	runCases(t, []toolCase{
		{"pending", name, `{"client_id": "C1", "beneficiary_id": "B2", "method": "instant"}`,
			`…"verification": {"status": "verified", "method": "instant", "verified_at": "2024-05-15T15:00:00Z"}, "status": "active"…`, nil},
		{"default method", name, `{"client_id": "C1", "beneficiary_id": "B2"}`, `…"method": "document"…`, nil},
		// The method is stored as given (reference quirk); status is not checked.
		{"method stored unchecked", name, `{"client_id": "C1", "beneficiary_id": "B3", "method": 7}`,
			`…"verification": {"status": "verified", "method": 7, "verified_at": "2024-05-15T15:00:00Z"}, "status": "suspended"…`,
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				canon, err := domains.Encode(e.DB, py.Canonical)
				if err != nil || !strings.Contains(string(canon), `"method":7`) {
					t.Errorf("method 7 not in the database (%v)", err)
				}
			}},
		{"not owned", name, `{"client_id": "C1", "beneficiary_id": "B5"}`, "Error: Beneficiary not owned by this client", unchanged},
		{"list id is just not owned", name, `{"client_id": "C1", "beneficiary_id": ["B1"]}`, "Error: Beneficiary not owned by this client", unchanged},
		{"listed but missing", name, `{"client_id": "C1", "beneficiary_id": "BX"}`, "Error: Beneficiary not found", unchanged},
		{"unknown client", name, `{"client_id": "C9", "beneficiary_id": "B1"}`, "Error: Client not found", unchanged},
	})
}

func TestInitiateTransferToBeneficiary(t *testing.T) {
	const name = "initiate_transfer_to_beneficiary"
	runCases(t, []toolCase{
		{"success", name, `{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "B1", "amount": 120.5}`,
			`{"transaction_id": "tx_0000006", "client_id": "C1", "account_id": "A1", "timestamp": "2024-05-15T15:00:00Z", "type": "transfer", "direction": "debit", "amount": 120.5, "currency": "EUR", "description": "Transfer to beneficiary Mom", "method": "ACH", "status": "posted", "merchant": null, "related_transaction_id": null, "exchange": null, "fees": [], "hold": null, "balance_after": 879.5}`,
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				wantBalance(t, e, "A1", 879.5, 779.5)
				wantTransactions(t, e, 6)
			}},
		{"label falls back to the id", name, `{"client_id": "C1", "from_account_id": "A2", "beneficiary_id": "B4", "amount": 10, "method": "Wire"}`,
			`…"description": "Transfer to beneficiary B4", "method": "Wire"…`, nil},
		{"zero", name, `{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "B1", "amount": -1}`, "Error: Amount must be greater than zero", unchanged},
		{"unknown client", name, `{"client_id": "C9", "from_account_id": "A1", "beneficiary_id": "B1", "amount": 1}`, "Error: Client not found", unchanged},
		{"foreign source", name, `{"client_id": "C1", "from_account_id": "A7", "beneficiary_id": "B1", "amount": 1}`,
			"Error: Source account must belong to the client", unchanged},
		{"frozen source", name, `{"client_id": "C1", "from_account_id": "A5", "beneficiary_id": "B4", "amount": 1}`, "Error: Account is not active", unchanged},
		{"not owned", name, `{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "B5", "amount": 1}`,
			"Error: Beneficiary not owned by this client", unchanged},
		{"listed but missing", name, `{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "BX", "amount": 1}`, "Error: Beneficiary not found", unchanged},
		{"suspended", name, `{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "B3", "amount": 1}`, "Error: Beneficiary is not active", unchanged},
		{"unverified", name, `{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "B2", "amount": 1}`,
			"Error: Beneficiary must be verified before transfers", unchanged},
		{"account not allowed", name, `{"client_id": "C1", "from_account_id": "A2", "beneficiary_id": "B1", "amount": 1}`,
			"Error: This account is not authorized for transfers to the beneficiary", unchanged},
		{"over the limit", name, `{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "B1", "amount": 500.01}`,
			"Error: Amount exceeds per-transfer limit for beneficiary", unchanged},
		{"more than available", name, `{"client_id": "C1", "from_account_id": "A2", "beneficiary_id": "B4", "amount": 5000.5}`,
			"Error: Insufficient available balance", unchanged},
		// The deduction is kept when the method fails validation (reference partial mutation).
		{"bad method", name, `{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "B1", "amount": 100, "method": "SWIFT"}`,
			"Error: 1 validation error for Transaction\nmethod\n  Input should be 'ACH', 'Wire', 'Card', 'ATM' or 'Internal'…",
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				wantBalance(t, e, "A1", 900, 800)
				wantTransactions(t, e, 5)
			}},
	})
}

func TestCardTools(t *testing.T) {
	status := func(want string) func(t *testing.T, e *domains.Env, _ domains.Result) {
		return func(t *testing.T, e *domains.Env, _ domains.Result) {
			_, cd, _ := bankOf(e).card("K1")
			_, k2, _ := bankOf(e).card("K2")
			if got := cd.Status + "/" + k2.Status; got != want {
				t.Errorf("K1/K2 status %s; want %s", got, want)
			}
		}
	}
	runCases(t, []toolCase{
		{"freeze", "freeze_card", `{"card_id": "K1", "reason": "lost"}`, `{"card_id": "K1", "type": "debit", "linked_account_id": "A1", "status": "blocked"…`, status("blocked/blocked")},
		{"freeze blocked", "freeze_card", `{"card_id": "K2", "reason": 1}`, `…"status": "blocked"…`, unchanged},
		{"freeze expired", "freeze_card", `{"card_id": "K3", "reason": "lost"}`, "Error: Card not in a manageable state", unchanged},
		{"freeze unknown", "freeze_card", `{"card_id": "K9", "reason": "lost"}`, "Error: Card not found", unchanged},
		{"freeze without reason", "freeze_card", `{"card_id": "K1"}`, "Error: BankTools.freeze_card() missing 1 required positional argument: 'reason'", nil},
		{"unfreeze", "unfreeze_card", `{"card_id": "K2"}`, `…"status": "active"…`, status("active/active")},
		{"unfreeze active", "unfreeze_card", `{"card_id": "K1"}`, `…"status": "active"…`, unchanged},
		{"unfreeze expired", "unfreeze_card", `{"card_id": "K3"}`, "Error: Card not in a manageable state", unchanged},
		{"unfreeze unknown", "unfreeze_card", `{"card_id": "K9"}`, "Error: Card not found", unchanged},
	})
}

func TestAccountTools(t *testing.T) {
	status := func(id, want string) func(t *testing.T, e *domains.Env, _ domains.Result) {
		return func(t *testing.T, e *domains.Env, _ domains.Result) {
			if got := accountIn(t, e, id).Status; got != want {
				t.Errorf("%s status %s; want %s", id, got, want)
			}
		}
	}
	runCases(t, []toolCase{
		{"freeze", "freeze_account", `{"account_id": "A1", "reason": "fraud"}`, `{"account_id": "A1", "type": "checking", "currency": "EUR", "status": "frozen"…`, status("A1", "frozen")},
		{"freeze frozen", "freeze_account", `{"account_id": "A5", "reason": "again"}`, `…"status": "frozen"…`, unchanged},
		{"freeze closed", "freeze_account", `{"account_id": "A6", "reason": "x"}`, "Error: Account is closed and cannot be frozen", unchanged},
		{"freeze unknown", "freeze_account", `{"account_id": "A9", "reason": "x"}`, "Error: Account not found", unchanged},
		{"unfreeze", "unfreeze_account", `{"account_id": "A5"}`, `…"status": "active"…`, status("A5", "active")},
		{"unfreeze active", "unfreeze_account", `{"account_id": "A2"}`, `…"status": "active"…`, unchanged},
		{"unfreeze closed", "unfreeze_account", `{"account_id": "A6"}`, "Error: Account is closed and cannot be unfrozen", unchanged},
		{"unfreeze unknown", "unfreeze_account", `{"account_id": "A9"}`, "Error: Account not found", unchanged},
	})
}

func TestMakeLoanPayment(t *testing.T) {
	const name = "make_loan_payment"
	runCases(t, []toolCase{
		{"success", name, `{"client_id": "C1", "loan_id": "L1", "from_account_id": "A1", "amount": 186.64}`,
			`{"transaction_id": "tx_0000006", "client_id": "C1", "account_id": "A1", "timestamp": "2024-05-15T15:00:00Z", "type": "payment", "direction": "debit", "amount": 186.64, "currency": "EUR", "description": "Loan payment L1", "method": "Internal", "status": "posted", "merchant": null, "related_transaction_id": null, "exchange": null, "fees": [], "hold": null, "balance_after": 813.36}`,
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				wantBalance(t, e, "A1", 813.36, 713.36)
				wantTransactions(t, e, 6)
				l, _ := bankOf(e).Loans.Get("L1")
				want := Repayment{TransactionID: "tx_0000006", PostedAt: "2024-05-15T15:00:00Z", Amount: 186.64, Currency: "EUR",
					Method: "Internal", PrincipalComponent: 186.64}
				if len(l.RepaymentHistory) != 1 || l.RepaymentHistory[0] != want {
					t.Errorf("repayment history %+v", l.RepaymentHistory)
				}
				if l.PaymentSchedule[0].Status != "due" {
					t.Errorf("schedule changed: %+v", l.PaymentSchedule)
				}
			}},
		{"method and description", name, `{"client_id": "C1", "loan_id": "L1", "from_account_id": "A2", "amount": 50, "method": "ACH", "description": "Extra"}`,
			`…"amount": 50.0, "currency": "EUR", "description": "Extra", "method": "ACH"…`, nil},
		{"zero", name, `{"client_id": "C1", "loan_id": "L1", "from_account_id": "A1", "amount": 0.0}`, "Error: Amount must be greater than zero", unchanged},
		{"unknown client", name, `{"client_id": "C9", "loan_id": "L1", "from_account_id": "A1", "amount": 1}`, "Error: Client not found", unchanged},
		{"foreign account", name, `{"client_id": "C1", "loan_id": "L1", "from_account_id": "A7", "amount": 1}`,
			"Error: Source account must belong to the client", unchanged},
		{"unknown loan", name, `{"client_id": "C1", "loan_id": "L9", "from_account_id": "A1", "amount": 1}`, "Error: Loan not found", unchanged},
		{"other client's loan", name, `{"client_id": "C1", "loan_id": "L2", "from_account_id": "A1", "amount": 1}`,
			"Error: Loan does not belong to the client", unchanged},
		{"frozen account", name, `{"client_id": "C1", "loan_id": "L1", "from_account_id": "A5", "amount": 1}`, "Error: Account is not active", unchanged},
		{"more than available", name, `{"client_id": "C1", "loan_id": "L1", "from_account_id": "A1", "amount": 1000}`,
			"Error: Insufficient available balance", unchanged},
		{"bad method", name, `{"client_id": "C1", "loan_id": "L1", "from_account_id": "A1", "amount": 100, "method": "Cheque"}`,
			"Error: 1 validation error for Transaction\nmethod…",
			func(t *testing.T, e *domains.Env, _ domains.Result) {
				wantBalance(t, e, "A1", 900, 800)
				wantTransactions(t, e, 5)
				if l, _ := bankOf(e).Loans.Get("L1"); len(l.RepaymentHistory) != 0 {
					t.Errorf("repayment recorded after a failed payment")
				}
			}},
	})
}

// TestTransactionIDs follows the reference's id rule: the table size plus one, so a
// transfer (which stores one leg) advances the next id by one.
func TestTransactionIDs(t *testing.T) {
	e := domains.NewEnv(Domain, tinyDB(t), domains.DefaultNow)
	for _, c := range []struct{ tool, args, wantID string }{
		{"initiate_internal_transfer", `{"client_id": "C1", "from_account_id": "A2", "to_account_id": "A1", "amount": 5}`, "tx_0000006"},
		{"make_loan_payment", `{"client_id": "C1", "loan_id": "L1", "from_account_id": "A1", "amount": 5}`, "tx_0000007"},
		{"initiate_transfer_to_beneficiary", `{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "B1", "amount": 5}`, "tx_0000008"},
	} {
		r := call(t, e, c.tool, c.args)
		if !strings.Contains(r.Content, `"transaction_id": "`+c.wantID+`"`) {
			t.Errorf("%s: %s; want id %s", c.tool, r.Content, c.wantID)
		}
	}
	wantTransactions(t, e, 8)
}

// TestOutputsAreSnapshots checks that a result keeps the state of its call when a later
// call changes the same record, as the recorded reference outputs do.
func TestOutputsAreSnapshots(t *testing.T) {
	e := domains.NewEnv(Domain, tinyDB(t), domains.DefaultNow)
	first := call(t, e, "freeze_account", `{"account_id": "A1", "reason": "x"}`)
	call(t, e, "unfreeze_account", `{"account_id": "A1"}`)
	if got := first.Output.(*Account).Status; got != "frozen" {
		t.Errorf("first result now says %s; want frozen", got)
	}
}

func TestClockStamps(t *testing.T) {
	db := tinyDB(t)
	e := domains.NewEnv(Domain, db, domains.DefaultNow.Add(26*3600e9+1e9))
	r := call(t, e, "verify_beneficiary", `{"client_id": "C1", "beneficiary_id": "B2"}`)
	if !strings.Contains(r.Content, `"verified_at": "2024-05-16T17:00:01Z"`) {
		t.Errorf("verify_beneficiary = %s; want the environment's clock", r.Content)
	}
}

func TestParamsSchemas(t *testing.T) {
	tool := Domain.Tool("add_beneficiary")
	v, err := py.Parse([]byte("{" + newBeneficiary + `, "client_id": "C1", "beneficiary_id": "B9", "allowed_from_account_ids": ["A1"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := tool.Validate(v.(*py.Object)); err != nil {
		t.Errorf("valid add_beneficiary arguments rejected: %v", err)
	}
	v, _ = py.Parse([]byte(`{"client_id": "C1", "from_account_id": "A1", "beneficiary_id": "B1", "amount": 5, "method": "SWIFT"}`))
	if err := Domain.Tool("initiate_transfer_to_beneficiary").Validate(v.(*py.Object)); err == nil {
		t.Errorf("method SWIFT accepted by the schema")
	}
	v, _ = py.Parse([]byte(`{"account_id": "A1", "limit": 3}`))
	if err := Domain.Tool("get_recent_transactions").Validate(v.(*py.Object)); err != nil {
		t.Errorf("get_recent_transactions arguments rejected: %v", err)
	}
}

func TestCalculateArgumentTypes(t *testing.T) {
	runCases(t, []toolCase{
		{"int", "calculate", `{"expression": 12}`, "Error: 'int' object is not iterable", nil},
		{"null", "calculate", `{"expression": null}`, "Error: 'NoneType' object is not iterable", nil},
		{"list of allowed text", "calculate", `{"expression": ["1", "+", "23"]}`, "Error: eval() arg 1 must be a string, bytes or code object", nil},
		{"list with an int", "calculate", `{"expression": ["1", 2]}`, "Error: 'in <string>' requires string as left operand, not int", nil},
		{"list with a letter first", "calculate", `{"expression": ["x", 2]}`, "Error: Invalid characters in expression", nil},
		{"dict keys", "calculate", `{"expression": {"1": "x"}}`, "Error: eval() arg 1 must be a string, bytes or code object", nil},
		{"missing", "calculate", `{}`, "Error: BankTools.calculate() missing 1 required positional argument: 'expression'", nil},
	})
}
