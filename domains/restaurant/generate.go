package restaurant

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// A cuisine is what the generator knows of one country: addresses, names, card issuers,
// prices and dishes.
type cuisine struct {
	nation   string
	cities   []place
	streets  []string // %d is a house number
	unit     []string // second address lines
	given    []string
	family   []string
	tld      string
	issuers  []string
	step     float64 // price granularity
	tax      float64 // tax rate, 0 for none
	fee      float64 // delivery fee
	zone     string  // dining room name
	dishes   []dishKind
	parcelID string
}

type place struct{ city, province, postal string }

// A dishKind is a dish template: its title, base price and the choices its plates and
// line entries draw from.
type dishKind struct {
	title    string
	price    float64
	proteins []string
	preps    []string
	sauces   []string
	sides    []string
}

var cuisines = []cuisine{
	{"Pakistan", []place{{"Karachi", "Sindh", "75600"}, {"Lahore", "Punjab", "54000"}}, []string{"House %d, Block 5, Clifton", "%d Main Boulevard, Gulberg"}, []string{"Near Boat Basin", "Flat 2"},
		[]string{"Ahmed", "Ayesha", "Bilal", "Sana"}, []string{"Khan", "Qureshi", "Malik"}, "pk", []string{"HBL Visa", "Meezan Mastercard"}, 50, 0.10, 150, "Main Hall",
		[]dishKind{{"Karachi Biryani", 650, []string{"chicken", "mutton"}, []string{"dum"}, []string{"raita"}, []string{"salad"}}, {"Nihari", 700, []string{"beef"}, []string{"slow-cooked"}, []string{"extra gravy"}, []string{"naan"}}}, "KHI"},
	{"Mexico", []place{{"Ciudad de México", "CDMX", "06700"}, {"Oaxaca de Juárez", "Oaxaca", "68000"}}, []string{"Calle de Orizaba %d", "Avenida Juárez %d"}, []string{"Col. Roma Norte", "Depto 3"},
		[]string{"María", "José", "Lucía", "Diego"}, []string{"García", "Hernández", "López"}, "mx", []string{"BBVA Visa", "Banorte Mastercard"}, 5, 0.16, 35, "Salón Principal",
		[]dishKind{{"Tlayuda Oaxaqueña", 95, []string{"tasajo", "chorizo"}, []string{"grilled"}, []string{"salsa roja"}, []string{"frijoles"}}, {"Tacos al Pastor", 80, []string{"pork"}, []string{"spit-roasted"}, []string{"salsa verde"}, []string{"piña"}}}, "CDMX"},
	{"Brazil", []place{{"São Paulo", "SP", "01310-100"}, {"Salvador", "BA", "40020-000"}}, []string{"Rua Augusta %d", "Avenida Paulista %d"}, []string{"Apto 42", "Bloco B"},
		[]string{"João", "Ana", "Pedro", "Beatriz"}, []string{"Silva", "Santos", "Oliveira"}, "br", []string{"Itaú Visa", "Nubank Mastercard"}, 0.5, 0, 8, "Salão",
		[]dishKind{{"Acarajé", 18, []string{"shrimp"}, []string{"fried"}, []string{"vatapá"}, []string{"salada"}}, {"Feijoada", 45, []string{"pork"}, []string{"stewed"}, []string{"molho de pimenta"}, []string{"farofa"}}}, "SAO"},
	{"Vietnam", []place{{"Hue", "Thua Thien Hue", "530000"}, {"Hanoi", "Hanoi", "100000"}}, []string{"%d Le Loi", "%d Hang Bac"}, []string{"Phu Hoi Ward", "Hoan Kiem"},
		[]string{"Nguyen", "Linh", "Minh", "Thao"}, []string{"Tran", "Le", "Pham"}, "vn", []string{"Vietcombank Visa", "Techcombank"}, 0.5, 0, 1.5, "Main Hall",
		[]dishKind{{"Bún bò Huế", 8.5, []string{"beef", "pork"}, []string{"simmered"}, []string{"fermented shrimp paste"}, []string{"fresh herbs"}}, {"Phở Bò", 7, []string{"beef"}, []string{"poached"}, []string{"hoisin"}, []string{"bean sprouts"}}}, "HUE"},
	{"Japan", []place{{"Tokyo", "Tokyo", "150-0001"}, {"Osaka", "Osaka", "530-0001"}}, []string{"%d-2 Jingumae, Shibuya-ku", "%d-5 Umeda, Kita-ku"}, []string{"Room 301", "Mansion 5F"},
		[]string{"Haruto", "Yui", "Sota", "Aoi"}, []string{"Sato", "Suzuki", "Takahashi"}, "jp", []string{"JCB", "Rakuten Visa"}, 50, 0.10, 300, "Main Hall",
		[]dishKind{{"Tonkotsu Ramen", 980, []string{"chashu pork"}, []string{"simmered"}, []string{"tare"}, []string{"ajitama"}}, {"Okonomiyaki", 850, []string{"pork", "seafood"}, []string{"griddled"}, []string{"okonomi sauce"}, []string{"bonito flakes"}}}, "TYO"},
	{"Australia", []place{{"Melbourne", "Victoria", "3000"}, {"Sydney", "New South Wales", "2000"}}, []string{"%d Flinders St", "%d George Street"}, []string{"Apt 5B", "Unit 12"},
		[]string{"Jack", "Olivia", "Noah", "Charlotte"}, []string{"Smith", "Jones", "Williams"}, "au", []string{"Commonwealth Bank Visa", "ANZ Mastercard"}, 0.5, 0.10, 5, "Main Hall",
		[]dishKind{{"Chicken Parmigiana", 24.5, []string{"chicken"}, []string{"grilled", "crumbed"}, []string{"napolitana"}, []string{"chips"}}, {"Adelaide Pie Floater", 14, []string{"beef"}, []string{"baked"}, []string{"tomato sauce"}, []string{"pea soup"}}}, "Bag"},
	{"Poland", []place{{"Kraków", "Małopolskie", "31-006"}, {"Warszawa", "Mazowieckie", "00-001"}}, []string{"ul. Grodzka %d", "ul. Marszałkowska %d"}, []string{"Apt 5", "m. 12"},
		[]string{"Jakub", "Zofia", "Kacper", "Julia"}, []string{"Nowak", "Kowalski", "Wiśniewski"}, "pl", []string{"PKO Visa", "mBank Mastercard"}, 0.1, 0, 7.9, "Sala A",
		[]dishKind{{"Zapiekanka Krakowska", 16.9, []string{"ham", "mushroom"}, []string{"toasted"}, []string{"garlic"}, []string{"pickles"}}, {"Pierogi Ruskie", 24, []string{"potato and cheese"}, []string{"boiled", "fried"}, []string{"sour cream"}, []string{"onions"}}}, "KRA-DEL"},
	{"Turkey", []place{{"Istanbul", "Istanbul", "34433"}, {"Adana", "Adana", "01120"}}, []string{"İstiklal Caddesi No:%d", "Atatürk Caddesi No:%d"}, []string{"Daire 4", "Kat 2"},
		[]string{"Mehmet", "Elif", "Mustafa", "Zeynep"}, []string{"Yılmaz", "Kaya", "Demir"}, "tr", []string{"Garanti Visa", "İş Bankası"}, 0.5, 0.08, 2, "Main Hall",
		[]dishKind{{"Adana Kebab", 14.5, []string{"lamb"}, []string{"grilled"}, []string{"acılı ezme"}, []string{"bulgur pilaf"}}, {"İskender", 16, []string{"beef", "lamb"}, []string{"spit-roasted"}, []string{"tomato butter"}, []string{"yogurt"}}}, "DINE"},
	{"United States", []place{{"Chicago", "IL", "60601"}, {"Austin", "TX", "78701"}}, []string{"%d N Michigan Ave", "%d Congress Ave"}, []string{"Apt 4C", "Suite 200"},
		[]string{"Emily", "Michael", "Ashley", "James"}, []string{"Johnson", "Miller", "Davis"}, "com", []string{"Chase Visa", "Amex"}, 0.5, 0.0825, 4.99, "Main Hall",
		[]dishKind{{"Deep Dish Pizza", 22, []string{"sausage", "cheese"}, []string{"baked"}, []string{"marinara"}, []string{"side salad"}}, {"Brisket Plate", 19.5, []string{"beef"}, []string{"smoked"}, []string{"bbq sauce"}, []string{"coleslaw"}}}, "ORD"},
	{"France", []place{{"Paris", "Île-de-France", "75011"}, {"Lyon", "Auvergne-Rhône-Alpes", "69002"}}, []string{"%d Rue Oberkampf", "%d Rue de la République"}, []string{"Bâtiment B", "3e étage"},
		[]string{"Camille", "Louis", "Chloé", "Hugo"}, []string{"Martin", "Bernard", "Dubois"}, "fr", []string{"BNP Paribas Visa", "Crédit Agricole"}, 0.5, 0.10, 3.5, "Salle principale",
		[]dishKind{{"Bœuf Bourguignon", 21, []string{"beef"}, []string{"braised"}, []string{"red wine"}, []string{"purée"}}, {"Quiche Lorraine", 12.5, []string{"bacon"}, []string{"baked"}, []string{"crème fraîche"}, []string{"salade verte"}}}, "PAR"},
	{"Ethiopia", []place{{"Addis Ababa", "Addis Ababa", "1000"}, {"Bahir Dar", "Amhara", "6000"}}, []string{"Bole Road, House %d", "Churchill Avenue %d"}, []string{"Near Edna Mall", "Floor 2"},
		[]string{"Abebe", "Hana", "Dawit", "Selam"}, []string{"Tesfaye", "Bekele", "Girma"}, "et", []string{"CBE Birr", "Dashen Visa"}, 5, 0.15, 40, "Main Hall",
		[]dishKind{{"Doro Wat", 320, []string{"chicken"}, []string{"stewed"}, []string{"berbere"}, []string{"injera"}}, {"Kitfo", 380, []string{"beef"}, []string{"raw", "lightly cooked"}, []string{"mitmita butter"}, []string{"ayib"}}}, "ADD"},
	{"Netherlands", []place{{"Amsterdam", "Noord-Holland", "1012 JS"}, {"Utrecht", "Utrecht", "3511 AA"}}, []string{"Damrak %d", "Oudegracht %d"}, []string{"Apt 3B", "2hg"},
		[]string{"Jeroen", "Sanne", "Daan", "Emma"}, []string{"de Vries", "Jansen", "Bakker"}, "nl", []string{"ING Visa", "Rabobank Mastercard"}, 0.5, 0.09, 2.95, "Main Hall",
		[]dishKind{{"Stamppot Boerenkool", 15.5, []string{"rookworst"}, []string{"mashed"}, []string{"mustard"}, []string{"gravy"}}, {"Bitterballen", 8.5, []string{"beef"}, []string{"fried"}, []string{"yellow mustard"}, []string{"fries"}}}, "AMS"},
	{"India", []place{{"Mumbai", "Maharashtra", "400001"}, {"Hyderabad", "Telangana", "500001"}}, []string{"%d Marine Drive", "%d Banjara Hills Road"}, []string{"Flat 7", "Near Charminar"},
		[]string{"Aarav", "Priya", "Rohan", "Ananya"}, []string{"Sharma", "Patel", "Reddy"}, "in", []string{"HDFC Visa", "SBI Card"}, 10, 0.05, 40, "Main Hall",
		[]dishKind{{"Hyderabadi Biryani", 420, []string{"chicken", "mutton"}, []string{"dum"}, []string{"mirchi ka salan"}, []string{"raita"}}, {"Pav Bhaji", 180, []string{"vegetable"}, []string{"griddled"}, []string{"butter"}, []string{"onions"}}}, "BOM"},
	{"Egypt", []place{{"Cairo", "Cairo Governorate", "11511"}, {"Alexandria", "Alexandria Governorate", "21500"}}, []string{"%d Tahrir Street", "%d Corniche Road"}, []string{"Apt 8", "Floor 3"},
		[]string{"Omar", "Nour", "Youssef", "Mariam"}, []string{"Hassan", "Mahmoud", "Ibrahim"}, "eg", []string{"CIB Visa", "Banque Misr"}, 5, 0.14, 25, "Main Hall",
		[]dishKind{{"Koshari", 75, []string{"vegetarian"}, []string{"layered"}, []string{"tomato sauce"}, []string{"crispy onions"}}, {"Molokhia with Rabbit", 180, []string{"rabbit"}, []string{"stewed"}, []string{"garlic"}, []string{"rice"}}}, "CAI"},
	{"South Korea", []place{{"Seoul", "Seoul", "04524"}, {"Busan", "Busan", "48058"}}, []string{"%d Sejong-daero, Jung-gu", "%d Haeundae-ro"}, []string{"Apt 1203", "2F"},
		[]string{"Minjun", "Seoyeon", "Jiho", "Hayun"}, []string{"Kim", "Lee", "Park"}, "kr", []string{"Shinhan Card", "KB Kookmin"}, 500, 0.10, 3000, "Main Hall",
		[]dishKind{{"Bibimbap", 11000, []string{"beef", "tofu"}, []string{"dolsot"}, []string{"gochujang"}, []string{"kimchi"}}, {"Dwaeji Gukbap", 9000, []string{"pork"}, []string{"simmered"}, []string{"saeujeot"}, []string{"kimchi"}}}, "SEL"},
	{"Spain", []place{{"Madrid", "Madrid", "28014"}, {"Valencia", "Valencia", "46002"}}, []string{"Calle de Alcalá %d", "Carrer de Colón %d"}, []string{"Piso 2", "Puerta 4"},
		[]string{"Lucía", "Hugo", "Martina", "Pablo"}, []string{"García", "Fernández", "Martínez"}, "es", []string{"Santander Visa", "CaixaBank"}, 0.5, 0.10, 2.5, "Sala Principal",
		[]dishKind{{"Paella Valenciana", 19, []string{"chicken and rabbit", "seafood"}, []string{"wood-fired"}, []string{"alioli"}, []string{"lemon"}}, {"Tortilla Española", 9.5, []string{"egg"}, []string{"pan-fried"}, []string{"none"}, []string{"pan con tomate"}}}, "MAD"},
	{"Sweden", []place{{"Stockholm", "Stockholm County", "111 29"}, {"Göteborg", "Västra Götaland", "411 04"}}, []string{"Drottninggatan %d", "Kungsportsavenyn %d"}, []string{"Lgh 1102", "3 tr"},
		[]string{"Erik", "Elsa", "Lars", "Maja"}, []string{"Andersson", "Johansson", "Karlsson"}, "se", []string{"Swedbank Visa", "SEB Mastercard"}, 5, 0.12, 49, "Main Hall",
		[]dishKind{{"Köttbullar", 165, []string{"beef and pork"}, []string{"pan-fried"}, []string{"lingonberry jam"}, []string{"mashed potatoes"}}, {"Toast Skagen", 145, []string{"shrimp"}, []string{"toasted"}, []string{"dill mayonnaise"}, []string{"roe"}}}, "STO"},
	{"Nigeria", []place{{"Lagos", "Lagos", "100001"}, {"Ibadan", "Oyo", "200001"}}, []string{"%d Admiralty Way, Lekki", "%d Oyo Road"}, []string{"Flat 2B", "Block C"},
		[]string{"Chinedu", "Ngozi", "Tunde", "Aisha"}, []string{"Okafor", "Adeyemi", "Bello"}, "ng", []string{"GTBank Mastercard", "Access Visa"}, 100, 0.075, 1000, "Main Hall",
		[]dishKind{{"Jollof Rice", 3500, []string{"chicken", "beef"}, []string{"smoky"}, []string{"pepper sauce"}, []string{"plantain"}}, {"Amala and Ewedu", 2800, []string{"goat"}, []string{"stewed"}, []string{"gbegiri"}, []string{"assorted meat"}}}, "LOS"},
	{"Greece", []place{{"Athens", "Attica", "105 58"}, {"Thessaloniki", "Central Macedonia", "546 24"}}, []string{"Ermou %d", "Tsimiski %d"}, []string{"2nd floor", "Apt 5"},
		[]string{"Giorgos", "Maria", "Nikos", "Eleni"}, []string{"Papadopoulos", "Georgiou", "Nikolaou"}, "gr", []string{"Alpha Bank Visa", "Eurobank"}, 0.5, 0.13, 2, "Main Hall",
		[]dishKind{{"Moussaka", 14, []string{"lamb", "beef"}, []string{"baked"}, []string{"béchamel"}, []string{"horiatiki"}}, {"Souvlaki Pita", 4.5, []string{"pork", "chicken"}, []string{"grilled"}, []string{"tzatziki"}, []string{"fries"}}}, "ATH"},
	{"Canada", []place{{"Montréal", "QC", "H2X 1Y4"}, {"Toronto", "ON", "M5V 2T6"}}, []string{"%d Rue Saint-Denis", "%d King St W"}, []string{"App. 3", "Unit 1205"},
		[]string{"Liam", "Chloé", "Ethan", "Léa"}, []string{"Tremblay", "Roy", "Smith"}, "ca", []string{"RBC Visa", "TD Mastercard"}, 0.25, 0.13, 3.99, "Main Hall",
		[]dishKind{{"Poutine", 13.5, []string{"cheese curds", "smoked meat"}, []string{"fried"}, []string{"gravy"}, []string{"pickle"}}, {"Montreal Smoked Meat Sandwich", 17.25, []string{"beef brisket"}, []string{"smoked"}, []string{"yellow mustard"}, []string{"fries"}}}, "YUL"},
	{"Thailand", []place{{"Bangkok", "Bangkok", "10330"}, {"Chiang Mai", "Chiang Mai", "50200"}}, []string{"%d Sukhumvit Soi 11", "%d Nimmanhaemin Road"}, []string{"Room 5A", "Soi 7"},
		[]string{"Somchai", "Nok", "Anan", "Ploy"}, []string{"Saetang", "Srisuk", "Wongsa"}, "th", []string{"Kasikorn Visa", "SCB Mastercard"}, 5, 0.07, 30, "Main Hall",
		[]dishKind{{"Khao Soi", 90, []string{"chicken", "beef"}, []string{"simmered"}, []string{"chili oil"}, []string{"pickled mustard greens"}}, {"Pad Kra Pao", 70, []string{"pork", "chicken"}, []string{"stir-fried"}, []string{"fish sauce"}, []string{"fried egg"}}}, "BKK"},
	{"Germany", []place{{"Berlin", "Berlin", "10115"}, {"München", "Bayern", "80331"}}, []string{"Torstraße %d", "Sendlinger Straße %d"}, []string{"Hinterhaus", "3. OG"},
		[]string{"Lukas", "Mia", "Felix", "Hannah"}, []string{"Müller", "Schmidt", "Schneider"}, "de", []string{"Sparkasse Mastercard", "DKB Visa"}, 0.5, 0.07, 2.9, "Gastraum",
		[]dishKind{{"Currywurst", 6.5, []string{"pork"}, []string{"grilled"}, []string{"curry ketchup"}, []string{"pommes"}}, {"Schweinshaxe", 18.9, []string{"pork"}, []string{"roasted"}, []string{"dark beer gravy"}, []string{"knödel"}}}, "BER"},
}

var (
	portions = []string{"regular", "regular", "large", "small", "half", "family"}
	heats    = []string{"mild", "medium", "hot", "none", "spicy"}
	idChars  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// Generate builds a restaurant database from r: about 207 dishes, 200 patrons and 207
// tickets per unit of scale, with the reference's shapes (7-character ids, one payment
// per ticket, refs that resolve). It adds what the reference lacks so that every write
// tool can succeed: patrons with a second saved instrument and placed tickets of every mode
// whose dishes have other plates, some of them not served today; cancelled tickets and
// tickets with two payments make each precondition fail somewhere.
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("restaurant: scale %d, want at least 1", scale)
	}
	g := &generator{r: r, used: map[string]bool{}, db: &DB{
		MenuBoard:      &domains.Table[Dish]{},
		PatronRegistry: &domains.Table[Patron]{},
		ServiceTickets: &domains.Table[ServiceTicket]{},
	}}
	// The menu: every dish template at least once, then repeats (titles are not unique).
	nDishes := 207 * scale
	for i := 0; i < nDishes; i++ {
		c := i % len(cuisines)
		k := (i / len(cuisines)) % len(cuisines[c].dishes)
		g.dish(i, c, cuisines[c].dishes[k])
	}
	// Patrons, each with one or two tickets; every fifth patron has a second instrument.
	nPatrons, nTickets := 200*scale, 207*scale
	for i := 0; i < nPatrons; i++ {
		tickets := 1
		if i < nTickets-nPatrons {
			tickets = 2
		}
		g.patron(i, tickets)
	}
	if err := domains.Freeze(g.db); err != nil {
		return nil, err
	}
	return g.db, nil
}

type generator struct {
	r       *rand.Rand
	db      *DB
	used    map[string]bool
	byNat   [][]string // dish refs by cuisine index
	emails  []string   // emails handed out, for shared ones
	tickets int
}

// id returns a new random 7-character id.
func (g *generator) id() string {
	for {
		var b [7]byte
		for i := range b {
			b[i] = idChars[g.r.IntN(len(idChars))]
		}
		if s := string(b[:]); !g.used[s] {
			g.used[s] = true
			return s
		}
	}
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// price rounds x to the cuisine's granularity, as a double Python prints plainly.
func price(x, step float64) float64 {
	n := math.Round(x / step)
	if step < 1 {
		return py.Round(n*step, 2)
	}
	return n * step
}

func (g *generator) dish(i, ci int, k dishKind) {
	c := cuisines[ci]
	d := &Dish{Title: k.title, DishRef: g.id()}
	plates := 1
	switch {
	case i%12 == 0:
		plates = 3
	case i%6 == 0 || g.r.IntN(15) == 0:
		plates = 2
	}
	for p := 0; p < plates; p++ {
		portion := portions[0]
		if p > 0 {
			portion = portions[1+g.r.IntN(len(portions)-1)]
		}
		spice, protein, prep := pick(g.r, heats), pick(g.r, k.proteins), pick(g.r, k.preps)
		cost := k.price * (0.9 + 0.2*g.r.Float64())
		if portion == "large" || portion == "family" {
			cost *= 1.3
		} else if portion == "small" || portion == "half" {
			cost *= 0.7
		}
		pl := &Plate{
			PlateRef:    g.id(),
			Modifiers:   PlateModifiers{SpiceLevel: &spice, Portion: &portion, Protein: &protein, Preparation: &prep},
			ServedToday: !(p == plates-1 && p > 0 && i%4 == 0),
			Cost:        price(cost, c.step),
		}
		if g.r.IntN(20) == 0 {
			pl.Modifiers.SpiceLevel = nil
		}
		d.Selections.Set(pl.PlateRef, pl)
	}
	for len(g.byNat) < len(cuisines) {
		g.byNat = append(g.byNat, nil)
	}
	g.byNat[ci] = append(g.byNat[ci], d.DishRef)
	g.db.MenuBoard.Put(d.DishRef, d)
}

func ascii(s string) string {
	r := strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ã", "a", "ç", "c", "ü", "u", "ö", "o", "ä", "a",
		"ł", "l", "ś", "s", "ı", "i", "İ", "I", "ş", "s", "ğ", "g", "è", "e", "ï", "i", "ñ", "n", " ", "")
	return strings.ToLower(r.Replace(s))
}

func (g *generator) address(c cuisine) PatronLocation {
	p := pick(g.r, c.cities)
	return PatronLocation{
		LineOne:      fmt.Sprintf(pick(g.r, c.streets), 1+g.r.IntN(240)),
		LineTwo:      pick(g.r, c.unit),
		Municipality: p.city,
		Nation:       c.nation,
		Province:     p.province,
		PostalCode:   p.postal,
	}
}

func (g *generator) patron(i, nTickets int) {
	ci := g.r.IntN(len(cuisines))
	c := cuisines[ci]
	given, family := pick(g.r, c.given), pick(g.r, c.family)
	p := &Patron{
		GuestRef: g.id(),
		Identity: GuestIdentity{Given: given, Family: family},
		Location: g.address(c),
	}
	// Some patrons share an email with an earlier one (a household, a duplicate account).
	if len(g.emails) > 0 && g.r.IntN(8) == 0 {
		p.ContactEmail = pick(g.r, g.emails)
	} else {
		p.ContactEmail = fmt.Sprintf("%s.%s%d@example.%s", ascii(given), ascii(family), g.r.IntN(100), c.tld)
		g.emails = append(g.emails, p.ContactEmail)
	}
	instruments := 1
	if i%5 == 0 {
		instruments = 2
	}
	for k := 0; k < instruments; k++ {
		origin, issuer := "credit_card", pick(g.r, c.issuers)
		switch {
		case k == 1 && g.r.IntN(3) == 0:
			origin, issuer = "mobile_money", "Wallet"
		case k == 1 && g.r.IntN(2) == 0:
			origin = "debit_card"
		}
		in := &PaymentInstrument{Origin: origin, InstrumentRef: g.id(),
			Metadata: PaymentInstrumentMetadata{Issuer: issuer, TailDigits: fmt.Sprintf("%04d", g.r.IntN(10000))}}
		p.SavedInstruments.Set(in.InstrumentRef, in)
	}
	pay := p.SavedInstruments.Keys()[0]
	for k := 0; k < nTickets; k++ {
		t := g.ticket(ci, p, pay)
		p.TicketLog = append(p.TicketLog, t.TicketRef)
		g.db.ServiceTickets.Put(t.TicketRef, t)
	}
	g.db.PatronRegistry.Put(p.GuestRef, p)
}

// states cycle so that each occurs in every twenty tickets: placed about a third.
var states = []string{"placed", "in_progress", "delivered", "placed", "in_progress", "ready", "placed", "in_progress",
	"delivered", "placed", "in_progress", "cancelled", "placed", "in_progress", "delivered", "placed", "in_progress", "ready", "delivered", "in_progress"}

func (g *generator) ticket(ci int, p *Patron, pay string) *ServiceTicket {
	c := cuisines[ci]
	n := g.tickets
	g.tickets++
	t := &ServiceTicket{TicketRef: g.id(), GuestRef: p.GuestRef, State: states[n%len(states)]}
	switch m := n % 10; {
	case m < 6:
		t.ServiceMode = "delivery"
		loc := p.Location
		if g.r.IntN(6) == 0 {
			loc = g.address(c) // delivered to another address
		}
		t.Dropoff = &loc
	case m < 9:
		t.ServiceMode = "dine_in"
		t.TableInfo = &TableInfo{Zone: c.zone, TableNo: fmt.Sprintf("%c%d", 'A'+rune(g.r.IntN(4)), 1+g.r.IntN(20)), SeatCount: int64(2 + 2*g.r.IntN(3))}
	default:
		t.ServiceMode = "takeout"
	}
	entries := 1
	if g.r.IntN(12) == 0 {
		entries = 2
	}
	items := 0.0
	batch := PrepBatch{ParcelTags: []string{fmt.Sprintf("%s-%03d", c.parcelID, 1+g.r.IntN(999))}}
	for e := 0; e < entries; e++ {
		refs := g.byNat[ci]
		ref := pick(g.r, refs)
		if t.State == "placed" && e == 0 {
			// Placed tickets favour dishes with several plates, so that plates can be swapped.
			for _, cand := range refs {
				if d, _ := g.db.MenuBoard.Get(cand); d.Selections.Len() > 1 && g.r.IntN(2) == 0 {
					ref = cand
					break
				}
			}
		}
		d, _ := g.db.MenuBoard.Get(ref)
		var plate *Plate
		for pl := range d.Selections.Values() {
			if pl.ServedToday && (plate == nil || g.r.IntN(2) == 0) {
				plate = pl
			}
		}
		kind := g.kindOf(d.Title)
		heat := "mild"
		if plate.Modifiers.SpiceLevel != nil {
			heat = *plate.Modifiers.SpiceLevel
		}
		sauce, side := pick(g.r, kind.sauces), pick(g.r, kind.sides)
		label := fmt.Sprintf("%s - %s, %s", d.Title, capitalize(*plate.Modifiers.Portion), capitalize(*plate.Modifiers.Protein))
		t.LineEntries = append(t.LineEntries, LineEntry{Label: label, DishRef: d.DishRef, PlateRef: plate.PlateRef, Cost: plate.Cost,
			Mods: LineEntryMods{Heat: &heat, Sauce: &sauce, Side: &side}})
		batch.PlateRefs = append(batch.PlateRefs, plate.PlateRef)
		items += plate.Cost
	}
	t.PrepBatches = []PrepBatch{batch}
	total := items
	if c.tax > 0 && g.r.IntN(4) != 0 {
		tax := py.Round(items*c.tax, 2)
		total += tax
		t.Charges = append(t.Charges, TicketCharge{Kind: "tax", Total: tax, InstrumentRef: pay})
	}
	if t.ServiceMode == "delivery" && g.r.IntN(4) != 0 {
		total += c.fee
		t.Charges = append(t.Charges, TicketCharge{Kind: "delivery_fee", Total: c.fee, InstrumentRef: pay})
	}
	if t.State != "placed" && g.r.IntN(3) == 0 {
		t.Charges = append(t.Charges, TicketCharge{Kind: "tip", Total: price(items*0.1, c.step/5), InstrumentRef: pay})
	}
	t.Charges = append(t.Charges, TicketCharge{Kind: "payment", Total: py.Round(total, 2), InstrumentRef: pay})
	switch {
	case t.State == "cancelled":
		t.Charges = append(t.Charges, TicketCharge{Kind: "refund", Total: py.Round(total, 2), InstrumentRef: pay})
	case t.State == "placed" && n%40 == 9:
		// An earlier upgrade was paid separately: two payments block an instrument change.
		t.Charges = append(t.Charges, TicketCharge{Kind: "payment", Total: price(items*0.2, c.step), InstrumentRef: pay})
	}
	return t
}

func (g *generator) kindOf(title string) dishKind {
	for _, c := range cuisines {
		for _, k := range c.dishes {
			if k.title == title {
				return k
			}
		}
	}
	return dishKind{sauces: []string{"none"}, sides: []string{"none"}}
}

func capitalize(s string) string {
	for i := range s {
		if i > 0 {
			return strings.ToUpper(s[:i]) + s[i:]
		}
	}
	return strings.ToUpper(s)
}
