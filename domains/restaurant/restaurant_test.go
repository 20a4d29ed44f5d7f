package restaurant

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

func TestDomain(t *testing.T) { domaintest.Run(t, Domain) }

// fixture is a small handmade database. Dishes D1 and D2 share a title; D1 has three
// plates, P3 not served today. Patrons G1 and G2 share a name and, up to case, an email;
// G1 has two instruments. Ticket T1 (placed delivery) holds P1 twice, the second at a
// stored cost that differs from the menu; T5 has two payments; T6 names a patron that does
// not exist.
const fixture = `{
 "menu_board": {
  "D1": {"title": "Tacos", "dish_ref": "D1", "selections": {
    "P1": {"plate_ref": "P1", "modifiers": {"spice_level": "mild", "portion": "regular"}, "served_today": true, "cost": 10.0},
    "P2": {"plate_ref": "P2", "modifiers": {"portion": "large"}, "served_today": true, "cost": 12.5},
    "P3": {"plate_ref": "P3", "modifiers": {"portion": "small"}, "served_today": false, "cost": 9.0}}},
  "D2": {"title": "Tacos", "dish_ref": "D2", "selections": {
    "Q1": {"plate_ref": "Q1", "modifiers": {}, "served_today": true, "cost": 7.0}}},
  "D3": {"title": "Acarajé", "dish_ref": "D3", "selections": {
    "R1": {"plate_ref": "R1", "modifiers": {"protein": "shrimp"}, "served_today": true, "cost": 5.0}}}
 },
 "patron_registry": {
  "G1": {"guest_ref": "G1", "identity": {"given": "Ana", "family": "Silva"},
         "location": {"line_one": "Rua Augusta 1", "line_two": "Apto 4", "municipality": "São Paulo", "nation": "Brazil", "province": "SP", "postal_code": "01310-100"},
         "contact_email": "ana@example.com",
         "saved_instruments": {"I1": {"origin": "credit_card", "instrument_ref": "I1", "metadata": {"issuer": "Itaú", "tail_digits": "1234"}},
                               "I2": {"origin": "mobile_money", "instrument_ref": "I2", "metadata": {"issuer": "Wallet", "tail_digits": "0001"}}},
         "ticket_log": ["T1", "T2", "T3", "T4"]},
  "G2": {"guest_ref": "G2", "identity": {"given": "ana", "family": "SILVA"},
         "location": {"line_one": "Rua B 2", "line_two": "", "municipality": "Salvador", "nation": "Brazil", "province": "BA", "postal_code": "40020-000"},
         "contact_email": "ANA@example.com",
         "saved_instruments": {"J1": {"origin": "credit_card", "instrument_ref": "J1", "metadata": {"issuer": "Nubank", "tail_digits": "9999"}}},
         "ticket_log": ["T5"]}
 },
 "service_tickets": {
  "T1": {"ticket_ref": "T1", "guest_ref": "G1", "service_mode": "delivery",
         "dropoff": {"line_one": "Rua Augusta 1", "line_two": "Apto 4", "municipality": "São Paulo", "nation": "Brazil", "province": "SP", "postal_code": "01310-100"},
         "line_entries": [
           {"label": "Tacos - Regular", "dish_ref": "D1", "plate_ref": "P1", "cost": 10.0, "mods": {"heat": "mild"}},
           {"label": "Tacos - Regular", "dish_ref": "D1", "plate_ref": "P1", "cost": 9.5, "mods": {}},
           {"label": "Tacos", "dish_ref": "D2", "plate_ref": "Q1", "cost": 7.0, "mods": {}}],
         "state": "placed", "prep_batches": [{"parcel_tags": ["SAO-001"], "plate_refs": ["P1", "P1", "Q1"]}],
         "charges": [{"kind": "tax", "total": 2.0, "instrument_ref": "I1"}, {"kind": "payment", "total": 28.5, "instrument_ref": "I1"}]},
  "T2": {"ticket_ref": "T2", "guest_ref": "G1", "service_mode": "dine_in", "table_info": {"zone": "Main Hall", "table_no": "A1", "seat_count": 2},
         "line_entries": [{"label": "Acarajé", "dish_ref": "D3", "plate_ref": "R1", "cost": 5.0, "mods": {}}],
         "state": "placed", "prep_batches": [], "charges": [{"kind": "payment", "total": 5.0, "instrument_ref": "I1"}]},
  "T3": {"ticket_ref": "T3", "guest_ref": "G1", "service_mode": "takeout",
         "line_entries": [{"label": "Acarajé", "dish_ref": "D3", "plate_ref": "R1", "cost": 5.0, "mods": {}}],
         "state": "in_progress", "prep_batches": [], "charges": [{"kind": "payment", "total": 5.0, "instrument_ref": "I1"}, {"kind": "tip", "total": 1.0, "instrument_ref": "I1"}]},
  "T4": {"ticket_ref": "T4", "guest_ref": "G1", "service_mode": "delivery", "dropoff": null, "table_info": null,
         "line_entries": [], "state": "cancelled", "prep_batches": [],
         "charges": [{"kind": "payment", "total": 5.0, "instrument_ref": "I1"}, {"kind": "refund", "total": 5.0, "instrument_ref": "I1"}]},
  "T5": {"ticket_ref": "T5", "guest_ref": "G2", "service_mode": "takeout",
         "line_entries": [{"label": "Tacos", "dish_ref": "D1", "plate_ref": "P2", "cost": 12.5, "mods": {}}],
         "state": "placed", "prep_batches": [],
         "charges": [{"kind": "payment", "total": 10.0, "instrument_ref": "J1"}, {"kind": "payment", "total": 2.5, "instrument_ref": "J1"}]},
  "T6": {"ticket_ref": "T6", "guest_ref": "G9", "service_mode": "takeout", "line_entries": [], "state": "placed", "prep_batches": [],
         "charges": [{"kind": "payment", "total": 1.0, "instrument_ref": "X"}]}
 }
}`

func fixtureDB(t *testing.T) domains.DB {
	t.Helper()
	db, err := domains.Decode(Domain, []byte(fixture))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func call(t *testing.T, env *domains.Env, name, args string) domains.Result {
	t.Helper()
	v, err := py.Parse([]byte(args))
	if err != nil {
		t.Fatalf("%s: bad arguments %s: %v", name, args, err)
	}
	return env.Call(name, v.(*py.Object))
}

// ticketSummary shows what the write tools change: state, plates with costs, charges,
// dropoff and table.
func ticketSummary(t *ServiceTicket) string {
	var b strings.Builder
	b.WriteString(t.State)
	b.WriteString(" |")
	for _, le := range t.LineEntries {
		fmt.Fprintf(&b, " %s:%s", le.PlateRef, py.FormatFloat(le.Cost))
	}
	b.WriteString(" |")
	for _, c := range t.Charges {
		fmt.Fprintf(&b, " %s:%s:%s", c.Kind, py.FormatFloat(c.Total), c.InstrumentRef)
	}
	if t.Dropoff != nil {
		fmt.Fprintf(&b, " | to %s, %s %s", t.Dropoff.LineOne, t.Dropoff.Municipality, t.Dropoff.PostalCode)
	}
	if t.TableInfo != nil {
		fmt.Fprintf(&b, " | table %s/%s/%d", t.TableInfo.Zone, t.TableInfo.TableNo, t.TableInfo.SeatCount)
	}
	return b.String()
}

func summary(out any) string {
	switch x := out.(type) {
	case *ServiceTicket:
		return ticketSummary(x)
	case *Dish:
		return "dish " + x.DishRef
	case *Patron:
		return "patron " + x.GuestRef
	case string:
		return x
	}
	return fmt.Sprintf("%T", out)
}

func TestReadTools(t *testing.T) {
	db := fixtureDB(t)
	for _, tt := range []struct{ tool, args, want string }{
		{"get_ticket_details", `{"ticket_ref": "T2"}`, "placed | R1:5.0 | payment:5.0:I1 | table Main Hall/A1/2"},
		{"get_ticket_details", `{"ticket_ref": "t2"}`, "Error: Ticket not found"},
		{"get_ticket_details", `{"ticket_ref": 2}`, "Error: Ticket not found"},
		{"get_ticket_details", `{"ticket_ref": ["T2"]}`, "Error: unhashable type: 'list'"},
		{"get_ticket_details", `{}`, "Error: RestaurantTools.get_ticket_details() missing 1 required positional argument: 'ticket_ref'"},
		{"get_dish_details", `{"dish_ref": "D3"}`, "dish D3"},
		{"get_dish_details", `{"dish_ref": "P1"}`, "Error: Dish not found"},
		{"get_dish_details", `{"dish_ref": {"a": 1}}`, "Error: unhashable type: 'dict'"},
		{"get_patron_details", `{"guest_ref": "G2"}`, "patron G2"},
		{"get_patron_details", `{"guest_ref": null}`, "Error: Patron not found"},
		// The last "Tacos" wins; keys sorted, non-ASCII escaped.
		{"list_all_dishes", `{}`, `{"Acaraj\u00e9": "D3", "Tacos": "D2"}`},
		{"list_all_dishes", `{"x": 1}`, "Error: RestaurantTools.list_all_dishes() got an unexpected keyword argument 'x'"},
		{"find_patron_ref_by_email", `{"email": "ANA@EXAMPLE.COM"}`, "G1"},
		{"find_patron_ref_by_email", `{"email": " ana@example.com"}`, "Error: Patron not found"},
		{"find_patron_ref_by_email", `{"email": 5}`, "Error: 'int' object has no attribute 'lower'"},
		{"find_patron_ref_by_name_zip", `{"given": "ANA", "family": "silva", "postal_code": "40020-000"}`, "G2"},
		{"find_patron_ref_by_name_zip", `{"given": "Ana", "family": "Silva", "postal_code": "01310100"}`, "Error: Patron not found"},
		{"find_patron_ref_by_name_zip", `{"given": "Ana", "family": "Silva", "postal_code": 1310}`, "Error: Patron not found"},
		{"find_patron_ref_by_name_zip", `{"given": null, "family": "Silva", "postal_code": "x"}`, "Error: 'NoneType' object has no attribute 'lower'"},
		// The family name is only lower-cased once a given name matched.
		{"find_patron_ref_by_name_zip", `{"given": "Bo", "family": 7, "postal_code": "x"}`, "Error: Patron not found"},
		{"find_patron_ref_by_name_zip", `{"given": "Ana", "family": 7, "postal_code": "x"}`, "Error: 'int' object has no attribute 'lower'"},
		{"find_patron_ref_by_name_zip", `{"given": "a", "postal_code": "c"}`, "Error: RestaurantTools.find_patron_ref_by_name_zip() missing 1 required positional argument: 'family'"},
		{"calculate", `{"expression": 5}`, "Error: 'int' object is not iterable"},
		{"calculate", `{"expression": null}`, "Error: 'NoneType' object is not iterable"},
		{"calculate", `{"expression": ["12", "+", "3"]}`, "Error: eval() arg 1 must be a string, bytes or code object"},
		{"calculate", `{"expression": {"1": 0}}`, "Error: eval() arg 1 must be a string, bytes or code object"},
		{"calculate", `{"expression": ["a", 2]}`, "Error: Invalid characters in expression"},
		{"calculate", `{"expression": ["1", 2]}`, "Error: 'in <string>' requires string as left operand, not int"},
		{"transfer_to_human_agents", `{"summary": "refund"}`, "Transfer successful"},
		{"transfer_to_human_agents", `{"summary": "x", "debug": 1}`, "Error: RestaurantTools.transfer_to_human_agents() got an unexpected keyword argument 'debug'"},
		{"refund_everything", `{}`, "Error: Tool 'refund_everything' not found."},
	} {
		r := call(t, domains.NewEnv(Domain, db, domains.DefaultNow), tt.tool, tt.args)
		got := r.Content
		if r.OK() {
			got = summary(r.Output)
		}
		if got != tt.want {
			t.Errorf("%s(%s) = %s; want %s", tt.tool, tt.args, got, tt.want)
		}
	}
}

// TestWriteTools runs each write tool on a fresh environment: on success it checks the
// changed ticket, on failure the error text and that nothing changed.
func TestWriteTools(t *testing.T) {
	db := fixtureDB(t)
	for _, tt := range []struct {
		tool, args string
		ticket     string // the ticket to show afterwards
		want       string // its summary, or "Error: …"
	}{
		{"cancel_placed_ticket", `{"ticket_ref": "T1", "reason": "ordered by mistake"}`, "T1",
			"cancelled | P1:10.0 P1:9.5 Q1:7.0 | tax:2.0:I1 payment:28.5:I1 refund:28.5:I1 | to Rua Augusta 1, São Paulo 01310-100"},
		{"cancel_placed_ticket", `{"ticket_ref": "T5", "reason": 3}`, "T5",
			"cancelled | P2:12.5 | payment:10.0:J1 payment:2.5:J1 refund:10.0:J1 refund:2.5:J1"},
		{"cancel_placed_ticket", `{"ticket_ref": "T3", "reason": "late"}`, "T3", "Error: Only tickets in 'placed' state can be cancelled"},
		{"cancel_placed_ticket", `{"ticket_ref": "T4", "reason": "again"}`, "T4", "Error: Only tickets in 'placed' state can be cancelled"},
		{"cancel_placed_ticket", `{"ticket_ref": "T0", "reason": "x"}`, "T1", "Error: Ticket not found"},
		{"cancel_placed_ticket", `{"ticket_ref": "T1"}`, "T1", "Error: RestaurantTools.cancel_placed_ticket() missing 1 required positional argument: 'reason'"},

		{"modify_placed_ticket_dropoff", `{"ticket_ref": "T1", "line_one": "Rua Nova 9", "line_two": "", "municipality": "Santos", "province": "SP", "nation": "Brazil", "postal_code": "11010-000"}`, "T1",
			"placed | P1:10.0 P1:9.5 Q1:7.0 | tax:2.0:I1 payment:28.5:I1 | to Rua Nova 9, Santos 11010-000"},
		{"modify_placed_ticket_dropoff", `{"ticket_ref": "T2", "line_one": "a", "line_two": "b", "municipality": "c", "province": "d", "nation": "e", "postal_code": "f"}`, "T2",
			"Error: Only delivery tickets have a dropoff address"},
		{"modify_placed_ticket_dropoff", `{"ticket_ref": "T4", "line_one": "a", "line_two": "b", "municipality": "c", "province": "d", "nation": "e", "postal_code": "f"}`, "T4",
			"Error: Non-placed ticket cannot be modified"},
		{"modify_placed_ticket_dropoff", `{"ticket_ref": "T1", "line_one": "a", "line_two": "b", "municipality": "c", "province": "d", "nation": "e", "postal_code": 11010}`, "T1",
			"Error: 1 validation error for PatronLocation"},
		{"modify_placed_ticket_dropoff", `{"ticket_ref": "nope", "line_one": "a", "line_two": "b", "municipality": "c", "province": "d", "nation": "e", "postal_code": "f"}`, "T1",
			"Error: Ticket not found"},

		{"modify_placed_ticket_table", `{"ticket_ref": "T2", "zone": "terrace", "table_no": "T34", "seat_count": "6"}`, "T2",
			"placed | R1:5.0 | payment:5.0:I1 | table terrace/T34/6"},
		{"modify_placed_ticket_table", `{"ticket_ref": "T2", "zone": "bar", "table_no": "B2", "seat_count": 2.0}`, "T2",
			"placed | R1:5.0 | payment:5.0:I1 | table bar/B2/2"},
		{"modify_placed_ticket_table", `{"ticket_ref": "T2", "zone": "patio", "table_no": "T1", "seat_count": "four"}`, "T2", "Error: 1 validation error for TableInfo"},
		{"modify_placed_ticket_table", `{"ticket_ref": "T2", "zone": "patio", "table_no": 1, "seat_count": 2}`, "T2", "Error: 1 validation error for TableInfo"},
		{"modify_placed_ticket_table", `{"ticket_ref": "T1", "zone": "patio", "table_no": "T1", "seat_count": 2}`, "T1", "Error: Only dine-in tickets have table information"},
		{"modify_placed_ticket_table", `{"ticket_ref": "T3", "zone": "patio", "table_no": "T1", "seat_count": 2}`, "T3", "Error: Non-placed ticket cannot be modified"},

		// P1 (stored 10.0, then 9.5) to P2 (12.5): 2.5 + 3.0 charged.
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1", "P1"], "new_plate_refs": ["P2", "P2"], "instrument_ref": "I2"}`, "T1",
			"placed | P2:12.5 P2:12.5 Q1:7.0 | tax:2.0:I1 payment:28.5:I1 payment:5.5:I2 | to Rua Augusta 1, São Paulo 01310-100"},
		// Both P1 lines back to P1 (10.0): only the one stored at 9.5 costs more.
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1", "P1"], "new_plate_refs": ["P1", "P1"], "instrument_ref": "I1"}`, "T1",
			"placed | P1:10.0 P1:10.0 Q1:7.0 | tax:2.0:I1 payment:28.5:I1 payment:0.5:I1 | to Rua Augusta 1, São Paulo 01310-100"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T5", "plate_refs": ["P2"], "new_plate_refs": ["P1"], "instrument_ref": "J1"}`, "T5",
			"placed | P1:10.0 | payment:10.0:J1 payment:2.5:J1 refund:2.5:J1"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": [], "new_plate_refs": "", "instrument_ref": "I1"}`, "T1",
			"placed | P1:10.0 P1:9.5 Q1:7.0 | tax:2.0:I1 payment:28.5:I1 | to Rua Augusta 1, São Paulo 01310-100"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1"], "new_plate_refs": ["P3"], "instrument_ref": "I1"}`, "T1", "Error: New plate P3 is not available today"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["Q1"], "new_plate_refs": ["P2"], "instrument_ref": "I1"}`, "T1", "Error: New plate must be from the same dish as the original"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1"], "new_plate_refs": ["ZZ"], "instrument_ref": "I1"}`, "T1", "Error: New plate ZZ not found"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1"], "new_plate_refs": [5], "instrument_ref": "I1"}`, "T1", "Error: New plate 5 not found"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1"], "new_plate_refs": [["P2"]], "instrument_ref": "I1"}`, "T1", "Error: unhashable type: 'list'"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1", "P1", "P1"], "new_plate_refs": ["P2", "P2", "P2"], "instrument_ref": "I1"}`, "T1",
			"Error: Plate P1 not found in the ticket the requested number of times"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": "P1", "new_plate_refs": "P2", "instrument_ref": "I1"}`, "T1",
			"Error: Plate P not found in the ticket the requested number of times"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": {"P1": 1}, "new_plate_refs": ["P2"], "instrument_ref": "I1"}`, "T1",
			"Error: 'dict' object has no attribute 'count'"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": 3, "new_plate_refs": ["P2"], "instrument_ref": "I1"}`, "T1", "Error: 'int' object is not iterable"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1"], "new_plate_refs": null, "instrument_ref": "I1"}`, "T1", "Error: object of type 'NoneType' has no len()"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1"], "new_plate_refs": [], "instrument_ref": "I1"}`, "T1", "Error: The number of plates to be modified should match"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1"], "new_plate_refs": ["P2"], "instrument_ref": "J1"}`, "T1", "Error: Payment instrument not found"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T6", "plate_refs": [], "new_plate_refs": [], "instrument_ref": "X"}`, "T6", "Error: Patron not found"},
		{"modify_placed_ticket_items", `{"ticket_ref": "T3", "plate_refs": ["R1"], "new_plate_refs": ["R1"], "instrument_ref": "I1"}`, "T3", "Error: Non-placed ticket cannot be modified"},

		{"modify_placed_ticket_instrument", `{"ticket_ref": "T1", "instrument_ref": "I2"}`, "T1",
			"placed | P1:10.0 P1:9.5 Q1:7.0 | tax:2.0:I1 payment:28.5:I1 payment:28.5:I2 refund:28.5:I1 | to Rua Augusta 1, São Paulo 01310-100"},
		{"modify_placed_ticket_instrument", `{"ticket_ref": "T1", "instrument_ref": "I1"}`, "T1", "Error: The new instrument should be different from the current one"},
		{"modify_placed_ticket_instrument", `{"ticket_ref": "T1", "instrument_ref": "J1"}`, "T1", "Error: Payment instrument not found"},
		{"modify_placed_ticket_instrument", `{"ticket_ref": "T1", "instrument_ref": ["I2"]}`, "T1", "Error: unhashable type: 'list'"},
		{"modify_placed_ticket_instrument", `{"ticket_ref": "T5", "instrument_ref": "J1"}`, "T5", "Error: There should be exactly one payment charge for a placed ticket"},
		{"modify_placed_ticket_instrument", `{"ticket_ref": "T3", "instrument_ref": "I2"}`, "T3", "Error: Non-placed ticket cannot be modified"},

		{"add_tip_to_ticket", `{"ticket_ref": "T3", "tip_total": 5.555, "instrument_ref": "I2"}`, "T3",
			"in_progress | R1:5.0 | payment:5.0:I1 tip:1.0:I1 tip:5.55:I2"},
		{"add_tip_to_ticket", `{"ticket_ref": "T1", "tip_total": 0, "instrument_ref": "I1"}`, "T1",
			"placed | P1:10.0 P1:9.5 Q1:7.0 | tax:2.0:I1 payment:28.5:I1 tip:0.0:I1 | to Rua Augusta 1, São Paulo 01310-100"},
		{"add_tip_to_ticket", `{"ticket_ref": "T2", "tip_total": true, "instrument_ref": "I1"}`, "T2",
			"placed | R1:5.0 | payment:5.0:I1 tip:1.0:I1 | table Main Hall/A1/2"},
		{"add_tip_to_ticket", `{"ticket_ref": "T4", "tip_total": 5, "instrument_ref": "I1"}`, "T4", "Error: Cannot add tip to a cancelled ticket"},
		{"add_tip_to_ticket", `{"ticket_ref": "T3", "tip_total": -1.5, "instrument_ref": "I1"}`, "T3", "Error: Tip amount must be non-negative"},
		{"add_tip_to_ticket", `{"ticket_ref": "T3", "tip_total": "5", "instrument_ref": "I1"}`, "T3", "Error: '<' not supported between instances of 'str' and 'int'"},
		{"add_tip_to_ticket", `{"ticket_ref": "T3", "tip_total": null, "instrument_ref": "I1"}`, "T3", "Error: '<' not supported between instances of 'NoneType' and 'int'"},
		{"add_tip_to_ticket", `{"ticket_ref": "T3", "tip_total": 3, "instrument_ref": "INST-NOPE"}`, "T3", "Error: Payment instrument not found"},
		{"add_tip_to_ticket", `{"ticket_ref": "T6", "tip_total": 3, "instrument_ref": "X"}`, "T6", "Error: Patron not found"},
		{"add_tip_to_ticket", `{"ticket_ref": "T9", "tip_total": 3, "instrument_ref": "I1"}`, "T1", "Error: Ticket not found"},
	} {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		before, _ := domains.Hash(env.DB)
		r := call(t, env, tt.tool, tt.args)
		tk, _ := env.DB.(*DB).ServiceTickets.Get(tt.ticket)
		if !r.OK() {
			if !strings.HasPrefix(r.Content, tt.want) || !strings.HasPrefix(tt.want, "Error: ") {
				t.Errorf("%s(%s) = %s; want %s", tt.tool, tt.args, r.Content, tt.want)
			}
			if after, _ := domains.Hash(env.DB); after != before {
				t.Errorf("%s(%s) failed but changed the database", tt.tool, tt.args)
			}
			continue
		}
		if r.Output != any(tk) {
			t.Errorf("%s(%s): the output is not ticket %s as stored", tt.tool, tt.args, tt.ticket)
		}
		if got := ticketSummary(tk); got != tt.want {
			t.Errorf("%s(%s):\n got %s\nwant %s", tt.tool, tt.args, got, tt.want)
		}
	}
	if h, _ := domains.Hash(db); h != mustHash(t, fixtureDB(t)) {
		t.Errorf("write tools changed the source database")
	}
}

func mustHash(t *testing.T, db domains.DB) domains.Hashes {
	t.Helper()
	h, err := domains.Hash(db)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestItemsThenInstrument follows an item change by an instrument change: the second
// payment the first adds blocks the second.
func TestItemsThenInstrument(t *testing.T) {
	env := domains.NewEnv(Domain, fixtureDB(t), domains.DefaultNow)
	if r := call(t, env, "modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["Q1"], "new_plate_refs": ["Q1"], "instrument_ref": "I1"}`); !r.OK() {
		t.Fatal(r.Content)
	}
	if r := call(t, env, "modify_placed_ticket_items", `{"ticket_ref": "T1", "plate_refs": ["P1"], "new_plate_refs": ["P2"], "instrument_ref": "I1"}`); !r.OK() {
		t.Fatal(r.Content)
	}
	r := call(t, env, "modify_placed_ticket_instrument", `{"ticket_ref": "T1", "instrument_ref": "I2"}`)
	if r.Content != "Error: There should be exactly one payment charge for a placed ticket" {
		t.Errorf("instrument change after an item change: %s", r.Content)
	}
}

// TestGenerated checks that a generated database gives every write tool a succeeding call
// and each of its preconditions a failing one.
func TestGenerated(t *testing.T) {
	db, err := Generate(domains.Rand(11, "restaurant", 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	rdb := db.(*DB)
	counts, _ := domains.Counts(db)
	if counts["menu_board"] != 207 || counts["patron_registry"] != 200 || counts["service_tickets"] != 207 {
		t.Errorf("counts %v", counts)
	}
	for tk := range rdb.ServiceTickets.Values() {
		p, ok := rdb.PatronRegistry.Get(tk.GuestRef)
		if !ok {
			t.Fatalf("ticket %s: unknown patron %s", tk.TicketRef, tk.GuestRef)
		}
		for _, c := range tk.Charges {
			if _, ok := p.SavedInstruments.Get(c.InstrumentRef); !ok {
				t.Errorf("ticket %s: charge on a foreign instrument %s", tk.TicketRef, c.InstrumentRef)
			}
		}
		for _, le := range tk.LineEntries {
			if d, ok := rdb.MenuBoard.Get(le.DishRef); !ok {
				t.Errorf("ticket %s: unknown dish %s", tk.TicketRef, le.DishRef)
			} else if _, ok := d.Selections.Get(le.PlateRef); !ok {
				t.Errorf("ticket %s: plate %s not in dish %s", tk.TicketRef, le.PlateRef, le.DishRef)
			}
		}
	}
	// Try every write tool on every ticket with plausible arguments; record which
	// outcomes occur.
	outcomes := map[string]bool{}
	for tk := range rdb.ServiceTickets.Values() {
		p, _ := rdb.PatronRegistry.Get(tk.GuestRef)
		inst := p.SavedInstruments.Keys()
		other := inst[len(inst)-1]
		calls := map[string]string{
			"cancel_placed_ticket":            `{"ticket_ref": "` + tk.TicketRef + `", "reason": "changed plans"}`,
			"modify_placed_ticket_dropoff":    `{"ticket_ref": "` + tk.TicketRef + `", "line_one": "1 New St", "line_two": "", "municipality": "X", "province": "Y", "nation": "Z", "postal_code": "1"}`,
			"modify_placed_ticket_table":      `{"ticket_ref": "` + tk.TicketRef + `", "zone": "Patio", "table_no": "P1", "seat_count": 4}`,
			"modify_placed_ticket_instrument": `{"ticket_ref": "` + tk.TicketRef + `", "instrument_ref": "` + other + `"}`,
			"add_tip_to_ticket":               `{"ticket_ref": "` + tk.TicketRef + `", "tip_total": 2.5, "instrument_ref": "` + inst[0] + `"}`,
		}
		if len(tk.LineEntries) > 0 {
			le := tk.LineEntries[0]
			d, _ := rdb.MenuBoard.Get(le.DishRef)
			for _, alt := range d.Selections.Keys() {
				if alt != le.PlateRef {
					key := "modify_placed_ticket_items"
					if pl, _ := d.Selections.Get(alt); !pl.ServedToday {
						key += " unavailable"
					}
					calls[key] = `{"ticket_ref": "` + tk.TicketRef + `", "plate_refs": ["` + le.PlateRef + `"], "new_plate_refs": ["` + alt + `"], "instrument_ref": "` + inst[0] + `"}`
				}
			}
		}
		for name, args := range calls {
			tool, _, _ := strings.Cut(name, " ")
			r := call(t, domains.NewEnv(Domain, db, domains.DefaultNow), tool, args)
			outcome := "ok"
			if !r.OK() {
				outcome = r.Content
			}
			outcomes[tool+": "+outcome] = true
		}
	}
	for _, want := range []string{
		"cancel_placed_ticket: ok",
		"cancel_placed_ticket: Error: Only tickets in 'placed' state can be cancelled",
		"modify_placed_ticket_dropoff: ok",
		"modify_placed_ticket_dropoff: Error: Only delivery tickets have a dropoff address",
		"modify_placed_ticket_dropoff: Error: Non-placed ticket cannot be modified",
		"modify_placed_ticket_table: ok",
		"modify_placed_ticket_table: Error: Only dine-in tickets have table information",
		"modify_placed_ticket_items: ok",
		"modify_placed_ticket_items: Error: Non-placed ticket cannot be modified",
		"modify_placed_ticket_instrument: ok",
		"modify_placed_ticket_instrument: Error: The new instrument should be different from the current one",
		"modify_placed_ticket_instrument: Error: There should be exactly one payment charge for a placed ticket",
		"add_tip_to_ticket: ok",
		"add_tip_to_ticket: Error: Cannot add tip to a cancelled ticket",
	} {
		if !outcomes[want] {
			t.Errorf("no generated ticket gives %q", want)
		}
	}
	unavailable := false
	for o := range outcomes {
		if strings.Contains(o, "is not available today") {
			unavailable = true
		}
	}
	if !unavailable {
		t.Errorf("no generated ticket can try a plate that is not served today")
	}
}

func BenchmarkVectors(b *testing.B) {
	dir := domaintest.ReferenceDir(b)
	db := domaintest.LoadReference(b, Domain)
	data, err := os.ReadFile(dir + "/restaurant/vectors/calls.json")
	if err != nil {
		b.Fatal(err)
	}
	calls, err := domains.ParseCalls(data)
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
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replays/s")
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Generate(domains.Rand(int64(i), "restaurant", 0, "db"), 1); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSchemas checks that every parameter has a description, whole (a comma in a tag
// would cut it short), and that the schemas accept a well-formed call of each tool.
func TestSchemas(t *testing.T) {
	for _, tool := range Domain.Tools {
		s, err := tool.Schema()
		if err != nil {
			t.Fatal(err)
		}
		for pair := s.Properties.Oldest(); pair != nil; pair = pair.Next() {
			p := pair.Value
			desc := p.Description
			for _, alt := range p.OneOf {
				if alt.Description != "" {
					desc = alt.Description
				}
			}
			if !strings.HasSuffix(desc, ".") {
				t.Errorf("%s.%s: description %q is missing or cut", tool.Name, pair.Key, desc)
			}
		}
	}
	for _, tt := range []struct {
		tool, args string
		ok         bool
	}{
		{"modify_placed_ticket_items", `{"ticket_ref": "tZoV7rl", "plate_refs": ["mn1mEsg"], "new_plate_refs": ["TvCGrmk"], "instrument_ref": "gh5ic0M"}`, true},
		{"add_tip_to_ticket", `{"ticket_ref": "tZoV7rl", "tip_total": -1, "instrument_ref": "gh5ic0M"}`, false},
		{"modify_placed_ticket_table", `{"ticket_ref": "tu3v0ld", "zone": "bar", "table_no": "B2", "seat_count": "4"}`, false},
		{"list_all_dishes", `{"x": 1}`, false},
	} {
		v, err := py.Parse([]byte(tt.args))
		if err != nil {
			t.Fatal(err)
		}
		if err := Domain.Tool(tt.tool).Validate(v.(*py.Object)); (err == nil) != tt.ok {
			t.Errorf("Validate %s(%s) = %v; want ok %v", tt.tool, tt.args, err, tt.ok)
		}
	}
}
