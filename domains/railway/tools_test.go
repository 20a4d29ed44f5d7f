package railway

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
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
	exact string   // the whole content of a successful call, when set
	check func(t *testing.T, db *DB)
}

func runCases(t *testing.T, cases []toolCase) {
	t.Helper()
	base := loadFixture(t)
	before, err := domains.Hash(base)
	if err != nil {
		t.Fatal(err)
	}
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
			if tc.exact != "" && r.Content != tc.exact {
				t.Errorf("content\n got: %s\nwant: %s", r.Content, tc.exact)
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
	if after, _ := domains.Hash(base); after != before {
		t.Errorf("the tools changed the fixture database itself")
	}
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
		{name: "user", call: step{"get_user_details", `{"user_id": "u2"}`},
			exact: `{"user_id": "u2", "name": {"first_name": "bo", "last_name": "berg"}, "address": {"address1": "2 side st", "address2": null, "city": "bravo", "country": "xx", "state": "south", "zip": "2000"}, "email": "bo.berg@example.com", "dob": "1990-05-06", "payment_methods": {"card-u2": {"source": "card", "id": "card-u2", "extra_info": {"brand": "mastercard", "last_four": "9876"}}, "wallet-u2": {"source": "wallet", "id": "wallet-u2", "extra_info": {"amount": 10}}}, "saved_passengers": [], "membership": "silver", "railcards": [{"type": "youth", "number": "yo-1", "expiry": "2026-01-01"}], "reservations": ["r2"]}`},
		{name: "user unknown", call: step{"get_user_details", `{"user_id": "nobody"}`}, err: "User nobody not found"},
		{name: "user int id", call: step{"get_user_details", `{"user_id": 5}`}, err: "User 5 not found"},
		{name: "user null id", call: step{"get_user_details", `{"user_id": null}`}, err: "User None not found"},
		{name: "user list id", call: step{"get_user_details", `{"user_id": ["u1"]}`}, err: "unhashable type: 'list'"},
		{name: "user missing id", call: step{"get_user_details", `{}`}, err: "RailwayTools.get_user_details() missing 1 required positional argument: 'user_id'"},

		{name: "reservation drops class and fills bikes", call: step{"get_reservation_details", `{"reservation_id": "r2"}`},
			exact: `{"reservation_id": "r2", "user_id": "u2", "origin": "alpha", "destination": "charlie", "trip_type": "one_way", "trains": [{"origin": "alpha", "destination": "charlie", "train_number": "hs 3", "date": "2025-09-01", "coach": "FC1", "seat_numbers": ["21"], "price": 150}], "passengers": [{"first_name": "bo", "last_name": "berg", "dob": "1990-05-06"}], "payment_history": [{"payment_id": "card-u2", "amount": 152.5}], "created_at": "2025-08-02T11:00:00", "total_bags": 1, "bikes": 0, "meal_preference": "none", "insurance": "no", "pnr": "PNR1AA", "status": "confirmed"}`},
		{name: "reservation unknown", call: step{"get_reservation_details", `{"reservation_id": "r9"}`}, err: "Reservation r9 not found"},
		{name: "reservation dict id", call: step{"get_reservation_details", `{"reservation_id": {}}`}, err: "unhashable type: 'dict'"},
		{name: "reservation extra argument", call: step{"get_reservation_details", `{"reservation_id": "r1", "x": 1}`},
			err: "RailwayTools.get_reservation_details() got an unexpected keyword argument 'x'"},

		{name: "direct", call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": "2025-09-01"}`},
			exact: "[" + sprintf(icOne, "2025-09-01", "on time", `"3"`) + "]"},
		{name: "direct delayed", call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": "2025-09-02"}`},
			exact: "[" + sprintf(icOne, "2025-09-02", "delayed", `"4"`) + "]"},
		{name: "direct cancelled listed without platform", call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": "2025-09-03"}`},
			exact: "[" + sprintf(icOne, "2025-09-03", "cancelled", "null") + "]"},
		{name: "direct no match", call: step{"search_direct_train", `{"origin": "charlie", "destination": "alpha", "date": "2025-09-01"}`}, exact: "[]"},
		{name: "direct case-sensitive", call: step{"search_direct_train", `{"origin": "Alpha", "destination": "bravo", "date": "2025-09-01"}`}, exact: "[]"},
		{name: "direct null origin matches any", call: step{"search_direct_train", `{"origin": null, "destination": "charlie", "date": "2025-09-01"}`},
			want: []string{`"train_number": "ic 2"`, `"train_number": "hs 3"`, `"train_number": "r 4"`}},
		{name: "direct int origin matches none", call: step{"search_direct_train", `{"origin": 1, "destination": "charlie", "date": "2025-09-01"}`}, exact: "[]"},
		{name: "direct int date", call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": 20250901}`}, exact: "[]"},
		{name: "direct list date", call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo", "date": ["2025-09-01"]}`}, err: "unhashable type: 'list'"},
		{name: "direct missing date", call: step{"search_direct_train", `{"origin": "alpha", "destination": "bravo"}`},
			err: "RailwayTools.search_direct_train() missing 1 required positional argument: 'date'"},

		// r 4 leaves bravo at 09:30, before ic 1 arrives at 10:00: only ic 2 connects.
		{name: "one stop", call: step{"search_onestop_train", `{"origin": "alpha", "destination": "charlie", "date": "2025-09-01"}`},
			exact: "[[" + sprintf(icOne, "2025-09-01", "on time", `"3"`) + ", " + icTwo + "]]"},
		{name: "one stop cancelled second leg", call: step{"search_onestop_train", `{"origin": "alpha", "destination": "charlie", "date": "2025-09-02"}`}, exact: "[]"},
		{name: "one stop cancelled first leg", call: step{"search_onestop_train", `{"origin": "alpha", "destination": "charlie", "date": "2025-09-03"}`}, exact: "[]"},
		{name: "one stop null destination", call: step{"search_onestop_train", `{"origin": "alpha", "destination": null, "date": "2025-09-01"}`},
			exact: "[[" + sprintf(icOne, "2025-09-01", "on time", `"3"`) + ", " + icTwo + "]]"},
		{name: "one stop dict date", call: step{"search_onestop_train", `{"origin": "alpha", "destination": "charlie", "date": {}}`}, err: "unhashable type: 'dict'"},

		{name: "status", call: step{"get_train_status", `{"train_number": "ic 1", "date": "2025-09-02"}`}, exact: "delayed"},
		{name: "status cancelled", call: step{"get_train_status", `{"train_number": "ic 2", "date": "2025-09-02"}`}, exact: "cancelled"},
		{name: "status unknown train", call: step{"get_train_status", `{"train_number": "zz 9", "date": "2025-09-02"}`}, err: "Train zz 9 not found"},
		{name: "status unknown date", call: step{"get_train_status", `{"train_number": "ic 1", "date": "2025-01-01"}`}, err: "Train ic 1 not found on date 2025-01-01"},
		{name: "status float date", call: step{"get_train_status", `{"train_number": "ic 1", "date": 1.5}`}, err: "Train ic 1 not found on date 1.5"},
		{name: "status list train", call: step{"get_train_status", `{"train_number": [], "date": "2025-09-02"}`}, err: "unhashable type: 'list'"},

		{name: "routes", call: step{"list_all_routes", `{}`},
			exact: `[["alpha", "bravo"], ["alpha", "charlie"], ["bravo", "charlie"]]`},
		{name: "routes argument", call: step{"list_all_routes", `{"origin": "alpha"}`},
			err: "RailwayTools.list_all_routes() got an unexpected keyword argument 'origin'"},
		{name: "statistics", call: step{"get_db_statistics", `{}`},
			exact: `{"num_trains": "4", "num_train_instances": "7", "num_users": "4", "num_reservations": "3"}`},

		{name: "calculate", call: step{"calculate", `{"expression": "(110 * 2) * 0.9 + 40"}`}, exact: "238.0"},
		{name: "calculate letters", call: step{"calculate", `{"expression": "2 ** x"}`}, err: "Invalid characters in expression"},
		{name: "calculate zero division", call: step{"calculate", `{"expression": "1 / 0"}`}, err: "division by zero"},
		{name: "calculate int", call: step{"calculate", `{"expression": 12}`}, err: "'int' object is not iterable"},
		{name: "calculate list of str", call: step{"calculate", `{"expression": ["1", "+"]}`}, err: "eval() arg 1 must be a string, bytes or code object"},
		{name: "calculate list of int", call: step{"calculate", `{"expression": [1]}`}, err: "'in <string>' requires string as left operand, not int"},
		{name: "calculate list of letters", call: step{"calculate", `{"expression": ["a"]}`}, err: "Invalid characters in expression"},
		{name: "transfer", call: step{"transfer_to_human_agents", `{"summary": "wants a human"}`}, exact: "Transfer successful"},
		{name: "transfer missing summary", call: step{"transfer_to_human_agents", `{}`},
			err: "RailwayTools.transfer_to_human_agents() missing 1 required positional argument: 'summary'"},
		{name: "unknown tool", call: step{"delete_everything", `{}`}, err: "Tool 'delete_everything' not found."},
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
		{name: "success", call: book(),
			exact: `{"reservation_id": "TRN001", "user_id": "u1", "origin": "alpha", "destination": "bravo", "trip_type": "one_way", "trains": [{"origin": "alpha", "destination": "bravo", "train_number": "ic 1", "date": "2025-09-01", "coach": "FC1", "seat_numbers": ["21", "22"], "price": 110}], "passengers": [{"first_name": "ana", "last_name": "silva", "dob": "1980-01-02"}, {"first_name": "Zo\u00eb", "last_name": "O'Hara", "dob": "2001-02-03"}], "payment_history": [{"payment_id": "wallet-u1", "amount": 200.0}, {"payment_id": "card-u1", "amount": 63.0}], "created_at": "2024-05-15T15:00:00", "total_bags": 3, "bikes": 1, "meal_preference": "veg", "insurance": "yes", "pnr": "PNR2BB", "status": "confirmed"}`,
			check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 300)(t, db)
				if got := user(t, db, "u1").Reservations; !slices.Equal(got, []string{"r1", "TRN001"}) {
					t.Errorf("u1 reservations = %v", got)
				}
				if keys := db.Reservations.Keys(); keys[len(keys)-1] != "TRN001" {
					t.Errorf("TRN001 is not last: %v", keys)
				}
			}},
		{name: "segment endpoints come from the train", call: book(`"origin": "x"`, `"destination": "y"`, `"trip_type": "round_trip"`,
			`"trains": [{"train_number": "ic 1", "date": "2025-09-01"}, {"train_number": "ic 2", "date": "2025-09-01"}]`,
			`"travel_class": "sleeper"`, `"bikes": 0`, `"total_bags": 1`, `"insurance": "no"`, cardOnly("234.0")),
			// (80 + 50) × 2 × 0.9 = 234.0
			want: []string{`"origin": "x", "destination": "y", "trip_type": "round_trip"`,
				`{"origin": "alpha", "destination": "bravo", "train_number": "ic 1", "date": "2025-09-01", "coach": "S1"`,
				`{"origin": "bravo", "destination": "charlie", "train_number": "ic 2", "date": "2025-09-01", "coach": "S1", "seat_numbers": ["21", "22"], "price": 50}`}},
		{name: "regular member pays by other method", call: book(`"user_id": "u3"`, `"travel_class": "ac_2_tier"`, `"insurance": "no"`,
			`"total_bags": 2`, `"bikes": 0`, `"payment_methods": [{"payment_id": "pp-u3", "amount": "130"}]`),
			want: []string{`"payment_history": [{"payment_id": "pp-u3", "amount": 130.0}]`, `"coach": "A1"`, `"pnr": "PNR2BB"`}},
		{name: "no passengers and no payments", call: book(`"passengers": []`, `"payment_methods": []`, `"total_bags": 0`, `"bikes": 0`),
			want: []string{`"seat_numbers": [], "price": 110}`, `"passengers": [], "payment_history": []`}},
		{name: "no trains never checks the class", call: book(`"trains": ""`, `"travel_class": "economy"`, `"passengers": {}`,
			`"payment_methods": []`, `"total_bags": 0`, `"bikes": 0`),
			want: []string{`"trains": [], "passengers": []`}},
		{name: "float counts are coerced", call: book(`"total_bags": 3.0`, `"bikes": true`),
			want: []string{`"total_bags": 3, "bikes": 1,`}},
		{name: "bad trip type after the wallet charge", call: book(`"trip_type": "two_way"`), err: "1 validation error for TrainReservation",
			check: func(t *testing.T, db *DB) { // PARTIAL MUTATION
				wantWallet("u1", "wallet-u1", 300)(t, db)
				noReservation(t, db)
			}},
		{name: "bad enums and passengers", call: book(`"meal_preference": "fish"`, `"insurance": "maybe"`, `"passengers": "ab"`, cardOnly("223.0")),
			err: "3 validation errors for TrainReservation", check: noReservation},
		{name: "wallet cents from fractional bags", call: book(`"total_bags": 3.5`, `"payment_methods": [{"payment_id": "wallet-u1", "amount": 270.5}]`),
			err: "Wallet payments must be in whole dollars"},
		{name: "fractional bags", call: book(`"total_bags": 3.5`, `"payment_methods": [{"payment_id": "wallet-u1", "amount": 270}, {"payment_id": "card-u1", "amount": 0.5}]`),
			err: "1 validation error for TrainReservation", check: wantWallet("u1", "wallet-u1", 230)},

		{name: "trains not iterable", call: book(`"trains": 5`), err: "'int' object is not iterable"},
		{name: "passengers none", call: book(`"passengers": null`), err: "'NoneType' object is not iterable"},
		{name: "train info missing date", call: book(`"trains": [{"train_number": "ic 1"}]`), err: "1 validation error for TrainInfo"},
		{name: "train info int number", call: book(`"trains": [{"train_number": 1, "date": "2025-09-01"}]`), err: "1 validation error for TrainInfo"},
		{name: "passenger missing dob", call: book(`"passengers": [{"first_name": "a", "last_name": "b"}]`), err: "1 validation error for Passenger"},
		{name: "payment missing amount", call: book(`"payment_methods": [{"payment_id": "card-u1"}]`), err: "1 validation error for RailPayment"},
		{name: "conversion before user lookup", call: book(`"user_id": "nobody"`, `"trains": [{}]`), err: "2 validation errors for TrainInfo"},
		{name: "unknown user", call: book(`"user_id": "nobody"`), err: "User nobody not found"},
		{name: "missing argument", call: book(`"insurance": -`),
			err: "RailwayTools.book_train_reservation() missing 1 required positional argument: 'insurance'"},
		{name: "unexpected argument", call: book(`"class": "first"`),
			err: "RailwayTools.book_train_reservation() got an unexpected keyword argument 'class'"},
		// r2 holds PNR1AA: the third booking finds an id but no PNR.
		{name: "too many PNRs", setup: []step{book(cardOnly("263")), book(cardOnly("263"))}, call: book(cardOnly("263")), err: "Too many PNRs",
			check: func(t *testing.T, db *DB) {
				if n := db.Reservations.Len(); n != 5 {
					t.Errorf("%d reservations; want 5", n)
				}
			}},
		{name: "unknown train", call: book(`"trains": [{"train_number": "zz 9", "date": "2025-09-01"}]`), err: "Train zz 9 not found"},
		{name: "train not running", call: book(`"trains": [{"train_number": "ic 1", "date": "2025-12-25"}]`), err: "Train ic 1 not found on date 2025-12-25"},
		{name: "cancelled train", call: book(`"trains": [{"train_number": "ic 1", "date": "2025-09-03"}]`), err: "Train ic 1 is cancelled on 2025-09-03"},
		{name: "unknown class", call: book(`"travel_class": "economy"`), err: "'economy'"},
		{name: "int class", call: book(`"travel_class": 7`), err: "7"},
		{name: "list class", call: book(`"travel_class": ["sleeper"]`), err: "unhashable type: 'list'"},
		{name: "trains as text", call: book(`"trains": "ic 1"`), err: "'str' object has no attribute 'train_number'"},
		{name: "trains mixed", call: book(`"trains": [{"train_number": "ic 1", "date": "2025-09-01"}, "ic 2"]`), err: "'dict' object has no attribute 'train_number'"},
		{name: "bags as text", call: book(`"total_bags": "3"`), err: "unsupported operand type(s) for -: 'str' and 'int'"},
		{name: "bikes none", call: book(`"bikes": null`), err: "unsupported operand type(s) for *: 'int' and 'NoneType'"},
		{name: "bikes as text", call: book(`"bikes": "1"`), err: "unsupported operand type(s) for +: 'float' and 'str'"},
		{name: "payments as text", call: book(`"payment_methods": "card-u1"`), err: "'str' object has no attribute 'payment_id'"},
		{name: "unknown payment method", call: book(`"payment_methods": [{"payment_id": "card-u2", "amount": 263}]`), err: "Payment method card-u2 not found"},
		{name: "wallet cents", call: book(`"payment_methods": [{"payment_id": "wallet-u1", "amount": 262.5}, {"payment_id": "card-u1", "amount": 0.5}]`),
			err: "Wallet payments must be in whole dollars"},
		{name: "wallet short", call: book(`"payment_methods": [{"payment_id": "wallet-u1", "amount": 501}]`), err: "Not enough balance in wallet wallet-u1"},
		{name: "wallet infinite", call: book(`"payment_methods": [{"payment_id": "wallet-u1", "amount": "inf"}]`), err: "cannot convert float infinity to integer"},
		{name: "duplicate wallet lines are checked one by one", call: book(`"payment_methods": [{"payment_id": "wallet-u1", "amount": 400}, {"payment_id": "wallet-u1", "amount": 400}]`),
			err: "Payment amount does not add up, total price is 263.0, but paid 800.0, [RailPayment(payment_id='wallet-u1', amount=400.0), RailPayment(payment_id='wallet-u1', amount=400.0)]"},
		{name: "sum mismatch", call: book(cardOnly("300")),
			err:   "Payment amount does not add up, total price is 263.0, but paid 300.0, [RailPayment(payment_id='card-u1', amount=300.0)]",
			check: wantWallet("u1", "wallet-u1", 500)},
		{name: "no payments", call: book(`"payment_methods": []`), err: "Payment amount does not add up, total price is 263.0, but paid 0, []"},
		{name: "wallet can go negative", call: book(`"user_id": "u2"`, `"total_bags": 2`, `"bikes": 0`, `"insurance": "no"`,
			`"payment_methods": [{"payment_id": "wallet-u2", "amount": 10}, {"payment_id": "wallet-u2", "amount": 10}, {"payment_id": "card-u2", "amount": 189.0}]`),
			// 220 × 0.95 = 209.0
			check: wantWallet("u2", "wallet-u2", -10)},
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
		r := run(t, env, book(cardOnly("263")))
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
		{name: "success", call: step{"cancel_reservation", `{"reservation_id": "r1"}`},
			want:  []string{`"payment_history": [{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": -117.0}]`, `"status": "cancelled"}`},
			check: wantWallet("u1", "wallet-u1", 500)},
		{name: "twice negates everything again", setup: []step{{"cancel_reservation", `{"reservation_id": "r1"}`}},
			call:  step{"cancel_reservation", `{"reservation_id": "r1"}`},
			check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": -117.0}, {"payment_id": "card-u1", "amount": -117.0}, {"payment_id": "card-u1", "amount": 117.0}]`)},
		{name: "wallet refund is not credited", setup: []step{book()}, call: step{"cancel_reservation", `{"reservation_id": "TRN001"}`},
			check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 300)(t, db)
				wantHistory("TRN001", `[{"payment_id": "wallet-u1", "amount": 200.0}, {"payment_id": "card-u1", "amount": 63.0}, {"payment_id": "wallet-u1", "amount": -200.0}, {"payment_id": "card-u1", "amount": -63.0}]`)(t, db)
			}},
		{name: "no payments", call: step{"cancel_reservation", `{"reservation_id": "r3"}`}, want: []string{`"payment_history": []`, `"status": "cancelled"`}},
		{name: "unknown", call: step{"cancel_reservation", `{"reservation_id": "r9"}`}, err: "Reservation r9 not found"},
		{name: "missing id", call: step{"cancel_reservation", `{}`},
			err: "RailwayTools.cancel_reservation() missing 1 required positional argument: 'reservation_id'"},
	})
}

const u1Methods = `{'card-u1': CardPayment(source='card', id='card-u1', extra_info=CardExtraInfo(brand='visa', last_four='1234')), 'wallet-u1': WalletPayment(source='wallet', id='wallet-u1', extra_info=WalletExtraInfo(amount=500))}`

func TestUpdateReservationBags(t *testing.T) {
	bags := func(res, n, pay string) step {
		return step{"update_reservation_bags", `{"reservation_id": "` + res + `", "total_bags": ` + n + `, "payment_id": ` + pay + `}`}
	}
	runCases(t, []toolCase{
		// r1 has 2 passengers and 2 bags: 4 bags are 2 extra.
		{name: "charge wallet", call: bags("r1", "4", `"wallet-u1"`), want: []string{`"total_bags": 4,`},
			check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 470)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": 30.0}]`)(t, db)
			}},
		{name: "refund is not credited", setup: []step{bags("r1", "4", `"wallet-u1"`)}, call: bags("r1", "1", `"wallet-u1"`),
			check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 470)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": 30.0}, {"payment_id": "wallet-u1", "amount": -30.0}]`)(t, db)
			}},
		{name: "free bags record nothing", call: bags("r1", "0", `"card-u1"`), want: []string{`"total_bags": 0,`},
			check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}]`)},
		{name: "fractional bags are stored as given", call: bags("r1", "2.5", `"card-u1"`), want: []string{`"total_bags": 2.5,`},
			check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": 7.5}]`)},
		{name: "true is one bag", call: bags("r2", "true", `"card-u2"`), want: []string{`"total_bags": true,`}},
		{name: "wallet short", call: bags("r2", "3", `"wallet-u2"`), err: "Wallet balance is not enough", check: wantWallet("u2", "wallet-u2", 10)},
		{name: "unknown payment method", call: bags("r1", "3", `"nope"`), err: "Payment method not found: nope, " + u1Methods},
		{name: "payment method checked for no change", call: bags("r1", "2", `7`), err: "Payment method not found: 7, " + u1Methods},
		{name: "list payment method", call: bags("r1", "3", `["card-u1"]`), err: "unhashable type: 'list'"},
		{name: "bags as text", call: bags("r1", `"3"`, `"card-u1"`), err: "unsupported operand type(s) for -: 'str' and 'int'"},
		{name: "unknown reservation", call: bags("r9", "3", `"card-u1"`), err: "Reservation r9 not found"},
		{name: "unknown owner", call: bags("r3", "3", `"card-u1"`), err: "User ghost not found"},
		{name: "missing payment", call: step{"update_reservation_bags", `{"reservation_id": "r1", "total_bags": 3}`},
			err: "RailwayTools.update_reservation_bags() missing 1 required positional argument: 'payment_id'"},
	})
}

func TestUpdateReservationBikes(t *testing.T) {
	bikes := func(res, n, pay string) step {
		return step{"update_reservation_bikes", `{"reservation_id": "` + res + `", "bikes": ` + n + `, "payment_id": "` + pay + `"}`}
	}
	runCases(t, []toolCase{
		{name: "charge wallet", call: bikes("r1", "2", "wallet-u1"), want: []string{`"bikes": 2,`},
			check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 480)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": 20.0}]`)(t, db)
			}},
		{name: "negative bikes refund", call: bikes("r1", "-1", "card-u1"), want: []string{`"bikes": -1,`},
			check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": -10.0}]`)},
		{name: "defaulted bikes", call: bikes("r2", "1", "wallet-u2"), check: wantWallet("u2", "wallet-u2", 0)},
		{name: "wallet short", call: bikes("r2", "2", "wallet-u2"), err: "Wallet balance is not enough"},
		{name: "bikes as text", call: bikes("r1", `"2"`, "card-u1"), err: "unsupported operand type(s) for -: 'str' and 'int'"},
		{name: "stored float bikes", setup: []step{bikes("r1", "0.5", "card-u1")}, call: bikes("r1", `null`, "card-u1"),
			err: "unsupported operand type(s) for -: 'NoneType' and 'float'"},
		{name: "unknown payment method", call: bikes("r1", "1", "nope"), err: "Payment method not found: nope, " + u1Methods},
		{name: "unknown reservation", call: bikes("r9", "1", "card-u1"), err: "Reservation r9 not found"},
		{name: "unknown owner", call: bikes("r3", "1", "card-u1"), err: "User ghost not found"},
	})
}

func TestUpdateReservationTrains(t *testing.T) {
	trains := func(res, class, list, pay string) step {
		return step{"update_reservation_trains", `{"reservation_id": "` + res + `", "travel_class": ` + class + `, "trains": ` + list + `, "payment_id": "` + pay + `"}`}
	}
	hs3 := `[{"train_number": "hs 3", "date": "2025-09-01"}]`
	runCases(t, []toolCase{
		// r1: gold, 2 passengers, stored price 65. hs 3 first class: (300 − 130) × 0.9 = 153.0.
		{name: "charge wallet", call: trains("r1", `"first_class"`, hs3, "wallet-u1"),
			want: []string{`"origin": "alpha", "destination": "bravo", "trip_type": "one_way", "trains": [{"origin": "alpha", "destination": "charlie", "train_number": "hs 3", "date": "2025-09-01", "coach": "FC1", "seat_numbers": ["21", "22"], "price": 150}]`},
			check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 347)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": 153.0}]`)(t, db)
			}},
		// r 4 regional ac_2_tier: (80 − 130) × 0.9 = −45.0.
		{name: "refund", call: trains("r1", `"ac_2_tier"`, `[{"train_number": "r 4", "date": "2025-09-01"}]`, "wallet-u1"),
			check: func(t *testing.T, db *DB) {
				wantWallet("u1", "wallet-u1", 500)(t, db)
				wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "wallet-u1", "amount": -45.0}]`)(t, db)
			}},
		{name: "empty list refunds everything", call: trains("r1", `"no such class"`, `[]`, "card-u1"), want: []string{`"trains": []`},
			check: wantHistory("r1", `[{"payment_id": "card-u1", "amount": 117.0}, {"payment_id": "card-u1", "amount": -117.0}]`)},
		// r2: silver, 1 passenger, stored 150. hs 3 + ic 1 in ac_2_tier: (155 − 150) × 0.95 = 4.75.
		{name: "wallet cents", call: trains("r2", `"ac_2_tier"`, `[{"train_number": "hs 3", "date": "2025-09-01"}, {"train_number": "ic 1", "date": "2025-09-01"}]`, "wallet-u2"),
			err: "Wallet payments must be whole dollars"},
		{name: "card cents", call: trains("r2", `"ac_2_tier"`, `[{"train_number": "hs 3", "date": "2025-09-01"}, {"train_number": "ic 1", "date": "2025-09-01"}]`, "card-u2"),
			check: wantHistory("r2", `[{"payment_id": "card-u2", "amount": 152.5}, {"payment_id": "card-u2", "amount": 4.75}]`)},
		// (120 + 50 − 150) × 0.95 = 19.0
		{name: "wallet short", call: trains("r2", `"sleeper"`, `[{"train_number": "hs 3", "date": "2025-09-01"}, {"train_number": "ic 2", "date": "2025-09-01"}]`, "wallet-u2"),
			err: "Wallet balance is not enough"},
		{name: "cancelled train", call: trains("r1", `"sleeper"`, `[{"train_number": "ic 1", "date": "2025-09-03"}]`, "card-u1"), err: "Train ic 1 is cancelled on 2025-09-03"},
		{name: "unknown train", call: trains("r1", `"sleeper"`, `[{"train_number": "zz", "date": "2025-09-03"}]`, "card-u1"), err: "Train zz not found"},
		{name: "unknown date", call: trains("r1", `"sleeper"`, `[{"train_number": "ic 1", "date": "2025-09-30"}]`, "card-u1"), err: "Train ic 1 not found on date 2025-09-30"},
		{name: "unknown class", call: trains("r1", `"economy"`, hs3, "card-u1"), err: "'economy'"},
		{name: "null class", call: trains("r1", `null`, hs3, "card-u1"), err: "None"},
		{name: "train info missing number", call: trains("r9", `"sleeper"`, `[{"date": "2025-09-01"}]`, "card-u1"), err: "1 validation error for TrainInfo"},
		{name: "trains not iterable", call: trains("r1", `"sleeper"`, `true`, "card-u1"), err: "'bool' object is not iterable"},
		{name: "trains as text", call: trains("r1", `"sleeper"`, `"hs 3"`, "card-u1"), err: "'str' object has no attribute 'train_number'"},
		{name: "unknown payment method", call: trains("r1", `"first_class"`, hs3, "nope"), err: "Payment method not found: nope, " + u1Methods},
		{name: "unknown reservation", call: trains("r9", `"first_class"`, hs3, "card-u1"), err: "Reservation r9 not found"},
		{name: "unknown owner", call: trains("r3", `"first_class"`, hs3, "card-u1"), err: "User ghost not found"},
	})
}

func TestUpdateReservationPassengers(t *testing.T) {
	pax := func(res, list string) step {
		return step{"update_reservation_passengers", `{"reservation_id": "` + res + `", "passengers": ` + list + `}`}
	}
	two := `[{"first_name": "ana", "last_name": "silva-lee", "dob": "1980-01-02", "x": 1}, {"first_name": "rui", "last_name": "silva", "dob": "1982-03-04"}]`
	runCases(t, []toolCase{
		{name: "success", call: pax("r1", two),
			want: []string{`"passengers": [{"first_name": "ana", "last_name": "silva-lee", "dob": "1980-01-02"}, {"first_name": "rui", "last_name": "silva", "dob": "1982-03-04"}]`,
				`"seat_numbers": ["21", "22"]`, `"payment_history": [{"payment_id": "card-u1", "amount": 117.0}]`}},
		{name: "count differs", call: pax("r2", two), err: "Number of passengers does not match"},
		{name: "passenger missing dob", call: pax("r1", `[{"first_name": "a", "last_name": "b"}]`), err: "1 validation error for Passenger"},
		{name: "not iterable", call: pax("r1", `3`), err: "'int' object is not iterable"},
		{name: "unknown reservation", call: pax("r9", two), err: "Reservation r9 not found"},
		// A list that is not all dicts is stored unvalidated; later tools count it.
		{name: "raw list stored as given", call: pax("r1", `["x", {"first_name": "y"}]`),
			want: []string{`"passengers": ["x", {"first_name": "y"}]`},
			check: func(t *testing.T, db *DB) {
				if n := pyLen(reservation(t, db, "r1").Passengers); n != 2 {
					t.Errorf("stored passengers count %d; want 2", n)
				}
			}},
		{name: "text counts its characters", setup: []step{pax("r1", `"ab"`)}, call: step{"update_reservation_bags", `{"reservation_id": "r1", "total_bags": 3, "payment_id": "card-u1"}`},
			want: []string{`"passengers": "ab"`, `{"payment_id": "card-u1", "amount": 15.0}`}},
	})
}

func TestAddWalletFunds(t *testing.T) {
	fund := func(userID, amount string) step {
		return step{"add_wallet_funds", `{"user_id": ` + userID + `, "amount": ` + amount + `}`}
	}
	runCases(t, []toolCase{
		{name: "success", call: fund(`"u1"`, "50"), exact: "Wallet wallet-u1 funded with $50. New balance: $550", check: wantWallet("u1", "wallet-u1", 550)},
		{name: "true adds one", call: fund(`"u1"`, "true"), exact: "Wallet wallet-u1 funded with $True. New balance: $501", check: wantWallet("u1", "wallet-u1", 501)},
		{name: "creates a wallet", call: fund(`"u3"`, "20"), exact: "Wallet wallet_1001 funded with $20. New balance: $20",
			check: func(t *testing.T, db *DB) {
				u := user(t, db, "u3")
				if got := u.PaymentMethods.Keys(); !slices.Equal(got, []string{"card-u3", "pp-u3", "wallet_1001"}) {
					t.Errorf("u3 methods = %v", got)
				}
				if got := encoded(t, u.PaymentMethods); !strings.Contains(got, `"wallet_1001": {"source": "wallet", "id": "wallet_1001", "extra_info": {"amount": 20}}`) {
					t.Errorf("new wallet: %s", got)
				}
			}},
		{name: "huge amount", call: fund(`"u1"`, "100000000000000000000"), exact: "Wallet wallet-u1 funded with $100000000000000000000. New balance: $100000000000000000500"},
		{name: "float amount", call: fund(`"u1"`, "50.0"), err: "Amount must be a positive integer (whole dollars)"},
		{name: "zero", call: fund(`"u1"`, "0"), err: "Amount must be a positive integer (whole dollars)"},
		{name: "false", call: fund(`"u1"`, "false"), err: "Amount must be a positive integer (whole dollars)"},
		{name: "text amount", call: fund(`"u1"`, `"50"`), err: "Amount must be a positive integer (whole dollars)"},
		{name: "amount checked before the user", call: fund(`"nobody"`, "-5"), err: "Amount must be a positive integer (whole dollars)"},
		{name: "unknown user", call: fund(`"nobody"`, "5"), err: "User nobody not found"},
		{name: "too many wallets", call: fund(`"u4"`, "5"), err: "Too many wallets",
			check: func(t *testing.T, db *DB) {
				if n := user(t, db, "u4").PaymentMethods.Len(); n != 3 {
					t.Errorf("u4 has %d methods", n)
				}
			}},
		{name: "statistics count bookings", setup: []step{book()}, call: step{"get_db_statistics", `{}`},
			exact: `{"num_trains": "4", "num_train_instances": "7", "num_users": "4", "num_reservations": "4"}`},
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
