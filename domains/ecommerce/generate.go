package ecommerce

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// Generate builds a new e-commerce database from r: about 200 catalogue groups, 200
// accounts and 220 sales per unit of scale. Ids are 7-character mixed-case codes as in the
// reference. Besides ordinary orders it always holds the states the write tools act on and
// the ones where each of their checks fails: pending orders with one payment and with a
// split payment, a loosely pending "pending payment" order, delivered orders whose account
// also has a gift card and a second card, a delivered order with another in-stock variant
// and an out-of-stock one, a delivered order without a payment, and orders whose return or
// exchange was already requested.
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("ecommerce: scale %d is below 1", scale)
	}
	g := &generator{r: r, ids: map[string]bool{}, titles: map[string]bool{}, emails: map[string]int{}}
	g.catalogue(200 * scale)
	g.accounts(200 * scale)
	g.sales(220 * scale)
	return g.build()
}

type generator struct {
	r      *rand.Rand
	ids    map[string]bool
	titles map[string]bool
	emails map[string]int

	groups   []*CatalogueGroup
	accts    []*Account
	saleList []*Sale
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// id returns a new 7-character mixed-case code, unique in the database.
func (g *generator) id() string {
	for {
		var b [7]byte
		for i := range b {
			b[i] = idChars[g.r.IntN(len(idChars))]
		}
		if s := string(b[:]); !g.ids[s] {
			g.ids[s] = true
			return s
		}
	}
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// price returns a price between lo and hi ending in .99, .49 or .00, as shops price.
func (g *generator) price(lo, hi float64) float64 {
	whole := int(lo) + g.r.IntN(max(1, int(hi-lo)+1))
	cents := pick(g.r, []float64{0.99, 0.99, 0.99, 0.49, 0.5, 0.0})
	if whole == 0 && cents == 0 {
		cents = 0.99
	}
	return py.Round(float64(whole)+cents, 2)
}

type category struct {
	hues, fabrics, patterns []string
}

var categories = map[string]category{
	"kitchen": {
		hues:     []string{"Stainless steel", "Matte black", "White", "Red", "Sage green", "Natural wood", "Charcoal", "Cream"},
		fabrics:  []string{"Stainless steel", "Cast iron", "Bamboo", "BPA-free plastic", "Borosilicate glass", "Silicone", "Ceramic stoneware", "Beechwood"},
		patterns: []string{"Solid", "Brushed", "Speckled", "Striped", "Plain", "Hammered"},
	},
	"bath": {
		hues:     []string{"White", "Ivory", "Slate gray", "Navy", "Seafoam", "Blush pink", "Charcoal", "Sand"},
		fabrics:  []string{"100% cotton terry", "Turkish cotton", "Microfiber", "Bamboo viscose", "Polyester", "Memory foam"},
		patterns: []string{"Solid", "Ribbed", "Waffle", "Striped", "Herringbone"},
	},
	"clothing": {
		hues:     []string{"Black", "Navy", "Heather gray", "Olive", "Burgundy", "White", "Khaki", "Denim blue"},
		fabrics:  []string{"100% cotton", "Organic cotton", "Merino wool", "Polyester blend", "Nylon shell with fleece lining", "Leather", "Denim"},
		patterns: []string{"Solid", "Striped", "Plaid", "Heathered", "Checked"},
	},
	"electronics": {
		hues:     []string{"Black", "Silver", "Space gray", "White", "Midnight blue"},
		fabrics:  []string{"ABS plastic", "Aluminum alloy", "ABS plastic with aluminum trim", "Polycarbonate", "Tempered glass and aluminum"},
		patterns: []string{"Matte", "Glossy", "Brushed", "Textured"},
	},
	"office": {
		hues:     []string{"Blue", "Black", "Assorted colors", "Yellow", "Clear", "Red"},
		fabrics:  []string{"Recycled paper", "Plastic", "Steel", "Polypropylene", "Cardstock"},
		patterns: []string{"Plain", "Ruled", "Grid", "Solid", "Translucent"},
	},
	"cleaning": {
		hues:     []string{"Blue", "Green", "Yellow", "White", "Clear"},
		fabrics:  []string{"Plant-based formula", "Microfiber", "Polypropylene", "Cellulose", "Concentrated liquid"},
		patterns: []string{"Unscented", "Lemon scent", "Lavender scent", "Plain", "Fresh scent"},
	},
	"home": {
		hues:     []string{"Walnut", "Oak", "White", "Charcoal", "Linen beige", "Dusty blue", "Terracotta"},
		fabrics:  []string{"Solid wood", "Engineered wood", "Linen", "Cotton sateen", "Polyester microfiber", "Metal frame"},
		patterns: []string{"Solid", "Geometric", "Floral", "Quilted", "Plain"},
	},
}

type product struct {
	title, cat string
	dims       []string
	lo, hi     float64
	fabrics    []string // when the category's materials do not fit the product
}

var products = []product{
	{"Frying pan", "kitchen", []string{"10 in", "12 in", "8 in"}, 19, 69, []string{"Cast iron", "Hard-anodized aluminum", "Stainless steel tri-ply", "Carbon steel"}},
	{"Saucepan", "kitchen", []string{"2 qt", "3 qt", "1.5 qt"}, 24, 79, []string{"Stainless steel", "Hard-anodized aluminum", "Enameled cast iron"}},
	{"Stock pot", "kitchen", []string{"8 qt", "12 qt"}, 34, 99, []string{"Stainless steel", "Enameled steel"}},
	{"Chef's knife", "kitchen", []string{"8 in", "6 in"}, 29, 149, []string{"High-carbon stainless steel", "Damascus steel"}},
	{"Cutting board", "kitchen", []string{"18 x 12 in", "14 x 10 in"}, 14, 49, []string{"Bamboo", "Maple wood", "Polypropylene"}},
	{"Colander", "kitchen", []string{"5 qt", "3 qt"}, 9, 29, nil},
	{"Mixing bowl set", "kitchen", []string{"3-piece", "5-piece"}, 19, 59, nil},
	{"Coffee maker", "kitchen", []string{"12-cup", "5-cup", "Single serve"}, 39, 199, nil},
	{"Electric kettle", "kitchen", []string{"1.7 L", "1.0 L"}, 24, 89, nil},
	{"Toaster", "kitchen", []string{"2-slice", "4-slice"}, 24, 99, nil},
	{"Blender", "kitchen", []string{"48 oz", "64 oz"}, 39, 249, nil},
	{"Travel mug", "kitchen", []string{"16 oz", "20 oz", "12 oz"}, 12, 39, nil},
	{"Water bottle", "kitchen", []string{"24 oz", "32 oz", "18 oz"}, 14, 44, nil},
	{"Lunch box", "kitchen", []string{"1.2 L", "0.8 L"}, 12, 39, nil},
	{"Measuring cups", "kitchen", []string{"4-piece", "6-piece"}, 8, 24, []string{"Stainless steel", "BPA-free plastic"}},
	{"Whisk", "kitchen", []string{"10 in", "12 in"}, 5, 19, []string{"Stainless steel", "Silicone-coated steel"}},
	{"Oven mitts", "kitchen", []string{"Pair", "Pair, extra long"}, 9, 29, []string{"Quilted cotton with silicone grip", "Silicone"}},
	{"Teapot", "kitchen", []string{"1 L", "0.6 L"}, 19, 59, []string{"Ceramic stoneware", "Borosilicate glass", "Cast iron"}},
	{"Bath towel", "bath", []string{"30 x 56 in", "27 x 52 in"}, 12, 39, nil},
	{"Hand towel", "bath", []string{"16 x 30 in", "16 x 28 in"}, 6, 19, nil},
	{"Washcloth", "bath", []string{"13 x 13 in, 6-pack", "12 x 12 in, 4-pack"}, 8, 22, nil},
	{"Bath mat", "bath", []string{"20 x 32 in", "17 x 24 in"}, 14, 44, nil},
	{"Shower curtain", "bath", []string{"72 x 72 in", "70 x 84 in"}, 16, 49, nil},
	{"Toothbrush", "bath", []string{"Soft, 2-pack", "Medium, 4-pack"}, 4, 89, []string{"Nylon bristles, plastic handle", "Bamboo handle, nylon bristles"}},
	{"Hairbrush", "bath", []string{"Paddle", "Round, 2 in"}, 8, 34, []string{"Boar bristle, beechwood", "Nylon pins, plastic"}},
	{"Comb", "bath", []string{"18 cm", "13 cm"}, 4, 16, []string{"Acetate", "Sandalwood"}},
	{"T-shirt", "clothing", []string{"S", "M", "L", "XL"}, 12, 34, nil},
	{"Jeans", "clothing", []string{"30W x 32L", "32W x 32L", "34W x 30L"}, 39, 99, nil},
	{"Jacket", "clothing", []string{"M", "L", "XL"}, 59, 199, nil},
	{"Raincoat", "clothing", []string{"S", "M", "L"}, 49, 149, nil},
	{"Socks", "clothing", []string{"M, 6-pack", "L, 6-pack"}, 9, 24, nil},
	{"Scarf", "clothing", []string{"70 x 12 in", "One size"}, 14, 59, nil},
	{"Belt", "clothing", []string{"32", "34", "36"}, 19, 69, []string{"Leather", "Woven elastic"}},
	{"Sneakers", "clothing", []string{"US 8", "US 9", "US 10", "US 11"}, 49, 149, []string{"Mesh upper, rubber sole", "Leather upper, rubber sole", "Canvas upper, rubber sole"}},
	{"Slippers", "clothing", []string{"M", "L"}, 14, 44, nil},
	{"Backpack", "clothing", []string{"20 L", "28 L"}, 29, 129, []string{"Recycled polyester", "Nylon with water-resistant coating", "Canvas"}},
	{"Wallet", "clothing", []string{"Bifold", "Cardholder"}, 19, 79, []string{"Leather", "Recycled nylon"}},
	{"Headphones", "electronics", []string{"Over-ear", "On-ear"}, 39, 349, nil},
	{"Phone charger", "electronics", []string{"20 W USB-C", "30 W USB-C"}, 14, 39, nil},
	{"Power bank", "electronics", []string{"10000 mAh", "20000 mAh"}, 24, 69, nil},
	{"Computer mouse", "electronics", []string{"Standard", "Compact"}, 14, 89, nil},
	{"Keyboard", "electronics", []string{"Full size", "Tenkeyless"}, 29, 149, nil},
	{"Monitor", "electronics", []string{"24 in", "27 in"}, 149, 449, nil},
	{"Wi-Fi Router", "electronics", []string{"AX1800", "AX3000"}, 79, 229, nil},
	{"Desk lamp", "electronics", []string{"18 in", "15 in"}, 24, 79, nil},
	{"Extension cord", "electronics", []string{"6 ft", "10 ft"}, 9, 29, nil},
	{"Smartphone", "electronics", []string{"128 GB", "256 GB"}, 399, 1099, nil},
	{"Laptop", "electronics", []string{"14 in, 16 GB", "15.6 in, 16 GB"}, 699, 1799, nil},
	{"Notebook", "office", []string{"A5, 120 pages", "Letter, 100 pages"}, 4, 19, []string{"Recycled paper", "Cardstock cover, recycled paper"}},
	{"Pen", "office", []string{"0.7 mm, 12-pack", "0.5 mm, 10-pack"}, 5, 19, []string{"Plastic barrel, gel ink", "Metal barrel, ballpoint"}},
	{"Stapler", "office", []string{"Standard", "Mini"}, 8, 29, []string{"Steel", "Steel and plastic"}},
	{"Binder", "office", []string{"1 in", "2 in"}, 4, 14, []string{"Polypropylene", "Vinyl-covered board"}},
	{"Sticky Notes", "office", []string{"3 x 3 in, 12 pads", "3 x 5 in, 6 pads"}, 5, 15, []string{"Paper"}},
	{"Desk organizer", "office", []string{"5 compartments", "3 tiers"}, 14, 39, nil},
	{"Calculator", "office", []string{"Scientific", "Desktop"}, 9, 29, []string{"Plastic"}},
	{"All-purpose cleaner", "cleaning", []string{"32 oz", "64 oz"}, 3, 12, nil},
	{"Dish soap", "cleaning", []string{"24 oz", "40 oz"}, 2, 9, nil},
	{"Laundry Detergent", "cleaning", []string{"100 oz", "150 oz"}, 11, 29, nil},
	{"Sponge", "cleaning", []string{"6-pack", "9-pack"}, 3, 9, nil},
	{"Mop", "cleaning", []string{"Spin mop", "Flat mop"}, 19, 59, nil},
	{"Broom", "cleaning", []string{"Angled", "Push, 18 in"}, 12, 34, nil},
	{"Microfiber cloth", "cleaning", []string{"12-pack", "24-pack"}, 8, 22, nil},
	{"Trash bags", "cleaning", []string{"13 gal, 80 count", "30 gal, 40 count"}, 9, 24, nil},
	{"Vacuum cleaner", "cleaning", []string{"Cordless stick", "Upright"}, 99, 449, nil},
	{"Bedsheet", "home", []string{"Queen", "King", "Full"}, 29, 119, nil},
	{"Pillowcase", "home", []string{"Standard, pair", "King, pair"}, 12, 39, nil},
	{"Comforter", "home", []string{"Queen", "King"}, 59, 199, nil},
	{"Blanket", "home", []string{"50 x 60 in", "60 x 80 in"}, 24, 79, nil},
	{"Curtains", "home", []string{"52 x 84 in, 2 panels", "52 x 95 in, 2 panels"}, 24, 79, nil},
	{"Nightstand", "home", []string{"2 drawers", "1 drawer"}, 79, 249, nil},
	{"Wall clock", "home", []string{"12 in", "16 in"}, 19, 69, nil},
	{"Mirror", "home", []string{"24 x 36 in", "Round, 30 in"}, 39, 179, nil},
	{"Laundry basket", "home", []string{"60 L", "45 L"}, 14, 44, []string{"Woven bamboo with cotton liner", "Polypropylene", "Seagrass"}},
	{"Umbrella", "home", []string{"Compact", "Golf, 62 in"}, 14, 44, []string{"Polyester canopy, fiberglass ribs", "Pongee canopy, steel shaft"}},
}

var titleQualifiers = []string{"Classic", "Essential", "Premium", "Compact", "Travel", "Eco", "Pro", "Deluxe", "Everyday", "Heritage", "Studio", "Signature", "Urban", "Comfort", "Ultra", "Original"}

// title returns a catalogue title not used yet, built on the product's name.
func (g *generator) title(p product) string {
	t := p.title
	for try := 0; g.titles[t]; try++ {
		if try < 8 {
			t = pick(g.r, titleQualifiers) + " " + p.title
		} else {
			t = fmt.Sprintf("%s %s Series %d", pick(g.r, titleQualifiers), p.title, try)
		}
	}
	g.titles[t] = true
	return t
}

func (g *generator) catalogue(n int) {
	for i := range n {
		p := products[g.r.IntN(len(products))]
		if i < len(products) && i < n {
			p = products[i] // every product line appears at least once
		}
		c := categories[p.cat]
		grp := &CatalogueGroup{Title: g.title(p), GroupRef: g.id()}
		variants := 1
		switch x := g.r.IntN(100); {
		case i == 0: // a product with another variant in stock and one out of stock
			variants = 3
		case x < 12:
			variants = 2
		case x < 16:
			variants = 3
		}
		fabrics := c.fabrics
		if p.fabrics != nil {
			fabrics = p.fabrics
		}
		hue := pick(g.r, c.hues)
		fabric := pick(g.r, fabrics)
		pattern := pick(g.r, c.patterns)
		base := g.price(p.lo, p.hi)
		for v := range variants {
			o := &Offering{
				UnitSKU: g.id(),
				Attributes: OfferingAttributes{
					Hue:         hue,
					Dimension:   p.dims[v%len(p.dims)],
					Fabrication: fabric,
					Pattern:     pattern,
				},
				InStock:   true,
				UnitPrice: base,
			}
			if v > 0 {
				o.Attributes.Hue = pick(g.r, c.hues)
				o.UnitPrice = py.Round(base+float64(g.r.IntN(3))*5, 2)
				o.InStock = g.r.IntN(4) > 0
			}
			if i == 0 {
				o.InStock = v < 2 // the exchange role needs one variant in stock and one out
			}
			if variants == 1 && g.r.IntN(25) == 0 {
				o.InStock = false
			}
			grp.Offerings.Set(o.UnitSKU, o)
		}
		g.groups = append(g.groups, grp)
	}
}

var givenNames = []string{"Avery", "Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Ava", "Liam", "Noah", "Emma", "Olivia", "Mia", "Ethan", "Sofia", "Lucas", "Isabella", "Mateo", "Priya", "Arjun", "Mei", "Hiro", "Fatima", "Omar", "Chloe", "Daniel", "Grace", "Samuel", "Julia", "Elena", "Marcus", "Nina", "Diego", "Hannah", "Kofi", "Aisha", "Leah", "Owen", "Zoe"}
var familyNames = []string{"Nguyen", "Rivera", "Smith", "Johnson", "Lee", "Chen", "Morgan", "Garcia", "Patel", "Kim", "Brown", "Davis", "Martinez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Lopez", "Rios", "Okafor", "Haddad", "Cohen", "Schmidt", "Rossi", "Silva", "Khan", "Walker", "Young"}

type place struct {
	city, region string
	zips         []string
	nations      []string
}

var places = []place{
	{"Springfield", "IL", []string{"62704", "62701", "62702"}, []string{"USA", "USA", "United States"}},
	{"San Francisco", "CA", []string{"94103", "94105", "94107", "94110"}, []string{"USA", "US"}},
	{"Portland", "OR", []string{"97205", "97209", "97214"}, []string{"USA"}},
	{"Seattle", "WA", []string{"98101", "98109", "98122"}, []string{"USA", "United States"}},
	{"Austin", "TX", []string{"78701", "78704", "73301"}, []string{"USA"}},
	{"New York", "NY", []string{"10001", "10011", "10027"}, []string{"USA", "US"}},
	{"Boston", "MA", []string{"02108", "02116", "02139"}, []string{"USA"}},
	{"Chicago", "IL", []string{"60601", "60614", "60622"}, []string{"USA", "United States"}},
	{"Denver", "CO", []string{"80202", "80205"}, []string{"USA"}},
	{"Atlanta", "GA", []string{"30303", "30309"}, []string{"USA"}},
	{"Miami", "FL", []string{"33101", "33130"}, []string{"USA", "US"}},
	{"Minneapolis", "MN", []string{"55401", "55408"}, []string{"USA"}},
}

var streets = []string{"Market Street", "Maple Avenue", "Evergreen Terrace", "Oak Street", "Pine Street", "Cedar Lane", "Elm Street", "Lakeview Drive", "Sunset Boulevard", "Highland Avenue", "Mission Street", "Washington Avenue", "Park Place", "River Road", "Hillcrest Drive"}

func (g *generator) location() Location {
	p := pick(g.r, places)
	line2 := ""
	switch x := g.r.IntN(10); {
	case x < 4:
		line2 = fmt.Sprintf("Apt %d%c", 1+g.r.IntN(20), 'A'+rune(g.r.IntN(4)))
	case x < 6:
		line2 = fmt.Sprintf("Unit %d%c", 1+g.r.IntN(12), 'A'+rune(g.r.IntN(3)))
	case x < 7:
		line2 = fmt.Sprintf("Suite %d00", 1+g.r.IntN(9))
	}
	return Location{
		Line1:        fmt.Sprintf("%d %s", 10+g.r.IntN(1990), pick(g.r, streets)),
		Line2:        line2,
		Municipality: p.city,
		Nation:       pick(g.r, p.nations),
		Region:       p.region,
		PostalCode:   pick(g.r, p.zips),
	}
}

var cardIssuers = []string{"Visa", "VISA", "Mastercard", "American Express", "Chase Visa", "Discover"}

func (g *generator) funding(origin string) *FundingSource {
	f := &FundingSource{Origin: origin, InstrumentID: g.id()}
	switch origin {
	case "gift_card":
		f.Meta = FundingSourceMeta{Issuer: "Store Gift Card", LastDigits: g.digits(4)}
	case "paypal":
		f.Meta = FundingSourceMeta{Issuer: "PayPal", LastDigits: g.digits(4)}
	default:
		f.Meta = FundingSourceMeta{Issuer: pick(g.r, cardIssuers), LastDigits: g.digits(4)}
	}
	return f
}

// email returns an address for the name. Now and then a household shares one address
// across accounts, as in the reference data, so that lookups by email find the first.
func (g *generator) email(given, family string) string {
	base := strings.ToLower(given + "." + family)
	n := g.emails[base]
	if n > 0 && g.r.IntN(6) == 0 {
		return base + "@example.com"
	}
	g.emails[base] = n + 1
	if n == 0 {
		return base + "@example.com"
	}
	return fmt.Sprintf("%s%d@example.com", base, n+1)
}

func (g *generator) accounts(n int) {
	for i := range n {
		given, family := pick(g.r, givenNames), pick(g.r, familyNames)
		a := &Account{
			AccountKey:   g.id(),
			Person:       PersonName{Given: given, Family: family},
			Location:     g.location(),
			ContactEmail: g.email(given, family),
			Purchases:    []string{},
		}
		origins := []string{"credit_card"}
		if g.r.IntN(3) == 0 || i < 6 {
			origins = append(origins, "gift_card")
		}
		if g.r.IntN(4) == 0 || i < 6 {
			origins = append(origins, pick(g.r, []string{"paypal", "credit_card"}))
		}
		for _, o := range origins {
			f := g.funding(o)
			a.FundingSources.Set(f.InstrumentID, f)
		}
		g.accts = append(g.accts, a)
	}
}

// The states sales take, with their weights. The write tools themselves set "cancelled",
// "return requested" and "exchange requested".
var saleStates = []struct {
	state  string
	weight int
}{
	{"shipped", 40}, {"delivered", 18}, {"pending", 12}, {"fulfilled", 10}, {"processing", 6},
	{"completed", 5}, {"cancelled", 3}, {"pending payment", 2}, {"return requested", 2}, {"exchange requested", 2},
}

func (g *generator) state() string {
	total := 0
	for _, s := range saleStates {
		total += s.weight
	}
	x := g.r.IntN(total)
	for _, s := range saleStates {
		if x < s.weight {
			return s.state
		}
		x -= s.weight
	}
	return "shipped"
}

func (g *generator) parcel() string {
	switch g.r.IntN(3) {
	case 0:
		return "TRK" + g.digits(10) + "US"
	default:
		b := []byte("1Z")
		for range 16 {
			b = append(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[g.r.IntN(36)])
		}
		return string(b)
	}
}

// Roles of the first sales, so that every write tool has a record to succeed on and one
// where each of its checks fails, whatever the seed.
const (
	roleNone            = iota
	rolePending         // pending, one card payment, account with a gift card and more
	roleSplitPending    // pending, paid in two parts
	roleLoosePending    // "pending payment": modifiable, but not cancellable
	roleDelivered       // delivered, paid by card, account with a gift card and a second card
	roleExchangeVariant // delivered, its line's group has another variant in stock and one out of stock
	roleNoPayment       // delivered, nothing in the ledger
)

func (g *generator) sales(n int) {
	for i := range n {
		role := roleNone
		if i < roleNoPayment {
			role = i + 1
		}
		owner := g.accts[i%len(g.accts)]
		if i >= len(g.accts) {
			owner = pick(g.r, g.accts)
		}
		if role != roleNone {
			owner = g.accts[i] // the first accounts have several funding sources
		}
		g.saleList = append(g.saleList, g.sale(owner, role))
	}
}

func (g *generator) sale(a *Account, role int) *Sale {
	s := &Sale{SaleRef: g.id(), AccountKey: a.AccountKey, Delivery: a.Location, State: g.state(), Shipments: []Shipment{}, Ledger: []LedgerEntry{}}
	if g.r.IntN(10) == 0 {
		s.Delivery = g.location() // a gift sent elsewhere
	}
	switch role {
	case rolePending, roleSplitPending:
		s.State = "pending"
	case roleLoosePending:
		s.State = "pending payment"
	case roleDelivered, roleExchangeVariant, roleNoPayment:
		s.State = "delivered"
	}
	nLines := 1
	switch x := g.r.IntN(100); {
	case x < 15:
		nLines = 2
	case x < 19:
		nLines = 3
	}
	total := 0.0
	for l := range nLines {
		grp := pick(g.r, g.groups)
		if role == roleExchangeVariant && l == 0 {
			grp = g.groups[0]
		}
		off, _ := grp.Offerings.Get(grp.Offerings.Keys()[0])
		if grp.Offerings.Len() > 1 && role != roleExchangeVariant && g.r.IntN(2) == 0 {
			off, _ = grp.Offerings.Get(grp.Offerings.Keys()[g.r.IntN(grp.Offerings.Len())])
		}
		s.Lines = append(s.Lines, SaleLine{
			Label:      grp.Title + " - " + off.Attributes.Hue + " " + off.Attributes.Dimension,
			CatalogRef: grp.GroupRef,
			UnitSKU:    off.UnitSKU,
			UnitPrice:  off.UnitPrice,
			Attributes: SaleLineAttributes{Volume: off.Attributes.Dimension, Composition: off.Attributes.Fabrication, Tint: off.Attributes.Hue},
		})
		total += off.UnitPrice
	}
	total = py.Round(total, 2)
	switch s.State {
	case "pending", "pending payment", "processing", "cancelled":
	default:
		skus := lineSKUs(s)
		if len(skus) > 1 && g.r.IntN(3) == 0 {
			s.Shipments = append(s.Shipments,
				Shipment{ParcelCodes: []string{g.parcel()}, SKUList: skus[:1]},
				Shipment{ParcelCodes: []string{g.parcel()}, SKUList: skus[1:]})
		} else {
			s.Shipments = append(s.Shipments, Shipment{ParcelCodes: []string{g.parcel()}, SKUList: skus})
		}
	}
	sources := a.FundingSources.Keys()
	card := sources[0] // every account's first source is a credit card
	payWith := card
	if role == roleNone {
		payWith = pick(g.r, sources)
	}
	switch {
	case role == roleNoPayment:
		// a replacement shipped free of charge: nothing was paid
	case role == roleSplitPending || (role == roleNone && s.State == "pending" && len(sources) > 1 && g.r.IntN(5) == 0):
		part := py.Round(total/2, 2)
		s.Ledger = append(s.Ledger,
			LedgerEntry{EntryKind: "payment", Value: part, InstrumentID: sources[1]},
			LedgerEntry{EntryKind: "payment", Value: py.Round(total-part, 2), InstrumentID: card})
	default:
		s.Ledger = append(s.Ledger, LedgerEntry{EntryKind: "payment", Value: total, InstrumentID: payWith})
	}
	if s.State == "cancelled" {
		for _, l := range s.Ledger {
			if l.EntryKind == "payment" {
				s.Ledger = append(s.Ledger, LedgerEntry{EntryKind: "refund", Value: l.Value, InstrumentID: l.InstrumentID})
			}
		}
	}
	a.Purchases = append(a.Purchases, s.SaleRef)
	return s
}

// build stores the records in a shuffled order, so that the records given special roles
// are not the first ones, and freezes the database.
func (g *generator) build() (domains.DB, error) {
	db := &DB{Catalogue: &domains.Table[CatalogueGroup]{}, Accounts: &domains.Table[Account]{}, Sales: &domains.Table[Sale]{}}
	for _, i := range g.r.Perm(len(g.groups)) {
		db.Catalogue.Put(g.groups[i].GroupRef, g.groups[i])
	}
	for _, i := range g.r.Perm(len(g.accts)) {
		db.Accounts.Put(g.accts[i].AccountKey, g.accts[i])
	}
	for _, i := range g.r.Perm(len(g.saleList)) {
		db.Sales.Put(g.saleList[i].SaleRef, g.saleList[i])
	}
	if err := domains.Freeze(db); err != nil {
		return nil, err
	}
	return db, nil
}
