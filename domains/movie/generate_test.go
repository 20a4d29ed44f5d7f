package movie

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
	db, err := Generate(domains.Rand(seed, "movie", 0, "db"), scale)
	if err != nil {
		t.Fatal(err)
	}
	return db.(*DB)
}

func seatArgs(seats []BookedSeat) []any {
	out := make([]any, len(seats))
	for i, s := range seats {
		out[i] = py.NewObject("seat_id", s.SeatID, "ticket_type", s.TicketType)
	}
	return out
}

// TestGeneratedWrites checks that generated databases give every write tool a call that
// succeeds and records on which each of its checks fails.
func TestGeneratedWrites(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			db := generated(t, seed, 1)
			seen := map[string]bool{}
			try := func(name string, args *py.Object, outcome string) {
				t.Helper()
				r := domains.NewEnv(Domain, db, domains.DefaultNow).Call(name, args)
				switch {
				case outcome == "ok" && !r.OK():
					t.Errorf("%s: %s", name, clip(r.Content))
				case outcome != "ok" && r.Content != "Error: "+outcome && !(outcome == "not bookable" && !r.OK()):
					t.Errorf("%s: want %q, got %q", name, outcome, clip(r.Content))
				default:
					seen[name+": "+outcome] = true
				}
			}
			for id, b := range db.Bookings.All() {
				s, _, err := db.show(b.TheaterID, b.ShowID, nil)
				if err != nil {
					t.Fatalf("booking %s: %v", id, err)
				}
				switch {
				case b.Status == "confirmed" && s.Status == "scheduled":
					// The same seats again cost the same: the totals follow the formula
					// unless a promotion was applied.
					args := py.NewObject("booking_id", id, "seats", seatArgs(b.Seats))
					if len(b.PromotionsApplied) == 0 {
						try("update_booking_seats", args, "ok")
					}
					try("update_booking_seats", py.NewObject("booking_id", id, "seats", seatArgs(b.Seats[:len(b.Seats)-1])), "ok")
					try("cancel_booking", py.NewObject("booking_id", id), "ok")
				case b.Status == "confirmed":
					try("update_booking_seats", py.NewObject("booking_id", id, "seats", seatArgs(b.Seats)), "not bookable")
					try("cancel_booking", py.NewObject("booking_id", id), "ok")
				default:
					try("update_booking_seats", py.NewObject("booking_id", id, "seats", seatArgs(b.Seats)), fmt.Sprintf("Only confirmed bookings can be updated (status=%s)", b.Status))
				}
			}
			// Book the first free seat of every scheduled show, paying the previewed total.
			for tid, th := range db.Theaters.All() {
				for day := range th.Dates.Values() {
					for _, s := range day.Shows {
						seats := []any{}
						aud, _ := th.Auditoriums.Get(s.AuditoriumID)
						booked := db.bookedSeats(tid, s.ShowID)
						free, _ := seatIDs(aud).minus(booked).sorted()
						if len(free) > 0 {
							seats = append(seats, py.NewObject("seat_id", free[0], "ticket_type", "adult"))
						}
						args := func(amount any) *py.Object {
							return py.NewObject("theater_id", tid, "show_id", s.ShowID,
								"customer", py.NewObject("name", py.NewObject("first_name", "Ana", "last_name", "Silva"), "email", "ana@example.com", "phone", "+1 555 0100"),
								"seats", seats, "delivery_method", "e-ticket",
								"payments", []any{py.NewObject("payment_id", "P1", "amount", amount, "method", py.NewObject("source", "card", "payment_method_id", "pm-1"), "created_at", now)})
						}
						if s.Status != "scheduled" {
							try("create_booking", args(1.0), fmt.Sprintf("Show %s is not available for booking (status=%s)", s.ShowID, s.Status))
							continue
						}
						env := domains.NewEnv(Domain, db, domains.DefaultNow)
						q := env.Call("price_preview", py.NewObject("theater_id", tid, "show_id", s.ShowID, "seats", seats))
						if !q.OK() {
							t.Fatalf("price_preview: %s", q.Content)
						}
						grand, _ := q.Output.(*py.Object).Get("grand_total")
						try("create_booking", args(grand), "ok")
						if booked.len() > 0 {
							taken, _ := booked.sorted()
							seats = []any{py.NewObject("seat_id", taken[0], "ticket_type", "adult")}
							try("create_booking", args(grand), fmt.Sprintf("Seats not available: ['%s']", taken[0]))
						}
					}
				}
			}
			for _, want := range []string{
				"update_booking_seats: ok", "update_booking_seats: not bookable", "update_booking_seats: Only confirmed bookings can be updated (status=pending)",
				"update_booking_seats: Only confirmed bookings can be updated (status=canceled)", "update_booking_seats: Only confirmed bookings can be updated (status=refunded)",
				"cancel_booking: ok", "create_booking: ok",
			} {
				if !seen[want] {
					t.Errorf("no generated record gives %q", want)
				}
			}
			var taken, unscheduled bool
			for k := range seen {
				taken = taken || strings.HasPrefix(k, "create_booking: Seats not available")
				unscheduled = unscheduled || strings.HasPrefix(k, "create_booking: Show ")
			}
			if !taken || !unscheduled {
				t.Errorf("missing create_booking failures: seats taken %v, show not scheduled %v", taken, unscheduled)
			}
		})
	}
}

// TestGeneratedConsistency checks the cross-table references of a generated database.
func TestGeneratedConsistency(t *testing.T) {
	db := generated(t, 5, 2)
	counts, _ := domains.Counts(db)
	if counts["movies"] != 102 || counts["theaters"] != 102 || counts["bookings"] != 102 {
		t.Errorf("counts at scale 2: %v", counts)
	}
	showIDs := map[string]bool{}
	for tid, th := range db.Theaters.All() {
		for date, day := range th.Dates.All() {
			for _, s := range day.Shows {
				if showIDs[s.ShowID] {
					t.Errorf("show id %s repeated", s.ShowID)
				}
				showIDs[s.ShowID] = true
				if s.StartTimeLocal[:8] != date {
					t.Errorf("show %s starts %s, filed under %s", s.ShowID, s.StartTimeLocal, date)
				}
				if _, ok := db.Movies.Get(s.MovieID); !ok {
					t.Errorf("show %s: no movie %s", s.ShowID, s.MovieID)
				}
				if _, ok := th.Auditoriums.Get(s.AuditoriumID); !ok {
					t.Errorf("theater %s: show %s in unknown auditorium", tid, s.ShowID)
				}
			}
		}
	}
	held := map[string]bool{}
	for id, b := range db.Bookings.All() {
		if len(id) != 7 || id == "BKG001" {
			t.Errorf("booking id %q", id)
		}
		s, date, err := db.show(b.TheaterID, b.ShowID, nil)
		if err != nil {
			t.Fatalf("booking %s: %v", id, err)
		}
		if b.Date != date || b.MovieID != s.MovieID || b.StartTimeLocal != s.StartTimeLocal {
			t.Errorf("booking %s does not match its show", id)
		}
		paid := 0.0
		for _, p := range b.PaymentHistory {
			paid += p.Amount
		}
		if py.Round(paid, 2) != b.Totals.AmountPaid {
			t.Errorf("booking %s: payments %v, amount_paid %v", id, paid, b.Totals.AmountPaid)
		}
		if b.Status != "confirmed" {
			continue
		}
		for _, seat := range b.Seats {
			k := b.ShowID + "/" + seat.SeatID
			if held[k] {
				t.Errorf("seat %s held twice", k)
			}
			held[k] = true
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(domains.Rand(1, "movie", 0, "db"), 1); err != nil {
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
