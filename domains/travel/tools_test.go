package travel

import (
	"os"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

// loadFixture decodes testdata/agency.json: four packages (PKGSWE1 with available, sold-out
// and limited departures; PKGPOL2 with a two-slot departure; PKGNOAG without managing
// agents; PKGSOLD with nothing bookable), three travelers (TRV0001 and TRV0002 both hold a
// booking DUP-001 and share the payment method id 98PCBC3; BKG-GONE names a missing
// package, BKG-OLD a date the package no longer offers; TRV0003 has no payment method),
// and three agents (AGT0001 with a duplicated slot and a fully booked day, AGT0003 never
// available).
func loadFixture(t testing.TB) domains.DB {
	t.Helper()
	data, err := os.ReadFile("testdata/agency.json")
	if err != nil {
		t.Fatal(err)
	}
	db, err := domains.Decode(Domain, data)
	if err != nil {
		t.Fatalf("decode fixture: %v", err)
	}
	return db
}

type (
	step     = domaintest.Step
	toolCase = domaintest.ToolCase[*DB]
)

func runCases(t *testing.T, cases []toolCase) {
	domaintest.RunToolCases(t, Domain, loadFixture(t), cases)
}

func encoded(t *testing.T, v any) string {
	t.Helper()
	b, err := py.Marshal(v, py.Output)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// slots checks the free slots of departures, given as package, date, count….
func slots(triples ...any) func(t *testing.T, db *DB) {
	return func(t *testing.T, db *DB) {
		t.Helper()
		for i := 0; i+2 < len(triples); i += 3 {
			p, _ := db.Packages.Get(triples[i].(string))
			d, ok := p.Departures.Get(triples[i+1].(string))
			if !ok {
				t.Fatalf("departure %s %s missing", triples[i], triples[i+1])
			}
			if want := int64(triples[i+2].(int)); d.AvailableSlots != want {
				t.Errorf("slots of %s on %s = %d; want %d", triples[i], triples[i+1], d.AvailableSlots, want)
			}
		}
	}
}

// booking checks the encoding of the traveler's index-th booking.
func booking(traveler string, index int, want ...string) func(t *testing.T, db *DB) {
	return func(t *testing.T, db *DB) {
		t.Helper()
		tr, _ := db.Travelers.Get(traveler)
		if index >= len(tr.Bookings) {
			t.Fatalf("%s has %d bookings", traveler, len(tr.Bookings))
		}
		got := encoded(t, &tr.Bookings[index])
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("booking %d of %s lacks %s:\n%s", index, traveler, w, got)
			}
		}
	}
}

func both(checks ...func(t *testing.T, db *DB)) func(t *testing.T, db *DB) {
	return func(t *testing.T, db *DB) {
		t.Helper()
		for _, c := range checks {
			c(t, db)
		}
	}
}

func TestReadTools(t *testing.T) {
	runCases(t, []toolCase{
		{Name: "traveler", Call: step{"get_traveler_details", `{"traveler_id": "TRV0001"}`},
			Want: []string{`"PM-SE-2": {"source": "paypal", "payment_method_id": "PM-SE-2", "extra_info": null}`,
				`"travelers": [{"first_name": "Erik", "last_name": "Svensson", "dob": "90-04-12"}, {"first_name": "Anna"`}},
		{Name: "traveler without passport", Call: step{"get_traveler_details", `{"traveler_id": "TRV0003"}`},
			Want: []string{`"passport": null, "preferences": null, "payment_methods": {}`, `"bookings": []}`}},
		{Name: "traveler unknown", Call: step{"get_traveler_details", `{"traveler_id": "TRV-92BE66"}`}, Err: "Traveler TRV-92BE66 not found"},
		{Name: "traveler int id", Call: step{"get_traveler_details", `{"traveler_id": 7}`}, Err: "Traveler 7 not found"},
		{Name: "traveler list id", Call: step{"get_traveler_details", `{"traveler_id": ["TRV0001"]}`}, Err: "unhashable type: 'list'"},
		{Name: "agent", Call: step{"get_agent_details", `{"agent_id": "AGT0001"}`},
			Want: []string{`"25-10-15": {"slots": [], "timezone": "America/Toronto"}`, `"commission_rate": 0.12`}},
		{Name: "agent unknown", Call: step{"get_agent_details", `{"agent_id": "AGT-9C04ED"}`}, Err: "Agent AGT-9C04ED not found"},
		{Name: "package", Call: step{"get_package_details", `{"package_id": "PKGPOL2"}`},
			Want: []string{`"25-10-10": {"status": "available", "base_price": 2100.5, "currency": "EUR", "available_slots": 5`, `{"city": "Gda\u0144sk", "country": "Poland"}`, `"notes": null`}},
		{Name: "package dict id", Call: step{"get_package_details", `{"package_id": {"id": 1}}`}, Err: "unhashable type: 'dict'"},
		{Name: "booking, first of a duplicated id", Call: step{"get_booking_details", `{"booking_id": "DUP-001"}`},
			Want: []string{`{"booking_id": "DUP-001", "package_id": "PKGPOL2", "agent_id": "AGT0002", "booking_date": "25-08-10", "departure_date": "25-09-05"`}},
		{Name: "booking unknown", Call: step{"get_booking_details", `{"booking_id": "BKG-10D5B8"}`}, Err: "Booking BKG-10D5B8 not found"},
		{Name: "booking list id", Call: step{"get_booking_details", `{"booking_id": ["DUP-001"]}`}, Err: "Booking ['DUP-001'] not found"},
		{Name: "destinations", Call: step{"list_all_destinations", `{}`},
			Want: []string{`[{"city": "Abisko", "country": "Sweden"}, {"city": "Kiruna", "country": "Sweden"}, {"city": "Warsaw", "country": "Poland"}, {"city": "Gda\u0144sk", "country": "Poland"}, {"city": "Copenhagen", "country": "Denmark"}, {"city": "Lisbon", "country": "Portugal"}, {"city": "Merzouga", "country": "Morocco"}]`}},
		{Name: "destinations take no argument", Call: step{"list_all_destinations", `{"country": "Sweden"}`},
			Err: "TravelAgencyTools.list_all_destinations() got an unexpected keyword argument 'country'"},
		{Name: "transfer", Call: step{"transfer_to_human_agents", `{"summary": "wants a different package"}`}, Want: []string{"Transfer successful"}},
	})
}

func TestSearchPackages(t *testing.T) {
	db := loadFixture(t)
	for _, tt := range []struct {
		args string
		want string // ids in order, or the error
	}{
		{`{}`, "PKGSWE1 PKGPOL2 PKGNOAG"}, // PKGSOLD has no available departure
		{`{"destination_city": "Abisko"}`, "PKGSWE1 PKGNOAG"},
		{`{"destination_country": "Poland"}`, "PKGPOL2"},
		{`{"destination_city": "Copenhagen", "destination_country": "Poland"}`, ""}, // one destination must match both
		{`{"destination_city": "Copenhagen", "destination_country": "Denmark"}`, "PKGPOL2"},
		{`{"destination_city": "", "destination_country": "Sweden"}`, ""}, // "" is compared literally
		{`{"destination_city": null, "destination_country": "Sweden"}`, "PKGSWE1 PKGNOAG"},
		{`{"destination_city": "abisko"}`, ""},
		{`{"destination_city": "Merzouga"}`, ""},
		{`{"destination_city": 5}`, ""},
		{`{"category": "adventure"}`, "PKGSWE1"},
		{`{"category": "Adventure"}`, ""},
		{`{"category": 0}`, "PKGSWE1 PKGPOL2 PKGNOAG"},
		{`{"departure_date": "25-09-05"}`, "PKGPOL2"},
		{`{"departure_date": "26-02-15"}`, "PKGSWE1"}, // a sold-out date still matches
		{`{"departure_date": 250905}`, ""},
		{`{"departure_date": ["25-09-05"]}`, "unhashable type: 'list'"},
		{`{"destination_city": "Atlantis", "departure_date": ["25-09-05"]}`, ""}, // checked only for a package that gets that far
		{`{"destination_country": "Sweden", "category": "culture", "departure_date": "25-11-01"}`, "PKGNOAG"},
	} {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		args, err := py.Parse([]byte(tt.args))
		if err != nil {
			t.Fatal(err)
		}
		r := env.Call("search_packages", args.(*py.Object))
		var got string
		if !r.OK() {
			got = r.Err.Error()
		} else {
			var ids []string
			for _, p := range r.Output.([]*Package) {
				ids = append(ids, p.PackageID)
			}
			got = strings.Join(ids, " ")
		}
		if got != tt.want {
			t.Errorf("search_packages(%s) = %q; want %q", tt.args, got, tt.want)
		}
	}
}

const (
	erik = `{"first_name": "Erik", "last_name": "Svensson", "dob": "90-04-12"}`
	anna = `{"first_name": "Anna", "last_name": "Larsson", "dob": "91-08-22"}`
)

// book builds a book_package call of PKGSWE1 on 26-01-10 for TRV0001; extra overrides.
func book(extra string) step {
	return step{"book_package", `{"traveler_id": "TRV0001", "package_id": "PKGSWE1", "departure_date": "26-01-10", "travelers": [` + erik + `], ` +
		`"rooming": {"room_type": "single", "occupancy": 1}, "add_ons": [{"type": "transfer", "description": "Airport pick-up", "price": 99.99}], ` +
		`"insurance": "Premium", "payment_methods": [{"payment_id": "98PCBC3", "amount": 18099.99}]` + extra + `}`}
}

// pay replaces the payments of a book call.
func pay(amount string) string {
	return `, "payment_methods": [{"payment_id": "98PCBC3", "amount": ` + amount + `}]`
}

// unbooked checks that a failed booking changed nothing.
func unbooked(t *testing.T, db *DB) {
	t.Helper()
	slots("PKGSWE1", "26-01-10", 10)(t, db)
	tr, _ := db.Travelers.Get("TRV0001")
	if len(tr.Bookings) != 3 {
		t.Errorf("TRV0001 has %d bookings", len(tr.Bookings))
	}
	a, _ := db.Agents.Get("AGT0001")
	if len(a.BookingsHandled) != 1 {
		t.Errorf("agent bookings %v", a.BookingsHandled)
	}
}

func TestBookPackage(t *testing.T) {
	runCases(t, []toolCase{
		{Name: "book", Call: book(``),
			Want: []string{`{"booking_id": "TAU001", "package_id": "PKGSWE1", "agent_id": "AGT0001", "booking_date": "2024-05-15", "departure_date": "26-01-10", "status": "confirmed", ` +
				`"travelers": [` + erik + `], "rooming": {"room_type": "single", "occupancy": 1}, "add_ons": [{"type": "transfer", "description": "Airport pick-up", "price": 99.99}], ` +
				`"insurance": "Premium", "payment_history": [{"payment_id": "98PCBC3", "amount": 18099.99}], "total_price": 18099.99, "notes": null}`},
			Check: both(slots("PKGSWE1", "26-01-10", 9), booking("TRV0001", 3, `"booking_id":"TAU001"`), func(t *testing.T, db *DB) {
				a, _ := db.Agents.Get("AGT0001")
				if strings.Join(a.AssignedTravelers, " ") != "TRV0002 TRV0001" || strings.Join(a.BookingsHandled, " ") != "BKG-PT-002 TAU001" {
					t.Errorf("agent lists %v %v", a.AssignedTravelers, a.BookingsHandled)
				}
			})},
		{Name: "second and third ids", Setup: []step{book(``), book(``)}, Call: book(``), Want: []string{`"booking_id": "TAU003"`},
			Check: slots("PKGSWE1", "26-01-10", 7)},
		{Name: "ids run out", Setup: []step{book(``), book(``), book(``)}, Call: book(``), Err: "Too many bookings created"},
		{Name: "an agent who does not manage the package", Call: book(`, "agent_id": "AGT0003"`), Want: []string{`"agent_id": "AGT0003"`},
			Check: func(t *testing.T, db *DB) {
				a, _ := db.Agents.Get("AGT0003")
				if strings.Join(a.AssignedTravelers, " ") != "TRV0002 TRV0001" {
					t.Errorf("assigned travelers %v", a.AssignedTravelers)
				}
			}},
		{Name: "unknown agent", Call: book(`, "agent_id": "AGT-X"`), Err: "Agent AGT-X not found", Check: unbooked},
		{Name: "empty agent id", Call: book(`, "agent_id": ""`), Err: "Agent  not found"},
		{Name: "package without agents", Call: book(`, "package_id": "PKGNOAG", "departure_date": "25-11-01"`), Err: "No managing agent available for this package"},
		{Name: "package without agents, agent given", Call: book(`, "package_id": "PKGNOAG", "departure_date": "25-11-01", "agent_id": "AGT0002"` + pay("1199.99")),
			Want: []string{`"total_price": 1199.99`}},
		{Name: "two travelers, standard insurance", Call: book(`, "travelers": [` + erik + `, ` + anna + `], "rooming": {"room_type": "twin", "occupancy": "2"}, "add_ons": [], "insurance": " STANDARD "` + pay("35900")),
			Want: []string{`"rooming": {"room_type": "twin", "occupancy": 2}`, `"insurance": " STANDARD "`, `"total_price": 35900.0`}, Check: slots("PKGSWE1", "26-01-10", 8)},
		{Name: "a plan label is free", Call: book(`, "insurance": "Premium Plan"` + pay("17999.99")), Want: []string{`"total_price": 17999.99`}},
		{Name: "dotted capital I is not premium", Call: book(`, "insurance": "PREMİUM"` + pay("17999.99")), Want: []string{`"total_price": 17999.99`}},
		{Name: "no insurance", Call: book(`, "insurance": null` + pay("17999.99")), Want: []string{`"insurance": null`}},
		{Name: "empty insurance label is stored", Call: book(`, "insurance": ""` + pay("17999.99")), Want: []string{`"insurance": ""`}},
		{Name: "no travelers", Call: book(`, "travelers": []` + pay("99.99")), Want: []string{`"travelers": [], `, `"total_price": 99.99`},
			Check: slots("PKGSWE1", "26-01-10", 10)},
		{Name: "add-on price as text", Call: book(`, "add_ons": [{"type": "t", "description": "d", "price": "99.99"}]`), Want: []string{`"price": 99.99}`}},
		{Name: "amount does not add up", Call: book(pay("18000")), Err: "Payment amount does not add up, total price is 18099.99, but paid 18000.0", Check: unbooked},
		{Name: "nothing paid", Call: book(`, "payment_methods": []`), Err: "Payment amount does not add up, total price is 18099.99, but paid 0"},
		{Name: "split payment", Call: book(`, "payment_methods": [{"payment_id": "98PCBC3", "amount": 18000}, {"payment_id": "PM-SE-2", "amount": 99.99}]`),
			Want: []string{`"payment_history": [{"payment_id": "98PCBC3", "amount": 18000.0}, {"payment_id": "PM-SE-2", "amount": 99.99}]`}},
		{Name: "unknown method", Call: book(`, "payment_methods": [{"payment_id": "PM-NOPE", "amount": 18099.99}]`), Err: "Payment method PM-NOPE not found for traveler"},
		{Name: "traveler without methods", Call: book(`, "traveler_id": "TRV0003"`), Err: "Payment method 98PCBC3 not found for traveler"},
		{Name: "payments of ids", Call: book(`, "payment_methods": ["98PCBC3"]`), Err: "'str' object has no attribute 'payment_id'"},
		{Name: "payment without amount", Call: book(`, "payment_methods": [{"payment_id": "98PCBC3"}]`), Err: "1 validation error for BookingPayment"},
		{Name: "payments not iterable", Call: book(`, "payment_methods": 18099.99`), Err: "'float' object is not iterable"},
		{Name: "date not offered", Call: book(`, "departure_date": "99-01-01"`), Err: "Package PKGSWE1 not offered on 99-01-01"},
		{Name: "date of another type", Call: book(`, "departure_date": 260110`), Err: "Package PKGSWE1 not offered on 260110"},
		{Name: "sold out", Call: book(`, "departure_date": "26-02-15"`), Err: "Departure on 26-02-15 for package PKGSWE1 is not available"},
		{Name: "limited is not bookable", Call: book(`, "departure_date": "26-03-01"`), Err: "Departure on 26-03-01 for package PKGSWE1 is not available"},
		{Name: "not enough slots", Call: book(`, "package_id": "PKGPOL2", "departure_date": "25-09-05", "travelers": [` + erik + `, ` + anna + `, ` + erik + `]`),
			Err: "Not enough slots on 25-09-05. Needed 3, available 2"},
		{Name: "unknown traveler", Call: book(`, "traveler_id": "TRV-623A93"`), Err: "Traveler TRV-623A93 not found"},
		{Name: "unknown package", Call: book(`, "package_id": "PKG-EA708A"`), Err: "Package PKG-EA708A not found"},
		{Name: "traveler without dob", Call: book(`, "travelers": [{"first_name": "No", "last_name": "Dob"}], "traveler_id": "NOPE"`),
			Err: "1 validation error for BookingTravelerInfo"},
		{Name: "rooming without occupancy", Call: book(`, "rooming": {"room_type": "suite"}`), Err: "1 validation error for RoomingInfo"},
		{Name: "rooming as text", Call: book(`, "rooming": "suite"`), Err: "1 validation error for Booking", Check: unbooked},
		{Name: "travelers as names", Call: book(`, "travelers": ["Erik"]`), Err: "1 validation error for Booking", Check: unbooked},
		{Name: "travelers as text count characters", Call: book(`, "travelers": "ab"`), Err: "Payment amount does not add up, total price is 36099.99, but paid 18099.99"},
		{Name: "travelers not iterable", Call: book(`, "travelers": 1`), Err: "'int' object is not iterable"},
		{Name: "add-ons of names", Call: book(`, "add_ons": ["transfer"]`), Err: "'str' object has no attribute 'price'"},
		{Name: "add-ons mixed", Call: book(`, "add_ons": [{"price": 1}, 2]`), Err: "'dict' object has no attribute 'price'"},
		{Name: "insurance of another type", Call: book(`, "insurance": 1`), Err: "'int' object has no attribute 'strip'"},
		{Name: "falsy insurance of another type", Call: book(`, "insurance": 0` + pay("17999.99")), Err: "1 validation error for Booking"},
		{Name: "insurance is required", Call: step{"book_package", `{"traveler_id": "TRV0001", "package_id": "PKGSWE1", "departure_date": "26-01-10", "travelers": [], "rooming": {}, "add_ons": [], "payment_methods": []}`},
			Err: "TravelAgencyTools.book_package() missing 1 required positional argument: 'insurance'"},
	})
}

const bookingSE = `{"booking_id": "BKG-SE-001"`

func TestCancelBooking(t *testing.T) {
	cancelSE := step{"cancel_booking", bookingSE + `}`}
	runCases(t, []toolCase{
		{Name: "cancel", Call: cancelSE,
			Want:  []string{`"status": "cancelled"`, `"payment_history": [{"payment_id": "PAY-SE-001", "amount": 39700.0}, {"payment_id": "PAY-SE-001", "amount": -39700.0}], "total_price": 39700.0`},
			Check: slots("PKGSWE1", "25-12-05", 10)},
		{Name: "cancel twice", Setup: []step{cancelSE}, Call: cancelSE,
			Want:  []string{`[{"payment_id": "PAY-SE-001", "amount": 39700.0}, {"payment_id": "PAY-SE-001", "amount": -39700.0}, {"payment_id": "PAY-SE-001", "amount": -39700.0}, {"payment_id": "PAY-SE-001", "amount": 39700.0}]`},
			Check: slots("PKGSWE1", "25-12-05", 12)},
		{Name: "cancel the first of a duplicated id", Call: step{"cancel_booking", `{"booking_id": "DUP-001"}`},
			Check: both(booking("TRV0001", 1, `"status":"cancelled"`), booking("TRV0002", 1, `"status":"confirmed"`), slots("PKGPOL2", "25-09-05", 3, "PKGPOL2", "25-10-10", 5))},
		{Name: "cancel on a date no longer offered", Call: step{"cancel_booking", `{"booking_id": "BKG-OLD"}`},
			Want: []string{`"payment_history": [{"payment_id": "PAY-6", "amount": 0.0}, {"payment_id": "PAY-6", "amount": -0.0}]`}},
		{Name: "cancel with a missing package", Call: step{"cancel_booking", `{"booking_id": "BKG-GONE"}`}, Err: "Package PKGGONE not found",
			Check: booking("TRV0002", 2, `"status":"confirmed"`)},
		{Name: "cancel unknown", Call: step{"cancel_booking", `{"booking_id": "BKG-18D60C"}`}, Err: "Booking BKG-18D60C not found"},
		{Name: "cancel after replacing travelers by names", Setup: []step{{"update_booking_travelers", bookingSE + `, "travelers": ["A", "B"]}`}}, Call: cancelSE,
			Check: slots("PKGSWE1", "25-12-05", 10)},
	})
}

func TestUpdateBooking(t *testing.T) {
	cancelSE := step{"cancel_booking", bookingSE + `}`}
	addOns := func(list, method string) step {
		return step{"update_booking_add_ons", bookingSE + `, "add_ons": ` + list + `, "payment_method_id": "` + method + `"}`}
	}
	move := func(id, date, method string) step {
		return step{"update_booking_departure_date", `{"booking_id": "` + id + `", "new_departure_date": "` + date + `", "payment_method_id": "` + method + `"}`}
	}
	runCases(t, []toolCase{
		{Name: "add-ons removed: refund includes the stored-price mismatch", Call: addOns(`[]`, "98PCBC3"),
			Want: []string{`"add_ons": []`, `{"payment_id": "98PCBC3", "amount": -2600.0}], "total_price": 37100.0`}},
		{Name: "add-ons unchanged total records nothing", Setup: []step{addOns(`[]`, "98PCBC3")}, Call: addOns(`[]`, "PM-SE-2"),
			Want: []string{`[{"payment_id": "PAY-SE-001", "amount": 39700.0}, {"payment_id": "98PCBC3", "amount": -2600.0}], "total_price": 37100.0`}},
		{Name: "add-ons charged", Call: addOns(`[{"type": "excursion", "description": "Husky ride", "price": 2500.5}]`, "PM-SE-2"),
			Want: []string{`{"payment_id": "PM-SE-2", "amount": -99.5}], "total_price": 39600.5`}},
		{Name: "add-ons on a cancelled booking", Setup: []step{cancelSE}, Call: addOns(`[]`, "98PCBC3"), Want: []string{`"status": "cancelled"`, `"total_price": 37100.0`}},
		{Name: "add-ons with another traveler's method", Call: addOns(`[]`, "PM-NOPE"), Err: "Payment method PM-NOPE not found for traveler"},
		{Name: "add-ons with a list method", Call: step{"update_booking_add_ons", bookingSE + `, "add_ons": [], "payment_method_id": ["98PCBC3"]}`}, Err: "unhashable type: 'list'"},
		{Name: "add-on without price", Call: addOns(`[{"type": "x", "description": "no price"}]`, "98PCBC3"), Err: "1 validation error for BookingAddOn"},
		{Name: "add-ons of names", Call: addOns(`["x"]`, "98PCBC3"), Err: "'str' object has no attribute 'price'"},
		{Name: "add-ons not iterable", Call: addOns(`null`, "98PCBC3"), Err: "'NoneType' object is not iterable"},
		{Name: "add-ons on a sold-out departure", Call: step{"update_booking_add_ons", `{"booking_id": "BKG-PT-002", "add_ons": [], "payment_method_id": "98PCBC3"}`},
			Err: "Departure on 26-02-15 for package PKGSWE1 is not available"},
		{Name: "add-ons on a date no longer offered", Call: step{"update_booking_add_ons", `{"booking_id": "BKG-OLD", "add_ons": [], "payment_method_id": "98PCBC3"}`},
			Err: "Package PKGSWE1 not offered on 24-01-01"},
		{Name: "add-ons with a missing package", Call: step{"update_booking_add_ons", `{"booking_id": "BKG-GONE", "add_ons": [], "payment_method_id": "98PCBC3"}`},
			Err: "Package PKGGONE not found"},
		{Name: "add-ons unknown booking", Call: step{"update_booking_add_ons", `{"booking_id": "BKG-DDF954", "add_ons": [], "payment_method_id": "98PCBC3"}`},
			Err: "Booking BKG-DDF954 not found"},

		{Name: "move", Call: move("BKG-SE-001", "26-01-10", "98PCBC3"),
			Want:  []string{`"departure_date": "26-01-10"`, `{"payment_id": "98PCBC3", "amount": -2600.0}], "total_price": 37100.0`},
			Check: slots("PKGSWE1", "25-12-05", 10, "PKGSWE1", "26-01-10", 8)},
		{Name: "move to the same date reprices", Call: move("BKG-SE-001", "25-12-05", "98PCBC3"),
			Want: []string{`{"payment_id": "98PCBC3", "amount": -1400.0}], "total_price": 38300.0`}, Check: slots("PKGSWE1", "25-12-05", 8)},
		{Name: "move from a date no longer offered", Call: move("BKG-OLD", "25-12-05", "98PCBC3"),
			Want: []string{`"departure_date": "25-12-05"`, `{"payment_id": "98PCBC3", "amount": 18500.0}]`}, Check: slots("PKGSWE1", "25-12-05", 7)},
		{Name: "move to a sold-out date", Call: move("BKG-SE-001", "26-02-15", "98PCBC3"), Err: "Departure on 26-02-15 for package PKGSWE1 is not available"},
		{Name: "move to a limited date", Call: move("BKG-SE-001", "26-03-01", "98PCBC3"), Err: "Departure on 26-03-01 for package PKGSWE1 is not available"},
		{Name: "move without enough slots", Call: move("BKG-PL-003", "25-09-05", "98PCBC3"), Err: "Not enough slots on 25-09-05. Needed 3, available 2",
			Check: slots("PKGPOL2", "25-10-10", 5)},
		{Name: "move to a date not offered", Call: move("BKG-SE-001", "99-12-31", "98PCBC3"), Err: "Package PKGSWE1 not offered on 99-12-31"},
		{Name: "move with an unknown method", Call: move("BKG-SE-001", "26-01-10", "PM-NOPE"), Err: "Payment method PM-NOPE not found for traveler"},
		{Name: "move unknown booking", Call: move("BKG-B86E15", "26-01-10", "98PCBC3"), Err: "Booking BKG-B86E15 not found"},

		{Name: "travelers renamed", Call: step{"update_booking_travelers", bookingSE + `, "travelers": [` + anna + `, {"first_name": "Iker", "last_name": "S", "dob": "90-04-12", "x": 1}]}`},
			Want: []string{`"travelers": [` + anna + `, {"first_name": "Iker", "last_name": "S", "dob": "90-04-12"}]`}},
		{Name: "travelers of another count", Call: step{"update_booking_travelers", bookingSE + `, "travelers": [` + anna + `]}`},
			Err: "Number of travelers does not match current booking"},
		{Name: "travelers stored as given", Call: step{"update_booking_travelers", bookingSE + `, "travelers": ["A", 2]}`},
			Want: []string{`"travelers": ["A", 2], "rooming"`}},
		{Name: "travelers as text", Call: step{"update_booking_travelers", bookingSE + `, "travelers": "AB"}`},
			Want: []string{`"travelers": "AB", "rooming"`}},
		{Name: "traveler without dob", Call: step{"update_booking_travelers", bookingSE + `, "travelers": [{"first_name": "A", "last_name": "B"}, ` + anna + `]}`},
			Err: "1 validation error for BookingTravelerInfo"},
		{Name: "travelers not iterable", Call: step{"update_booking_travelers", bookingSE + `, "travelers": 2}`}, Err: "'int' object is not iterable"},
		{Name: "travelers unknown booking", Call: step{"update_booking_travelers", `{"booking_id": "BKG-AE4CF2", "travelers": []}`}, Err: "Booking BKG-AE4CF2 not found"},

		{Name: "rooming", Call: step{"update_booking_rooming", bookingSE + `, "rooming": {"room_type": "suite", "occupancy": 2.0}}`},
			Want: []string{`"rooming": {"room_type": "suite", "occupancy": 2}`, `"total_price": 39700.0`}},
		{Name: "rooming stored as given", Call: step{"update_booking_rooming", bookingSE + `, "rooming": "suite"}`}, Want: []string{`"rooming": "suite", "add_ons"`}},
		{Name: "rooming null", Call: step{"update_booking_rooming", bookingSE + `, "rooming": null}`}, Want: []string{`"rooming": null`}},
		{Name: "rooming without occupancy", Call: step{"update_booking_rooming", bookingSE + `, "rooming": {"room_type": "suite"}}`}, Err: "1 validation error for RoomingInfo"},
		{Name: "rooming unknown booking", Call: step{"update_booking_rooming", `{"booking_id": "BKG-3BC3C4", "rooming": {}}`}, Err: "Booking BKG-3BC3C4 not found"},
	})
}

func TestScheduleAgentMeeting(t *testing.T) {
	meet := func(agent, date, slot, traveler string) step {
		return step{"schedule_agent_meeting", `{"agent_id": "` + agent + `", "date": "` + date + `", "time_range": "` + slot + `", "traveler_id": "` + traveler + `"}`}
	}
	ok := meet("AGT0001", "25-09-05", "09:00-12:00", "TRV0003")
	runCases(t, []toolCase{
		{Name: "meet", Call: ok, Want: []string{"Meeting scheduled with agent AGT0001 on 25-09-05 at 09:00-12:00"},
			Check: func(t *testing.T, db *DB) {
				a, _ := db.Agents.Get("AGT0001")
				d, _ := a.Availability.Get("25-09-05")
				if strings.Join(d.Slots, " ") != "13:00-17:00 09:00-12:00" { // only the first match goes
					t.Errorf("slots %v", d.Slots)
				}
			}},
		{Name: "the last slot of a day", Setup: []step{meet("AGT0002", "25-08-18", "14:00-16:00", "TRV0001")}, Call: step{"get_agent_details", `{"agent_id": "AGT0002"}`},
			Want: []string{`"availability": {"25-08-18": {"slots": [], "timezone": "America/Toronto"}}`}},
		{Name: "slot taken", Setup: []step{meet("AGT0002", "25-08-18", "14:00-16:00", "TRV0001")}, Call: meet("AGT0002", "25-08-18", "14:00-16:00", "TRV0001"),
			Err: "Time slot 14:00-16:00 not available on 25-08-18"},
		{Name: "fully booked day", Call: meet("AGT0001", "25-10-15", "09:00-12:00", "TRV0001"), Err: "Time slot 09:00-12:00 not available on 25-10-15"},
		{Name: "slot of another type", Call: step{"schedule_agent_meeting", `{"agent_id": "AGT0001", "date": "25-09-05", "time_range": 9, "traveler_id": "TRV0001"}`},
			Err: "Time slot 9 not available on 25-09-05"},
		{Name: "unavailable date", Call: meet("AGT0001", "99-01-01", "09:00-12:00", "TRV0001"), Err: "Agent is not available on 99-01-01"},
		{Name: "never available", Call: meet("AGT0003", "25-09-05", "09:00-12:00", "TRV0001"), Err: "Agent is not available on 25-09-05"},
		{Name: "list date", Call: step{"schedule_agent_meeting", `{"agent_id": "AGT0001", "date": ["25-09-05"], "time_range": "09:00-12:00", "traveler_id": "TRV0001"}`},
			Err: "unhashable type: 'list'"},
		{Name: "unknown traveler", Call: meet("AGT0001", "25-09-05", "09:00-12:00", "TRV-54BEFC"), Err: "Traveler TRV-54BEFC not found"},
		{Name: "unknown agent first", Call: meet("AGT-F9D09A", "25-09-05", "09:00-12:00", "TRV-54BEFC"), Err: "Agent AGT-F9D09A not found"},
	})
}

func TestCalculate(t *testing.T) {
	db := loadFixture(t)
	for _, tt := range []struct{ expr, want string }{
		{`"241 / 8"`, "30.12"},
		{`"2 * (17900 + 99.99)"`, "35999.98"},
		{`"abs(-3)"`, "Error: Invalid characters in expression"},
		{`"1 / 0"`, "Error: division by zero"},
		{`5`, "Error: 'int' object is not iterable"},
		{`["1", "+", "1"]`, "Error: eval() arg 1 must be a string, bytes or code object"},
		{`["12"]`, "Error: eval() arg 1 must be a string, bytes or code object"}, // a substring of the allowed characters
		{`["x"]`, "Error: Invalid characters in expression"},
		{`[1]`, "Error: 'in <string>' requires string as left operand, not int"},
	} {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		if r := domaintest.Call(t, env, step{"calculate", `{"expression": ` + tt.expr + `}`}); r.Content != tt.want {
			t.Errorf("calculate(%s) = %q; want %q", tt.expr, r.Content, tt.want)
		}
	}
}

func TestToolMetadata(t *testing.T) {
	kinds := map[domains.Kind]int{}
	for _, tool := range Domain.Tools {
		kinds[tool.Kind]++
	}
	if len(Domain.Tools) != 15 || kinds[domains.Read] != 6 || kinds[domains.Write] != 7 || kinds[domains.Generic] != 2 {
		t.Errorf("%d tools, kinds %v; want 15: 6 READ, 7 WRITE, 2 GENERIC", len(Domain.Tools), kinds)
	}
	for _, c := range []step{book(``), book(`, "agent_id": null, "insurance": null`),
		{"update_booking_add_ons", bookingSE + `, "add_ons": [], "payment_method_id": "98PCBC3"}`},
		{"search_packages", `{"destination_country": "Sweden", "destination_city": null}`}} {
		args, _ := py.Parse([]byte(c.Args()))
		if err := Domain.Tool(c.Name()).Validate(args.(*py.Object)); err != nil {
			t.Errorf("%s: %v", c.Name(), err)
		}
	}
	args, _ := py.Parse([]byte(`{"booking_id": "B", "rooming": {"room_type": "suite"}}`))
	if err := Domain.Tool("update_booking_rooming").Validate(args.(*py.Object)); err == nil {
		t.Error("update_booking_rooming accepts a rooming without occupancy")
	}
}

// TestDecode checks that the booking fields tools may overwrite with any value still load
// only as their declared models.
func TestDecode(t *testing.T) {
	data, err := os.ReadFile("testdata/agency.json")
	if err != nil {
		t.Fatal(err)
	}
	db, err := domains.Decode(Domain, data)
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := db.(*DB).Travelers.Get("TRV0001")
	if _, ok := tr.Bookings[0].Travelers.([]BookingTravelerInfo); !ok {
		t.Errorf("booking travelers load as %T", tr.Bookings[0].Travelers)
	}
	if _, ok := tr.Bookings[0].Rooming.(RoomingInfo); !ok {
		t.Errorf("booking rooming loads as %T", tr.Bookings[0].Rooming)
	}
	for _, tt := range []struct{ from, to, want string }{
		{`"room_type": "double",
      "occupancy": 2`, `"room_type": "double"`, "travelers.TRV0001.bookings.0.rooming.occupancy: Field required"},
		{`"first_name": "Anna",
       "last_name": "Larsson",
       "dob": "91-08-22"`, `"first_name": "Anna", "last_name": "Larsson"`, "travelers.TRV0001.bookings.0.travelers.1.dob: Field required"},
		{`"available_slots": 8`, `"available_slots": "eight"`, "packages.PKGSWE1.departures.25-12-05.available_slots: Input should be a valid integer"},
		{`"insurance": "Standard"`, `"insurance": 1`, "travelers.TRV0001.bookings.0.insurance: Input should be a valid string"},
	} {
		in := strings.Replace(string(data), tt.from, tt.to, 1)
		if in == string(data) {
			t.Fatalf("fixture lacks %s", tt.from)
		}
		_, err := domains.Decode(Domain, []byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Decode with %s = %v; want %q", tt.to, err, tt.want)
		}
	}
}
