package ecommerce

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the store's task templates. Together they use every WRITE tool; the
// read-only ones ask for a fact the agent must pass on, and five end in a refusal the
// policy requires (cancelling an order that is not pending, a refund to a card that did not
// pay, a second return, another customer's order, moving a split payment).
var intents = []*domains.Intent{
	intent("order_status", draftOrderStatus),
	intent("product_price", draftProductPrice),
	intent("payment_source", draftPaymentSource),
	intent("parcel_for_item", draftParcelForItem),
	intent("update_default_address", draftUpdateAddress),
	intent("change_delivery_address", draftChangeDelivery),
	intent("change_payment_source", draftChangePayment),
	intent("cancel_pending_order", draftCancelOrder),
	intent("return_items", draftReturnItems),
	intent("exchange_items", draftExchangeItems),
	intent("refuse_cancel_not_pending", draftRefuseCancel),
	intent("refund_to_original_source", draftRefundOriginal),
	intent("refuse_second_request", draftRefuseSecondRequest),
	intent("refuse_other_customer", draftRefuseOtherCustomer),
	intent("refuse_split_payment_change", draftRefuseSplitPayment),
}

// intent names a template and stamps its name on every draft it makes. A draft's subject
// is the caller's account key; drafted for a subject (a later request of the same call), a
// template picks that account's own orders, the agent does not identify the caller again,
// and a draft for anyone else is refused.
func intent(name string, draft func(r *rand.Rand, env *domains.Env) (*task.Draft, error)) *domains.Intent {
	return &domains.Intent{Name: name, Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
		d, err := draft(r, env)
		if d != nil && env.Subject != "" && d.Subject != env.Subject {
			return nil, domains.NoCandidate(fmt.Sprintf("%s drafts for %q, not the subject %q", name, d.Subject, env.Subject))
		}
		if d != nil {
			d.Intent = name
			// Circumstances and manners that do not change the task make two tasks on the
			// same record read differently.
			d.ReasonForCall = strings.TrimSpace(d.ReasonForCall + " " + pick(r, contexts))
			d.TaskInstructions = strings.TrimSpace(d.TaskInstructions + " " + pick(r, closings))
		}
		return d, err
	}}
}

// ---- phrasing ----

func str(v any) string { s, _ := v.(string); return s }

func fullName(a *Account) string { return a.Person.Given + " " + a.Person.Family }

var (
	contexts = []string{
		"", "You are calling during your lunch break.", "You are typing on your phone while commuting.",
		"You have a few minutes before a meeting.", "You already searched the help pages without luck.",
		"It is late in the evening and you want this sorted today.", "A friend recommended contacting support directly.",
		"You are at home with the order confirmation email open.", "You have never contacted this store's support before.",
		"You are in a bit of a hurry.", "You are calm and patient about it.",
	}
	closings = []string{
		"", "Be polite throughout the conversation.", "Thank the agent for each answer.",
		"Do not volunteer details the agent has not asked for.", "Do not share more than the agent asks for.",
		"Answer the agent's questions one at a time.", "If something the agent says is unclear, ask it to repeat.",
		"Keep your messages short.", "Do not mention these instructions.", "Spell out codes character by character if asked.",
	}
	roles = []string{
		"a graphic designer", "a retired schoolteacher", "a college student", "a busy parent of three",
		"a nurse who works nights", "a small-business owner", "a software engineer", "a home cook",
		"a frequent online shopper", "a first-time customer", "a fitness instructor", "a paralegal",
	}
	manners = []string{
		"speaks briefly and to the point", "is polite but expects precise answers",
		"is a little anxious and wants every detail confirmed", "is chatty and gives details one at a time",
		"is busy and slightly impatient", "is careful with money and asks for amounts to be repeated",
		"is friendly and informal", "is formal and rather reserved", "writes short lower-case messages",
	}
)

func persona(r *rand.Rand, a *Account) string {
	city := str(a.Location.Municipality)
	if city == "" {
		city = "out of town"
	}
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s, %s from %s, %s.", fullName(a), pick(r, roles), city, pick(r, manners))
	case 1:
		return fmt.Sprintf("%s lives in %s and is %s; the customer %s.", fullName(a), city, pick(r, roles), pick(r, manners))
	}
	return fmt.Sprintf("%s (%s) %s.", fullName(a), pick(r, roles), pick(r, manners))
}

func confirmRule(r *rand.Rand) string {
	return domains.Choose(r,
		"When the agent lists the details and asks you to confirm, answer yes.",
		"Say yes once the agent has described exactly what it will do.",
		"Give an explicit yes when the agent asks for confirmation.",
		"Confirm with a clear yes after the agent has summarised the action.")
}

// sourceName names a funding source as its owner would: kind, issuer and last digits.
func sourceName(fs *FundingSource) string {
	kind := map[string]string{"credit_card": "credit card", "gift_card": "gift card", "paypal": "PayPal account"}[fs.Origin]
	if kind == "" {
		kind = strings.ReplaceAll(fs.Origin, "_", " ")
	}
	if fs.Meta.Issuer == "PayPal" || fs.Meta.Issuer == "Store Gift Card" {
		return fmt.Sprintf("%s ending in %s", fs.Meta.Issuer, fs.Meta.LastDigits)
	}
	return fmt.Sprintf("%s %s ending in %s", fs.Meta.Issuer, kind, fs.Meta.LastDigits)
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

// customer is an account with the lookup that finds it and what its holder says to be found.
// A caller identified earlier in the call (the subject) has neither.
type customer struct {
	a     *Account
	auth  task.Call
	known string
}

// calls are the agent's calls that identify the customer.
func (c *customer) calls() []task.Call {
	if c.auth.Name == "" {
		return nil
	}
	return []task.Call{c.auth}
}

// identify returns how the holder of a is found: by email when the email leads to a, else
// by name and postal code; false when neither lookup finds a.
func identify(r *rand.Rand, env *domains.Env, a *Account) (*customer, bool) {
	if env.Subject != "" {
		return &customer{a: a}, a.AccountKey == env.Subject
	}
	byEmail := task.NewCall("find_account_key_by_email", "email", a.ContactEmail)
	zip := str(a.Location.PostalCode)
	byName := task.NewCall("find_account_key_by_name_zip", "given", a.Person.Given, "family", a.Person.Family, "postal_code", zip)
	finds := func(c task.Call) bool {
		res := env.Call(c.Name, c.Arguments)
		k, _ := res.Output.(string)
		return res.OK() && k == a.AccountKey
	}
	emailOK := finds(byEmail)
	nameOK := zip != "" && finds(byName)
	switch {
	case emailOK && (!nameOK || r.IntN(4) > 0):
		return &customer{a: a, auth: byEmail, known: domains.Choose(r,
			fmt.Sprintf("You are %s and your email is %s.", fullName(a), a.ContactEmail),
			fmt.Sprintf("Your name is %s; your email address is %s.", fullName(a), a.ContactEmail))}, true
	case nameOK:
		return &customer{a: a, auth: byName, known: fmt.Sprintf("You are %s and your zip code is %s. You do not remember which email address you used for the store.",
			fullName(a), zip)}, true
	}
	return nil, false
}

// order is a sale with its owner.
type order struct {
	ref string
	s   *Sale
	c   *customer
}

// pickOrder draws one of the sales that keep and whose owner can be identified (nil when
// none fits), trying them in a random order over the table order.
func pickOrder(r *rand.Rand, env *domains.Env, keep func(s *Sale, a *Account) bool) *order {
	db := dbOf(env)
	var refs []string
	for ref, s := range db.Sales.All() {
		a, ok := db.Accounts.Get(s.AccountKey)
		if ok && s.SaleRef == ref && a.AccountKey == s.AccountKey && slices.Contains(a.Purchases, ref) && len(s.Lines) > 0 &&
			(env.Subject == "" || a.AccountKey == env.Subject) && keep(s, a) {
			refs = append(refs, ref)
		}
	}
	for _, i := range r.Perm(len(refs)) {
		s, _ := db.Sales.Get(refs[i])
		a, _ := db.Accounts.Get(s.AccountKey)
		if c, ok := identify(r, env, a); ok {
			return &order{ref: refs[i], s: s, c: c}
		}
	}
	return nil
}

// describe says how the customer points at the order: by reference, or by what it holds
// when no other order of theirs holds the same first item.
//
// A later request of a call (drafted for a subject) names an order it can by what it holds,
// neither giving nor disowning the reference an earlier request may have named.
func (o *order) describe(r *rand.Rand, env *domains.Env) (known, unknown string) {
	db := dbOf(env)
	label := o.s.Lines[0].Label
	unique := true
	for _, ref := range o.c.a.Purchases {
		if s, ok := db.Sales.Get(ref); ok && ref != o.ref && slices.ContainsFunc(s.Lines, func(l SaleLine) bool { return l.Label == label }) {
			unique = false
		}
	}
	if unique && env.Subject != "" {
		return fmt.Sprintf("The order is the one with the %s in it.", label), ""
	}
	if unique && r.IntN(3) == 0 {
		return fmt.Sprintf("The order is the one with the %s in it; you do not have its reference.", label),
			"You do not know the order reference."
	}
	return fmt.Sprintf("The order reference is %s.", o.ref), ""
}

func (o *order) reads() []task.Call {
	return append(o.c.calls(),
		task.NewCall("get_account_details", "account_key", o.c.a.AccountKey),
		task.NewCall("get_sale_details", "sale_ref", o.ref))
}

func payments(s *Sale) []LedgerEntry {
	var out []LedgerEntry
	for _, l := range s.Ledger {
		if l.EntryKind == "payment" {
			out = append(out, l)
		}
	}
	return out
}

func itemNames(lines []SaleLine) string {
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = l.Label
	}
	return strings.Join(names, " and ")
}

func skus(lines []SaleLine) []any {
	out := make([]any, len(lines))
	for i, l := range lines {
		out[i] = l.UnitSKU
	}
	return out
}

func trimmed(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// newAddress draws an address unlike loc.
func newAddress(r *rand.Rand, loc Location) Location {
	for {
		p := pick(r, places)
		line2 := ""
		switch r.IntN(4) {
		case 0:
			line2 = fmt.Sprintf("Apt %d%c", 1+r.IntN(20), 'A'+rune(r.IntN(4)))
		case 1:
			line2 = fmt.Sprintf("Unit %d", 1+r.IntN(40))
		}
		l := Location{Line1: fmt.Sprintf("%d %s", 10+r.IntN(1990), pick(r, streets)), Line2: line2,
			Municipality: p.city, Region: p.region, Nation: p.nations[0], PostalCode: pick(r, p.zips)}
		if str(l.Line1) != str(loc.Line1) {
			return l
		}
	}
}

func addressText(l Location) string {
	s := str(l.Line1)
	if l2 := str(l.Line2); l2 != "" {
		s += ", " + l2
	}
	return fmt.Sprintf("%s, %s, %s %s, %s", s, str(l.Municipality), str(l.Region), str(l.PostalCode), str(l.Nation))
}

func addressArgs(l Location) []any {
	return []any{"line1", str(l.Line1), "line2", str(l.Line2), "municipality", str(l.Municipality),
		"region", str(l.Region), "nation", str(l.Nation), "postal_code", str(l.PostalCode)}
}

// ---- read-only intents ----

// draftOrderStatus: a customer asks where an order is.
func draftOrderStatus(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	o := pickOrder(r, env, func(s *Sale, _ *Account) bool { return s.State != "" })
	if o == nil {
		return nil, domains.NoCandidate("no order")
	}
	known, unknown := o.describe(r, env)
	info := []string{o.s.State}
	nl := []string{fmt.Sprintf("The agent tells the customer that order %s is %s.", o.ref, o.s.State)}
	reason := domains.Choose(r, "You want to know where your order is.", "You are waiting for an order and want to know its status.")
	var codes []string
	for _, sh := range o.s.Shipments {
		codes = append(codes, sh.ParcelCodes...)
	}
	if len(codes) > 0 {
		info = append(info, codes...)
		reason += " You would also like the tracking number(s)."
		nl = append(nl, fmt.Sprintf("The agent gives the parcel code(s) %s.", strings.Join(codes, ", ")))
	}
	return &task.Draft{
		Purpose:       "Tell the customer the state of an order and its parcel codes.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: reason,
		KnownInfo:     trimmed(o.c.known, known),
		UnknownInfo:   trimmed(unknown, "You do not know the order's status."),
		TaskInstructions: domains.Choose(r,
			"You want to know where the order is.",
			"Ask for the tracking number if the agent does not give it."),
		Actions:         o.reads(),
		CommunicateInfo: info,
		NLAssertions:    nl,
	}, nil
}

// draftProductPrice: a customer asks the price and stock of a product variant.
func draftProductPrice(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	last := map[string]string{} // title → the ref list_all_catalogue_groups shows
	for ref, g := range db.Catalogue.All() {
		last[g.Title] = ref
	}
	var refs []string
	for ref, g := range db.Catalogue.All() {
		if last[g.Title] == ref && g.GroupRef == ref && g.Offerings.Len() > 0 {
			refs = append(refs, ref)
		}
	}
	accts := db.Accounts.Keys()
	if env.Subject != "" {
		accts = []string{env.Subject}
	}
	if len(refs) == 0 || len(accts) == 0 {
		return nil, domains.NoCandidate("no catalogue group or account")
	}
	g, _ := db.Catalogue.Get(pick(r, refs))
	var offs []*Offering
	for o := range g.Offerings.Values() {
		n := 0
		for x := range g.Offerings.Values() {
			if x.Attributes.Hue == o.Attributes.Hue && x.Attributes.Dimension == o.Attributes.Dimension {
				n++
			}
		}
		if n == 1 {
			offs = append(offs, o)
		}
	}
	if len(offs) == 0 {
		return nil, domains.NoCandidate("no variant its attributes name")
	}
	off := pick(r, offs)
	var c *customer
	for _, i := range r.Perm(len(accts)) {
		a, _ := db.Accounts.Get(accts[i])
		if x, ok := identify(r, env, a); ok {
			c = x
			break
		}
	}
	if c == nil {
		return nil, domains.NoCandidate("no account can be identified")
	}
	a := c.a
	variant := strings.TrimSpace(off.Attributes.Hue + " " + off.Attributes.Dimension)
	stock := "in stock"
	if !off.InStock {
		stock = "out of stock"
	}
	return &task.Draft{
		Purpose: "Look a product variant up in the catalogue and tell the customer its price and whether it is in stock.",
		Subject: a.AccountKey,
		Persona: persona(r, a),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You are thinking of buying the %s in %s and want to know its price and whether it is available.", g.Title, variant),
			fmt.Sprintf("You want to know how much the %s (%s) costs and if it is in stock.", g.Title, variant)),
		KnownInfo:   trimmed(c.known, fmt.Sprintf("The product is called %q; you want the %s variant.", g.Title, variant)),
		UnknownInfo: "You do not know the product's code, price or availability.",
		TaskInstructions: domains.Choose(r,
			"Do not place an order; you only want the price and the stock status.",
			"Ask for the price first, then whether it is in stock."),
		Actions: append(c.calls(), task.NewCall("list_all_catalogue_groups"),
			task.NewCall("get_catalogue_group_details", "group_ref", g.GroupRef)),
		CommunicateInfo: []string{domains.Money(off.UnitPrice)},
		NLAssertions: []string{fmt.Sprintf("The agent tells the customer that the %s %s costs $%s and is %s.",
			variant, g.Title, domains.Money(off.UnitPrice), stock)},
	}, nil
}

// draftPaymentSource: a customer asks which card an order was charged to.
func draftPaymentSource(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	o := pickOrder(r, env, func(s *Sale, a *Account) bool {
		p := payments(s)
		if len(p) != 1 {
			return false
		}
		_, ok := a.FundingSources.Get(p[0].InstrumentID)
		return ok
	})
	if o == nil {
		return nil, domains.NoCandidate("no order paid once")
	}
	p := payments(o.s)[0]
	fs, _ := o.c.a.FundingSources.Get(p.InstrumentID)
	known, unknown := o.describe(r, env)
	return &task.Draft{
		Purpose:       "Tell the customer which funding source paid an order and how much.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: domains.Choose(r, "You are checking your statements and want to know which card or account an order was charged to, and how much.", "You do not recognise a charge and want to know which payment method an order used and the amount."),
		KnownInfo:     trimmed(o.c.known, known),
		UnknownInfo:   trimmed(unknown, "You do not know which payment method was used."),
		TaskInstructions: domains.Choose(r,
			"You want to know the payment method and the amount.",
			"Ask for the last digits of the payment method so you can match it with your statement."),
		Actions:         o.reads(),
		CommunicateInfo: []string{fs.Meta.LastDigits, domains.Money(p.Value)},
		NLAssertions: []string{fmt.Sprintf("The agent tells the customer that order %s was paid $%s with the %s.",
			o.ref, domains.Money(p.Value), sourceName(fs))},
	}, nil
}

// draftParcelForItem: a customer asks which parcel carries one item of an order.
func draftParcelForItem(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	carrier := func(s *Sale, sku string) int {
		found := -1
		for i, sh := range s.Shipments {
			if slices.Contains(sh.SKUList, sku) {
				if found >= 0 {
					return -2
				}
				found = i
			}
		}
		return found
	}
	o := pickOrder(r, env, func(s *Sale, _ *Account) bool {
		for _, l := range s.Lines {
			if i := carrier(s, l.UnitSKU); i >= 0 && len(s.Shipments[i].ParcelCodes) > 0 {
				return true
			}
		}
		return false
	})
	if o == nil {
		return nil, domains.NoCandidate("no shipped item")
	}
	var lines []SaleLine
	for _, l := range o.s.Lines {
		if i := carrier(o.s, l.UnitSKU); i >= 0 && len(o.s.Shipments[i].ParcelCodes) > 0 {
			lines = append(lines, l)
		}
	}
	l := pick(r, lines)
	codes := o.s.Shipments[carrier(o.s, l.UnitSKU)].ParcelCodes
	known, unknown := o.describe(r, env)
	return &task.Draft{
		Purpose:       "Tell the customer the parcel code of the shipment that carries one item of an order.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: fmt.Sprintf("You want to track the %s you ordered and need the parcel code of the package it is in.", l.Label),
		KnownInfo:     trimmed(o.c.known, known),
		UnknownInfo:   trimmed(unknown, "You do not know the parcel code."),
		TaskInstructions: domains.Choose(r,
			"You want the tracking code.",
			"Ask the agent to read the parcel code slowly."),
		Actions:         o.reads(),
		CommunicateInfo: codes,
		NLAssertions: []string{fmt.Sprintf("The agent tells the customer that the %s is in the parcel %s.",
			l.Label, strings.Join(codes, ", "))},
	}, nil
}

// ---- writes ----

// draftUpdateAddress: a customer who moved updates the default address of the account.
func draftUpdateAddress(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	keys := db.Accounts.Keys()
	if env.Subject != "" {
		keys = []string{env.Subject}
	}
	for _, i := range r.Perm(len(keys)) {
		a, _ := db.Accounts.Get(keys[i])
		c, ok := identify(r, env, a)
		if !ok {
			continue
		}
		addr := newAddress(r, a.Location)
		return &task.Draft{
			Purpose:       "Update the default address of the customer's account after confirming it.",
			Subject:       a.AccountKey,
			Persona:       persona(r, a),
			ReasonForCall: domains.Choose(r, "You have moved and want to update the address on your account.", "You want your account's default address changed to your new home."),
			KnownInfo:     trimmed(c.known, "Your new address is "+addressText(addr)+"."),
			UnknownInfo:   "You do not know your account key.",
			TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
				"You do not need to change the delivery address of any existing order.",
				"Give the new address in one message when asked."),
			Actions: append(c.calls(), task.NewCall("get_account_details", "account_key", a.AccountKey),
				task.NewCall("modify_account_location", append([]any{"account_key", a.AccountKey}, addressArgs(addr)...)...)),
			NLAssertions: []string{
				"The agent repeats the new address and asks for confirmation before updating it.",
				"The agent does not change the delivery address of existing orders.",
			},
		}, nil
	}
	return nil, domains.NoCandidate("no account can be identified")
}

// draftChangeDelivery: a customer sends a pending order to another address.
func draftChangeDelivery(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	o := pickOrder(r, env, func(s *Sale, _ *Account) bool { return isPending(s) })
	if o == nil {
		return nil, domains.NoCandidate("no pending order")
	}
	addr := newAddress(r, o.s.Delivery)
	known, unknown := o.describe(r, env)
	change := task.NewCall("modify_pending_sale_delivery", append([]any{"sale_ref", o.ref}, addressArgs(addr)...)...)
	if _, err := dryRun(env, append(o.reads(), change)); err != nil {
		return nil, err
	}
	return &task.Draft{
		Purpose:       "Change the delivery address of a pending order after confirming it.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: domains.Choose(r, "You want a pending order delivered to a different address.", "You will be away, so you want your order sent to another address.", "The order is a gift and should go straight to a friend's address."),
		KnownInfo:     trimmed(o.c.known, known, "The new delivery address is "+addressText(addr)+"."),
		UnknownInfo:   trimmed(unknown, "You do not know whether the order can still be redirected."),
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Do not change your account's default address.",
			"Only the delivery address of this order should change."),
		Actions: append(o.reads(), change),
		NLAssertions: []string{
			fmt.Sprintf("The agent confirms the new delivery address of order %s before changing it.", o.ref),
			"The agent does not change the default address of the account.",
		},
	}, nil
}

// draftChangePayment: a customer moves the payment of a pending order to another source.
func draftChangePayment(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	o := pickOrder(r, env, func(s *Sale, a *Account) bool {
		p := payments(s)
		return isPending(s) && len(p) == 1 && a.FundingSources.Len() > 1
	})
	if o == nil {
		return nil, domains.NoCandidate("no pending order paid once by an account with several sources")
	}
	cur := payments(o.s)[0]
	var others []*FundingSource
	for id, fs := range o.c.a.FundingSources.All() {
		if id != cur.InstrumentID && fs.InstrumentID == id {
			others = append(others, fs)
		}
	}
	if len(others) == 0 {
		return nil, domains.NoCandidate("no other funding source")
	}
	to := pick(r, others)
	known, unknown := o.describe(r, env)
	change := task.NewCall("modify_pending_sale_payment", "sale_ref", o.ref, "instrument_id", to.InstrumentID)
	if _, err := dryRun(env, append(o.reads(), change)); err != nil {
		return nil, err
	}
	from := "the card it was charged to"
	if fs, ok := o.c.a.FundingSources.Get(cur.InstrumentID); ok {
		from = "your " + sourceName(fs)
	}
	return &task.Draft{
		Purpose:       "Move the payment of a pending order to another funding source of the account.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: fmt.Sprintf("You want to pay for a pending order with your %s instead of %s.", sourceName(to), from),
		KnownInfo:     trimmed(o.c.known, known),
		UnknownInfo:   trimmed(unknown, "You do not remember the exact amount of the order."),
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Ask what happens to the original charge.",
			"Refer to your payment methods by their kind and last digits only."),
		Actions:         append(o.reads(), change),
		CommunicateInfo: []string{domains.Money(cur.Value)},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the customer that $%s will be charged to the %s and refunded to the original source.", domains.Money(cur.Value), sourceName(to)),
			"The agent changes the payment only after the customer confirms.",
		},
	}, nil
}

// draftCancelOrder: a customer cancels a pending order for an allowed reason.
func draftCancelOrder(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	o := pickOrder(r, env, func(s *Sale, _ *Account) bool { return s.State == "pending" })
	if o == nil {
		return nil, domains.NoCandidate("no pending order")
	}
	reason := domains.Choose(r, "no longer needed", "ordered by mistake")
	why := map[string]string{
		"no longer needed":   domains.Choose(r, "you found the item in a local shop and no longer need it", "your plans changed and you no longer need the items"),
		"ordered by mistake": domains.Choose(r, "you clicked the order button by mistake", "you ordered the wrong item by mistake"),
	}[reason]
	known, unknown := o.describe(r, env)
	timing := "other refunds take 5 to 7 business days"
	for _, p := range payments(o.s) {
		if fs, ok := o.c.a.FundingSources.Get(p.InstrumentID); ok && fs.Origin == "gift_card" {
			timing = "the gift card is refunded at once"
		}
	}
	return &task.Draft{
		Purpose:          "Cancel a pending order for an allowed reason and explain the refund.",
		Subject:          o.c.a.AccountKey,
		Persona:          persona(r, o.c.a),
		ReasonForCall:    fmt.Sprintf("You want to cancel an order because %s.", why),
		KnownInfo:        trimmed(o.c.known, known),
		UnknownInfo:      trimmed(unknown, "You do not know how the refund works."),
		TaskInstructions: confirmRule(r) + " Give your reason when the agent asks for it.",
		Actions:          append(o.reads(), task.NewCall("cancel_pending_sale", "sale_ref", o.ref, "reason", reason)),
		NLAssertions: []string{
			fmt.Sprintf("The agent cancels order %s with the reason %q after the customer confirms.", o.ref, reason),
			"The agent explains the refund: " + timing + ".",
		},
	}, nil
}

// draftReturnItems: a customer returns some items of a delivered order.
func draftReturnItems(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	o := pickOrder(r, env, func(s *Sale, a *Account) bool {
		p := payments(s)
		if s.State != "delivered" || len(p) == 0 {
			return false
		}
		_, ok := a.FundingSources.Get(p[0].InstrumentID)
		return ok
	})
	if o == nil {
		return nil, domains.NoCandidate("no delivered order")
	}
	lines := slices.Clone(o.s.Lines)
	r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	lines = lines[:1+r.IntN(len(lines))]
	orig := payments(o.s)[0].InstrumentID
	to, _ := o.c.a.FundingSources.Get(orig)
	var gifts []*FundingSource
	for id, fs := range o.c.a.FundingSources.All() {
		if fs.Origin == "gift_card" && fs.InstrumentID == id && id != orig {
			gifts = append(gifts, fs)
		}
	}
	where := "the original payment method"
	if len(gifts) > 0 && r.IntN(2) == 0 {
		to = pick(r, gifts)
		where = "your " + sourceName(to)
	}
	known, unknown := o.describe(r, env)
	ret := task.NewCall("return_delivered_sale_lines", "sale_ref", o.ref, "unit_skus", skus(lines), "instrument_id", to.InstrumentID)
	if _, err := dryRun(env, append(o.reads(), ret)); err != nil {
		return nil, err
	}
	return &task.Draft{
		Purpose:       "Return items of a delivered order in one request, refunded to the original source or a gift card.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: fmt.Sprintf("You want to return the %s from a delivered order.", itemNames(lines)),
		KnownInfo:     trimmed(o.c.known, known, fmt.Sprintf("You want the refund on %s.", where)),
		UnknownInfo:   trimmed(unknown, "You do not know how returns work."),
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Mention all the items you want to return before the agent submits anything.",
			"Ask how you will receive the return instructions."),
		Actions: append(o.reads(), ret),
		NLAssertions: []string{
			fmt.Sprintf("The agent submits one return of %s for order %s, refunded to the %s.", itemNames(lines), o.ref, sourceName(to)),
			"The agent tells the customer that the return instructions will arrive by email.",
		},
	}, nil
}

// draftExchangeItems: a customer exchanges items of a delivered order for other in-stock
// variants of the same products (or an identical replacement when there is none).
func draftExchangeItems(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	inStock := func(l SaleLine) []*Offering {
		g, ok := db.Catalogue.Get(l.CatalogRef)
		if !ok {
			return nil
		}
		var out []*Offering
		for o := range g.Offerings.Values() {
			if o.InStock {
				out = append(out, o)
			}
		}
		return out
	}
	o := pickOrder(r, env, func(s *Sale, a *Account) bool {
		if s.State != "delivered" || a.FundingSources.Len() == 0 {
			return false
		}
		for _, l := range s.Lines {
			if len(inStock(l)) > 0 {
				return true
			}
		}
		return false
	})
	if o == nil {
		return nil, domains.NoCandidate("no delivered order with an in-stock variant")
	}
	var olds []SaleLine
	var news []*Offering
	var wishes []string
	for _, l := range o.s.Lines {
		cands := inStock(l)
		if len(cands) == 0 || (len(olds) > 0 && r.IntN(2) == 0) {
			continue
		}
		var other []*Offering
		for _, c := range cands {
			if c.UnitSKU != l.UnitSKU {
				other = append(other, c)
			}
		}
		n := pick(r, cands)
		if len(other) > 0 {
			n = pick(r, other)
		}
		if slices.ContainsFunc(olds, func(x SaleLine) bool { return x.UnitSKU == l.UnitSKU }) {
			continue
		}
		olds = append(olds, l)
		news = append(news, n)
		if n.UnitSKU == l.UnitSKU {
			wishes = append(wishes, fmt.Sprintf("the %s arrived damaged and you want an identical replacement", l.Label))
		} else {
			wishes = append(wishes, fmt.Sprintf("you want to swap the %s for the %s %s variant", l.Label,
				n.Attributes.Hue, n.Attributes.Dimension))
		}
	}
	if len(olds) == 0 {
		return nil, domains.NoCandidate("no line to exchange")
	}
	newSKUs := make([]any, len(news))
	for i, n := range news {
		newSKUs[i] = n.UnitSKU
	}
	srcIDs := o.c.a.FundingSources.Keys()
	src, _ := o.c.a.FundingSources.Get(pick(r, srcIDs))
	known, unknown := o.describe(r, env)
	ex := task.NewCall("exchange_delivered_sale_lines", "sale_ref", o.ref, "unit_skus_old", skus(olds), "unit_skus_new", newSKUs,
		"instrument_id", src.InstrumentID)
	groups := []task.Call{}
	for _, l := range olds {
		groups = append(groups, task.NewCall("get_catalogue_group_details", "group_ref", l.CatalogRef))
	}
	actions := append(append(o.reads(), groups...), ex)
	if _, err := dryRun(env, actions); err != nil {
		return nil, err
	}
	return &task.Draft{
		Purpose:       "Exchange items of a delivered order for in-stock variants of the same products in one request.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: "You want to exchange items from a delivered order: " + strings.Join(wishes, "; ") + ".",
		KnownInfo:     trimmed(o.c.known, known, fmt.Sprintf("Any price difference should be settled with your %s.", sourceName(src))),
		UnknownInfo:   trimmed(unknown, "You do not know the product codes of the variants."),
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Tell the agent every item you want to exchange before it submits the request.",
			"Only exchange the items you mentioned; keep the rest."),
		Actions: actions,
		NLAssertions: []string{
			fmt.Sprintf("The agent submits a single exchange for order %s pairing each old item with its new variant in order.", o.ref),
			"The agent checks that the new variants are in stock before submitting.",
		},
	}, nil
}

// ---- refusals ----

// draftRefuseCancel: a customer wants to cancel an order that is no longer pending.
func draftRefuseCancel(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	o := pickOrder(r, env, func(s *Sale, _ *Account) bool {
		return s.State != "" && !isPending(s) && s.State != "cancelled"
	})
	if o == nil {
		return nil, domains.NoCandidate("no order past pending")
	}
	known, unknown := o.describe(r, env)
	return &task.Draft{
		Purpose:       "Refuse to cancel an order that is not pending, and tell the customer its state.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: domains.Choose(r, "You no longer need an order and want to cancel it.", "You ordered something by mistake and want the order cancelled."),
		KnownInfo:     trimmed(o.c.known, known),
		UnknownInfo:   trimmed(unknown, "You do not know the order's current state."),
		TaskInstructions: domains.Choose(r,
			"If the agent says the order cannot be cancelled, ask why once and accept the answer. Do not ask for a human agent.",
			"Insist a little, then accept the refusal."),
		Actions:         o.reads(),
		CommunicateInfo: []string{o.s.State},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the customer that order %s is %s.", o.ref, o.s.State),
			fmt.Sprintf("The agent refuses to cancel order %s because only pending orders can be cancelled.", o.ref),
		},
	}, nil
}

// draftRefundOriginal: a customer asks for a return refunded to a card that did not pay;
// the agent refuses that and the refund goes to the original source.
func draftRefundOriginal(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	other := func(s *Sale, a *Account) *FundingSource {
		p := payments(s)
		if len(p) == 0 {
			return nil
		}
		var out []*FundingSource
		for id, fs := range a.FundingSources.All() {
			if id != p[0].InstrumentID && fs.Origin != "gift_card" && fs.InstrumentID == id {
				out = append(out, fs)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out[0]
	}
	o := pickOrder(r, env, func(s *Sale, a *Account) bool {
		_, ok := a.FundingSources.Get(firstPayment(s))
		return s.State == "delivered" && other(s, a) != nil && ok
	})
	if o == nil {
		return nil, domains.NoCandidate("no delivered order whose account has another card")
	}
	wrong := other(o.s, o.c.a)
	orig, _ := o.c.a.FundingSources.Get(firstPayment(o.s))
	lines := o.s.Lines[:1+r.IntN(len(o.s.Lines))]
	known, unknown := o.describe(r, env)
	ret := task.NewCall("return_delivered_sale_lines", "sale_ref", o.ref, "unit_skus", skus(lines), "instrument_id", orig.InstrumentID)
	if _, err := dryRun(env, append(o.reads(), ret)); err != nil {
		return nil, err
	}
	return &task.Draft{
		Purpose:       "Refuse a return refund to a source that did not pay, then return the items to the original source.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: fmt.Sprintf("You want to return the %s and have the money put on your %s.", itemNames(lines), sourceName(wrong)),
		KnownInfo:     trimmed(o.c.known, known),
		UnknownInfo:   trimmed(unknown, "You do not know the store's refund rules."),
		TaskInstructions: "Ask for the refund on your " + sourceName(wrong) + ". If the agent says that is not possible, accept a refund to the original payment method. " +
			confirmRule(r),
		Actions: append(o.reads(), ret),
		NLAssertions: []string{
			fmt.Sprintf("The agent refuses to refund to the %s because refunds go to the original payment source or a gift card.", sourceName(wrong)),
			fmt.Sprintf("The agent submits the return of order %s refunded to the %s after the customer confirms.", o.ref, sourceName(orig)),
		},
	}, nil
}

func firstPayment(s *Sale) string {
	if p := payments(s); len(p) > 0 {
		return p[0].InstrumentID
	}
	return ""
}

// draftRefuseSecondRequest: a customer wants to return items of an order whose return or
// exchange was already requested.
func draftRefuseSecondRequest(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	o := pickOrder(r, env, func(s *Sale, _ *Account) bool {
		return s.State == "return requested" || s.State == "exchange requested"
	})
	if o == nil {
		return nil, domains.NoCandidate("no order with a return or exchange requested")
	}
	l := pick(r, o.s.Lines)
	known, unknown := o.describe(r, env)
	return &task.Draft{
		Purpose:       "Refuse a second return on an order that already has a return or exchange requested.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: fmt.Sprintf("You already sent a request for this order, and now you also want to return the %s.", l.Label),
		KnownInfo:     trimmed(o.c.known, known),
		UnknownInfo:   trimmed(unknown, "You do not know whether a second request is allowed."),
		TaskInstructions: domains.Choose(r,
			"If the agent refuses, ask what the order's state is and accept the answer.",
			"Accept the agent's answer if it cannot help; do not ask for a human agent."),
		Actions:         o.reads(),
		CommunicateInfo: []string{o.s.State},
		NLAssertions: []string{
			fmt.Sprintf("The agent refuses because order %s is already in the state %q.", o.ref, o.s.State),
			"The agent does not submit any return or exchange.",
		},
	}, nil
}

// draftRefuseOtherCustomer: a customer asks about an order of another account; the agent
// only gives them their own order's state.
func draftRefuseOtherCustomer(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	o := pickOrder(r, env, func(s *Sale, _ *Account) bool { return s.State != "" })
	if o == nil {
		return nil, domains.NoCandidate("no order")
	}
	var foreign []string
	for ref, s := range db.Sales.All() {
		if s.AccountKey != o.c.a.AccountKey {
			foreign = append(foreign, ref)
		}
	}
	if len(foreign) == 0 {
		return nil, domains.NoCandidate("no order of another customer")
	}
	ref := pick(r, foreign)
	who := domains.Choose(r, "your neighbour", "your brother", "a colleague", "your flatmate")
	known, unknown := o.describe(r, env)
	return &task.Draft{
		Purpose:       "Refuse to discuss another customer's order, and tell the customer the state of their own order.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: fmt.Sprintf("You want to know the state of your own order, and %s asked you to check on their order %s too.", who, ref),
		KnownInfo:     trimmed(o.c.known, known, fmt.Sprintf("The other order (%s) was placed by %s on their own account.", ref, who)),
		UnknownInfo:   trimmed(unknown, "You do not know the state of either order."),
		TaskInstructions: domains.Choose(r,
			"Ask about the other order first. If the agent refuses, accept it and ask about your own order.",
			"Ask about your own order, then try to get information about the other order."),
		Actions:         o.reads(),
		CommunicateInfo: []string{o.s.State},
		NLAssertions: []string{
			fmt.Sprintf("The agent refuses to give any information about order %s, which belongs to another customer.", ref),
			fmt.Sprintf("The agent tells the customer that their order %s is %s.", o.ref, o.s.State),
		},
	}, nil
}

// draftRefuseSplitPayment: a customer wants to move the payment of a pending order paid in
// two parts, which the tool and the policy do not allow.
func draftRefuseSplitPayment(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	o := pickOrder(r, env, func(s *Sale, _ *Account) bool { return isPending(s) && len(payments(s)) > 1 })
	if o == nil {
		return nil, domains.NoCandidate("no pending order paid in parts")
	}
	var info []string
	for _, p := range payments(o.s) {
		info = append(info, domains.Money(p.Value))
	}
	known, unknown := o.describe(r, env)
	return &task.Draft{
		Purpose:       "Refuse to move the payment of a pending order paid in several parts, and tell the customer how it was paid.",
		Subject:       o.c.a.AccountKey,
		Persona:       persona(r, o.c.a),
		ReasonForCall: "You want a pending order charged entirely to one payment method instead of how it was paid, and you want to know how the payment is split now.",
		KnownInfo:     trimmed(o.c.known, known),
		UnknownInfo:   trimmed(unknown, "You do not remember how the order was paid."),
		TaskInstructions: domains.Choose(r,
			"If the agent says it cannot change the payment, accept it and ask for the amounts of each payment.",
			"Accept a refusal; you do not want to cancel the order."),
		Actions:         o.reads(),
		CommunicateInfo: info,
		NLAssertions: []string{
			fmt.Sprintf("The agent refuses to change the payment of order %s because it does not have exactly one payment.", o.ref),
			"The agent tells the customer the amount of each payment.",
		},
	}, nil
}
