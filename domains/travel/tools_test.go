package travel

import (
	"os"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
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

type step struct{ name, args string }

func run(t *testing.T, env *domains.Env, s step) domains.Result {
	t.Helper()
	args, err := py.Parse([]byte(s.args))
	if err != nil {
		t.Fatalf("arguments of %s: %v", s.name, err)
	}
	return env.Call(s.name, args.(*py.Object))
}

type toolCase struct {
	name  string
	setup []step // calls that must succeed first
	call  step
	// err is the exact error text; a text ending in "for <Model>" is a pydantic
	// validation error of which only the first line is compared.
	err   string
	want  []string // substrings of the content of a successful call
	check func(t *testing.T, db *DB)
}

func runCases(t *testing.T, cases []toolCase) {
	t.Helper()
	base := loadFixture(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := domains.NewEnv(Domain, base, domains.DefaultNow)
			for _, s := range tc.setup {
				if r := run(t, env, s); !r.OK() {
					t.Fatalf("setup %s: %v", s.name, r.Err)
				}
			}
			r := run(t, env, tc.call)
			switch {
			case tc.err != "" && r.OK():
				t.Fatalf("%s succeeded with %s; want error %q", tc.call.name, r.Content, tc.err)
			case tc.err == "" && !r.OK():
				t.Fatalf("%s failed: %v", tc.call.name, r.Err)
			case tc.err != "":
				got := r.Err.Error()
				if strings.Contains(tc.err, " validation error") {
					got, _, _ = strings.Cut(got, "\n")
				}
				if got != tc.err {
					t.Errorf("error = %q; want %q", got, tc.err)
				}
				if r.Content != "Error: "+r.Err.Error() {
					t.Errorf("content = %q; want the error behind \"Error: \"", r.Content)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Content, w) {
					t.Errorf("content lacks %s:\n%s", w, r.Content)
				}
			}
			if tc.check != nil {
				tc.check(t, env.DB.(*DB))
			}
		})
	}
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
		{name: "traveler", call: step{"get_traveler_details", `{"traveler_id": "TRV0001"}`},
			want: []string{`"PM-SE-2": {"source": "paypal", "payment_method_id": "PM-SE-2", "extra_info": null}`,
				`"travelers": [{"first_name": "Erik", "last_name": "Svensson", "dob": "90-04-12"}, {"first_name": "Anna"`}},
		{name: "traveler without passport", call: step{"get_traveler_details", `{"traveler_id": "TRV0003"}`},
			want: []string{`"passport": null, "preferences": null, "payment_methods": {}`, `"bookings": []}`}},
		{name: "traveler unknown", call: step{"get_traveler_details", `{"traveler_id": "TRV-92BE66"}`}, err: "Traveler TRV-92BE66 not found"},
		{name: "traveler int id", call: step{"get_traveler_details", `{"traveler_id": 7}`}, err: "Traveler 7 not found"},
		{name: "traveler list id", call: step{"get_traveler_details", `{"traveler_id": ["TRV0001"]}`}, err: "unhashable type: 'list'"},
		{name: "agent", call: step{"get_agent_details", `{"agent_id": "AGT0001"}`},
			want: []string{`"25-10-15": {"slots": [], "timezone": "America/Toronto"}`, `"commission_rate": 0.12`}},
		{name: "agent unknown", call: step{"get_agent_details", `{"agent_id": "AGT-9C04ED"}`}, err: "Agent AGT-9C04ED not found"},
		{name: "package", call: step{"get_package_details", `{"package_id": "PKGPOL2"}`},
			want: []string{`"25-10-10": {"status": "available", "base_price": 2100.5, "currency": "EUR", "available_slots": 5`, `{"city": "Gda\u0144sk", "country": "Poland"}`, `"notes": null`}},
		{name: "package dict id", call: step{"get_package_details", `{"package_id": {"id": 1}}`}, err: "unhashable type: 'dict'"},
		{name: "booking, first of a duplicated id", call: step{"get_booking_details", `{"booking_id": "DUP-001"}`},
			want: []string{`{"booking_id": "DUP-001", "package_id": "PKGPOL2", "agent_id": "AGT0002", "booking_date": "25-08-10", "departure_date": "25-09-05"`}},
		{name: "booking unknown", call: step{"get_booking_details", `{"booking_id": "BKG-10D5B8"}`}, err: "Booking BKG-10D5B8 not found"},
		{name: "booking list id", call: step{"get_booking_details", `{"booking_id": ["DUP-001"]}`}, err: "Booking ['DUP-001'] not found"},
		{name: "destinations", call: step{"list_all_destinations", `{}`},
			want: []string{`[{"city": "Abisko", "country": "Sweden"}, {"city": "Kiruna", "country": "Sweden"}, {"city": "Warsaw", "country": "Poland"}, {"city": "Gda\u0144sk", "country": "Poland"}, {"city": "Copenhagen", "country": "Denmark"}, {"city": "Lisbon", "country": "Portugal"}, {"city": "Merzouga", "country": "Morocco"}]`}},
		{name: "destinations take no argument", call: step{"list_all_destinations", `{"country": "Sweden"}`},
			err: "TravelAgencyTools.list_all_destinations() got an unexpected keyword argument 'country'"},
		{name: "transfer", call: step{"transfer_to_human_agents", `{"summary": "wants a different package"}`}, want: []string{"Transfer successful"}},
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
		{name: "book", call: book(``),
			want: []string{`{"booking_id": "TAU001", "package_id": "PKGSWE1", "agent_id": "AGT0001", "booking_date": "2024-05-15", "departure_date": "26-01-10", "status": "confirmed", ` +
				`"travelers": [` + erik + `], "rooming": {"room_type": "single", "occupancy": 1}, "add_ons": [{"type": "transfer", "description": "Airport pick-up", "price": 99.99}], ` +
				`"insurance": "Premium", "payment_history": [{"payment_id": "98PCBC3", "amount": 18099.99}], "total_price": 18099.99, "notes": null}`},
			check: both(slots("PKGSWE1", "26-01-10", 9), booking("TRV0001", 3, `"booking_id":"TAU001"`), func(t *testing.T, db *DB) {
				a, _ := db.Agents.Get("AGT0001")
				if strings.Join(a.AssignedTravelers, " ") != "TRV0002 TRV0001" || strings.Join(a.BookingsHandled, " ") != "BKG-PT-002 TAU001" {
					t.Errorf("agent lists %v %v", a.AssignedTravelers, a.BookingsHandled)
				}
			})},
		{name: "second and third ids", setup: []step{book(``), book(``)}, call: book(``), want: []string{`"booking_id": "TAU003"`},
			check: slots("PKGSWE1", "26-01-10", 7)},
		{name: "ids run out", setup: []step{book(``), book(``), book(``)}, call: book(``), err: "Too many bookings created"},
		{name: "an agent who does not manage the package", call: book(`, "agent_id": "AGT0003"`), want: []string{`"agent_id": "AGT0003"`},
			check: func(t *testing.T, db *DB) {
				a, _ := db.Agents.Get("AGT0003")
				if strings.Join(a.AssignedTravelers, " ") != "TRV0002 TRV0001" {
					t.Errorf("assigned travelers %v", a.AssignedTravelers)
				}
			}},
		{name: "unknown agent", call: book(`, "agent_id": "AGT-X"`), err: "Agent AGT-X not found", check: unbooked},
		{name: "empty agent id", call: book(`, "agent_id": ""`), err: "Agent  not found"},
		{name: "package without agents", call: book(`, "package_id": "PKGNOAG", "departure_date": "25-11-01"`), err: "No managing agent available for this package"},
		{name: "package without agents, agent given", call: book(`, "package_id": "PKGNOAG", "departure_date": "25-11-01", "agent_id": "AGT0002"` + pay("1199.99")),
			want: []string{`"total_price": 1199.99`}},
		{name: "two travelers, standard insurance", call: book(`, "travelers": [` + erik + `, ` + anna + `], "rooming": {"room_type": "twin", "occupancy": "2"}, "add_ons": [], "insurance": " STANDARD "` + pay("35900")),
			want: []string{`"rooming": {"room_type": "twin", "occupancy": 2}`, `"insurance": " STANDARD "`, `"total_price": 35900.0`}, check: slots("PKGSWE1", "26-01-10", 8)},
		{name: "a plan label is free", call: book(`, "insurance": "Premium Plan"` + pay("17999.99")), want: []string{`"total_price": 17999.99`}},
		{name: "dotted capital I is not premium", call: book(`, "insurance": "PREMİUM"` + pay("17999.99")), want: []string{`"total_price": 17999.99`}},
		{name: "no insurance", call: book(`, "insurance": null` + pay("17999.99")), want: []string{`"insurance": null`}},
		{name: "empty insurance label is stored", call: book(`, "insurance": ""` + pay("17999.99")), want: []string{`"insurance": ""`}},
		{name: "no travelers", call: book(`, "travelers": []` + pay("99.99")), want: []string{`"travelers": [], `, `"total_price": 99.99`},
			check: slots("PKGSWE1", "26-01-10", 10)},
		{name: "add-on price as text", call: book(`, "add_ons": [{"type": "t", "description": "d", "price": "99.99"}]`), want: []string{`"price": 99.99}`}},
		{name: "amount does not add up", call: book(pay("18000")), err: "Payment amount does not add up, total price is 18099.99, but paid 18000.0", check: unbooked},
		{name: "nothing paid", call: book(`, "payment_methods": []`), err: "Payment amount does not add up, total price is 18099.99, but paid 0"},
		{name: "split payment", call: book(`, "payment_methods": [{"payment_id": "98PCBC3", "amount": 18000}, {"payment_id": "PM-SE-2", "amount": 99.99}]`),
			want: []string{`"payment_history": [{"payment_id": "98PCBC3", "amount": 18000.0}, {"payment_id": "PM-SE-2", "amount": 99.99}]`}},
		{name: "unknown method", call: book(`, "payment_methods": [{"payment_id": "PM-NOPE", "amount": 18099.99}]`), err: "Payment method PM-NOPE not found for traveler"},
		{name: "traveler without methods", call: book(`, "traveler_id": "TRV0003"`), err: "Payment method 98PCBC3 not found for traveler"},
		{name: "payments of ids", call: book(`, "payment_methods": ["98PCBC3"]`), err: "'str' object has no attribute 'payment_id'"},
		{name: "payment without amount", call: book(`, "payment_methods": [{"payment_id": "98PCBC3"}]`), err: "1 validation error for BookingPayment"},
		{name: "payments not iterable", call: book(`, "payment_methods": 18099.99`), err: "'float' object is not iterable"},
		{name: "date not offered", call: book(`, "departure_date": "99-01-01"`), err: "Package PKGSWE1 not offered on 99-01-01"},
		{name: "date of another type", call: book(`, "departure_date": 260110`), err: "Package PKGSWE1 not offered on 260110"},
		{name: "sold out", call: book(`, "departure_date": "26-02-15"`), err: "Departure on 26-02-15 for package PKGSWE1 is not available"},
		{name: "limited is not bookable", call: book(`, "departure_date": "26-03-01"`), err: "Departure on 26-03-01 for package PKGSWE1 is not available"},
		{name: "not enough slots", call: book(`, "package_id": "PKGPOL2", "departure_date": "25-09-05", "travelers": [` + erik + `, ` + anna + `, ` + erik + `]`),
			err: "Not enough slots on 25-09-05. Needed 3, available 2"},
		{name: "unknown traveler", call: book(`, "traveler_id": "TRV-623A93"`), err: "Traveler TRV-623A93 not found"},
		{name: "unknown package", call: book(`, "package_id": "PKG-EA708A"`), err: "Package PKG-EA708A not found"},
		{name: "traveler without dob", call: book(`, "travelers": [{"first_name": "No", "last_name": "Dob"}], "traveler_id": "NOPE"`),
			err: "1 validation error for BookingTravelerInfo"},
		{name: "rooming without occupancy", call: book(`, "rooming": {"room_type": "suite"}`), err: "1 validation error for RoomingInfo"},
		{name: "rooming as text", call: book(`, "rooming": "suite"`), err: "1 validation error for Booking", check: unbooked},
		{name: "travelers as names", call: book(`, "travelers": ["Erik"]`), err: "1 validation error for Booking", check: unbooked},
		{name: "travelers as text count characters", call: book(`, "travelers": "ab"`), err: "Payment amount does not add up, total price is 36099.99, but paid 18099.99"},
		{name: "travelers not iterable", call: book(`, "travelers": 1`), err: "'int' object is not iterable"},
		{name: "add-ons of names", call: book(`, "add_ons": ["transfer"]`), err: "'str' object has no attribute 'price'"},
		{name: "add-ons mixed", call: book(`, "add_ons": [{"price": 1}, 2]`), err: "'dict' object has no attribute 'price'"},
		{name: "insurance of another type", call: book(`, "insurance": 1`), err: "'int' object has no attribute 'strip'"},
		{name: "falsy insurance of another type", call: book(`, "insurance": 0` + pay("17999.99")), err: "1 validation error for Booking"},
		{name: "insurance is required", call: step{"book_package", `{"traveler_id": "TRV0001", "package_id": "PKGSWE1", "departure_date": "26-01-10", "travelers": [], "rooming": {}, "add_ons": [], "payment_methods": []}`},
			err: "TravelAgencyTools.book_package() missing 1 required positional argument: 'insurance'"},
	})
}

const bookingSE = `{"booking_id": "BKG-SE-001"`

func TestCancelBooking(t *testing.T) {
	cancelSE := step{"cancel_booking", bookingSE + `}`}
	runCases(t, []toolCase{
		{name: "cancel", call: cancelSE,
			want:  []string{`"status": "cancelled"`, `"payment_history": [{"payment_id": "PAY-SE-001", "amount": 39700.0}, {"payment_id": "PAY-SE-001", "amount": -39700.0}], "total_price": 39700.0`},
			check: slots("PKGSWE1", "25-12-05", 10)},
		{name: "cancel twice", setup: []step{cancelSE}, call: cancelSE,
			want:  []string{`[{"payment_id": "PAY-SE-001", "amount": 39700.0}, {"payment_id": "PAY-SE-001", "amount": -39700.0}, {"payment_id": "PAY-SE-001", "amount": -39700.0}, {"payment_id": "PAY-SE-001", "amount": 39700.0}]`},
			check: slots("PKGSWE1", "25-12-05", 12)},
		{name: "cancel the first of a duplicated id", call: step{"cancel_booking", `{"booking_id": "DUP-001"}`},
			check: both(booking("TRV0001", 1, `"status":"cancelled"`), booking("TRV0002", 1, `"status":"confirmed"`), slots("PKGPOL2", "25-09-05", 3, "PKGPOL2", "25-10-10", 5))},
		{name: "cancel on a date no longer offered", call: step{"cancel_booking", `{"booking_id": "BKG-OLD"}`},
			want: []string{`"payment_history": [{"payment_id": "PAY-6", "amount": 0.0}, {"payment_id": "PAY-6", "amount": -0.0}]`}},
		{name: "cancel with a missing package", call: step{"cancel_booking", `{"booking_id": "BKG-GONE"}`}, err: "Package PKGGONE not found",
			check: booking("TRV0002", 2, `"status":"confirmed"`)},
		{name: "cancel unknown", call: step{"cancel_booking", `{"booking_id": "BKG-18D60C"}`}, err: "Booking BKG-18D60C not found"},
		{name: "cancel after replacing travelers by names", setup: []step{{"update_booking_travelers", bookingSE + `, "travelers": ["A", "B"]}`}}, call: cancelSE,
			check: slots("PKGSWE1", "25-12-05", 10)},
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
		{name: "add-ons removed: refund includes the stored-price mismatch", call: addOns(`[]`, "98PCBC3"),
			want: []string{`"add_ons": []`, `{"payment_id": "98PCBC3", "amount": -2600.0}], "total_price": 37100.0`}},
		{name: "add-ons unchanged total records nothing", setup: []step{addOns(`[]`, "98PCBC3")}, call: addOns(`[]`, "PM-SE-2"),
			want: []string{`[{"payment_id": "PAY-SE-001", "amount": 39700.0}, {"payment_id": "98PCBC3", "amount": -2600.0}], "total_price": 37100.0`}},
		{name: "add-ons charged", call: addOns(`[{"type": "excursion", "description": "Husky ride", "price": 2500.5}]`, "PM-SE-2"),
			want: []string{`{"payment_id": "PM-SE-2", "amount": -99.5}], "total_price": 39600.5`}},
		{name: "add-ons on a cancelled booking", setup: []step{cancelSE}, call: addOns(`[]`, "98PCBC3"), want: []string{`"status": "cancelled"`, `"total_price": 37100.0`}},
		{name: "add-ons with another traveler's method", call: addOns(`[]`, "PM-NOPE"), err: "Payment method PM-NOPE not found for traveler"},
		{name: "add-ons with a list method", call: step{"update_booking_add_ons", bookingSE + `, "add_ons": [], "payment_method_id": ["98PCBC3"]}`}, err: "unhashable type: 'list'"},
		{name: "add-on without price", call: addOns(`[{"type": "x", "description": "no price"}]`, "98PCBC3"), err: "1 validation error for BookingAddOn"},
		{name: "add-ons of names", call: addOns(`["x"]`, "98PCBC3"), err: "'str' object has no attribute 'price'"},
		{name: "add-ons not iterable", call: addOns(`null`, "98PCBC3"), err: "'NoneType' object is not iterable"},
		{name: "add-ons on a sold-out departure", call: step{"update_booking_add_ons", `{"booking_id": "BKG-PT-002", "add_ons": [], "payment_method_id": "98PCBC3"}`},
			err: "Departure on 26-02-15 for package PKGSWE1 is not available"},
		{name: "add-ons on a date no longer offered", call: step{"update_booking_add_ons", `{"booking_id": "BKG-OLD", "add_ons": [], "payment_method_id": "98PCBC3"}`},
			err: "Package PKGSWE1 not offered on 24-01-01"},
		{name: "add-ons with a missing package", call: step{"update_booking_add_ons", `{"booking_id": "BKG-GONE", "add_ons": [], "payment_method_id": "98PCBC3"}`},
			err: "Package PKGGONE not found"},
		{name: "add-ons unknown booking", call: step{"update_booking_add_ons", `{"booking_id": "BKG-DDF954", "add_ons": [], "payment_method_id": "98PCBC3"}`},
			err: "Booking BKG-DDF954 not found"},

		{name: "move", call: move("BKG-SE-001", "26-01-10", "98PCBC3"),
			want:  []string{`"departure_date": "26-01-10"`, `{"payment_id": "98PCBC3", "amount": -2600.0}], "total_price": 37100.0`},
			check: slots("PKGSWE1", "25-12-05", 10, "PKGSWE1", "26-01-10", 8)},
		{name: "move to the same date reprices", call: move("BKG-SE-001", "25-12-05", "98PCBC3"),
			want: []string{`{"payment_id": "98PCBC3", "amount": -1400.0}], "total_price": 38300.0`}, check: slots("PKGSWE1", "25-12-05", 8)},
		{name: "move from a date no longer offered", call: move("BKG-OLD", "25-12-05", "98PCBC3"),
			want: []string{`"departure_date": "25-12-05"`, `{"payment_id": "98PCBC3", "amount": 18500.0}]`}, check: slots("PKGSWE1", "25-12-05", 7)},
		{name: "move to a sold-out date", call: move("BKG-SE-001", "26-02-15", "98PCBC3"), err: "Departure on 26-02-15 for package PKGSWE1 is not available"},
		{name: "move to a limited date", call: move("BKG-SE-001", "26-03-01", "98PCBC3"), err: "Departure on 26-03-01 for package PKGSWE1 is not available"},
		{name: "move without enough slots", call: move("BKG-PL-003", "25-09-05", "98PCBC3"), err: "Not enough slots on 25-09-05. Needed 3, available 2",
			check: slots("PKGPOL2", "25-10-10", 5)},
		{name: "move to a date not offered", call: move("BKG-SE-001", "99-12-31", "98PCBC3"), err: "Package PKGSWE1 not offered on 99-12-31"},
		{name: "move with an unknown method", call: move("BKG-SE-001", "26-01-10", "PM-NOPE"), err: "Payment method PM-NOPE not found for traveler"},
		{name: "move unknown booking", call: move("BKG-B86E15", "26-01-10", "98PCBC3"), err: "Booking BKG-B86E15 not found"},

		{name: "travelers renamed", call: step{"update_booking_travelers", bookingSE + `, "travelers": [` + anna + `, {"first_name": "Iker", "last_name": "S", "dob": "90-04-12", "x": 1}]}`},
			want: []string{`"travelers": [` + anna + `, {"first_name": "Iker", "last_name": "S", "dob": "90-04-12"}]`}},
		{name: "travelers of another count", call: step{"update_booking_travelers", bookingSE + `, "travelers": [` + anna + `]}`},
			err: "Number of travelers does not match current booking"},
		{name: "travelers stored as given", call: step{"update_booking_travelers", bookingSE + `, "travelers": ["A", 2]}`},
			want: []string{`"travelers": ["A", 2], "rooming"`}},
		{name: "travelers as text", call: step{"update_booking_travelers", bookingSE + `, "travelers": "AB"}`},
			want: []string{`"travelers": "AB", "rooming"`}},
		{name: "traveler without dob", call: step{"update_booking_travelers", bookingSE + `, "travelers": [{"first_name": "A", "last_name": "B"}, ` + anna + `]}`},
			err: "1 validation error for BookingTravelerInfo"},
		{name: "travelers not iterable", call: step{"update_booking_travelers", bookingSE + `, "travelers": 2}`}, err: "'int' object is not iterable"},
		{name: "travelers unknown booking", call: step{"update_booking_travelers", `{"booking_id": "BKG-AE4CF2", "travelers": []}`}, err: "Booking BKG-AE4CF2 not found"},

		{name: "rooming", call: step{"update_booking_rooming", bookingSE + `, "rooming": {"room_type": "suite", "occupancy": 2.0}}`},
			want: []string{`"rooming": {"room_type": "suite", "occupancy": 2}`, `"total_price": 39700.0`}},
		{name: "rooming stored as given", call: step{"update_booking_rooming", bookingSE + `, "rooming": "suite"}`}, want: []string{`"rooming": "suite", "add_ons"`}},
		{name: "rooming null", call: step{"update_booking_rooming", bookingSE + `, "rooming": null}`}, want: []string{`"rooming": null`}},
		{name: "rooming without occupancy", call: step{"update_booking_rooming", bookingSE + `, "rooming": {"room_type": "suite"}}`}, err: "1 validation error for RoomingInfo"},
		{name: "rooming unknown booking", call: step{"update_booking_rooming", `{"booking_id": "BKG-3BC3C4", "rooming": {}}`}, err: "Booking BKG-3BC3C4 not found"},
	})
}

func TestScheduleAgentMeeting(t *testing.T) {
	meet := func(agent, date, slot, traveler string) step {
		return step{"schedule_agent_meeting", `{"agent_id": "` + agent + `", "date": "` + date + `", "time_range": "` + slot + `", "traveler_id": "` + traveler + `"}`}
	}
	ok := meet("AGT0001", "25-09-05", "09:00-12:00", "TRV0003")
	runCases(t, []toolCase{
		{name: "meet", call: ok, want: []string{"Meeting scheduled with agent AGT0001 on 25-09-05 at 09:00-12:00"},
			check: func(t *testing.T, db *DB) {
				a, _ := db.Agents.Get("AGT0001")
				d, _ := a.Availability.Get("25-09-05")
				if strings.Join(d.Slots, " ") != "13:00-17:00 09:00-12:00" { // only the first match goes
					t.Errorf("slots %v", d.Slots)
				}
			}},
		{name: "the last slot of a day", setup: []step{meet("AGT0002", "25-08-18", "14:00-16:00", "TRV0001")}, call: step{"get_agent_details", `{"agent_id": "AGT0002"}`},
			want: []string{`"availability": {"25-08-18": {"slots": [], "timezone": "America/Toronto"}}`}},
		{name: "slot taken", setup: []step{meet("AGT0002", "25-08-18", "14:00-16:00", "TRV0001")}, call: meet("AGT0002", "25-08-18", "14:00-16:00", "TRV0001"),
			err: "Time slot 14:00-16:00 not available on 25-08-18"},
		{name: "fully booked day", call: meet("AGT0001", "25-10-15", "09:00-12:00", "TRV0001"), err: "Time slot 09:00-12:00 not available on 25-10-15"},
		{name: "slot of another type", call: step{"schedule_agent_meeting", `{"agent_id": "AGT0001", "date": "25-09-05", "time_range": 9, "traveler_id": "TRV0001"}`},
			err: "Time slot 9 not available on 25-09-05"},
		{name: "unavailable date", call: meet("AGT0001", "99-01-01", "09:00-12:00", "TRV0001"), err: "Agent is not available on 99-01-01"},
		{name: "never available", call: meet("AGT0003", "25-09-05", "09:00-12:00", "TRV0001"), err: "Agent is not available on 25-09-05"},
		{name: "list date", call: step{"schedule_agent_meeting", `{"agent_id": "AGT0001", "date": ["25-09-05"], "time_range": "09:00-12:00", "traveler_id": "TRV0001"}`},
			err: "unhashable type: 'list'"},
		{name: "unknown traveler", call: meet("AGT0001", "25-09-05", "09:00-12:00", "TRV-54BEFC"), err: "Traveler TRV-54BEFC not found"},
		{name: "unknown agent first", call: meet("AGT-F9D09A", "25-09-05", "09:00-12:00", "TRV-54BEFC"), err: "Agent AGT-F9D09A not found"},
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
		if r := run(t, env, step{"calculate", `{"expression": ` + tt.expr + `}`}); r.Content != tt.want {
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
		args, _ := py.Parse([]byte(c.args))
		if err := Domain.Tool(c.name).Validate(args.(*py.Object)); err != nil {
			t.Errorf("%s: %v", c.name, err)
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
