package movie

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// Generate builds a new movie theater database from r: about 51 movies, 51 theaters and
// 51 bookings per unit of scale, with ids in the reference's formats. Shows run in the six
// weeks after the session's "now" (2024-05-15); some were canceled by the theater and some,
// dated before now, are completed. Booking totals follow the tools' pricing formula except
// where a promotion was applied. Besides ordinary bookings it always holds what the write
// tools act on and where each of their checks fails: confirmed bookings on scheduled shows
// with free seats left, a pending booking, canceled and refunded ones, and confirmed
// bookings on a canceled and on a completed show.
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("movie: scale %d is below 1", scale)
	}
	g := &generator{r: r, ids: map[string]bool{}, titles: map[string]bool{}}
	g.films(51 * scale)
	g.theaters(51 * scale)
	g.bookings(51 * scale)
	return g.build()
}

type generator struct {
	r      *rand.Rand
	ids    map[string]bool
	titles map[string]bool

	movies      []*Film
	theaterList []*Theater
	shows       []*showRef
	bookList    []*Booking
}

// A showRef is a generated show with where it is and what is booked on it.
type showRef struct {
	th    *Theater
	city  *city
	date  string
	show  *Show
	taken map[string]bool // seats held by confirmed bookings
	count int             // bookings made on it
}

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// id returns a new 7-character upper-case code, unique in the database.
func (g *generator) id() string {
	for {
		var b [7]byte
		for i := range b {
			b[i] = upperAlnum[g.r.IntN(len(upperAlnum))]
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

// city is a place theaters stand in, with what its people and menus look like.
type city struct {
	name, state, country, code string
	zip                        func(g *generator) string
	phone                      func(g *generator) string
	lang, mail                 string
	first, last                []string
	streets                    []string
	brands                     []string
	snacks                     [][2]string // name, size
	tax                        float64
}

var cityList = []*city{
	{name: "New York", state: "NY", country: "USA", code: "NYC", lang: "English", mail: "example.com",
		zip:     func(g *generator) string { return "100" + g.digits(2) },
		phone:   func(g *generator) string { return "+1 212-555-" + g.digits(4) },
		first:   []string{"Emily", "Michael", "Sarah", "David", "Jessica", "Daniel", "Ashley", "James"},
		last:    []string{"Johnson", "Williams", "Brown", "Miller", "Davis", "Garcia", "Wilson", "Moore"},
		streets: []string{"Broadway", "West 42nd Street", "Lexington Avenue", "Amsterdam Avenue"}, brands: []string{"Regal", "AMC", "Angelika"},
		snacks: [][2]string{{"Popcorn", "Large"}, {"Soda", "Medium"}, {"Nachos", "Regular"}, {"Bottled Water", "500 ml"}}, tax: 8.875},
	{name: "Austin", state: "TX", country: "USA", code: "AUS", lang: "English", mail: "example.com",
		zip:     func(g *generator) string { return "787" + g.digits(2) },
		phone:   func(g *generator) string { return "+1 512-555-" + g.digits(4) },
		first:   []string{"Olivia", "Ethan", "Madison", "Noah", "Hannah", "Logan", "Chloe", "Caleb"},
		last:    []string{"Martinez", "Anderson", "Taylor", "Thomas", "Hernandez", "White", "Clark", "Lewis"},
		streets: []string{"South Congress Avenue", "Lamar Boulevard", "East 6th Street"}, brands: []string{"Alamo Drafthouse", "Cinemark", "Violet Crown"},
		snacks: [][2]string{{"Popcorn", "Medium"}, {"Queso Nachos", "Regular"}, {"Iced Tea", "Large"}}, tax: 8.25},
	{name: "Toronto", state: "ON", country: "Canada", code: "TOR", lang: "English", mail: "example.ca",
		zip: func(g *generator) string {
			return fmt.Sprintf("M%d%c %d%c%d", g.r.IntN(10), 'A'+rune(g.r.IntN(26)), g.r.IntN(10), 'A'+rune(g.r.IntN(26)), g.r.IntN(10))
		},
		phone:   func(g *generator) string { return "+1 416-555-" + g.digits(4) },
		first:   []string{"Liam", "Emma", "Lucas", "Ava", "Benjamin", "Charlotte", "Owen", "Amelia"},
		last:    []string{"Tremblay", "Roy", "Campbell", "MacDonald", "Singh", "Wong", "Gagnon", "Lee"},
		streets: []string{"Yonge Street", "Queen Street West", "Bloor Street West"}, brands: []string{"Cineplex", "TIFF Lightbox", "Imagine Cinemas"},
		snacks: [][2]string{{"Popcorn", "Large"}, {"Poutine", "Regular"}, {"Soda", "Medium"}}, tax: 13},
	{name: "Lisbon", state: "Lisboa", country: "Portugal", code: "LIS", lang: "Portuguese", mail: "example.pt",
		zip:     func(g *generator) string { return "1" + g.digits(3) + "-" + g.digits(3) },
		phone:   func(g *generator) string { return "+351 21 " + g.digits(3) + " " + g.digits(4) },
		first:   []string{"João", "Maria", "Tiago", "Inês", "Rui", "Beatriz", "Miguel", "Sofia"},
		last:    []string{"Silva", "Santos", "Ferreira", "Pereira", "Costa", "Rodrigues", "Martins", "Sousa"},
		streets: []string{"Avenida da Liberdade", "Rua Augusta", "Avenida de Roma"}, brands: []string{"Cinema NOS", "UCI", "Cinema Ideal"},
		snacks: [][2]string{{"Pipocas", "Médio"}, {"Refrigerante", "Grande"}, {"Água", "500 ml"}}, tax: 23},
	{name: "Madrid", state: "Comunidad de Madrid", country: "Spain", code: "MAD", lang: "Spanish", mail: "example.es",
		zip:     func(g *generator) string { return "280" + g.digits(2) },
		phone:   func(g *generator) string { return "+34 91 " + g.digits(3) + " " + g.digits(2) + " " + g.digits(2) },
		first:   []string{"Lucía", "Hugo", "Martina", "Pablo", "Carmen", "Álvaro", "Elena", "Javier"},
		last:    []string{"García", "Fernández", "López", "Martínez", "Sánchez", "Gómez", "Díaz", "Ruiz"},
		streets: []string{"Gran Vía", "Calle de Fuencarral", "Paseo de la Castellana"}, brands: []string{"Cines Callao", "Yelmo", "Cinesa"},
		snacks: [][2]string{{"Palomitas", "Grande"}, {"Refresco", "Mediano"}, {"Agua embotellada", "500 ml"}}, tax: 21},
	{name: "Paris", state: "Île-de-France", country: "France", code: "PAR", lang: "French", mail: "example.fr",
		zip: func(g *generator) string { return "750" + fmt.Sprintf("%02d", 1+g.r.IntN(20)) },
		phone: func(g *generator) string {
			return "+33 1 " + g.digits(2) + " " + g.digits(2) + " " + g.digits(2) + " " + g.digits(2)
		},
		first:   []string{"Camille", "Louis", "Léa", "Gabriel", "Chloé", "Arthur", "Manon", "Jules"},
		last:    []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"},
		streets: []string{"Boulevard Saint-Germain", "Rue de Rivoli", "Avenue des Champs-Élysées"}, brands: []string{"UGC", "Pathé", "MK2"},
		snacks: [][2]string{{"Pop-corn", "Moyen"}, {"Soda", "Grand"}, {"Glace", "Pot"}}, tax: 5.5},
	{name: "Berlin", state: "Berlin", country: "Germany", code: "BER", lang: "German", mail: "example.de",
		zip:     func(g *generator) string { return "10" + g.digits(3) },
		phone:   func(g *generator) string { return "+49 30 " + g.digits(8) },
		first:   []string{"Lukas", "Anna", "Leon", "Mia", "Felix", "Lena", "Jonas", "Laura"},
		last:    []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"},
		streets: []string{"Kurfürstendamm", "Karl-Marx-Allee", "Friedrichstraße"}, brands: []string{"CineStar", "Kino International", "UCI Kinowelt"},
		snacks: [][2]string{{"Popcorn", "Groß"}, {"Cola", "Mittel"}, {"Brezel", "Stück"}}, tax: 7},
	{name: "Tokyo", state: "Tokyo", country: "Japan", code: "TOK", lang: "Japanese", mail: "example.jp",
		zip:     func(g *generator) string { return "1" + g.digits(2) + "-" + g.digits(4) },
		phone:   func(g *generator) string { return "+81-3-" + g.digits(4) + "-" + g.digits(4) },
		first:   []string{"Haruki", "Yuki", "Sota", "Aoi", "Ren", "Hina", "Kaito", "Sakura"},
		last:    []string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Kobayashi"},
		streets: []string{"6-10-2 Roppongi, Minato City", "3-15-1 Shinjuku", "1-2-3 Shibuya"}, brands: []string{"TOHO Cinemas", "Shinjuku Piccadilly", "United Cinemas"},
		snacks: [][2]string{{"Popcorn", "Medium"}, {"Melon Soda", "Large"}, {"Matcha Ice Cream", "Cup"}, {"Green Tea", "Hot"}}, tax: 10},
	{name: "Seoul", state: "Seoul", country: "South Korea", code: "SEL", lang: "Korean", mail: "example.kr",
		zip:     func(g *generator) string { return "0" + g.digits(4) },
		phone:   func(g *generator) string { return "+82-10-" + g.digits(4) + "-" + g.digits(4) },
		first:   []string{"Min-jun", "Ji-eun", "Seo-yeon", "Do-hyun", "Ha-eun", "Ji-ho", "Seung-ho", "Yu-na"},
		last:    []string{"Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"},
		streets: []string{"Teheran-ro 427, Gangnam-gu", "Sejong-daero 110, Jung-gu", "Olympic-ro 300, Songpa-gu"}, brands: []string{"CGV", "Lotte Cinema", "Megabox"},
		snacks: [][2]string{{"Sweet Popcorn", "Large"}, {"Cola", "Medium"}, {"Squid Snack", "Regular"}}, tax: 10},
	{name: "Mexico City", state: "CDMX", country: "Mexico", code: "MEX", lang: "Spanish", mail: "example.mx",
		zip:     func(g *generator) string { return "0" + g.digits(4) },
		phone:   func(g *generator) string { return "+52 55 " + g.digits(4) + " " + g.digits(4) },
		first:   []string{"Santiago", "Valentina", "Mateo", "Camila", "Diego", "Ximena", "Emiliano", "Regina"},
		last:    []string{"Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez"},
		streets: []string{"Paseo de la Reforma 222", "Avenida Insurgentes Sur 1235", "Calle Madero 17"}, brands: []string{"Cinépolis", "Cinemex", "Cineteca"},
		snacks: [][2]string{{"Palomitas", "Grande"}, {"Nachos", "Regular"}, {"Refresco", "Mediano"}}, tax: 16},
	{name: "São Paulo", state: "SP", country: "Brazil", code: "SAO", lang: "Portuguese", mail: "example.com.br",
		zip:     func(g *generator) string { return "0" + g.digits(4) + "-" + g.digits(3) },
		phone:   func(g *generator) string { return "+55 11 9" + g.digits(4) + "-" + g.digits(4) },
		first:   []string{"Gabriel", "Júlia", "Pedro", "Ana", "Rafael", "Larissa", "Lucas", "Mariana"},
		last:    []string{"Souza", "Oliveira", "Lima", "Carvalho", "Almeida", "Ribeiro", "Gomes", "Barbosa"},
		streets: []string{"Avenida Paulista 2073", "Rua Augusta 1475", "Rua Oscar Freire 500"}, brands: []string{"Cinemark", "Reserva Cultural", "Kinoplex"},
		snacks: [][2]string{{"Pipoca", "Grande"}, {"Guaraná", "Médio"}, {"Chocolate", "Barra"}}, tax: 9},
}

type filmSeed struct {
	title  string
	lang   string
	genres []string
}

var titleFirst = []string{"The Silent", "Midnight", "The Last", "Crimson", "Broken", "The Hidden", "Golden", "Paper", "The Long", "Electric", "Wild", "The Quiet", "Northern", "Iron", "Glass", "The Distant", "Burning", "Velvet", "Hollow", "Falling"}
var titleSecond = []string{"Harbor", "Orchard", "Frontier", "Lanterns", "Tide", "Kingdom", "Summer", "Witness", "Garden", "Signal", "River", "Archive", "Season", "Compass", "Mountain", "Letters", "Station", "Horizon", "Mirror", "Crossing"}
var genreList = []string{"Action", "Adventure", "Comedy", "Drama", "Horror", "Thriller", "Romance", "Science Fiction", "Fantasy", "Mystery"}
var ratingList = []string{"G", "PG", "PG-13", "R", "NC-17", "NR"}
var roles = []string{"Detective", "The Mother", "Captain", "The Stranger", "Young Ana", "The Teacher", "Narrator", "The Brother", "Doctor", "The Pilot"}
var synopsisStart = []string{"A retired detective", "Two estranged sisters", "A young pilot", "A small-town teacher", "An exiled musician", "A family of farmers", "A rookie journalist", "An aging boxer"}
var synopsisEnd = []string{"uncovers a secret that could tear the town apart.", "must cross the country before the winter closes the roads.", "finds an unlikely ally in a stranger.", "races against time to save what is left of home.", "confronts the past during one long night.", "learns that every map hides another."}

// title returns a film title not used yet.
func (g *generator) title() string {
	for try := 0; ; try++ {
		t := pick(g.r, titleFirst) + " " + pick(g.r, titleSecond)
		switch {
		case try > 40:
			t = fmt.Sprintf("%s %s %d", pick(g.r, titleFirst), pick(g.r, titleSecond), try)
		case g.r.IntN(5) == 0:
			t = pick(g.r, titleSecond) + " of the " + strings.TrimPrefix(pick(g.r, titleFirst), "The ")
		}
		if !g.titles[t] {
			g.titles[t] = true
			return t
		}
	}
}

func (g *generator) person(c *city) string { return pick(g.r, c.first) + " " + pick(g.r, c.last) }

func (g *generator) films(n int) {
	for range n {
		c := pick(g.r, cityList)
		m := &Film{
			MovieID:        g.id(),
			Title:          g.title(),
			RuntimeMinutes: int64(80 + g.r.IntN(91)),
			MPAARating:     pick(g.r, ratingList),
			LanguagesAudio: []string{c.lang},
			Subtitles:      []string{"English"},
			Formats:        []string{"2D"},
			Crew:           Crew{Director: g.person(c), Writer: g.person(c), Producer: g.person(c), Music: g.person(c)},
			Synopsis:       pick(g.r, synopsisStart) + " " + pick(g.r, synopsisEnd),
		}
		if c.lang == "English" {
			m.Subtitles = []string{"Spanish"}
		} else if g.r.IntN(2) == 0 {
			m.Subtitles = append(m.Subtitles, c.lang)
		}
		for _, i := range g.r.Perm(len(genreList))[:1+g.r.IntN(3)] {
			m.Genres = append(m.Genres, genreList[i])
		}
		for _, f := range []string{"3D", "IMAX", "Dolby"} {
			if g.r.IntN(3) == 0 {
				m.Formats = append(m.Formats, f)
			}
		}
		month := 1 + g.r.IntN(5)
		m.ReleaseDate = fmt.Sprintf("24-%02d-%02d", month, 1+g.r.IntN(28))
		m.EndOfRunEst = fmt.Sprintf("24-%02d-%02d", month+3, 1+g.r.IntN(28))
		for range 2 + g.r.IntN(3) {
			m.Cast = append(m.Cast, CastMember{Name: g.person(c), Role: pick(g.r, roles)})
		}
		g.movies = append(g.movies, m)
	}
}

var amenityList = []string{"Reserved Seating", "Recliners", "Dolby Atmos", "IMAX", "Bar", "Wheelchair Access", "Parking", "Café"}
var audFeatures = []string{"Dolby Atmos", "Laser Projection", "Digital Projection", "4K Projection", "Recliner Seating", "Stadium Seating"}

func (g *generator) theaters(n int) {
	for i := range n {
		c := cityList[i%len(cityList)]
		if i >= len(cityList) {
			c = pick(g.r, cityList)
		}
		tid := g.id()
		brand := pick(g.r, c.brands)
		host := strings.ToLower(strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				return r
			}
			return -1
		}, brand))
		if host == "" {
			host = "cinema"
		}
		th := &Theater{
			TheaterID: tid,
			Name:      fmt.Sprintf("%s %s %d", brand, c.name, 1+g.r.IntN(20)),
			Address:   TheaterAddress{Street: pick(g.r, c.streets), City: c.name, State: c.state, Country: c.country, Zip: c.zip(g)},
			Contact: TheaterContact{
				Phone:   c.phone(g),
				Email:   "info@" + host + "-" + strings.ToLower(tid) + "." + strings.TrimPrefix(c.mail, "example."),
				Website: "https://www." + host + "." + strings.TrimPrefix(c.mail, "example.") + "/" + strings.ToLower(tid),
			},
		}
		for _, k := range g.r.Perm(len(amenityList))[:2+g.r.IntN(3)] {
			th.Amenities = append(th.Amenities, amenityList[k])
		}
		aud := g.auditorium(c, tid)
		th.Auditoriums.Set(aud.AuditoriumID, aud)
		adult := float64(8+g.r.IntN(10)) + pick(g.r, []float64{0, 0.5})
		th.PricingRules = TheaterPricingRules{
			Base:           PricingBase{Adult: adult, Child: adult - 3, Senior: adult - 2},
			TimeBased:      TimeBasedPricing{MatineeDiscount: pick(g.r, []float64{1.5, 2, 2.5}), PeakSurcharge: pick(g.r, []float64{1, 1.5, 2})},
			Fees:           TheaterFees{ConvenienceFee: pick(g.r, []float64{0.75, 1, 1.25, 1.5}), BookingFee: pick(g.r, []float64{0.5, 0.75, 1, 1.5})},
			TaxRatePercent: c.tax,
		}
		th.PricingRules.FormatSurcharges.Set("3D", 2.5)
		th.PricingRules.FormatSurcharges.Set("IMAX", 5)
		th.PricingRules.FormatSurcharges.Set("Dolby", 2)
		g.schedule(th, c, aud, i)
		g.theaterList = append(g.theaterList, th)
	}
}

func (g *generator) auditorium(c *city, tid string) *Auditorium {
	a := &Auditorium{
		AuditoriumID: fmt.Sprintf("AUD-%s-%s", c.code, tid[:3]),
		Name:         pick(g.r, []string{"Screen", "Hall", "Sala", "Theater"}) + fmt.Sprintf(" %d", 1+g.r.IntN(12)),
	}
	for _, k := range g.r.Perm(len(audFeatures))[:2] {
		a.Features = append(a.Features, audFeatures[k])
	}
	rows, perRow := 2+g.r.IntN(3), 3+g.r.IntN(6)
	numbered := g.r.IntN(3) == 0 // R1-01 style rather than A1
	seats := 0
	for r := range rows {
		rowID := string(rune('A' + r))
		if numbered {
			rowID = fmt.Sprintf("R%d", r+1)
		}
		var row []Seat
		for s := range perRow {
			id := fmt.Sprintf("%s%d", rowID, s+1)
			if numbered {
				id = fmt.Sprintf("%s-%02d", rowID, s+1)
			}
			seat := Seat{SeatID: id, Type: "standard"}
			if r == rows-1 && g.r.IntN(2) == 0 {
				seat.Type = "recliner"
			}
			if r == 0 && (s == 0 || s == perRow-1) && g.r.IntN(2) == 0 {
				seat.WheelchairAccessible = true
			}
			row = append(row, seat)
			seats++
		}
		a.SeatMap.Rows.Set(rowID, row)
	}
	a.Capacity = int64(seats)
	if g.r.IntN(8) == 0 {
		a.Capacity += int64(2 * (1 + g.r.IntN(3))) // as announced: standing places, removed rows…
	}
	return a
}

// schedule adds one or two dates of shows. The first theaters get a canceled and a
// completed show, so that every seed has them.
func (g *generator) schedule(th *Theater, c *city, aud *Auditorium, i int) {
	nDates := 1 + g.r.IntN(2)
	day0 := 16 + g.r.IntN(40) // days after May 1st
	n := 0
	for d := range nDates {
		day := day0 + d*(1+g.r.IntN(6))
		status := "scheduled"
		switch {
		case i == 1 && d == 0, g.r.IntN(20) == 0:
			status = "canceled"
		case i == 2 && d == 0, g.r.IntN(25) == 0:
			status = "completed"
			day = 10 + g.r.IntN(5) // before now
		}
		date := dateText(day)
		sched := &DaySchedule{}
		for range 1 + g.r.IntN(3) {
			n++
			m := pick(g.r, g.movies)
			start := 11*60 + g.r.IntN(22)*30
			if len(sched.Shows) > 0 {
				start = max(start, clock(sched.Shows[len(sched.Shows)-1].EndTimeLocal)+30)
			}
			if start+int(m.RuntimeMinutes) >= 24*60 {
				break
			}
			format := pick(g.r, m.Formats)
			surcharge, _ := th.PricingRules.FormatSurcharges.Get(format)
			base := th.PricingRules.Base
			s := Show{
				ShowID:         fmt.Sprintf("S-%s-%02d", th.TheaterID, n),
				MovieID:        m.MovieID,
				AuditoriumID:   aud.AuditoriumID,
				StartTimeLocal: date + "-" + hhmm(start),
				EndTimeLocal:   date + "-" + hhmm(start+int(m.RuntimeMinutes)+15),
				Format:         format,
				Language:       m.LanguagesAudio[0],
				Subtitles:      m.Subtitles[0],
				Status:         status,
				PriceSchema: PriceSchema{
					Adult: base.Adult + surcharge, Child: base.Child + surcharge, Senior: base.Senior + surcharge,
					Fees: PriceFees{ConvenienceFee: th.PricingRules.Fees.ConvenienceFee},
				},
			}
			sched.Shows = append(sched.Shows, s)
		}
		if len(sched.Shows) == 0 {
			continue
		}
		th.Dates.Set(date, sched)
		for k := range sched.Shows {
			g.shows = append(g.shows, &showRef{th: th, city: c, date: date, show: &sched.Shows[k], taken: map[string]bool{}})
		}
	}
}

// dateText returns 2024-05-01 plus days as YY-MM-DD.
func dateText(days int) string {
	month, day := 5, days
	for _, n := range []int{31, 30, 31, 31} { // May to August
		if day <= n {
			break
		}
		day -= n
		month++
	}
	return fmt.Sprintf("24-%02d-%02d", month, day)
}

func hhmm(minutes int) string { return fmt.Sprintf("%02d-%02d", minutes/60, minutes%60) }

// clock reads the minutes of day of a YY-MM-DD-HH-MM time.
func clock(t string) int {
	var y, mo, d, h, mi int
	fmt.Sscanf(t, "%d-%d-%d-%d-%d", &y, &mo, &d, &h, &mi)
	return h*60 + mi
}

var ticketMix = []string{"adult", "adult", "adult", "child", "senior"}
var promos = []PromotionApplied{
	{Code: "MATINEE2", Description: "Matinee discount", DiscountAmount: 2},
	{Code: "WELCOME5", Description: "First booking discount", DiscountAmount: 5},
	{Code: "LOYALTY3", Description: "Loyalty member reward", DiscountAmount: 3},
}
var requests = []string{"Aisle seats preferred", "Wheelchair accessible seating", "Seats together please", "Birthday celebration", "Near the exit"}

// Roles of the first bookings, so that every write tool has a record to succeed on and one
// where each of its checks fails, whatever the seed.
const (
	roleNone           = iota
	roleConfirmed      // confirmed, on a scheduled show with free seats
	rolePending        // pending: cannot be updated
	roleCanceled       // canceled: cancel returns it unchanged
	roleOnCanceledShow // confirmed on a show the theater canceled: not bookable
	roleOnCompleted    // confirmed on a completed show
	roleRefunded       // refunded
)

func (g *generator) bookings(n int) {
	for i := range n {
		role := roleNone
		if i < roleRefunded {
			role = i + 1
		}
		ref := g.showFor(role)
		if ref == nil {
			continue
		}
		g.bookList = append(g.bookList, g.booking(ref, role))
	}
}

// showFor picks a show for a booking: one with free seats and fewer than three bookings.
func (g *generator) showFor(role int) *showRef {
	want := "scheduled"
	switch role {
	case roleOnCanceledShow:
		want = "canceled"
	case roleOnCompleted:
		want = "completed"
	}
	start := g.r.IntN(len(g.shows))
	for k := range g.shows {
		ref := g.shows[(start+k)%len(g.shows)]
		if role != roleNone && ref.show.Status != want {
			continue
		}
		if role == roleNone && ref.show.Status != "scheduled" && g.r.IntN(4) > 0 {
			continue
		}
		aud, _ := ref.th.Auditoriums.Get(ref.show.AuditoriumID)
		if ref.count < 2 && len(ref.taken)+4 < seatIDs(aud).len() {
			return ref
		}
	}
	return nil
}

func (g *generator) booking(ref *showRef, role int) *Booking {
	th, s := ref.th, ref.show
	c := ref.city
	aud, _ := th.Auditoriums.Get(s.AuditoriumID)
	first, last := pick(g.r, c.first), pick(g.r, c.last)
	b := &Booking{
		BookingID:      g.id(),
		TheaterID:      th.TheaterID,
		MovieID:        s.MovieID,
		ShowID:         s.ShowID,
		Date:           ref.date,
		StartTimeLocal: s.StartTimeLocal,
		Status:         "confirmed",
		CreatedAt:      fmt.Sprintf("24-05-%02d-%s", 1+g.r.IntN(9), hhmm(8*60+g.r.IntN(26)*30+g.r.IntN(30))),
		Customer: Customer{
			Name:  CustomerName{FirstName: first, LastName: last},
			Email: strings.ToLower(asciiName(first)+"."+asciiName(last)) + "@" + c.mail,
			Phone: c.phone(g),
		},
		PromotionsApplied: []PromotionApplied{},
		PaymentHistory:    []BookingPayment{},
	}
	switch {
	case role == rolePending:
		b.Status = "pending"
	case role == roleCanceled:
		b.Status = "canceled"
	case role == roleRefunded:
		b.Status = "refunded"
	case role == roleNone:
		switch x := g.r.IntN(20); {
		case x == 0:
			b.Status = "pending"
		case x == 1:
			b.Status = "canceled"
		case x == 2:
			b.Status = "refunded"
		}
	}
	if g.r.IntN(5) > 0 {
		loyalty := "L-" + b.BookingID
		b.Customer.LoyaltyID = &loyalty
	}
	if g.r.IntN(3) == 0 {
		req := pick(g.r, requests)
		b.SpecialRequests = &req
	}
	// Seats: free ones, next to each other when possible.
	var free []string
	for row := range aud.SeatMap.Rows.Values() {
		for _, seat := range row {
			if !ref.taken[seat.SeatID] && !seat.WheelchairAccessible {
				free = append(free, seat.SeatID)
			}
		}
	}
	k := 1 + g.r.IntN(min(4, len(free)-1))
	at := g.r.IntN(len(free) - k + 1)
	rate := th.PricingRules.TaxRatePercent / 100
	fee := s.PriceSchema.Fees.ConvenienceFee
	for _, id := range free[at : at+k] {
		tt := pick(g.r, ticketMix)
		p := map[string]float64{"adult": s.PriceSchema.Adult, "child": s.PriceSchema.Child, "senior": s.PriceSchema.Senior}[tt]
		b.Seats = append(b.Seats, BookedSeat{SeatID: id, TicketType: tt, Price: py.Round(p, 2), ConvenienceFee: py.Round(fee, 2), Tax: py.Round((p+fee)*rate, 2)})
		if b.Status == "confirmed" {
			ref.taken[id] = true
		}
	}
	ref.count++
	// Concessions from the city's menu.
	b.Concessions = []ConcessionItem{}
	for _, si := range g.r.Perm(len(c.snacks))[:g.r.IntN(3)] {
		snack := c.snacks[si]
		q := int64(1 + g.r.IntN(3))
		pe := float64(2+g.r.IntN(6)) + pick(g.r, []float64{0, 0.5})
		te := pe * rate
		b.Concessions = append(b.Concessions, ConcessionItem{
			ItemID: itemID(snack[0]),
			Name:   snack[0], Size: snack[1], Quantity: q,
			PriceEach: py.Round(pe, 2), TaxEach: py.Round(te, 2), Total: py.Round(float64(q)*(pe+te), 2),
		})
	}
	sub, tax := concessionTotals(b.Concessions)
	q := price(b.Seats, sub, tax, th)
	grand := q.grand
	if g.r.IntN(6) == 0 && role == roleNone {
		promo := pick(g.r, promos)
		b.PromotionsApplied = append(b.PromotionsApplied, promo)
		grand = py.Round(grand-promo.DiscountAmount, 2)
	}
	b.Totals = BookingTotals{TicketsSubtotal: q.tickets, ConcessionsSubtotal: q.concession, FeesTotal: q.fees, TaxTotal: q.tax, GrandTotal: grand, AmountDue: grand}
	method := BookingPaymentMethod{Source: pick(g.r, []string{"card", "card", "card", "wallet", "cash", "gift_card"}), PaymentMethodID: "PM-" + g.id()}
	switch method.Source {
	case "card":
		brand, four := pick(g.r, []string{"Visa", "Mastercard", "American Express"}), g.digits(4)
		method.ExtraInfo = &PaymentExtraInfo{Brand: &brand, LastFour: &four}
	case "wallet":
		brand := pick(g.r, []string{"Apple Pay", "Google Pay", "PayPal"})
		method.ExtraInfo = &PaymentExtraInfo{Brand: &brand}
	}
	if b.Status != "pending" {
		b.PaymentHistory = append(b.PaymentHistory, BookingPayment{PaymentID: "PAY-" + b.BookingID, Amount: grand, Method: method, CreatedAt: b.CreatedAt})
		b.Totals.AmountPaid, b.Totals.AmountDue = grand, 0
	}
	if b.Status == "canceled" || b.Status == "refunded" {
		canceled := fmt.Sprintf("24-05-%02d-%s", 14, hhmm(9*60+g.r.IntN(16)*30))
		b.CanceledAt = &canceled
		b.PaymentHistory = append(b.PaymentHistory, BookingPayment{PaymentID: b.BookingID + "-refund", Amount: -grand, Method: method, CreatedAt: canceled})
		b.Totals.AmountPaid = 0
		b.Totals.AmountDue = grand
		if b.Status == "refunded" {
			b.Totals.AmountDue = 0
		}
	}
	b.Delivery = Delivery{Method: pick(g.r, []string{"e-ticket", "e-ticket", "kiosk", "box-office"}), Tickets: []TicketDeliveryItem{}}
	if b.Status == "confirmed" {
		for t := range b.Seats {
			tid := fmt.Sprintf("%s-T%d", b.BookingID, t+1)
			b.Delivery.Tickets = append(b.Delivery.Tickets, TicketDeliveryItem{TicketID: tid, Barcode: g.digits(12)})
		}
	}
	return b
}

// itemID derives a concession's id from its name: "Melon Soda" → "CN-MELONSOD".
func itemID(name string) string {
	id := []rune(strings.ToUpper(asciiName(strings.ReplaceAll(name, " ", ""))))
	return "CN-" + string(id[:min(len(id), 8)])
}

// asciiName drops accents for email addresses and item ids.
func asciiName(s string) string {
	r := strings.NewReplacer("á", "a", "à", "a", "ã", "a", "â", "a", "é", "e", "ê", "e", "è", "e", "í", "i", "ó", "o", "ô", "o", "õ", "o", "ú", "u", "ü", "u", "ç", "c", "ñ", "n", "ö", "o", "ä", "a", "ß", "ss", "Á", "A", "É", "E", "Í", "I", "Ó", "O", "Ú", "U", "Ü", "U", "Ä", "A", "Ö", "O", "-", "", "'", "")
	return r.Replace(s)
}

// build stores the records in a shuffled order and freezes the database.
func (g *generator) build() (domains.DB, error) {
	db := &DB{Movies: &domains.Table[Film]{}, Theaters: &domains.Table[Theater]{}, Bookings: &domains.Table[Booking]{}}
	for _, i := range g.r.Perm(len(g.movies)) {
		db.Movies.Put(g.movies[i].MovieID, g.movies[i])
	}
	for _, i := range g.r.Perm(len(g.theaterList)) {
		db.Theaters.Put(g.theaterList[i].TheaterID, g.theaterList[i])
	}
	for _, i := range g.r.Perm(len(g.bookList)) {
		db.Bookings.Put(g.bookList[i].BookingID, g.bookList[i])
	}
	if err := domains.Freeze(db); err != nil {
		return nil, err
	}
	return db, nil
}
