// Package bank is the retail banking environment: clients with accounts and cards, their
// transactions, loans and saved payees, and the tools an agent uses to look them up, move
// money, verify payees and freeze cards or accounts.
package bank

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

// Domain is the bank domain, registered as "bank".
var Domain = &domains.Domain{
	Name:     "bank",
	Toolkit:  "BankTools",
	NewDB:    func() domains.DB { return &DB{} },
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "calculate", Kind: domains.Generic, Params: calculateParams{}, Fn: calculate,
			Description: "Calculate the result of an arithmetic expression and return it rounded to two decimals."},
		{Name: "transfer_to_human_agents", Kind: domains.Generic, Params: transferParams{}, Fn: transferToHuman,
			Description: "Transfer the client to a human agent with a summary of the issue. Only when the client asks for a human or the request cannot be handled with the available tools."},
		{Name: "find_client_id_by_email", Kind: domains.Read, Params: emailParams{}, Fn: findClientIDByEmail,
			Description: "Find the id of the client with the given email address (case-insensitive). Used to authenticate the client."},
		{Name: "get_client_details", Kind: domains.Read, Params: clientParams{}, Fn: getClientDetails,
			Description: "Get a client's profile: name, contact, address, accounts, cards, loan ids, beneficiary ids and KYC status."},
		{Name: "get_account_details", Kind: domains.Read, Params: accountParams{}, Fn: getAccountDetails,
			Description: "Get an account's details: type, currency, status, balances, interest rate, overdraft limit and features."},
		{Name: "get_card_details", Kind: domains.Read, Params: cardParams{}, Fn: getCardDetails,
			Description: "Get a card's details: type, linked account, status, issuer, brand, last four digits, expiry and limits."},
		{Name: "get_loan_details", Kind: domains.Read, Params: loanParams{}, Fn: getLoanDetails,
			Description: "Get a loan's details: terms, status, collateral, payment schedule, repayment history and escrow."},
		{Name: "get_beneficiary_details", Kind: domains.Read, Params: beneficiaryParams{}, Fn: getBeneficiaryDetails,
			Description: "Get a saved beneficiary's details: name, bank details, allowed source accounts, transfer limits, verification and status."},
		{Name: "list_client_accounts", Kind: domains.Read, Params: clientParams{}, Fn: listClientAccounts,
			Description: "List a client's accounts as JSON: for each account id its type, status, masked number and currency."},
		{Name: "list_client_beneficiaries", Kind: domains.Read, Params: clientParams{}, Fn: listClientBeneficiaries,
			Description: "List a client's saved beneficiaries as JSON: for each beneficiary id a display label."},
		{Name: "get_recent_transactions", Kind: domains.Read, Params: recentParams{}, Fn: getRecentTransactions,
			Description: "Get the most recent posted or pending transactions of an account, newest first."},
		{Name: "search_transactions", Kind: domains.Read, Params: searchParams{}, Fn: searchTransactions,
			Description: "Search a client's account transactions by date range, amount range, type, status and merchant name, newest first."},
		{Name: "initiate_internal_transfer", Kind: domains.Write, Params: internalTransferParams{}, Fn: initiateInternalTransfer,
			Description: "Move money between two active accounts of the same client in the same currency. The source must not be a credit account and must have enough available balance."},
		{Name: "add_beneficiary", Kind: domains.Write, Params: addBeneficiaryParams{}, Fn: addBeneficiary,
			Description: "Save a new beneficiary for a client. It starts active with pending verification; every allowed source account must belong to the client."},
		{Name: "verify_beneficiary", Kind: domains.Write, Params: verifyBeneficiaryParams{}, Fn: verifyBeneficiary,
			Description: "Mark a beneficiary owned by the client as verified with the given method."},
		{Name: "initiate_transfer_to_beneficiary", Kind: domains.Write, Params: beneficiaryTransferParams{}, Fn: initiateTransferToBeneficiary,
			Description: "Send money from a client's active account to one of their active and verified beneficiaries, within the per-transfer limit and the available balance."},
		{Name: "freeze_card", Kind: domains.Write, Params: freezeCardParams{}, Fn: freezeCard,
			Description: "Block an active card (for example when it is lost or stolen). A blocked card stays blocked."},
		{Name: "unfreeze_card", Kind: domains.Write, Params: cardParams{}, Fn: unfreezeCard,
			Description: "Reactivate a blocked card. An active card stays active."},
		{Name: "freeze_account", Kind: domains.Write, Params: freezeAccountParams{}, Fn: freezeAccount,
			Description: "Freeze an account that is not closed."},
		{Name: "unfreeze_account", Kind: domains.Write, Params: accountParams{}, Fn: unfreezeAccount,
			Description: "Reactivate an account that is not closed."},
		{Name: "make_loan_payment", Kind: domains.Write, Params: loanPaymentParams{}, Fn: makeLoanPayment,
			Description: "Pay toward a client's loan from one of their active accounts with enough available balance."},
	},
}

func init() { domains.Register(Domain) }

type calculateParams struct {
	Expression string `json:"expression" jsonschema:"description=Arithmetic expression with digits and + - * / ( ) . and spaces."`
}

type transferParams struct {
	Summary string `json:"summary" jsonschema:"description=Short summary of the client's issue for the human agent."`
}

type emailParams struct {
	Email string `json:"email" jsonschema:"description=The client's email address."`
}

type clientParams struct {
	ClientID string `json:"client_id" jsonschema:"description=The client's id."`
}

type accountParams struct {
	AccountID string `json:"account_id" jsonschema:"description=The account id."`
}

type cardParams struct {
	CardID string `json:"card_id" jsonschema:"description=The card id."`
}

type loanParams struct {
	LoanID string `json:"loan_id" jsonschema:"description=The loan id."`
}

type beneficiaryParams struct {
	BeneficiaryID string `json:"beneficiary_id" jsonschema:"description=The beneficiary id."`
}

type recentParams struct {
	AccountID string `json:"account_id" jsonschema:"description=The account id."`
	Limit     int64  `json:"limit,omitempty" jsonschema:"default=10,description=Maximum number of transactions to return."`
}

type searchParams struct {
	ClientID             string   `json:"client_id" jsonschema:"description=The client's id."`
	AccountID            string   `json:"account_id" jsonschema:"description=An account of the client."`
	StartDate            *string  `json:"start_date,omitempty" jsonschema:"nullable,description=Keep transactions whose timestamp is not before this ISO-8601 text (compared as text)."`
	EndDate              *string  `json:"end_date,omitempty" jsonschema:"nullable,description=Keep transactions whose timestamp is not after this ISO-8601 text (compared as text)."`
	MinAmount            *float64 `json:"min_amount,omitempty" jsonschema:"nullable,description=Smallest amount to keep."`
	MaxAmount            *float64 `json:"max_amount,omitempty" jsonschema:"nullable,description=Largest amount to keep."`
	TransactionType      *string  `json:"transaction_type,omitempty" jsonschema:"nullable,enum=deposit,enum=withdrawal,enum=transfer,enum=payment,enum=fee,enum=interest,description=Transaction type to keep."`
	Status               *string  `json:"status,omitempty" jsonschema:"nullable,enum=pending,enum=posted,enum=reversed,description=Transaction status to keep."`
	MerchantNameContains *string  `json:"merchant_name_contains,omitempty" jsonschema:"nullable,description=Text the merchant name must contain (case-insensitive)."`
}

type internalTransferParams struct {
	ClientID      string  `json:"client_id" jsonschema:"description=The client's id."`
	FromAccountID string  `json:"from_account_id" jsonschema:"description=The account the money leaves."`
	ToAccountID   string  `json:"to_account_id" jsonschema:"description=The account the money goes to."`
	Amount        float64 `json:"amount" jsonschema:"description=Amount in the accounts' currency; greater than zero."`
	Description   *string `json:"description,omitempty" jsonschema:"nullable,description=Text recorded on both legs of the transfer."`
}

type addBeneficiaryParams struct {
	ClientID              string   `json:"client_id" jsonschema:"description=The client's id."`
	BeneficiaryID         string   `json:"beneficiary_id" jsonschema:"description=Id of the new beneficiary."`
	BeneficiaryType       string   `json:"beneficiary_type" jsonschema:"enum=individual,enum=business,description=Whether the payee is a person or a business."`
	DisplayName           *string  `json:"display_name" jsonschema:"nullable,description=Label the client uses for the payee."`
	FirstName             *string  `json:"first_name" jsonschema:"nullable,description=Payee's first name."`
	LastName              *string  `json:"last_name" jsonschema:"nullable,description=Payee's last name."`
	BusinessName          *string  `json:"business_name" jsonschema:"nullable,description=Payee's business name."`
	BankName              string   `json:"bank_name" jsonschema:"description=Name of the payee's bank."`
	AccountNumberMasked   string   `json:"account_number_masked" jsonschema:"description=Payee's account number masked to its last four digits."`
	RoutingNumber         *string  `json:"routing_number" jsonschema:"nullable,description=Payee's bank routing number."`
	IBAN                  *string  `json:"iban" jsonschema:"nullable,description=Payee's IBAN."`
	SwiftBIC              *string  `json:"swift_bic" jsonschema:"nullable,description=Payee's bank SWIFT/BIC code."`
	Address1              string   `json:"address1" jsonschema:"description=First address line of the payee."`
	Address2              string   `json:"address2" jsonschema:"description=Second address line (may be empty)."`
	City                  string   `json:"city" jsonschema:"description=Payee's city."`
	State                 string   `json:"state" jsonschema:"description=Payee's state or region."`
	Zip                   string   `json:"zip" jsonschema:"description=Payee's postal code."`
	Country               string   `json:"country" jsonschema:"description=Payee's country."`
	AllowedFromAccountIDs []string `json:"allowed_from_account_ids" jsonschema:"description=The client's accounts allowed to pay this beneficiary."`
	PerTransferLimit      float64  `json:"per_transfer_limit" jsonschema:"description=Largest amount of a single transfer."`
	DailyLimit            float64  `json:"daily_limit" jsonschema:"description=Largest total per day."`
	VerificationMethod    string   `json:"verification_method,omitempty" jsonschema:"default=document,enum=micro_deposits,enum=document,enum=instant,description=How the beneficiary will be verified."`
}

type verifyBeneficiaryParams struct {
	ClientID      string `json:"client_id" jsonschema:"description=The client's id."`
	BeneficiaryID string `json:"beneficiary_id" jsonschema:"description=A beneficiary of the client."`
	Method        string `json:"method,omitempty" jsonschema:"default=document,enum=micro_deposits,enum=document,enum=instant,description=How the beneficiary was verified."`
}

type beneficiaryTransferParams struct {
	ClientID      string  `json:"client_id" jsonschema:"description=The client's id."`
	FromAccountID string  `json:"from_account_id" jsonschema:"description=The client's account the money leaves."`
	BeneficiaryID string  `json:"beneficiary_id" jsonschema:"description=The client's beneficiary."`
	Amount        float64 `json:"amount" jsonschema:"description=Amount in the account's currency; greater than zero."`
	Method        string  `json:"method,omitempty" jsonschema:"default=ACH,enum=ACH,enum=Wire,description=Transfer rail."`
	Description   *string `json:"description,omitempty" jsonschema:"nullable,description=Text recorded on the transaction."`
}

type freezeCardParams struct {
	CardID string `json:"card_id" jsonschema:"description=The card id."`
	Reason string `json:"reason" jsonschema:"description=Why the card is frozen (for example lost or stolen)."`
}

type freezeAccountParams struct {
	AccountID string `json:"account_id" jsonschema:"description=The account id."`
	Reason    string `json:"reason" jsonschema:"description=Why the account is frozen."`
}

type loanPaymentParams struct {
	ClientID      string  `json:"client_id" jsonschema:"description=The client's id."`
	LoanID        string  `json:"loan_id" jsonschema:"description=The client's loan."`
	FromAccountID string  `json:"from_account_id" jsonschema:"description=The client's account the payment comes from."`
	Amount        float64 `json:"amount" jsonschema:"description=Amount in the account's currency; greater than zero."`
	Method        string  `json:"method,omitempty" jsonschema:"default=Internal,enum=ACH,enum=Wire,enum=Card,enum=ATM,enum=Internal,description=Payment method."`
	Description   *string `json:"description,omitempty" jsonschema:"nullable,description=Text recorded on the transaction."`
}

// Error texts of the reference toolkit.
var (
	errClientNotFound        = errors.New("Client not found")
	errAccountNotFound       = errors.New("Account not found")
	errClientAccountNotFound = errors.New("Account not found for this client")
	errCardNotFound          = errors.New("Card not found")
	errLoanNotFound          = errors.New("Loan not found")
	errBeneficiaryNotFound   = errors.New("Beneficiary not found")
	errAccountNotActive      = errors.New("Account is not active")
	errCardNotManageable     = errors.New("Card not in a manageable state")
	errBeneficiaryNotOwned   = errors.New("Beneficiary not owned by this client")
	errAmountNotPositive     = errors.New("Amount must be greater than zero")
	errInsufficientBalance   = errors.New("Insufficient available balance")
	errSourceNotOwned        = errors.New("Source account must belong to the client")
)

func dbOf(e *domains.Env) *DB { return e.DB.(*DB) }

// now is the reference's timestamp of "now", taken from the environment's frozen clock
// (the reference reads the wall clock here).
func now(e *domains.Env) string { return e.Now.UTC().Format("2006-01-02T15:04:05Z") }

// newTransactionID is "tx_" and the table size plus one: it is not checked for
// collisions, and a write that overwrites shifts it (reference quirk).
func newTransactionID(db *DB) string {
	return fmt.Sprintf("tx_%07d", db.Transactions.Len()+1)
}

// client looks a client up by key.
func (db *DB) client(id any) (string, *Client, error) {
	k, ok, err := dictKey(id)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if c, found := db.Clients.Get(k); found {
			return k, c, nil
		}
	}
	return "", nil, errClientNotFound
}

// account finds an account by id in the first client, in file order, that holds it.
func (db *DB) account(id any) (clientID string, acc *Account, err error) {
	if db.Clients.Len() == 0 {
		return "", nil, errAccountNotFound
	}
	k, ok, err := dictKey(id)
	if err != nil {
		return "", nil, err
	}
	if ok {
		for cid, c := range db.Clients.All() {
			if a, found := c.Accounts.Get(k); found {
				return cid, a, nil
			}
		}
	}
	return "", nil, errAccountNotFound
}

// card finds a card by id in the first client, in file order, that holds it.
func (db *DB) card(id any) (clientID string, card *Card, err error) {
	if db.Clients.Len() == 0 {
		return "", nil, errCardNotFound
	}
	k, ok, err := dictKey(id)
	if err != nil {
		return "", nil, err
	}
	if ok {
		for cid, c := range db.Clients.All() {
			if cd, found := c.Cards.Get(k); found {
				return cid, cd, nil
			}
		}
	}
	return "", nil, errCardNotFound
}

// clientAccount returns the account key of the client's account id, or notFound.
func clientAccount(c *Client, id any, notFound error) (string, *Account, error) {
	k, ok, err := dictKey(id)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if a, found := c.Accounts.Get(k); found {
			return k, a, nil
		}
	}
	return "", nil, notFound
}

// assertOwned checks that the client lists the beneficiary id (a list membership test,
// so any value is accepted and simply not found).
func (db *DB) assertOwned(clientID, beneficiaryID any) error {
	_, c, err := db.client(clientID)
	if err != nil {
		return err
	}
	if !inList(beneficiaryID, c.BeneficiaryIDs) {
		return errBeneficiaryNotOwned
	}
	return nil
}

// calcChars are the characters calculate accepts.
const calcChars = "0123456789+-*/(). "

// calculate checks every item of the expression against the allowed characters, as the
// reference's `all(c in allowed for c in expression)` does, then evaluates it. A non-str
// expression fails as Python fails on it: not iterable, a non-str item on the left of
// `in`, or eval() refusing anything but a str.
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
		return nil, fmt.Errorf("'%s' object is not iterable", py.TypeName(expr))
	}
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("'in <string>' requires string as left operand, not %s", py.TypeName(it))
		}
		if !strings.Contains(calcChars, s) {
			return nil, errors.New("Invalid characters in expression")
		}
	}
	return nil, errors.New("eval() arg 1 must be a string, bytes or code object")
}

func transferToHuman(_ *domains.Env, _ domains.Args) (any, error) {
	return "Transfer successful", nil
}

func findClientIDByEmail(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	if db.Clients.Len() == 0 {
		return nil, errClientNotFound
	}
	want, err := lower(a["email"])
	if err != nil {
		return nil, err
	}
	for id, c := range db.Clients.All() {
		if strings.ToLower(c.Contact.Email) == want {
			return id, nil
		}
	}
	return nil, errClientNotFound
}

func getClientDetails(e *domains.Env, a domains.Args) (any, error) {
	_, c, err := dbOf(e).client(a["client_id"])
	if err != nil {
		return nil, err
	}
	return domains.Clone(c), nil
}

func getAccountDetails(e *domains.Env, a domains.Args) (any, error) {
	_, acc, err := dbOf(e).account(a["account_id"])
	if err != nil {
		return nil, err
	}
	return domains.Clone(acc), nil
}

func getCardDetails(e *domains.Env, a domains.Args) (any, error) {
	_, cd, err := dbOf(e).card(a["card_id"])
	if err != nil {
		return nil, err
	}
	return domains.Clone(cd), nil
}

func getLoanDetails(e *domains.Env, a domains.Args) (any, error) {
	k, ok, err := dictKey(a["loan_id"])
	if err != nil {
		return nil, err
	}
	if ok {
		if l, found := dbOf(e).Loans.Get(k); found {
			return domains.Clone(l), nil
		}
	}
	return nil, errLoanNotFound
}

func getBeneficiaryDetails(e *domains.Env, a domains.Args) (any, error) {
	k, ok, err := dictKey(a["beneficiary_id"])
	if err != nil {
		return nil, err
	}
	if ok {
		if b, found := dbOf(e).Beneficiaries.Get(k); found {
			return domains.Clone(b), nil
		}
	}
	return nil, errBeneficiaryNotFound
}

// listClientAccounts returns json.dumps({id: {type, status, masked, currency}}, sort_keys=True).
func listClientAccounts(e *domains.Env, a domains.Args) (any, error) {
	_, c, err := dbOf(e).client(a["client_id"])
	if err != nil {
		return nil, err
	}
	out := py.NewObject()
	for id, acc := range c.Accounts.All() {
		out.Set(id, py.NewObject("type", acc.Type, "status", acc.Status, "masked", acc.AccountNumberMasked, "currency", acc.Currency))
	}
	text, err := py.Marshal(out, py.Tau2) // Tau2 is json.dumps with sort_keys=True
	return string(text), err
}

// listClientBeneficiaries returns json.dumps({id: label}, sort_keys=True) for the client's
// beneficiary ids that exist; missing ones are skipped.
func listClientBeneficiaries(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	_, c, err := db.client(a["client_id"])
	if err != nil {
		return nil, err
	}
	out := py.NewObject()
	for _, id := range c.BeneficiaryIDs {
		b, ok := db.Beneficiaries.Get(id)
		if !ok {
			continue
		}
		out.Set(id, beneficiaryLabel(b))
	}
	text, err := py.Marshal(out, py.Tau2)
	return string(text), err
}

// beneficiaryLabel is the first non-empty of display name, business name, first and last
// name joined, then "Unnamed Beneficiary".
func beneficiaryLabel(b *Beneficiary) string {
	n := b.Name
	if s := deref(n.DisplayName); s != "" {
		return s
	}
	if s := deref(n.BusinessName); s != "" {
		return s
	}
	var parts []string
	for _, p := range []*string{n.FirstName, n.LastName} {
		if s := deref(p); s != "" {
			parts = append(parts, s)
		}
	}
	if s := strings.Join(parts, " "); s != "" {
		return s
	}
	return "Unnamed Beneficiary"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// sortNewestFirst sorts by timestamp text, descending and stable, as Python's
// sort(key=..., reverse=True) does: lexical, so Z and offset forms interleave.
func sortNewestFirst(txs []*Transaction) {
	slices.SortStableFunc(txs, func(x, y *Transaction) int { return strings.Compare(y.Timestamp, x.Timestamp) })
}

func getRecentTransactions(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	_, acc, err := db.account(a["account_id"])
	if err != nil {
		return nil, err
	}
	txs := []*Transaction{}
	for t := range db.Transactions.Values() {
		if t.AccountID == acc.AccountID && (t.Status == "posted" || t.Status == "pending") {
			txs = append(txs, t)
		}
	}
	sortNewestFirst(txs)
	// txs[:max(0, limit)]: max compares limit > 0 and keeps 0 unless limit is greater.
	var stop any = int64(0)
	if gt, err := compare(">", a["limit"], int64(0)); err != nil {
		return nil, err
	} else if gt {
		stop = a["limit"]
	}
	n, err := sliceLen(stop, len(txs))
	if err != nil {
		return nil, err
	}
	return txs[:n], nil
}

func searchTransactions(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	_, c, err := db.client(a["client_id"])
	if err != nil {
		return nil, err
	}
	accountID, _, err := clientAccount(c, a["account_id"], errClientAccountNotFound)
	if err != nil {
		return nil, err
	}
	start, end := a["start_date"], a["end_date"]
	minAmount, maxAmount := a["min_amount"], a["max_amount"]
	txType, status, merchant := a["transaction_type"], a["status"], a["merchant_name_contains"]
	out := []*Transaction{}
	for t := range db.Transactions.Values() {
		if t.AccountID != accountID {
			continue
		}
		if truthy(start) {
			if before, err := compare("<", t.Timestamp, start); err != nil {
				return nil, err
			} else if before {
				continue
			}
		}
		if truthy(end) {
			if after, err := compare(">", t.Timestamp, end); err != nil {
				return nil, err
			} else if after {
				continue
			}
		}
		if minAmount != nil {
			if below, err := compare("<", t.Amount, minAmount); err != nil {
				return nil, err
			} else if below {
				continue
			}
		}
		if maxAmount != nil {
			if above, err := compare(">", t.Amount, maxAmount); err != nil {
				return nil, err
			} else if above {
				continue
			}
		}
		if truthy(txType) && !equalStr(txType, t.Type) {
			continue
		}
		if truthy(status) && !equalStr(status, t.Status) {
			continue
		}
		if truthy(merchant) {
			needle, err := lower(merchant)
			if err != nil {
				return nil, err
			}
			name := ""
			if t.Merchant != nil {
				name = t.Merchant.Name
			}
			if !strings.Contains(strings.ToLower(name), needle) {
				continue
			}
		}
		out = append(out, t)
	}
	sortNewestFirst(out)
	return out, nil
}

func equalStr(v any, s string) bool {
	x, ok := v.(string)
	return ok && x == s
}

// buildTransaction makes a Transaction model from its fields, as the reference's
// constructor call does: a bad method or description fails with a validation error.
func buildTransaction(fields ...any) (*Transaction, error) {
	return domains.Build[Transaction](py.NewObject(fields...))
}

// debit takes amount off an account's available and current balances, rounding each to
// cents, and returns the new current balance.
func debit(acc *Account, amount float64) float64 {
	acc.Balance.Available = py.Round(acc.Balance.Available-amount, 2)
	acc.Balance.Current = py.Round(acc.Balance.Current-amount, 2)
	return acc.Balance.Current
}

func initiateInternalTransfer(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	amount := a["amount"]
	if le, err := compare("<=", amount, int64(0)); err != nil {
		return nil, err
	} else if le {
		return nil, errAmountNotPositive
	}
	clientID, c, err := db.client(a["client_id"])
	if err != nil {
		return nil, err
	}
	bothOwned := errors.New("Both accounts must belong to the same client")
	fromID, from, err := clientAccount(c, a["from_account_id"], bothOwned)
	if err != nil {
		return nil, err
	}
	toID, to, err := clientAccount(c, a["to_account_id"], bothOwned)
	if err != nil {
		return nil, err
	}
	if from.Status != "active" || to.Status != "active" {
		return nil, errAccountNotActive
	}
	if from.Type == "credit" {
		return nil, errors.New("Transfers from a credit account are not supported")
	}
	if from.Currency != to.Currency {
		return nil, errors.New("Cross-currency internal transfers are not supported")
	}
	if lt, err := compare("<", from.Balance.Available, amount); err != nil {
		return nil, err
	} else if lt {
		return nil, errInsufficientBalance
	}

	ts := now(e)
	x := toFloat(amount)
	cm, _ := db.Clients.Mut(clientID)
	from, _ = cm.Accounts.Get(fromID)
	fromAfter := debit(from, x)
	to, _ = cm.Accounts.Get(toID)
	to.Balance.Available = py.Round(to.Balance.Available+x, 2)
	to.Balance.Current = py.Round(to.Balance.Current+x, 2)
	toAfter := to.Balance.Current

	// Both legs get their id before either is stored, so they share it, and storing the
	// credit leg overwrites the debit leg (reference defect). Balances stay changed when a
	// leg fails to build.
	id := newTransactionID(db)
	desc := a["description"]
	debitDesc, creditDesc := desc, desc
	if !truthy(desc) {
		debitDesc, creditDesc = "Internal transfer to "+toID, "Internal transfer from "+fromID
	}
	leg := func(accountID, direction string, description any, balanceAfter float64) (*Transaction, error) {
		return buildTransaction("transaction_id", id, "client_id", clientID, "account_id", accountID,
			"timestamp", ts, "type", "transfer", "direction", direction, "amount", round2(amount),
			"currency", from.Currency, "description", description, "method", "Internal", "status", "posted",
			"related_transaction_id", id, "balance_after", balanceAfter)
	}
	debitLeg, err := leg(fromID, "debit", debitDesc, fromAfter)
	if err != nil {
		return nil, err
	}
	creditLeg, err := leg(toID, "credit", creditDesc, toAfter)
	if err != nil {
		return nil, err
	}
	db.Transactions.Put(id, debitLeg)
	db.Transactions.Put(id, creditLeg)
	return []*Transaction{domains.Clone(debitLeg), domains.Clone(creditLeg)}, nil
}

func addBeneficiary(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	clientID, c, err := db.client(a["client_id"])
	if err != nil {
		return nil, err
	}
	if err := checkAllowedAccounts(c, a["allowed_from_account_ids"]); err != nil {
		return nil, err
	}
	// The nested models are built first, in keyword order, then the beneficiary.
	name := py.NewObject("display_name", a["display_name"], "first_name", a["first_name"],
		"last_name", a["last_name"], "business_name", a["business_name"])
	if _, err := domains.Build[BeneficiaryName](name); err != nil {
		return nil, err
	}
	bank := py.NewObject("bank_name", a["bank_name"], "account_number_masked", a["account_number_masked"],
		"routing_number", a["routing_number"], "iban", a["iban"], "swift_bic", a["swift_bic"])
	if _, err := domains.Build[BankDetails](bank); err != nil {
		return nil, err
	}
	addr := py.NewObject("address1", a["address1"], "address2", a["address2"], "city", a["city"],
		"state", a["state"], "zip", a["zip"], "country", a["country"])
	if _, err := domains.Build[BankAddress](addr); err != nil {
		return nil, err
	}
	limits := py.NewObject("per_transfer_limit", a["per_transfer_limit"], "daily_limit", a["daily_limit"])
	if _, err := domains.Build[TransferLimits](limits); err != nil {
		return nil, err
	}
	verification := py.NewObject("status", "pending", "method", a["verification_method"], "verified_at", nil)
	if _, err := domains.Build[BeneficiaryVerification](verification); err != nil {
		return nil, err
	}
	b, err := domains.Build[Beneficiary](py.NewObject(
		"beneficiary_id", a["beneficiary_id"], "client_id", clientID, "name", name,
		"type", a["beneficiary_type"], "bank_details", bank, "address", addr,
		"allowed_from_account_ids", a["allowed_from_account_ids"], "transfer_limits", limits,
		"verification", verification, "status", "active", "created_at", now(e), "notes", nil))
	if err != nil {
		return nil, err
	}
	// No uniqueness check: an existing id, even another client's, is overwritten in place.
	db.Beneficiaries.Put(b.BeneficiaryID, b)
	if !slices.Contains(c.BeneficiaryIDs, b.BeneficiaryID) {
		cm, _ := db.Clients.Mut(clientID)
		cm.BeneficiaryIDs = append(cm.BeneficiaryIDs, b.BeneficiaryID)
	}
	return domains.Clone(b), nil
}

// checkAllowedAccounts iterates allowed_from_account_ids as Python's for loop does (a str
// yields its characters, a dict its keys) and names the first id the client lacks.
func checkAllowedAccounts(c *Client, ids any) error {
	var items []any
	switch x := ids.(type) {
	case []any:
		items = x
	case string:
		for _, r := range x {
			items = append(items, string(r))
		}
	case *py.Object:
		for _, k := range x.Keys() {
			items = append(items, k)
		}
	default:
		return fmt.Errorf("'%s' object is not iterable", py.TypeName(ids))
	}
	for _, id := range items {
		k, ok, err := dictKey(id)
		if err != nil {
			return err
		}
		if _, found := c.Accounts.Get(k); !ok || !found {
			return fmt.Errorf("Allowed account %s does not belong to client", py.Str(id))
		}
	}
	return nil
}

func verifyBeneficiary(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	if err := db.assertOwned(a["client_id"], a["beneficiary_id"]); err != nil {
		return nil, err
	}
	id := a["beneficiary_id"].(string) // listed by the client, so a str
	if _, ok := db.Beneficiaries.Get(id); !ok {
		return nil, errBeneficiaryNotFound
	}
	b, _ := db.Beneficiaries.Mut(id)
	b.Verification.Status = "verified"
	b.Verification.Method = a["method"] // stored unvalidated, whatever its type (reference quirk)
	verifiedAt := now(e)
	b.Verification.VerifiedAt = &verifiedAt
	return domains.Clone(b), nil
}

func initiateTransferToBeneficiary(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	amount := a["amount"]
	if le, err := compare("<=", amount, int64(0)); err != nil {
		return nil, err
	} else if le {
		return nil, errAmountNotPositive
	}
	clientID, c, err := db.client(a["client_id"])
	if err != nil {
		return nil, err
	}
	fromID, from, err := clientAccount(c, a["from_account_id"], errSourceNotOwned)
	if err != nil {
		return nil, err
	}
	if from.Status != "active" {
		return nil, errAccountNotActive
	}
	if err := db.assertOwned(clientID, a["beneficiary_id"]); err != nil {
		return nil, err
	}
	beneficiaryID := a["beneficiary_id"].(string)
	b, ok := db.Beneficiaries.Get(beneficiaryID)
	if !ok {
		return nil, errBeneficiaryNotFound
	}
	if b.Status != "active" {
		return nil, errors.New("Beneficiary is not active")
	}
	if b.Verification.Status != "verified" {
		return nil, errors.New("Beneficiary must be verified before transfers")
	}
	if !slices.Contains(b.AllowedFromAccountIDs, fromID) {
		return nil, errors.New("This account is not authorized for transfers to the beneficiary")
	}
	if gt, err := compare(">", amount, b.TransferLimits.PerTransferLimit); err != nil {
		return nil, err
	} else if gt {
		return nil, errors.New("Amount exceeds per-transfer limit for beneficiary")
	}
	if lt, err := compare("<", from.Balance.Available, amount); err != nil {
		return nil, err
	} else if lt {
		return nil, errInsufficientBalance
	}

	// The balance changes before the transaction is built, so a bad method or
	// description fails with the deduction kept (reference partial mutation).
	cm, _ := db.Clients.Mut(clientID)
	from, _ = cm.Accounts.Get(fromID)
	after := debit(from, toFloat(amount))
	desc := a["description"]
	if !truthy(desc) {
		label := deref(b.Name.DisplayName)
		if label == "" {
			label = beneficiaryID
		}
		desc = "Transfer to beneficiary " + label
	}
	id := newTransactionID(db)
	tx, err := buildTransaction("transaction_id", id, "client_id", clientID, "account_id", fromID,
		"timestamp", now(e), "type", "transfer", "direction", "debit", "amount", round2(amount),
		"currency", from.Currency, "description", desc, "method", a["method"], "status", "posted",
		"related_transaction_id", nil, "balance_after", after)
	if err != nil {
		return nil, err
	}
	db.Transactions.Put(id, tx)
	return domains.Clone(tx), nil
}

// manageableCard finds a card that is active or blocked.
func (db *DB) manageableCard(id any) (clientID, cardID string, card *Card, err error) {
	clientID, card, err = db.card(id)
	if err != nil {
		return "", "", nil, err
	}
	if card.Status != "active" && card.Status != "blocked" {
		return "", "", nil, errCardNotManageable
	}
	return clientID, card.CardID, card, nil
}

// setCardStatus sets a card's status unless it already has it, and returns the card.
func setCardStatus(e *domains.Env, id any, status string) (any, error) {
	db := dbOf(e)
	clientID, _, card, err := db.manageableCard(id)
	if err != nil {
		return nil, err
	}
	if card.Status == status {
		return domains.Clone(card), nil
	}
	k, _, _ := dictKey(id)
	cm, _ := db.Clients.Mut(clientID)
	card, _ = cm.Cards.Get(k)
	card.Status = status
	return domains.Clone(card), nil
}

func freezeCard(e *domains.Env, a domains.Args) (any, error) {
	return setCardStatus(e, a["card_id"], "blocked") // reason is not stored
}

func unfreezeCard(e *domains.Env, a domains.Args) (any, error) {
	return setCardStatus(e, a["card_id"], "active")
}

// setAccountStatus sets the status of an account that is not closed.
func setAccountStatus(e *domains.Env, id any, status, closedErr string) (any, error) {
	db := dbOf(e)
	clientID, acc, err := db.account(id)
	if err != nil {
		return nil, err
	}
	if acc.Status == "closed" {
		return nil, errors.New(closedErr)
	}
	k, _, _ := dictKey(id)
	cm, _ := db.Clients.Mut(clientID)
	acc, _ = cm.Accounts.Get(k)
	acc.Status = status
	return domains.Clone(acc), nil
}

func freezeAccount(e *domains.Env, a domains.Args) (any, error) {
	return setAccountStatus(e, a["account_id"], "frozen", "Account is closed and cannot be frozen") // reason is not stored
}

func unfreezeAccount(e *domains.Env, a domains.Args) (any, error) {
	return setAccountStatus(e, a["account_id"], "active", "Account is closed and cannot be unfrozen")
}

func makeLoanPayment(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	amount := a["amount"]
	if le, err := compare("<=", amount, int64(0)); err != nil {
		return nil, err
	} else if le {
		return nil, errAmountNotPositive
	}
	clientID, c, err := db.client(a["client_id"])
	if err != nil {
		return nil, err
	}
	fromID, from, err := clientAccount(c, a["from_account_id"], errSourceNotOwned)
	if err != nil {
		return nil, err
	}
	loanID, ok, err := dictKey(a["loan_id"])
	if err != nil {
		return nil, err
	}
	loan, found := db.Loans.Get(loanID)
	if !ok || !found {
		return nil, errLoanNotFound
	}
	if loan.ClientID != clientID {
		return nil, errors.New("Loan does not belong to the client")
	}
	if from.Status != "active" {
		return nil, errAccountNotActive
	}
	if lt, err := compare("<", from.Balance.Available, amount); err != nil {
		return nil, err
	} else if lt {
		return nil, errInsufficientBalance
	}

	// As for beneficiary transfers, the deduction is kept when the transaction fails to
	// build (reference partial mutation). The payment schedule is not touched.
	cm, _ := db.Clients.Mut(clientID)
	from, _ = cm.Accounts.Get(fromID)
	after := debit(from, toFloat(amount))
	desc := a["description"]
	if !truthy(desc) {
		desc = "Loan payment " + loanID
	}
	id := newTransactionID(db)
	tx, err := buildTransaction("transaction_id", id, "client_id", clientID, "account_id", fromID,
		"timestamp", now(e), "type", "payment", "direction", "debit", "amount", round2(amount),
		"currency", from.Currency, "description", desc, "method", a["method"], "status", "posted",
		"related_transaction_id", nil, "balance_after", after)
	if err != nil {
		return nil, err
	}
	db.Transactions.Put(id, tx)
	lm, _ := db.Loans.Mut(loanID)
	lm.RepaymentHistory = append(lm.RepaymentHistory, Repayment{
		TransactionID: id, PostedAt: tx.Timestamp, Amount: tx.Amount, Currency: tx.Currency,
		Method: tx.Method, PrincipalComponent: tx.Amount,
	})
	return domains.Clone(tx), nil
}
