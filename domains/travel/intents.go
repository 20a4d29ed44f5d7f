package travel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the travel agency's task templates. The caller of every task is a traveler
// (Draft.Subject is the traveler id), so harder variants chain more requests of the same
// traveler. Together they use every WRITE tool; six are read-only questions whose answer
// the agent must pass on, and three end in a refusal or a transfer the policy requires (an
// unavailable departure, a traveler with no saved payment method, a change to the number
// of travelers).
var intents = []*domains.Intent{
	intent("search_packages", draftSearchPackages),
	intent("destinations_in_country", draftDestinations),
	intent("departure_price", draftDeparturePrice),
	intent("booking_status", draftBookingStatus),
	intent("agent_contact", draftAgentContact),
	intent("cancellation_policy", draftCancellationPolicy),
	intent("book_package", draftBookPackage),
	intent("book_searched_package", draftBookSearched),
	intent("cancel_booking", draftCancelBooking),
	intent("change_departure_date", draftChangeDate),
	intent("add_add_on", draftAddAddOn),
	intent("remove_add_ons", draftRemoveAddOns),
	intent("correct_travelers", draftCorrectTravelers),
	intent("change_rooming", draftChangeRooming),
	intent("schedule_meeting", draftScheduleMeeting),
	intent("refuse_unavailable_departure", draftRefuseUnavailable),
	intent("refuse_no_payment_method", draftRefuseNoPayment),
	intent("transfer_add_traveler", draftTransferAddTraveler),
}

// intent names a template and stamps its name on every draft it makes.
func intent(name string, draft func(r *rand.Rand, env *domains.Env) (*task.Draft, error)) *domains.Intent {
	return &domains.Intent{Name: name, Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
		d, err := draft(r, env)
		if err != nil {
			return nil, err
		}
		d.Intent = name
		d.KnownInfo = strings.TrimSpace(d.KnownInfo)
		// Circumstances and manners that do not change the task make two tasks on the
		// same record read differently.
		d.ReasonForCall = strings.TrimSpace(d.ReasonForCall + " " + domains.OneOf(r, contexts))
		d.TaskInstructions = strings.TrimSpace(d.TaskInstructions + " " + domains.OneOf(r, closings))
		return d, nil
	}}
}

// ---- phrasing ----

var (
	contexts = []string{
		"", "You are calling from your office during a break.", "You are on the phone while packing.",
		"You have a few minutes before a meeting.", "You already looked at the website without luck.",
		"It is late in the evening and you want this settled today.", "A friend recommended calling the agency directly.",
		"You have your booking confirmation open in front of you.", "You do not travel abroad often.",
		"You are in a bit of a hurry.", "You are calm and patient about it.", "You are calling from a noisy train station.",
	}
	closings = []string{
		"", "Be polite but firm.", "Do not share more than the agent asks for.",
		"Answer the agent's questions one at a time.", "If something the agent says is unclear, ask it to repeat.",
		"Keep your messages short.", "Do not mention these instructions.", "Spell out ids character by character if asked.",
	}
	roles = []string{
		"a retired schoolteacher", "a software engineer", "a hospital nurse", "a small-business owner",
		"a university student", "a freelance photographer", "a parent planning a family holiday", "an accountant",
		"a marketing manager", "a retired civil servant", "a chef", "a journalist", "a physiotherapist",
		"an architect", "a music teacher",
	}
	manners = []string{
		"speaks briefly and to the point", "is polite and patient but wants precise answers",
		"is a little anxious and wants every detail confirmed", "is chatty and gives details one at a time",
		"is busy and slightly impatient", "is careful with money and asks for amounts to be repeated",
		"is friendly and informal", "is formal and rather reserved", "types in short lower-case messages",
		"is excited about travelling and asks many questions",
	}
)

func fullName(t *Traveler) string { return t.Name.FirstName + " " + t.Name.LastName }

func personName(p BookingTravelerInfo) string { return p.FirstName + " " + p.LastName }

func persona(r *rand.Rand, t *Traveler) string {
	where := t.Address.City + ", " + t.Address.Country
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s, %s from %s, %s.", fullName(t), domains.OneOf(r, roles), where, domains.OneOf(r, manners))
	case 1:
		return fmt.Sprintf("%s lives in %s and is %s; on the phone %s %s.", fullName(t), where, domains.OneOf(r, roles),
			domains.Choose(r, "this traveler", "the caller"), domains.OneOf(r, manners))
	}
	return fmt.Sprintf("%s (%s, living in %s) %s.", fullName(t), domains.OneOf(r, roles), t.Address.City, domains.OneOf(r, manners))
}

// identity is what a caller can say about themselves. A later request of a chain (env.Subject
// set) comes from a caller who already introduced themselves, so it says nothing.
func identity(r *rand.Rand, env *domains.Env, t *Traveler) string {
	if env.Subject != "" {
		return ""
	}
	return domains.Choose(r,
		fmt.Sprintf("You are %s and your traveler id is %s.", fullName(t), t.TravelerID),
		fmt.Sprintf("Your name is %s; your traveler id is %s.", fullName(t), t.TravelerID),
		fmt.Sprintf("You are %s (traveler id %s, e-mail %s).", fullName(t), t.TravelerID, t.Contact.Email),
		fmt.Sprintf("Your traveler id with the agency is %s; you are %s.", t.TravelerID, fullName(t)))
}

func confirmRule(r *rand.Rand) string {
	return domains.Choose(r,
		"When the agent summarises the change and asks you to confirm, answer yes.",
		"Say yes once the agent has told you the details and the amount.",
		"Agree when the agent asks for your explicit confirmation.",
		"Confirm with a clear yes after the agent has summarised what it will do.")
}

// num writes a number for the calculator.
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// dateWords writes a YY-MM-DD date in words, "5 December 2025"; other text is kept.
func dateWords(k string) string {
	d, err := time.Parse("06-01-02", k)
	if err != nil {
		return k
	}
	return d.Format("2 January 2006")
}

// dateSaid is how a caller names a date: in words, as the agency writes it, or both.
func dateSaid(r *rand.Rand, k string) string {
	switch r.IntN(3) {
	case 0:
		return dateWords(k)
	case 1:
		return k
	}
	return fmt.Sprintf("%s (%s)", dateWords(k), k)
}

// methodWords describes a saved payment method as its owner would; methods a traveler could
// not tell apart that way are named by id.
func methodWords(t *Traveler, id string) string {
	words := func(pm *TravelerPaymentMethod) string {
		var brand, four string
		if pm.ExtraInfo != nil {
			if pm.ExtraInfo.Brand != nil {
				brand = *pm.ExtraInfo.Brand
			}
			if pm.ExtraInfo.LastFour != nil {
				four = *pm.ExtraInfo.LastFour
			}
		}
		switch {
		case (pm.Source == "credit_card" || pm.Source == "debit_card") && brand != "" && four != "":
			return fmt.Sprintf("%s %s ending in %s", brand, strings.ReplaceAll(pm.Source, "_", " "), four)
		case pm.Source == "bank_transfer" && four != "":
			return "bank account ending in " + four
		case pm.Source == "paypal":
			return "PayPal account"
		}
		return ""
	}
	pm, _ := t.PaymentMethods.Get(id)
	w := words(pm)
	for k, other := range t.PaymentMethods.All() {
		if k != id && words(other) == w {
			w = ""
		}
	}
	if w == "" {
		return "saved payment method " + id
	}
	return w + " (saved as " + id + ")"
}

// article returns a word with its indefinite article.
func article(w string) string {
	if w != "" && strings.ContainsRune("aeiouAEIOU", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}

// ---- arguments ----

func travelersArg(ps []BookingTravelerInfo) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = py.NewObject("first_name", p.FirstName, "last_name", p.LastName, "dob", p.DOB)
	}
	return out
}

func addOnsArg(as []BookingAddOn) []any {
	out := make([]any, len(as))
	for i, a := range as {
		out[i] = py.NewObject("type", a.Type, "description", a.Description, "price", a.Price)
	}
	return out
}

func roomingArg(room RoomingInfo) *py.Object {
	return py.NewObject("room_type", room.RoomType, "occupancy", room.Occupancy)
}

// ---- reading the database ----

// dryRun replays calls on a scratch fork of env and returns their results, so a template
// learns what its golden actions will answer without changing env.
func dryRun(env *domains.Env, calls []task.Call) ([]domains.Result, error) {
	s := domains.NewEnv(env.Domain, env.DB, env.Now)
	out := make([]domains.Result, len(calls))
	for i, c := range calls {
		out[i] = s.Call(c.Name, c.Arguments)
		if !out[i].OK() {
			return nil, fmt.Errorf("golden action %d %s: %w", i, c.Name, out[i].Err)
		}
	}
	return out, nil
}

// callers are the travelers a task may be drafted for: env.Subject alone when it is set.
func callers(env *domains.Env) []*Traveler {
	db := dbOf(env)
	if env.Subject != "" {
		if t, ok := db.Travelers.Get(env.Subject); ok {
			return []*Traveler{t}
		}
		return nil
	}
	return slices.Collect(db.Travelers.Values())
}

// held is a booking of a caller, with its package and its travelers when they are a list
// of complete records.
type held struct {
	t      *Traveler
	b      *Booking
	p      *Package
	people []BookingTravelerInfo
}

// holdings returns the bookings of the callers that a booking id finds unambiguously (the
// reference data repeats some ids) and whose package exists, that keep passes.
func holdings(env *domains.Env, keep func(h *held) bool) []*held {
	db := dbOf(env)
	count := map[string]int{}
	for t := range db.Travelers.Values() {
		for i := range t.Bookings {
			count[t.Bookings[i].BookingID]++
		}
	}
	var out []*held
	for _, t := range callers(env) {
		for i := range t.Bookings {
			b := &t.Bookings[i]
			p, ok := db.Packages.Get(b.PackageID)
			if !ok || count[b.BookingID] != 1 {
				continue
			}
			h := &held{t: t, b: b, p: p, people: people(b.Travelers)}
			if keep == nil || keep(h) {
				out = append(out, h)
			}
		}
	}
	return out
}

// active reports whether a booking is not cancelled and lists its travelers.
func (h *held) active() bool { return h.b.Status != "cancelled" && len(h.people) > 0 }

// people returns a booking's travelers when they are a list of complete records.
func people(v any) []BookingTravelerInfo {
	l, ok := v.([]BookingTravelerInfo)
	if !ok {
		return nil
	}
	for _, p := range l {
		if p.FirstName == "" || p.LastName == "" || p.DOB == "" {
			return nil
		}
	}
	return slices.Clone(l)
}

// bookable reports whether a departure can be booked for n travelers.
func bookable(d *Departure, n int) bool {
	return d != nil && d.Status == "available" && d.AvailableSlots >= int64(n)
}

// describe is how a caller refers to one of their bookings.
func (h *held) describe(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("booking %s", h.b.BookingID)
	case 1:
		return fmt.Sprintf("booking %s for the %s trip", h.b.BookingID, h.p.Name)
	}
	return fmt.Sprintf("your %s booking (id %s) departing %s", h.p.Name, h.b.BookingID, dateWords(h.b.DepartureDate))
}

// lookups are the calls a careful agent makes before touching a booking.
func (h *held) lookups() []task.Call {
	return []task.Call{
		task.NewCall("get_traveler_details", "traveler_id", h.t.TravelerID),
		task.NewCall("get_booking_details", "booking_id", h.b.BookingID),
	}
}

// perUSD returns roughly how many units of a currency a US dollar buys.
func perUSD(currency string) float64 {
	if currency == "EUR" {
		return 0.92
	}
	for _, c := range countries {
		if c.currency == currency {
			return c.perUSD
		}
	}
	return 1
}

// extras are add-ons a traveler may ask for, priced in US dollars.
var extras = []struct {
	kind, desc string
	usd        float64
}{
	{"excursion", "Day trip from %s", 120}, {"transfer", "Private airport transfer in %s", 60},
	{"excursion", "Guided walking tour of %s", 45}, {"meal", "Farewell dinner in %s", 80},
	{"upgrade", "Room upgrade in %s", 150}, {"wellness", "Spa afternoon in %s", 110},
	{"excursion", "Cooking class in %s", 95}, {"transfer", "Luggage forwarding to %s", 35.5},
}

// extra returns add-on k of the list for a package, priced in the departure's currency.
func extra(k int, p *Package, currency string) BookingAddOn {
	e := extras[k]
	city := "town"
	if len(p.Destinations) > 0 {
		city = p.Destinations[0].City
	}
	rate := perUSD(currency)
	amount := py.Round(e.usd*rate, 2)
	if rate >= 10 {
		amount = price(e.usd, rate)
	}
	return BookingAddOn{Type: e.kind, Description: fmt.Sprintf(e.desc, city), Price: amount}
}

// departureOf returns a booking's departure, or nil.
func departureOf(p *Package, date string) *Departure {
	d, _ := p.Departures.Get(date)
	return d
}

// ---- read-only intents ----

// draftSearchPackages: a traveler asks which packages go to a country (of a category).
func draftSearchPackages(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cs := callers(env)
	if len(cs) == 0 {
		return nil, domains.NoCandidate("no traveler")
	}
	t := domains.OneOf(r, cs)
	pkgs := slices.Collect(dbOf(env).Packages.Values())
	if len(pkgs) == 0 {
		return nil, domains.NoCandidate("no package")
	}
	for range 12 {
		p := domains.OneOf(r, pkgs)
		if len(p.Destinations) == 0 {
			continue
		}
		country := domains.OneOf(r, p.Destinations).Country
		call := task.NewCall("search_packages", "destination_country", country)
		withCategory := r.IntN(2) == 0
		if withCategory {
			call = task.NewCall("search_packages", "destination_country", country, "category", p.Category)
		}
		res, err := dryRun(env, []task.Call{call})
		if err != nil {
			return nil, err
		}
		found, _ := res[0].Output.([]*Package)
		if len(found) == 0 || len(found) > 3 {
			continue
		}
		var info []string
		for _, f := range found {
			if domains.IsASCII(f.Name) {
				info = append(info, f.Name)
			} else {
				info = append(info, f.PackageID)
			}
		}
		what := "tour"
		if withCategory {
			what = p.Category + " tour"
		}
		return &task.Draft{
			Subject: t.TravelerID,
			Purpose: "Find the packages that go to a country and tell the traveler their names.",
			Persona: persona(r, t),
			ReasonForCall: domains.Choose(r,
				fmt.Sprintf("You are thinking about a %s in %s and want to know which packages the agency offers there.", what, country),
				fmt.Sprintf("You would like to see %s next year and want to hear which %ss go there.", country, what),
				fmt.Sprintf("A colleague raved about %s; you want to know what %s packages the agency has to that country.", country, strings.TrimSuffix(what, " tour"))),
			KnownInfo:   identity(r, env, t) + fmt.Sprintf(" The country is spelled %s.", country),
			UnknownInfo: "You do not know which packages exist or what they are called.",
			TaskInstructions: domains.Choose(r,
				"Ask for the names of every matching package.",
				"Ask the agent to list all matching packages by name.",
				"For this question you only want the names of the packages."),
			Actions:         []task.Call{call},
			CommunicateInfo: info,
			NLAssertions: []string{
				fmt.Sprintf("The agent names every package the search finds for %s and no other.", country),
			},
		}, nil
	}
	return nil, domains.NoCandidate("no country with one to three matching packages")
}

// draftDestinations: a traveler asks which cities of a country the agency's packages visit.
func draftDestinations(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cs := callers(env)
	if len(cs) == 0 {
		return nil, domains.NoCandidate("no traveler")
	}
	t := domains.OneOf(r, cs)
	call := task.NewCall("list_all_destinations")
	res, err := dryRun(env, []task.Call{call})
	if err != nil {
		return nil, err
	}
	all, _ := res[0].Output.([]Location)
	var countryNames []string
	cities := map[string][]string{}
	for _, l := range all {
		if !slices.Contains(countryNames, l.Country) {
			countryNames = append(countryNames, l.Country)
		}
		cities[l.Country] = append(cities[l.Country], l.City)
	}
	var fit []string
	for _, c := range countryNames {
		if n := len(cities[c]); n >= 1 && n <= 5 && slices.ContainsFunc(cities[c], domains.IsASCII) {
			fit = append(fit, c)
		}
	}
	if len(fit) == 0 {
		return nil, domains.NoCandidate("no country with a few destinations")
	}
	country := domains.OneOf(r, fit)
	var info []string
	for _, c := range cities[country] {
		if domains.IsASCII(c) {
			info = append(info, c)
		}
	}
	return &task.Draft{
		Subject: t.TravelerID,
		Purpose: "List the destination cities the agency's packages visit in one country.",
		Persona: persona(r, t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know which cities in %s the agency's tours go to.", country),
			fmt.Sprintf("Before choosing a tour you would like to hear every destination the agency covers in %s.", country),
			fmt.Sprintf("You are curious which places in %s you could visit with the agency.", country)),
		KnownInfo:   identity(r, env, t),
		UnknownInfo: fmt.Sprintf("You do not know which cities in %s are destinations.", country),
		TaskInstructions: domains.Choose(r,
			"Ask for all the destination cities in that country.",
			"Ask about destinations only; packages can wait.",
			"Write down every city the agent names."),
		Actions:         []task.Call{call},
		CommunicateInfo: info,
		NLAssertions:    []string{fmt.Sprintf("The agent lists every destination city in %s that the agency's packages visit.", country)},
	}, nil
}

// draftDeparturePrice: a traveler asks the price per person of a package's departure.
func draftDeparturePrice(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cs := callers(env)
	if len(cs) == 0 {
		return nil, domains.NoCandidate("no traveler")
	}
	t := domains.OneOf(r, cs)
	type option struct {
		p    *Package
		date string
		d    *Departure
	}
	var opts []option
	for p := range dbOf(env).Packages.Values() {
		for date, d := range p.Departures.All() {
			if d.Status == "available" {
				opts = append(opts, option{p, date, d})
			}
		}
	}
	if len(opts) == 0 {
		return nil, domains.NoCandidate("no available departure")
	}
	o := domains.OneOf(r, opts)
	return &task.Draft{
		Subject: t.TravelerID,
		Purpose: "Tell a traveler the per-person price of a package departure.",
		Persona: persona(r, t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You saw the %s package in a brochure and want to know what the departure on %s costs per person.", o.p.Name, dateSaid(r, o.date)),
			fmt.Sprintf("You are comparing prices and need the per-person price of the %s departure on %s.", o.p.Name, dateSaid(r, o.date)),
			fmt.Sprintf("Before talking to your partner you want the price of the %s trip leaving on %s.", o.p.Name, dateSaid(r, o.date))),
		KnownInfo:   identity(r, env, t) + fmt.Sprintf(" The package id is %s.", o.p.PackageID),
		UnknownInfo: "You do not know the price or the currency it is quoted in.",
		TaskInstructions: domains.Choose(r,
			"Ask for the base price per person and its currency.",
			"Ask how much that departure costs per person.",
			"You want the price per person and the currency."),
		Actions:         []task.Call{task.NewCall("get_package_details", "package_id", o.p.PackageID)},
		CommunicateInfo: []string{domains.Money(o.d.BasePrice)},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the traveler that the %s departure costs %s %s per person.", o.date, domains.Money(o.d.BasePrice), o.d.Currency),
		},
	}, nil
}

// draftBookingStatus: a traveler asks the status and total price of a booking.
func draftBookingStatus(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := holdings(env, nil)
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no booking")
	}
	h := domains.OneOf(r, hs)
	return &task.Draft{
		Subject: h.t.TravelerID,
		Purpose: "Tell a traveler the status and total price of one of their bookings.",
		Persona: persona(r, h.t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to check where things stand with %s: its status and its total price.", h.describe(r)),
			fmt.Sprintf("You lost the confirmation e-mail of %s and want its status and total.", h.describe(r)),
			fmt.Sprintf("Your bank statement confused you; you want the status and the total price of %s.", h.describe(r))),
		KnownInfo:   identity(r, env, h.t),
		UnknownInfo: "You do not remember the booking's status or total price.",
		TaskInstructions: domains.Choose(r,
			"Ask for the status and the total price.",
			"Ask for the status first, then the total.",
			"Ask for the total price and whether the booking is confirmed."),
		Actions:         h.lookups(),
		CommunicateInfo: []string{h.b.Status, domains.Money(h.b.TotalPrice)},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the traveler that booking %s is %s with a total price of %s.", h.b.BookingID, h.b.Status, domains.Money(h.b.TotalPrice)),
		},
	}, nil
}

// draftAgentContact: a traveler asks for the e-mail of the agent handling a booking.
func draftAgentContact(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	hs := holdings(env, func(h *held) bool {
		a, ok := db.Agents.Get(h.b.AgentID)
		return ok && domains.IsASCII(a.Contact.Email)
	})
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no booking with a known agent")
	}
	h := domains.OneOf(r, hs)
	a, _ := db.Agents.Get(h.b.AgentID)
	info := []string{a.Contact.Email}
	wantPhone := r.IntN(2) == 0 && domains.IsASCII(a.Contact.Phone)
	ask := "e-mail address"
	if wantPhone {
		info = append(info, a.Contact.Phone)
		ask = "e-mail address and phone number"
	}
	return &task.Draft{
		Subject: h.t.TravelerID,
		Purpose: "Give a traveler the contact details of the agent who handles their booking.",
		Persona: persona(r, h.t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to write to the travel agent who handles %s and need their %s.", h.describe(r), ask),
			fmt.Sprintf("You have a question for the agent in charge of %s and would like their %s.", h.describe(r), ask),
			fmt.Sprintf("Your agent for %s promised to send documents; you need their %s to chase them.", h.describe(r), ask)),
		KnownInfo:   identity(r, env, h.t),
		UnknownInfo: "You do not know who the agent is or how to reach them.",
		TaskInstructions: domains.Choose(r,
			"Ask for the agent's name and "+ask+".",
			"Ask for the contact details and write them down.",
			"Ask for the "+ask+" and repeat it back to check."),
		Actions:         append(h.lookups(), task.NewCall("get_agent_details", "agent_id", a.AgentID)),
		CommunicateInfo: info,
		NLAssertions: []string{
			fmt.Sprintf("The agent gives the traveler the %s of agent %s %s.", ask, a.Name.FirstName, a.Name.LastName),
		},
	}, nil
}

var daysRE = regexp.MustCompile(`\d+ days`)

// freeWindow returns the number of days before departure up to which a cancellation
// policy plainly gives all the money back ("Free cancellation up to 30 days before
// departure; …"), as text ("30 days"). Policies that refund only a share, charge fees on
// any cancellation or count from the booking date are unclear for a cancellation, which
// the policy sends to a human agent, so they give false.
func freeWindow(policy string) (string, bool) {
	lower := strings.ToLower(policy)
	clear := strings.HasPrefix(lower, "free cancellation up to ") || strings.HasPrefix(lower, "full refund up to ") ||
		strings.HasPrefix(lower, "cancellation free up to ") ||
		strings.HasPrefix(lower, "cancel up to ") && (strings.Contains(lower, "for full refund") || strings.Contains(lower, "for a full refund"))
	if !clear || strings.Contains(lower, "minus") {
		return "", false
	}
	days := daysRE.FindString(policy)
	return days, days != ""
}

// beforeWindow reports whether a departure is more than the policy's free window away.
func beforeWindow(now time.Time, departure, days string) bool {
	d, err := time.Parse("06-01-02", departure)
	n, errN := strconv.Atoi(strings.TrimSuffix(days, " days"))
	return err == nil && errN == nil && now.AddDate(0, 0, n).Before(d)
}

// cancellable reports whether a booking is active and its package's policy plainly lets it
// be cancelled for a full refund today.
func (h *held) cancellable(now time.Time) bool {
	days, ok := freeWindow(h.p.Policies.CancellationPolicy)
	return ok && h.active() && beforeWindow(now, h.b.DepartureDate, days)
}

// draftCancellationPolicy: a traveler asks how long before departure a booking can be
// cancelled free of charge.
func draftCancellationPolicy(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := holdings(env, func(h *held) bool { return h.cancellable(env.Now) })
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no booking whose package states a free cancellation window")
	}
	h := domains.OneOf(r, hs)
	days, _ := freeWindow(h.p.Policies.CancellationPolicy)
	return &task.Draft{
		Subject: h.t.TravelerID,
		Purpose: "Read a package's cancellation policy and tell the traveler the deadline it states.",
		Persona: persona(r, h.t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("Your plans might change and you want to know the cancellation policy of %s before deciding anything.", h.describe(r)),
			fmt.Sprintf("You are not sure you can travel and want to know until when you could cancel %s without losing money.", h.describe(r)),
			fmt.Sprintf("Your employer may need you at home; you want the cancellation terms of %s.", h.describe(r))),
		KnownInfo:   identity(r, env, h.t),
		UnknownInfo: "You do not know the package's cancellation policy.",
		TaskInstructions: domains.Choose(r,
			"Ask what the cancellation policy says and how many days before departure you can cancel.",
			"For this question you only want to know the rules.",
			"Ask the agent to read you the cancellation policy."),
		Actions:         append(h.lookups(), task.NewCall("get_package_details", "package_id", h.p.PackageID)),
		CommunicateInfo: []string{days},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the traveler the cancellation policy of package %s, including the %s deadline.", h.p.PackageID, days),
		},
	}, nil
}

// ---- booking ----

// bookingPlan is a new booking a template asks for.
type bookingPlan struct {
	t         *Traveler
	p         *Package
	date      string
	d         *Departure
	people    []BookingTravelerInfo
	room      RoomingInfo
	addOns    []BookingAddOn
	insurance *string
	total     float64
	pays      []BookingPayment
}

// planBooking picks a traveler with a saved payment method, who travels alone or with
// saved companions, and a departure they can book; pkgOK filters packages.
func planBooking(r *rand.Rand, env *domains.Env) (*bookingPlan, error) {
	var ts []*Traveler
	for _, t := range callers(env) {
		if t.PaymentMethods.Len() > 0 {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return nil, domains.NoCandidate("no traveler with a saved payment method")
	}
	t := domains.OneOf(r, ts)
	n := 1 + r.IntN(1+min(2, len(t.SavedCompanions)))
	type option struct {
		p    *Package
		date string
		d    *Departure
	}
	var opts []option
	for p := range dbOf(env).Packages.Values() {
		if len(p.Destinations) == 0 {
			continue
		}
		for date, d := range p.Departures.All() {
			if bookable(d, n) {
				opts = append(opts, option{p, date, d})
			}
		}
	}
	if len(opts) == 0 {
		return nil, domains.NoCandidate("no departure with enough free slots")
	}
	o := domains.OneOf(r, opts)
	pl := &bookingPlan{t: t, p: o.p, date: o.date, d: o.d, addOns: []BookingAddOn{}}
	pl.people = append(pl.people, BookingTravelerInfo{FirstName: t.Name.FirstName, LastName: t.Name.LastName, DOB: t.DOB})
	for _, c := range t.SavedCompanions[:n-1] {
		pl.people = append(pl.people, BookingTravelerInfo{FirstName: c.FirstName, LastName: c.LastName, DOB: c.DOB})
	}
	switch {
	case n == 1:
		pl.room = RoomingInfo{RoomType: domains.Choose(r, "single", "single", "double"), Occupancy: 1}
	case n == 2:
		pl.room = RoomingInfo{RoomType: domains.Choose(r, "double", "twin", "suite"), Occupancy: 2}
	default:
		pl.room = RoomingInfo{RoomType: domains.Choose(r, "family_suite", "triple"), Occupancy: int64(n)}
	}
	if t.Preferences != nil && t.Preferences.RoomType != nil && *t.Preferences.RoomType != "" && r.IntN(3) == 0 {
		pl.room.RoomType = *t.Preferences.RoomType
	}
	if r.IntN(2) == 0 {
		pl.addOns = append(pl.addOns, extra(r.IntN(len(extras)), o.p, o.d.Currency))
	}
	switch r.IntN(4) {
	case 1:
		s := "Standard"
		pl.insurance = &s
	case 2:
		s := "Premium"
		pl.insurance = &s
	}
	prices := make([]float64, len(pl.addOns))
	for i, a := range pl.addOns {
		prices[i] = a.Price
	}
	var ins any
	if pl.insurance != nil {
		ins = *pl.insurance
	}
	total, err := totalPrice(o.d.BasePrice, n, prices, ins)
	if err != nil {
		return nil, err
	}
	pl.total = total
	methods := t.PaymentMethods.Keys()
	first := domains.OneOf(r, methods)
	pl.pays = []BookingPayment{{PaymentID: first, Amount: total}}
	if len(methods) > 1 && r.IntN(2) == 0 {
		part := math.Floor(total/2/100) * 100
		rest := py.Round(total-part, 2)
		if part > 0 && py.Round(part+rest, 2) == total {
			var second string
			for _, m := range methods {
				if m != first {
					second = m
					break
				}
			}
			pl.pays = []BookingPayment{{PaymentID: first, Amount: part}, {PaymentID: second, Amount: rest}}
		}
	}
	return pl, nil
}

// call is the book_package call of the plan.
func (pl *bookingPlan) call() task.Call {
	pays := make([]any, len(pl.pays))
	for i, p := range pl.pays {
		pays[i] = py.NewObject("payment_id", p.PaymentID, "amount", p.Amount)
	}
	var ins any
	if pl.insurance != nil {
		ins = *pl.insurance
	}
	return task.NewCall("book_package", "traveler_id", pl.t.TravelerID, "package_id", pl.p.PackageID,
		"departure_date", pl.date, "travelers", travelersArg(pl.people), "rooming", roomingArg(pl.room),
		"add_ons", addOnsArg(pl.addOns), "insurance", ins, "payment_methods", pays)
}

// calculation is the calculator expression of the plan's total.
func (pl *bookingPlan) calculation() task.Call {
	expr := fmt.Sprintf("%s * %d", num(pl.d.BasePrice), len(pl.people))
	for _, a := range pl.addOns {
		expr += " + " + num(a.Price)
	}
	if pl.insurance != nil {
		if c := insuranceCharges[strings.ToLower(*pl.insurance)]; c > 0 {
			expr += fmt.Sprintf(" + %s * %d", num(c), len(pl.people))
		}
	}
	return task.NewCall("calculate", "expression", expr)
}

// known is what the traveler tells the agent about the booking they want.
func (pl *bookingPlan) known(r *rand.Rand, env *domains.Env) string {
	var b strings.Builder
	if id := identity(r, env, pl.t); id != "" {
		b.WriteString(id + " ")
	}
	if len(pl.people) == 1 {
		b.WriteString("You travel alone.")
	} else {
		var names []string
		for _, p := range pl.people[1:] {
			names = append(names, fmt.Sprintf("%s (born %s)", personName(p), p.DOB))
		}
		fmt.Fprintf(&b, "You travel with %s, saved as companions on your profile; your own date of birth is %s.", strings.Join(names, " and "), pl.t.DOB)
	}
	fmt.Fprintf(&b, " You want a %s room for %d.", strings.ReplaceAll(pl.room.RoomType, "_", " "), pl.room.Occupancy)
	for _, a := range pl.addOns {
		fmt.Fprintf(&b, " You also want the add-on \"%s\" (%s) that the brochure lists at %s %s.", a.Description, a.Type, domains.Money(a.Price), pl.d.Currency)
	}
	if pl.insurance == nil {
		b.WriteString(" You do not want travel insurance.")
	} else {
		fmt.Fprintf(&b, " You want %s insurance.", strings.ToLower(*pl.insurance))
	}
	if len(pl.pays) == 1 {
		fmt.Fprintf(&b, " Pay everything with your %s.", methodWords(pl.t, pl.pays[0].PaymentID))
	} else {
		fmt.Fprintf(&b, " Put %s on your %s and the rest on your %s.", domains.Money(pl.pays[0].Amount),
			methodWords(pl.t, pl.pays[0].PaymentID), methodWords(pl.t, pl.pays[1].PaymentID))
	}
	return b.String()
}

func (pl *bookingPlan) draft(r *rand.Rand, env *domains.Env, purpose, reason, known string, lookups []task.Call) (*task.Draft, error) {
	actions := append(lookups, pl.calculation(), pl.call())
	res, err := dryRun(env, actions)
	if err != nil {
		if strings.Contains(err.Error(), "Too many bookings created") {
			return nil, domains.NoCandidate("no booking id left")
		}
		return nil, err
	}
	nb, _ := res[len(res)-1].Output.(*Booking)
	if nb == nil {
		return nil, fmt.Errorf("book_package returned %T", res[len(res)-1].Output)
	}
	return &task.Draft{
		Subject:       pl.t.TravelerID,
		Purpose:       purpose,
		Persona:       persona(r, pl.t),
		ReasonForCall: reason,
		KnownInfo:     known,
		UnknownInfo:   "You do not know the total price; you expect the agent to work it out.",
		TaskInstructions: domains.Choose(r,
			"Let the agent work out the total. ",
			"Ask for the total before agreeing. ",
			"") + confirmRule(r) + " Ask for the new booking's id at the end.",
		Actions:         actions,
		CommunicateInfo: []string{domains.Money(pl.total), nb.BookingID},
		NLAssertions: []string{
			fmt.Sprintf("Before booking, the agent summarises package %s on %s for %d traveler(s) with a total of %s and gets the traveler's yes.",
				pl.p.PackageID, pl.date, len(pl.people), domains.Money(pl.total)),
			fmt.Sprintf("The agent gives the traveler the new booking id %s.", nb.BookingID),
		},
	}, nil
}

// draftBookPackage: a traveler books a package they know by id.
func draftBookPackage(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	pl, err := planBooking(r, env)
	if err != nil {
		return nil, err
	}
	when := dateSaid(r, pl.date)
	reason := domains.Choose(r,
		fmt.Sprintf("You want to book the %s package (id %s) for the departure on %s.", pl.p.Name, pl.p.PackageID, when),
		fmt.Sprintf("You have decided on the %s tour, package %s, leaving on %s, and want to book it.", pl.p.Name, pl.p.PackageID, when),
		fmt.Sprintf("You are calling to book package %s, %s, departing %s.", pl.p.PackageID, pl.p.Name, when))
	return pl.draft(r, env, "Book a package departure for a traveler and their companions, paid with saved methods.",
		reason, pl.known(r, env), []task.Call{
			task.NewCall("get_traveler_details", "traveler_id", pl.t.TravelerID),
			task.NewCall("get_package_details", "package_id", pl.p.PackageID),
		})
}

// draftBookSearched: a traveler knows the country, category and name of a package but not
// its id; the agent searches for it and books it.
func draftBookSearched(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	pl, err := planBooking(r, env)
	if err != nil {
		return nil, err
	}
	country := domains.OneOf(r, pl.p.Destinations).Country
	when := dateSaid(r, pl.date)
	reason := domains.Choose(r,
		fmt.Sprintf("You want to book the %s tour to %s called \"%s\", leaving on %s.", pl.p.Category, country, pl.p.Name, when),
		fmt.Sprintf("A friend told you about %s trip to %s named \"%s\"; you want to book its departure on %s.", article(pl.p.Category), country, pl.p.Name, when),
		fmt.Sprintf("You would like to book \"%s\", a %s package in %s, for %s.", pl.p.Name, pl.p.Category, country, when))
	return pl.draft(r, env, "Find a package by country and category, then book a departure of it for a traveler.",
		reason, pl.known(r, env)+" You do not know the package id.", []task.Call{
			task.NewCall("get_traveler_details", "traveler_id", pl.t.TravelerID),
			task.NewCall("search_packages", "destination_country", country, "category", pl.p.Category),
			task.NewCall("get_package_details", "package_id", pl.p.PackageID),
		})
}

// ---- changing a booking ----

// draftCancelBooking: a traveler cancels a booking the package's policy lets them cancel
// (every departure is months away, well before any deadline).
func draftCancelBooking(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := holdings(env, func(h *held) bool { return h.cancellable(env.Now) })
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no booking the policy plainly lets the traveler cancel")
	}
	h := domains.OneOf(r, hs)
	var info []string
	if len(h.b.PaymentHistory) == 1 && h.b.PaymentHistory[0].Amount != 0 {
		info = append(info, domains.Money(h.b.PaymentHistory[0].Amount))
	}
	reason := domains.Choose(r,
		fmt.Sprintf("You can no longer make the trip and want to cancel %s.", h.describe(r)),
		fmt.Sprintf("A family matter means you have to cancel %s.", h.describe(r)),
		fmt.Sprintf("Your work schedule changed; you need to cancel %s.", h.describe(r)),
		fmt.Sprintf("You found out your passport renewal will not be ready in time, so you want to cancel %s.", h.describe(r)))
	return &task.Draft{
		Subject:       h.t.TravelerID,
		Purpose:       "Check a package's cancellation policy, then cancel the traveler's booking and report the refund.",
		Persona:       persona(r, h.t),
		ReasonForCall: reason,
		KnownInfo:     identity(r, env, h.t),
		UnknownInfo:   "You do not know the cancellation policy or how much will be refunded.",
		TaskInstructions: domains.Choose(r,
			"Ask how much will be refunded. ",
			"Ask whether you get your money back. ",
			"") + confirmRule(r),
		Actions:         append(h.lookups(), task.NewCall("get_package_details", "package_id", h.p.PackageID), task.NewCall("cancel_booking", "booking_id", h.b.BookingID)),
		CommunicateInfo: info,
		NLAssertions: []string{
			fmt.Sprintf("The agent reads the cancellation policy of package %s before cancelling booking %s.", h.p.PackageID, h.b.BookingID),
			"The agent gets the traveler's explicit confirmation before cancelling.",
		},
	}, nil
}

// repriced returns the difference a repricing call records and the new total, from its
// result.
func repriced(before *Booking, res domains.Result) (delta, total float64, err error) {
	nb, _ := res.Output.(*Booking)
	if nb == nil {
		return 0, 0, fmt.Errorf("repricing returned %T", res.Output)
	}
	if len(nb.PaymentHistory) > len(before.PaymentHistory) {
		delta = nb.PaymentHistory[len(nb.PaymentHistory)-1].Amount
	}
	return delta, nb.TotalPrice, nil
}

// deltaInfo is what the agent must tell about a repricing.
func deltaInfo(delta, total float64) []string {
	if delta == 0 {
		return []string{domains.Money(total)}
	}
	return []string{domains.Money(delta), domains.Money(total)}
}

func deltaWords(delta float64) string {
	switch {
	case delta > 0:
		return fmt.Sprintf("charges %s", domains.Money(delta))
	case delta < 0:
		return fmt.Sprintf("refunds %s", domains.Money(delta))
	}
	return "charges nothing"
}

// draftChangeDate: a traveler moves a booking to another available departure of the same
// package; the difference goes to a saved method.
func draftChangeDate(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := holdings(env, func(h *held) bool {
		if !h.active() || h.t.PaymentMethods.Len() == 0 {
			return false
		}
		for date, d := range h.p.Departures.All() {
			if date != h.b.DepartureDate && bookable(d, len(h.people)) {
				return true
			}
		}
		return false
	})
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no booking with another open departure")
	}
	h := domains.OneOf(r, hs)
	var dates []string
	for date, d := range h.p.Departures.All() {
		if date != h.b.DepartureDate && bookable(d, len(h.people)) {
			dates = append(dates, date)
		}
	}
	date := domains.OneOf(r, dates)
	method := domains.OneOf(r, h.t.PaymentMethods.Keys())
	actions := append(h.lookups(), task.NewCall("get_package_details", "package_id", h.p.PackageID),
		task.NewCall("update_booking_departure_date", "booking_id", h.b.BookingID, "new_departure_date", date, "payment_method_id", method))
	res, err := dryRun(env, actions)
	if err != nil {
		return nil, err
	}
	delta, total, err := repriced(h.b, res[len(res)-1])
	if err != nil {
		return nil, err
	}
	return &task.Draft{
		Subject: h.t.TravelerID,
		Purpose: "Move a booking to another available departure of the same package and report the price difference.",
		Persona: persona(r, h.t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to move %s to the departure on %s.", h.describe(r), dateSaid(r, date)),
			fmt.Sprintf("Your holidays moved; you would like %s to leave on %s instead.", h.describe(r), dateSaid(r, date)),
			fmt.Sprintf("You need to travel on %s rather than %s; please change %s.", dateSaid(r, date), dateWords(h.b.DepartureDate), h.describe(r))),
		KnownInfo:   identity(r, env, h.t) + fmt.Sprintf(" Any price difference should go to your %s.", methodWords(h.t, method)),
		UnknownInfo: "You do not know whether the new date costs more or less.",
		TaskInstructions: domains.Choose(r,
			"Ask how much the change costs or refunds before agreeing. ",
			"Ask for the new total price. ",
			"") + confirmRule(r),
		Actions:         actions,
		CommunicateInfo: deltaInfo(delta, total),
		NLAssertions: []string{
			fmt.Sprintf("The agent moves booking %s to %s after the traveler confirms.", h.b.BookingID, date),
			fmt.Sprintf("The agent tells the traveler that the change %s and that the new total is %s.", deltaWords(delta), domains.Money(total)),
		},
	}, nil
}

// addOnsOK reports whether a booking's add-ons can be replaced: active, an available
// departure, and a saved method for the difference.
func (h *held) addOnsOK() bool {
	return h.active() && h.t.PaymentMethods.Len() > 0 && departureOf(h.p, h.b.DepartureDate) != nil &&
		departureOf(h.p, h.b.DepartureDate).Status == "available"
}

// draftAddAddOn: a traveler adds an add-on to a booking, keeping the ones they have.
func draftAddAddOn(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := holdings(env, func(h *held) bool { return h.addOnsOK() && len(h.p.Destinations) > 0 })
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no booking whose add-ons can change")
	}
	h := domains.OneOf(r, hs)
	d := departureOf(h.p, h.b.DepartureDate)
	var fresh []BookingAddOn
	for k := range extras {
		a := extra(k, h.p, d.Currency)
		if !slices.ContainsFunc(h.b.AddOns, func(b BookingAddOn) bool { return b.Description == a.Description }) {
			fresh = append(fresh, a)
		}
	}
	if len(fresh) == 0 {
		return nil, domains.NoCandidate("every add-on already booked")
	}
	a := domains.OneOf(r, fresh)
	list := append(slices.Clone(h.b.AddOns), a)
	method := domains.OneOf(r, h.t.PaymentMethods.Keys())
	actions := append(h.lookups(), task.NewCall("update_booking_add_ons", "booking_id", h.b.BookingID, "add_ons", addOnsArg(list), "payment_method_id", method))
	res, err := dryRun(env, actions)
	if err != nil {
		return nil, err
	}
	delta, total, err := repriced(h.b, res[len(res)-1])
	if err != nil {
		return nil, err
	}
	keep := "You want to keep the add-ons you already have."
	if len(h.b.AddOns) == 0 {
		keep = "The booking has no add-ons yet."
	}
	return &task.Draft{
		Subject: h.t.TravelerID,
		Purpose: "Add an add-on to a booking, keeping the existing ones, and report the price difference.",
		Persona: persona(r, h.t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You would like to add \"%s\" to %s.", a.Description, h.describe(r)),
			fmt.Sprintf("You read about the %s \"%s\" and want it on %s.", a.Type, a.Description, h.describe(r)),
			fmt.Sprintf("Please add the %s add-on \"%s\" to %s.", a.Type, a.Description, h.describe(r))),
		KnownInfo: identity(r, env, h.t) + fmt.Sprintf(" The add-on is of type %s, described as \"%s\", and costs %s %s. %s Charge any difference to your %s.",
			a.Type, a.Description, domains.Money(a.Price), d.Currency, keep, methodWords(h.t, method)),
		UnknownInfo: "You do not know how the booking will be repriced.",
		TaskInstructions: domains.Choose(r,
			"Ask what the change will cost before agreeing. ",
			"Ask for the new total price. ",
			"") + confirmRule(r),
		Actions:         actions,
		CommunicateInfo: deltaInfo(delta, total),
		NLAssertions: []string{
			fmt.Sprintf("The agent replaces the add-ons of booking %s with the existing ones plus \"%s\".", h.b.BookingID, a.Description),
			fmt.Sprintf("The agent tells the traveler that the change %s and the new total is %s.", deltaWords(delta), domains.Money(total)),
		},
	}, nil
}

// draftRemoveAddOns: a traveler drops one or all add-ons of a booking.
func draftRemoveAddOns(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := holdings(env, func(h *held) bool { return h.addOnsOK() && len(h.b.AddOns) > 0 })
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no booking with add-ons that can change")
	}
	h := domains.OneOf(r, hs)
	var list []BookingAddOn
	var what string
	if len(h.b.AddOns) > 1 && r.IntN(2) == 0 {
		k := r.IntN(len(h.b.AddOns))
		list = slices.Delete(slices.Clone(h.b.AddOns), k, k+1)
		what = fmt.Sprintf("the add-on \"%s\"", h.b.AddOns[k].Description)
	} else {
		list = []BookingAddOn{}
		what = "all the add-ons"
		if len(h.b.AddOns) == 1 {
			what = fmt.Sprintf("the add-on \"%s\"", h.b.AddOns[0].Description)
		}
	}
	method := domains.OneOf(r, h.t.PaymentMethods.Keys())
	actions := append(h.lookups(), task.NewCall("update_booking_add_ons", "booking_id", h.b.BookingID, "add_ons", addOnsArg(list), "payment_method_id", method))
	res, err := dryRun(env, actions)
	if err != nil {
		return nil, err
	}
	delta, total, err := repriced(h.b, res[len(res)-1])
	if err != nil {
		return nil, err
	}
	return &task.Draft{
		Subject: h.t.TravelerID,
		Purpose: "Remove add-ons from a booking and report the price difference.",
		Persona: persona(r, h.t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You no longer want %s on %s.", what, h.describe(r)),
			fmt.Sprintf("You changed your mind and would like %s removed from %s.", what, h.describe(r)),
			fmt.Sprintf("Money is tight this year; please take %s off %s.", what, h.describe(r))),
		KnownInfo:   identity(r, env, h.t) + fmt.Sprintf(" Any refund or charge should go to your %s.", methodWords(h.t, method)),
		UnknownInfo: "You do not know how much you will get back.",
		TaskInstructions: domains.Choose(r,
			"Ask how much you will get back before agreeing. ",
			"Ask for the new total price. ",
			"") + confirmRule(r) + " Keep every other add-on.",
		Actions:         actions,
		CommunicateInfo: deltaInfo(delta, total),
		NLAssertions: []string{
			fmt.Sprintf("The agent removes %s from booking %s and keeps the rest.", what, h.b.BookingID),
			fmt.Sprintf("The agent tells the traveler that the change %s and the new total is %s.", deltaWords(delta), domains.Money(total)),
		},
	}, nil
}

// draftCorrectTravelers: a traveler fixes a date of birth, a changed surname or swaps a
// companion on a booking, keeping the number of travelers.
func draftCorrectTravelers(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := holdings(env, func(h *held) bool { return h.active() })
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no active booking")
	}
	h := domains.OneOf(r, hs)
	list := slices.Clone(h.people)
	var reason, known, assertion string
	k := r.IntN(len(list))
	old := list[k]
	switch kind := r.IntN(3); {
	case kind == 1 && k > 0 && old.LastName != h.t.Name.LastName:
		list[k].LastName = h.t.Name.LastName
		reason = domains.Choose(r,
			fmt.Sprintf("Your partner %s recently married you and now goes by %s; the name on %s must match the new passport.", old.FirstName, personName(list[k]), h.describe(r)),
			fmt.Sprintf("Your fellow traveler %s changed surname to %s; please update %s.", personName(old), list[k].LastName, h.describe(r)))
		known = fmt.Sprintf(" %s's new full name is %s; the date of birth stays %s.", old.FirstName, personName(list[k]), old.DOB)
		assertion = fmt.Sprintf("The agent updates %s's surname to %s on booking %s and leaves the other travelers as they are.", old.FirstName, list[k].LastName, h.b.BookingID)
	case kind == 2 && k > 0:
		var subs []BookingTravelerInfo
		for _, c := range h.t.SavedCompanions {
			p := BookingTravelerInfo{FirstName: c.FirstName, LastName: c.LastName, DOB: c.DOB}
			if c.FirstName != "" && c.LastName != "" && c.DOB != "" && !slices.Contains(list, p) {
				subs = append(subs, p)
			}
		}
		if len(subs) > 0 {
			list[k] = domains.OneOf(r, subs)
		} else {
			first := domains.OneOf(r, countries[r.IntN(len(countries))].first)
			list[k] = BookingTravelerInfo{FirstName: first, LastName: h.t.Name.LastName, DOB: shiftYears(r, h.t.DOB)}
		}
		reason = domains.Choose(r,
			fmt.Sprintf("Your fellow traveler %s cannot come on %s; %s will take the place instead.", personName(old), h.describe(r), personName(list[k])),
			fmt.Sprintf("You want to replace %s with %s on %s.", personName(old), personName(list[k]), h.describe(r)))
		known = fmt.Sprintf(" The new traveler is %s, born %s (YY-MM-DD).", personName(list[k]), list[k].DOB)
		assertion = fmt.Sprintf("The agent replaces %s with %s on booking %s, keeping the number of travelers.", personName(old), personName(list[k]), h.b.BookingID)
	default:
		dob, ok := shiftDays(old.DOB, 1+r.IntN(3))
		if !ok {
			return nil, domains.NoCandidate("a traveler's date of birth does not parse")
		}
		list[k].DOB = dob
		reason = domains.Choose(r,
			fmt.Sprintf("The date of birth of %s on %s is wrong.", personName(old), h.describe(r)),
			fmt.Sprintf("You noticed a typo in a date of birth on %s: %s's.", h.describe(r), personName(old)))
		known = fmt.Sprintf(" The correct date of birth for %s is %s (YY-MM-DD); the booking shows %s.", personName(old), dob, old.DOB)
		if k == 0 && old.FirstName == h.t.Name.FirstName && old.LastName == h.t.Name.LastName {
			known = fmt.Sprintf(" Your own correct date of birth is %s (YY-MM-DD); the booking shows %s.", dob, old.DOB)
		}
		assertion = fmt.Sprintf("The agent changes the date of birth of %s on booking %s to %s and keeps every other traveler.", personName(old), h.b.BookingID, dob)
	}
	return &task.Draft{
		Subject:          h.t.TravelerID,
		Purpose:          "Update the travelers' details on a booking, keeping their number.",
		Persona:          persona(r, h.t),
		ReasonForCall:    reason,
		KnownInfo:        identity(r, env, h.t) + known,
		UnknownInfo:      "You do not know exactly how the travelers are recorded on the booking.",
		TaskInstructions: domains.Choose(r, "Make sure nobody else on the booking changes. ", "Do not add or remove anyone. ", "") + confirmRule(r),
		Actions:          append(h.lookups(), task.NewCall("update_booking_travelers", "booking_id", h.b.BookingID, "travelers", travelersArg(list))),
		NLAssertions:     []string{assertion, "The agent confirms the new traveler details with the traveler before updating them."},
	}, nil
}

// shiftDays moves a YY-MM-DD date back by days.
func shiftDays(k string, days int) (string, bool) {
	d, err := time.Parse("06-01-02", k)
	if err != nil {
		return "", false
	}
	return ymd(d.AddDate(0, 0, -days)), true
}

// shiftYears returns a date of birth a few years from k (or a fixed one when k does not parse).
func shiftYears(r *rand.Rand, k string) string {
	d, err := time.Parse("06-01-02", k)
	if err != nil {
		d = time.Date(1985, 3, 14, 0, 0, 0, 0, time.UTC)
	}
	return ymd(d.AddDate(1+r.IntN(4), r.IntN(12), r.IntN(28)))
}

// draftChangeRooming: a traveler changes the room type of a booking.
func draftChangeRooming(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := holdings(env, func(h *held) bool { return h.active() })
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no active booking")
	}
	h := domains.OneOf(r, hs)
	current := ""
	if room, ok := h.b.Rooming.(RoomingInfo); ok {
		current = room.RoomType
	}
	n := len(h.people)
	choices := []string{"double", "twin", "suite", "family_suite"}
	if n == 1 {
		choices = []string{"single", "double", "suite"}
	}
	var types []string
	for _, c := range choices {
		if c != current {
			types = append(types, c)
		}
	}
	room := RoomingInfo{RoomType: domains.OneOf(r, types), Occupancy: int64(n)}
	words := strings.ReplaceAll(room.RoomType, "_", " ")
	reason := domains.Choose(r,
		fmt.Sprintf("You would prefer a %s room on %s.", words, h.describe(r)),
		fmt.Sprintf("You want to change the room on %s to a %s for %d.", h.describe(r), words, n),
		fmt.Sprintf("Your back is bad, so you want a %s room instead on %s.", words, h.describe(r)))
	if current != "" {
		reason += fmt.Sprintf(" It is currently a %s.", strings.ReplaceAll(current, "_", " "))
	}
	return &task.Draft{
		Subject:          h.t.TravelerID,
		Purpose:          "Change the rooming of a booking.",
		Persona:          persona(r, h.t),
		ReasonForCall:    reason,
		KnownInfo:        identity(r, env, h.t) + fmt.Sprintf(" The room is for %d person(s), everyone on the booking; the room type is written %s.", n, room.RoomType),
		UnknownInfo:      "You do not know whether the change costs anything.",
		TaskInstructions: domains.Choose(r, "Ask whether the price changes. ", "Do not change anything else. ", "") + confirmRule(r),
		Actions:          append(h.lookups(), task.NewCall("update_booking_rooming", "booking_id", h.b.BookingID, "rooming", roomingArg(room))),
		NLAssertions: []string{
			fmt.Sprintf("The agent sets the rooming of booking %s to a %s for %d after the traveler confirms.", h.b.BookingID, room.RoomType, n),
		},
	}, nil
}

// draftScheduleMeeting: a traveler books a meeting with the agent who handles their booking.
func draftScheduleMeeting(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	free := func(a *Agent) []string {
		var days []string
		for day, av := range a.Availability.All() {
			if av != nil && len(av.Slots) > 0 {
				days = append(days, day)
			}
		}
		return days
	}
	hs := holdings(env, func(h *held) bool {
		a, ok := db.Agents.Get(h.b.AgentID)
		return ok && len(free(a)) > 0
	})
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no booking whose agent has a free slot")
	}
	h := domains.OneOf(r, hs)
	a, _ := db.Agents.Get(h.b.AgentID)
	day := domains.OneOf(r, free(a))
	av, _ := a.Availability.Get(day)
	earliest := r.IntN(2) == 0
	slot := domains.OneOf(r, av.Slots)
	if earliest {
		slot = slices.Min(av.Slots)
	}
	agentName := a.Name.FirstName + " " + a.Name.LastName
	actions := []task.Call{task.NewCall("get_traveler_details", "traveler_id", h.t.TravelerID)}
	known := identity(r, env, h.t)
	if r.IntN(2) == 0 {
		known += fmt.Sprintf(" The agent is %s, agent id %s.", agentName, a.AgentID)
	} else {
		known += fmt.Sprintf(" You want to meet whoever handles booking %s.", h.b.BookingID)
		actions = append(actions, task.NewCall("get_booking_details", "booking_id", h.b.BookingID))
	}
	actions = append(actions, task.NewCall("get_agent_details", "agent_id", a.AgentID),
		task.NewCall("schedule_agent_meeting", "agent_id", a.AgentID, "date", day, "time_range", slot, "traveler_id", h.t.TravelerID))
	when := fmt.Sprintf("You want the %s slot.", slot)
	if earliest {
		when = "Ask which slots are free that day and take the earliest one."
	}
	return &task.Draft{
		Subject: h.t.TravelerID,
		Purpose: "Schedule a meeting between a traveler and the agent handling their booking in a free slot.",
		Persona: persona(r, h.t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to meet the travel agent who handles %s on %s to go over the trip.", h.describe(r), dateSaid(r, day)),
			fmt.Sprintf("You would like an appointment on %s with the agent in charge of %s.", dateSaid(r, day), h.describe(r)),
			fmt.Sprintf("Before your trip you want to sit down with your agent on %s.", dateSaid(r, day))),
		KnownInfo:        known,
		UnknownInfo:      "You do not know the agent's free time slots.",
		TaskInstructions: when + " " + confirmRule(r),
		Actions:          actions,
		NLAssertions: []string{
			fmt.Sprintf("The agent schedules a meeting with agent %s on %s at %s for traveler %s after the traveler confirms.", a.AgentID, day, slot, h.t.TravelerID),
		},
	}, nil
}

// ---- refusals ----

// draftRefuseUnavailable: a traveler asks to book a sold-out or limited departure; the
// agent refuses and names the departures that are open.
func draftRefuseUnavailable(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cs := callers(env)
	if len(cs) == 0 {
		return nil, domains.NoCandidate("no traveler")
	}
	t := domains.OneOf(r, cs)
	type option struct {
		p      *Package
		date   string
		d      *Departure
		others []string
	}
	var opts []option
	for p := range dbOf(env).Packages.Values() {
		var closed, open []string
		for date, d := range p.Departures.All() {
			if d.Status != "available" {
				closed = append(closed, date)
			} else if d.AvailableSlots > 0 {
				open = append(open, date)
			}
		}
		for _, c := range closed {
			d, _ := p.Departures.Get(c)
			if len(open) > 0 {
				opts = append(opts, option{p, c, d, open})
			}
		}
	}
	if len(opts) == 0 {
		return nil, domains.NoCandidate("no unavailable departure")
	}
	o := domains.OneOf(r, opts)
	return &task.Draft{
		Subject: t.TravelerID,
		Purpose: "Refuse to book a departure that is not available and tell the traveler which departures are open.",
		Persona: persona(r, t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to book the %s package (id %s) on %s.", o.p.Name, o.p.PackageID, dateSaid(r, o.date)),
			fmt.Sprintf("You have your heart set on the %s departure of package %s, %s.", dateSaid(r, o.date), o.p.PackageID, o.p.Name),
			fmt.Sprintf("Your friends are on the %s departure of %s (package %s) and you want to join them.", dateSaid(r, o.date), o.p.Name, o.p.PackageID)),
		KnownInfo:   identity(r, env, t) + " You travel alone.",
		UnknownInfo: "You do not know whether that departure still has room.",
		TaskInstructions: domains.Choose(r,
			"If that departure cannot be booked, ask which other departure dates of the package are open and note them; you will think about them later.",
			"Insist once that you really want that date. If the agent still refuses, ask for the open departure dates of that package but do not book one.",
			"If the agent says it cannot be booked, ask which dates of that package are available instead, but do not book one of them now."),
		Actions: []task.Call{
			task.NewCall("get_traveler_details", "traveler_id", t.TravelerID),
			task.NewCall("get_package_details", "package_id", o.p.PackageID),
		},
		CommunicateInfo: o.others,
		NLAssertions: []string{
			fmt.Sprintf("The agent refuses to book the %s departure of package %s because its status is %s.", o.date, o.p.PackageID, o.d.Status),
			fmt.Sprintf("The agent does not book package %s.", o.p.PackageID),
		},
	}, nil
}

// draftRefuseNoPayment: a traveler with no saved payment method wants to book; the agent
// quotes the price but refuses to book.
func draftRefuseNoPayment(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	var ts []*Traveler
	for _, t := range callers(env) {
		if t.PaymentMethods.Len() == 0 {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return nil, domains.NoCandidate("no traveler without a saved payment method")
	}
	t := domains.OneOf(r, ts)
	type option struct {
		p    *Package
		date string
		d    *Departure
	}
	var opts []option
	for p := range dbOf(env).Packages.Values() {
		for date, d := range p.Departures.All() {
			if bookable(d, 1) {
				opts = append(opts, option{p, date, d})
			}
		}
	}
	if len(opts) == 0 {
		return nil, domains.NoCandidate("no open departure")
	}
	o := domains.OneOf(r, opts)
	return &task.Draft{
		Subject: t.TravelerID,
		Purpose: "Quote a departure's price to a traveler with no saved payment method and refuse to book it.",
		Persona: persona(r, t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to book the %s package (id %s) on %s for yourself.", o.p.Name, o.p.PackageID, dateSaid(r, o.date)),
			fmt.Sprintf("You would like a seat on the %s departure of package %s, %s.", dateSaid(r, o.date), o.p.PackageID, o.p.Name)),
		KnownInfo:   identity(r, env, t) + " You travel alone. You want to pay by card over the phone; you have never saved a card with the agency.",
		UnknownInfo: "You do not know the price.",
		TaskInstructions: domains.Choose(r,
			"Ask for the price per person first. Offer to read out a new card number; if the agent refuses, accept it.",
			"Ask how much it costs, then ask to book. If the agent says it cannot book without a saved payment method, accept that."),
		Actions: []task.Call{
			task.NewCall("get_traveler_details", "traveler_id", t.TravelerID),
			task.NewCall("get_package_details", "package_id", o.p.PackageID),
		},
		CommunicateInfo: []string{domains.Money(o.d.BasePrice)},
		NLAssertions: []string{
			"The agent refuses to book because the traveler has no saved payment method.",
			fmt.Sprintf("The agent tells the traveler the departure costs %s %s per person.", domains.Money(o.d.BasePrice), o.d.Currency),
		},
	}, nil
}

// draftTransferAddTraveler: a traveler wants another person added to a booking; the
// number of travelers cannot change here, so the agent transfers them. A transfer ends the
// conversation, so this template starts no chain: as a first request it names no subject.
func draftTransferAddTraveler(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := holdings(env, func(h *held) bool { return h.active() })
	if len(hs) == 0 {
		return nil, domains.NoCandidate("no active booking")
	}
	h := domains.OneOf(r, hs)
	extraName := ""
	for _, c := range h.t.SavedCompanions {
		if !slices.ContainsFunc(h.people, func(p BookingTravelerInfo) bool { return p.FirstName == c.FirstName && p.LastName == c.LastName }) {
			extraName = c.FirstName + " " + c.LastName
			break
		}
	}
	if extraName == "" {
		extraName = domains.OneOf(r, countries[r.IntN(len(countries))].first) + " " + h.t.Name.LastName
	}
	subject := ""
	if env.Subject != "" {
		subject = h.t.TravelerID
	}
	return &task.Draft{
		Subject: subject,
		Purpose: "Tell a traveler a booking's total, then transfer their request to add a traveler to a human agent.",
		Persona: persona(r, h.t),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to add %s to %s.", extraName, h.describe(r)),
			fmt.Sprintf("Your friend %s has decided to come along; you want them added to %s.", extraName, h.describe(r))),
		KnownInfo:   identity(r, env, h.t),
		UnknownInfo: "You do not know the booking's current total or whether travelers can be added.",
		TaskInstructions: domains.Choose(r,
			"First ask what the booking currently costs in total, then ask to add the person. Accept a transfer to a human agent.",
			"Ask for the current total, then insist on adding the person; if the agent transfers you, accept."),
		Actions: append(h.lookups(), task.NewCall("transfer_to_human_agents", "summary",
			fmt.Sprintf("Traveler %s (%s) wants to add %s to booking %s; the number of travelers cannot be changed here.", fullName(h.t), h.t.TravelerID, extraName, h.b.BookingID))),
		CommunicateInfo: []string{domains.Money(h.b.TotalPrice)},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the traveler that booking %s currently totals %s.", h.b.BookingID, domains.Money(h.b.TotalPrice)),
			fmt.Sprintf("The agent does not add anyone to booking %s and transfers the traveler to a human agent.", h.b.BookingID),
		},
	}, nil
}
