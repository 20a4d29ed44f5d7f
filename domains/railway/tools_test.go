package railway

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

// loadFixture decodes testdata/network.json: four trains between alpha, bravo and charlie
// (ic 1 delayed on 09-02 and cancelled on 09-03 with a platform; ic 2 cancelled on 09-02
// with nothing but its status; r 4 leaves bravo before ic 1 arrives), four users (u1 gold
// with a wallet of 500, u2 silver with a wallet of 10, u3 regular with a card and an
// "other" method but no wallet, u4 whose cards take every wallet_100x id) and three
// reservations (r1 of u1 with two passengers and two bags, r2 of u2 holding the PNR
// PNR1AA and no bikes key, r3 of an unknown user).
func loadFixture(t testing.TB) domains.DB {
	t.Helper()
	data, err := os.ReadFile("testdata/network.json")
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

func user(t *testing.T, db *DB, id string) *RailUser {
	t.Helper()
	u, ok := db.Users.Get(id)
	if !ok {
		t.Fatalf("user %s missing", id)
	}
	return u
}

func reservation(t *testing.T, db *DB, id string) *TrainReservation {
	t.Helper()
	r, ok := db.Reservations.Get(id)
	if !ok {
		t.Fatalf("reservation %s missing", id)
	}
	return r
}

func walletOf(t *testing.T, db *DB, userID, walletID string) any {
	t.Helper()
	pm, ok := user(t, db, userID).PaymentMethods.Get(walletID)
	if !ok {
		t.Fatalf("%s has no method %s", userID, walletID)
	}
	v, _ := pm.ExtraInfo.Get("amount")
	return v
}

func wantWallet(userID, walletID string, want int64) func(*testing.T, *DB) {
	return func(t *testing.T, db *DB) {
		if got := walletOf(t, db, userID, walletID); got != want {
			t.Errorf("%s balance = %v; want %d", walletID, got, want)
		}
	}
}

func encoded(t *testing.T, v any) string {
	t.Helper()
	b, err := py.Marshal(v, py.Dumps)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantHistory(id, want string) func(*testing.T, *DB) {
	return func(t *testing.T, db *DB) {
		if got := encoded(t, reservation(t, db, id).PaymentHistory); got != want {
			t.Errorf("%s payment_history = %s; want %s", id, got, want)
		}
	}
}

func TestReadTools(t *testing.T) {
	icOne := `{"train_number": "ic 1", "train_name": "intercity", "origin": "alpha", "destination": "bravo", "service_type": "express", "date": "%s", "status": "%s", "scheduled_departure_time_local": "08:00", "scheduled_arrival_time_local": "10:00", "platform": %s}`
	icTwo := `{"train_number": "ic 2", "train_name": "intercity", "origin": "bravo", "destination": "charlie", "service_type": "regional", "date": "2025-09-01", "status": "on time", "scheduled_departure_time_local": "10:30", "scheduled_arrival_time_local": "12:00", "platform": "1"}`
	runCases(t, []toolCase{
		{Name: "user", Call: step{"get_user_details", `{"user_id": "u2"}`},
			Exact: `{"user_id": "u2", "name": {"first_name": "bo", "last_name": "berg"}, "address": {"address1": "2 side st", "address2": null, "city": "bravo", "country": "xx", "state": "south", "zip": "2000"}, "email": "bo.berg@example.com", "dob": "1990-05-06", "payment_methods": {"card-u2": {"source": "card", "id": "card-u2", "extra_info": {"brand": "mastercard", "last_four": "9876"}}, "wallet-u2": {"source": "wallet", "id": "wallet-u2", "extra_info": {"amount": 10}}}, "saved_passengers": [], "membership": "silver", "railcards": [{"type": "youth", "number": "yo-1", "expiry": "2026-01-01"}], "reservations": ["r2"]}`},
		{Name: "user unknown", Call: step{"get_user_details", `{"user_id": "nobody"}`}, Err: "User nobody not found"},
		{Name: "user int id", Call: step{"get_user_details", `{"user_id": 5}`}, Err: "User 5 not found"},
		{Name: "user null id", Call: step{"get_user_details", `{"user_id": null}`}, Err: "User None not found"},
		{Name: "user list id", Call: step{"get_user_details", `{"user_id": ["u1"]}`}, Err: "unhashable type: 'list'"},
		{Name: "user missing id", Call: step{"get_user_details", `{}`}, Err: "RailwayTools.get_user_details() missing 1 required positional argument: 'user_id'"},

		{Name: "reservation drops class and fills bikes", Call: step{"get_reservation_details", `{"reservation_id": "r2"}`},
			Exact: `{"reservation_id": "r2", "user_id": "u2", "origin": "alpha", "destination": "charlie", "trip_type": "one_way", "trains": [{"origin": "alpha", "destination": "charlie", "train_number": "hs 3", "date": "2025-09-01", "coach": "FC1", "seat_numbers": ["21"], "price": 150}], "passengers": [{"first_name": "bo", "last_name": "berg", "dob": "1990-05-06"}], "payment_history": [{"payment_id": "card-u2", "amount": 152.5}], "created_at": "2025-08-02T11:00:00", "total_bags": 1, "bikes": 0, "meal_preference": "none", "insurance": "no", "pnr": "PNR1AA", "status": "confirmed"}`},
		{Name: "reservation unknown", Call: step{"get_reservation_details", `{"reservation_id": "r9"}`}, Err: "Reservation r9 not found"},
		{Name: "reservation dict id", Call: step{"get_reservation_details", `{"reservation_id": {}}`}, Err: "unhashable type: 'dict'"},
		{Name: "reservation extra argument", Call: step{"get_reservation_details", `{"reservation_id": "r1", "x": 1}`},
			Err: "RailwayTools.get_reservation_details() got an unexpected keyword argument 'x'"},

		{Name: "direct", Call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": "2025-09-01"}`},
			Exact: "[" + sprintf(icOne, "2025-09-01", "on time", `"3"`) + "]"},
		{Name: "direct delayed", Call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": "2025-09-02"}`},
			Exact: "[" + sprintf(icOne, "2025-09-02", "delayed", `"4"`) + "]"},
		{Name: "direct cancelled listed without platform", Call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": "2025-09-03"}`},
			Exact: "[" + sprintf(icOne, "2025-09-03", "cancelled", "null") + "]"},
		{Name: "direct no match", Call: step{"search_direct_train", `{"origin": "charlie", "destination": "alpha", "date": "2025-09-01"}`}, Exact: "[]"},
		{Name: "direct case-sensitive", Call: step{"search_direct_train", `{"origin": "Alpha", "destination": "bravo", "date": "2025-09-01"}`}, Exact: "[]"},
		{Name: "direct null origin matches any", Call: step{"search_direct_train", `{"origin": null, "destination": "charlie", "date": "2025-09-01"}`},
			Want: []string{`"train_number": "ic 2"`, `"train_number": "hs 3"`, `"train_number": "r 4"`}},
		{Name: "direct int origin matches none", Call: step{"search_direct_train", `{"origin": 1, "destination": "charlie", "date": "2025-09-01"}`}, Exact: "[]"},
		{Name: "direct int date", Call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": 20250901}`}, Exact: "[]"},
		{Name: "direct list date", Call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": ["2025-09-01"]}`}, Err: "unhashable type: 'list'"},
		{Name: "direct missing date", Call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo"}`},
			Err: "RailwayTools.search_direct_train() missing 1 required positional argument: 'date'"},

		// r 4 leaves bravo at 09:30, before ic 1 arrives at 10:00: only ic 2 connects.
		{Name: "one stop", Call: step{"search_onestop_train", `{"origin": "alpha", "destination": "charlie", "date": "2025-09-01"}`},
			Exact: "[[" + sprintf(icOne, "2025-09-01", "on time", `"3"`) + ", " + icTwo + "]]"},
		{Name: "one stop cancelled second leg", Call: step{"search_onestop_train", `{"origin": "alpha", "destination": "charlie", "date": "2025-09-02"}`}, Exact: "[]"},
		{Name: "one stop cancelled first leg", Call: step{"search_onestop_train", `{"origin": "alpha", "destination": "charlie", "date": "2025-09-03"}`}, Exact: "[]"},
		{Name: "one stop null destination", Call: step{"search_onestop_train", `{"origin": "alpha", "destination": null, "date": "2025-09-01"}`},
			Exact: "[[" + sprintf(icOne, "2025-09-01", "on time", `"3"`) + ", " + icTwo + "]]"},
		{Name: "one stop dict date", Call: step{"search_onestop_train", `{"origin": "alpha", "destination": "charlie", "date": {}}`}, Err: "unhashable type: 'dict'"},

		{Name: "status", Call: step{"get_train_status", `{"train_number": "ic 1", "date": "2025-09-02"}`}, Exact: "delayed"},
		{Name: "status cancelled", Call: step{"get_train_status", `{"train_number": "ic 2", "date": "2025-09-02"}`}, Exact: "cancelled"},
		{Name: "status unknown train", Call: step{"get_train_status", `{"train_number": "zz 9", "date": "2025-09-02"}`}, Err: "Train zz 9 not found"},
		{Name: "status unknown date", Call: step{"get_train_status", `{"train_number": "ic 1", "date": "2025-01-01"}`}, Err: "Train ic 1 not found on date 2025-01-01"},
		{Name: "status float date", Call: step{"get_train_status", `{"train_number": "ic 1", "date": 1.5}`}, Err: "Train ic 1 not found on date 1.5"},
		{Name: "status list train", Call: step{"get_train_status", `{"train_number": [], "date": "2025-09-02"}`}, Err: "unhashable type: 'list'"},

		{Name: "routes", Call: step{"list_all_routes", `{}`},
			Exact: `[["alpha", "bravo"], ["alpha", "charlie"], ["bravo", "charlie"]]`},
		{Name: "routes argument", Call: step{"list_all_routes", `{"origin": "alpha"}`},
			Err: "RailwayTools.list_all_routes() got an unexpected keyword argument 'origin'"},
		{Name: "statistics", Call: step{"get_db_statistics", `{}`},
			Exact: `{"num_trains": "4", "num_train_instances": "7", "num_users": "4", "num_reservations": "3"}`},

		{Name: "calculate", Call: step{"calculate", `{"expression": "(110 * 2) * 0.9 + 40"}`}, Exact: "238.0"},
		{Name: "calculate letters", Call: step{"calculate", `{"expression": "2 ** x"}`}, Err: "Invalid characters in expression"},
		{Name: "calculate zero division", Call: step{"calculate", `{"expression": "1 / 0"}`}, Err: "division by zero"},
		{Name: "calculate int", Call: step{"calculate", `{"expression": 12}`}, Err: "'int' object is not iterable"},
		{Name: "calculate list of str", Call: step{"calculate", `{"expression": ["1", "+"]}`}, Err: "eval() arg 1 must be a string, bytes or code object"},
		{Name: "calculate list of int", Call: step{"calculate", `{"expression": [1]}`}, Err: "'in <string>' requires string as left operand, not int"},
		{Name: "calculate list of letters", Call: step{"calculate", `{"expression": ["a"]}`}, Err: "Invalid characters in expression"},
		{Name: "transfer", Call: step{"transfer_to_human_agents", `{"summary": "wants a human"}`}, Exact: "Transfer successful"},
		{Name: "transfer missing summary", Call: step{"transfer_to_human_agents", `{}`},
			Err: "RailwayTools.transfer_to_human_agents() missing 1 required positional argument: 'summary'"},
		{Name: "unknown tool", Call: step{"delete_everything", `{}`}, Err: "Tool 'delete_everything' not found."},
	})
}

func sprintf(format string, args ...string) string {
	for _, a := range args {
		format = strings.Replace(format, "%s", a, 1)
	}
	return format
}

// bookArgs returns the arguments of a booking by u1 (gold) of ic 1 (express) on 2025-09-01
// in first_class for two passengers with 3 bags, 1 bike and insurance: 220 × 0.9 + 40 +
// 15 + 10 = 263.0, paid 200 from the wallet and 63.0 by card. Each override is a
// `"key": value` pair replacing or adding one argument.
func bookArgs(overrides ...string) string {
	keys := []string{"user_id", "origin", "destination", "trip_type", "travel_class", "trains", "passengers",
		"payment_methods", "total_bags", "bikes", "meal_preference", "insurance"}
	vals := map[string]string{
		"user_id": `"u1"`, "origin": `"alpha"`, "destination": `"bravo"`, "trip_type": `"one_way"`,
		"travel_class": `"first_class"`, "trains": `[{"train_number": "ic 1", "date": "2025-09-01"}]`,
		"passengers":      `[{"first_name": "ana", "last_name": "silva", "dob": "1980-01-02"}, {"first_name": "Zoë", "last_name": "O'Hara", "dob": "2001-02-03", "seat": "x"}]`,
		"payment_methods": `[{"payment_id": "wallet-u1", "amount": 200}, {"payment_id": "card-u1", "amount": 63.0}]`,
		"total_bags":      "3", "bikes": "1", "meal_preference": `"veg"`, "insurance": `"yes"`,
	}
	for _, o := range overrides {
		k, v, _ := strings.Cut(o, ":")
		k = strings.Trim(strings.TrimSpace(k), `"`)
		if _, ok := vals[k]; !ok {
			keys = append(keys, k)
		}
		vals[k] = strings.TrimSpace(v)
	}
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if v := vals[k]; v != "-" { // "-" drops the argument
			parts = append(parts, `"`+k+`": `+v)
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func book(overrides ...string) step { return step{"book_train_reservation", bookArgs(overrides...)} }

// cardOnly pays a booking of the given total by card.
func cardOnly(total string) string {
	return `"payment_methods": [{"payment_id": "card-u1", "amount": ` + total + `}]`
}

func TestBookTrainReservation(t *testing.T) {
	noReservation := func(t *testing.T, db *DB) {
		if _, ok := db.Reservations.Get("TRN001"); ok {
			t.Errorf("TRN001 was created")
		}
		if got := user(t, db, "u1").Reservations; !slices.Equal(got, []string{"r1"}) {
			t.Errorf("u1 reservations = %v", got)
		}
	}
	runCases(t, []toolCase{
		{Name: "success", Call: book(),
			Exact: `{"reservation_id": "TRN001", "user_id": "u1", "origin": "alpha", "destination": "bravo", "trip_type": "one_way", "trains": [{"origin": "alpha", "destination": "bravo", "train_number": "ic 1", "date": "2025-09-01", "coach": "FC1", "seat_numbers": ["21", "22"], "price": 110}], "passengers": [{"first_name": "ana", "last_name": "silva", "dob": "1980-01-02"}, {"first_name": "Zo\u00eb", "last_name": "O'Hara", "dob": "2001-02-03"}], "payment_history": [{"payment_id": "wallet-u1", "amount": 200.0}, {"payment_id": "card-u1", "amount": 63.0}], "created_at": "2024-05-15T15:00:00", "total_bags": 3, "bikes": 1, "meal_preference": "veg", "insurance": "yes", "pnr": "PNR2BB", "status": "confirmed"}`,
			Check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 300)(t, db)
				if got := user(t, db, "u1").Reservations; !slices.Equal(got, []string{"r1", "TRN001"}) {
					t.Errorf("u1 reservations = %v", got)
				}
				if keys := db.Reservations.Keys(); keys[len(keys)-1] != "TRN001" {
					t.Errorf("TRN001 is not last: %v", keys)
				}
			}},
		{Name: "segment endpoints come from the train", Call: book(`"origin": "x"`, `"destination": "y"`, `"trip_type": "round_trip"`,
			`"trains": [{"train_number": "ic 1", "date": "2025-09-01"}, {"train_number": "ic 2", "date": "2025-09-01"}]`,
			`"travel_class": "sleeper"`, `"bikes": 0`, `"total_bags": 1`, `"insurance": "no"`, cardOnly("234.0")),
			// (80 + 50) × 2 × 0.9 = 234.0
			Want: []string{`"origin": "x", "destination": "y", "trip_type": "round_trip"`,
				`{"origin": "alpha", "destination": "bravo", "train_number": "ic 1", "date": "2025-09-01", "coach": "S1"`,
				`{"origin": "bravo", "destination": "charlie", "train_number": "ic 2", "date": "2025-09-01", "coach": "S1", "seat_numbers": ["21", "22"], "price": 50}`}},
		{Name: "regular member pays by other method", Call: book(`"user_id": "u3"`, `"travel_class": "ac_2_tier"`, `"insurance": "no"`,
			`"total_bags": 2`, `"bikes": 0`, `"payment_methods": [{"payment_id": "pp-u3", "amount": "130"}]`),
			Want: []string{`"payment_history": [{"payment_id": "pp-u3", "amount": 130.0}]`, `"coach": "A1"`, `"pnr": "PNR2BB"`}},
		{Name: "no passengers and no payments", Call: book(`"passengers": []`, `"payment_methods": []`, `"total_bags": 0`, `"bikes": 0`),
			Want: []string{`"seat_numbers": [], "price": 110}`, `"passengers": [], "payment_history": []`}},
		{Name: "no trains never checks the class", Call: book(`"trains": ""`, `"travel_class": "economy"`, `"passengers": {}`,
			`"payment_methods": []`, `"total_bags": 0`, `"bikes": 0`),
			Want: []string{`"trains": [], "passengers": []`}},
		{Name: "float counts are coerced", Call: book(`"total_bags": 3.0`, `"bikes": true`),
			Want: []string{`"total_bags": 3, "bikes": 1,`}},
		{Name: "bad trip type after the wallet charge", Call: book(`"trip_type": "two_way"`), Err: "1 validation error for TrainReservation",
			Check: func(t *testing.T, db *DB) { // PARTIAL MUTATION
				wantWallet("u1", "wallet-u1", 300)(t, db)
				noReservation(t, db)
			}},
		{Name: "bad enums and passengers", Call: book(`"meal_preference": "fish"`, `"insurance": "maybe"`, `"passengers": "ab"`, cardOnly("223.0")),
			Err: "3 validation errors for TrainReservation", Check: noReservation},
		{Name: "wallet cents from fractional bags", Call: book(`"total_bags": 3.5`, `"payment_methods": [{"payment_id": "wallet-u1", "amount": 270.5}]`),
			Err: "Wallet payments must be in whole dollars"},
		{Name: "fractional bags", Call: book(`"total_bags": 3.5`, `"payment_methods": [{"payment_id": "wallet-u1", "amount": 270}, {"payment_id": "card-u1", "amount": 0.5}]`),
			Err: "1 validation error for TrainReservation", Check: wantWallet("u1", "wallet-u1", 230)},

		{Name: "trains not iterable", Call: book(`"trains": 5`), Err: "'int' object is not iterable"},
		{Name: "passengers none", Call: book(`"passengers": null`), Err: "'NoneType' object is not iterable"},
		{Name: "train info missing date", Call: book(`"trains": [{"train_number": "ic 1"}]`), Err: "1 validation error for TrainInfo"},
		{Name: "train info int number", Call: book(`"trains": [{"train_number": 1, "date": "2025-09-01"}]`), Err: "1 validation error for TrainInfo"},
		{Name: "passenger missing dob", Call: book(`"passengers": [{"first_name": "a", "last_name": "b"}]`), Err: "1 validation error for Passenger"},
		{Name: "payment missing amount", Call: book(`"payment_methods": [{"payment_id": "card-u1"}]`), Err: "1 validation error for RailPayment"},
		{Name: "conversion before user lookup", Call: book(`"user_id": "nobody"`, `"trains": [{}]`), Err: "2 validation errors for TrainInfo"},
		{Name: "unknown user", Call: book(`"user_id": "nobody"`), Err: "User nobody not found"},
		{Name: "missing argument", Call: book(`"insurance": -`),
			Err: "RailwayTools.book_train_reservation() missing 1 required positional argument: 'insurance'"},
		{Name: "unexpected argument", Call: book(`"class": "first"`),
			Err: "RailwayTools.book_train_reservation() got an unexpected keyword argument 'class'"},
		// r2 holds PNR1AA: the third booking finds an id but no PNR.
		{Name: "too many PNRs", Setup: []step{book(cardOnly("263")), book(cardOnly("263"))}, Call: book(cardOnly("263")), Err: "Too many PNRs",
			Check: func(t *testing.T, db *DB) {
				if n := db.Reservations.Len(); n != 5 {
					t.Errorf("%d reservations; want 5", n)
				}
			}},
		{Name: "unknown train", Call: book(`"trains": [{"train_number": "zz 9", "date": "2025-09-01"}]`), Err: "Train zz 9 not found"},
		{Name: "train not running", Call: book(`"trains": [{"train_number": "ic 1", "date": "2025-12-25"}]`), Err: "Train ic 1 not found on date 2025-12-25"},
		{Name: "cancelled train", Call: book(`"trains": [{"train_number": "ic 1", "date": "2025-09-03"}]`), Err: "Train ic 1 is cancelled on 2025-09-03"},
		{Name: "unknown class", Call: book(`"travel_class": "economy"`), Err: "'economy'"},
		{Name: "int class", Call: book(`"travel_class": 7`), Err: "7"},
		{Name: "list class", Call: book(`"travel_class": ["sleeper"]`), Err: "unhashable type: 'list'"},
		{Name: "trains as text", Call: book(`"trains": "ic 1"`), Err: "'str' object has no attribute 'train_number'"},
		{Name: "trains mixed", Call: book(`"trains": [{"train_number": "ic 1", "date": "2025-09-01"}, "ic 2"]`), Err: "'dict' object has no attribute 'train_number'"},
		{Name: "bags as text", Call: book(`"total_bags": "3"`), Err: "unsupported operand type(s) for -: 'str' and 'int'"},
		{Name: "bikes none", Call: book(`"bikes": null`), Err: "unsupported operand type(s) for *: 'int' and 'NoneType'"},
		{Name: "bikes as text", Call: book(`"bikes": "1"`), Err: "unsupported operand type(s) for +: 'float' and 'str'"},
		{Name: "payments as text", Call: book(`"payment_methods": "card-u1"`), Err: "'str' object has no attribute 'payment_id'"},
		{Name: "unknown payment method", Call: book(`"payment_methods": [{"payment_id": "card-u2", "amount": 263}]`), Err: "Payment method card-u2 not found"},
		{Name: "wallet cents", Call: book(`"payment_methods": [{"payment_id": "wallet-u1", "amount": 262.5}, {"payment_id": "card-u1", "amount": 0.5}]`),
			Err: "Wallet payments must be in whole dollars"},
		{Name: "wallet short", Call: book(`"payment_methods": [{"payment_id": "wallet-u1", "amount": 501}]`), Err: "Not enough balance in wallet wallet-u1"},
		{Name: "wallet infinite", Call: book(`"payment_methods": [{"payment_id": "wallet-u1", "amount": "inf"}]`), Err: "cannot convert float infinity to integer"},
		{Name: "duplicate wallet lines are checked one by one", Call: book(`"payment_methods": [{"payment_id": "wallet-u1", "amount": 400}, {"payment_id": "wallet-u1", "amount": 400}]`),
			Err: "Payment amount does not add up, total price is 263.0, but paid 800.0, [RailPayment(payment_id='wallet-u1', amount=400.0), RailPayment(payment_id='wallet-u1', amount=400.0)]"},
		{Name: "sum mismatch", Call: book(cardOnly("300")),
			Err:   "Payment amount does not add up, total price is 263.0, but paid 300.0, [RailPayment(payment_id='card-u1', amount=300.0)]",
			Check: wantWallet("u1", "wallet-u1", 500)},
		{Name: "no payments", Call: book(`"payment_methods": []`), Err: "Payment amount does not add up, total price is 263.0, but paid 0, []"},
		{Name: "wallet can go negative", Call: book(`"user_id": "u2"`, `"total_bags": 2`, `"bikes": 0`, `"insurance": "no"`,
			`"payment_methods": [{"payment_id": "wallet-u2", "amount": 10}, {"payment_id": "wallet-u2", "amount": 10}, {"payment_id": "card-u2", "amount": 189.0}]`),
			// 220 × 0.95 = 209.0
			Check: wantWallet("u2", "wallet-u2", -10)},
	})
}

// TestReservationIDPool books until the TRN00x pool runs out, on the fixture with r2's PNR
// changed so that PNRs last.
func TestReservationIDPool(t *testing.T) {
	data, err := os.ReadFile("testdata/network.json")
	if err != nil {
		t.Fatal(err)
	}
	db, err := domains.Decode(Domain, []byte(strings.Replace(string(data), `"PNR1AA"`, `"pnrb2"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	env := domains.NewEnv(Domain, db, domains.DefaultNow)
	for i, want := range []string{"TRN001/PNR1AA", "TRN002/PNR2BB", "TRN003/PNR3CC", "Error: Too many reservations"} {
		r := domaintest.Call(t, env, book(cardOnly("263")))
		got := r.Content
		if r.OK() {
			res := r.Output.(*TrainReservation)
			got = res.ReservationID + "/" + res.PNR
		}
		if got != want {
			t.Errorf("booking %d: %s; want %s", i+1, got, want)
		}
	}
}

func TestCancelReservation(t *testing.T) {
	runCases(t, []toolCase{
		{Name: "success", Call: step{"cancel_reservation", `{"reservation_id": "r1"}`},
			Want:  []string{`"payment_history": [{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": -117.0}]`, `"status": "cancelled"}`},
			Check: wantWallet("u1", "wallet-u1", 500)},
		{Name: "twice negates everything again", Setup: []step{{"cancel_reservation", `{"reservation_id": "r1"}`}},
			Call:  step{"cancel_reservation", `{"reservation_id": "r1"}`},
			Check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": -117.0}, {"payment_id": "card-u1", "amount": -117.0}, {"payment_id": "card-u1", "amount": 117.0}]`)},
		{Name: "wallet refund is not credited", Setup: []step{book()}, Call: step{"cancel_reservation", `{"reservation_id": "TRN001"}`},
			Check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 300)(t, db)
				wantHistory("TRN001", `[{"payment_id": "wallet-u1", "amount": 200.0}, {"payment_id": "card-u1", "amount": 63.0}, {"payment_id": "wallet-u1", "amount": -200.0}, {"payment_id": "card-u1", "amount": -63.0}]`)(t, db)
			}},
		{Name: "no payments", Call: step{"cancel_reservation", `{"reservation_id": "r3"}`}, Want: []string{`"payment_history": []`, `"status": "cancelled"`}},
		{Name: "unknown", Call: step{"cancel_reservation", `{"reservation_id": "r9"}`}, Err: "Reservation r9 not found"},
		{Name: "missing id", Call: step{"cancel_reservation", `{}`},
			Err: "RailwayTools.cancel_reservation() missing 1 required positional argument: 'reservation_id'"},
	})
}

const u1Methods = `{'card-u1': CardPayment(source='card', id='card-u1', extra_info=CardExtraInfo(brand='visa', last_four='1234')), 'wallet-u1': WalletPayment(source='wallet', id='wallet-u1', extra_info=WalletExtraInfo(amount=500))}`

func TestUpdateReservationBags(t *testing.T) {
	bags := func(res, n, pay string) step {
		return step{"update_reservation_bags", `{"reservation_id": "` + res + `", "total_bags": ` + n + `, "payment_id": ` + pay + `}`}
	}
	runCases(t, []toolCase{
		// r1 has 2 passengers and 2 bags: 4 bags are 2 extra.
		{Name: "charge wallet", Call: bags("r1", "4", `"wallet-u1"`), Want: []string{`"total_bags": 4,`},
			Check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 470)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": 30.0}]`)(t, db)
			}},
		{Name: "refund is not credited", Setup: []step{bags("r1", "4", `"wallet-u1"`)}, Call: bags("r1", "1", `"wallet-u1"`),
			Check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 470)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": 30.0}, {"payment_id": "wallet-u1", "amount": -30.0}]`)(t, db)
			}},
		{Name: "free bags record nothing", Call: bags("r1", "0", `"card-u1"`), Want: []string{`"total_bags": 0,`},
			Check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}]`)},
		{Name: "fractional bags are stored as given", Call: bags("r1", "2.5", `"card-u1"`), Want: []string{`"total_bags": 2.5,`},
			Check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": 7.5}]`)},
		{Name: "true is one bag", Call: bags("r2", "true", `"card-u2"`), Want: []string{`"total_bags": true,`}},
		{Name: "wallet short", Call: bags("r2", "3", `"wallet-u2"`), Err: "Wallet balance is not enough", Check: wantWallet("u2", "wallet-u2", 10)},
		{Name: "unknown payment method", Call: bags("r1", "3", `"nope"`), Err: "Payment method not found: nope, " + u1Methods},
		{Name: "payment method checked for no change", Call: bags("r1", "2", `7`), Err: "Payment method not found: 7, " + u1Methods},
		{Name: "list payment method", Call: bags("r1", "3", `["card-u1"]`), Err: "unhashable type: 'list'"},
		{Name: "bags as text", Call: bags("r1", `"3"`, `"card-u1"`), Err: "unsupported operand type(s) for -: 'str' and 'int'"},
		{Name: "unknown reservation", Call: bags("r9", "3", `"card-u1"`), Err: "Reservation r9 not found"},
		{Name: "unknown owner", Call: bags("r3", "3", `"card-u1"`), Err: "User ghost not found"},
		{Name: "missing payment", Call: step{"update_reservation_bags", `{"reservation_id": "r1", "total_bags": 3}`},
			Err: "RailwayTools.update_reservation_bags() missing 1 required positional argument: 'payment_id'"},
	})
}

func TestUpdateReservationBikes(t *testing.T) {
	bikes := func(res, n, pay string) step {
		return step{"update_reservation_bikes", `{"reservation_id": "` + res + `", "bikes": ` + n + `, "payment_id": "` + pay + `"}`}
	}
	runCases(t, []toolCase{
		{Name: "charge wallet", Call: bikes("r1", "2", "wallet-u1"), Want: []string{`"bikes": 2,`},
			Check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 480)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": 20.0}]`)(t, db)
			}},
		{Name: "negative bikes refund", Call: bikes("r1", "-1", "card-u1"), Want: []string{`"bikes": -1,`},
			Check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": -10.0}]`)},
		{Name: "defaulted bikes", Call: bikes("r2", "1", "wallet-u2"), Check: wantWallet("u2", "wallet-u2", 0)},
		{Name: "wallet short", Call: bikes("r2", "2", "wallet-u2"), Err: "Wallet balance is not enough"},
		{Name: "bikes as text", Call: bikes("r1", `"2"`, "card-u1"), Err: "unsupported operand type(s) for -: 'str' and 'int'"},
		{Name: "stored float bikes", Setup: []step{bikes("r1", "0.5", "card-u1")}, Call: bikes("r1", `null`, "card-u1"),
			Err: "unsupported operand type(s) for -: 'NoneType' and 'float'"},
		{Name: "unknown payment method", Call: bikes("r1", "1", "nope"), Err: "Payment method not found: nope, " + u1Methods},
		{Name: "unknown reservation", Call: bikes("r9", "1", "card-u1"), Err: "Reservation r9 not found"},
		{Name: "unknown owner", Call: bikes("r3", "1", "card-u1"), Err: "User ghost not found"},
	})
}

func TestUpdateReservationTrains(t *testing.T) {
	trains := func(res, class, list, pay string) step {
		return step{"update_reservation_trains", `{"reservation_id": "` + res + `", "travel_class": ` + class + `, "trains": ` + list + `, "payment_id": "` + pay + `"}`}
	}
	hs3 := `[{"train_number": "hs 3", "date": "2025-09-01"}]`
	runCases(t, []toolCase{
		// r1: gold, 2 passengers, stored price 65. hs 3 first class: (300 − 130) × 0.9 = 153.0.
		{Name: "charge wallet", Call: trains("r1", `"first_class"`, hs3, "wallet-u1"),
			Want: []string{`"origin": "alpha", "destination": "bravo", "trip_type": "one_way", "trains": [{"origin": "alpha", "destination": "charlie", "train_number": "hs 3", "date": "2025-09-01", "coach": "FC1", "seat_numbers": ["21", "22"], "price": 150}]`},
			Check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 347)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": 153.0}]`)(t, db)
			}},
		// r 4 regional ac_2_tier: (80 − 130) × 0.9 = −45.0.
		{Name: "refund", Call: trains("r1", `"ac_2_tier"`, `[{"train_number": "r 4", "date": "2025-09-01"}]`, "wallet-u1"),
			Check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 500)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": -45.0}]`)(t, db)
			}},
		{Name: "empty list refunds everything", Call: trains("r1", `"no such class"`, `[]`, "card-u1"), Want: []string{`"trains": []`},
			Check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": -117.0}]`)},
		// r2: silver, 1 passenger, stored 150. hs 3 + ic 1 in ac_2_tier: (155 − 150) × 0.95 = 4.75.
		{Name: "wallet cents", Call: trains("r2", `"ac_2_tier"`, `[{"train_number": "hs 3", "date": "2025-09-01"}, {"train_number": "ic 1", "date": "2025-09-01"}]`, "wallet-u2"),
			Err: "Wallet payments must be whole dollars"},
		{Name: "card cents", Call: trains("r2", `"ac_2_tier"`, `[{"train_number": "hs 3", "date": "2025-09-01"}, {"train_number": "ic 1", "date": "2025-09-01"}]`, "card-u2"),
			Check: wantHistory("r2", `[{"payment_id": "card-u2", "amount": 152.5}, {"payment_id": "card-u2", "amount": 4.75}]`)},
		// (120 + 50 − 150) × 0.95 = 19.0
		{Name: "wallet short", Call: trains("r2", `"sleeper"`, `[{"train_number": "hs 3", "date": "2025-09-01"}, {"train_number": "ic 2", "date": "2025-09-01"}]`, "wallet-u2"),
			Err: "Wallet balance is not enough"},
		{Name: "cancelled train", Call: trains("r1", `"sleeper"`, `[{"train_number": "ic 1", "date": "2025-09-03"}]`, "card-u1"), Err: "Train ic 1 is cancelled on 2025-09-03"},
		{Name: "unknown train", Call: trains("r1", `"sleeper"`, `[{"train_number": "zz", "date": "2025-09-03"}]`, "card-u1"), Err: "Train zz not found"},
		{Name: "unknown date", Call: trains("r1", `"sleeper"`, `[{"train_number": "ic 1", "date": "2025-09-30"}]`, "card-u1"), Err: "Train ic 1 not found on date 2025-09-30"},
		{Name: "unknown class", Call: trains("r1", `"economy"`, hs3, "card-u1"), Err: "'economy'"},
		{Name: "null class", Call: trains("r1", `null`, hs3, "card-u1"), Err: "None"},
		{Name: "train info missing number", Call: trains("r9", `"sleeper"`, `[{"date": "2025-09-01"}]`, "card-u1"), Err: "1 validation error for TrainInfo"},
		{Name: "trains not iterable", Call: trains("r1", `"sleeper"`, `true`, "card-u1"), Err: "'bool' object is not iterable"},
		{Name: "trains as text", Call: trains("r1", `"sleeper"`, `"hs 3"`, "card-u1"), Err: "'str' object has no attribute 'train_number'"},
		{Name: "unknown payment method", Call: trains("r1", `"first_class"`, hs3, "nope"), Err: "Payment method not found: nope, " + u1Methods},
		{Name: "unknown reservation", Call: trains("r9", `"first_class"`, hs3, "card-u1"), Err: "Reservation r9 not found"},
		{Name: "unknown owner", Call: trains("r3", `"first_class"`, hs3, "card-u1"), Err: "User ghost not found"},
	})
}

func TestUpdateReservationPassengers(t *testing.T) {
	pax := func(res, list string) step {
		return step{"update_reservation_passengers", `{"reservation_id": "` + res + `", "passengers": ` + list + `}`}
	}
	two := `[{"first_name": "ana", "last_name": "silva-lee", "dob": "1980-01-02", "x": 1}, {"first_name": "rui", "last_name": "silva", "dob": "1982-03-04"}]`
	runCases(t, []toolCase{
		{Name: "success", Call: pax("r1", two),
			Want: []string{`"passengers": [{"first_name": "ana", "last_name": "silva-lee", "dob": "1980-01-02"}, {"first_name": "rui", "last_name": "silva", "dob": "1982-03-04"}]`,
				`"seat_numbers": ["21", "22"]`, `"payment_history": [{"payment_id": "card-u1", "amount": 117.0}]`}},
		{Name: "count differs", Call: pax("r2", two), Err: "Number of passengers does not match"},
		{Name: "passenger missing dob", Call: pax("r1", `[{"first_name": "a", "last_name": "b"}]`), Err: "1 validation error for Passenger"},
		{Name: "not iterable", Call: pax("r1", `3`), Err: "'int' object is not iterable"},
		{Name: "unknown reservation", Call: pax("r9", two), Err: "Reservation r9 not found"},
		// A list that is not all dicts is stored unvalidated; later tools count it.
		{Name: "raw list stored as given", Call: pax("r1", `["x", {"first_name": "y"}]`),
			Want: []string{`"passengers": ["x", {"first_name": "y"}]`},
			Check: func(t *testing.T, db *DB) {
				if n := pyLen(reservation(t, db, "r1").Passengers); n != 2 {
					t.Errorf("stored passengers count %d; want 2", n)
				}
			}},
		{Name: "text counts its characters", Setup: []step{pax("r1", `"ab"`)}, Call: step{"update_reservation_bags", `{"reservation_id": "r1", "total_bags": 3, "payment_id": "card-u1"}`},
			Want: []string{`"passengers": "ab"`, `{"payment_id": "card-u1", "amount": 15.0}`}},
	})
}

func TestAddWalletFunds(t *testing.T) {
	fund := func(userID, amount string) step {
		return step{"add_wallet_funds", `{"user_id": ` + userID + `, "amount": ` + amount + `}`}
	}
	runCases(t, []toolCase{
		{Name: "success", Call: fund(`"u1"`, "50"), Exact: "Wallet wallet-u1 funded with $50. New balance: $550", Check: wantWallet("u1", "wallet-u1", 550)},
		{Name: "true adds one", Call: fund(`"u1"`, "true"), Exact: "Wallet wallet-u1 funded with $True. New balance: $501", Check: wantWallet("u1", "wallet-u1", 501)},
		{Name: "creates a wallet", Call: fund(`"u3"`, "20"), Exact: "Wallet wallet_1001 funded with $20. New balance: $20",
			Check: func(t *testing.T, db *DB) {
				u := user(t, db, "u3")
				if got := u.PaymentMethods.Keys(); !slices.Equal(got, []string{"card-u3", "pp-u3", "wallet_1001"}) {
					t.Errorf("u3 methods = %v", got)
				}
				if got := encoded(t, u.PaymentMethods); !strings.Contains(got, `"wallet_1001": {"source": "wallet", "id": "wallet_1001", "extra_info": {"amount": 20}}`) {
					t.Errorf("new wallet: %s", got)
				}
			}},
		{Name: "huge amount", Call: fund(`"u1"`, "100000000000000000000"), Exact: "Wallet wallet-u1 funded with $100000000000000000000. New balance: $100000000000000000500"},
		{Name: "float amount", Call: fund(`"u1"`, "50.0"), Err: "Amount must be a positive integer (whole dollars)"},
		{Name: "zero", Call: fund(`"u1"`, "0"), Err: "Amount must be a positive integer (whole dollars)"},
		{Name: "false", Call: fund(`"u1"`, "false"), Err: "Amount must be a positive integer (whole dollars)"},
		{Name: "text amount", Call: fund(`"u1"`, `"50"`), Err: "Amount must be a positive integer (whole dollars)"},
		{Name: "amount checked before the user", Call: fund(`"nobody"`, "-5"), Err: "Amount must be a positive integer (whole dollars)"},
		{Name: "unknown user", Call: fund(`"nobody"`, "5"), Err: "User nobody not found"},
		{Name: "too many wallets", Call: fund(`"u4"`, "5"), Err: "Too many wallets",
			Check: func(t *testing.T, db *DB) {
				if n := user(t, db, "u4").PaymentMethods.Len(); n != 3 {
					t.Errorf("u4 has %d methods", n)
				}
			}},
		{Name: "statistics count bookings", Setup: []step{book()}, Call: step{"get_db_statistics", `{}`},
			Exact: `{"num_trains": "4", "num_train_instances": "7", "num_users": "4", "num_reservations": "4"}`},
	})
}

func TestToolOrderAndKinds(t *testing.T) {
	want := []string{"get_user_details:READ", "get_reservation_details:READ", "search_direct_train:READ",
		"search_onestop_train:READ", "book_train_reservation:WRITE", "cancel_reservation:WRITE",
		"update_reservation_bags:WRITE", "update_reservation_bikes:WRITE", "update_reservation_trains:WRITE",
		"update_reservation_passengers:WRITE", "get_train_status:READ", "list_all_routes:READ", "calculate:GENERIC",
		"transfer_to_human_agents:GENERIC", "add_wallet_funds:WRITE", "get_db_statistics:READ"}
	var got []string
	for _, tool := range Domain.Tools {
		got = append(got, tool.Name+":"+string(tool.Kind))
	}
	if !slices.Equal(got, want) {
		t.Errorf("tools = %v; want %v", got, want)
	}
}
