package bank

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the bank's task templates. Together they use every WRITE tool; the
// read-only ones ask for a value the agent must pass on, and four end in a refusal the
// policy requires.
var intents = []*domains.Intent{
	{Name: "balance_check", Draft: domains.WithAside(asides, draftBalanceCheck)},
	{Name: "merchant_charge", Draft: domains.WithAside(asides, draftMerchantCharge)},
	{Name: "latest_transaction", Draft: domains.WithAside(asides, draftLatestTransaction)},
	{Name: "next_loan_instalment", Draft: domains.WithAside(asides, draftNextInstalment)},
	{Name: "card_limits", Draft: domains.WithAside(asides, draftCardLimits)},
	{Name: "payee_limit", Draft: domains.WithAside(asides, draftPayeeLimit)},
	{Name: "freeze_lost_card", Draft: domains.WithAside(asides, draftFreezeCard)},
	{Name: "unfreeze_found_card", Draft: domains.WithAside(asides, draftUnfreezeCard)},
	{Name: "freeze_account", Draft: domains.WithAside(asides, draftFreezeAccount)},
	{Name: "unfreeze_account", Draft: domains.WithAside(asides, draftUnfreezeAccount)},
	{Name: "internal_transfer", Draft: domains.WithAside(asides, draftInternalTransfer)},
	{Name: "pay_beneficiary", Draft: domains.WithAside(asides, draftPayBeneficiary)},
	{Name: "verify_and_pay_beneficiary", Draft: domains.WithAside(asides, draftVerifyAndPay)},
	{Name: "add_beneficiary", Draft: domains.WithAside(asides, draftAddBeneficiary)},
	{Name: "loan_payment", Draft: domains.WithAside(asides, draftLoanPayment)},
	{Name: "refuse_credit_transfer", Draft: domains.WithAside(asides, draftRefuseCreditTransfer)},
	{Name: "refuse_cross_currency", Draft: domains.WithAside(asides, draftRefuseCrossCurrency)},
	{Name: "refuse_inactive_payee", Draft: domains.WithAside(asides, draftRefuseInactivePayee)},
	{Name: "refuse_expired_card", Draft: domains.WithAside(asides, draftRefuseExpiredCard)},
}

// asides are circumstances a caller mentions; they vary the wording of every request.
var asides = []string{
	"You are calling on your lunch break.", "You have a few minutes before a meeting.",
	"It is your first time calling the bank's support line.", "You tried the app first but could not find the option.",
	"You called earlier but the line dropped.", "You are calling from home with your papers in front of you.",
	"You are a bit annoyed that you had to call at all.", "A friend told you the phone line is the quickest way.",
	"You are calling from a quiet corner of your office.", "You want to get this done before the weekend.",
	"You are calling while waiting for a bus.", "Your partner reminded you to call about it.",
}

// uniqueEmail reports whether no other client has c's email (compared in lower case, as
// find_client_id_by_email does), so that the email authenticates c without ambiguity.
func uniqueEmail(db *DB, c *Client) bool {
	return domains.UniqueLower(db, "bank.emails", db.Clients.Values(), func(o *Client) string { return o.Contact.Email }, c.Contact.Email)
}

// candidates gathers what fit adds for clients that authenticate by email. When env has a
// subject, only that client is tried. Otherwise it tries clients at random and stops at the
// first one that adds anything, so a draft costs little on a large database; when a few
// dozen draws find nothing it goes through every client in table order, so rare records
// are found too.
func candidates[T any](r *rand.Rand, env *domains.Env, db *DB, fit func(c *Client, add func(T))) []T {
	var out []T
	add := func(x T) { out = append(out, x) }
	try := func(k string) {
		c, ok := db.Clients.Get(k)
		if !ok || c.ClientID != k {
			return
		}
		n := len(out)
		if fit(c, add); len(out) > n && !uniqueEmail(db, c) {
			out = out[:n]
		}
	}
	if env.Subject != "" {
		try(env.Subject)
		return out
	}
	keys := db.Clients.Keys()
	for i := 0; i < 24 && len(keys) > 0; i++ {
		if try(keys[r.IntN(len(keys))]); len(out) > 0 {
			return out
		}
	}
	for _, k := range keys {
		try(k)
	}
	return out
}

// sample returns a record of t for which ok holds: a random one when a few draws find
// one, else a random one of all that fit.
func sample[T any](r *rand.Rand, t *domains.Table[T], ok func(*T) bool) (*T, bool) {
	keys := t.Keys()
	for i := 0; i < 24 && len(keys) > 0; i++ {
		if x, _ := t.Get(keys[r.IntN(len(keys))]); x != nil && ok(x) {
			return x, true
		}
	}
	var fit []*T
	for x := range t.Values() {
		if ok(x) {
			fit = append(fit, x)
		}
	}
	if len(fit) == 0 {
		return nil, false
	}
	return domains.OneOf(r, fit), true
}

func fullName(c *Client) string { return c.Name.FirstName + " " + c.Name.LastName }

var (
	roles = []string{
		"a long-standing customer of the bank", "a secondary-school teacher", "a freelance graphic designer",
		"a retired civil servant", "a nurse who works night shifts", "a university student",
		"a small-business owner", "a logistics manager", "a software developer", "a pharmacist",
		"a self-employed electrician", "a parent of two young children",
	}
	manners = []string{
		"speaks briefly and to the point", "is polite and patient but expects precise answers",
		"is a little anxious and wants to be reassured", "is chatty and gives details one at a time",
		"is busy and slightly impatient", "is careful and asks for important figures to be repeated",
		"is friendly and informal", "is formal and rather reserved",
	}
)

func persona(r *rand.Rand, c *Client) string {
	return fmt.Sprintf("%s, %s from %s, %s, %s.", fullName(c), domains.OneOf(r, roles), c.Address.City, c.Address.Country, domains.OneOf(r, manners))
}

// sayMoney writes an amount as a person would say it.
func sayMoney(x float64, currency string) string {
	if x == math.Trunc(x) {
		return fmt.Sprintf("%.0f %s", x, currency)
	}
	return fmt.Sprintf("%.2f %s", x, currency)
}

// niceAmount returns a round amount between about 5% and 50% of limit, never above it.
func niceAmount(r *rand.Rand, limit float64) (float64, bool) {
	if limit < 2 {
		return 0, false
	}
	x := limit * (0.05 + 0.45*r.Float64())
	step := math.Max(1, math.Pow(10, math.Floor(math.Log10(x)))/10)
	v := math.Floor(x/step) * step
	if v < 1 || v > limit {
		return 0, false
	}
	return v, true
}

func lastDigits(masked string) string { return strings.TrimLeft(masked, "*") }

// accountLabel names an account as its holder would ("savings account ending in 4821");
// ok is false when another account of the client has the same label.
func accountLabel(c *Client, a *Account) (string, bool) {
	label := a.Type + " account ending in " + lastDigits(a.AccountNumberMasked)
	n := 0
	for o := range c.Accounts.Values() {
		if o.Type == a.Type && o.AccountNumberMasked == a.AccountNumberMasked {
			n++
		}
	}
	return label, n == 1
}

// cardLabel names a card by brand, type and last four digits; ok is false when another
// card of the client ends in the same digits.
func cardLabel(c *Client, cd *Card) (string, bool) {
	n := 0
	for o := range c.Cards.Values() {
		if o.ExtraInfo.LastFour == cd.ExtraInfo.LastFour {
			n++
		}
	}
	return fmt.Sprintf("%s %s card ending in %s", cd.ExtraInfo.Brand, cd.Type, cd.ExtraInfo.LastFour), n == 1
}

// payeeLabel is the beneficiary's label in list_client_beneficiaries; ok is false when
// another of the client's beneficiaries has the same label.
func payeeLabel(db *DB, c *Client, b *Beneficiary) (string, bool) {
	label := beneficiaryLabel(b)
	n := 0
	for _, id := range c.BeneficiaryIDs {
		if o, found := db.Beneficiaries.Get(id); found && beneficiaryLabel(o) == label {
			n++
		}
	}
	return label, n == 1 && label != "Unnamed Beneficiary"
}

func authenticate(c *Client) task.Call {
	return task.NewCall("find_client_id_by_email", "email", c.Contact.Email)
}

func knowEmail(r *rand.Rand, c *Client) string {
	return domains.Choose(r,
		fmt.Sprintf("Your email address is %s.", c.Contact.Email),
		fmt.Sprintf("The email on file with the bank is %s.", c.Contact.Email),
		fmt.Sprintf("You can be identified by your email, %s.", c.Contact.Email),
		fmt.Sprintf("You registered with the email %s.", c.Contact.Email),
	)
}

func unknownIDs(r *rand.Rand, what string) string {
	return domains.Choose(r,
		"You do not know your client id or any internal "+what+" ids.",
		"You have no idea what your client id is, nor the bank's internal "+what+" ids.",
		"You do not remember any ids; you only know what is written in your known information.",
		"You never noted your client id or any "+what+" id.",
	)
}

func confirmYes(r *rand.Rand) string {
	return domains.Choose(r,
		"When the agent describes the action and asks you to confirm, answer with a clear yes.",
		"If the agent reads the details back to you, check them and confirm with \"yes\".",
		"Confirm explicitly when asked; say \"yes, please go ahead\".",
		"Answer the agent's questions and give a clear yes once the details are read back correctly.",
	)
}

func closing(r *rand.Rand) string {
	return domains.Choose(r,
		"Do not volunteer information the agent has not asked for.",
		"Give your email first when the agent asks who you are.",
		"Keep your answers short.",
		"End the conversation politely once your request is handled.",
		"Do not ask about anything else.",
	)
}

// ---- read-only intents ----

func draftBalanceCheck(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c     *Client
		a     *Account
		label string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for a := range c.Accounts.Values() {
			if label, ok := accountLabel(c, a); ok && a.Status != "closed" {
				add(cand{c, a, label})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	available := py.FormatFloat(x.a.Balance.Available)
	return &task.Draft{
		Intent:  "balance_check",
		Purpose: "Authenticate a client by email and report the available balance of one of their accounts.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know how much money is available right now on your %s.", x.label),
			fmt.Sprintf("You are about to pay a bill and want to check the available balance of your %s first.", x.label),
			fmt.Sprintf("You noticed some money on hold and want to know the available balance of your %s.", x.label),
			fmt.Sprintf("Before a trip you want to check what you can spend from your %s.", x.label),
		),
		KnownInfo:   knowEmail(r, x.c) + " " + fmt.Sprintf("The account is your %s, in %s.", x.label, x.a.Currency),
		UnknownInfo: unknownIDs(r, "account") + " You do not know the current balance.",
		TaskInstructions: domains.Choose(r,
			"Ask for the available balance, not the total.",
			"Ask how much you can actually use today.",
			"Ask for the available balance and, if the agent mentions a hold, ask how much is on hold.",
		) + " " + closing(r),
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("list_client_accounts", "client_id", x.c.ClientID),
			task.NewCall("get_account_details", "account_id", x.a.AccountID),
		},
		CommunicateInfo: []string{available},
		NLAssertions: []string{
			"The agent authenticates the client by email before giving any account information.",
			fmt.Sprintf("The agent tells the client that the available balance is %s %s.", available, x.a.Currency),
		},
	}, nil
}

func draftMerchantCharge(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c     *Client
		a     *Account
		t     *Transaction
		label string
	}
	byAccount := map[string][]*Transaction{}
	for t := range db.Transactions.Values() {
		if t.Merchant != nil {
			byAccount[t.AccountID] = append(byAccount[t.AccountID], t)
		}
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for a := range c.Accounts.Values() {
			label, ok := accountLabel(c, a)
			if !ok {
				continue
			}
			for _, t := range byAccount[a.AccountID] {
				if t.ClientID != c.ClientID || t.Merchant.Name == "" {
					continue
				}
				// The merchant name must single the charge out on its account, as the
				// search matches names by case-insensitive substring.
				n, name := 0, strings.ToLower(t.Merchant.Name)
				for _, o := range byAccount[a.AccountID] {
					if strings.Contains(strings.ToLower(o.Merchant.Name), name) {
						n++
					}
				}
				if n == 1 {
					add(cand{c, a, t, label})
				}
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	search := task.NewCall("search_transactions", "client_id", x.c.ClientID, "account_id", x.a.AccountID,
		"merchant_name_contains", x.t.Merchant.Name)
	res := env.Call(search.Name, search.Arguments)
	found, _ := res.Output.([]*Transaction)
	if !res.OK() || len(found) != 1 || found[0].TransactionID != x.t.TransactionID {
		return nil, domains.ErrNoCandidate // the merchant alone does not single the charge out
	}
	amount := py.FormatFloat(x.t.Amount)
	day := x.t.Timestamp[:min(10, len(x.t.Timestamp))]
	return &task.Draft{
		Intent:  "merchant_charge",
		Purpose: "Find a client's transaction at a merchant and report its amount and status.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You see a charge from %s on your %s and want to know exactly how much it was and whether it has gone through.", x.t.Merchant.Name, x.label),
			fmt.Sprintf("You do not remember how much you spent at %s and want the bank to check your %s.", x.t.Merchant.Name, x.label),
			fmt.Sprintf("You are reconciling your budget and need the amount and status of your %s transaction at %s.", x.label, x.t.Merchant.Name),
		),
		KnownInfo: knowEmail(r, x.c) + " " + domains.Choose(r,
			fmt.Sprintf("The transaction was at %s, around %s, on your %s.", x.t.Merchant.Name, day, x.label),
			fmt.Sprintf("The merchant is %s and the payment went out of your %s.", x.t.Merchant.Name, x.label),
		),
		UnknownInfo: unknownIDs(r, "transaction") + " You do not know the amount of the charge.",
		TaskInstructions: domains.Choose(r,
			"Ask for the amount and whether the transaction is posted or still pending.",
			"Ask how much it was and what its status is.",
			"Ask for the amount first; then ask whether it is final.",
		) + " " + closing(r),
		Actions:         []task.Call{authenticate(x.c), task.NewCall("list_client_accounts", "client_id", x.c.ClientID), search},
		CommunicateInfo: []string{amount, x.t.Status},
		NLAssertions: []string{
			fmt.Sprintf("The agent reports that the %s transaction was %s %s.", x.t.Merchant.Name, amount, x.t.Currency),
			fmt.Sprintf("The agent says that the transaction is %s.", x.t.Status),
		},
	}, nil
}

func draftLatestTransaction(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c     *Client
		a     *Account
		label string
	}
	// Only accounts whose newest transaction is unambiguous can be asked about; the tool
	// sorts timestamps as text.
	newest := map[string][]string{} // account id → timestamps of posted and pending transactions
	for t := range db.Transactions.Values() {
		if t.Status == "posted" || t.Status == "pending" {
			newest[t.AccountID] = append(newest[t.AccountID], t.Timestamp)
		}
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for a := range c.Accounts.Values() {
			stamps := newest[a.AccountID]
			if len(stamps) == 0 {
				continue
			}
			top, n := slices.Max(stamps), 0
			for _, ts := range stamps {
				if ts == top {
					n++
				}
			}
			if label, ok := accountLabel(c, a); ok && n == 1 {
				add(cand{c, a, label})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	res := env.Call("get_recent_transactions", py.NewObject("account_id", x.a.AccountID, "limit", int64(1)))
	txs, _ := res.Output.([]*Transaction)
	if !res.OK() || len(txs) != 1 {
		return nil, domains.ErrNoCandidate
	}
	t := txs[0]
	recent := task.NewCall("get_recent_transactions", "account_id", x.a.AccountID, "limit", int64(1+r.IntN(5)))
	amount := py.FormatFloat(t.Amount)
	return &task.Draft{
		Intent:  "latest_transaction",
		Purpose: "Report the most recent transaction on a client's account.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know what the latest transaction on your %s was.", x.label),
			fmt.Sprintf("Your banking app is down and you want to hear the most recent movement on your %s.", x.label),
			fmt.Sprintf("You are checking whether a recent movement on your %s went through and want the latest one.", x.label),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" The account is your %s.", x.label),
		UnknownInfo: unknownIDs(r, "account") + " You do not know the latest transaction.",
		TaskInstructions: domains.Choose(r,
			"Ask for the amount and the type of the most recent transaction.",
			"Ask what the last transaction was and how much it was for.",
			"Ask only about the single most recent transaction, and want its amount.",
		) + " " + closing(r),
		Actions:         []task.Call{authenticate(x.c), task.NewCall("list_client_accounts", "client_id", x.c.ClientID), recent},
		CommunicateInfo: []string{amount},
		NLAssertions: []string{
			fmt.Sprintf("The agent reports the most recent transaction, a %s of %s %s.", t.Type, amount, t.Currency),
		},
	}, nil
}

// nextDue returns the earliest scheduled payment with status due, or nil.
func nextDue(l *Loan) *ScheduledPayment {
	var best *ScheduledPayment
	for i := range l.PaymentSchedule {
		p := &l.PaymentSchedule[i]
		if p.Status == "due" && (best == nil || p.DueDate < best.DueDate) {
			best = p
		}
	}
	return best
}

func loanName(l *Loan) string {
	switch l.Type {
	case "auto":
		return "car loan"
	case "credit_line":
		return "credit line"
	case "personal":
		return "personal loan"
	}
	return l.Type
}

func draftNextInstalment(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c *Client
		l *Loan
		p *ScheduledPayment
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for _, id := range c.LoanIDs {
			l, ok := db.Loans.Get(id)
			if !ok || l.ClientID != c.ClientID {
				continue
			}
			if p := nextDue(l); p != nil && uniqueLoanType(db, c, l) {
				add(cand{c, l, p})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	amount := py.FormatFloat(x.p.Amount)
	return &task.Draft{
		Intent:  "next_loan_instalment",
		Purpose: "Report the date and amount of the next instalment due on a client's loan.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know when your next %s payment is due and how much it will be.", loanName(x.l)),
			fmt.Sprintf("You are planning your budget and need the next due instalment of your %s.", loanName(x.l)),
			fmt.Sprintf("You lost the payment schedule of your %s and want to know the next instalment.", loanName(x.l)),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" You have a %s with the bank.", loanName(x.l)),
		UnknownInfo: unknownIDs(r, "loan") + " You do not know the schedule of your loan.",
		TaskInstructions: domains.Choose(r,
			"Ask for the due date and the amount of the next instalment that is still due.",
			"Ask when the next payment is due and for how much; you do not want to make a payment today.",
			"Ask only about the next unpaid instalment. If the agent offers to make a payment, decline.",
		) + " " + closing(r),
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("get_client_details", "client_id", x.c.ClientID),
			task.NewCall("get_loan_details", "loan_id", x.l.LoanID),
		},
		CommunicateInfo: []string{x.p.DueDate, amount},
		NLAssertions: []string{
			fmt.Sprintf("The agent says that the next instalment of %s %s is due on %s.", amount, x.p.Currency, x.p.DueDate),
			"The agent makes no payment.",
		},
	}, nil
}

func uniqueLoanType(db *DB, c *Client, l *Loan) bool {
	n := 0
	for _, id := range c.LoanIDs {
		if o, ok := db.Loans.Get(id); ok && o.Type == l.Type {
			n++
		}
	}
	return n == 1
}

func draftCardLimits(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c     *Client
		cd    *Card
		label string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for cd := range c.Cards.Values() {
			if label, ok := cardLabel(c, cd); ok && cd.Status == "active" {
				add(cand{c, cd, label})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	atm, pos := py.FormatFloat(x.cd.Limits.DailyATMLimit), py.FormatFloat(x.cd.Limits.DailyPOSLimit)
	askPOS := r.IntN(2) == 0
	info := []string{atm}
	want := "how much cash you can withdraw per day"
	if askPOS {
		info = append(info, pos)
		want = "your daily cash withdrawal limit and your daily limit for card payments in shops"
	}
	return &task.Draft{
		Intent:  "card_limits",
		Purpose: "Report the daily limits of a client's card.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You are travelling next week and want to know %s with your %s.", want, x.label),
			fmt.Sprintf("A cash machine refused your withdrawal yesterday; you want to know %s with your %s.", want, x.label),
			fmt.Sprintf("You plan a large purchase and want to know %s on your %s.", want, x.label),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" The card is your %s.", x.label),
		UnknownInfo: unknownIDs(r, "card") + " You do not know the limits of the card.",
		TaskInstructions: domains.Choose(r,
			"You only want the limits; do not ask for them to be changed.",
			"If the agent asks, say you just want the information.",
			"Listen to the limits and thank the agent; do not ask for anything else.",
		) + " " + closing(r),
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("get_client_details", "client_id", x.c.ClientID),
			task.NewCall("get_card_details", "card_id", x.cd.CardID),
		},
		CommunicateInfo: info,
		NLAssertions: []string{
			fmt.Sprintf("The agent states that the daily ATM limit of the card ending in %s is %s.", x.cd.ExtraInfo.LastFour, atm),
		},
	}, nil
}

func draftPayeeLimit(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c     *Client
		b     *Beneficiary
		label string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for _, id := range c.BeneficiaryIDs {
			b, ok := db.Beneficiaries.Get(id)
			if !ok {
				continue
			}
			if label, ok := payeeLabel(db, c, b); ok {
				add(cand{c, b, label})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	limit := py.FormatFloat(x.b.TransferLimits.PerTransferLimit)
	return &task.Draft{
		Intent:  "payee_limit",
		Purpose: "Report the per-transfer limit and status of a client's saved beneficiary.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know the most you can send to your saved payee %q in one transfer, and whether the payee is usable.", x.label),
			fmt.Sprintf("Before sending money to %q you want to check the single-transfer limit and the payee's status.", x.label),
			fmt.Sprintf("You wonder how large a single payment to %q may be and whether that payee is still active.", x.label),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" The payee is saved in your profile as %q.", x.label),
		UnknownInfo: unknownIDs(r, "beneficiary") + " You do not know the limits set for the payee.",
		TaskInstructions: domains.Choose(r,
			"Do not make a transfer today; you only want the information.",
			"If the agent offers to send money, decline: you will do it later.",
			"Ask for the per-transfer limit and the payee's status, nothing more.",
		) + " " + closing(r),
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("list_client_beneficiaries", "client_id", x.c.ClientID),
			task.NewCall("get_beneficiary_details", "beneficiary_id", x.b.BeneficiaryID),
		},
		CommunicateInfo: []string{limit, x.b.Status},
		NLAssertions: []string{
			fmt.Sprintf("The agent states the per-transfer limit of %s and that the payee is %s.", limit, x.b.Status),
			"The agent makes no transfer.",
		},
	}, nil
}

// ---- cards and accounts ----

var (
	cardReasons = []struct{ user, arg string }{
		{"you lost it somewhere on your way home yesterday", "lost"},
		{"your wallet was stolen on the train this morning", "stolen"},
		{"you see payments on it that you did not make", "suspicious activity"},
		{"you cannot find it after a weekend away", "lost"},
		{"someone snatched your bag at a café", "stolen"},
	}
	accountReasons = []struct{ user, arg string }{
		{"you received a phishing message and fear someone has your online banking password", "suspected unauthorized access"},
		{"you see a login from a device you do not know", "suspicious login"},
		{"you are going abroad for months and want nothing to move on it meanwhile", "client request while abroad"},
		{"you suspect a relative has been using the account without permission", "suspected unauthorized use"},
	}
)

func draftFreezeCard(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return draftCardStatus(r, env, "active")
}

func draftUnfreezeCard(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return draftCardStatus(r, env, "blocked")
}

// draftCardStatus drafts a freeze of an active card or an unfreeze of a blocked one.
func draftCardStatus(r *rand.Rand, env *domains.Env, from string) (*task.Draft, error) {
	if err := domains.FirstRequest(env); err != nil {
		return nil, err
	}
	db := dbOf(env)
	type cand struct {
		c     *Client
		cd    *Card
		label string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for cd := range c.Cards.Values() {
			if label, ok := cardLabel(c, cd); ok && cd.Status == from {
				add(cand{c, cd, label})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	reads := []task.Call{
		authenticate(x.c),
		task.NewCall("get_client_details", "client_id", x.c.ClientID),
		task.NewCall("get_card_details", "card_id", x.cd.CardID),
	}
	d := &task.Draft{Subject: x.c.ClientID, Persona: persona(r, x.c), UnknownInfo: unknownIDs(r, "card")}
	if from == "active" {
		why := domains.OneOf(r, cardReasons)
		d.Intent = "freeze_lost_card"
		d.Purpose = "Block a client's card reported lost, stolen or misused, after confirming the reason."
		d.ReasonForCall = domains.Choose(r,
			fmt.Sprintf("You need your %s blocked right away because %s.", x.label, why.user),
			fmt.Sprintf("You are calling to freeze your %s: %s.", x.label, why.user),
			fmt.Sprintf("Your %s must be stopped, since %s.", x.label, why.user),
		)
		d.KnownInfo = knowEmail(r, x.c) + fmt.Sprintf(" The card is your %s. The reason: %s.", x.label, why.user)
		d.TaskInstructions = domains.Choose(r,
			"Sound worried. Explain why the card must be frozen when the agent asks.",
			"Tell the agent the reason only when asked.",
			"Insist that the card be blocked today.",
		) + " " + confirmYes(r) + " Do not ask for a replacement card."
		d.Actions = append(reads, task.NewCall("freeze_card", "card_id", x.cd.CardID, "reason", why.arg))
		d.NLAssertions = []string{
			"The agent asks for or states the reason for freezing the card before freezing it.",
			fmt.Sprintf("The agent confirms with the client before blocking the card ending in %s.", x.cd.ExtraInfo.LastFour),
		}
	} else {
		d.Intent = "unfreeze_found_card"
		d.Purpose = "Reactivate a client's blocked card once the client confirms."
		d.ReasonForCall = domains.Choose(r,
			fmt.Sprintf("Your %s was blocked, but you have found it again and want to use it.", x.label),
			fmt.Sprintf("You had your %s frozen by mistake and want it working again.", x.label),
			fmt.Sprintf("The %s you thought was stolen turned up in a coat pocket; you want it unblocked.", x.label),
		)
		d.KnownInfo = knowEmail(r, x.c) + fmt.Sprintf(" The card is your %s, currently blocked.", x.label)
		d.TaskInstructions = confirmYes(r) + " " + closing(r)
		d.Actions = append(reads, task.NewCall("unfreeze_card", "card_id", x.cd.CardID))
		d.NLAssertions = []string{
			fmt.Sprintf("The agent checks the card ending in %s and confirms with the client before reactivating it.", x.cd.ExtraInfo.LastFour),
		}
	}
	return d, nil
}

func draftFreezeAccount(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return draftAccountStatus(r, env, "active")
}

func draftUnfreezeAccount(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return draftAccountStatus(r, env, "frozen")
}

// draftAccountStatus drafts a freeze of an active account or an unfreeze of a frozen one.
func draftAccountStatus(r *rand.Rand, env *domains.Env, from string) (*task.Draft, error) {
	if err := domains.FirstRequest(env); err != nil {
		return nil, err
	}
	db := dbOf(env)
	type cand struct {
		c     *Client
		a     *Account
		label string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for a := range c.Accounts.Values() {
			if label, ok := accountLabel(c, a); ok && a.Status == from {
				add(cand{c, a, label})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	reads := []task.Call{
		authenticate(x.c),
		task.NewCall("list_client_accounts", "client_id", x.c.ClientID),
		task.NewCall("get_account_details", "account_id", x.a.AccountID),
	}
	d := &task.Draft{Subject: x.c.ClientID, Persona: persona(r, x.c), UnknownInfo: unknownIDs(r, "account")}
	if from == "active" {
		why := domains.OneOf(r, accountReasons)
		d.Intent = "freeze_account"
		d.Purpose = "Freeze a client's account at their request, after confirming the account and the reason."
		d.ReasonForCall = domains.Choose(r,
			fmt.Sprintf("You want your %s frozen because %s.", x.label, why.user),
			fmt.Sprintf("You ask the bank to freeze your %s: %s.", x.label, why.user),
			fmt.Sprintf("Nothing should go in or out of your %s for now, because %s.", x.label, why.user),
		)
		d.KnownInfo = knowEmail(r, x.c) + fmt.Sprintf(" The account is your %s. The reason: %s.", x.label, why.user)
		d.TaskInstructions = domains.Choose(r,
			"Only this account is to be frozen, not your other accounts or cards.",
			"If the agent asks whether to freeze other accounts or cards, say no.",
			"Explain your reason when asked.",
		) + " " + confirmYes(r)
		d.Actions = append(reads, task.NewCall("freeze_account", "account_id", x.a.AccountID, "reason", why.arg))
		d.NLAssertions = []string{
			fmt.Sprintf("The agent confirms the %s and the reason with the client before freezing it.", x.label),
			"The agent freezes no other account or card.",
		}
	} else {
		d.Intent = "unfreeze_account"
		d.Purpose = "Reactivate a client's frozen account after confirming it with them."
		d.ReasonForCall = domains.Choose(r,
			fmt.Sprintf("Your %s is frozen and you want it active again; the problem that made you freeze it is solved.", x.label),
			fmt.Sprintf("A payment from your %s was declined and you learned the account is frozen; you want it reactivated.", x.label),
			fmt.Sprintf("You are back from abroad and want your %s unfrozen.", x.label),
		)
		d.KnownInfo = knowEmail(r, x.c) + fmt.Sprintf(" The account is your %s.", x.label)
		d.TaskInstructions = confirmYes(r) + " " + closing(r)
		d.Actions = append(reads, task.NewCall("unfreeze_account", "account_id", x.a.AccountID))
		d.NLAssertions = []string{
			fmt.Sprintf("The agent checks that the %s is frozen and not closed, and confirms before reactivating it.", x.label),
		}
	}
	return d, nil
}

// ---- money movements ----

func draftInternalTransfer(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c                  *Client
		from, to           *Account
		fromLabel, toLabel string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for from := range c.Accounts.Values() {
			fl, ok := accountLabel(c, from)
			if !ok || from.Status != "active" || from.Type == "credit" || from.Balance.Available < 2 {
				continue
			}
			for to := range c.Accounts.Values() {
				tl, ok := accountLabel(c, to)
				if ok && to != from && to.Status == "active" && to.Currency == from.Currency {
					add(cand{c, from, to, fl, tl})
				}
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	amount, ok := niceAmount(r, x.from.Balance.Available)
	if !ok {
		return nil, domains.ErrNoCandidate
	}
	args := []any{"client_id", x.c.ClientID, "from_account_id", x.from.AccountID, "to_account_id", x.to.AccountID, "amount", amount}
	memo := ""
	if r.IntN(3) == 0 {
		desc := domains.Choose(r, "Holiday savings", "Rent top-up", "Emergency fund", "Monthly savings", "Car repair")
		args = append(args, "description", desc)
		memo = fmt.Sprintf(" You want the transfer labelled %q.", desc)
	}
	amt := sayMoney(amount, x.from.Currency)
	return &task.Draft{
		Intent:  "internal_transfer",
		Purpose: "Move money between two of a client's own accounts after checking status, currency and available balance.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to move %s from your %s to your %s.", amt, x.fromLabel, x.toLabel),
			fmt.Sprintf("You need %s transferred from your %s into your %s today.", amt, x.fromLabel, x.toLabel),
			fmt.Sprintf("You are shifting %s between your own accounts: out of the %s and into the %s.", amt, x.fromLabel, x.toLabel),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" Amount: %s. From: your %s. To: your %s.", amt, x.fromLabel, x.toLabel) + memo,
		UnknownInfo: unknownIDs(r, "account"),
		TaskInstructions: domains.Choose(r,
			"Give the amount and both accounts when asked.",
			"State the whole request at once.",
			"Mention the accounts first and the amount only when the agent asks for it.",
		) + " " + confirmYes(r),
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("list_client_accounts", "client_id", x.c.ClientID),
			task.NewCall("get_account_details", "account_id", x.from.AccountID),
			task.NewCall("initiate_internal_transfer", args...),
		},
		NLAssertions: []string{
			fmt.Sprintf("The agent checks the available balance of the %s before the transfer.", x.fromLabel),
			fmt.Sprintf("The agent confirms the accounts and the amount of %s with the client before moving the money.", amt),
		},
	}, nil
}

// payable returns the client's active accounts that may pay beneficiary b, in b's order.
func payable(c *Client, b *Beneficiary) []*Account {
	var out []*Account
	for _, id := range b.AllowedFromAccountIDs {
		if a, ok := c.Accounts.Get(id); ok && a.Status == "active" && a.Balance.Available >= 2 {
			if _, unique := accountLabel(c, a); unique {
				out = append(out, a)
			}
		}
	}
	return out
}

func draftPayBeneficiary(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return draftBeneficiaryTransfer(r, env, false)
}

func draftVerifyAndPay(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return draftBeneficiaryTransfer(r, env, true)
}

var verifyMethods = []struct{ user, arg string }{
	{"the two small test deposits arrived and you confirmed their amounts", "micro_deposits"},
	{"you sent the bank the payee's identity documents last week", "document"},
	{"the payee's bank confirmed the account instantly through the app", "instant"},
}

// draftBeneficiaryTransfer drafts a payment to a verified payee, or, when verify is set, the
// verification of a pending payee followed by a payment.
func draftBeneficiaryTransfer(r *rand.Rand, env *domains.Env, verify bool) (*task.Draft, error) {
	db := dbOf(env)
	want := "verified"
	if verify {
		want = "pending"
	}
	type cand struct {
		c     *Client
		b     *Beneficiary
		label string
		from  []*Account
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for _, id := range c.BeneficiaryIDs {
			b, ok := db.Beneficiaries.Get(id)
			if !ok || b.ClientID != c.ClientID || b.Status != "active" || b.Verification.Status != want {
				continue
			}
			label, ok := payeeLabel(db, c, b)
			if from := payable(c, b); ok && len(from) > 0 && b.TransferLimits.PerTransferLimit >= 2 {
				add(cand{c, b, label, from})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	from := domains.OneOf(r, x.from)
	fromLabel, _ := accountLabel(x.c, from)
	amount, ok := niceAmount(r, math.Min(from.Balance.Available, x.b.TransferLimits.PerTransferLimit))
	if !ok {
		return nil, domains.ErrNoCandidate
	}
	method := domains.Choose(r, "ACH", "Wire")
	rail := map[string]string{"ACH": "a standard ACH transfer", "Wire": "a wire transfer"}[method]
	amt := sayMoney(amount, from.Currency)
	actions := []task.Call{
		authenticate(x.c),
		task.NewCall("list_client_beneficiaries", "client_id", x.c.ClientID),
		task.NewCall("get_beneficiary_details", "beneficiary_id", x.b.BeneficiaryID),
	}
	d := &task.Draft{Subject: x.c.ClientID, Persona: persona(r, x.c), UnknownInfo: unknownIDs(r, "beneficiary or account")}
	pay := task.NewCall("initiate_transfer_to_beneficiary", "client_id", x.c.ClientID, "from_account_id", from.AccountID,
		"beneficiary_id", x.b.BeneficiaryID, "amount", amount, "method", method)
	if verify {
		m := domains.OneOf(r, verifyMethods)
		d.Intent = "verify_and_pay_beneficiary"
		d.Purpose = "Verify a client's pending beneficiary with the client's agreement, then send it money within limits."
		d.ReasonForCall = domains.Choose(r,
			fmt.Sprintf("You added %q as a payee recently and now want to send them %s from your %s by %s.", x.label, amt, fromLabel, rail),
			fmt.Sprintf("You want to pay %s to your new payee %q from your %s, using %s.", amt, x.label, fromLabel, rail),
		)
		d.KnownInfo = knowEmail(r, x.c) + fmt.Sprintf(" The payee is saved as %q. About verification: %s. Amount: %s, from your %s, by %s.", x.label, m.user, amt, fromLabel, rail)
		d.UnknownInfo += " You do not know that the payee still needs to be verified."
		d.TaskInstructions = "If the agent says the payee must be verified first, agree and explain how it was verified. " + confirmYes(r)
		d.Actions = append(actions,
			task.NewCall("verify_beneficiary", "client_id", x.c.ClientID, "beneficiary_id", x.b.BeneficiaryID, "method", m.arg),
			task.NewCall("get_account_details", "account_id", from.AccountID),
			pay)
		d.NLAssertions = []string{
			"The agent explains that the beneficiary must be verified before a transfer and gets the client's agreement to verify it.",
			fmt.Sprintf("The agent confirms the transfer of %s to %s with the client before sending it.", amt, x.label),
		}
	} else {
		d.Intent = "pay_beneficiary"
		d.Purpose = "Send money to a client's verified beneficiary from an allowed account, within limits and balance."
		d.ReasonForCall = domains.Choose(r,
			fmt.Sprintf("You want to send %s to your saved payee %q from your %s by %s.", amt, x.label, fromLabel, rail),
			fmt.Sprintf("You need to pay %q %s today, from your %s, as %s.", x.label, amt, fromLabel, rail),
			fmt.Sprintf("You owe %q %s and want the bank to send it from your %s by %s.", x.label, amt, fromLabel, rail),
		)
		d.KnownInfo = knowEmail(r, x.c) + fmt.Sprintf(" Payee: %q. Amount: %s. From: your %s. Method: %s.", x.label, amt, fromLabel, method)
		d.TaskInstructions = domains.Choose(r,
			"Do not add a description to the transfer.",
			"Give the details when asked; you have no note to add to the transfer.",
		) + " " + confirmYes(r)
		d.Actions = append(actions, task.NewCall("get_account_details", "account_id", from.AccountID), pay)
		d.NLAssertions = []string{
			"The agent checks the beneficiary's status, verification and allowed accounts before the transfer.",
			fmt.Sprintf("The agent confirms the amount %s, the source account and the method %s before sending the money.", amt, method),
		}
	}
	return d, nil
}

// newBeneficiaryID returns an id in the style of the client's existing beneficiaries that no
// record uses.
func newBeneficiaryID(r *rand.Rand, db *DB, c *Client) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	for {
		b := make([]byte, 7)
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		id := string(b) + "-BEN" + fmt.Sprint(1+len(c.BeneficiaryIDs))
		if _, taken := db.Beneficiaries.Get(id); !taken {
			return id
		}
	}
}

// optStr is a nullable argument: None for a missing or empty text.
func optStr(s *string) any {
	if s == nil || *s == "" {
		return nil
	}
	return *s
}

func draftAddBeneficiary(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c   *Client
		own []*Account
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		var own []*Account
		for a := range c.Accounts.Values() {
			if _, ok := accountLabel(c, a); ok && a.Status == "active" && a.Type != "credit" {
				own = append(own, a)
			}
		}
		if len(own) > 0 {
			add(cand{c, own})
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	c, own := x.c, x.own
	src, ok := sample(r, db.Beneficiaries, func(b *Beneficiary) bool {
		return b.Status == "active" && b.ClientID != c.ClientID && beneficiaryLabel(b) != "Unnamed Beneficiary"
	})
	if !ok {
		return nil, domains.ErrNoCandidate
	}
	// The payee's details come from a real payee record (src), as if the client's relative
	// or supplier were already known to the bank through another customer.
	from := domains.OneOf(r, own)
	fromLabel, _ := accountLabel(c, from)
	id := newBeneficiaryID(r, db, c)
	per := []float64{500, 1000, 2000, 2500, 5000, 10000}[r.IntN(6)]
	if from.Currency == "JPY" || from.Currency == "HUF" || from.Currency == "KRW" || from.Currency == "INR" {
		per *= 100
	}
	daily := per * float64(2+r.IntN(3))
	m := domains.OneOf(r, verifyMethods)
	name := beneficiaryLabel(src)
	bd, addr := src.BankDetails, src.Address
	details := []string{fmt.Sprintf("%s payee shown as %q", map[string]string{"individual": "an individual", "business": "a business"}[src.Type], name)}
	if src.Name.FirstName != nil || src.Name.LastName != nil {
		if s := deref(src.Name.FirstName); s != "" {
			details = append(details, fmt.Sprintf("first name %q", s))
		}
		if s := deref(src.Name.LastName); s != "" {
			details = append(details, fmt.Sprintf("last name %q", s))
		}
	}
	if s := deref(src.Name.BusinessName); s != "" {
		details = append(details, fmt.Sprintf("business name %q", s))
	}
	details = append(details, fmt.Sprintf("bank %s, account number masked as %s", bd.BankName, bd.AccountNumberMasked))
	if s := deref(bd.RoutingNumber); s != "" {
		details = append(details, "routing number "+s)
	}
	if s := deref(bd.IBAN); s != "" {
		details = append(details, "IBAN "+s)
	}
	if s := deref(bd.SwiftBIC); s != "" {
		details = append(details, "SWIFT/BIC "+s)
	}
	line := addr.Address1
	if addr.Address2 != "" {
		line += ", " + addr.Address2
	}
	details = append(details, fmt.Sprintf("address %s, %s, %s %s, %s", line, addr.City, addr.State, addr.Zip, addr.Country))
	add := task.NewCall("add_beneficiary",
		"client_id", c.ClientID, "beneficiary_id", id, "beneficiary_type", src.Type,
		"display_name", optStr(src.Name.DisplayName), "first_name", optStr(src.Name.FirstName),
		"last_name", optStr(src.Name.LastName), "business_name", optStr(src.Name.BusinessName),
		"bank_name", bd.BankName, "account_number_masked", bd.AccountNumberMasked,
		"routing_number", optStr(bd.RoutingNumber), "iban", optStr(bd.IBAN), "swift_bic", optStr(bd.SwiftBIC),
		"address1", addr.Address1, "address2", addr.Address2, "city", addr.City, "state", addr.State,
		"zip", addr.Zip, "country", addr.Country,
		"allowed_from_account_ids", []any{from.AccountID},
		"per_transfer_limit", per, "daily_limit", daily, "verification_method", m.arg)
	return &task.Draft{
		Intent:  "add_beneficiary",
		Purpose: "Save a new beneficiary for a client with the payee details, allowed account, limits and verification method the client gives.",
		Subject: c.ClientID,
		Persona: persona(r, c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to save %q as a new payee so that you can pay them from your %s.", name, fromLabel),
			fmt.Sprintf("You need to register %q as a beneficiary; payments will go out of your %s.", name, fromLabel),
			fmt.Sprintf("You started adding %q as a payee online and want the agent to finish saving it.", name),
		),
		KnownInfo: knowEmail(r, c) + fmt.Sprintf(" The online form gave the new payee the reference %s. Payee details: %s.", id, strings.Join(details, "; ")) +
			fmt.Sprintf(" Payments may come only from your %s. Limits: %s per transfer, %s per day. Verification: %s (method %s).",
				fromLabel, sayMoney(per, from.Currency), sayMoney(daily, from.Currency), m.user, strings.ReplaceAll(m.arg, "_", " ")),
		UnknownInfo: unknownIDs(r, "account"),
		TaskInstructions: domains.Choose(r,
			"Give the payee details when the agent asks for them; spell out numbers carefully.",
			"Read out all the payee details at once when asked.",
			"Provide the details in the order the agent asks for them.",
		) + " Do not ask for a transfer today. " + confirmYes(r),
		Actions: []task.Call{
			authenticate(c),
			task.NewCall("list_client_accounts", "client_id", c.ClientID),
			add,
		},
		NLAssertions: []string{
			fmt.Sprintf("The agent reads the new payee's details back and confirms them with the client before saving %q.", name),
			"The agent tells the client that the new payee starts with verification pending.",
		},
	}, nil
}

func draftLoanPayment(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c     *Client
		l     *Loan
		a     *Account
		label string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for _, id := range c.LoanIDs {
			l, ok := db.Loans.Get(id)
			if !ok || l.ClientID != c.ClientID || !uniqueLoanType(db, c, l) {
				continue
			}
			a, ok := c.Accounts.Get(l.LinkedRepaymentAccountID)
			if !ok || a.Status != "active" || a.Balance.Available < 2 {
				continue
			}
			if label, ok := accountLabel(c, a); ok {
				add(cand{c, l, a, label})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	var amount float64
	what := ""
	if p := nextDue(x.l); p != nil && p.Amount > 0 && p.Amount <= x.a.Balance.Available && r.IntN(3) > 0 {
		amount = p.Amount
		what = fmt.Sprintf("the instalment due on %s (%s)", p.DueDate, sayMoney(amount, x.a.Currency))
	} else {
		var ok bool
		if amount, ok = niceAmount(r, x.a.Balance.Available); !ok {
			return nil, domains.ErrNoCandidate
		}
		what = "an extra " + sayMoney(amount, x.a.Currency)
	}
	args := []any{"client_id", x.c.ClientID, "loan_id", x.l.LoanID, "from_account_id", x.a.AccountID, "amount", amount}
	rail := ""
	if r.IntN(3) == 0 {
		args = append(args, "method", "ACH")
		rail = " You want it paid by ACH."
	}
	return &task.Draft{
		Intent:  "loan_payment",
		Purpose: "Make a payment toward a client's loan from their repayment account after checking ownership and balance.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to pay %s on your %s from your %s.", what, loanName(x.l), x.label),
			fmt.Sprintf("You would like to pay %s toward your %s, taking the money from your %s.", what, loanName(x.l), x.label),
			fmt.Sprintf("You are calling to pay %s on your %s out of your %s.", what, loanName(x.l), x.label),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" Loan: your %s. Payment: %s. From: your %s.", loanName(x.l), what, x.label) + rail,
		UnknownInfo: unknownIDs(r, "loan or account"),
		TaskInstructions: domains.Choose(r,
			"Do not add any note to the payment.",
			"Answer questions about the amount precisely.",
			"If the agent asks which account to use, name the one in your known information.",
		) + " " + confirmYes(r),
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("get_client_details", "client_id", x.c.ClientID),
			task.NewCall("get_loan_details", "loan_id", x.l.LoanID),
			task.NewCall("get_account_details", "account_id", x.a.AccountID),
			task.NewCall("make_loan_payment", args...),
		},
		NLAssertions: []string{
			fmt.Sprintf("The agent checks that the %s has enough available balance before paying.", x.label),
			fmt.Sprintf("The agent confirms the loan, the amount %s and the source account before making the payment.", sayMoney(amount, x.a.Currency)),
		},
	}, nil
}

// ---- refusals ----

func draftRefuseCreditTransfer(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c                  *Client
		from, to           *Account
		fromLabel, toLabel string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for from := range c.Accounts.Values() {
			fl, ok := accountLabel(c, from)
			if !ok || from.Type != "credit" || from.Status != "active" || from.Balance.Available < 2 {
				continue
			}
			for to := range c.Accounts.Values() {
				tl, ok := accountLabel(c, to)
				if ok && to.Type != "credit" && to.Status == "active" && to.Currency == from.Currency {
					add(cand{c, from, to, fl, tl})
				}
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	amount, ok := niceAmount(r, x.from.Balance.Available)
	if !ok {
		return nil, domains.ErrNoCandidate
	}
	amt := sayMoney(amount, x.from.Currency)
	return &task.Draft{
		Intent:  "refuse_credit_transfer",
		Purpose: "Refuse an internal transfer out of a credit account, which the policy forbids.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to move %s from your %s into your %s to cover a bill.", amt, x.fromLabel, x.toLabel),
			fmt.Sprintf("You need some cash on your %s and want %s taken from your %s.", x.toLabel, amt, x.fromLabel),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" From: your %s. To: your %s. Amount: %s.", x.fromLabel, x.toLabel, amt),
		UnknownInfo: unknownIDs(r, "account") + " You do not know the bank's rules on transfers from credit accounts.",
		TaskInstructions: domains.Choose(r,
			"If the agent refuses, ask once why, then accept the answer.",
			"Push back once when the agent declines, then give up politely.",
			"If the transfer is not possible, ask the reason and end the call.",
		) + " Do not ask for any other transfer.",
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("list_client_accounts", "client_id", x.c.ClientID),
			task.NewCall("get_account_details", "account_id", x.from.AccountID),
		},
		CommunicateInfo: []string{"credit"},
		NLAssertions: []string{
			"The agent refuses to move money out of the credit account and makes no transfer.",
			"The agent explains that transfers from a credit account are not supported.",
		},
	}, nil
}

func draftRefuseCrossCurrency(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c                  *Client
		from, to           *Account
		fromLabel, toLabel string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for from := range c.Accounts.Values() {
			fl, ok := accountLabel(c, from)
			if !ok || from.Type == "credit" || from.Status != "active" || from.Balance.Available < 2 {
				continue
			}
			for to := range c.Accounts.Values() {
				tl, ok := accountLabel(c, to)
				if ok && to.Status == "active" && to.Currency != from.Currency {
					add(cand{c, from, to, fl, tl})
				}
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	amount, ok := niceAmount(r, x.from.Balance.Available)
	if !ok {
		return nil, domains.ErrNoCandidate
	}
	amt := sayMoney(amount, x.from.Currency)
	return &task.Draft{
		Intent:  "refuse_cross_currency",
		Purpose: "Refuse an internal transfer between accounts in different currencies, which the bank cannot convert.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to move %s from your %s to your %s.", amt, x.fromLabel, x.toLabel),
			fmt.Sprintf("You want the bank to convert and move %s from your %s into your %s.", amt, x.fromLabel, x.toLabel),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" From: your %s (%s). To: your %s.", x.fromLabel, x.from.Currency, x.toLabel),
		UnknownInfo: unknownIDs(r, "account") + fmt.Sprintf(" You are not sure which currency your %s is in.", x.toLabel),
		TaskInstructions: domains.Choose(r,
			"If the agent refuses, ask which currencies the two accounts are in, then accept.",
			"Insist once that the bank should convert the money; accept a refusal after that.",
		) + " Do not ask for a different transfer.",
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("list_client_accounts", "client_id", x.c.ClientID),
		},
		CommunicateInfo: []string{x.from.Currency, x.to.Currency},
		NLAssertions: []string{
			"The agent refuses the transfer because the accounts are in different currencies and makes no transfer.",
		},
	}, nil
}

func draftRefuseInactivePayee(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c     *Client
		b     *Beneficiary
		label string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for _, id := range c.BeneficiaryIDs {
			b, ok := db.Beneficiaries.Get(id)
			if !ok || b.Status == "active" {
				continue
			}
			if label, ok := payeeLabel(db, c, b); ok {
				add(cand{c, b, label})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	amount := []float64{50, 100, 150, 200, 250, 300, 400, 500}[r.IntN(8)]
	currency := "in your account's currency"
	for a := range x.c.Accounts.Values() {
		currency = a.Currency
		break
	}
	return &task.Draft{
		Intent:  "refuse_inactive_payee",
		Purpose: "Refuse a transfer to a suspended or revoked beneficiary and tell the client its status.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to send %.0f %s to your saved payee %q.", amount, currency, x.label),
			fmt.Sprintf("You need to pay %q %.0f %s today.", x.label, amount, currency),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" The payee is saved as %q.", x.label),
		UnknownInfo: unknownIDs(r, "beneficiary") + " You do not know the state of the payee in the bank's system.",
		TaskInstructions: domains.Choose(r,
			"If the agent says the payment cannot be made, ask why and what the payee's status is, then end the call.",
			"Accept a refusal once the agent tells you the payee's status.",
		) + " Do not ask to add a new payee.",
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("list_client_beneficiaries", "client_id", x.c.ClientID),
			task.NewCall("get_beneficiary_details", "beneficiary_id", x.b.BeneficiaryID),
		},
		CommunicateInfo: []string{x.b.Status},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the client that the payee is %s and makes no transfer.", x.b.Status),
		},
	}, nil
}

func draftRefuseExpiredCard(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		c     *Client
		cd    *Card
		label string
	}
	cands := candidates(r, env, db, func(c *Client, add func(cand)) {
		for cd := range c.Cards.Values() {
			if label, ok := cardLabel(c, cd); ok && cd.Status == "expired" {
				add(cand{c, cd, label})
			}
		}
	})
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	expiry := x.cd.ExtraInfo.ExpMonth + "/" + x.cd.ExtraInfo.ExpYear
	return &task.Draft{
		Intent:  "refuse_expired_card",
		Purpose: "Decline to reactivate an expired card, which cannot be managed, and say that it is expired.",
		Subject: x.c.ClientID,
		Persona: persona(r, x.c),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("Your %s stopped working and you want it unblocked.", x.label),
			fmt.Sprintf("A shop declined your %s; you think it is frozen and want it reactivated.", x.label),
			fmt.Sprintf("You want your %s switched back on.", x.label),
		),
		KnownInfo:   knowEmail(r, x.c) + fmt.Sprintf(" The card is your %s.", x.label),
		UnknownInfo: unknownIDs(r, "card") + " You have not looked at the expiry date printed on the card.",
		TaskInstructions: domains.Choose(r,
			"If the agent says the card cannot be reactivated, ask why; accept the answer.",
			"Accept the agent's explanation; do not ask for a new card.",
		) + " " + closing(r),
		Actions: []task.Call{
			authenticate(x.c),
			task.NewCall("get_client_details", "client_id", x.c.ClientID),
			task.NewCall("get_card_details", "card_id", x.cd.CardID),
		},
		CommunicateInfo: []string{"expired"},
		NLAssertions: []string{
			fmt.Sprintf("The agent explains that the card ending in %s is expired (%s) and cannot be reactivated.", x.cd.ExtraInfo.LastFour, expiry),
			"The agent changes nothing.",
		},
	}, nil
}
