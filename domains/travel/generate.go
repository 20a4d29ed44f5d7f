package travel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// Generate builds a travel database from r: 87×scale packages, travelers and agents,
// consistent across tables (every booking's package, departure and agent exist; agents
// list the packages they manage, the travelers they serve and the bookings they handle).
// Packages carry two or three departures in 2025-2026 priced in local currency; most are
// available, some sold out (no slots) or limited (slots, but not bookable), a few nearly
// full. Travelers have zero to three saved payment methods (a few have none), companions,
// preferences, and zero to three bookings: confirmed, pending with a deposit, or
// cancelled with every payment refunded; many were priced with an early-bird discount,
// so their stored total differs from today's formula. Agents have free meeting slots on
// two or three dates, now and then a fully booked day.
//
// The first records are fixed edge states, whatever the seed: package 0 has three
// available, roomy departures; package 1 a sold-out one; package 2 a limited one; package
// 3 an available departure with a single slot. Traveler 0 has a saved method and a
// confirmed booking of two on package 0's first departure; traveler 1 has one on package
// 1's sold-out departure; traveler 2 has no saved payment method. No booking id comes
// from the TAU001-TAU003 pool that book_package hands out, and booking ids are unique.
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("travel: generate: scale %d, want at least 1", scale)
	}
	n := 87 * scale
	g := &generator{r: r, used: map[string]bool{}}
	db := &DB{Packages: &domains.Table[Package]{}, Travelers: &domains.Table[Traveler]{}, Agents: &domains.Table[Agent]{}}
	agents := make([]*Agent, n)
	for i := range agents {
		agents[i] = g.agent()
	}
	packages := make([]*Package, n)
	for i := range packages {
		packages[i] = g.pkg(i, agents)
		db.Packages.Put(packages[i].PackageID, packages[i])
	}
	for i := 0; i < n; i++ {
		t := g.traveler(i)
		g.bookings(t, i, packages, agents)
		db.Travelers.Put(t.TravelerID, t)
	}
	for _, a := range agents {
		db.Agents.Put(a.AgentID, a)
	}
	if err := domains.Freeze(db); err != nil {
		return nil, fmt.Errorf("travel: generate: %w", err)
	}
	return db, nil
}

type generator struct {
	r        *rand.Rand
	used     map[string]bool // ids handed out
	booked   int             // booking numbers handed out
	receipts int             // payment receipts handed out
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// id returns a new 7-character id like the reference's (EUYRQSW); none starts with TAU.
func (g *generator) id() string {
	for {
		var b [7]byte
		for i := range b {
			b[i] = alnum[g.r.IntN(len(alnum))]
		}
		s := string(b[:])
		if !g.used[s] && !strings.HasPrefix(s, "TAU") {
			g.used[s] = true
			return s
		}
	}
}

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

func (g *generator) country() *country { return &countries[g.r.IntN(len(countries))] }

// fold makes a name fit an email address.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case strings.ContainsRune("àáâãäå", r):
			b.WriteByte('a')
		case strings.ContainsRune("èéêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("ìíîïı", r):
			b.WriteByte('i')
		case strings.ContainsRune("òóôõöø", r):
			b.WriteByte('o')
		case strings.ContainsRune("ùúûü", r):
			b.WriteByte('u')
		case strings.ContainsRune("çč", r):
			b.WriteByte('c')
		case strings.ContainsRune("śšş", r):
			b.WriteByte('s')
		case strings.ContainsRune("ńñ", r):
			b.WriteByte('n')
		case strings.ContainsRune("łľ", r):
			b.WriteByte('l')
		case r == 'ğ':
			b.WriteByte('g')
		case r == 'ž' || r == 'ź' || r == 'ż':
			b.WriteByte('z')
		case r == 'ř':
			b.WriteByte('r')
		case r == 'ý':
			b.WriteByte('y')
		case r == 'ß':
			b.WriteString("ss")
		}
	}
	return b.String()
}

// ymd writes a date as YY-MM-DD.
func ymd(t time.Time) string { return fmt.Sprintf("%02d-%02d-%02d", t.Year()%100, t.Month(), t.Day()) }

// date returns a day between from and from+days.
func (g *generator) date(from time.Time, days int) time.Time {
	return from.AddDate(0, 0, g.r.IntN(days+1))
}

func (g *generator) phone(c *country) string {
	return fmt.Sprintf("%s-%d-555-%s", c.phone, 2+g.r.IntN(8), g.digits(4))
}

func (g *generator) address(c *country) PostalAddress {
	return g.addressIn(c, c.cities[g.r.IntN(len(c.cities))])
}

func (g *generator) addressIn(c *country, ct city) PostalAddress {
	zip := ct.zip + g.digits(2)
	if strings.HasSuffix(ct.zip, "-") {
		zip = ct.zip + g.digits(3) // Polish style 00-950
	}
	return PostalAddress{
		Street: fmt.Sprintf("%s %d", g.pick(c.streets), 1+g.r.IntN(180)),
		City:   ct.name, State: ct.region, Country: c.name, Zip: zip,
	}
}

func (g *generator) agent() *Agent {
	c := g.country()
	first, last := g.pick(c.first), g.pick(c.last)
	hub := c.cities[0].name
	agency := hub + " " + g.pick(agencyWords)
	if g.chance(0.4) {
		agency = g.pick(c.sights) + " " + g.pick(agencyWords)
	}
	a := &Agent{
		AgentID: g.id(),
		Name:    PersonName{FirstName: first, LastName: last},
		Contact: ContactInfo{
			Email: fmt.Sprintf("%s.%s@%s.%s", fold(first), fold(last), fold(strings.ReplaceAll(agency, " ", "")), c.tld),
			Phone: g.phone(c),
		},
		Agency:             AgencyInfo{Name: agency, Address: g.addressIn(c, c.cities[0])},
		Certifications:     []string{},
		Languages:          []string{"English"},
		RegionsOfExpertise: []string{c.name},
		CommissionRate:     []float64{0.1, 0.1, 0.11, 0.12, 0.12, 0.15}[g.r.IntN(6)],
		EmploymentStatus:   "full_time",
		AssignedTravelers:  []string{},
		ManagedPackages:    []string{},
		BookingsHandled:    []string{},
	}
	if g.chance(0.35) {
		a.EmploymentStatus = "contractor"
	}
	for k := 1 + g.r.IntN(2); k > 0; k-- {
		if cert := g.pick(certifications); !slices.Contains(a.Certifications, cert) {
			a.Certifications = append(a.Certifications, cert)
		}
	}
	if lang := languagesOf[c.code]; lang != "English" {
		a.Languages = append(a.Languages, lang)
	}
	if g.chance(0.4) {
		if lang := languagesOf[g.country().code]; !slices.Contains(a.Languages, lang) {
			a.Languages = append(a.Languages, lang)
		}
	}
	for k := 1 + g.r.IntN(2); k > 0; k-- {
		if region := g.country().name; !slices.Contains(a.RegionsOfExpertise, region) {
			a.RegionsOfExpertise = append(a.RegionsOfExpertise, region)
		}
	}
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for k := 2 + g.r.IntN(2); k > 0; k-- {
		day = g.date(day, 40).AddDate(0, 0, 1)
		av := &AvailabilityDay{Slots: []string{}, Timezone: c.timezone}
		if !g.chance(0.04) { // otherwise a fully booked day
			for s := 1 + g.r.IntN(3); s > 0; s-- {
				if slot := g.pick(meetingSlots); !slices.Contains(av.Slots, slot) {
					av.Slots = append(av.Slots, slot)
				}
			}
			slices.Sort(av.Slots)
		}
		a.Availability.Set(ymd(day), av)
	}
	if len(a.Availability.Keys()) > 0 {
		first, _ := a.Availability.Get(a.Availability.Keys()[0])
		if len(first.Slots) == 0 {
			first.Slots = []string{"10:00-12:00"} // every agent can be met
		}
	}
	if g.chance(0.8) {
		note := g.pick(agentNotes)
		a.Notes = &note
	}
	return a
}

func (g *generator) category() string {
	total := 0
	for _, c := range categories {
		total += c.weight
	}
	x := g.r.IntN(total)
	for _, c := range categories {
		if x < c.weight {
			return c.name
		}
		x -= c.weight
	}
	return categories[0].name
}

// price converts a US dollar amount to a currency, rounded as a price list would be.
func price(usd, perUSD float64) float64 {
	v := usd * perUSD
	step := 10.0
	switch {
	case perUSD >= 1000:
		step = 10000
	case perUSD >= 100:
		step = 1000
	case perUSD >= 10:
		step = 100
	}
	return math.Round(v/step) * step
}

// departure states of the first packages: see Generate.
const (
	roomy = iota
	soldOutThird
	limitedSecond
	singleSlotFirst
)

func (g *generator) pkg(i int, agents []*Agent) *Package {
	c := g.country()
	cities := slices.Clone(c.cities)
	g.r.Shuffle(len(cities), func(a, b int) { cities[a], cities[b] = cities[b], cities[a] })
	stops := 2 + g.r.IntN(2)
	stops = min(stops, len(cities))
	var dests []Location
	for _, ct := range cities[:stops] {
		dests = append(dests, Location{City: ct.name, Country: c.name})
	}
	if g.chance(0.15) { // a two-country tour
		o := g.country()
		if o.name != c.name {
			dests = append(dests, Location{City: o.cities[g.r.IntN(len(o.cities))].name, Country: o.name})
		}
	}
	category := g.category()
	duration := 4 + g.r.IntN(9)
	sight := g.pick(c.sights)
	p := &Package{
		PackageID:       g.id(),
		Name:            fmt.Sprintf(g.pick(nameTemplates), c.name, sight, dests[0].City, dests[len(dests)-1].City),
		Category:        category,
		Description:     fmt.Sprintf(g.pick(descTemplates), duration, dests[0].City, dests[len(dests)-1].City, strings.ToLower(sight)),
		Destinations:    dests,
		DurationDays:    int64(duration),
		DeparturePoints: []Location{{City: c.cities[0].name, Country: c.name}},
		Inclusions:      g.some(inclusionPool, 3),
		Exclusions:      g.some(exclusionPool, 2+g.r.IntN(2)),
		ManagedByAgents: []string{},
	}
	if g.chance(0.2) {
		o := g.country()
		p.DeparturePoints = append(p.DeparturePoints, Location{City: o.cities[0].name, Country: o.name})
	}
	g.departures(p, c, i, duration, category)
	g.itinerary(p, duration)
	hub := c.cities[0].name
	p.Transportation = TransportationInfo{
		International: fmt.Sprintf("International flights to %s are not included.", hub),
		Domestic:      g.pick([]string{"Domestic flights as per itinerary included.", "Intercity train tickets included.", "Private coach between stops included."}),
		Ground:        g.pick([]string{"Airport transfers included.", "Private minibus transfers included.", "Local transfers and day-trip transport included."}),
	}
	free := 14 + 7*g.r.IntN(6)
	p.Policies = PackagePolicies{
		CancellationPolicy: fmt.Sprintf(g.pick(cancellationPolicies), free, free),
		ChangePolicy:       fmt.Sprintf(g.pick(changePolicies), 7+7*g.r.IntN(3)),
		RefundPolicy:       fmt.Sprintf(g.pick(refundPolicies), []int{7, 10, 14}[g.r.IntN(3)]),
	}
	if g.chance(0.7) {
		note := g.pick(packageNotes)
		p.Notes = &note
	}
	managers := 1
	switch x := g.r.IntN(100); {
	case x < 5:
		managers = 3
	case x < 35:
		managers = 2
	}
	var experts []*Agent
	for _, a := range agents {
		if slices.Contains(a.RegionsOfExpertise, c.name) {
			experts = append(experts, a)
		}
	}
	for k := 0; k < managers; k++ {
		a := agents[g.r.IntN(len(agents))]
		if len(experts) > 0 && g.chance(0.7) {
			a = experts[g.r.IntN(len(experts))]
		}
		if !slices.Contains(p.ManagedByAgents, a.AgentID) {
			p.ManagedByAgents = append(p.ManagedByAgents, a.AgentID)
			a.ManagedPackages = append(a.ManagedPackages, p.PackageID)
		}
	}
	return p
}

// some returns k different items of list, in list order.
func (g *generator) some(list []string, k int) []string {
	idx := g.r.Perm(len(list))[:min(k, len(list))]
	slices.Sort(idx)
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = list[j]
	}
	return out
}

func (g *generator) departures(p *Package, c *country, i, duration int, category string) {
	currency, perUSD := c.currency, c.perUSD
	if g.chance(0.25) {
		currency, perUSD = "USD", 1
		if g.chance(0.5) {
			currency, perUSD = "EUR", 0.92
		}
	}
	perDay := 150 + 25*float64(g.r.IntN(13))
	if category == "luxury" {
		perDay *= 2
	}
	base := perDay * float64(duration)
	count := 2 + g.r.IntN(2)
	if i < 4 {
		count = 3
	}
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN(120))
	for k := 0; k < count; k++ {
		day = g.date(day, 60).AddDate(0, 0, 14)
		d := &Departure{
			Status:            "available",
			BasePrice:         price(base*(0.9+0.05*float64(g.r.IntN(5))), perUSD),
			Currency:          currency,
			AvailableSlots:    int64(2 + g.r.IntN(19)),
			EarlyBirdDeadline: ymd(day.AddDate(0, 0, -(60 + g.r.IntN(45)))),
		}
		switch x := g.r.IntN(100); {
		case x < 7:
			d.Status, d.AvailableSlots = "sold_out", 0
		case x < 10:
			d.Status, d.AvailableSlots = "limited", int64(1+g.r.IntN(4))
		case x < 14:
			d.AvailableSlots = 1 // nearly full
		}
		switch {
		case i == roomy || (i < 4 && k == 0 && i != singleSlotFirst):
			d.Status, d.AvailableSlots = "available", int64(8+g.r.IntN(13))
		case i == soldOutThird && k == 2:
			d.Status, d.AvailableSlots = "sold_out", 0
		case i == limitedSecond && k == 1:
			d.Status, d.AvailableSlots = "limited", 2
		case i == singleSlotFirst && k == 0:
			d.Status, d.AvailableSlots = "available", 1
		case i < 4:
			d.Status, d.AvailableSlots = "available", int64(6+g.r.IntN(10))
		}
		p.Departures.Set(ymd(day), d)
	}
}

func (g *generator) itinerary(p *Package, duration int) {
	days := min(duration, 3+g.r.IntN(3))
	dests := p.Destinations
	for d := 1; d <= days; d++ {
		loc := dests[min(len(dests)-1, (d-1)*len(dests)/days)]
		title := fmt.Sprintf(g.pick(activityVerbs), loc.City)
		desc := "Free time to explore " + loc.City + " at your own pace."
		if d == 1 {
			title = "Arrival in " + loc.City
			desc = "Arrive in " + loc.City + ", transfer to the hotel and meet the group for a welcome briefing."
		}
		item := ItineraryItem{Day: int64(d), Title: title, Description: desc, Location: loc, IncludedMeals: []string{}}
		for _, m := range meals {
			if g.chance(0.45) || (m == "breakfast" && d > 1) {
				item.IncludedMeals = append(item.IncludedMeals, m)
			}
		}
		p.Itinerary = append(p.Itinerary, item)
	}
	nights := duration - 1
	for k, loc := range dests {
		n := nights / len(dests)
		if k == len(dests)-1 {
			n = nights - n*(len(dests)-1)
		}
		if n <= 0 {
			continue
		}
		p.Accommodations = append(p.Accommodations, Accommodation{
			Name: loc.City + " " + g.pick(stayWords), Type: g.pick(stayTypes), Location: loc, Nights: int64(n),
		})
	}
	if p.Accommodations == nil {
		p.Accommodations = []Accommodation{}
	}
	for k := 2 + g.r.IntN(3); k > 0; k-- {
		loc := dests[g.r.IntN(len(dests))]
		name := fmt.Sprintf(g.pick(activityVerbs), loc.City)
		p.Activities = append(p.Activities, Activity{
			Name: name, Description: name + " with a local guide.", Day: int64(1 + g.r.IntN(duration)),
		})
	}
	slices.SortStableFunc(p.Activities, func(a, b Activity) int { return int(a.Day - b.Day) })
}

func (g *generator) passport(c *country, from, to int) *PassportInfo {
	expiry := time.Date(from+g.r.IntN(to-from+1), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
	return &PassportInfo{Number: c.code + g.digits(7), Nationality: c.name, Expiry: ymd(expiry)}
}

func (g *generator) birthday(from, to int) string {
	t := time.Date(from+g.r.IntN(to-from+1), time.January, 1, 0, 0, 0, 0, time.UTC)
	return ymd(t.AddDate(0, 0, g.r.IntN(365)))
}

func (g *generator) traveler(i int) *Traveler {
	c := g.country()
	first, last := g.pick(c.first), g.pick(c.last)
	t := &Traveler{
		TravelerID:      g.id(),
		Name:            PersonName{FirstName: first, LastName: last},
		Address:         g.address(c),
		Contact:         ContactInfo{Email: fmt.Sprintf("%s.%s@example.%s", fold(first), fold(last), c.tld), Phone: g.phone(c)},
		DOB:             g.birthday(1955, 2002),
		SavedCompanions: []Companion{},
		Memberships:     []string{},
		Bookings:        []Booking{},
	}
	if g.chance(0.95) {
		t.Passport = g.passport(c, 2026, 2034)
	}
	if g.chance(0.9) {
		str := func(list []string, p float64) *string {
			if !g.chance(p) {
				return nil
			}
			s := g.pick(list)
			return &s
		}
		t.Preferences = &TravelerPreferences{
			Dietary: str(dietary, 0.9), Accessibility: str(accessibility, 0.3), RoomType: str(roomTypes, 0.95),
			BedPreference: str(beds, 0.9), Other: str(otherPrefs, 0.6),
		}
	}
	methods := 1
	switch x := g.r.IntN(100); {
	case x < 7:
		methods = 0
	case x < 29:
		methods = 2
	case x < 35:
		methods = 3
	}
	switch i {
	case 0, 1:
		methods = max(methods, 1)
	case 2:
		methods = 0
	}
	style := g.r.IntN(2)
	for k := 1; k <= methods; k++ {
		id := g.id()
		if style == 1 {
			id = fmt.Sprintf("PM-%s-%s%d", c.code, strings.ToUpper(fold(first))[:min(3, len(fold(first)))], k)
		}
		source := g.pick(methodSources)
		pm := &TravelerPaymentMethod{Source: source, PaymentMethodID: id}
		four := g.digits(4)
		switch source {
		case "credit_card", "debit_card":
			brand := g.pick(cardBrands)
			pm.ExtraInfo = &PaymentExtraInfo{Brand: &brand, LastFour: &four}
		case "bank_transfer":
			pm.ExtraInfo = &PaymentExtraInfo{LastFour: &four}
		default:
			if g.chance(0.5) {
				brand := "PayPal"
				pm.ExtraInfo = &PaymentExtraInfo{Brand: &brand}
			}
		}
		t.PaymentMethods.Set(id, pm)
	}
	for k := g.r.IntN(3); k > 0; k-- {
		cl := last
		if g.chance(0.4) {
			cl = g.pick(c.last)
		}
		comp := Companion{FirstName: g.pick(c.first), LastName: cl, DOB: g.birthday(1950, 2015)}
		if g.chance(0.85) {
			comp.Passport = g.passport(c, 2026, 2034)
		}
		t.SavedCompanions = append(t.SavedCompanions, comp)
	}
	for k := g.r.IntN(3); k > 0; k-- {
		if m := g.pick(memberships); !slices.Contains(t.Memberships, m) {
			t.Memberships = append(t.Memberships, m)
		}
	}
	return t
}

// formula is the reference's price of a booking (see totalPrice).
func formula(base float64, n int, addOns []BookingAddOn, insurance *string) float64 {
	prices := make([]float64, len(addOns))
	for i, a := range addOns {
		prices[i] = a.Price
	}
	var ins any
	if insurance != nil {
		ins = *insurance
	}
	total, _ := totalPrice(base, n, prices, ins)
	return total
}

func (g *generator) bookings(t *Traveler, i int, packages []*Package, agents []*Agent) {
	count := 1
	switch x := g.r.IntN(100); {
	case x < 6:
		count = 0
	case x < 13:
		count = 2
	case x < 16:
		count = 3
	}
	if i < 2 {
		count = max(count, 1)
	}
	code := "XX"
	for _, c := range countries {
		if c.name == t.Address.Country {
			code = c.code
		}
	}
	for k := 0; k < count; k++ {
		p := packages[g.r.IntN(len(packages))]
		dates := p.Departures.Keys()
		date := dates[g.r.IntN(len(dates))]
		n := 1 + g.r.IntN(3)
		status := "confirmed"
		switch x := g.r.IntN(100); {
		case x < 5:
			status = "pending"
		case x < 12:
			status = "cancelled"
		}
		if k == 0 && i < 2 {
			p, n, status = packages[i], 2, "confirmed" // the fixed edge states of Generate
			date = p.Departures.Keys()[0]
			if i == 1 {
				date = p.Departures.Keys()[2]
			}
		}
		g.booking(t, code, p, date, n, status, agents)
	}
}

func (g *generator) booking(t *Traveler, code string, p *Package, date string, n int, status string, agents []*Agent) {
	dep, _ := p.Departures.Get(date)
	g.booked++
	id := fmt.Sprintf("BKG-%s-%03d", code, g.booked)
	if g.chance(0.2) {
		id = g.id()
	}
	travelers := []BookingTravelerInfo{{FirstName: t.Name.FirstName, LastName: t.Name.LastName, DOB: t.DOB}}
	for k := 1; k < n; k++ {
		if k-1 < len(t.SavedCompanions) {
			c := t.SavedCompanions[k-1]
			travelers = append(travelers, BookingTravelerInfo{FirstName: c.FirstName, LastName: c.LastName, DOB: c.DOB})
			continue
		}
		travelers = append(travelers, BookingTravelerInfo{FirstName: g.pick(countries[g.r.IntN(len(countries))].first), LastName: t.Name.LastName, DOB: g.birthday(1950, 2015)})
	}
	room := RoomingInfo{RoomType: g.pick(roomTypes), Occupancy: int64(n)}
	if n == 1 && g.chance(0.6) {
		room.RoomType = "single"
	}
	perUSD := 1.0
	for _, c := range countries {
		if c.currency == dep.Currency {
			perUSD = c.perUSD
			break
		}
	}
	if dep.Currency == "EUR" {
		perUSD = 0.92
	}
	addOns := []BookingAddOn{}
	for k := g.r.IntN(3); k > 0; k-- {
		a := addOnPool[g.r.IntN(len(addOnPool))]
		amount := a.usd * perUSD
		if perUSD >= 10 {
			amount = price(a.usd, perUSD)
		}
		addOns = append(addOns, BookingAddOn{
			Type: a.kind, Description: fmt.Sprintf(a.desc, p.Destinations[g.r.IntN(len(p.Destinations))].City),
			Price: py.Round(amount, 2),
		})
	}
	var insurance *string
	if g.chance(0.8) {
		label := g.pick(insuranceLabels)
		insurance = &label
	}
	base := dep.BasePrice
	if g.chance(0.55) { // booked before the early-bird deadline, or at an older price
		base = py.Round(base*[]float64{0.9, 0.95, 0.85}[g.r.IntN(3)], 2)
	}
	total := formula(base, n, addOns, insurance)
	departure, _ := time.Parse("06-01-02", date)
	b := Booking{
		BookingID:      id,
		PackageID:      p.PackageID,
		AgentID:        p.ManagedByAgents[0],
		BookingDate:    ymd(departure.AddDate(0, 0, -(30 + g.r.IntN(170)))),
		DepartureDate:  date,
		Status:         status,
		Travelers:      travelers,
		Rooming:        room,
		AddOns:         addOns,
		Insurance:      insurance,
		PaymentHistory: []BookingPayment{},
		TotalPrice:     total,
	}
	if len(p.ManagedByAgents) > 1 && g.chance(0.4) {
		b.AgentID = p.ManagedByAgents[g.r.IntN(len(p.ManagedByAgents))]
	}
	methods := t.PaymentMethods.Keys()
	receipt := func() string {
		if len(methods) > 0 && g.chance(0.3) {
			return methods[g.r.IntN(len(methods))]
		}
		g.receipts++
		return fmt.Sprintf("PAY-%s-%03d", code, g.receipts)
	}
	switch {
	case status == "pending": // a deposit
		b.PaymentHistory = append(b.PaymentHistory, BookingPayment{PaymentID: receipt(), Amount: py.Round(total*0.25, 2)})
	case g.chance(0.35): // deposit, then balance
		deposit := py.Round(total*0.3, 2)
		b.PaymentHistory = append(b.PaymentHistory, BookingPayment{PaymentID: receipt(), Amount: deposit},
			BookingPayment{PaymentID: receipt(), Amount: py.Round(total-deposit, 2)})
	default:
		b.PaymentHistory = append(b.PaymentHistory, BookingPayment{PaymentID: receipt(), Amount: total})
	}
	if status == "cancelled" {
		for _, pay := range b.PaymentHistory {
			b.PaymentHistory = append(b.PaymentHistory, BookingPayment{PaymentID: pay.PaymentID, Amount: -pay.Amount})
		}
	}
	if g.chance(0.4) {
		note := g.pick([]string{"Allergic to peanuts.", "Celebrating an anniversary.", "Late arrival on day 1.",
			"Requested adjoining rooms.", "Vegetarian meals for all travelers."})
		b.Notes = &note
	}
	t.Bookings = append(t.Bookings, b)
	for _, a := range agents {
		if a.AgentID != b.AgentID {
			continue
		}
		if !slices.Contains(a.AssignedTravelers, t.TravelerID) {
			a.AssignedTravelers = append(a.AssignedTravelers, t.TravelerID)
		}
		a.BookingsHandled = append(a.BookingsHandled, b.BookingID)
	}
}
