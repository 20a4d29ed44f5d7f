package ecommerce

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

func TestDomain(t *testing.T) { domaintest.Run(t, Domain) }

// smallDB holds one record in each state the tools care about.
const smallDB = `{
 "catalogue": {
  "G1": {"title": "Mug", "group_ref": "G1", "offerings": {
    "S1": {"unit_sku": "S1", "attributes": {"hue": "White", "dimension": "12 oz", "fabrication": "Stoneware", "pattern": "Solid"}, "in_stock": true, "unit_price": 10},
    "S2": {"unit_sku": "S2", "attributes": {"hue": "Blue", "dimension": "16 oz", "fabrication": "Stoneware", "pattern": "Solid"}, "in_stock": true, "unit_price": 12.5},
    "S3": {"unit_sku": "S3", "attributes": {"hue": "Red", "dimension": "12 oz", "fabrication": "Stoneware", "pattern": "Solid"}, "in_stock": false, "unit_price": 10.0}}},
  "G2": {"title": "Comb", "group_ref": "G2", "offerings": {
    "C1": {"unit_sku": "C1", "attributes": {"hue": "Amber", "dimension": "18 cm", "fabrication": "Acetate", "pattern": "Tortoiseshell"}, "in_stock": true, "unit_price": 4.99}}},
  "G3": {"title": "Mug", "group_ref": "G3", "offerings": {}}
 },
 "accounts": {
  "A1": {"account_key": "A1", "person": {"given": "Jane", "family": "Doe"},
   "location": {"line1": "1 Main St", "line2": "", "municipality": "Springfield", "nation": "USA", "region": "IL", "postal_code": "62704"},
   "contact_email": "Jane.Doe@example.com",
   "funding_sources": {
    "CC1": {"origin": "credit_card", "instrument_id": "CC1", "meta": {"issuer": "Visa", "last_digits": "4242"}},
    "GC1": {"origin": "gift_card", "instrument_id": "GC1", "meta": {"issuer": "Store Gift Card", "last_digits": "0001"}},
    "CC2": {"origin": "credit_card", "instrument_id": "CC2", "meta": {"issuer": "Mastercard", "last_digits": "5555"}}},
   "purchases": ["P1", "P2", "P3", "D1", "D2", "X1"]},
  "A2": {"account_key": "A2", "person": {"given": "Jane", "family": "Doe"},
   "location": {"line1": "9 Elm St", "line2": "Apt 2", "municipality": "Boston", "nation": "USA", "region": "MA", "postal_code": "02108"},
   "contact_email": "jane.doe@example.com",
   "funding_sources": {"CC3": {"origin": "credit_card", "instrument_id": "CC3", "meta": {"issuer": "Visa", "last_digits": "1111"}}},
   "purchases": []}
 },
 "sales": {
  "P1": {"sale_ref": "P1", "account_key": "A1",
   "delivery": {"line1": "1 Main St", "line2": "", "municipality": "Springfield", "nation": "USA", "region": "IL", "postal_code": "62704"},
   "lines": [{"label": "Mug - White", "catalog_ref": "G1", "unit_sku": "S1", "unit_price": 10.0, "attributes": {"volume": "12 oz", "composition": "Stoneware", "tint": "White"}}],
   "state": "pending", "shipments": [], "ledger": [{"entry_kind": "payment", "value": 10.0, "instrument_id": "CC1"}]},
  "P2": {"sale_ref": "P2", "account_key": "A1",
   "delivery": {"line1": "1 Main St", "line2": "", "municipality": "Springfield", "nation": "USA", "region": "IL", "postal_code": "62704"},
   "lines": [{"label": "Mug - White", "catalog_ref": "G1", "unit_sku": "S1", "unit_price": 10.0, "attributes": {"volume": "12 oz", "composition": "Stoneware", "tint": "White"}}],
   "state": "pending", "shipments": [], "ledger": [{"entry_kind": "payment", "value": 4.0, "instrument_id": "GC1"}, {"entry_kind": "payment", "value": 6.0, "instrument_id": "CC1"}]},
  "P3": {"sale_ref": "P3", "account_key": "A1",
   "delivery": {"line1": "1 Main St", "line2": "", "municipality": "Springfield", "nation": "USA", "region": "IL", "postal_code": "62704"},
   "lines": [{"label": "Comb", "catalog_ref": "G2", "unit_sku": "C1", "unit_price": 4.99, "attributes": {"volume": "18 cm", "composition": "Acetate", "tint": "Amber"}}],
   "state": "Pending payment", "shipments": [], "ledger": [{"entry_kind": "payment", "value": 4.99, "instrument_id": "CC1"}]},
  "D1": {"sale_ref": "D1", "account_key": "A1",
   "delivery": {"line1": "1 Main St", "line2": "", "municipality": "Springfield", "nation": "USA", "region": "IL", "postal_code": "62704"},
   "lines": [{"label": "Mug - White", "catalog_ref": "G1", "unit_sku": "S1", "unit_price": 10.0, "attributes": {"volume": "12 oz", "composition": "Stoneware", "tint": "White"}},
             {"label": "Mug - White", "catalog_ref": "G1", "unit_sku": "S1", "unit_price": 10.0, "attributes": {"volume": "12 oz", "composition": "Stoneware", "tint": "White"}},
             {"label": "Comb", "catalog_ref": "G2", "unit_sku": "C1", "unit_price": 4.99, "attributes": {"volume": "18 cm", "composition": "Acetate", "tint": "Amber"}}],
   "state": "delivered", "shipments": [{"parcel_codes": ["1Z999AA10123456784"], "sku_list": ["S1", "S1", "C1"]}],
   "ledger": [{"entry_kind": "refund", "value": 1.0, "instrument_id": "CC2"}, {"entry_kind": "payment", "value": 24.99, "instrument_id": "CC1"}]},
  "D2": {"sale_ref": "D2", "account_key": "A1",
   "delivery": {"line1": "1 Main St", "line2": "", "municipality": "Springfield", "nation": "USA", "region": "IL", "postal_code": "62704"},
   "lines": [{"label": "Comb", "catalog_ref": "G2", "unit_sku": "C1", "unit_price": 4.99, "attributes": {"volume": "18 cm", "composition": "Acetate", "tint": "Amber"}}],
   "state": "delivered", "shipments": [], "ledger": []},
  "X1": {"sale_ref": "X1", "account_key": "A1",
   "delivery": {"line1": "1 Main St", "line2": "", "municipality": "Springfield", "nation": "USA", "region": "IL", "postal_code": "62704"},
   "lines": [{"label": "Comb", "catalog_ref": "G2", "unit_sku": "C1", "unit_price": 4.99, "attributes": {"volume": "18 cm", "composition": "Acetate", "tint": "Amber"}}],
   "state": "shipped", "shipments": [{"parcel_codes": ["TRACK123456US"], "sku_list": ["C1"]}], "ledger": [{"entry_kind": "payment", "value": 4.99, "instrument_id": "CC1"}]}
 }
}`

func loadSmall(t *testing.T) domains.DB {
	t.Helper()
	db, err := domains.Decode(Domain, []byte(smallDB))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

type toolCase struct {
	name string // tool
	args string // JSON object
	want string // the whole content, or with a leading "~" a part of it
	ok   bool
	// check, when set, inspects the database after the call.
	check func(t *testing.T, db *DB)
}

func runCases(t *testing.T, db domains.DB, cases []toolCase) {
	t.Helper()
	for _, tt := range cases {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		args, err := py.Parse([]byte(tt.args))
		if err != nil {
			t.Fatalf("%s %s: %v", tt.name, tt.args, err)
		}
		r := env.Call(tt.name, args.(*py.Object))
		match := r.Content == tt.want
		if part, ok := strings.CutPrefix(tt.want, "~"); ok {
			match = strings.Contains(r.Content, part)
		}
		if r.OK() != tt.ok || !match {
			t.Errorf("%s(%s) = ok %v %q; want ok %v %q", tt.name, tt.args, r.OK(), clip(r.Content), tt.ok, tt.want)
			continue
		}
		if tt.check != nil {
			tt.check(t, env.DB.(*DB))
		}
	}
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

func sale(t *testing.T, db *DB, ref string) *Sale {
	t.Helper()
	s, ok := db.Sales.Get(ref)
	if !ok {
		t.Fatalf("sale %s missing", ref)
	}
	return s
}

func TestReadTools(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "find_account_key_by_email", args: `{"email": "JANE.DOE@example.com"}`, want: "A1", ok: true}, // first match wins
		{name: "find_account_key_by_email", args: `{"email": "nobody@example.com"}`, want: "Error: Account not found"},
		{name: "find_account_key_by_email", args: `{"email": 25}`, want: "Error: 'int' object has no attribute 'lower'"},
		{name: "find_account_key_by_email", args: `{"email": null}`, want: "Error: 'NoneType' object has no attribute 'lower'"},
		{name: "find_account_key_by_email", args: `{"email": ["a"]}`, want: "Error: 'list' object has no attribute 'lower'"},
		{name: "find_account_key_by_email", args: `{}`, want: "Error: ECommerceTools.find_account_key_by_email() missing 1 required positional argument: 'email'"},

		{name: "find_account_key_by_name_zip", args: `{"given": "jane", "family": "DOE", "postal_code": "02108"}`, want: "A2", ok: true},
		{name: "find_account_key_by_name_zip", args: `{"given": "Jane", "family": "Doe", "postal_code": "62704"}`, want: "A1", ok: true},
		{name: "find_account_key_by_name_zip", args: `{"given": "Jane", "family": "Doe", "postal_code": 62704}`, want: "Error: Account not found"}, // exact comparison
		{name: "find_account_key_by_name_zip", args: `{"given": "Jane", "family": "Doe", "postal_code": " 62704"}`, want: "Error: Account not found"},
		{name: "find_account_key_by_name_zip", args: `{"given": 1, "family": "Doe", "postal_code": "62704"}`, want: "Error: 'int' object has no attribute 'lower'"},
		{name: "find_account_key_by_name_zip", args: `{"given": "Bob", "family": 1, "postal_code": "62704"}`, want: "Error: Account not found"}, // family never evaluated
		{name: "find_account_key_by_name_zip", args: `{"given": "Jane", "family": 1, "postal_code": "62704"}`, want: "Error: 'int' object has no attribute 'lower'"},
		{name: "find_account_key_by_name_zip", args: `{"given": "a", "family": "b"}`, want: "Error: ECommerceTools.find_account_key_by_name_zip() missing 1 required positional argument: 'postal_code'"},

		{name: "get_sale_details", args: `{"sale_ref": "X1"}`, want: `{"sale_ref": "X1", "account_key": "A1", "delivery": {"line1": "1 Main St", "line2": "", "municipality": "Springfield", "nation": "USA", "region": "IL", "postal_code": "62704"}, "lines": [{"label": "Comb", "catalog_ref": "G2", "unit_sku": "C1", "unit_price": 4.99, "attributes": {"volume": "18 cm", "composition": "Acetate", "tint": "Amber"}}], "state": "shipped", "shipments": [{"parcel_codes": ["TRACK123456US"], "sku_list": ["C1"]}], "ledger": [{"entry_kind": "payment", "value": 4.99, "instrument_id": "CC1"}]}`, ok: true},
		{name: "get_sale_details", args: `{"sale_ref": "x1"}`, want: "Error: Sale not found"},
		{name: "get_sale_details", args: `{"sale_ref": 1}`, want: "Error: Sale not found"},
		{name: "get_sale_details", args: `{"sale_ref": ["X1"]}`, want: "Error: unhashable type: 'list'"},
		{name: "get_sale_details", args: `{"sale_ref": {"a": 1}}`, want: "Error: unhashable type: 'dict'"},
		{name: "get_sale_details", args: `{"sale_ref": "X1", "foo": true}`, want: "Error: ECommerceTools.get_sale_details() got an unexpected keyword argument 'foo'"},

		{name: "get_catalogue_group_details", args: `{"group_ref": "G1"}`, want: `~"S2": {"unit_sku": "S2", "attributes": {"hue": "Blue", "dimension": "16 oz", "fabrication": "Stoneware", "pattern": "Solid"}, "in_stock": true, "unit_price": 12.5}`, ok: true},
		{name: "get_catalogue_group_details", args: `{"group_ref": "G1"}`, want: `~"unit_price": 10.0}`, ok: true},
		{name: "get_catalogue_group_details", args: `{"group_ref": 448}`, want: "Error: Catalogue group not found"},
		{name: "get_catalogue_group_details", args: `{"group_ref": null}`, want: "Error: Catalogue group not found"},

		{name: "get_account_details", args: `{"account_key": "A2"}`, want: `{"account_key": "A2", "person": {"given": "Jane", "family": "Doe"}, "location": {"line1": "9 Elm St", "line2": "Apt 2", "municipality": "Boston", "nation": "USA", "region": "MA", "postal_code": "02108"}, "contact_email": "jane.doe@example.com", "funding_sources": {"CC3": {"origin": "credit_card", "instrument_id": "CC3", "meta": {"issuer": "Visa", "last_digits": "1111"}}}, "purchases": []}`, ok: true},
		{name: "get_account_details", args: `{"account_key": "a2"}`, want: "Error: Account not found"},
		{name: "get_account_details", args: `{}`, want: "Error: ECommerceTools.get_account_details() missing 1 required positional argument: 'account_key'"},

		// A repeated title keeps the last group; keys are sorted.
		{name: "list_all_catalogue_groups", args: `{}`, want: `{"Comb": "G2", "Mug": "G3"}`, ok: true},
		{name: "list_all_catalogue_groups", args: `{"title": "Comb"}`, want: "Error: ECommerceTools.list_all_catalogue_groups() got an unexpected keyword argument 'title'"},

		{name: "get_db_statistics", args: `{}`, want: `{"num_accounts": 2, "num_groups": 3, "num_sales": 6, "total_num_offerings": 4}`, ok: true},
		{name: "get_db_statistics", args: `{"verbose": true}`, want: "Error: ECommerceTools.get_db_statistics() got an unexpected keyword argument 'verbose'"},
	})
}

func TestGenericTools(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "calculate", args: `{"expression": "(51 + 86) * 3"}`, want: "411.0", ok: true},
		{name: "calculate", args: `{"expression": "24.99 / 3"}`, want: "8.33", ok: true},
		{name: "calculate", args: `{"expression": "42 / (3 - 3)"}`, want: "Error: division by zero"},
		{name: "calculate", args: `{"expression": "abs(-3)"}`, want: "Error: Invalid characters in expression"},
		{name: "calculate", args: `{"expression": 12}`, want: "Error: 'int' object is not iterable"},
		{name: "calculate", args: `{"expression": null}`, want: "Error: 'NoneType' object is not iterable"},
		{name: "calculate", args: `{"expression": ["1", "+", "2"]}`, want: "Error: eval() arg 1 must be a string, bytes or code object"},
		{name: "calculate", args: `{"expression": ["1", 2]}`, want: "Error: 'in <string>' requires string as left operand, not int"},
		{name: "calculate", args: `{"expression": ["x", 2]}`, want: "Error: Invalid characters in expression"},
		{name: "calculate", args: `{}`, want: "Error: ECommerceTools.calculate() missing 1 required positional argument: 'expression'"},
		{name: "transfer_to_human_agents", args: `{"summary": "refund > $500"}`, want: "Transfer successful", ok: true},
		{name: "transfer_to_human_agents", args: `{"summary": 5}`, want: "Transfer successful", ok: true},
		{name: "transfer_to_human_agents", args: `{}`, want: "Error: ECommerceTools.transfer_to_human_agents() missing 1 required positional argument: 'summary'"},
	})
}

func TestModifyAccountLocation(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "modify_account_location", args: `{"account_key": "A2", "line1": "5 Oak St", "line2": "", "municipality": "Austin", "region": "TX", "nation": "USA", "postal_code": "73301"}`,
			want: `~"location": {"line1": "5 Oak St", "line2": "", "municipality": "Austin", "nation": "USA", "region": "TX", "postal_code": "73301"}`, ok: true},
		// Attribute assignment stores any value unvalidated.
		{name: "modify_account_location", args: `{"account_key": "A2", "line1": "5 Oak St", "line2": null, "municipality": "Austin", "region": "TX", "nation": "USA", "postal_code": 73301}`,
			want: `~"location": {"line1": "5 Oak St", "line2": null, "municipality": "Austin", "nation": "USA", "region": "TX", "postal_code": 73301}`, ok: true,
			check: func(t *testing.T, db *DB) {
				a, _ := db.Accounts.Get("A2")
				if a.Location.PostalCode != int64(73301) {
					t.Errorf("postal_code = %#v", a.Location.PostalCode)
				}
				canon, _ := domains.Encode(db, py.Canonical)
				if !strings.Contains(string(canon), `"postal_code":73301`) {
					t.Errorf("canonical form lacks the int postal code")
				}
				// Sales keep their delivery address.
				if d := sale(t, db, "P1").Delivery.Line1; d != "1 Main St" {
					t.Errorf("delivery changed to %v", d)
				}
			}},
		{name: "modify_account_location", args: `{"account_key": "ZZ", "line1": "x", "line2": "", "municipality": "x", "region": "x", "nation": "x", "postal_code": "x"}`, want: "Error: Account not found"},
		{name: "modify_account_location", args: `{"account_key": "A2", "line1": "x", "municipality": "x", "region": "x", "nation": "x", "postal_code": "x"}`,
			want: "Error: ECommerceTools.modify_account_location() missing 1 required positional argument: 'line2'"},
	})
}

func TestModifyAccountLocationThenLookup(t *testing.T) {
	env := domains.NewEnv(Domain, loadSmall(t), domains.DefaultNow)
	call := func(name, args string) domains.Result {
		a, _ := py.Parse([]byte(args))
		return env.Call(name, a.(*py.Object))
	}
	if r := call("modify_account_location", `{"account_key": "A2", "line1": "x", "line2": "", "municipality": "x", "region": "x", "nation": "x", "postal_code": 1.0}`); !r.OK() {
		t.Fatal(r.Content)
	}
	// Python's == finds 1 == 1.0 == True.
	if r := call("find_account_key_by_name_zip", `{"given": "Jane", "family": "Doe", "postal_code": true}`); r.Content != "A2" {
		t.Errorf("lookup after a numeric postal code = %q; want A2", r.Content)
	}
}

func TestModifyPendingSaleDelivery(t *testing.T) {
	addr := `"line1": "7 Pine St", "line2": "Suite 2", "municipality": "Portland", "region": "OR", "nation": "USA", "postal_code": "97205"`
	runCases(t, loadSmall(t), []toolCase{
		{name: "modify_pending_sale_delivery", args: `{"sale_ref": "P1", ` + addr + `}`,
			want: `~"delivery": {"line1": "7 Pine St", "line2": "Suite 2", "municipality": "Portland", "nation": "USA", "region": "OR", "postal_code": "97205"}`, ok: true,
			check: func(t *testing.T, db *DB) {
				if a, _ := db.Accounts.Get("A1"); a.Location.Line1 != "1 Main St" {
					t.Errorf("account address changed")
				}
			}},
		{name: "modify_pending_sale_delivery", args: `{"sale_ref": "P3", ` + addr + `}`, want: `~"state": "Pending payment"`, ok: true}, // loose test
		{name: "modify_pending_sale_delivery", args: `{"sale_ref": "X1", ` + addr + `}`, want: "Error: Non-pending sale cannot be modified"},
		{name: "modify_pending_sale_delivery", args: `{"sale_ref": "NOPE", ` + addr + `}`, want: "Error: Sale not found"},
		{name: "modify_pending_sale_delivery", args: `{"sale_ref": "P1"}`,
			want: "Error: ECommerceTools.modify_pending_sale_delivery() missing 6 required positional arguments: 'line1', 'line2', 'municipality', 'region', 'nation', and 'postal_code'"},
	})
}

func TestModifyPendingSalePayment(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "modify_pending_sale_payment", args: `{"sale_ref": "P1", "instrument_id": "GC1"}`,
			want: `~"ledger": [{"entry_kind": "payment", "value": 10.0, "instrument_id": "CC1"}, {"entry_kind": "payment", "value": 10.0, "instrument_id": "GC1"}, {"entry_kind": "refund", "value": 10.0, "instrument_id": "CC1"}]`, ok: true},
		{name: "modify_pending_sale_payment", args: `{"sale_ref": "P3", "instrument_id": "CC2"}`, want: `~"instrument_id": "CC2"}, {"entry_kind": "refund"`, ok: true},
		{name: "modify_pending_sale_payment", args: `{"sale_ref": "X1", "instrument_id": "GC1"}`, want: "Error: Non-pending sale cannot be modified"},
		{name: "modify_pending_sale_payment", args: `{"sale_ref": "NOPE", "instrument_id": "GC1"}`, want: "Error: Sale not found"},
		{name: "modify_pending_sale_payment", args: `{"sale_ref": "P1", "instrument_id": "CC3"}`, want: "Error: Funding source not found"}, // another account's card
		{name: "modify_pending_sale_payment", args: `{"sale_ref": "P1", "instrument_id": ["GC1"]}`, want: "Error: unhashable type: 'list'"},
		{name: "modify_pending_sale_payment", args: `{"sale_ref": "P2", "instrument_id": "CC2"}`, want: "Error: There should be exactly one payment for a pending sale"},
		{name: "modify_pending_sale_payment", args: `{"sale_ref": "P1", "instrument_id": "CC1"}`, want: "Error: The new funding instrument should be different from the current one"},
		{name: "modify_pending_sale_payment", args: `{"sale_ref": "P1", "instrument_id": "GC1", "note": "x"}`, want: "Error: ECommerceTools.modify_pending_sale_payment() got an unexpected keyword argument 'note'"},
	})
}

func TestCancelPendingSale(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "cancel_pending_sale", args: `{"sale_ref": "P2", "reason": "ordered by mistake"}`,
			want: `~"state": "cancelled", "shipments": [], "ledger": [{"entry_kind": "payment", "value": 4.0, "instrument_id": "GC1"}, {"entry_kind": "payment", "value": 6.0, "instrument_id": "CC1"}, {"entry_kind": "refund", "value": 4.0, "instrument_id": "GC1"}, {"entry_kind": "refund", "value": 6.0, "instrument_id": "CC1"}]`, ok: true},
		{name: "cancel_pending_sale", args: `{"sale_ref": "P1", "reason": "no longer needed"}`, want: `~"state": "cancelled"`, ok: true},
		{name: "cancel_pending_sale", args: `{"sale_ref": "P3", "reason": "no longer needed"}`, want: "Error: Non-pending sale cannot be cancelled"}, // strict test
		{name: "cancel_pending_sale", args: `{"sale_ref": "NOPE", "reason": "no longer needed"}`, want: "Error: Sale not found"},
		{name: "cancel_pending_sale", args: `{"sale_ref": "P1", "reason": "changed my mind"}`, want: "Error: Invalid reason"},
		{name: "cancel_pending_sale", args: `{"sale_ref": "P1", "reason": 3}`, want: "Error: Invalid reason"},
		{name: "cancel_pending_sale", args: `{"sale_ref": "P1", "reason": ["no longer needed"]}`, want: "Error: unhashable type: 'list'"},
		{name: "cancel_pending_sale", args: `{"sale_ref": "P1"}`, want: "Error: ECommerceTools.cancel_pending_sale() missing 1 required positional argument: 'reason'"},
	})
}

func TestReturnDeliveredSaleLines(t *testing.T) {
	unchanged := func(t *testing.T, db *DB) {
		s := sale(t, db, "D1")
		if s.State != "return requested" || len(s.Ledger) != 2 || len(s.Lines) != 3 {
			t.Errorf("D1 after return: state %q, %d ledger entries, %d lines", s.State, len(s.Ledger), len(s.Lines))
		}
	}
	runCases(t, loadSmall(t), []toolCase{
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": ["S1", "S1", "C1"], "instrument_id": "CC1"}`, want: `~"state": "return requested"`, ok: true, check: unchanged},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": ["C1"], "instrument_id": "GC1"}`, want: `~"state": "return requested"`, ok: true}, // a gift card
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": [], "instrument_id": "CC1"}`, want: `~"state": "return requested"`, ok: true},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": "", "instrument_id": "CC1"}`, want: `~"state": "return requested"`, ok: true},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "NOPE", "unit_skus": ["S1"], "instrument_id": "CC1"}`, want: "Error: Sale not found"},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "X1", "unit_skus": ["C1"], "instrument_id": "CC1"}`, want: "Error: Non-delivered sale cannot be returned"},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": ["S1"], "instrument_id": "CC3"}`, want: "Error: Funding source not found"},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D2", "unit_skus": ["C1"], "instrument_id": "CC1"}`, want: "Error: Original payment not found"},
		// The refund entry on CC2 comes first, but the original payment is the first payment.
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": ["S1"], "instrument_id": "CC2"}`, want: "Error: Funding instrument should be the original payment instrument or a gift card"},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": ["C1", "C1"], "instrument_id": "CC1"}`, want: "Error: Some item not found"},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": ["S2"], "instrument_id": "CC1"}`, want: "Error: Some item not found"},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": "S1", "instrument_id": "CC1"}`, want: "Error: Some item not found"}, // a str is iterated by character
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": null, "instrument_id": "CC1"}`, want: "Error: 'NoneType' object is not iterable"},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": {"S1": 1}, "instrument_id": "CC1"}`, want: "Error: 'dict' object has no attribute 'count'"},
		{name: "return_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus": ["S1"]}`, want: "Error: ECommerceTools.return_delivered_sale_lines() missing 1 required positional argument: 'instrument_id'"},
	})
}

func TestExchangeDeliveredSaleLines(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": ["S1", "S1"], "unit_skus_new": ["S2", "S1"], "instrument_id": "CC2"}`, want: `~"state": "exchange requested"`, ok: true,
			check: func(t *testing.T, db *DB) {
				if s := sale(t, db, "D1"); s.Lines[0].UnitSKU != "S1" || len(s.Ledger) != 2 {
					t.Errorf("an exchange changed the lines or the ledger")
				}
			}},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": [], "unit_skus_new": [], "instrument_id": "GC1"}`, want: `~"state": "exchange requested"`, ok: true},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "NOPE", "unit_skus_old": ["S1"], "unit_skus_new": ["S2"], "instrument_id": "CC1"}`, want: "Error: Sale not found"},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "P1", "unit_skus_old": ["S1"], "unit_skus_new": ["S2"], "instrument_id": "CC1"}`, want: "Error: Non-delivered sale cannot be exchanged"},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": ["S1"], "unit_skus_new": ["S2", "S2"], "instrument_id": "CC1"}`, want: "Error: The number of items to be exchanged should match"},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": 5, "unit_skus_new": ["S2"], "instrument_id": "CC1"}`, want: "Error: object of type 'int' has no len()"},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": ["C1", "C1"], "unit_skus_new": ["C1", "C1"], "instrument_id": "CC1"}`, want: "Error: Number of C1 not found"},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": [7], "unit_skus_new": ["C1"], "instrument_id": "CC1"}`, want: "Error: Number of 7 not found"},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": ["S1"], "unit_skus_new": ["S2"], "instrument_id": "CC3"}`, want: "Error: Funding source not found"},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": ["C1"], "unit_skus_new": ["S2"], "instrument_id": "CC1"}`, want: "Error: Offering not found"}, // another group
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": ["S1"], "unit_skus_new": ["S3"], "instrument_id": "CC1"}`, want: "Error: New item S3 not found or not in stock"},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": ["S1"], "unit_skus_new": [["S2"]], "instrument_id": "CC1"}`, want: "Error: unhashable type: 'list'"},
		{name: "exchange_delivered_sale_lines", args: `{"sale_ref": "D1", "unit_skus_old": ["S1"], "unit_skus_new": ["S2"]}`, want: "Error: ECommerceTools.exchange_delivered_sale_lines() missing 1 required positional argument: 'instrument_id'"},
	})
}

// A write that fails leaves the database as it was, and one that succeeds changes only its
// own record.
func TestWritesOnlyTouchTheirRecord(t *testing.T) {
	db := loadSmall(t)
	before, _ := domains.Hash(db)
	env := domains.NewEnv(Domain, db, domains.DefaultNow)
	args, _ := py.Parse([]byte(`{"sale_ref": "P2", "instrument_id": "CC2"}`))
	if r := env.Call("modify_pending_sale_payment", args.(*py.Object)); r.OK() {
		t.Fatal("expected the split-payment sale to be refused")
	}
	if h, _ := domains.Hash(env.DB); h != before {
		t.Errorf("a failed call changed the database")
	}
}

// TestSchemasAcceptVectorCalls checks that every call that succeeds in the reference vectors
// fits its tool's JSON Schema, the quality gate generated calls go through.
func TestSchemasAcceptVectorCalls(t *testing.T) {
	path := filepath.Join(domaintest.ReferenceDir(t), Domain.Name, "vectors", "expected.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := py.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	calls, _ := v.(*py.Object).Get("calls")
	n := 0
	for _, c := range calls.([]any) {
		o := c.(*py.Object)
		if ok, _ := o.Get("ok"); ok != true {
			continue
		}
		name, _ := o.Get("name")
		args, _ := o.Get("arguments")
		if err := Domain.Tool(name.(string)).Validate(args.(*py.Object)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		n++
	}
	if n == 0 {
		t.Errorf("no successful call in %s", path)
	}
}
