package ecommerce

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/calc"
	"github.com/toolscale/toolscale/domains/py"
)

//go:embed policy.md
var policy string

// Domain is the e-commerce environment, registered as "ecommerce".
var Domain = &domains.Domain{
	Name:     "ecommerce",
	Toolkit:  "ECommerceTools",
	NewDB:    func() domains.DB { return &DB{} },
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "calculate", Kind: domains.Generic, Params: calculateParams{}, Fn: calculateTool,
			Description: "Evaluate an arithmetic expression made of numbers, + - * /, parentheses, dots and spaces, and return the result rounded to 2 decimals."},
		{Name: "transfer_to_human_agents", Kind: domains.Generic, Params: transferParams{}, Fn: transfer,
			Description: "Hand the conversation over to a human agent with a summary of the issue. Use it only when the user asks for a human or the request cannot be handled with the tools and the policy."},
		{Name: "find_account_key_by_email", Kind: domains.Read, Params: emailParams{}, Fn: findAccountKeyByEmail,
			Description: "Find the key of the account whose contact email matches (case-insensitively). Raises an error when no account matches."},
		{Name: "find_account_key_by_name_zip", Kind: domains.Read, Params: nameZipParams{}, Fn: findAccountKeyByNameZip,
			Description: "Find the key of the account with this first name, last name (both case-insensitive) and exact postal code. Use it when the email lookup fails or the user does not know their email."},
		{Name: "get_sale_details", Kind: domains.Read, Params: saleParams{}, Fn: getSaleDetails,
			Description: "Return a sale (order): its owner, delivery address, lines, state, shipments and payment ledger."},
		{Name: "get_catalogue_group_details", Kind: domains.Read, Params: groupParams{}, Fn: getCatalogueGroupDetails,
			Description: "Return a catalogue group with all its offerings (unit SKUs), their attributes, stock and price."},
		{Name: "get_account_details", Kind: domains.Read, Params: accountParams{}, Fn: getAccountDetails,
			Description: "Return an account: name, default address, contact email, funding sources and purchases."},
		{Name: "list_all_catalogue_groups", Kind: domains.Read, Fn: listAllCatalogueGroups,
			Description: "Return a JSON object mapping every catalogue group title to its group_ref, sorted by title."},
		{Name: "get_db_statistics", Kind: domains.Read, Fn: getDBStatistics,
			Description: "Return a JSON object with the number of accounts, catalogue groups, sales and offerings."},
		{Name: "modify_account_location", Kind: domains.Write, Params: accountLocationParams{}, Fn: modifyAccountLocation,
			Description: "Replace the default address of an account. Explain the change and get an explicit yes from the user first. Sale delivery addresses are not changed."},
		{Name: "modify_pending_sale_delivery", Kind: domains.Write, Params: saleLocationParams{}, Fn: modifyPendingSaleDelivery,
			Description: "Replace the delivery address of a pending sale. Explain the change and get an explicit yes from the user first."},
		{Name: "modify_pending_sale_payment", Kind: domains.Write, Params: salePaymentParams{}, Fn: modifyPendingSalePayment,
			Description: "Move the payment of a pending sale to another funding instrument of its account: the sale must hold exactly one payment, and the new instrument must differ from the one it used. Records a payment on the new instrument and a refund to the old one. Get an explicit yes from the user first."},
		{Name: "cancel_pending_sale", Kind: domains.Write, Params: cancelParams{}, Fn: cancelPendingSale,
			Description: "Cancel a pending sale, refunding every payment to its instrument (gift cards at once, other instruments within 5-7 business days). The reason must be 'no longer needed' or 'ordered by mistake'. Get an explicit yes from the user first."},
		{Name: "return_delivered_sale_lines", Kind: domains.Write, Params: returnParams{}, Fn: returnDeliveredSaleLines,
			Description: "Request the return of items of a delivered sale; the sale becomes 'return requested' and the user gets return instructions by email. The refund goes to the original payment instrument or to a gift card of the account. A delivered sale can be returned or exchanged only once, so gather every item first and get an explicit yes from the user."},
		{Name: "exchange_delivered_sale_lines", Kind: domains.Write, Params: exchangeParams{}, Fn: exchangeDeliveredSaleLines,
			Description: "Request the exchange of items of a delivered sale for other in-stock offerings of the same catalogue groups, paired by position; the sale becomes 'exchange requested' and any price difference is settled on the given instrument. A delivered sale can be returned or exchanged only once, so gather every item first and get an explicit yes from the user."},
	},
}

func init() { domains.Register(Domain) }

type calculateParams struct {
	Expression string `json:"expression" jsonschema:"description=The expression to evaluate\\, such as '2 + 2': numbers\\, + - * /\\, parentheses\\, dots and spaces."`
}

type transferParams struct {
	Summary string `json:"summary" jsonschema:"description=A short summary of the user's issue for the human agent."`
}

type emailParams struct {
	Email string `json:"email" jsonschema:"description=The account's contact email\\, such as 'jane.doe@example.com'."`
}

type nameZipParams struct {
	Given      string `json:"given" jsonschema:"description=The account holder's first name\\, such as 'Jane'."`
	Family     string `json:"family" jsonschema:"description=The account holder's last name\\, such as 'Doe'."`
	PostalCode string `json:"postal_code" jsonschema:"description=The postal or ZIP code of the account's default address\\, such as '94103'."`
}

type saleParams struct {
	SaleRef string `json:"sale_ref" jsonschema:"description=The sale reference (a 7-character code such as 'Jr5fHCs')."`
}

type groupParams struct {
	GroupRef string `json:"group_ref" jsonschema:"description=The catalogue group reference (a 7-character code such as 'GTSKGCG')."`
}

type accountParams struct {
	AccountKey string `json:"account_key" jsonschema:"description=The account key (a 7-character code such as 'kO5U7x3')."`
}

type accountLocationParams struct {
	AccountKey   string `json:"account_key" jsonschema:"description=The account key."`
	Line1        string `json:"line1" jsonschema:"description=First address line (street and number)."`
	Line2        string `json:"line2" jsonschema:"description=Second address line (apartment\\, suite)\\, or an empty string."`
	Municipality string `json:"municipality" jsonschema:"description=City or municipality."`
	Region       string `json:"region" jsonschema:"description=State or region."`
	Nation       string `json:"nation" jsonschema:"description=Country."`
	PostalCode   string `json:"postal_code" jsonschema:"description=Postal or ZIP code."`
}

type saleLocationParams struct {
	SaleRef      string `json:"sale_ref" jsonschema:"description=The sale reference."`
	Line1        string `json:"line1" jsonschema:"description=First address line (street and number)."`
	Line2        string `json:"line2" jsonschema:"description=Second address line (apartment\\, suite)\\, or an empty string."`
	Municipality string `json:"municipality" jsonschema:"description=City or municipality."`
	Region       string `json:"region" jsonschema:"description=State or region."`
	Nation       string `json:"nation" jsonschema:"description=Country."`
	PostalCode   string `json:"postal_code" jsonschema:"description=Postal or ZIP code."`
}

type salePaymentParams struct {
	SaleRef      string `json:"sale_ref" jsonschema:"description=The sale reference."`
	InstrumentID string `json:"instrument_id" jsonschema:"description=The instrument_id of the account's funding source that should pay for the sale instead."`
}

type cancelParams struct {
	SaleRef string `json:"sale_ref" jsonschema:"description=The sale reference."`
	Reason  string `json:"reason" jsonschema:"description=Why the sale is cancelled.,enum=no longer needed,enum=ordered by mistake"`
}

type returnParams struct {
	SaleRef      string   `json:"sale_ref" jsonschema:"description=The sale reference."`
	UnitSKUs     []string `json:"unit_skus" jsonschema:"description=The unit SKUs of the lines to return; repeat a SKU to return several units."`
	InstrumentID string   `json:"instrument_id" jsonschema:"description=The funding instrument that receives the refund: the sale's original payment instrument or a gift card of the account."`
}

type exchangeParams struct {
	SaleRef      string   `json:"sale_ref" jsonschema:"description=The sale reference."`
	UnitSKUsOld  []string `json:"unit_skus_old" jsonschema:"description=The unit SKUs of the lines to exchange; repeat a SKU to exchange several units."`
	UnitSKUsNew  []string `json:"unit_skus_new" jsonschema:"description=The new unit SKUs\\, in the same order as unit_skus_old; each must be an in-stock offering of the same catalogue group as the line it replaces."`
	InstrumentID string   `json:"instrument_id" jsonschema:"description=The funding instrument of the account that pays or receives the price difference."`
}

func dbOf(e *domains.Env) *DB { return e.DB.(*DB) }

// Lookups, as the toolkit's helpers do them: membership in the table by key.

func (db *DB) sale(ref any) (string, *Sale, error) {
	k, ok, err := dictKey(ref)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if s, found := db.Sales.Get(k); found {
			return k, s, nil
		}
	}
	return "", nil, errors.New("Sale not found")
}

func (db *DB) account(key any) (string, *Account, error) {
	k, ok, err := dictKey(key)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if a, found := db.Accounts.Get(k); found {
			return k, a, nil
		}
	}
	return "", nil, errors.New("Account not found")
}

func (db *DB) group(ref any) (*CatalogueGroup, error) {
	k, ok, err := dictKey(ref)
	if err != nil {
		return nil, err
	}
	if ok {
		if g, found := db.Catalogue.Get(k); found {
			return g, nil
		}
	}
	return nil, errors.New("Catalogue group not found")
}

func (db *DB) offering(groupRef string, sku any) (*Offering, error) {
	g, err := db.group(groupRef)
	if err != nil {
		return nil, err
	}
	k, ok, err := dictKey(sku)
	if err != nil {
		return nil, err
	}
	if ok {
		if o, found := g.Offerings.Get(k); found {
			return o, nil
		}
	}
	return nil, errors.New("Offering not found")
}

func (db *DB) fundingSource(accountKey string, instrumentID any) (*FundingSource, error) {
	_, a, err := db.account(accountKey)
	if err != nil {
		return nil, err
	}
	k, ok, err := dictKey(instrumentID)
	if err != nil {
		return nil, err
	}
	if ok {
		if f, found := a.FundingSources.Get(k); found {
			return f, nil
		}
	}
	return nil, errors.New("Funding source not found")
}

// isPending is the loose pending test of the modify tools: the lowercased state contains
// "pending" (cancel_pending_sale uses an exact comparison instead).
func isPending(s *Sale) bool {
	return strings.Contains(strings.ToLower(s.State), "pending")
}

const calcChars = "0123456789+-*/(). "

// calculate reproduces `all(c in ALLOWED for c in expression)` followed by eval for any
// argument: a non-str is iterated (a list's items must be str, tested as substrings), and
// eval then refuses it.
func calculate(expr any) (string, error) {
	s, ok := expr.(string)
	if !ok {
		items, err := iterate(expr)
		if err != nil {
			return "", err
		}
		for _, it := range items {
			c, ok := it.(string)
			if !ok {
				return "", fmt.Errorf("'in <string>' requires string as left operand, not %s", py.TypeName(it))
			}
			if !strings.Contains(calcChars, c) {
				return "", errors.New("Invalid characters in expression")
			}
		}
		return "", errors.New("eval() arg 1 must be a string, bytes or code object")
	}
	for _, r := range s {
		if !strings.ContainsRune(calcChars, r) {
			return "", errors.New("Invalid characters in expression")
		}
	}
	return calc.Evaluate(s)
}

func calculateTool(_ *domains.Env, a domains.Args) (any, error) {
	return calculate(a["expression"])
}

func transfer(*domains.Env, domains.Args) (any, error) { return "Transfer successful", nil }

func findAccountKeyByEmail(e *domains.Env, a domains.Args) (any, error) {
	for k, acc := range dbOf(e).Accounts.All() {
		want, err := lower(a["email"])
		if err != nil {
			return nil, err
		}
		if strings.ToLower(acc.ContactEmail) == want {
			return k, nil
		}
	}
	return nil, errors.New("Account not found")
}

func findAccountKeyByNameZip(e *domains.Env, a domains.Args) (any, error) {
	for k, acc := range dbOf(e).Accounts.All() {
		given, err := lower(a["given"])
		if err != nil {
			return nil, err
		}
		if strings.ToLower(acc.Person.Given) != given {
			continue
		}
		family, err := lower(a["family"])
		if err != nil {
			return nil, err
		}
		if strings.ToLower(acc.Person.Family) != family {
			continue
		}
		// The postal code is compared exactly, with Python's ==: the stored value may be
		// of any type after modify_account_location.
		if equal(acc.Location.PostalCode, a["postal_code"]) {
			return k, nil
		}
	}
	return nil, errors.New("Account not found")
}

func getSaleDetails(e *domains.Env, a domains.Args) (any, error) {
	_, s, err := dbOf(e).sale(a["sale_ref"])
	if err != nil {
		return nil, err
	}
	return s, nil
}

func getCatalogueGroupDetails(e *domains.Env, a domains.Args) (any, error) {
	g, err := dbOf(e).group(a["group_ref"])
	if err != nil {
		return nil, err
	}
	return g, nil
}

func getAccountDetails(e *domains.Env, a domains.Args) (any, error) {
	_, acc, err := dbOf(e).account(a["account_key"])
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// listAllCatalogueGroups returns json.dumps({title: group_ref}, sort_keys=True); a repeated
// title keeps the last group's ref.
func listAllCatalogueGroups(e *domains.Env, _ domains.Args) (any, error) {
	m := py.NewObject()
	for g := range dbOf(e).Catalogue.Values() {
		m.Set(g.Title, g.GroupRef)
	}
	out, err := py.Marshal(m, py.Tau2)
	if err != nil {
		return nil, err
	}
	return string(out), nil
}

// getDBStatistics returns its counts as JSON text the tool writes itself, so the numbers
// stay numbers in the content.
func getDBStatistics(e *domains.Env, _ domains.Args) (any, error) {
	db := dbOf(e)
	offerings := 0
	for g := range db.Catalogue.Values() {
		offerings += g.Offerings.Len()
	}
	m := py.NewObject(
		"num_groups", int64(db.Catalogue.Len()),
		"num_accounts", int64(db.Accounts.Len()),
		"num_sales", int64(db.Sales.Len()),
		"total_num_offerings", int64(offerings),
	)
	out, err := py.Marshal(m, py.Tau2)
	if err != nil {
		return nil, err
	}
	return string(out), nil
}

// setLocation overwrites an address field by field, as plain attribute assignment does:
// the values are stored unvalidated, whatever their type.
func setLocation(l *Location, a domains.Args) {
	l.Line1 = a["line1"]
	l.Line2 = a["line2"]
	l.Municipality = a["municipality"]
	l.Region = a["region"]
	l.Nation = a["nation"]
	l.PostalCode = a["postal_code"]
}

func modifyAccountLocation(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, _, err := db.account(a["account_key"])
	if err != nil {
		return nil, err
	}
	acc, _ := db.Accounts.Mut(k)
	setLocation(&acc.Location, a)
	return acc, nil
}

func modifyPendingSaleDelivery(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, s, err := db.sale(a["sale_ref"])
	if err != nil {
		return nil, err
	}
	if !isPending(s) {
		return nil, errors.New("Non-pending sale cannot be modified")
	}
	s, _ = db.Sales.Mut(k)
	setLocation(&s.Delivery, a)
	return s, nil
}

func modifyPendingSalePayment(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, s, err := db.sale(a["sale_ref"])
	if err != nil {
		return nil, err
	}
	if !isPending(s) {
		return nil, errors.New("Non-pending sale cannot be modified")
	}
	if _, err := db.fundingSource(s.AccountKey, a["instrument_id"]); err != nil {
		return nil, err
	}
	var payments []LedgerEntry
	for _, l := range s.Ledger {
		if l.EntryKind == "payment" {
			payments = append(payments, l)
		}
	}
	if len(payments) != 1 {
		return nil, errors.New("There should be exactly one payment for a pending sale")
	}
	current := payments[0]
	newID := a["instrument_id"].(string) // found among the funding sources: a str
	if current.InstrumentID == newID {
		return nil, errors.New("The new funding instrument should be different from the current one")
	}
	// The original payment stays; a payment on the new instrument and a refund to the old
	// one are appended.
	s, _ = db.Sales.Mut(k)
	s.Ledger = append(s.Ledger,
		LedgerEntry{EntryKind: "payment", Value: current.Value, InstrumentID: newID},
		LedgerEntry{EntryKind: "refund", Value: current.Value, InstrumentID: current.InstrumentID},
	)
	return s, nil
}

func cancelPendingSale(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, s, err := db.sale(a["sale_ref"])
	if err != nil {
		return nil, err
	}
	// Unlike the modify tools, cancellation wants the state to be exactly "pending".
	if s.State != "pending" {
		return nil, errors.New("Non-pending sale cannot be cancelled")
	}
	reason, _, err := dictKey(a["reason"]) // set membership: lists and dicts are unhashable
	if err != nil {
		return nil, err
	}
	if _, isStr := a["reason"].(string); !isStr || (reason != "no longer needed" && reason != "ordered by mistake") {
		return nil, errors.New("Invalid reason")
	}
	s, _ = db.Sales.Mut(k)
	for _, l := range s.Ledger {
		if l.EntryKind == "payment" {
			s.Ledger = append(s.Ledger, LedgerEntry{EntryKind: "refund", Value: l.Value, InstrumentID: l.InstrumentID})
		}
	}
	s.State = "cancelled"
	return s, nil
}

func lineSKUs(s *Sale) []string {
	skus := make([]string, len(s.Lines))
	for i, l := range s.Lines {
		skus[i] = l.UnitSKU
	}
	return skus
}

func returnDeliveredSaleLines(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, s, err := db.sale(a["sale_ref"])
	if err != nil {
		return nil, err
	}
	if s.State != "delivered" {
		return nil, errors.New("Non-delivered sale cannot be returned")
	}
	fs, err := db.fundingSource(s.AccountKey, a["instrument_id"])
	if err != nil {
		return nil, err
	}
	var first *LedgerEntry
	for i := range s.Ledger {
		if s.Ledger[i].EntryKind == "payment" {
			first = &s.Ledger[i]
			break
		}
	}
	if first == nil {
		return nil, errors.New("Original payment not found")
	}
	if fs.Origin != "gift_card" && a["instrument_id"].(string) != first.InstrumentID {
		return nil, errors.New("Funding instrument should be the original payment instrument or a gift card")
	}
	// Each SKU may be asked for at most as many times as the sale has lines of it. The
	// argument is used as given: a str is iterated by character, an empty list passes.
	items, err := iterate(a["unit_skus"])
	if err != nil {
		return nil, err
	}
	all := lineSKUs(s)
	for _, sku := range items {
		n, err := count(a["unit_skus"], sku)
		if err != nil {
			return nil, err
		}
		if n > countString(all, sku) {
			return nil, errors.New("Some item not found")
		}
	}
	// Only the state changes: the ledger and the lines stay as they are.
	s, _ = db.Sales.Mut(k)
	s.State = "return requested"
	return s, nil
}

func exchangeDeliveredSaleLines(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, s, err := db.sale(a["sale_ref"])
	if err != nil {
		return nil, err
	}
	if s.State != "delivered" {
		return nil, errors.New("Non-delivered sale cannot be exchanged")
	}
	oldArg, newArg := a["unit_skus_old"], a["unit_skus_new"]
	nOld, err := length(oldArg)
	if err != nil {
		return nil, err
	}
	nNew, err := length(newArg)
	if err != nil {
		return nil, err
	}
	if nOld != nNew {
		return nil, errors.New("The number of items to be exchanged should match")
	}
	olds, err := iterate(oldArg)
	if err != nil {
		return nil, err
	}
	all := lineSKUs(s)
	for _, sku := range olds {
		n, err := count(oldArg, sku)
		if err != nil {
			return nil, err
		}
		if n > countString(all, sku) {
			return nil, fmt.Errorf("Number of %s not found", py.Str(sku))
		}
	}
	if _, err := db.fundingSource(s.AccountKey, a["instrument_id"]); err != nil {
		return nil, err
	}
	news, err := iterate(newArg)
	if err != nil {
		return nil, err
	}
	for i := range min(len(olds), len(news)) {
		var line *SaleLine
		for j := range s.Lines {
			if equal(s.Lines[j].UnitSKU, olds[i]) {
				line = &s.Lines[j]
				break
			}
		}
		if line == nil {
			return nil, fmt.Errorf("Item %s not found", py.Str(olds[i]))
		}
		// The new SKU must be an in-stock offering of the old line's group. The price
		// difference the reference computes here is rounded and then discarded.
		o, err := db.offering(line.CatalogRef, news[i])
		if err != nil {
			return nil, err
		}
		if !o.InStock {
			return nil, fmt.Errorf("New item %s not found or not in stock", py.Str(news[i]))
		}
	}
	// Only the state changes: the lines and the ledger stay as they are.
	s, _ = db.Sales.Mut(k)
	s.State = "exchange requested"
	return s, nil
}
