package travel

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

func generated(t testing.TB, seed int64, scale int) *DB {
	t.Helper()
	db, err := Generate(domains.Rand(seed, "travel", 0, "db"), scale)
	if err != nil {
		t.Fatal(err)
	}
	return db.(*DB)
}

func TestGeneratedConsistent(t *testing.T) {
	for _, scale := range []int{1, 3} {
		t.Run(fmt.Sprint("scale", scale), func(t *testing.T) {
			db := generated(t, 11, scale)
			if db.Packages.Len() != 87*scale || db.Travelers.Len() != 87*scale || db.Agents.Len() != 87*scale {
				t.Errorf("%d packages, %d travelers, %d agents; want %d each", db.Packages.Len(), db.Travelers.Len(), db.Agents.Len(), 87*scale)
			}
			seen := map[string]bool{}
			for id, p := range db.Packages.All() {
				if p.PackageID != id || len(p.ManagedByAgents) == 0 || p.Departures.Len() < 2 {
					t.Errorf("package %s: id %s, %d managers, %d departures", id, p.PackageID, len(p.ManagedByAgents), p.Departures.Len())
				}
				for _, a := range p.ManagedByAgents {
					ag, ok := db.Agents.Get(a)
					if !ok || !slices.Contains(ag.ManagedPackages, id) {
						t.Errorf("package %s managed by %s, who does not list it", id, a)
					}
				}
				for date, d := range p.Departures.All() {
					seen["departure "+d.Status] = true
					if (d.Status == "sold_out") != (d.AvailableSlots == 0) || len(date) != 8 {
						t.Errorf("package %s departure %s: %+v", id, date, d)
					}
				}
			}
			ids := map[string]bool{}
			methodless := false
			for id, tr := range db.Travelers.All() {
				methodless = methodless || tr.PaymentMethods.Len() == 0
				for _, b := range tr.Bookings {
					seen["booking "+b.Status] = true
					if ids[b.BookingID] || strings.HasPrefix(b.BookingID, "TAU") {
						t.Errorf("booking id %s repeated or from the TAU pool", b.BookingID)
					}
					ids[b.BookingID] = true
					p, ok := db.Packages.Get(b.PackageID)
					if !ok {
						t.Fatalf("booking %s of unknown package %s", b.BookingID, b.PackageID)
					}
					if _, ok := p.Departures.Get(b.DepartureDate); !ok {
						t.Errorf("booking %s on %s, not a departure of %s", b.BookingID, b.DepartureDate, b.PackageID)
					}
					a, ok := db.Agents.Get(b.AgentID)
					if !ok || !slices.Contains(a.BookingsHandled, b.BookingID) || !slices.Contains(a.AssignedTravelers, id) {
						t.Errorf("booking %s: agent %s does not list it or its traveler", b.BookingID, b.AgentID)
					}
					var paid float64
					for _, pay := range b.PaymentHistory {
						paid += pay.Amount
					}
					switch b.Status {
					case "confirmed":
						if py.Round(paid, 2) != b.TotalPrice {
							t.Errorf("booking %s: paid %v of %v", b.BookingID, paid, b.TotalPrice)
						}
					case "cancelled":
						if py.Round(paid, 2) != 0 {
							t.Errorf("cancelled booking %s keeps %v paid", b.BookingID, paid)
						}
					}
					n, _ := pyLen(b.Travelers)
					if n < 1 || b.Rooming.(RoomingInfo).Occupancy != int64(n) {
						t.Errorf("booking %s: %d travelers, rooming %+v", b.BookingID, n, b.Rooming)
					}
				}
			}
			for _, want := range []string{"departure available", "departure sold_out", "departure limited", "booking confirmed", "booking pending", "booking cancelled"} {
				if !seen[want] {
					t.Errorf("no record with %s", want)
				}
			}
			if !methodless {
				t.Error("every traveler has a payment method")
			}
			for a := range db.Agents.Values() {
				free := false
				for d := range a.Availability.Values() {
					free = free || len(d.Slots) > 0
				}
				if !free {
					t.Errorf("agent %s has no free slot", a.AgentID)
				}
			}
		})
	}
}

// TestGeneratedWriteTools runs every WRITE tool successfully on generated databases, and
// each data-dependent precondition into its error.
func TestGeneratedWriteTools(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		db := generated(t, seed, 1)
		pkgs := db.Packages.Keys()
		roomy, _ := db.Packages.Get(pkgs[0])
		soldOut, _ := db.Packages.Get(pkgs[1])
		limited, _ := db.Packages.Get(pkgs[2])
		single, _ := db.Packages.Get(pkgs[3])
		travelers := db.Travelers.Keys()
		t0, _ := db.Travelers.Get(travelers[0])
		t1, _ := db.Travelers.Get(travelers[1])
		t2, _ := db.Travelers.Get(travelers[2])
		method := t0.PaymentMethods.Keys()[0]
		b0, b1 := t0.Bookings[0], t1.Bookings[0]
		date := func(p *Package, i int) string { return p.Departures.Keys()[i] }
		base := func(p *Package, i int) float64 { d, _ := p.Departures.Get(date(p, i)); return d.BasePrice }
		bookArgs := func(traveler string, p *Package, i, n int, amount float64) string {
			people := make([]string, n)
			for k := range people {
				people[k] = `{"first_name": "A", "last_name": "B", "dob": "90-01-01"}`
			}
			return fmt.Sprintf(`{"traveler_id": %q, "package_id": %q, "departure_date": %q, "travelers": [%s], "rooming": {"room_type": "double", "occupancy": %d}, "add_ons": [], "insurance": null, "payment_methods": [{"payment_id": %q, "amount": %s}]}`,
				traveler, p.PackageID, date(p, i), strings.Join(people, ", "), n, method, py.FormatFloat(amount))
		}
		var agentID, day, slot string
		for a := range db.Agents.Values() {
			for d, av := range a.Availability.All() {
				if len(av.Slots) > 0 && agentID == "" {
					agentID, day, slot = a.AgentID, d, av.Slots[0]
				}
			}
		}
		calls := []step{
			{"book_package", bookArgs(t0.TravelerID, roomy, 1, 2, 2*base(roomy, 1))},
			{"update_booking_add_ons", fmt.Sprintf(`{"booking_id": %q, "add_ons": [{"type": "transfer", "description": "Airport pick-up", "price": 45.5}], "payment_method_id": %q}`, b0.BookingID, method)},
			{"update_booking_departure_date", fmt.Sprintf(`{"booking_id": %q, "new_departure_date": %q, "payment_method_id": %q}`, b0.BookingID, date(roomy, 1), method)},
			{"update_booking_travelers", fmt.Sprintf(`{"booking_id": %q, "travelers": [{"first_name": "A", "last_name": "B", "dob": "90-01-01"}, {"first_name": "C", "last_name": "D", "dob": "91-01-01"}]}`, b0.BookingID)},
			{"update_booking_rooming", fmt.Sprintf(`{"booking_id": %q, "rooming": {"room_type": "suite", "occupancy": 2}}`, b0.BookingID)},
			{"cancel_booking", fmt.Sprintf(`{"booking_id": %q}`, b1.BookingID)},
			{"schedule_agent_meeting", fmt.Sprintf(`{"agent_id": %q, "date": %q, "time_range": %q, "traveler_id": %q}`, agentID, day, slot, t2.TravelerID)},
		}
		tested := map[string]bool{}
		for _, c := range calls {
			if err := Domain.Tool(c.Name()).Validate(mustParse(t, c.Args()).(*py.Object)); err != nil {
				t.Errorf("seed %d: %s arguments do not fit the schema: %v", seed, c.Name(), err)
			}
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			if r := domaintest.Call(t, env, c); !r.OK() {
				t.Errorf("seed %d: %s failed: %v", seed, c.Name(), r.Err)
			}
			tested[c.Name()] = true
		}
		for _, tool := range Domain.Tools {
			if tool.Kind == domains.Write && !tested[tool.Name] {
				t.Errorf("WRITE tool %s not exercised", tool.Name)
			}
		}
		for _, tt := range []struct {
			call step
			want string
		}{
			{step{"book_package", bookArgs(t0.TravelerID, soldOut, 2, 1, base(soldOut, 2))},
				fmt.Sprintf("Departure on %s for package %s is not available", date(soldOut, 2), soldOut.PackageID)},
			{step{"book_package", bookArgs(t0.TravelerID, limited, 1, 1, base(limited, 1))},
				fmt.Sprintf("Departure on %s for package %s is not available", date(limited, 1), limited.PackageID)},
			{step{"book_package", bookArgs(t0.TravelerID, single, 0, 2, 2*base(single, 0))},
				fmt.Sprintf("Not enough slots on %s. Needed 2, available 1", date(single, 0))},
			{step{"book_package", bookArgs(t2.TravelerID, roomy, 1, 1, base(roomy, 1))}, fmt.Sprintf("Payment method %s not found for traveler", method)},
			{step{"update_booking_add_ons", fmt.Sprintf(`{"booking_id": %q, "add_ons": [], "payment_method_id": %q}`, b1.BookingID, t1.PaymentMethods.Keys()[0])},
				fmt.Sprintf("Departure on %s for package %s is not available", date(soldOut, 2), soldOut.PackageID)},
			{step{"update_booking_travelers", fmt.Sprintf(`{"booking_id": %q, "travelers": []}`, b0.BookingID)}, "Number of travelers does not match current booking"},
		} {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			if r := domaintest.Call(t, env, tt.call); r.OK() || r.Err.Error() != tt.want {
				t.Errorf("seed %d: %s: %s; want %s", seed, tt.call.Name(), r.Content, tt.want)
			}
		}
	}
}

func mustParse(t *testing.T, s string) any {
	t.Helper()
	v, err := py.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(domains.Rand(1, "travel", 0, "db"), 1); err != nil {
			b.Fatal(err)
		}
	}
}
