package railway

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// Generate builds a railway database from r: about 203×scale trains, 105×scale users and
// 142×scale reservations, spread over ten national networks, consistent across tables.
//
// Trains of a network share a few service days, so same-day one-stop connections exist;
// every service type and date status appears in every network, and some cancelled dates
// keep a platform, some have none. Users hold a card and usually a wallet; in every network
// one user has no wallet (add_wallet_funds creates one), one a wallet too small for any
// charge and one an "other" method, and the first three users are gold, silver and
// regular. Reservations point at real trains and dates, priced from the fare table, with
// payments from the owner's methods that add up to the total; every trip type, status,
// meal preference and insurance choice appears, and some reservations ride a train on a
// date it is cancelled. No id comes from the pools the tools hand out (TRN001…,
// PNR1AA…, wallet_1001…).
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("railway: generate: scale %d, want at least 1", scale)
	}
	g := &generator{r: r, numbers: map[string]bool{}, pnrs: map[string]bool{}}
	db := &DB{
		Trains:       &domains.Table[Train]{},
		Users:        &domains.Table[RailUser]{},
		Reservations: &domains.Table[TrainReservation]{},
	}
	share := func(total, i int) int {
		n := total / len(regions)
		if i < total%len(regions) {
			n++
		}
		return n
	}
	nets := make([]*network, len(regions))
	for i := range regions {
		nets[i] = g.network(&regions[i], share(203*scale, i))
		for _, t := range nets[i].trains {
			db.Trains.Put(t.TrainNumber, t)
		}
	}
	for i, net := range nets {
		users := g.users(net, share(105*scale, i))
		reservations := g.reservations(net, users, share(142*scale, i))
		for _, u := range users {
			db.Users.Put(u.UserID, u)
		}
		for _, res := range reservations {
			db.Reservations.Put(res.ReservationID, res)
		}
	}
	if err := domains.Freeze(db); err != nil {
		return nil, fmt.Errorf("railway: generate: %w", err)
	}
	return db, nil
}

type generator struct {
	r       *rand.Rand
	numbers map[string]bool // train numbers handed out
	pnrs    map[string]bool
}

// network is a region's generated trains and their service days.
type network struct {
	reg    *region
	days   []string // YYYY-MM-DD, sorted
	trains []*Train
	from   map[string][]*Train // by origin, in generation order
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// pattern fills the '#' of a zip pattern with digits.
func (g *generator) pattern(p string) string {
	var b strings.Builder
	for _, c := range p {
		if c == '#' {
			b.WriteByte(byte('0' + g.r.IntN(10)))
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// firstDay and travelDays bound the travel dates, as in the reference data.
var firstDay = time.Date(2025, 8, 20, 0, 0, 0, 0, time.UTC)

const travelDays = 125 // through 2025-12-22

func day(offset int) string { return firstDay.AddDate(0, 0, offset).Format(time.DateOnly) }

// clock writes minutes after midnight as HH:MM, within the day.
func clock(m int) string {
	m = max(0, min(m, 23*60+59))
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// network makes n trains of a region running on a handful of shared service days.
func (g *generator) network(reg *region, n int) *network {
	net := &network{reg: reg, from: map[string][]*Train{}}
	start := g.r.IntN(travelDays - 40)
	for _, off := range g.r.Perm(40)[:8] {
		net.days = append(net.days, day(start+off))
	}
	slices.Sort(net.days)
	var back *Train
	for i := 0; i < n; i++ {
		st := g.r.IntN(3)
		if i < 3 {
			st = i // every service type in every network
		}
		var t *Train
		if back != nil { // the return working of the previous train
			t, back = back, nil
		} else {
			t = g.train(reg, net, st, "", "")
			if i >= 3 && g.chance(0.4) {
				back = g.train(reg, net, st, t.Destination, t.Origin)
				back.Dates = domains.Map[*DateStatus]{} // it runs on the same days
				for _, d := range t.Dates.Keys() {
					back.Dates.Set(d, g.dateStatus(statuses[g.r.IntN(len(statuses))], back))
				}
			}
		}
		// Every date status in every network: the first date of the first three trains.
		if i < 3 {
			first := t.Dates.Keys()[0]
			ds, _ := t.Dates.Get(first)
			*ds = *g.dateStatus([]string{onTime, delayed, cancelled}[i], t)
		}
		net.trains = append(net.trains, t)
		net.from[t.Origin] = append(net.from[t.Origin], t)
	}
	return net
}

var (
	durations = [3][2]int{{60, 240}, {120, 420}, {30, 180}} // minutes, by service type
	statuses  = []string{onTime, onTime, onTime, onTime, onTime, delayed, delayed, cancelled}
)

// train makes a train of service type st between origin and dest, or on a route drawn
// from the network (half of them touching its hub) when origin is empty.
func (g *generator) train(reg *region, net *network, st int, origin, dest string) *Train {
	ln := reg.lines[st]
	// Draw from the line's range; at large scales a crowded range widens until a number
	// is free.
	var number string
	for span, tries := ln.hi-ln.lo+1, 0; number == "" || g.numbers[number]; tries++ {
		if tries >= 8 {
			span *= 2
		}
		number = ln.prefix + strconv.Itoa(ln.lo+g.r.IntN(span))
	}
	g.numbers[number] = true
	if origin == "" {
		origin = reg.stations[0]
		if g.chance(0.5) {
			origin = g.pick(reg.stations)
		}
		dest = origin
		for dest == origin {
			dest = g.pick(reg.stations)
		}
		if g.chance(0.5) {
			origin, dest = dest, origin
		}
	}
	d := durations[st]
	dur := d[0] + 5*g.r.IntN((d[1]-d[0])/5+1)
	dep := 5*60 + 5*g.r.IntN(200)
	if dep+dur > 23*60+55 {
		dep = 23*60 + 55 - dur
	}
	t := &Train{
		Origin: origin, Destination: dest, TrainNumber: number, TrainName: g.pick(ln.names),
		ServiceType:                 serviceTypes[st],
		ScheduledDepartureTimeLocal: clock(dep), ScheduledArrivalTimeLocal: clock(dep + dur),
	}
	days := g.r.Perm(len(net.days))[:1+g.r.IntN(4)]
	slices.Sort(days)
	for _, i := range days {
		t.Dates.Set(net.days[i], g.dateStatus(statuses[g.r.IntN(len(statuses))], t))
	}
	return t
}

// minutes reads an HH:MM time.
func minutes(hhmm string) int {
	h, _ := strconv.Atoi(hhmm[:2])
	m, _ := strconv.Atoi(hhmm[3:5])
	return h*60 + m
}

func strPtr(s string) *string { return &s }

func (g *generator) dateStatus(status string, t *Train) *DateStatus {
	dep, arr := minutes(t.ScheduledDepartureTimeLocal), minutes(t.ScheduledArrivalTimeLocal)
	ds := &DateStatus{Status: status}
	switch status {
	case onTime:
		ds.Platform = strPtr(g.platform())
		ds.ActualDepartureTimeLocal = strPtr(clock(dep + g.r.IntN(3)))
		ds.ActualArrivalTimeLocal = strPtr(clock(arr - 2 + g.r.IntN(5)))
	case delayed:
		late := 5 + 5*g.r.IntN(18)
		ds.Platform = strPtr(g.platform())
		ds.ActualDepartureTimeLocal = strPtr(clock(dep + late))
		ds.ActualArrivalTimeLocal = strPtr(clock(arr + late - g.r.IntN(5)))
	default:
		switch g.r.IntN(4) {
		case 0: // no platform and no times at all
		case 1:
			ds.Platform, ds.ActualDepartureTimeLocal, ds.ActualArrivalTimeLocal = strPtr(""), strPtr(""), strPtr("")
		case 2:
			ds.Platform, ds.ActualDepartureTimeLocal, ds.ActualArrivalTimeLocal = strPtr("-"), strPtr("-"), strPtr("-")
		default: // the platform had been announced
			ds.Platform, ds.ActualDepartureTimeLocal, ds.ActualArrivalTimeLocal = strPtr(g.platform()), strPtr(""), strPtr("")
		}
	}
	return ds
}

func (g *generator) platform() string {
	p := strconv.Itoa(1 + g.r.IntN(15))
	switch g.r.IntN(10) {
	case 0:
		return p + string(rune('a'+g.r.IntN(3)))
	case 1:
		return "tbd"
	}
	return p
}

// fold lower-cases s to ASCII for an e-mail address.
func fold(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case asciiFold[c] != "":
			b.WriteString(asciiFold[c])
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (g *generator) dob(from, to int) string {
	return fmt.Sprintf("%d-%02d-%02d", from+g.r.IntN(to-from+1), 1+g.r.IntN(12), 1+g.r.IntN(28))
}

func (g *generator) person(reg *region, last string, from, to int) Passenger {
	return Passenger{FirstName: g.pick(reg.first), LastName: last, DOB: g.dob(from, to)}
}

// Forced profiles of the first users of each network.
const (
	noWalletUser    = 3 // has no wallet: add_wallet_funds creates one
	tinyWalletUser  = 4 // a wallet too small for any charge
	otherMethodUser = 5 // holds an "other" payment method
)

func (g *generator) users(net *network, n int) []*RailUser {
	reg := net.reg
	users := make([]*RailUser, n)
	for i := range users {
		first, last := g.pick(reg.first), g.pick(reg.last)
		c := reg.cities[g.r.IntN(len(reg.cities))]
		var addr2 *string
		switch g.r.IntN(8) {
		case 0, 1:
			addr2 = strPtr(fmt.Sprintf("apt %d%c", 1+g.r.IntN(30), 'a'+rune(g.r.IntN(4))))
		case 2:
			addr2 = strPtr(fmt.Sprintf("floor %d", 1+g.r.IntN(12)))
		case 3: // absent
		default:
			addr2 = strPtr("")
		}
		email := fold(first) + "." + fold(last)
		if g.chance(0.3) {
			email += g.digits(2)
		}
		u := &RailUser{
			UserID: fmt.Sprintf(reg.userID, 1001+i),
			Name:   Name{FirstName: first, LastName: last},
			Address: Address{Address1: fmt.Sprintf("%d %s", 1+g.r.IntN(250), g.pick(reg.streets)), Address2: addr2,
				City: c.name, Country: reg.country, State: c.state, Zip: g.pattern(c.zip)},
			Email:           email + "@example." + reg.tld,
			DOB:             g.dob(1950, 2005),
			SavedPassengers: []Passenger{},
			Membership:      []string{"gold", "gold", "silver", "silver", "regular"}[g.r.IntN(5)],
			Railcards:       []Railcard{},
			Reservations:    []string{},
		}
		if i < 3 {
			u.Membership = []string{"gold", "silver", "regular"}[i]
		}
		g.paymentMethods(u, reg, i)
		for range g.r.IntN(4) {
			u.SavedPassengers = append(u.SavedPassengers, g.person(reg, last, 1950, 2020))
		}
		for range max(0, g.r.IntN(4)-1) {
			typ := g.pick(railcardTypes)
			u.Railcards = append(u.Railcards, Railcard{Type: typ, Number: fmt.Sprintf("%s-%s", typ[:2], g.digits(6)),
				Expiry: g.dob(2025, 2028)})
		}
		users[i] = u
	}
	return users
}

func (g *generator) paymentMethods(u *RailUser, reg *region, i int) {
	add := func(source, id string, extra *py.Object) {
		u.PaymentMethods.Set(id, &PaymentMethod{Source: source, ID: id, ExtraInfo: extra})
	}
	seq := 1001 + i
	card := func(k int) {
		add("card", fmt.Sprintf("card-%s-%d-%d", reg.code, seq, k),
			py.NewObject("brand", g.pick(reg.brands), "last_four", g.digits(4)))
	}
	card(1)
	if g.chance(0.15) {
		card(2)
	}
	switch {
	case i == noWalletUser:
	case i == tinyWalletUser:
		add("wallet", fmt.Sprintf("wallet-%s-%d", reg.code, seq), py.NewObject("amount", int64(g.r.IntN(10))))
	case g.chance(0.9):
		add("wallet", fmt.Sprintf("wallet-%s-%d", reg.code, seq), py.NewObject("amount", int64(50*(1+g.r.IntN(100)))))
	}
	if i == otherMethodUser || g.chance(0.05) {
		provider := g.pick([]string{"paypal", "bank transfer", "gift card"})
		add("other", fmt.Sprintf("pm-%s-%d", reg.code, seq),
			py.NewObject("provider", provider, "reference", reg.code+"-"+g.digits(8)))
	}
}

// reservations makes n reservations of the network's users: one for each user in turn,
// the rest for users drawn at random.
func (g *generator) reservations(net *network, users []*RailUser, n int) []*TrainReservation {
	out := make([]*TrainReservation, 0, n)
	for k := 0; k < n; k++ {
		u := users[g.r.IntN(len(users))]
		if k < len(users) {
			u = users[k]
		}
		res := g.reservation(net, u, k, fmt.Sprintf(net.reg.resID, 2001+k))
		u.Reservations = append(u.Reservations, res.ReservationID)
		out = append(out, res)
	}
	return out
}

// leg is a train on one of its dates.
type leg struct {
	t    *Train
	date string
}

// runningDates are the dates a train is not cancelled on, at or after from.
func runningDates(t *Train, from string) []string {
	var out []string
	for d, ds := range t.Dates.All() {
		if d >= from && ds.Status != cancelled {
			out = append(out, d)
		}
	}
	return out
}

// onward picks a train leaving from's destination after from, going to to (any station
// but avoid when to is empty); ok is false when there is none.
func (g *generator) onward(net *network, from leg, avoid, to string) (leg, bool) {
	station := from.t.Destination
	var cands []leg
	for _, t := range net.from[station] {
		if t.Destination == avoid || (to != "" && t.Destination != to) {
			continue
		}
		for _, d := range runningDates(t, from.date) {
			// A connection the same day leaves after the previous train arrives.
			if d > from.date || t.ScheduledDepartureTimeLocal >= from.t.ScheduledArrivalTimeLocal {
				cands = append(cands, leg{t, d})
			}
		}
	}
	if len(cands) == 0 {
		return leg{}, false
	}
	return cands[g.r.IntN(len(cands))], true
}

// itinerary draws the legs of a trip of the given type; it falls back to one way when the
// network has no return or onward train.
func (g *generator) itinerary(net *network, tripType string, k int) (string, []leg) {
	if k == 3 && len(net.trains) > 2 { // a reservation on a train the railway cancelled that day
		t := net.trains[2]
		return "one_way", []leg{{t, t.Dates.Keys()[0]}}
	}
	var starts []leg
	for _, t := range net.trains {
		for _, d := range runningDates(t, "") {
			starts = append(starts, leg{t, d})
		}
	}
	if len(starts) == 0 { // every date cancelled: the reservation rides a cancelled train
		t := net.trains[0]
		return "one_way", []leg{{t, t.Dates.Keys()[0]}}
	}
	first := starts[g.r.IntN(len(starts))]
	switch tripType {
	case "round_trip":
		if back, ok := g.onward(net, first, "", first.t.Origin); ok {
			return tripType, []leg{first, back}
		}
	case "multi_city":
		if next, ok := g.onward(net, first, first.t.Origin, ""); ok {
			legs := []leg{first, next}
			if g.chance(0.3) {
				if third, ok := g.onward(net, next, next.t.Origin, ""); ok && third.t.Destination != first.t.Origin {
					legs = append(legs, third)
				}
			}
			return tripType, legs
		}
	}
	return "one_way", []leg{first}
}

var (
	tripTypes   = []string{"one_way", "round_trip", "multi_city"}
	classes     = []string{"sleeper", "ac_2_tier", "first_class"}
	coachLetter = map[string]string{"sleeper": "S", "ac_2_tier": "A", "first_class": "FC"}
	meals       = []string{"veg", "non_veg", "none"}
)

func (g *generator) reservation(net *network, u *RailUser, k int, id string) *TrainReservation {
	reg := net.reg
	tripType := []string{"one_way", "one_way", "round_trip", "round_trip", "round_trip", "multi_city"}[g.r.IntN(6)]
	if k < 3 {
		tripType = tripTypes[k]
	}
	tripType, legs := g.itinerary(net, tripType, k)

	n := 1 + g.r.IntN(3)
	passengers := []Passenger{{FirstName: u.Name.FirstName, LastName: u.Name.LastName, DOB: u.DOB}}
	for _, p := range u.SavedPassengers {
		if len(passengers) < n {
			passengers = append(passengers, p)
		}
	}
	for len(passengers) < n {
		passengers = append(passengers, g.person(reg, g.pick(reg.last), 1950, 2015))
	}

	class := g.pick(classes)
	coach := coachLetter[class] + strconv.Itoa(1+g.r.IntN(4))
	segments := make([]Segment, len(legs))
	var fare int64
	for i, l := range legs {
		seat := 1 + g.r.IntN(60)
		seats := make([]string, n)
		for j := range seats {
			seats[j] = strconv.Itoa(seat + j)
		}
		price := fares[l.t.ServiceType][class]
		fare += price * int64(n)
		segments[i] = Segment{Origin: l.t.Origin, Destination: l.t.Destination, TrainNumber: l.t.TrainNumber,
			Date: l.date, Coach: coach, SeatNumbers: seats, Price: price}
	}
	bags := int64(g.r.IntN(n + 3))
	var bikes int64
	if g.chance(0.1) {
		bikes = 1
	}
	insurance := []string{"yes", "no"}[g.r.IntN(2)]
	meal := g.pick(meals)
	if k < 3 {
		meal = meals[k]
		insurance = []string{"yes", "no"}[k%2]
	}
	// The total as book_train_reservation computes it: fare, insurance, bags, bikes.
	var insuranceFee int64
	if insurance == "yes" {
		insuranceFee = int64(20 * n)
	}
	total := py.Round(discount(fare, u.Membership)+float64(insuranceFee)+float64(15*max(0, bags-int64(n)))+float64(10*bikes), 2)

	status := "confirmed"
	switch {
	case k == 1 || (k > 5 && g.chance(0.03)):
		status = "waitlisted"
	case k == 2 || (k > 5 && g.chance(0.05)):
		status = cancelled
	}
	history := g.payments(u, total)
	if status == cancelled {
		for _, p := range slices.Clone(history) {
			history = append(history, RailPayment{PaymentID: p.PaymentID, Amount: -p.Amount})
		}
	}
	booked, _ := time.Parse(time.DateOnly, legs[0].date)
	booked = booked.AddDate(0, 0, -1-g.r.IntN(30)).Add(time.Duration(7*60+5*g.r.IntN(170)) * time.Minute)

	origin, dest := legs[0].t.Origin, legs[len(legs)-1].t.Destination
	if tripType == "round_trip" {
		dest = legs[0].t.Destination
	}
	return &TrainReservation{
		ReservationID: id, UserID: u.UserID, Origin: origin, Destination: dest, TripType: tripType,
		Trains: segments, Passengers: passengers, PaymentHistory: history,
		CreatedAt: booked.Format("2006-01-02T15:04:05"), TotalBags: bags, Bikes: bikes,
		MealPreference: meal, Insurance: insurance, PNR: g.pnr(), Status: status,
	}
}

// payments splits total over the user's methods: a card alone, an "other" method alone,
// or the wallet's whole dollars with the cents (if any) on a card.
func (g *generator) payments(u *RailUser, total float64) []RailPayment {
	var card, wallet, other string
	for id, pm := range u.PaymentMethods.All() {
		switch {
		case pm.Source == "card" && card == "":
			card = id
		case pm.Source == "wallet":
			wallet = id
		case pm.Source == "other":
			other = id
		}
	}
	switch x := g.r.IntN(10); {
	case x < 3 && wallet != "":
		whole := float64(int64(total))
		out := []RailPayment{{PaymentID: wallet, Amount: whole}}
		if rest := py.Round(total-whole, 2); rest > 0 {
			out = append(out, RailPayment{PaymentID: card, Amount: rest})
		}
		return out
	case x < 4 && other != "":
		return []RailPayment{{PaymentID: other, Amount: total}}
	}
	return []RailPayment{{PaymentID: card, Amount: total}}
}

const pnrChars = "abcdefghjkmnpqrstuvwxyz23456789"

func (g *generator) pnr() string {
	for {
		b := make([]byte, 6)
		for i := range b {
			b[i] = pnrChars[g.r.IntN(len(pnrChars))]
		}
		if s := string(b); !g.pnrs[s] {
			g.pnrs[s] = true
			return s
		}
	}
}
