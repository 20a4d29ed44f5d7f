package restaurant

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the restaurant's task templates. Together they use every WRITE tool; the
// read-only ones ask for something the agent must pass on, and two end in a refusal the
// policy requires.
var intents = []*domains.Intent{
	{Name: "order_status", Draft: domains.WithAside(asides, draftOrderStatus)},
	{Name: "menu_plates", Draft: domains.WithAside(asides, draftMenuPlates)},
	{Name: "order_charges", Draft: domains.WithAside(asides, draftOrderCharges)},
	{Name: "cancel_placed_order", Draft: domains.WithAside(asides, draftCancel)},
	{Name: "change_delivery_address", Draft: domains.WithAside(asides, draftChangeDropoff)},
	{Name: "move_table", Draft: domains.WithAside(asides, draftMoveTable)},
	{Name: "swap_plate", Draft: domains.WithAside(asides, draftSwapPlate)},
	{Name: "change_payment_instrument", Draft: domains.WithAside(asides, draftChangeInstrument)},
	{Name: "add_tip", Draft: domains.WithAside(asides, draftAddTip)},
	{Name: "percentage_tip", Draft: domains.WithAside(asides, draftPercentageTip)},
	{Name: "refuse_cancel_not_placed", Draft: domains.WithAside(asides, draftRefuseCancel)},
	{Name: "refuse_single_instrument", Draft: domains.WithAside(asides, draftRefuseSingleInstrument)},
	{Name: "refuse_unavailable_plate", Draft: domains.WithAside(asides, draftRefuseUnavailablePlate)},
}

// asides are circumstances a patron mentions; they vary the wording of every request.
var asides = []string{
	"You are calling from work.", "You are calling from home with the order confirmation open.",
	"You tried the app first but it kept failing.", "You only have a minute.",
	"You order from this restaurant often.", "It is your first order with this restaurant.",
	"Your kids are making noise in the background.", "You are calling on your way home.",
	"You are a bit stressed about it.", "A friend is with you and keeps asking questions.",
	"You are on your lunch break.", "You prefer calling to using the website.",
}

func num(x float64) string { return py.FormatFloat(x) }

var (
	occupations = []string{
		"a busy office worker ordering lunch", "a university student", "a parent feeding a hungry family",
		"a nurse just off a long shift", "a regular who orders every week", "a software engineer working from home",
		"a retiree who likes to eat out", "someone hosting friends tonight", "a delivery-app sceptic who prefers to call",
	}
	tempers = []string{
		"polite and patient", "brief and to the point", "a little impatient", "friendly and chatty",
		"careful and wants every detail confirmed", "easy-going but precise about money",
	}
)

func persona(r *rand.Rand, p *Patron) string {
	return fmt.Sprintf("%s %s from %s, %s; %s.", p.Identity.Given, p.Identity.Family, p.Location.Municipality, domains.OneOf(r, occupations), domains.OneOf(r, tempers))
}

// who is how a patron identifies themselves: by email when it is theirs alone, else by
// name and postal code when those find them.
type who struct {
	p     *Patron
	known string
	find  task.Call
}

// identify chooses how patron p identifies; ok is false when neither way finds them. The
// choice depends on the patron alone, so that every request of one caller identifies them
// the same way (a patron who does not remember their email never gives it later).
func identify(r *rand.Rand, env *domains.Env, p *Patron) (who, bool) {
	byEmail := uniqueEmail(db(env), p)
	nameZip := task.NewCall("find_patron_ref_by_name_zip", "given", p.Identity.Given, "family", p.Identity.Family, "postal_code", p.Location.PostalCode)
	res := env.Call(nameZip.Name, nameZip.Arguments)
	byName := res.OK() && res.Output == p.GuestRef
	h := fnv.New32a()
	h.Write([]byte(p.GuestRef))
	if byEmail && (!byName || h.Sum32()%3 > 0) {
		return who{p, domains.Choose(r,
			fmt.Sprintf("Your email is %s.", p.ContactEmail),
			fmt.Sprintf("Your contact email with the restaurant is %s.", p.ContactEmail),
			fmt.Sprintf("You signed up with %s.", p.ContactEmail),
		), task.NewCall("find_patron_ref_by_email", "email", p.ContactEmail)}, true
	}
	if byName {
		return who{p, fmt.Sprintf("Your name is %s %s and your postal code is %s. You do not remember which email you used.",
			p.Identity.Given, p.Identity.Family, p.Location.PostalCode), nameZip}, true
	}
	return who{}, false
}

// uniqueEmail reports whether no other patron has p's contact email (in lower case, as
// find_patron_ref_by_email compares it).
func uniqueEmail(db *DB, p *Patron) bool {
	return domains.UniqueLower(db, "restaurant.emails", db.PatronRegistry.Values(), func(o *Patron) string { return o.ContactEmail }, p.ContactEmail)
}

// order is a patron's ticket as the patron describes it.
type order struct {
	who
	t    *ServiceTicket
	desc string // "your delivery order of Karachi Biryani - Large, Chicken"
}

var modeWords = map[string]string{"delivery": "delivery order", "dine_in": "dine-in order", "takeout": "takeout order"}

// orders returns orders of identifiable patrons for which ok holds, each described so that
// the patron's other tickets do not match the description. When env has a subject, only
// that patron's orders are considered, all of them. Otherwise it tries tickets at random
// and returns the first that fits, so a draft costs little on a large database; when a few
// dozen draws find nothing it goes through all tickets and returns every one that fits.
func orders(r *rand.Rand, env *domains.Env, ok func(*ServiceTicket, *Patron) bool) []order {
	db := db(env)
	try := func(k string) (order, bool) {
		t, _ := db.ServiceTickets.Get(k)
		if t == nil || len(t.LineEntries) == 0 || env.Subject != "" && t.GuestRef != env.Subject {
			return order{}, false
		}
		p, found := db.PatronRegistry.Get(t.GuestRef)
		if !found || !slices.Contains(p.TicketLog, t.TicketRef) || !ok(t, p) {
			return order{}, false
		}
		desc := describe(t)
		for _, ref := range p.TicketLog {
			if o, found := db.ServiceTickets.Get(ref); found && ref != t.TicketRef && describe(o) == desc {
				return order{}, false
			}
		}
		w, ok := identify(r, env, p)
		return order{who: w, t: t, desc: desc}, ok
	}
	keys := db.ServiceTickets.Keys()
	for i := 0; i < 24 && len(keys) > 0 && env.Subject == ""; i++ {
		if o, ok := try(keys[r.IntN(len(keys))]); ok {
			return []order{o}
		}
	}
	var out []order
	for _, k := range keys {
		if o, ok := try(k); ok {
			out = append(out, o)
		}
	}
	return out
}

func describe(t *ServiceTicket) string {
	var labels []string
	for _, le := range t.LineEntries {
		labels = append(labels, le.Label)
	}
	return fmt.Sprintf("your %s of %s", modeWords[t.ServiceMode], strings.Join(labels, " and "))
}

// lookup returns the calls that find the order: the patron, then either the ticket
// reference the patron gives or the patron's profile and the ticket.
func (o order) lookup(r *rand.Rand) (known string, calls []task.Call) {
	calls = []task.Call{o.find}
	if r.IntN(3) == 0 {
		return o.known + fmt.Sprintf(" The order is %s; its reference is %s.", o.desc, o.t.TicketRef),
			append(calls, task.NewCall("get_ticket_details", "ticket_ref", o.t.TicketRef))
	}
	return o.known + fmt.Sprintf(" The order is %s.", o.desc),
		append(calls, task.NewCall("get_patron_details", "guest_ref", o.p.GuestRef), task.NewCall("get_ticket_details", "ticket_ref", o.t.TicketRef))
}

func unknownRefs(r *rand.Rand) string {
	return domains.Choose(r,
		"You do not know your guest reference.",
		"You have no idea what internal references the restaurant uses.",
		"You do not remember any reference numbers beyond what you know.",
	)
}

func confirm(r *rand.Rand) string {
	return domains.Choose(r,
		"When the agent describes the change and asks you to confirm, say yes.",
		"Confirm with a clear \"yes\" once the agent has read the details back.",
		"Answer the agent's questions, then confirm explicitly.",
	)
}

func manner(r *rand.Rand) string {
	return domains.Choose(r,
		"Do not volunteer details before the agent asks.",
		"Keep your answers short.",
		"Thank the agent at the end.",
		"Do not ask for anything else.",
	)
}

func instrumentName(in *PaymentInstrument) string {
	kind := strings.ReplaceAll(in.Origin, "_", " ")
	return fmt.Sprintf("%s %s ending in %s", in.Metadata.Issuer, kind, in.Metadata.TailDigits)
}

func payments(t *ServiceTicket) []TicketCharge {
	var out []TicketCharge
	for _, c := range t.Charges {
		if c.Kind == "payment" {
			out = append(out, c)
		}
	}
	return out
}

// ---- read-only intents ----

func draftOrderStatus(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	found := orders(r, env, func(t *ServiceTicket, _ *Patron) bool { return true })
	if len(found) == 0 {
		return nil, domains.ErrNoCandidate
	}
	o := domains.OneOf(r, found)
	known, calls := o.lookup(r)
	return &task.Draft{
		Intent:  "order_status",
		Purpose: "Authenticate a patron and tell them the state of one of their orders.",
		Subject: o.p.GuestRef,
		Persona: persona(r, o.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know where %s stands.", o.desc),
			fmt.Sprintf("You are wondering what is happening with %s.", o.desc),
			fmt.Sprintf("You want a status update on %s.", o.desc),
		),
		KnownInfo:        known,
		UnknownInfo:      unknownRefs(r) + " You do not know the current state of the order.",
		TaskInstructions: "Ask for the exact status of the order. " + manner(r),
		Actions:          calls,
		CommunicateInfo:  []string{o.t.State},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the patron that the order is %s.", o.t.State),
		},
	}, nil
}

// plateWords describes a plate by its modifiers: "large chicken, fried, hot spice".
func plateWords(p *Plate) string {
	val := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	var w []string
	if head := strings.TrimSpace(val(p.Modifiers.Portion) + " " + val(p.Modifiers.Protein)); head != "" {
		w = append(w, head)
	}
	if prep := val(p.Modifiers.Preparation); prep != "" {
		w = append(w, prep)
	}
	switch spice := val(p.Modifiers.SpiceLevel); spice {
	case "":
	case "none":
		w = append(w, "not spicy")
	default:
		w = append(w, spice+" spice")
	}
	return strings.Join(w, ", ")
}

// say writes an amount as a person would: "39" rather than "39.0".
func say(x float64) string {
	if x == math.Trunc(x) {
		return fmt.Sprintf("%.0f", x)
	}
	return num(x)
}

func draftMenuPlates(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := db(env)
	// list_all_dishes keeps the last dish of each title.
	listed := map[string]*Dish{}
	for d := range db.MenuBoard.Values() {
		listed[d.Title] = d
	}
	var dishes []*Dish
	for d := range db.MenuBoard.Values() {
		if listed[d.Title] == d && d.Selections.Len() <= 3 {
			dishes = append(dishes, d)
		}
	}
	if len(dishes) == 0 {
		return nil, domains.ErrNoCandidate
	}
	// The caller is the subject, or the first of a few random patrons who can identify.
	keys, tries := db.PatronRegistry.Keys(), 10
	if env.Subject != "" {
		keys, tries = []string{env.Subject}, 1
	}
	var w who
	ok := false
	for i := 0; i < tries && len(keys) > 0 && !ok; i++ {
		if p, found := db.PatronRegistry.Get(domains.OneOf(r, keys)); found && (env.Subject == "" || p.GuestRef == env.Subject) {
			w, ok = identify(r, env, p)
		}
	}
	if !ok {
		return nil, domains.ErrNoCandidate
	}
	d := domains.OneOf(r, dishes)
	var info, said []string
	for p := range d.Selections.Values() {
		if c := num(p.Cost); !slices.Contains(info, c) {
			info = append(info, c)
		}
		today := "served today"
		if !p.ServedToday {
			today = "not served today"
		}
		said = append(said, fmt.Sprintf("%s (%s) at %s, %s", p.PlateRef, plateWords(p), num(p.Cost), today))
	}
	return &task.Draft{
		Intent:  "menu_plates",
		Purpose: "Tell an authenticated patron which plates a dish comes in, what each costs and whether it is served today.",
		Subject: w.p.GuestRef,
		Persona: persona(r, w.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You are thinking of ordering %s and want to know the options and prices.", d.Title),
			fmt.Sprintf("You want to know how much %s costs and which versions are available today.", d.Title),
			fmt.Sprintf("A friend recommended %s; you want the plate options with their prices.", d.Title),
		),
		KnownInfo:   w.known + fmt.Sprintf(" The dish is called %q on the menu.", d.Title),
		UnknownInfo: "You do not know the dish's options, prices or availability. " + unknownRefs(r),
		TaskInstructions: domains.Choose(r,
			"Ask for every option with its price and whether it is available today. Do not place an order.",
			"You only want information; if the agent offers to change an order, decline.",
		) + " " + manner(r),
		Actions: []task.Call{
			w.find,
			task.NewCall("list_all_dishes"),
			task.NewCall("get_dish_details", "dish_ref", d.DishRef),
		},
		CommunicateInfo: info,
		NLAssertions: []string{
			fmt.Sprintf("The agent describes the plates of %s: %s.", d.Title, strings.Join(said, "; ")),
		},
	}, nil
}

func draftOrderCharges(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	found := orders(r, env, func(t *ServiceTicket, _ *Patron) bool { return len(payments(t)) == 1 })
	if len(found) == 0 {
		return nil, domains.ErrNoCandidate
	}
	o := domains.OneOf(r, found)
	known, calls := o.lookup(r)
	pay := payments(o.t)[0]
	info := []string{num(pay.Total)}
	asks := "the total you paid"
	for _, c := range o.t.Charges {
		if c.Kind == "tax" && r.IntN(2) == 0 {
			info = append(info, num(c.Total))
			asks += " and how much of it was tax"
			break
		}
	}
	return &task.Draft{
		Intent:  "order_charges",
		Purpose: "Tell a patron how much they paid for an order, and the tax on it when asked.",
		Subject: o.p.GuestRef,
		Persona: persona(r, o.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You are checking your expenses and want to know %s for %s.", asks, o.desc),
			fmt.Sprintf("Your bank statement looks odd; you want to know %s for %s.", asks, o.desc),
		),
		KnownInfo:        known,
		UnknownInfo:      unknownRefs(r) + " You do not know the exact amounts.",
		TaskInstructions: "Ask for " + asks + ". " + manner(r),
		Actions:          calls,
		CommunicateInfo:  info,
		NLAssertions: []string{
			fmt.Sprintf("The agent reports the payment of %s on the order.", num(pay.Total)),
		},
	}, nil
}

// ---- writes ----

var cancelReasons = []string{
	"my plans changed and I will not be home", "I ordered by mistake", "the order is taking too long",
	"I ordered twice and want to keep only the other one", "a family emergency came up", "we decided to cook at home",
}

func draftCancel(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	found := orders(r, env, func(t *ServiceTicket, _ *Patron) bool { return t.State == "placed" })
	if len(found) == 0 {
		return nil, domains.ErrNoCandidate
	}
	o := domains.OneOf(r, found)
	known, calls := o.lookup(r)
	reason := domains.OneOf(r, cancelReasons)
	return &task.Draft{
		Intent:  "cancel_placed_order",
		Purpose: "Cancel a patron's placed order with their reason; payments are refunded to their instruments.",
		Subject: o.p.GuestRef,
		Persona: persona(r, o.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to cancel %s because %s.", o.desc, reason),
			fmt.Sprintf("You need %s cancelled: %s.", o.desc, reason),
		),
		KnownInfo:        known + fmt.Sprintf(" Your reason: %s.", reason),
		UnknownInfo:      unknownRefs(r),
		TaskInstructions: "Give your reason when asked. " + confirm(r) + " Ask whether you get your money back.",
		Actions:          append(calls, task.NewCall("cancel_placed_ticket", "ticket_ref", o.t.TicketRef, "reason", reason)),
		NLAssertions: []string{
			"The agent checks that the order is in the placed state and confirms the cancellation with the patron before cancelling.",
			"The agent explains that the payment is refunded to the instrument it was paid with, while tips, taxes and delivery fees are not.",
		},
	}, nil
}

func draftChangeDropoff(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := db(env)
	found := orders(r, env, func(t *ServiceTicket, _ *Patron) bool { return t.State == "placed" && t.ServiceMode == "delivery" })
	if len(found) == 0 {
		return nil, domains.ErrNoCandidate
	}
	o := domains.OneOf(r, found)
	// The new address is another patron's, preferably in the same city.
	var near, far []PatronLocation
	for p := range db.PatronRegistry.Values() {
		if o.t.Dropoff != nil && p.Location == *o.t.Dropoff {
			continue
		}
		if p.Location.Municipality == o.p.Location.Municipality {
			near = append(near, p.Location)
		} else {
			far = append(far, p.Location)
		}
	}
	if len(near) == 0 {
		near = far
	}
	if len(near) == 0 {
		return nil, domains.ErrNoCandidate
	}
	a := domains.OneOf(r, near)
	known, calls := o.lookup(r)
	where := domains.Choose(r, "your office", "a friend's place", "your parents' home", "the new flat you just moved into")
	second := a.LineTwo
	if second == "" {
		second = "(none)"
	}
	return &task.Draft{
		Intent:  "change_delivery_address",
		Purpose: "Replace the dropoff address of a patron's placed delivery order with all six address fields.",
		Subject: o.p.GuestRef,
		Persona: persona(r, o.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want %s delivered to %s instead.", o.desc, where),
			fmt.Sprintf("You will not be home, so %s should go to %s.", o.desc, where),
		),
		KnownInfo: known + fmt.Sprintf(" New address: line one %q, line two %q, city %s, province %s, country %s, postal code %s.",
			a.LineOne, second, a.Municipality, a.Province, a.Nation, a.PostalCode),
		UnknownInfo:      unknownRefs(r),
		TaskInstructions: "Give the new address field by field if the agent asks. " + confirm(r),
		Actions: append(calls, task.NewCall("modify_placed_ticket_dropoff", "ticket_ref", o.t.TicketRef,
			"line_one", a.LineOne, "line_two", a.LineTwo, "municipality", a.Municipality,
			"province", a.Province, "nation", a.Nation, "postal_code", a.PostalCode)),
		NLAssertions: []string{
			"The agent collects all six address fields and reads them back before changing the dropoff address.",
		},
	}, nil
}

func draftMoveTable(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := db(env)
	found := orders(r, env, func(t *ServiceTicket, _ *Patron) bool {
		return t.State == "placed" && t.ServiceMode == "dine_in" && t.TableInfo != nil
	})
	if len(found) == 0 {
		return nil, domains.ErrNoCandidate
	}
	o := domains.OneOf(r, found)
	var zones []string
	for t := range db.ServiceTickets.Values() {
		if t.TableInfo != nil && !slices.Contains(zones, t.TableInfo.Zone) {
			zones = append(zones, t.TableInfo.Zone)
		}
	}
	zone := o.t.TableInfo.Zone
	if r.IntN(2) == 0 {
		zone = domains.OneOf(r, zones)
	}
	table := fmt.Sprintf("%c%d", 'A'+rune(r.IntN(5)), 1+r.IntN(24))
	seats := int64(2 + 2*r.IntN(4))
	if table == o.t.TableInfo.TableNo && zone == o.t.TableInfo.Zone && seats == o.t.TableInfo.SeatCount {
		seats += 2
	}
	known, calls := o.lookup(r)
	why := domains.Choose(r, "two more friends are joining you", "you would like a quieter spot", "one guest cancelled",
		"you want to sit by the window", "your group has a wheelchair user and needs more room")
	return &task.Draft{
		Intent:           "move_table",
		Purpose:          "Change the table of a patron's placed dine-in order: zone, table number and seat count.",
		Subject:          o.p.GuestRef,
		Persona:          persona(r, o.p),
		ReasonForCall:    fmt.Sprintf("For %s you want a different table, because %s.", o.desc, why),
		KnownInfo:        known + fmt.Sprintf(" The host said table %s in the %q zone is free; you need %d seats.", table, zone, seats),
		UnknownInfo:      unknownRefs(r),
		TaskInstructions: "Give the zone, table number and seat count when asked. " + confirm(r),
		Actions: append(calls, task.NewCall("modify_placed_ticket_table", "ticket_ref", o.t.TicketRef,
			"zone", zone, "table_no", table, "seat_count", seats)),
		NLAssertions: []string{
			fmt.Sprintf("The agent confirms zone %s, table %s and %d seats with the patron before changing the table.", zone, table, seats),
		},
	}, nil
}

// swappable is a line of a placed ticket and another plate of its dish.
type swappable struct {
	order
	line     LineEntry
	dish     *Dish
	to       *Plate
	toWords  string
	instrRef string
}

// swaps lists plate swaps of placed tickets to plates for which ok holds, each new plate
// described by modifiers no other plate of its dish shares.
func swaps(r *rand.Rand, env *domains.Env, ok func(*Plate) bool) []swappable {
	db := db(env)
	options := func(t *ServiceTicket) []swappable {
		var out []swappable
		for _, le := range t.LineEntries {
			d := dishOf(db, le.PlateRef)
			if d == nil {
				continue
			}
			for p := range d.Selections.Values() {
				if p.PlateRef == le.PlateRef || !ok(p) {
					continue
				}
				words, n := plateWords(p), 0
				for q := range d.Selections.Values() {
					if plateWords(q) == words {
						n++
					}
				}
				if n == 1 {
					out = append(out, swappable{line: le, dish: d, to: p, toWords: words})
				}
			}
		}
		return out
	}
	fits := func(t *ServiceTicket, p *Patron) bool {
		return t.State == "placed" && p.SavedInstruments.Len() > 0 && len(options(t)) > 0
	}
	var out []swappable
	for _, o := range orders(r, env, fits) {
		for _, s := range options(o.t) {
			s.order, s.instrRef = o, domains.OneOf(r, o.p.SavedInstruments.Keys())
			out = append(out, s)
		}
	}
	return out
}

// dishOf is the first dish whose plates include ref, as the tools find it.
func dishOf(db *DB, ref string) *Dish {
	for d := range db.MenuBoard.Values() {
		if _, ok := d.Selections.Get(ref); ok {
			return d
		}
	}
	return nil
}

func draftSwapPlate(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	ss := swaps(r, env, func(p *Plate) bool { return p.ServedToday })
	if len(ss) == 0 {
		return nil, domains.ErrNoCandidate
	}
	s := domains.OneOf(r, ss)
	known, calls := s.lookup(r)
	in, _ := s.p.SavedInstruments.Get(s.instrRef)
	diff := py.Round(s.to.Cost-s.line.Cost, 2)
	var info []string
	settle := "nothing is charged or refunded"
	if diff != 0 {
		info = []string{num(math.Abs(diff))}
		settle = "the difference of " + num(math.Abs(diff)) + " is charged to " + instrumentName(in)
		if diff < 0 {
			settle = "the difference of " + num(-diff) + " is refunded to " + instrumentName(in)
		}
	}
	return &task.Draft{
		Intent:  "swap_plate",
		Purpose: "Swap a plate of a placed order for another plate of the same dish served today, settling the price difference on a saved instrument.",
		Subject: s.p.GuestRef,
		Persona: persona(r, s.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("In %s you want the %s version of %s instead of %q.", s.desc, s.toWords, s.dish.Title, s.line.Label),
			fmt.Sprintf("You changed your mind about %q in %s and would rather have the %s version.", s.line.Label, s.desc, s.toWords),
		),
		KnownInfo: known + fmt.Sprintf(" You want the %s version of %s. Any price difference should go on your %s.",
			s.toWords, s.dish.Title, instrumentName(in)),
		UnknownInfo:      unknownRefs(r) + " You do not know the price of the new plate.",
		TaskInstructions: "Ask how much the change will cost before confirming. " + confirm(r),
		Actions: append(calls,
			task.NewCall("get_dish_details", "dish_ref", s.dish.DishRef),
			task.NewCall("modify_placed_ticket_items", "ticket_ref", s.t.TicketRef, "plate_refs", []any{s.line.PlateRef},
				"new_plate_refs", []any{s.to.PlateRef}, "instrument_ref", s.instrRef)),
		CommunicateInfo: info,
		NLAssertions: []string{
			"The agent checks that the new plate belongs to the same dish and is served today before the change.",
			"The agent tells the patron that " + settle + ", and confirms before making the change.",
		},
	}, nil
}

func draftRefuseUnavailablePlate(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	ss := swaps(r, env, func(p *Plate) bool { return !p.ServedToday })
	if len(ss) == 0 {
		return nil, domains.ErrNoCandidate
	}
	s := domains.OneOf(r, ss)
	known, calls := s.lookup(r)
	return &task.Draft{
		Intent:  "refuse_unavailable_plate",
		Purpose: "Decline a plate swap to a plate that is not served today.",
		Subject: s.p.GuestRef,
		Persona: persona(r, s.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("In %s you want the %s version of %s instead of %q.", s.desc, s.toWords, s.dish.Title, s.line.Label),
			fmt.Sprintf("You would like to change %s: the %s %s rather than what you ordered.", s.desc, s.toWords, s.dish.Title),
			fmt.Sprintf("You saw a %s version of %s on the menu and want it in %s instead.", s.toWords, s.dish.Title, s.desc),
		),
		KnownInfo: known + domains.Choose(r,
			fmt.Sprintf(" You want the %s version of %s.", s.toWords, s.dish.Title),
			fmt.Sprintf(" The plate you want is %s: %s.", s.dish.Title, s.toWords),
		),
		UnknownInfo: unknownRefs(r) + " You do not know what is served today.",
		TaskInstructions: domains.Choose(r,
			"If the agent says the plate is not available, ask for its price anyway, then keep your order as it is.",
			"Accept it if the swap is not possible, but ask what the plate would have cost.",
		) + " " + manner(r),
		Actions:         append(calls, task.NewCall("get_dish_details", "dish_ref", s.dish.DishRef)),
		CommunicateInfo: []string{num(s.to.Cost)},
		NLAssertions: []string{
			"The agent explains that the requested plate is not served today and does not change the order.",
		},
	}, nil
}

func draftChangeInstrument(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	found := orders(r, env, func(t *ServiceTicket, p *Patron) bool {
		return t.State == "placed" && len(payments(t)) == 1 && p.SavedInstruments.Len() > 1
	})
	type cand struct {
		order
		to *PaymentInstrument
	}
	var cands []cand
	for _, o := range found {
		cur := payments(o.t)[0].InstrumentRef
		for in := range o.p.SavedInstruments.Values() {
			if in.InstrumentRef != cur {
				cands = append(cands, cand{o, in})
			}
		}
	}
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	c := domains.OneOf(r, cands)
	known, calls := c.lookup(r)
	calls = append(calls[:1], task.NewCall("get_patron_details", "guest_ref", c.p.GuestRef), task.NewCall("get_ticket_details", "ticket_ref", c.t.TicketRef))
	return &task.Draft{
		Intent:  "change_payment_instrument",
		Purpose: "Move the single payment of a placed order to another of the patron's saved instruments.",
		Subject: c.p.GuestRef,
		Persona: persona(r, c.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want %s paid with your %s instead.", c.desc, instrumentName(c.to)),
			fmt.Sprintf("You would rather pay for %s with your %s.", c.desc, instrumentName(c.to)),
			fmt.Sprintf("You need to move the payment for %s to your %s.", c.desc, instrumentName(c.to)),
		) + " " + domains.Choose(r,
			"The card you used is about to expire.", "The other card earns you more points.",
			"You paid with your work card by mistake.", "Your budget for the month is on the other one.",
			"Your bank flagged the first payment and you would rather avoid trouble.",
		),
		KnownInfo:   known + fmt.Sprintf(" The instrument you want to use is your saved %s.", instrumentName(c.to)),
		UnknownInfo: unknownRefs(r),
		TaskInstructions: domains.Choose(r,
			"Describe the instrument by its issuer and last digits.",
			"Name the instrument by its last four digits only; give the issuer if asked.",
			"If the agent lists your saved instruments, pick the right one.",
		) + " " + confirm(r) + " " + manner(r),
		Actions: append(calls, task.NewCall("modify_placed_ticket_instrument", "ticket_ref", c.t.TicketRef, "instrument_ref", c.to.InstrumentRef)),
		NLAssertions: []string{
			"The agent explains that the new instrument is charged and the old one refunded, and confirms before changing it.",
		},
	}, nil
}

func draftRefuseSingleInstrument(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	fit := orders(r, env, func(t *ServiceTicket, p *Patron) bool { return t.State == "placed" && p.SavedInstruments.Len() == 1 })
	if len(fit) == 0 {
		return nil, domains.ErrNoCandidate
	}
	o := domains.OneOf(r, fit)
	in, _ := o.p.SavedInstruments.Get(o.p.SavedInstruments.Keys()[0])
	known, calls := o.lookup(r)
	calls = append(calls[:1], task.NewCall("get_patron_details", "guest_ref", o.p.GuestRef), task.NewCall("get_ticket_details", "ticket_ref", o.t.TicketRef))
	other := domains.Choose(r, "a different card", "your partner's card", "cash on delivery", "a new card you just received")
	return &task.Draft{
		Intent:        "refuse_single_instrument",
		Purpose:       "Decline a payment-instrument change for a patron with a single saved instrument.",
		Subject:       o.p.GuestRef,
		Persona:       persona(r, o.p),
		ReasonForCall: fmt.Sprintf("You want to pay for %s with %s instead of the card on file.", o.desc, other),
		KnownInfo:     known,
		UnknownInfo:   unknownRefs(r) + " You do not remember which card is saved on your profile.",
		TaskInstructions: domains.Choose(r,
			"If the agent says it cannot be done, ask which instrument is on file (its last digits), then accept.",
			"Do not give new card details. Ask which saved card the order is paid with.",
		) + " " + manner(r),
		Actions:         calls,
		CommunicateInfo: []string{in.Metadata.TailDigits},
		NLAssertions: []string{
			"The agent explains that only saved instruments can be used and that the patron has no other saved instrument, and changes nothing.",
			"The agent does not collect new payment details.",
		},
	}, nil
}

func draftRefuseCancel(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	found := orders(r, env, func(t *ServiceTicket, _ *Patron) bool { return t.State != "placed" })
	if len(found) == 0 {
		return nil, domains.ErrNoCandidate
	}
	o := domains.OneOf(r, found)
	known, calls := o.lookup(r)
	reason := domains.OneOf(r, cancelReasons)
	return &task.Draft{
		Intent:  "refuse_cancel_not_placed",
		Purpose: "Decline to cancel an order that is no longer in the placed state, and say what state it is in.",
		Subject: o.p.GuestRef,
		Persona: persona(r, o.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to cancel %s because %s.", o.desc, reason),
			fmt.Sprintf("You need %s cancelled right away: %s.", o.desc, reason),
		),
		KnownInfo:   known,
		UnknownInfo: unknownRefs(r) + " You do not know the state of the order.",
		TaskInstructions: domains.Choose(r,
			"If the agent refuses, ask what state the order is in, then accept.",
			"Insist once; accept the refusal after the agent explains the order's state.",
		) + " Do not ask for a human agent.",
		Actions:         calls,
		CommunicateInfo: []string{o.t.State},
		NLAssertions: []string{
			fmt.Sprintf("The agent explains that the order is %s and only placed orders can be cancelled, and does not cancel it.", o.t.State),
		},
	}, nil
}

// tippable lists identified orders that are not cancelled.
func tippable(r *rand.Rand, env *domains.Env) []order {
	return orders(r, env, func(t *ServiceTicket, p *Patron) bool { return t.State != "cancelled" && p.SavedInstruments.Len() > 0 })
}

func itemsTotal(t *ServiceTicket) float64 {
	s := 0.0
	for _, le := range t.LineEntries {
		s += le.Cost
	}
	return py.Round(s, 2)
}

func draftAddTip(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	found := tippable(r, env)
	if len(found) == 0 {
		return nil, domains.ErrNoCandidate
	}
	o := domains.OneOf(r, found)
	items := itemsTotal(o.t)
	tip := math.Round(items * (0.05 + 0.15*r.Float64()))
	if tip < 1 {
		tip = 1 + float64(r.IntN(5))
	}
	in, _ := o.p.SavedInstruments.Get(domains.OneOf(r, o.p.SavedInstruments.Keys()))
	known, calls := o.lookup(r)
	why := domains.Choose(r, "the food was excellent", "the courier was very kind", "the staff were lovely", "it arrived quickly despite the rain")
	return &task.Draft{
		Intent:  "add_tip",
		Purpose: "Add a tip to a patron's order that is not cancelled, charged to one of their saved instruments.",
		Subject: o.p.GuestRef,
		Persona: persona(r, o.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to add a tip of %s to %s because %s.", say(tip), o.desc, why),
			fmt.Sprintf("%s, so you would like to tip %s on %s.", strings.ToUpper(why[:1])+why[1:], say(tip), o.desc),
		),
		KnownInfo:        known + fmt.Sprintf(" Tip: %s, on your %s.", say(tip), instrumentName(in)),
		UnknownInfo:      unknownRefs(r),
		TaskInstructions: "Tell the agent which saved card to use when asked. " + confirm(r),
		Actions:          append(calls, task.NewCall("add_tip_to_ticket", "ticket_ref", o.t.TicketRef, "tip_total", tip, "instrument_ref", in.InstrumentRef)),
		NLAssertions: []string{
			fmt.Sprintf("The agent confirms the tip of %s and the instrument ending in %s before adding it.", num(tip), in.Metadata.TailDigits),
		},
	}, nil
}

func draftPercentageTip(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	found := tippable(r, env)
	if len(found) == 0 {
		return nil, domains.ErrNoCandidate
	}
	o := domains.OneOf(r, found)
	items := itemsTotal(o.t)
	pct := []int{5, 10, 12, 15, 18, 20}[r.IntN(6)]
	calc := task.NewCall("calculate", "expression", fmt.Sprintf("%s * %d / 100", num(items), pct))
	res := env.Call(calc.Name, calc.Arguments)
	text, ok := res.Output.(string)
	if !res.OK() || !ok {
		return nil, domains.ErrNoCandidate
	}
	v, err := py.ParseNumber(text)
	tip, isFloat := v.(float64)
	if err != nil || !isFloat || tip <= 0 {
		return nil, domains.ErrNoCandidate
	}
	in, _ := o.p.SavedInstruments.Get(domains.OneOf(r, o.p.SavedInstruments.Keys()))
	known, calls := o.lookup(r)
	return &task.Draft{
		Intent:  "percentage_tip",
		Purpose: "Compute a percentage tip on the items of an order and add it, charged to a saved instrument.",
		Subject: o.p.GuestRef,
		Persona: persona(r, o.p),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to tip %d%% of the food cost of %s.", pct, o.desc),
			fmt.Sprintf("You would like to leave a %d%% tip, based on the price of the dishes, on %s.", pct, o.desc),
		),
		KnownInfo:        known + fmt.Sprintf(" The tip is %d%% of the dishes' prices (not of taxes or fees), charged to your %s.", pct, instrumentName(in)),
		UnknownInfo:      unknownRefs(r) + " You do not know the exact amount the tip comes to.",
		TaskInstructions: "Ask the agent how much the tip comes to before confirming. " + confirm(r),
		Actions: append(calls, calc,
			task.NewCall("add_tip_to_ticket", "ticket_ref", o.t.TicketRef, "tip_total", tip, "instrument_ref", in.InstrumentRef)),
		CommunicateInfo: []string{text},
		NLAssertions: []string{
			fmt.Sprintf("The agent computes %d%% of the dishes' total (%s) as %s and confirms it before adding the tip.", pct, num(items), text),
		},
	}, nil
}
