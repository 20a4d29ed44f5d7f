package bank

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// refClients is the number of clients in the reference database; every client has one
// loan and about one beneficiary and one transaction, as there.
const refClients = 297

// Generate builds a new bank database from r: scale × 297 clients from a few dozen
// countries, each with one to three accounts in their currency, cards, one loan with its
// schedule and repayments, saved beneficiaries and a transaction history. Every state the
// write tools check occurs: frozen and closed accounts, credit accounts, a client holding
// two currencies, blocked and expired cards, pending, suspended and revoked beneficiaries,
// and accounts with little money.
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("bank: generate: scale %d, want at least 1", scale)
	}
	g := &generator{r: r, used: map[string]bool{}, db: &DB{
		Clients:       &domains.Table[Client]{},
		Transactions:  &domains.Table[Transaction]{},
		Loans:         &domains.Table[Loan]{},
		Beneficiaries: &domains.Table[Beneficiary]{},
	}}
	n := refClients * scale
	// A few clients are given each edge state outright, so that small databases hold them
	// too; the others get them at random.
	edges := map[int]edge{}
	for i, idx := range r.Perm(n)[:int(edgeCount)] {
		edges[idx] = edge(i)
	}
	for i := range n {
		e, ok := edges[i]
		if !ok {
			e = noEdge
		}
		g.client(e)
	}
	if err := domains.Freeze(g.db); err != nil {
		return nil, fmt.Errorf("bank: generate: %w", err)
	}
	return g.db, nil
}

// An edge is a state a client is forced into.
type edge int

const (
	edgeTwoCurrencies edge = iota
	edgeClosedAccount
	edgeFrozenAccount
	edgeBlockedCard
	edgeExpiredCard
	edgeCreditAccount
	edgeLowBalance
	edgeCount
	noEdge edge = -1
)

type generator struct {
	r      *rand.Rand
	db     *DB
	used   map[string]bool // every id and email handed out; membership only
	emails []string
}

// idStyle are the id patterns of one client's records, like the reference's mix of styles.
type idStyle struct {
	client, account, card, loan, beneficiary, transaction func(g *generator, i int) string
}

var idStyles = []idStyle{
	{ // 03DZE1C1, 1U8RIZ41: seven characters and a digit
		client:      func(g *generator, i int) string { return g.code(7) + digit(i) },
		account:     func(g *generator, i int) string { return g.code(7) + digit(i) },
		card:        func(g *generator, i int) string { return g.code(7) + digit(i) },
		loan:        func(g *generator, i int) string { return g.code(7) + digit(i) },
		beneficiary: func(g *generator, i int) string { return g.code(7) + digit(i) },
		transaction: func(g *generator, i int) string { return g.code(7) + digit(i) },
	},
	{ // QRIL31B-C3, 70L62IM-A5, 6BHW7RJ-K3
		client:      func(g *generator, i int) string { return g.code(7) + "-C" + digit(i) },
		account:     func(g *generator, i int) string { return g.code(7) + "-A" + digit(i) },
		card:        func(g *generator, i int) string { return g.code(7) + "-K" + digit(i) },
		loan:        func(g *generator, i int) string { return g.code(7) + "-L" + digit(i) },
		beneficiary: func(g *generator, i int) string { return g.code(7) + "-B" + digit(i) },
		transaction: func(g *generator, i int) string { return g.code(7) + "-T" + digit(i) },
	},
	{ // A7HM591-CL1, ID4WIFT-AC1, URKDT7O-CD1, V5R9A39-LN1, 8KL3UZE-BEN1
		client:      func(g *generator, i int) string { return g.code(7) + "-CL" + digit(i) },
		account:     func(g *generator, i int) string { return g.code(7) + "-AC" + digit(i) },
		card:        func(g *generator, i int) string { return g.code(7) + "-CD" + digit(i) },
		loan:        func(g *generator, i int) string { return g.code(7) + "-LN" + digit(i) },
		beneficiary: func(g *generator, i int) string { return g.code(7) + "-BEN" + digit(i) },
		transaction: func(g *generator, i int) string { return g.code(7) + "-TX" + digit(i) },
	},
	{ // TL6TFRG-001, NE8SNF5-001, CARD-ZNOXQQ2-2
		client:      func(g *generator, i int) string { return g.code(7) + fmt.Sprintf("-%03d", i) },
		account:     func(g *generator, i int) string { return g.code(7) + fmt.Sprintf("-%03d", i) },
		card:        func(g *generator, i int) string { return "CARD-" + g.code(7) + "-" + digit(i) },
		loan:        func(g *generator, i int) string { return g.code(7) + fmt.Sprintf("-%03d", i) },
		beneficiary: func(g *generator, i int) string { return g.code(7) + fmt.Sprintf("-%03d", i) },
		transaction: func(g *generator, i int) string { return g.code(7) + fmt.Sprintf("-%03d", i) },
	},
}

func digit(i int) string { return fmt.Sprint(i) }

const codeChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// code returns n random uppercase letters and digits.
func (g *generator) code(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = codeChars[g.r.IntN(len(codeChars))]
	}
	return string(b)
}

// unique draws idStyle from next until one is new.
func (g *generator) unique(next func() string) string {
	for {
		s := next()
		if !g.used[s] {
			g.used[s] = true
			return s
		}
	}
}

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) between(lo, hi float64) float64 { return lo + g.r.Float64()*(hi-lo) }

func pick[T any](g *generator, list []T) T { return list[g.r.IntN(len(list))] }

// weighted returns an index drawn with the given weights.
func (g *generator) weighted(w ...int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := g.r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// fill replaces each # of a pattern with a digit.
func (g *generator) fill(pattern string) string {
	var b strings.Builder
	for _, c := range pattern {
		if c == '#' {
			b.WriteByte(byte('0' + g.r.IntN(10)))
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// money converts an amount in euros to loc's currency, to the cent (or unit).
func money(loc *locale, eur float64) float64 {
	v := eur * loc.perEUR
	if loc.whole || loc.perEUR >= 100 {
		return math.Round(v)
	}
	return py.Round(v, 2)
}

// round converts an amount in euros to loc's currency and rounds it to two significant
// digits, as limits and principals are.
func round(loc *locale, eur float64) float64 {
	v := eur * loc.perEUR
	if v <= 0 {
		return 0
	}
	mag := math.Pow(10, math.Floor(math.Log10(v))-1)
	return math.Round(v/mag) * mag
}

var (
	stampStart = time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	stampEnd   = time.Date(2025, 10, 10, 0, 0, 0, 0, time.UTC)
)

// at returns a time between from and to on a five-minute mark.
func (g *generator) at(from, to time.Time) time.Time {
	steps := int64(to.Sub(from) / (5 * time.Minute))
	if steps <= 0 {
		return from
	}
	return from.Add(time.Duration(g.r.Int64N(steps)) * 5 * time.Minute)
}

// stamp formats t as the reference does: mostly UTC with Z, sometimes with the local
// offset instead.
func (g *generator) stamp(loc *locale, t time.Time) string {
	if g.chance(0.18) {
		return t.In(zone(loc.offset)).Format("2006-01-02T15:04:05-07:00")
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// zone parses an offset such as +05:30.
func zone(offset string) *time.Location {
	var h, m int
	sign := 1
	if strings.HasPrefix(offset, "-") {
		sign = -1
	}
	fmt.Sscanf(offset[1:], "%d:%d", &h, &m)
	return time.FixedZone(offset, sign*(h*3600+m*60))
}

var asciiFold = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "ą", "a", "Á", "A", "Å", "A",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "ę", "e", "ě", "e", "É", "E",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ı", "i", "İ", "I", "Í", "I",
	"ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o", "ő", "o", "ø", "o", "Ó", "O", "Ö", "O", "Ø", "O",
	"ú", "u", "ù", "u", "û", "u", "ü", "u", "ů", "u", "ű", "u", "Ú", "U", "Ü", "U",
	"ý", "y", "ÿ", "y", "Ý", "Y",
	"ç", "c", "č", "c", "ć", "c", "Ç", "C", "Č", "C",
	"ñ", "n", "ń", "n", "ň", "n", "Ñ", "N",
	"š", "s", "ś", "s", "ş", "s", "Š", "S", "Ś", "S", "Ş", "S",
	"ž", "z", "ź", "z", "ż", "z", "Ž", "Z", "Ż", "Z",
	"ř", "r", "Ř", "R", "ď", "d", "đ", "d", "Đ", "D", "ð", "d", "ť", "t", "ł", "l", "Ł", "L",
	"ğ", "g", "þ", "th", "Þ", "Th", "æ", "ae", "ß", "ss",
	"ạ", "a", "ả", "a", "ấ", "a", "ầ", "a", "ẩ", "a", "ậ", "a", "ắ", "a", "ặ", "a", "ă", "a",
	"ế", "e", "ề", "e", "ệ", "e", "ọ", "o", "ồ", "o", "ổ", "o", "ộ", "o", "ơ", "o", "ớ", "o", "ờ", "o", "ợ", "o",
	"ư", "u", "ứ", "u", "ừ", "u", "ự", "u", "ụ", "u", "ỳ", "y", "ỹ", "y",
	" ", "", "'", "", "-", "",
)

// emailOf makes first.last@example.<country>, unique unless the client shares an
// address with an earlier client (a family account; lookups by email find the first).
func (g *generator) emailOf(loc *locale, first, last string) string {
	if len(g.emails) > 0 && g.chance(0.03) {
		return pick(g, g.emails)
	}
	base := strings.ToLower(asciiFold.Replace(first) + "." + asciiFold.Replace(last))
	domain := "@example." + strings.ToLower(loc.code)
	email := base + domain
	for g.used[email] {
		email = base + g.digits(2) + domain
	}
	g.used[email] = true
	g.emails = append(g.emails, email)
	return email
}

func (g *generator) address(loc *locale) BankAddress {
	p := pick(g, loc.places)
	a := BankAddress{Address1: fmt.Sprintf("%s %d", pick(g, loc.streets), 1+g.r.IntN(180)), City: p.city, State: p.state, Zip: p.zip, Country: loc.country}
	switch g.weighted(6, 2, 1, 1) {
	case 1:
		a.Address2 = fmt.Sprintf("Apt %d", 1+g.r.IntN(120))
	case 2:
		a.Address2 = fmt.Sprintf("Floor %d", 1+g.r.IntN(12))
	case 3:
		a.Address2 = fmt.Sprintf("Suite %d", 100+g.r.IntN(900))
	}
	return a
}

func ptr[T any](v T) *T { return &v }

func (g *generator) client(e edge) {
	loc := &locales[g.r.IntN(len(locales))]
	style := idStyles[g.r.IntN(len(idStyles))]
	seq := 1 + g.r.IntN(3)
	c := &Client{ClientID: g.unique(func() string { return style.client(g, seq) })}
	first, last := pick(g, loc.first), pick(g, loc.last)
	c.Name = ClientName{FirstName: first, LastName: last}
	if g.chance(0.55) {
		if m := pick(g, loc.first); m != first {
			c.Name.MiddleName = ptr(m)
		}
	}
	c.Contact = ClientContact{Email: g.emailOf(loc, first, last), Phone: g.fill(loc.phone)}
	c.Address = g.address(loc)
	created := g.at(time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	c.CreatedAt = g.stamp(loc, created)
	c.KYC = KYC{
		Status:         []string{"verified", "pending", "failed"}[g.weighted(69, 27, 4)],
		LastReviewedAt: g.stamp(loc, g.at(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), stampEnd)),
		TaxIDMasked:    "****" + g.digits(4),
	}
	bank := pick(g, loc.banks)

	accounts := g.accounts(loc, style, created, e)
	for _, a := range accounts {
		c.Accounts.Set(a.AccountID, a)
	}
	for _, cd := range g.cards(loc, style, bank, accounts, e) {
		c.Cards.Set(cd.CardID, cd)
	}
	var txs []*Transaction
	loan, repayments := g.loan(loc, style, c.ClientID, accounts)
	c.LoanIDs = []string{loan.LoanID}
	txs = append(txs, repayments...)
	c.BeneficiaryIDs = []string{}
	for range []int{0, 1, 2}[g.weighted(3, 90, 7)] {
		b := g.beneficiary(loc, style, c.ClientID, accounts)
		c.BeneficiaryIDs = append(c.BeneficiaryIDs, b.BeneficiaryID)
		g.db.Beneficiaries.Put(b.BeneficiaryID, b)
	}
	for _, a := range accounts {
		txs = append(txs, g.history(loc, style, c.ClientID, a)...)
	}
	g.db.Clients.Put(c.ClientID, c)
	g.db.Loans.Put(loan.LoanID, loan)
	for _, t := range txs {
		g.db.Transactions.Put(t.TransactionID, t)
	}
}

func (g *generator) accounts(loc *locale, style idStyle, created time.Time, e edge) []*Account {
	n := 1 + g.weighted(57, 38, 5)
	if e == edgeTwoCurrencies || e == edgeCreditAccount || e == edgeClosedAccount || e == edgeFrozenAccount {
		n = max(n, 2)
	}
	seq := g.r.IntN(5)
	var out []*Account
	for i := range n {
		typ := "checking"
		switch {
		case i == 0 && g.chance(0.15):
			typ = "savings"
		case i > 0:
			typ = []string{"savings", "credit", "checking"}[g.weighted(55, 35, 10)]
		}
		if e == edgeCreditAccount && i == 1 {
			typ = "credit"
		}
		if e == edgeTwoCurrencies && i == 1 && typ == "credit" {
			typ = "savings"
		}
		cur := loc.currency
		if (e == edgeTwoCurrencies && i == 1) || (i > 0 && g.chance(0.02)) {
			cur = "USD"
			if loc.currency == "USD" {
				cur = "EUR"
			}
		}
		a := &Account{
			AccountID:           g.unique(func() string { return style.account(g, seq+i+1) }),
			Type:                typ,
			Currency:            cur,
			Status:              []string{"active", "frozen", "closed"}[g.weighted(970, 15, 15)],
			AccountNumberMasked: "****" + g.digits(4),
			RoutingNumber:       g.routing(loc),
			OpenedAt:            g.stamp(loc, g.at(created, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))),
		}
		if e == edgeTwoCurrencies {
			a.Status = "active"
		}
		if i == 1 && e == edgeClosedAccount {
			a.Status = "closed"
		}
		if i == 1 && e == edgeFrozenAccount {
			a.Status = "frozen"
		}
		g.fund(loc, a, e == edgeLowBalance && i == 0)
		out = append(out, a)
	}
	return out
}

func (g *generator) routing(loc *locale) string {
	switch g.weighted(5, 3, 2) {
	case 0:
		return g.digits(9)
	case 1:
		return g.digits(3 + g.r.IntN(4))
	}
	return loc.code + "-" + g.digits(3)
}

// fund sets an account's balances, rates and features for its type.
func (g *generator) fund(loc *locale, a *Account, low bool) {
	b := &a.Balance
	switch a.Type {
	case "checking":
		b.Current = money(loc, g.between(150, 12000))
		if g.chance(0.3) {
			b.OnHold = money(loc, g.between(5, 0.2*b.Current/loc.perEUR))
		}
		switch g.weighted(5, 2, 3) {
		case 0:
			a.InterestRateAPR = ptr(0.0)
		case 1:
			a.InterestRateAPR = ptr(py.Round(g.between(0.01, 0.5), 2))
		}
		if g.chance(0.45) {
			a.OverdraftLimit = ptr(round(loc, g.between(100, 2500)))
		}
		a.Features = AccountFeatures{ChecksEnabled: g.chance(0.5), ATMAccess: true, OnlineBanking: true}
	case "savings":
		b.Current = money(loc, g.between(500, 80000))
		if g.chance(0.05) {
			b.OnHold = money(loc, g.between(10, 0.1*b.Current/loc.perEUR))
		}
		if g.chance(0.85) {
			a.InterestRateAPR = ptr(py.Round(g.between(0.5, 4.8), 2))
		}
		a.Features = AccountFeatures{ATMAccess: g.chance(0.3), OnlineBanking: true}
	case "credit":
		limit := round(loc, g.between(1000, 15000))
		owed := money(loc, g.between(0, 0.8*limit/loc.perEUR))
		b.Current = -owed
		b.Available = limit - owed
		if g.chance(0.1) {
			b.OnHold = money(loc, g.between(5, 200))
			b.Available -= b.OnHold
		}
		b.Available = py.Round(b.Available, 2)
		if g.chance(0.9) {
			a.InterestRateAPR = ptr(py.Round(g.between(12, 26), 2))
		}
		a.Features = AccountFeatures{ATMAccess: g.chance(0.6), OnlineBanking: true}
		return
	}
	if low {
		b.Current, b.OnHold = money(loc, g.between(1, 40)), 0
	}
	b.Available = py.Round(b.Current-b.OnHold, 2)
}

func (g *generator) cards(loc *locale, style idStyle, bank string, accounts []*Account, e edge) []*Card {
	n := 1 + g.weighted(92, 6, 2)
	if e == edgeBlockedCard || e == edgeExpiredCard {
		n = max(n, 2)
	}
	seq := g.r.IntN(5)
	var out []*Card
	var debitable, credit []*Account
	for _, a := range accounts {
		if a.Type == "credit" {
			credit = append(credit, a)
		} else {
			debitable = append(debitable, a)
		}
	}
	for i := range n {
		var linked *Account
		switch {
		case len(debitable) == 0 || (i > 0 && len(credit) > 0 && g.chance(0.7)):
			linked = pick(g, accounts)
			if len(credit) > 0 {
				linked = pick(g, credit)
			}
		default:
			linked = debitable[min(i, len(debitable)-1)]
		}
		typ := "debit"
		if linked.Type == "credit" {
			typ = "credit"
		}
		status := []string{"active", "blocked", "expired"}[g.weighted(93, 4, 3)]
		if i == 1 && e == edgeBlockedCard {
			status = "blocked"
		}
		if i == 1 && e == edgeExpiredCard {
			status = "expired"
		}
		year := 2026 + g.r.IntN(5)
		if status == "expired" {
			year = 2023 + g.r.IntN(2)
		}
		brand := loc.brands[0]
		if g.chance(0.4) {
			brand = pick(g, loc.brands)
		}
		atm := round(loc, g.between(300, 1500))
		out = append(out, &Card{
			CardID:          g.unique(func() string { return style.card(g, seq+i+1) }),
			Type:            typ,
			LinkedAccountID: linked.AccountID,
			Status:          status,
			Issuer:          bank,
			ExtraInfo: CardExtraInfo{Brand: brand, LastFour: g.digits(4),
				ExpMonth: fmt.Sprintf("%02d", 1+g.r.IntN(12)), ExpYear: fmt.Sprint(year)},
			Limits: CardLimits{DailyATMLimit: atm, DailyPOSLimit: round(loc, g.between(3, 8)*atm/loc.perEUR)},
			PinSet: g.chance(0.92),
		})
	}
	return out
}

var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// loan makes the client's loan, its schedule and history, and the transactions that paid
// its instalments.
func (g *generator) loan(loc *locale, style idStyle, clientID string, accounts []*Account) (*Loan, []*Transaction) {
	kind := []string{"auto", "mortgage", "personal", "credit_line"}[g.weighted(32, 32, 32, 4)]
	repay := accounts[0]
	for _, a := range accounts {
		if a.Type != "credit" && a.Status != "closed" {
			repay = a
			break
		}
	}
	l := &Loan{
		LoanID:                   g.unique(func() string { return style.loan(g, 1+g.r.IntN(3)) }),
		ClientID:                 clientID,
		LinkedRepaymentAccountID: repay.AccountID,
		Type:                     kind,
		Currency:                 repay.Currency,
		Amortization:             []string{"fixed", "interest_only", "balloon"}[g.weighted(92, 6, 2)],
		Status:                   []string{"active", "delinquent", "closed", "default"}[g.weighted(930, 45, 15, 10)],
		RepaymentHistory:         []Repayment{},
	}
	cur := &locale{perEUR: 1}
	for i := range locales {
		if locales[i].currency == l.Currency {
			cur = &locales[i]
			break
		}
	}
	var terms []int64
	switch kind {
	case "mortgage":
		l.Principal, l.InterestRateAPR, terms = round(cur, g.between(80000, 450000)), g.between(2.5, 7), []int64{180, 240, 300, 360}
		l.Collateral = &LoanCollateral{Type: "real_estate",
			Description: fmt.Sprintf("Apartment at %s %d, %s", pick(g, loc.streets), 1+g.r.IntN(150), pick(g, loc.places).city),
			ValueAmount: round(cur, g.between(1.2, 1.7)*l.Principal/cur.perEUR), ValueCurrency: l.Currency}
	case "auto":
		l.Principal, l.InterestRateAPR, terms = round(cur, g.between(8000, 45000)), g.between(3.5, 9.5), []int64{36, 48, 60, 72}
		l.Collateral = &LoanCollateral{Type: "vehicle",
			Description: fmt.Sprintf("%d %s, VIN ending %s", 2018+g.r.IntN(8), pick(g, cars), g.digits(4)),
			ValueAmount: round(cur, g.between(1.0, 1.3)*l.Principal/cur.perEUR), ValueCurrency: l.Currency}
	case "personal":
		l.Principal, l.InterestRateAPR, terms = round(cur, g.between(2000, 25000)), g.between(6, 16), []int64{12, 24, 36, 48, 60}
		l.Collateral = &LoanCollateral{Type: "unsecured", Description: "No collateral", ValueAmount: 0, ValueCurrency: l.Currency}
	default:
		l.Principal, l.InterestRateAPR, terms = round(cur, g.between(3000, 20000)), g.between(8, 19), []int64{12, 24, 36}
		l.Collateral = &LoanCollateral{Type: "unsecured", Description: "Revolving credit line", ValueAmount: 0, ValueCurrency: l.Currency}
		if g.chance(0.3) {
			l.Collateral = &LoanCollateral{Type: "other", Description: "Pledged term deposit",
				ValueAmount: round(cur, g.between(0.5, 1)*l.Principal/cur.perEUR), ValueCurrency: l.Currency}
		}
		if g.chance(0.5) {
			l.Amortization = "interest_only"
		}
	}
	l.InterestRateAPR = py.Round(l.InterestRateAPR, 2)
	if g.chance(0.03) {
		l.Collateral = nil
	}
	l.TermMonths = pick(g, terms)
	orig := time.Date(2019+g.r.IntN(6), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
	if orig.After(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)) {
		orig = orig.AddDate(-1, 0, 0)
	}
	date := func(t time.Time) string { return t.Format("2006-01-02") }
	if g.chance(0.015) { // a few loans carry full local timestamps
		z := zone(loc.offset)
		date = func(t time.Time) string {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, z).Format("2006-01-02T15:04:05-07:00")
		}
	}
	first := orig.AddDate(0, 1, 0)
	l.OriginationDate, l.FirstPaymentDate, l.MaturityDate = date(orig), date(first), date(orig.AddDate(0, int(l.TermMonths), 0))
	if kind == "mortgage" && g.chance(0.7) {
		l.Escrow = &Escrow{AccountID: "ESC-" + g.code(6), Balance: money(cur, g.between(300, 6000)), Currency: l.Currency}
	}

	// Instalments: a few consecutive months around mid 2025, the first ones paid.
	rate := l.InterestRateAPR / 1200
	var due float64
	switch l.Amortization {
	case "interest_only":
		due = l.Principal * rate
	case "fixed":
		due = l.Principal * rate / (1 - math.Pow(1+rate, -float64(l.TermMonths)))
	default:
		due = 0.6 * l.Principal * rate / (1 - math.Pow(1+rate, -float64(l.TermMonths)))
	}
	due = money(cur, due/cur.perEUR)
	k := 1 + g.weighted(10, 30, 40, 20)
	paid := g.r.IntN(k)
	start := time.Date(2025, time.Month(5+g.r.IntN(4)), first.Day(), 0, 0, 0, 0, time.UTC)
	var txs []*Transaction
	l.PaymentSchedule = make([]ScheduledPayment, k)
	for i := range k {
		when := start.AddDate(0, i, 0)
		p := ScheduledPayment{DueDate: when.Format("2006-01-02"), Amount: due, Currency: l.Currency, Status: "due"}
		switch {
		case i < paid:
			p.Status = "paid"
			method := []string{"ACH", "Internal", "Wire"}[g.weighted(45, 45, 10)]
			ts := g.stamp(loc, when.Add(time.Duration(8+g.r.IntN(10))*time.Hour))
			t := &Transaction{
				TransactionID: g.unique(func() string { return style.transaction(g, i+1) }),
				ClientID:      clientID, AccountID: repay.AccountID, Timestamp: ts,
				Type: "payment", Direction: "debit", Amount: due, Currency: repay.Currency,
				Description: ptr(pick(g, []string{
					"Loan repayment " + l.LoanID,
					strings.ToUpper(kind[:1]) + strings.ReplaceAll(kind[1:], "_", " ") + " payment - " + months[when.Month()-1] + " " + fmt.Sprint(when.Year()),
					"Loan instalment",
				})),
				Method: method, Status: "posted", Fees: []TransactionFee{},
			}
			if g.chance(0.95) {
				t.BalanceAfter = ptr(repay.Balance.Current)
			}
			if g.chance(0.08) {
				t.Fees = []TransactionFee{{Type: "loan_payment_fee", Amount: money(cur, g.between(1, 5)), Currency: repay.Currency}}
			}
			p.TransactionID = ptr(t.TransactionID)
			interest := money(cur, g.between(0.15, 0.5)*due/cur.perEUR)
			fees := 0.0
			if len(t.Fees) > 0 {
				fees = t.Fees[0].Amount
			}
			l.RepaymentHistory = append(l.RepaymentHistory, Repayment{
				TransactionID: t.TransactionID, PostedAt: ts, Amount: due, Currency: l.Currency, Method: method,
				PrincipalComponent: py.Round(due-interest-fees, 2), InterestComponent: interest, FeesComponent: fees,
			})
			txs = append(txs, t)
		case i == paid && l.Status == "delinquent":
			p.Status = "late"
		case i > paid && g.chance(0.06):
			p.Status = "deferred"
		}
		l.PaymentSchedule[i] = p
	}
	return l, txs
}

var cars = []string{"Toyota Corolla", "Volkswagen Golf", "Skoda Octavia", "Honda Civic", "Hyundai Tucson", "Ford Focus", "Kia Sportage", "Renault Clio", "Tesla Model 3", "BMW 320i"}

var nicknames = []string{"Mom", "Dad", "Sister", "Brother", "Landlord", "Grandma", "Savings at other bank", "Rent"}

var businessSuffixes = []string{"Ltd", "& Partners", "Consulting", "Trading Co.", "Utilities", "Property Management", "Dental Clinic", "Electric"}

var beneficiaryNotes = []string{"Monthly rent payment", "Family support", "Utility payments", "Tuition fees", "Savings at another bank", "Contractor invoices"}

func (g *generator) beneficiary(home *locale, style idStyle, clientID string, accounts []*Account) *Beneficiary {
	loc := home
	if g.chance(0.15) {
		loc = &locales[g.r.IntN(len(locales))]
	}
	b := &Beneficiary{
		BeneficiaryID: g.unique(func() string { return style.beneficiary(g, 1+g.r.IntN(3)) }),
		ClientID:      clientID,
		Address:       g.address(loc),
	}
	if g.chance(0.65) {
		b.Type = "individual"
		first, last := pick(g, loc.first), pick(g, loc.last)
		b.Name = BeneficiaryName{FirstName: ptr(first), LastName: ptr(last)}
		switch g.weighted(65, 10, 10, 15) {
		case 0:
			b.Name.DisplayName = ptr(first + " " + last)
		case 1:
			b.Name.DisplayName = ptr(first + " " + last[:1] + ".")
		case 2:
			b.Name.DisplayName = ptr(pick(g, nicknames))
		}
	} else {
		b.Type = "business"
		var business string
		if g.chance(0.5) {
			business = pick(g, loc.last) + " " + pick(g, businessSuffixes)
		} else {
			business = pick(g, loc.places).city + " " + pick(g, businessSuffixes)
		}
		b.Name = BeneficiaryName{BusinessName: ptr(business)}
		switch g.weighted(60, 20, 20) {
		case 0:
			b.Name.DisplayName = ptr(business)
		case 1:
			b.Name.DisplayName = ptr(pick(g, []string{"Electricity", "Rent", "Internet", "Accountant", "Daycare"}))
		}
	}
	bank := pick(g, loc.banks)
	b.BankDetails = BankDetails{BankName: bank, AccountNumberMasked: "****" + g.digits(4)}
	if g.chance(0.8) {
		b.BankDetails.RoutingNumber = ptr(g.routing(loc))
	}
	if loc.iban {
		b.BankDetails.IBAN = ptr(loc.code + g.digits(2) + g.digits(14+g.r.IntN(8)))
	}
	if g.chance(0.85) {
		letters := strings.ToUpper(asciiFold.Replace(strings.ReplaceAll(bank, " ", "")))
		for len(letters) < 4 {
			letters += "X"
		}
		b.BankDetails.SwiftBIC = ptr(letters[:4] + loc.code + g.code(2))
	}
	var allowed []string
	for _, a := range accounts {
		if a.Type != "credit" {
			allowed = append(allowed, a.AccountID)
		}
	}
	if len(allowed) == 0 {
		allowed = []string{accounts[0].AccountID}
	}
	if len(allowed) > 1 && g.chance(0.75) {
		allowed = []string{pick(g, allowed)}
	}
	b.AllowedFromAccountIDs = allowed
	per := round(home, g.between(500, 10000))
	b.TransferLimits = TransferLimits{PerTransferLimit: per, DailyLimit: round(home, g.between(1.5, 3)*per/home.perEUR)}
	created := g.at(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC))
	b.CreatedAt = g.stamp(home, created)
	combos := [][2]string{{"active", "verified"}, {"active", "pending"}, {"suspended", "pending"}, {"suspended", "failed"}, {"revoked", "failed"}, {"suspended", "verified"}}
	combo := combos[g.weighted(61, 20, 11, 4, 2, 2)]
	b.Status = combo[0]
	b.Verification = BeneficiaryVerification{Status: combo[1], Method: pick(g, []string{"micro_deposits", "document", "instant"})}
	if combo[1] == "verified" {
		b.Verification.VerifiedAt = ptr(g.stamp(home, g.at(created, time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))))
	}
	switch {
	case combo[1] == "failed" && g.chance(0.6):
		b.Notes = ptr(pick(g, []string{"Verification failed due to mismatched ID", "Micro-deposits not confirmed"}))
	case g.chance(0.6):
		b.Notes = ptr(pick(g, beneficiaryNotes))
	}
	return b
}

// history makes a few everyday transactions on an account.
func (g *generator) history(home *locale, style idStyle, clientID string, a *Account) []*Transaction {
	loc := home
	if a.Currency != home.currency {
		for i := range locales {
			if locales[i].currency == a.Currency {
				loc = &locales[i]
				break
			}
		}
	}
	n := g.weighted(80, 15, 4, 1)
	var out []*Transaction
	for range n {
		when := g.at(stampStart, stampEnd)
		t := &Transaction{
			TransactionID: g.unique(func() string { return style.transaction(g, 1+g.r.IntN(9)) }),
			ClientID:      clientID, AccountID: a.AccountID, Timestamp: g.stamp(home, when),
			Currency: a.Currency, Status: "posted", Fees: []TransactionFee{},
		}
		kinds := []int{30, 40, 10, 8, 0, 6, 6}
		if a.Type == "savings" {
			kinds = []int{25, 5, 5, 10, 25, 5, 25}
		}
		switch g.weighted(kinds...) {
		case 0: // salary or other deposit
			t.Type, t.Direction, t.Method = "deposit", "credit", pick(g, []string{"ACH", "ACH", "Wire"})
			t.Amount = money(loc, g.between(800, 6000))
			t.Description = ptr(pick(g, []string{"Monthly salary", "Payroll deposit", "Salary " + months[when.Month()-1], "Freelance payment"}))
			if g.chance(0.05) {
				src := "USD"
				if a.Currency == "USD" {
					src = "EUR"
				}
				rate := py.Round(g.between(0.8, 1.3)*loc.perEUR, 4)
				t.Exchange = &CurrencyExchange{SourceCurrency: src, TargetCurrency: a.Currency, Rate: rate,
					SourceAmount: py.Round(t.Amount/rate, 2), TargetAmount: t.Amount}
				t.Method = "Wire"
				t.Description = ptr("Incoming international wire")
			}
		case 1: // card purchase
			s := pick(g, loc.shops)
			place := pick(g, loc.places)
			t.Type, t.Direction, t.Method = "payment", "debit", "Card"
			t.Amount = money(loc, g.between(4, 350))
			t.Merchant = &Merchant{Name: s.name, MCC: s.mcc, City: place.city, Country: loc.country}
			t.Description = ptr(pick(g, []string{"Card purchase - " + s.name, "POS purchase at " + s.name, "Purchase at " + s.name}))
			switch g.weighted(80, 12, 8) {
			case 1:
				t.Status = "pending"
				t.Hold = &TransactionHold{IsHold: true, ReleaseAt: ptr(when.Add(72 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")),
					Reason: ptr("Card authorization hold")}
			case 2:
				t.Status = "reversed"
				t.Description = ptr("Reversed purchase - " + s.name)
			default:
				if g.chance(0.2) {
					t.Hold = &TransactionHold{}
				}
			}
		case 2: // cash
			t.Type, t.Direction, t.Method = "withdrawal", "debit", "ATM"
			t.Amount = round(loc, g.between(20, 400))
			t.Description = ptr(pick(g, []string{"ATM cash withdrawal", "Cash withdrawal"}))
			if g.chance(0.3) {
				t.Fees = []TransactionFee{{Type: "atm_fee", Amount: money(loc, g.between(1, 4)), Currency: a.Currency}}
			}
		case 3: // outgoing transfer
			t.Type, t.Direction, t.Method = "transfer", "debit", pick(g, []string{"Wire", "Internal", "ACH"})
			t.Amount = money(loc, g.between(50, 3000))
			t.Description = ptr(pick(g, []string{"Transfer to savings", "Rent transfer", "Wire transfer to family"}))
			if t.Method == "Wire" && g.chance(0.5) {
				t.Fees = []TransactionFee{{Type: "wire_fee", Amount: money(loc, g.between(5, 25)), Currency: a.Currency}}
			}
		case 4: // interest
			t.Type, t.Direction, t.Method = "interest", "credit", "Internal"
			t.Amount = money(loc, g.between(1, 120))
			t.Description = ptr("Monthly interest")
		case 5: // fee
			t.Type, t.Direction, t.Method = "fee", "debit", "Internal"
			t.Amount = money(loc, g.between(1, 15))
			t.Description = ptr(pick(g, []string{"Monthly maintenance fee", "Paper statement fee", "Card replacement fee"}))
		default: // incoming transfer
			t.Type, t.Direction, t.Method = "transfer", "credit", pick(g, []string{"Internal", "ACH"})
			t.Amount = money(loc, g.between(50, 2500))
			t.Description = ptr("Transfer from checking")
		}
		if t.Amount <= 0 {
			t.Amount = money(loc, 1)
		}
		if g.chance(0.96) {
			t.BalanceAfter = ptr(py.Round(a.Balance.Current+money(loc, g.between(-500, 500)), 2))
		}
		out = append(out, t)
	}
	return out
}
