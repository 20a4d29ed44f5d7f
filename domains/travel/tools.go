package travel

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/calc"
	"github.com/toolscale/toolscale/domains/py"
)

//go:embed policy.md
var policy string

// bookingDate is the reference's fixed booking date of new bookings, in 4-digit-year ISO
// form unlike every other date of the domain.
const bookingDate = "2024-05-15"

// newBookingIDs is the reference's fixed pool of ids for new bookings.
var newBookingIDs = []string{"TAU001", "TAU002", "TAU003"}

// Insurance charges per traveler by (trimmed, lower-cased) label; other labels are free.
var insuranceCharges = map[string]float64{"standard": 50.0, "premium": 100.0}

// Domain is the travel agency domain.
var Domain = &domains.Domain{
	Name:     "travel",
	Toolkit:  "TravelAgencyTools",
	NewDB:    func() domains.DB { return &DB{} },
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "get_traveler_details", Kind: domains.Read, Params: travelerParams{}, Fn: getTravelerDetails,
			Description: "Get a traveler's profile: name, address, contact, passport, preferences, saved payment methods, companions, memberships and bookings."},
		{Name: "get_agent_details", Kind: domains.Read, Params: agentParams{}, Fn: getAgentDetails,
			Description: "Get an agent's profile: contact, agency, certifications, languages, regions, assigned travelers, managed packages, bookings handled and availability."},
		{Name: "get_package_details", Kind: domains.Read, Params: packageParams{}, Fn: getPackageDetails,
			Description: "Get a package in full: destinations, departures with prices and free slots, itinerary, inclusions, accommodations, transportation, activities, policies and managing agents."},
		{Name: "get_booking_details", Kind: domains.Read, Params: bookingParams{}, Fn: getBookingDetails,
			Description: "Get a booking by its id: package, agent, dates, status, travelers, rooming, add-ons, insurance, payments and total price."},
		{Name: "search_packages", Kind: domains.Read, Params: searchParams{}, Fn: searchPackages,
			Description: "Search packages by destination city and/or country, category and departure date (YY-MM-DD); only packages with an available departure are returned. Matching is exact."},
		{Name: "list_all_destinations", Kind: domains.Read, Params: noParams{}, Fn: listAllDestinations,
			Description: "List every destination (city and country) of every package, once each."},
		{Name: "book_package", Kind: domains.Write, Params: bookParams{}, Fn: bookPackage,
			Description: "Book a package departure for a traveler. The departure must be available with a slot per traveler; the total is the base price times the travelers, plus the add-ons, plus insurance (standard 50, premium 100 per traveler). Payments from the traveler's saved methods must add up exactly to the total."},
		{Name: "cancel_booking", Kind: domains.Write, Params: bookingParams{}, Fn: cancelBooking,
			Description: "Cancel a booking: every recorded payment is refunded with a negative entry and the departure's slots are released."},
		{Name: "update_booking_add_ons", Kind: domains.Write, Params: addOnsParams{}, Fn: updateBookingAddOns,
			Description: "Replace the whole list of a booking's add-ons. The booking is repriced and the difference charged or refunded to a saved payment method of the traveler."},
		{Name: "update_booking_departure_date", Kind: domains.Write, Params: departureParams{}, Fn: updateBookingDepartureDate,
			Description: "Move a booking to another departure date of the same package, which must be available with a slot per traveler. The booking is repriced and the difference charged or refunded to a saved payment method."},
		{Name: "update_booking_travelers", Kind: domains.Write, Params: travelersParams{}, Fn: updateBookingTravelers,
			Description: "Replace the details of a booking's travelers; their number must stay the same."},
		{Name: "update_booking_rooming", Kind: domains.Write, Params: roomingParams{}, Fn: updateBookingRooming,
			Description: "Replace a booking's rooming (room type and occupancy). The price does not change."},
		{Name: "schedule_agent_meeting", Kind: domains.Write, Params: meetingParams{}, Fn: scheduleAgentMeeting,
			Description: "Book one of an agent's free time slots on a date for a meeting with a traveler; the slot is then taken."},
		{Name: "transfer_to_human_agents", Kind: domains.Generic, Params: transferParams{}, Fn: transferToHumanAgents,
			Description: "Transfer the user to a human agent, with a summary of the issue. Only when the user asks for one or the request cannot be handled with the available tools."},
		{Name: "calculate", Kind: domains.Generic, Params: calculateParams{}, Fn: calculate,
			Description: "Calculate the result of an arithmetic expression (numbers, + - * /, parentheses) and return it rounded to two decimals."},
	},
}

func init() { domains.Register(Domain) }

type noParams struct{}

type travelerParams struct {
	TravelerID string `json:"traveler_id" jsonschema:"description=The traveler's id."`
}

type agentParams struct {
	AgentID string `json:"agent_id" jsonschema:"description=The agent's id."`
}

type packageParams struct {
	PackageID string `json:"package_id" jsonschema:"description=The package's id."`
}

type bookingParams struct {
	BookingID string `json:"booking_id" jsonschema:"description=The booking's id."`
}

type searchParams struct {
	DestinationCity    *string `json:"destination_city,omitempty" jsonschema:"nullable,description=A destination city\\, spelled exactly."`
	DestinationCountry *string `json:"destination_country,omitempty" jsonschema:"nullable,description=A destination country\\, spelled exactly."`
	Category           *string `json:"category,omitempty" jsonschema:"nullable,description=The package category\\, such as adventure or culture."`
	DepartureDate      *string `json:"departure_date,omitempty" jsonschema:"nullable,description=A departure date the package must offer\\, YY-MM-DD."`
}

type bookParams struct {
	TravelerID     string                `json:"traveler_id" jsonschema:"description=The booking traveler's id."`
	PackageID      string                `json:"package_id" jsonschema:"description=The package's id."`
	DepartureDate  string                `json:"departure_date" jsonschema:"description=The departure date\\, YY-MM-DD\\, a departure of the package."`
	Travelers      []BookingTravelerInfo `json:"travelers" jsonschema:"description=Everyone travelling: first_name\\, last_name and dob (YY-MM-DD)."`
	Rooming        RoomingInfo           `json:"rooming" jsonschema:"description=The room: room_type and occupancy."`
	AddOns         []BookingAddOn        `json:"add_ons" jsonschema:"description=Add-ons (type\\, description\\, price); may be empty."`
	Insurance      *string               `json:"insurance" jsonschema:"nullable,description=An insurance label: standard and premium are charged per traveler\\, null for none."`
	PaymentMethods []BookingPayment      `json:"payment_methods" jsonschema:"description=The payments: payment_id (a saved payment method) and amount; they must add up to the total."`
	AgentID        *string               `json:"agent_id,omitempty" jsonschema:"nullable,description=The handling agent; by default the package's first managing agent."`
}

type addOnsParams struct {
	BookingID       string         `json:"booking_id" jsonschema:"description=The booking's id."`
	AddOns          []BookingAddOn `json:"add_ons" jsonschema:"description=The whole new list of add-ons (type\\, description\\, price)."`
	PaymentMethodID string         `json:"payment_method_id" jsonschema:"description=The traveler's saved payment method charged or refunded the difference."`
}

type departureParams struct {
	BookingID        string `json:"booking_id" jsonschema:"description=The booking's id."`
	NewDepartureDate string `json:"new_departure_date" jsonschema:"description=The new departure date\\, YY-MM-DD."`
	PaymentMethodID  string `json:"payment_method_id" jsonschema:"description=The traveler's saved payment method charged or refunded the difference."`
}

type travelersParams struct {
	BookingID string                `json:"booking_id" jsonschema:"description=The booking's id."`
	Travelers []BookingTravelerInfo `json:"travelers" jsonschema:"description=The travelers' details (first_name\\, last_name\\, dob)\\, as many as on the booking."`
}

type roomingParams struct {
	BookingID string      `json:"booking_id" jsonschema:"description=The booking's id."`
	Rooming   RoomingInfo `json:"rooming" jsonschema:"description=The new rooming: room_type and occupancy."`
}

type meetingParams struct {
	AgentID    string `json:"agent_id" jsonschema:"description=The agent's id."`
	Date       string `json:"date" jsonschema:"description=The date\\, YY-MM-DD\\, a day the agent is available."`
	TimeRange  string `json:"time_range" jsonschema:"description=One of the agent's free slots that day\\, HH:MM-HH:MM."`
	TravelerID string `json:"traveler_id" jsonschema:"description=The traveler's id."`
}

type transferParams struct {
	Summary string `json:"summary" jsonschema:"description=A summary of the user's issue."`
}

type calculateParams struct {
	Expression string `json:"expression" jsonschema:"description=The arithmetic expression\\, such as 2 * (17900 + 99.99)."`
}

func dbOf(e *domains.Env) *DB { return e.DB.(*DB) }

// findTraveler is the reference's _get_traveler: a dict lookup by the argument as given.
func findTraveler(db *DB, v any) (string, *Traveler, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if t, found := db.Travelers.Get(k); found {
			return k, t, nil
		}
	}
	return "", nil, fmt.Errorf("Traveler %s not found", py.Str(v))
}

// findAgent is the reference's _get_agent.
func findAgent(db *DB, v any) (string, *Agent, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if a, found := db.Agents.Get(k); found {
			return k, a, nil
		}
	}
	return "", nil, fmt.Errorf("Agent %s not found", py.Str(v))
}

// findPackage is the reference's _get_package.
func findPackage(db *DB, v any) (string, *Package, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if p, found := db.Packages.Get(k); found {
			return k, p, nil
		}
	}
	return "", nil, fmt.Errorf("Package %s not found", py.Str(v))
}

// bookingRef locates a booking: its traveler's key and its index in their list.
type bookingRef struct {
	traveler string
	index    int
}

// findBooking is the reference's _get_booking: the first booking with the id, scanning
// travelers in table order and each one's bookings in list order (ids are not unique).
// It compares with ==, so an id of any type is simply not found.
func findBooking(db *DB, v any) (bookingRef, *Traveler, *Booking, error) {
	if id, ok := v.(string); ok {
		for k, t := range db.Travelers.All() {
			for i := range t.Bookings {
				if t.Bookings[i].BookingID == id {
					return bookingRef{k, i}, t, &t.Bookings[i], nil
				}
			}
		}
	}
	return bookingRef{}, nil, nil, fmt.Errorf("Booking %s not found", py.Str(v))
}

// mut returns the booking at ref for a change.
func (ref bookingRef) mut(db *DB) *Booking {
	t, _ := db.Travelers.Mut(ref.traveler)
	return &t.Bookings[ref.index]
}

// savedMethod is `payment_method_id in traveler.payment_methods`.
func savedMethod(t *Traveler, v any) (string, bool, error) {
	k, ok, err := dictKey(v)
	if err != nil || !ok {
		return "", false, err
	}
	_, found := t.PaymentMethods.Get(k)
	return k, found, nil
}

func getTravelerDetails(e *domains.Env, a domains.Args) (any, error) {
	_, t, err := findTraveler(dbOf(e), a["traveler_id"])
	if err != nil {
		return nil, err
	}
	return t, nil
}

func getAgentDetails(e *domains.Env, a domains.Args) (any, error) {
	_, ag, err := findAgent(dbOf(e), a["agent_id"])
	if err != nil {
		return nil, err
	}
	return ag, nil
}

func getPackageDetails(e *domains.Env, a domains.Args) (any, error) {
	_, p, err := findPackage(dbOf(e), a["package_id"])
	if err != nil {
		return nil, err
	}
	return p, nil
}

func getBookingDetails(e *domains.Env, a domains.Args) (any, error) {
	_, _, b, err := findBooking(dbOf(e), a["booking_id"])
	if err != nil {
		return nil, err
	}
	return b, nil
}

func searchPackages(e *domains.Env, a domains.Args) (any, error) {
	city, country := a["destination_city"], a["destination_country"]
	category, date := a["category"], a["departure_date"]
	out := []*Package{}
	for p := range dbOf(e).Packages.Values() {
		// Only a null field is a wildcard: "" is compared literally once the other
		// destination field is given.
		if truthy(city) || truthy(country) {
			match := slices.ContainsFunc(p.Destinations, func(l Location) bool {
				return (city == nil || isStr(city, l.City)) && (country == nil || isStr(country, l.Country))
			})
			if !match {
				continue
			}
		}
		if truthy(category) && !isStr(category, p.Category) {
			continue
		}
		if truthy(date) {
			k, ok, err := dictKey(date)
			if err != nil {
				return nil, err
			}
			if ok {
				_, ok = p.Departures.Get(k)
			}
			if !ok {
				continue
			}
		}
		if slices.ContainsFunc(p.Departures.Keys(), func(k string) bool {
			d, _ := p.Departures.Get(k)
			return d.Status == "available" && d.AvailableSlots > 0
		}) {
			out = append(out, p)
		}
	}
	return out, nil
}

func listAllDestinations(e *domains.Env, _ domains.Args) (any, error) {
	out := []Location{}
	for p := range dbOf(e).Packages.Values() {
		for _, l := range p.Destinations {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// validateDeparture is the reference's _validate_departure.
func validateDeparture(p *Package, date any, required int) (string, *Departure, error) {
	k, ok, err := dictKey(date)
	if err != nil {
		return "", nil, err
	}
	var d *Departure
	if ok {
		d, ok = p.Departures.Get(k)
	}
	if !ok {
		return "", nil, fmt.Errorf("Package %s not offered on %s", p.PackageID, py.Str(date))
	}
	if d.Status != "available" {
		return "", nil, fmt.Errorf("Departure on %s for package %s is not available", k, p.PackageID)
	}
	if d.AvailableSlots < int64(required) {
		return "", nil, fmt.Errorf("Not enough slots on %s. Needed %d, available %d", k, required, d.AvailableSlots)
	}
	return k, d, nil
}

// addOnPrices returns the prices of add-ons: converted ones, or, for a list kept as given
// because not every element was a dict, the AttributeError of its first element.
func addOnPrices(addOns []BookingAddOn, raw []any) ([]float64, error) {
	if addOns == nil && len(raw) > 0 {
		return nil, noAttr(raw[0], "price")
	}
	prices := make([]float64, len(addOns))
	for i, a := range addOns {
		prices[i] = a.Price
	}
	return prices, nil
}

// totalPrice is the reference's _calc_total_price: base × travelers, plus the add-ons
// (summed first, as sum() does), plus the insurance charge, rounded to cents.
func totalPrice(base float64, n int, addOnPrices []float64, insurance any) (float64, error) {
	total := base * float64(n)
	var addOns float64
	for _, p := range addOnPrices {
		addOns += p
	}
	total += addOns
	if truthy(insurance) {
		label, ok := insurance.(string)
		if !ok {
			return 0, noAttr(insurance, "strip")
		}
		// Any other label (including "Standard Plan") is free.
		total += insuranceCharges[pyLower(pyStrip(label))] * float64(n)
	}
	return py.Round(total, 2), nil
}

// insuranceOf returns a booking's stored insurance as a Python value.
func insuranceOf(b *Booking) any {
	if b.Insurance == nil {
		return nil
	}
	return *b.Insurance
}

// validatePayments is the reference's _validate_payments.
func validatePayments(t *Traveler, pays []BookingPayment, raw []any, total float64) error {
	if pays == nil && len(raw) > 0 {
		return noAttr(raw[0], "payment_id")
	}
	for _, p := range pays {
		if _, ok := t.PaymentMethods.Get(p.PaymentID); !ok {
			return fmt.Errorf("Payment method %s not found for traveler", p.PaymentID)
		}
	}
	if len(pays) == 0 { // sum() of nothing is the int 0
		if py.Round(total, 2) != 0 {
			return fmt.Errorf("Payment amount does not add up, total price is %s, but paid 0", py.FormatFloat(total))
		}
		return nil
	}
	var sum float64
	for _, p := range pays {
		sum += p.Amount
	}
	if paid := py.Round(sum, 2); py.Round(total, 2) != paid {
		return fmt.Errorf("Payment amount does not add up, total price is %s, but paid %s", py.FormatFloat(total), py.FormatFloat(paid))
	}
	return nil
}

// convert turns a list argument into models when every element is a dict, as the
// reference does; otherwise it returns nil and the items, which the caller meets raw.
func convert[T any](v any) ([]T, []any, error) {
	raw, err := iterate(v)
	if err != nil {
		return nil, nil, err
	}
	if !allDicts(raw) {
		return nil, raw, nil
	}
	out := make([]T, 0, len(raw))
	for _, item := range raw {
		m, err := domains.Build[T](item)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, *m)
	}
	return out, raw, nil
}

// newBookingID returns the first id of the reference's pool that no booking uses.
func newBookingID(db *DB) (string, error) {
	for _, id := range newBookingIDs {
		if _, _, _, err := findBooking(db, id); err != nil {
			return id, nil
		}
	}
	return "", errors.New("Too many bookings created")
}

// bookingArgs are the Booking fields book_package passes through unchecked, validated
// when the booking is built.
type bookingArgs struct {
	Travelers []BookingTravelerInfo `json:"travelers"`
	Rooming   RoomingInfo           `json:"rooming"`
	Insurance *string               `json:"insurance"`
}

func bookPackage(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	travelers, _, err := convert[BookingTravelerInfo](a["travelers"])
	if err != nil {
		return nil, err
	}
	rooming := a["rooming"]
	var room *RoomingInfo
	if o, ok := rooming.(*py.Object); ok {
		if room, err = domains.Build[RoomingInfo](o); err != nil {
			return nil, err
		}
	}
	addOns, rawAddOns, err := convert[BookingAddOn](a["add_ons"])
	if err != nil {
		return nil, err
	}
	pays, rawPays, err := convert[BookingPayment](a["payment_methods"])
	if err != nil {
		return nil, err
	}
	travelerID, traveler, err := findTraveler(db, a["traveler_id"])
	if err != nil {
		return nil, err
	}
	packageID, pkg, err := findPackage(db, a["package_id"])
	if err != nil {
		return nil, err
	}
	agentArg := a["agent_id"]
	if agentArg == nil {
		if len(pkg.ManagedByAgents) == 0 {
			return nil, errors.New("No managing agent available for this package")
		}
		agentArg = pkg.ManagedByAgents[0] // an explicit agent need not manage the package
	}
	agentID, _, err := findAgent(db, agentArg)
	if err != nil {
		return nil, err
	}
	n := len(travelers)
	if travelers == nil {
		if n, err = pyLen(a["travelers"]); err != nil {
			return nil, err
		}
	}
	date, dep, err := validateDeparture(pkg, a["departure_date"], n)
	if err != nil {
		return nil, err
	}
	prices, err := addOnPrices(addOns, rawAddOns)
	if err != nil {
		return nil, err
	}
	insurance := a["insurance"]
	total, err := totalPrice(dep.BasePrice, n, prices, insurance)
	if err != nil {
		return nil, err
	}
	if err := validatePayments(traveler, pays, rawPays, total); err != nil {
		return nil, err
	}
	id, err := newBookingID(db)
	if err != nil {
		return nil, err
	}
	// Building the Booking validates what was passed through unchecked.
	checked, err := domains.Build[bookingArgs](py.NewObject("travelers", a["travelers"], "rooming", rooming, "insurance", insurance))
	if err != nil {
		var verr *domains.ValidationError
		if errors.As(err, &verr) {
			verr.Model = "Booking"
		}
		return nil, err
	}
	if room == nil {
		room = &checked.Rooming
	}
	if travelers == nil {
		travelers = checked.Travelers
	}
	if addOns == nil {
		addOns = []BookingAddOn{}
	}
	if pays == nil {
		pays = []BookingPayment{}
	}
	b := Booking{
		BookingID:      id,
		PackageID:      packageID,
		AgentID:        agentID,
		BookingDate:    bookingDate,
		DepartureDate:  date,
		Status:         "confirmed",
		Travelers:      travelers,
		Rooming:        *room,
		AddOns:         addOns,
		Insurance:      checked.Insurance, // the label as given
		PaymentHistory: pays,
		TotalPrice:     total,
	}
	t, _ := db.Travelers.Mut(travelerID)
	t.Bookings = append(t.Bookings, b)
	p, _ := db.Packages.Mut(packageID)
	d, _ := p.Departures.Get(date)
	d.AvailableSlots -= int64(n)
	ag, _ := db.Agents.Mut(agentID)
	if !slices.Contains(ag.AssignedTravelers, travelerID) {
		ag.AssignedTravelers = append(ag.AssignedTravelers, travelerID)
	}
	if !slices.Contains(ag.BookingsHandled, id) {
		ag.BookingsHandled = append(ag.BookingsHandled, id)
	}
	return &t.Bookings[len(t.Bookings)-1], nil
}

// releaseSlots gives n slots back to a departure; a date the package no longer offers
// is only logged by the reference.
func releaseSlots(db *DB, packageID, date string, n int) {
	p, _ := db.Packages.Get(packageID)
	if _, ok := p.Departures.Get(date); !ok {
		return
	}
	p, _ = db.Packages.Mut(packageID)
	d, _ := p.Departures.Get(date)
	d.AvailableSlots += int64(n)
}

func cancelBooking(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	ref, _, b, err := findBooking(db, a["booking_id"])
	if err != nil {
		return nil, err
	}
	packageID, _, err := findPackage(db, b.PackageID)
	if err != nil {
		return nil, err
	}
	b = ref.mut(db)
	// Every entry is mirrored, earlier refunds included; there is no status check, so a
	// second cancel refunds and releases again.
	refunds := make([]BookingPayment, 0, len(b.PaymentHistory))
	for _, p := range b.PaymentHistory {
		refunds = append(refunds, BookingPayment{PaymentID: p.PaymentID, Amount: -p.Amount})
	}
	b.PaymentHistory = append(b.PaymentHistory, refunds...)
	b.Status = "cancelled"
	n, err := pyLen(b.Travelers)
	if err != nil {
		return nil, err
	}
	releaseSlots(db, packageID, b.DepartureDate, n)
	return b, nil
}

func updateBookingAddOns(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	ref, traveler, b, err := findBooking(db, a["booking_id"])
	if err != nil {
		return nil, err
	}
	_, pkg, err := findPackage(db, b.PackageID)
	if err != nil {
		return nil, err
	}
	method, ok, err := savedMethod(traveler, a["payment_method_id"])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("Payment method %s not found for traveler", py.Str(a["payment_method_id"]))
	}
	addOns, rawAddOns, err := convert[BookingAddOn](a["add_ons"])
	if err != nil {
		return nil, err
	}
	// The booked departure must still be available, even though no slot is needed.
	_, dep, err := validateDeparture(pkg, b.DepartureDate, 0)
	if err != nil {
		return nil, err
	}
	n, err := pyLen(b.Travelers)
	if err != nil {
		return nil, err
	}
	prices, err := addOnPrices(addOns, rawAddOns)
	if err != nil {
		return nil, err
	}
	total, err := totalPrice(dep.BasePrice, n, prices, insuranceOf(b))
	if err != nil {
		return nil, err
	}
	// The delta also carries any difference between the stored total and the formula.
	delta := py.Round(total-b.TotalPrice, 2)
	b = ref.mut(db)
	if delta != 0 {
		b.PaymentHistory = append(b.PaymentHistory, BookingPayment{PaymentID: method, Amount: delta})
	}
	if addOns == nil {
		addOns = []BookingAddOn{}
	}
	b.AddOns = addOns
	b.TotalPrice = total // no status check: a cancelled booking is repriced too
	return b, nil
}

func updateBookingDepartureDate(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	ref, traveler, b, err := findBooking(db, a["booking_id"])
	if err != nil {
		return nil, err
	}
	packageID, pkg, err := findPackage(db, b.PackageID)
	if err != nil {
		return nil, err
	}
	method, ok, err := savedMethod(traveler, a["payment_method_id"])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("Payment method %s not found for traveler", py.Str(a["payment_method_id"]))
	}
	n, err := pyLen(b.Travelers)
	if err != nil {
		return nil, err
	}
	date, dep, err := validateDeparture(pkg, a["new_departure_date"], n)
	if err != nil {
		return nil, err
	}
	prices := make([]float64, len(b.AddOns))
	for i, ad := range b.AddOns {
		prices[i] = ad.Price
	}
	total, err := totalPrice(dep.BasePrice, n, prices, insuranceOf(b))
	if err != nil {
		return nil, err
	}
	delta := py.Round(total-b.TotalPrice, 2)
	// The same date is allowed: it needs the free slots and nets zero.
	releaseSlots(db, packageID, b.DepartureDate, n)
	p, _ := db.Packages.Mut(packageID)
	d, _ := p.Departures.Get(date)
	d.AvailableSlots -= int64(n)
	b = ref.mut(db)
	if delta != 0 {
		b.PaymentHistory = append(b.PaymentHistory, BookingPayment{PaymentID: method, Amount: delta})
	}
	b.DepartureDate = date
	b.TotalPrice = total
	return b, nil
}

func updateBookingTravelers(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	ref, _, b, err := findBooking(db, a["booking_id"])
	if err != nil {
		return nil, err
	}
	travelers, _, err := convert[BookingTravelerInfo](a["travelers"])
	if err != nil {
		return nil, err
	}
	var value any = travelers
	n := len(travelers)
	if travelers == nil { // not a list of dicts: kept, and stored, as given
		value = a["travelers"]
		if n, err = pyLen(value); err != nil {
			return nil, err
		}
	}
	current, err := pyLen(b.Travelers)
	if err != nil {
		return nil, err
	}
	if n != current {
		return nil, errors.New("Number of travelers does not match current booking")
	}
	b = ref.mut(db)
	b.Travelers = domains.Clone(value)
	return b, nil
}

func updateBookingRooming(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	ref, _, _, err := findBooking(db, a["booking_id"])
	if err != nil {
		return nil, err
	}
	rooming := a["rooming"]
	if o, ok := rooming.(*py.Object); ok {
		room, err := domains.Build[RoomingInfo](o)
		if err != nil {
			return nil, err
		}
		rooming = *room
	} else {
		rooming = domains.Clone(rooming) // any other value is stored as given
	}
	b := ref.mut(db)
	b.Rooming = rooming
	return b, nil
}

func scheduleAgentMeeting(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	agentID, agent, err := findAgent(db, a["agent_id"])
	if err != nil {
		return nil, err
	}
	if _, _, err := findTraveler(db, a["traveler_id"]); err != nil {
		return nil, err // the traveler is only checked, not recorded
	}
	date, timeRange := a["date"], a["time_range"]
	k, ok, err := dictKey(date)
	if err != nil {
		return nil, err
	}
	var day *AvailabilityDay
	if ok {
		day, ok = agent.Availability.Get(k)
	}
	if !ok {
		return nil, fmt.Errorf("Agent is not available on %s", py.Str(date))
	}
	slot, _ := timeRange.(string)
	i := slices.Index(day.Slots, slot)
	if _, isStr := timeRange.(string); !isStr || i < 0 {
		return nil, fmt.Errorf("Time slot %s not available on %s", py.Str(timeRange), k)
	}
	ag, _ := db.Agents.Mut(agentID)
	day, _ = ag.Availability.Get(k)
	day.Slots = slices.Delete(day.Slots, i, i+1) // the day stays, even with no slot left
	return fmt.Sprintf("Meeting scheduled with agent %s on %s at %s", agentID, k, slot), nil
}

func transferToHumanAgents(*domains.Env, domains.Args) (any, error) {
	return "Transfer successful", nil
}

// calculate is the reference's calculate: the expression's characters are checked against
// the allowed ones (iterating whatever was given), then it is evaluated.
func calculate(_ *domains.Env, a domains.Args) (any, error) {
	expr := a["expression"]
	if s, ok := expr.(string); ok {
		return calc.Evaluate(s)
	}
	items, err := iterate(expr)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("'in <string>' requires string as left operand, not %s", py.TypeName(it))
		}
		if !strings.Contains(calc.Allowed, s) {
			return nil, errors.New("Invalid characters in expression")
		}
	}
	return nil, errors.New("eval() arg 1 must be a string, bytes or code object")
}
