package railway

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

func generated(t testing.TB, seed int64, scale int) *DB {
	t.Helper()
	db, err := Generate(domains.Rand(seed, "railway", 0, "db"), scale)
	if err != nil {
		t.Fatal(err)
	}
	return db.(*DB)
}

func TestGenerateScale(t *testing.T) {
	for _, scale := range []int{1, 3} {
		db := generated(t, 7, scale)
		for name, got := range map[string][2]int{
			"trains": {db.Trains.Len(), 203}, "users": {db.Users.Len(), 105}, "reservations": {db.Reservations.Len(), 142},
		} {
			if got[0] != got[1]*scale {
				t.Errorf("scale %d: %d %s; want %d", scale, got[0], name, got[1]*scale)
			}
		}
	}
	if _, err := Generate(domains.Rand(1, "railway", 0, "db"), 0); err == nil {
		t.Errorf("scale 0 gave no error")
	}
}

// TestGeneratedConsistent checks the cross-table references, the payments and the
// coverage of every enum value and edge state the tools need.
func TestGeneratedConsistent(t *testing.T) {
	for _, tt := range []struct {
		seed  int64
		scale int
	}{{1, 1}, {2, 1}, {3, 1}, {4, 4}} {
		t.Run(fmt.Sprintf("seed%d/scale%d", tt.seed, tt.scale), func(t *testing.T) {
			db := generated(t, tt.seed, tt.scale)
			seen := map[string]bool{}
			for id, tr := range db.Trains.All() {
				if id != tr.TrainNumber {
					t.Errorf("train key %s holds %s", id, tr.TrainNumber)
				}
				if tr.ScheduledDepartureTimeLocal >= tr.ScheduledArrivalTimeLocal {
					t.Errorf("train %s leaves %s and arrives %s", id, tr.ScheduledDepartureTimeLocal, tr.ScheduledArrivalTimeLocal)
				}
				seen["service "+tr.ServiceType] = true
				for _, ds := range tr.Dates.All() {
					seen["date "+ds.Status] = true
					if ds.Status == cancelled {
						seen[fmt.Sprint("cancelled with platform ", ds.Platform != nil && *ds.Platform != "")] = true
					} else if ds.Platform == nil {
						t.Errorf("train %s: %s date without a platform", id, ds.Status)
					}
				}
			}
			pnrs := map[string]bool{}
			for id, r := range db.Reservations.All() {
				if id != r.ReservationID || strings.HasPrefix(id, "TRN") {
					t.Errorf("reservation key %s holds %s", id, r.ReservationID)
				}
				if pnrs[r.PNR] || strings.HasPrefix(r.PNR, "PNR") {
					t.Errorf("reservation %s: PNR %s repeated or from the pool", id, r.PNR)
				}
				pnrs[r.PNR] = true
				seen["trip "+r.TripType] = true
				seen["status "+r.Status] = true
				seen["meal "+r.MealPreference] = true
				seen["insurance "+r.Insurance] = true
				u, ok := db.Users.Get(r.UserID)
				if !ok {
					t.Fatalf("reservation %s: unknown user %s", id, r.UserID)
				}
				if n := countOf(u.Reservations, id); n != 1 {
					t.Errorf("user %s lists reservation %s %d times", u.UserID, id, n)
				}
				checkReservation(t, db, u, r, seen)
			}
			for id, u := range db.Users.All() {
				if id != u.UserID {
					t.Errorf("user key %s holds %s", id, u.UserID)
				}
				seen["membership "+u.Membership] = true
				wallets := 0
				for k, pm := range u.PaymentMethods.All() {
					if k != pm.ID || strings.HasPrefix(k, "wallet_100") {
						t.Errorf("user %s: method key %s holds %s", id, k, pm.ID)
					}
					seen["source "+pm.Source] = true
					if pm.Source == "wallet" {
						wallets++
						if balance(pm).Int64() < 15 {
							seen["tiny wallet"] = true
						}
					}
				}
				seen[fmt.Sprint("wallets ", wallets)] = true
				for _, rid := range u.Reservations {
					if r, ok := db.Reservations.Get(rid); !ok || r.UserID != id {
						t.Errorf("user %s lists reservation %s of another user", id, rid)
					}
				}
			}
			for _, want := range []string{"service high_speed", "service express", "service regional",
				"date on time", "date delayed", "date cancelled", "cancelled with platform true", "cancelled with platform false",
				"trip one_way", "trip round_trip", "trip multi_city", "status confirmed", "status waitlisted", "status cancelled",
				"meal veg", "meal non_veg", "meal none", "insurance yes", "insurance no",
				"membership gold", "membership silver", "membership regular", "source card", "source wallet", "source other",
				"wallets 0", "wallets 1", "tiny wallet", "rides a cancelled train", "wallet payment", "class sleeper",
				"class ac_2_tier", "class first_class"} {
				if !seen[want] {
					t.Errorf("no %s", want)
				}
			}
		})
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// checkReservation checks that a reservation's segments ride existing trains with the
// fare-table price of one class, that its route is continuous and that its payments come
// from the owner's methods and add up to the price (or to zero once cancelled).
func checkReservation(t *testing.T, db *DB, u *RailUser, r *TrainReservation, seen map[string]bool) {
	t.Helper()
	n := pyLen(r.Passengers)
	var fare int64
	for i, s := range r.Trains {
		tr, ok := db.Trains.Get(s.TrainNumber)
		if !ok {
			t.Fatalf("reservation %s: unknown train %s", r.ReservationID, s.TrainNumber)
		}
		ds, ok := tr.Dates.Get(s.Date)
		if !ok {
			t.Fatalf("reservation %s: train %s does not run on %s", r.ReservationID, s.TrainNumber, s.Date)
		}
		if ds.Status == cancelled {
			seen["rides a cancelled train"] = true
		}
		if s.Origin != tr.Origin || s.Destination != tr.Destination || len(s.SeatNumbers) != n {
			t.Errorf("reservation %s segment %d does not match its train or passengers", r.ReservationID, i)
		}
		if i > 0 && (s.Origin != r.Trains[i-1].Destination || s.Date < r.Trains[i-1].Date) {
			t.Errorf("reservation %s: segment %d does not continue the trip", r.ReservationID, i)
		}
		for class, price := range fares[tr.ServiceType] {
			if price == s.Price && strings.HasPrefix(s.Coach, coachLetter[class]) {
				seen["class "+class] = true
			}
		}
		fare += s.Price * int64(n)
	}
	if r.Origin != r.Trains[0].Origin {
		t.Errorf("reservation %s starts at %s, its first train at %s", r.ReservationID, r.Origin, r.Trains[0].Origin)
	}
	bags, bikes := r.TotalBags.(int64), r.Bikes.(int64)
	total := discount(fare, u.Membership) + float64(15*max(0, bags-int64(n))+10*bikes)
	if r.Insurance == "yes" {
		total += float64(20 * n)
	}
	var paid float64
	for _, p := range r.PaymentHistory {
		pm, ok := u.PaymentMethods.Get(p.PaymentID)
		if !ok {
			t.Errorf("reservation %s: payment %s is not a method of %s", r.ReservationID, p.PaymentID, u.UserID)
			continue
		}
		if pm.Source == "wallet" {
			seen["wallet payment"] = true
			if p.Amount != math.Trunc(p.Amount) {
				t.Errorf("reservation %s: wallet payment %v", r.ReservationID, p.Amount)
			}
		}
		paid += p.Amount
	}
	if r.Status == cancelled {
		total = 0
	}
	if math.Abs(paid-total) > 1e-6 {
		t.Errorf("reservation %s: paid %v; price %v", r.ReservationID, paid, total)
	}
}

// call runs a tool with arguments built as a dict.
func call(env *domains.Env, name string, pairs ...any) domains.Result {
	return env.Call(name, py.NewObject(pairs...))
}

func trainInfo(number, date string) []any {
	return []any{py.NewObject("train_number", number, "date", date)}
}

// TestGeneratedWriteTools runs every WRITE tool successfully on a generated database, and
// checks that its records also make the main preconditions fail.
func TestGeneratedWriteTools(t *testing.T) {
	db := generated(t, 5, 1)
	env := domains.NewEnv(Domain, db, domains.DefaultNow)
	edb := env.DB.(*DB)

	// Records to act on: a user with a card, one without a wallet, one with a tiny wallet
	// and a reservation, a running and a cancelled train date, a multi-passenger reservation.
	var richUser, noWallet, tinyUser, tinyWallet, tinyRes string
	var card string
	for id, u := range db.Users.All() {
		var hasWallet bool
		for k, pm := range u.PaymentMethods.All() {
			switch {
			case pm.Source == "wallet":
				hasWallet = true
				if balance(pm).Int64() < 15 && len(u.Reservations) > 0 && tinyUser == "" {
					tinyUser, tinyWallet, tinyRes = id, k, u.Reservations[0]
				}
			case pm.Source == "card" && richUser == "":
				richUser, card = id, k
			}
		}
		if !hasWallet && noWallet == "" {
			noWallet = id
		}
	}
	var running, stopped [2]string
	var service string
	for id, tr := range db.Trains.All() {
		for d, ds := range tr.Dates.All() {
			if ds.Status == cancelled && stopped[0] == "" {
				stopped = [2]string{id, d}
			}
			if ds.Status != cancelled && running[0] == "" {
				running, service = [2]string{id, d}, tr.ServiceType
			}
		}
	}
	if richUser == "" || noWallet == "" || tinyUser == "" || running[0] == "" || stopped[0] == "" {
		t.Fatalf("generated database lacks records: user %q, no wallet %q, tiny wallet %q, running %v, cancelled %v",
			richUser, noWallet, tinyUser, running, stopped)
	}
	u, _ := db.Users.Get(richUser)
	total := py.Round(discount(fares[service]["sleeper"], u.Membership), 2)
	pax := []any{py.NewObject("first_name", "ada", "last_name", "byron", "dob", "1990-12-10")}
	bookCall := func(train [2]string) domains.Result {
		return call(env, "book_train_reservation", "user_id", richUser, "origin", "a", "destination", "b",
			"trip_type", "one_way", "travel_class", "sleeper", "trains", trainInfo(train[0], train[1]), "passengers", pax,
			"payment_methods", []any{py.NewObject("payment_id", card, "amount", total)}, "total_bags", int64(1),
			"bikes", int64(0), "meal_preference", "none", "insurance", "no")
	}

	for _, tc := range []struct {
		name string
		r    func() domains.Result
		err  string // "" for success
	}{
		{"book", func() domains.Result { return bookCall(running) }, ""},
		{"book cancelled", func() domains.Result { return bookCall(stopped) },
			fmt.Sprintf("Train %s is cancelled on %s", stopped[0], stopped[1])},
		{"bags", func() domains.Result {
			return call(env, "update_reservation_bags", "reservation_id", "TRN001", "total_bags", int64(3), "payment_id", card)
		}, ""},
		{"bags tiny wallet", func() domains.Result {
			return call(env, "update_reservation_bags", "reservation_id", tinyRes, "total_bags", int64(9), "payment_id", tinyWallet)
		}, "Wallet balance is not enough"},
		{"bikes", func() domains.Result {
			return call(env, "update_reservation_bikes", "reservation_id", "TRN001", "bikes", int64(1), "payment_id", card)
		}, ""},
		{"bikes tiny wallet", func() domains.Result {
			return call(env, "update_reservation_bikes", "reservation_id", tinyRes, "bikes", int64(5), "payment_id", tinyWallet)
		}, "Wallet balance is not enough"},
		{"trains", func() domains.Result {
			return call(env, "update_reservation_trains", "reservation_id", "TRN001", "travel_class", "first_class",
				"trains", trainInfo(running[0], running[1]), "payment_id", card)
		}, ""},
		{"trains cancelled", func() domains.Result {
			return call(env, "update_reservation_trains", "reservation_id", "TRN001", "travel_class", "first_class",
				"trains", trainInfo(stopped[0], stopped[1]), "payment_id", card)
		}, fmt.Sprintf("Train %s is cancelled on %s", stopped[0], stopped[1])},
		{"passengers", func() domains.Result {
			return call(env, "update_reservation_passengers", "reservation_id", "TRN001", "passengers", pax)
		}, ""},
		{"passengers count", func() domains.Result {
			return call(env, "update_reservation_passengers", "reservation_id", "TRN001", "passengers", append(slices.Clone(pax), pax...))
		}, "Number of passengers does not match"},
		{"cancel", func() domains.Result { return call(env, "cancel_reservation", "reservation_id", "TRN001") }, ""},
		{"fund new wallet", func() domains.Result { return call(env, "add_wallet_funds", "user_id", noWallet, "amount", int64(40)) }, ""},
		{"fund existing wallet", func() domains.Result { return call(env, "add_wallet_funds", "user_id", tinyUser, "amount", int64(40)) }, ""},
	} {
		r := tc.r()
		switch {
		case tc.err == "" && !r.OK():
			t.Errorf("%s: %v", tc.name, r.Err)
		case tc.err != "" && (r.OK() || r.Err.Error() != tc.err):
			t.Errorf("%s: %s; want error %q", tc.name, r.Content, tc.err)
		}
	}
	if got := walletOf(t, edb, noWallet, "wallet_1001"); got != int64(40) {
		t.Errorf("new wallet of %s holds %v", noWallet, got)
	}
	if res := reservation(t, edb, "TRN001"); res.Status != cancelled || res.TotalBags != int64(3) || res.Bikes != int64(1) {
		t.Errorf("TRN001 after the changes: %s", encoded(t, res))
	}
}

// TestGeneratedConnections checks that the one-stop search finds itineraries in a
// generated network.
func TestGeneratedConnections(t *testing.T) {
	db := generated(t, 9, 1)
	env := domains.NewEnv(Domain, db, domains.DefaultNow)
	found := 0
	for tr := range db.Trains.Values() {
		for _, d := range tr.Dates.Keys() {
			for other := range db.Trains.Values() {
				if other.Origin != tr.Destination || other.Destination == tr.Origin {
					continue
				}
				r := call(env, "search_onestop_train", "origin", tr.Origin, "destination", other.Destination, "date", d)
				if !r.OK() {
					t.Fatal(r.Err)
				}
				if r.Content != "[]" {
					found++
				}
			}
		}
		if found > 3 {
			return
		}
	}
	t.Errorf("only %d one-stop searches found an itinerary", found)
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(domains.Rand(1, "railway", 0, "db"), 1); err != nil {
			b.Fatal(err)
		}
	}
}
