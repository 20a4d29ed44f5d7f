package restaurant

import (
	_ "embed"
	"errors"
	"math"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/calc"
	"github.com/toolscale/toolscale/domains/py"
)

//go:embed policy.md
var policy string

// Domain is the restaurant domain, registered as "restaurant".
var Domain = &domains.Domain{
	Name:     "restaurant",
	Toolkit:  "RestaurantTools",
	NewDB:    newDB,
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "calculate", Kind: domains.Generic, Params: calculateParams{}, Fn: calculate,
			Description: "Calculate the result of an arithmetic expression and return it rounded to two decimals."},
		{Name: "transfer_to_human_agents", Kind: domains.Generic, Params: transferParams{}, Fn: transferToHuman,
			Description: "Transfer the patron to a human agent with a summary of the issue. Only when the patron asks for a human or the request cannot be handled with the available tools."},
		{Name: "get_ticket_details", Kind: domains.Read, Params: ticketParams{}, Fn: getTicketDetails,
			Description: "Get a service ticket: patron, service mode, dropoff or table, line entries, state, preparation batches and charges."},
		{Name: "get_dish_details", Kind: domains.Read, Params: dishParams{}, Fn: getDishDetails,
			Description: "Get a dish of the menu with its plates: modifiers, whether each is served today, and cost."},
		{Name: "get_patron_details", Kind: domains.Read, Params: patronParams{}, Fn: getPatronDetails,
			Description: "Get a patron's profile: name, address, contact email, saved payment instruments and ticket history."},
		{Name: "list_all_dishes", Kind: domains.Read, Params: noParams{}, Fn: listAllDishes,
			Description: "List the dishes of the menu as a JSON object from title to dish_ref, sorted by title."},
		{Name: "find_patron_ref_by_email", Kind: domains.Read, Params: emailParams{}, Fn: findPatronRefByEmail,
			Description: "Find the guest_ref of the patron with the given contact email (case-insensitive)."},
		{Name: "find_patron_ref_by_name_zip", Kind: domains.Read, Params: nameZipParams{}, Fn: findPatronRefByNameZip,
			Description: "Find the guest_ref of a patron by given name, family name (both case-insensitive) and postal code. Use when the email is unknown or not found."},
		{Name: "cancel_placed_ticket", Kind: domains.Write, Params: cancelParams{}, Fn: cancelPlacedTicket,
			Description: "Cancel a ticket in the placed state. Each payment is refunded to its instrument; tips, tax and fees are not."},
		{Name: "modify_placed_ticket_dropoff", Kind: domains.Write, Params: dropoffParams{}, Fn: modifyPlacedTicketDropoff,
			Description: "Replace the dropoff address of a placed delivery ticket."},
		{Name: "modify_placed_ticket_table", Kind: domains.Write, Params: tableParams{}, Fn: modifyPlacedTicketTable,
			Description: "Replace the table of a placed dine-in ticket: zone, table number and seat count."},
		{Name: "modify_placed_ticket_items", Kind: domains.Write, Params: itemsParams{}, Fn: modifyPlacedTicketItems,
			Description: "Swap plates of a placed ticket for other plates of the same dish that are served today. The price difference is charged to, or refunded on, one of the patron's saved instruments."},
		{Name: "modify_placed_ticket_instrument", Kind: domains.Write, Params: instrumentParams{}, Fn: modifyPlacedTicketInstrument,
			Description: "Move the single payment of a placed ticket to another of the patron's saved instruments: the new instrument is charged and the old one refunded."},
		{Name: "add_tip_to_ticket", Kind: domains.Write, Params: tipParams{}, Fn: addTipToTicket,
			Description: "Add a non-negative tip, rounded to cents, to a ticket that is not cancelled, charged to one of the patron's saved instruments."},
	},
}

func init() { domains.Register(Domain) }

type noParams struct{}

type calculateParams struct {
	Expression string `json:"expression" jsonschema:"description=Arithmetic expression with digits and + - * / ( ) . and spaces."`
}

type transferParams struct {
	Summary string `json:"summary" jsonschema:"description=Short summary of the patron's issue for the human agent."`
}

type ticketParams struct {
	TicketRef string `json:"ticket_ref" jsonschema:"description=The ticket reference."`
}

type dishParams struct {
	DishRef string `json:"dish_ref" jsonschema:"description=The dish reference."`
}

type patronParams struct {
	GuestRef string `json:"guest_ref" jsonschema:"description=The patron's guest reference."`
}

type emailParams struct {
	Email string `json:"email" jsonschema:"description=The patron's contact email."`
}

type nameZipParams struct {
	Given      string `json:"given" jsonschema:"description=Given (first) name."`
	Family     string `json:"family" jsonschema:"description=Family (last) name."`
	PostalCode string `json:"postal_code" jsonschema:"description=Postal code of the patron's address (exact)."`
}

type cancelParams struct {
	TicketRef string `json:"ticket_ref" jsonschema:"description=The ticket reference."`
	Reason    string `json:"reason" jsonschema:"description=Why the patron cancels."`
}

type dropoffParams struct {
	TicketRef    string `json:"ticket_ref" jsonschema:"description=The ticket reference."`
	LineOne      string `json:"line_one" jsonschema:"description=Primary address line."`
	LineTwo      string `json:"line_two" jsonschema:"description=Secondary address line."`
	Municipality string `json:"municipality" jsonschema:"description=City or municipality."`
	Province     string `json:"province" jsonschema:"description=State or province."`
	Nation       string `json:"nation" jsonschema:"description=Country."`
	PostalCode   string `json:"postal_code" jsonschema:"description=Postal or ZIP code."`
}

type tableParams struct {
	TicketRef string `json:"ticket_ref" jsonschema:"description=The ticket reference."`
	Zone      string `json:"zone" jsonschema:"description=Dining area."`
	TableNo   string `json:"table_no" jsonschema:"description=Table number."`
	SeatCount int64  `json:"seat_count" jsonschema:"description=Number of seats."`
}

type itemsParams struct {
	TicketRef     string   `json:"ticket_ref" jsonschema:"description=The ticket reference."`
	PlateRefs     []string `json:"plate_refs" jsonschema:"description=Plates of the ticket to replace; a plate may be listed as often as the ticket has it."`
	NewPlateRefs  []string `json:"new_plate_refs" jsonschema:"description=The replacing plates in the same order; each from the same dish as the plate it replaces."`
	InstrumentRef string   `json:"instrument_ref" jsonschema:"description=Saved instrument of the ticket's patron that settles the price difference."`
}

type instrumentParams struct {
	TicketRef     string `json:"ticket_ref" jsonschema:"description=The ticket reference."`
	InstrumentRef string `json:"instrument_ref" jsonschema:"description=The patron's saved instrument to pay with instead."`
}

type tipParams struct {
	TicketRef     string  `json:"ticket_ref" jsonschema:"description=The ticket reference."`
	TipTotal      float64 `json:"tip_total" jsonschema:"minimum=0,description=The tip amount (non-negative)."`
	InstrumentRef string  `json:"instrument_ref" jsonschema:"description=Saved instrument of the ticket's patron to charge."`
}

func db(e *domains.Env) *DB { return e.DB.(*DB) }

// getTicket is the toolkit's _get_ticket: a lookup by table key.
func getTicket(e *domains.Env, ref any) (string, *ServiceTicket, error) {
	k, ok, err := dictKey(ref)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if t, found := db(e).ServiceTickets.Get(k); found {
			return k, t, nil
		}
	}
	return "", nil, errors.New("Ticket not found")
}

func getPatron(e *domains.Env, ref any) (*Patron, error) {
	k, ok, err := dictKey(ref)
	if err != nil {
		return nil, err
	}
	if ok {
		if p, found := db(e).PatronRegistry.Get(k); found {
			return p, nil
		}
	}
	return nil, errors.New("Patron not found")
}

// checkInstrument is the toolkit's _get_instrument: the patron first, then the instrument.
func checkInstrument(e *domains.Env, guestRef string, ref any) error {
	p, err := getPatron(e, guestRef)
	if err != nil {
		return err
	}
	k, ok, err := dictKey(ref)
	if err != nil {
		return err
	}
	if ok {
		if _, found := p.SavedInstruments.Get(k); found {
			return nil
		}
	}
	return errors.New("Payment instrument not found")
}

func getTicketDetails(e *domains.Env, a domains.Args) (any, error) {
	_, t, err := getTicket(e, a["ticket_ref"])
	return t, err
}

func getDishDetails(e *domains.Env, a domains.Args) (any, error) {
	k, ok, err := dictKey(a["dish_ref"])
	if err != nil {
		return nil, err
	}
	if ok {
		if d, found := db(e).MenuBoard.Get(k); found {
			return d, nil
		}
	}
	return nil, errors.New("Dish not found")
}

func getPatronDetails(e *domains.Env, a domains.Args) (any, error) {
	return getPatron(e, a["guest_ref"])
}

func listAllDishes(e *domains.Env, _ domains.Args) (any, error) {
	// A repeated title keeps the last dish (a dict comprehension); the tool writes the
	// JSON text itself with sorted keys.
	m := py.NewObject()
	for d := range db(e).MenuBoard.Values() {
		m.Set(d.Title, d.DishRef)
	}
	out, err := py.Marshal(m, py.Tau2)
	return string(out), err
}

func findPatronRefByEmail(e *domains.Env, a domains.Args) (any, error) {
	for ref, p := range db(e).PatronRegistry.All() {
		want, err := lower(a["email"]) // evaluated for each patron, so only when there is one
		if err != nil {
			return nil, err
		}
		if lowerStr(p.ContactEmail) == want {
			return ref, nil
		}
	}
	return nil, errors.New("Patron not found")
}

func lowerStr(s string) string { l, _ := lower(s); return l }

func findPatronRefByNameZip(e *domains.Env, a domains.Args) (any, error) {
	for ref, p := range db(e).PatronRegistry.All() {
		given, err := lower(a["given"])
		if err != nil {
			return nil, err
		}
		if lowerStr(p.Identity.Given) != given {
			continue
		}
		// The family name is lower-cased only once the given name matched.
		family, err := lower(a["family"])
		if err != nil {
			return nil, err
		}
		if lowerStr(p.Identity.Family) == family && equal(p.Location.PostalCode, a["postal_code"]) {
			return ref, nil
		}
	}
	return nil, errors.New("Patron not found")
}

func cancelPlacedTicket(e *domains.Env, a domains.Args) (any, error) {
	key, t, err := getTicket(e, a["ticket_ref"])
	if err != nil {
		return nil, err
	}
	if t.State != "placed" {
		return nil, errors.New("Only tickets in 'placed' state can be cancelled")
	}
	t, _ = db(e).ServiceTickets.Mut(key)
	// Payments are refunded to their instrument; tips, tax and fees are kept. The reason
	// is not stored.
	var refunds []TicketCharge
	for _, c := range t.Charges {
		if c.Kind == "payment" {
			refunds = append(refunds, TicketCharge{Kind: "refund", Total: c.Total, InstrumentRef: c.InstrumentRef})
		}
	}
	t.Charges = append(t.Charges, refunds...)
	t.State = "cancelled"
	return t, nil
}

// placedTicket looks a ticket up for a modification.
func placedTicket(e *domains.Env, ref any) (string, *ServiceTicket, error) {
	key, t, err := getTicket(e, ref)
	if err != nil {
		return "", nil, err
	}
	if t.State != "placed" {
		return "", nil, errors.New("Non-placed ticket cannot be modified")
	}
	return key, t, nil
}

func modifyPlacedTicketDropoff(e *domains.Env, a domains.Args) (any, error) {
	key, t, err := placedTicket(e, a["ticket_ref"])
	if err != nil {
		return nil, err
	}
	if t.ServiceMode != "delivery" {
		return nil, errors.New("Only delivery tickets have a dropoff address")
	}
	loc, err := domains.Build[PatronLocation](py.NewObject(
		"line_one", a["line_one"], "line_two", a["line_two"], "municipality", a["municipality"],
		"province", a["province"], "nation", a["nation"], "postal_code", a["postal_code"]))
	if err != nil {
		return nil, err
	}
	t, _ = db(e).ServiceTickets.Mut(key)
	t.Dropoff = loc
	return t, nil
}

func modifyPlacedTicketTable(e *domains.Env, a domains.Args) (any, error) {
	key, t, err := placedTicket(e, a["ticket_ref"])
	if err != nil {
		return nil, err
	}
	if t.ServiceMode != "dine_in" {
		return nil, errors.New("Only dine-in tickets have table information")
	}
	info, err := domains.Build[TableInfo](py.NewObject("zone", a["zone"], "table_no", a["table_no"], "seat_count", a["seat_count"]))
	if err != nil {
		return nil, err
	}
	t, _ = db(e).ServiceTickets.Mut(key)
	t.TableInfo = info
	return t, nil
}

// dishOfPlate is _find_dish_by_plate: the first dish whose selections hold ref.
func dishOfPlate(e *domains.Env, ref any) (*Dish, error) {
	for d := range db(e).MenuBoard.Values() {
		k, ok, err := dictKey(ref)
		if err != nil {
			return nil, err
		}
		if ok {
			if _, found := d.Selections.Get(k); found {
				return d, nil
			}
		}
	}
	return nil, errors.New("Plate not found in any dish")
}

func modifyPlacedTicketItems(e *domains.Env, a domains.Args) (any, error) {
	key, t, err := placedTicket(e, a["ticket_ref"])
	if err != nil {
		return nil, err
	}
	if err := checkInstrument(e, t.GuestRef, a["instrument_ref"]); err != nil {
		return nil, err
	}
	plateRefs, newRefs := a["plate_refs"], a["new_plate_refs"]
	onTicket := make([]any, len(t.LineEntries))
	for i, le := range t.LineEntries {
		onTicket[i] = le.PlateRef
	}
	olds, err := iterate(plateRefs) // a str is walked character by character
	if err != nil {
		return nil, err
	}
	for _, pr := range olds {
		asked, err := count(plateRefs, pr)
		if err != nil {
			return nil, err
		}
		have, _ := count(onTicket, pr)
		if asked > have {
			return nil, errors.New("Plate " + py.Str(pr) + " not found in the ticket the requested number of times")
		}
	}
	n, _ := length(plateRefs)
	m, err := length(newRefs)
	if err != nil {
		return nil, err
	}
	if n != m {
		return nil, errors.New("The number of plates to be modified should match")
	}
	news, err := iterate(newRefs)
	if err != nil {
		return nil, err
	}
	type change struct {
		index int
		plate *Plate
	}
	var changes []change
	used := map[string]int{}
	diff := 0.0
	for i := range olds {
		// After the count check every old plate is a str on the ticket.
		old := olds[i].(string)
		target, seen := -1, 0
		for idx, le := range t.LineEntries {
			if le.PlateRef == old {
				if seen == used[old] {
					target = idx
					break
				}
				seen++
			}
		}
		if target < 0 {
			return nil, errors.New("Plate " + old + " not found")
		}
		used[old]++
		oldDish, err := dishOfPlate(e, old)
		if err != nil {
			return nil, err
		}
		newDish, err := dishOfPlate(e, news[i])
		if err != nil {
			if err.Error() == "Plate not found in any dish" {
				return nil, errors.New("New plate " + py.Str(news[i]) + " not found")
			}
			return nil, err // an unhashable plate is a TypeError, not caught
		}
		if oldDish.DishRef != newDish.DishRef {
			return nil, errors.New("New plate must be from the same dish as the original")
		}
		plate, _ := newDish.Selections.Get(news[i].(string))
		if !plate.ServedToday {
			return nil, errors.New("New plate " + plate.PlateRef + " is not available today")
		}
		// The entry's stored cost is used, not the menu price of the old plate.
		diff += plate.Cost - t.LineEntries[target].Cost
		changes = append(changes, change{target, plate})
	}
	t, _ = db(e).ServiceTickets.Mut(key)
	diff = py.Round(diff, 2)
	if diff != 0 {
		kind := "refund"
		if diff > 0 {
			kind = "payment"
		}
		t.Charges = append(t.Charges, TicketCharge{Kind: kind, Total: math.Abs(diff), InstrumentRef: a["instrument_ref"].(string)})
	}
	// Only plate_ref and cost change: label, dish_ref, mods and prep batches stay.
	for _, c := range changes {
		t.LineEntries[c.index].PlateRef = c.plate.PlateRef
		t.LineEntries[c.index].Cost = c.plate.Cost
	}
	return t, nil
}

func modifyPlacedTicketInstrument(e *domains.Env, a domains.Args) (any, error) {
	key, t, err := placedTicket(e, a["ticket_ref"])
	if err != nil {
		return nil, err
	}
	if err := checkInstrument(e, t.GuestRef, a["instrument_ref"]); err != nil {
		return nil, err
	}
	var payments []TicketCharge
	for _, c := range t.Charges {
		if c.Kind == "payment" {
			payments = append(payments, c)
		}
	}
	if len(payments) != 1 {
		return nil, errors.New("There should be exactly one payment charge for a placed ticket")
	}
	cur := payments[0]
	ref := a["instrument_ref"].(string)
	if cur.InstrumentRef == ref {
		return nil, errors.New("The new instrument should be different from the current one")
	}
	t, _ = db(e).ServiceTickets.Mut(key)
	t.Charges = append(t.Charges,
		TicketCharge{Kind: "payment", Total: cur.Total, InstrumentRef: ref},
		TicketCharge{Kind: "refund", Total: cur.Total, InstrumentRef: cur.InstrumentRef})
	return t, nil
}

func addTipToTicket(e *domains.Env, a domains.Args) (any, error) {
	key, t, err := getTicket(e, a["ticket_ref"])
	if err != nil {
		return nil, err
	}
	if t.State == "cancelled" {
		return nil, errors.New("Cannot add tip to a cancelled ticket")
	}
	if neg, err := lessThanZero(a["tip_total"]); err != nil {
		return nil, err
	} else if neg {
		return nil, errors.New("Tip amount must be non-negative")
	}
	if err := checkInstrument(e, t.GuestRef, a["instrument_ref"]); err != nil {
		return nil, err
	}
	tip, err := toFloat(a["tip_total"])
	if err != nil {
		return nil, err
	}
	t, _ = db(e).ServiceTickets.Mut(key)
	t.Charges = append(t.Charges, TicketCharge{Kind: "tip", Total: py.Round(tip, 2), InstrumentRef: a["instrument_ref"].(string)})
	return t, nil
}

// allowedChars are the characters calculate accepts.
const allowedChars = "0123456789+-*/(). "

// calculate checks `all(char in allowedChars for char in expression)` and then evaluates a
// str with calc. Other values fail as Python fails on them: numbers and None are not
// iterable; a list or dict is walked (each item a substring test, so "12" passes) and then
// refused by eval().
func calculate(_ *domains.Env, a domains.Args) (any, error) {
	expr := a["expression"]
	if s, ok := expr.(string); ok {
		return calc.Evaluate(s)
	}
	var items []any
	switch x := expr.(type) {
	case []any:
		items = x
	case *py.Object:
		for _, k := range x.Keys() {
			items = append(items, k)
		}
	default:
		return nil, errors.New("'" + py.TypeName(expr) + "' object is not iterable")
	}
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, errors.New("'in <string>' requires string as left operand, not " + py.TypeName(it))
		}
		if !strings.Contains(allowedChars, s) {
			return nil, errors.New("Invalid characters in expression")
		}
	}
	return nil, errors.New("eval() arg 1 must be a string, bytes or code object")
}

func transferToHuman(_ *domains.Env, _ domains.Args) (any, error) {
	return "Transfer successful", nil
}
