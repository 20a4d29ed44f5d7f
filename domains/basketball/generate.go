package basketball

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/domains"
)

// A team is a franchise of the generator's catalogue.
type team struct {
	name, league, city, arena       string
	street, acity, state, zip, land string
}

var teams = []team{
	{"Atlanta Hawks", "NBA", "Atlanta", "State Farm Arena", "1 State Farm Dr", "Atlanta", "GA", "30303", "USA"},
	{"Boston Celtics", "NBA", "Boston", "TD Garden", "100 Legends Way", "Boston", "MA", "02114", "USA"},
	{"Brooklyn Nets", "NBA", "Brooklyn", "Barclays Center", "620 Atlantic Ave", "Brooklyn", "NY", "11217", "USA"},
	{"Charlotte Hornets", "NBA", "Charlotte", "Spectrum Center", "333 E Trade St", "Charlotte", "NC", "28202", "USA"},
	{"Chicago Bulls", "NBA", "Chicago", "United Center", "1901 W Madison St", "Chicago", "IL", "60612", "USA"},
	{"Cleveland Cavaliers", "NBA", "Cleveland", "Rocket Mortgage FieldHouse", "1 Center Court", "Cleveland", "OH", "44115", "USA"},
	{"Dallas Mavericks", "NBA", "Dallas", "American Airlines Center", "2500 Victory Ave", "Dallas", "TX", "75219", "USA"},
	{"Denver Nuggets", "NBA", "Denver", "Ball Arena", "1000 Chopper Cir", "Denver", "CO", "80204", "USA"},
	{"Detroit Pistons", "NBA", "Detroit", "Little Caesars Arena", "2645 Woodward Ave", "Detroit", "MI", "48201", "USA"},
	{"Golden State Warriors", "NBA", "San Francisco", "Chase Center", "1 Warriors Way", "San Francisco", "CA", "94158", "USA"},
	{"Houston Rockets", "NBA", "Houston", "Toyota Center", "1510 Polk St", "Houston", "TX", "77002", "USA"},
	{"Indiana Pacers", "NBA", "Indianapolis", "Gainbridge Fieldhouse", "125 S Pennsylvania St", "Indianapolis", "IN", "46204", "USA"},
	{"Los Angeles Clippers", "NBA", "Los Angeles", "Intuit Dome", "3900 W 102nd St", "Inglewood", "CA", "90303", "USA"},
	{"Los Angeles Lakers", "NBA", "Los Angeles", "Crypto.com Arena", "1111 S Figueroa St", "Los Angeles", "CA", "90015", "USA"},
	{"Memphis Grizzlies", "NBA", "Memphis", "FedExForum", "191 Beale St", "Memphis", "TN", "38103", "USA"},
	{"Miami Heat", "NBA", "Miami", "Kaseya Center", "601 Biscayne Blvd", "Miami", "FL", "33132", "USA"},
	{"Milwaukee Bucks", "NBA", "Milwaukee", "Fiserv Forum", "1111 Vel R Phillips Ave", "Milwaukee", "WI", "53203", "USA"},
	{"Minnesota Timberwolves", "NBA", "Minneapolis", "Target Center", "600 N 1st Ave", "Minneapolis", "MN", "55403", "USA"},
	{"New Orleans Pelicans", "NBA", "New Orleans", "Smoothie King Center", "1501 Dave Dixon Dr", "New Orleans", "LA", "70113", "USA"},
	{"New York Knicks", "NBA", "New York", "Madison Square Garden", "4 Pennsylvania Plaza", "New York", "NY", "10001", "USA"},
	{"Oklahoma City Thunder", "NBA", "Oklahoma City", "Paycom Center", "100 W Reno Ave", "Oklahoma City", "OK", "73102", "USA"},
	{"Orlando Magic", "NBA", "Orlando", "Kia Center", "400 W Church St", "Orlando", "FL", "32801", "USA"},
	{"Philadelphia 76ers", "NBA", "Philadelphia", "Wells Fargo Center", "3601 S Broad St", "Philadelphia", "PA", "19148", "USA"},
	{"Phoenix Suns", "NBA", "Phoenix", "Footprint Center", "201 E Jefferson St", "Phoenix", "AZ", "85004", "USA"},
	{"Portland Trail Blazers", "NBA", "Portland", "Moda Center", "1 N Center Ct St", "Portland", "OR", "97227", "USA"},
	{"Sacramento Kings", "NBA", "Sacramento", "Golden 1 Center", "500 David J Stern Walk", "Sacramento", "CA", "95814", "USA"},
	{"San Antonio Spurs", "NBA", "San Antonio", "Frost Bank Center", "1 AT&T Center Pkwy", "San Antonio", "TX", "78219", "USA"},
	{"Toronto Raptors", "NBA", "Toronto", "Scotiabank Arena", "40 Bay St", "Toronto", "ON", "M5J 2X2", "Canada"},
	{"Utah Jazz", "NBA", "Salt Lake City", "Delta Center", "301 S Temple", "Salt Lake City", "UT", "84101", "USA"},
	{"Washington Wizards", "NBA", "Washington", "Capital One Arena", "601 F St NW", "Washington", "DC", "20004", "USA"},
	{"Atlanta Dream", "WNBA", "Atlanta", "Gateway Center Arena", "2330 Convention Center Concourse", "College Park", "GA", "30337", "USA"},
	{"Chicago Sky", "WNBA", "Chicago", "Wintrust Arena", "200 E Cermak Rd", "Chicago", "IL", "60616", "USA"},
	{"Connecticut Sun", "WNBA", "Uncasville", "Mohegan Sun Arena", "1 Mohegan Sun Blvd", "Uncasville", "CT", "06382", "USA"},
	{"Dallas Wings", "WNBA", "Arlington", "College Park Center", "600 S Center St", "Arlington", "TX", "76019", "USA"},
	{"Golden State Valkyries", "WNBA", "San Francisco", "Chase Center", "1 Warriors Way", "San Francisco", "CA", "94158", "USA"},
	{"Indiana Fever", "WNBA", "Indianapolis", "Gainbridge Fieldhouse", "125 S Pennsylvania St", "Indianapolis", "IN", "46204", "USA"},
	{"Las Vegas Aces", "WNBA", "Las Vegas", "Michelob Ultra Arena", "3940 S Las Vegas Blvd", "Las Vegas", "NV", "89119", "USA"},
	{"Los Angeles Sparks", "WNBA", "Los Angeles", "Crypto.com Arena", "1111 S Figueroa St", "Los Angeles", "CA", "90015", "USA"},
	{"Minnesota Lynx", "WNBA", "Minneapolis", "Target Center", "600 N 1st Ave", "Minneapolis", "MN", "55403", "USA"},
	{"New York Liberty", "WNBA", "Brooklyn", "Barclays Center", "620 Atlantic Ave", "Brooklyn", "NY", "11217", "USA"},
	{"Phoenix Mercury", "WNBA", "Phoenix", "Footprint Center", "201 E Jefferson St", "Phoenix", "AZ", "85004", "USA"},
	{"Seattle Storm", "WNBA", "Seattle", "Climate Pledge Arena", "334 1st Ave N", "Seattle", "WA", "98109", "USA"},
	{"Washington Mystics", "WNBA", "Washington", "CareFirst Arena", "1100 Oak Dr SE", "Washington", "DC", "20032", "USA"},
}

var (
	// First names by league.
	firstNames = map[string][]string{
		"NBA": {"Jalen", "Tyrese", "Anthony", "Devin", "Jaylen", "Donovan", "Darius", "Evan", "Trae", "De'Aaron",
			"Luka", "Nikola", "Shai", "Victor", "Paolo", "Franz", "Cade", "Scottie", "Zion", "Jamal", "Brandon", "Marcus",
			"Kevin", "Stephen", "Klay", "Andre", "Chris", "Kyle", "Mikal", "Josh", "Jordan", "Tyler", "Malik", "Derrick",
			"Jonas", "Domantas", "Alperen", "Bogdan", "Dennis", "Goran"},
		"WNBA": {"A'ja", "Breanna", "Sabrina", "Caitlin", "Aliyah", "Napheesa", "Arike", "Jewell", "Kelsey", "Alyssa",
			"Satou", "Chelsea", "Kahleah", "Rhyne", "Angel", "Brittney", "Jackie", "Nneka", "Skylar", "Courtney",
			"Dearica", "Natasha", "Kayla", "Marina"},
	}
	lastNames = []string{"Brown", "Williams", "Johnson", "Davis", "Green", "Smith", "Jones", "Thompson", "Mitchell", "Garland",
		"Mobley", "Young", "Fox", "Doncic", "Jokic", "Gilgeous-Alexander", "Wembanyama", "Banchero", "Wagner", "Cunningham",
		"Barnes", "Williamson", "Murray", "Ingram", "Smart", "Durant", "Curry", "Lewis", "Paul", "Lowry", "Bridges",
		"Hart", "Poole", "Herro", "Monk", "White", "Wilson", "Stewart", "Ionescu", "Clark", "Boston", "Collier",
		"Ogunbowale", "Loyd", "Plum", "Thomas", "Diallo", "Gray", "Copper", "Howard", "Reese", "Griner", "Valančiūnas",
		"Sabonis", "Şengün", "Bogdanović", "Schröder", "Dragić", "Nwora", "O'Neale"}
	streets   = []string{"Maple Ave", "Oak St", "Lakeshore Dr", "Prospect Ave", "Mission St", "Hillside Rd", "Park Pl", "Elm St", "Sunset Blvd", "River Rd", "Cedar Ln", "Highland Ave"}
	positions = []string{"G", "F", "C", "G/F", "F/C", "C/F"}
)

// Generate builds a basketball database from r: about 240×scale clubs, 300×scale players
// and 300×scale games. Clubs come from a catalogue of NBA and WNBA franchises, so several
// clubs share a name (the last one wins in the name lists). Every reference is consistent:
// rostered players exist and hold a contract with the club, box scores list rostered
// players, and every club and player lists exactly the games it took part in. Games take
// every status; at least one is scheduled, postponed, in progress and final. Some roster
// entries are inactive, some players are free agents with no games, a few players share a
// name or an email, and a few games belong to the previous season.
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("basketball: generate: scale %d, want at least 1", scale)
	}
	g := &generator{r: r, used: map[string]bool{}}
	db := &DB{Clubs: &domains.Table[Club]{}, Players: &domains.Table[Player]{}, Games: &domains.Table[Game]{}}
	clubs := g.clubs(240 * scale)
	players := g.players(300*scale, clubs)
	games := g.games(300*scale, clubs, players)
	for _, c := range clubs {
		db.Clubs.Put(c.ClubID, c)
	}
	for _, p := range players {
		db.Players.Put(p.PlayerID, p)
	}
	for _, gm := range games {
		db.Games.Put(gm.GameID, gm)
	}
	if err := domains.Freeze(db); err != nil {
		return nil, fmt.Errorf("basketball: generate: %w", err)
	}
	return db, nil
}

type generator struct {
	r    *rand.Rand
	used map[string]bool
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// id returns a new 7-character id like the reference's (LP6PEUN).
func (g *generator) id() string {
	for {
		var b [7]byte
		for i := range b {
			b[i] = alnum[g.r.IntN(len(alnum))]
		}
		if s := string(b[:]); !g.used[s] {
			g.used[s] = true
			return s
		}
	}
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func addr(t *team) Address {
	return Address{Street: t.street, City: t.acity, Country: t.land, State: t.state, Zip: t.zip}
}

// clubs makes n clubs; the first ones cover the catalogue, later ones repeat franchises
// under new ids. About half the clubs get a roster.
func (g *generator) clubs(n int) []*Club {
	out := make([]*Club, 0, n)
	for i := 0; i < n; i++ {
		t := &teams[i%len(teams)]
		if i >= len(teams) {
			t = &teams[g.r.IntN(len(teams))]
		}
		out = append(out, &Club{
			Name:   t.name,
			ClubID: g.id(),
			League: t.league,
			City:   t.city,
			Arena:  ClubArena{Name: t.arena, Address: addr(t)},
			Games:  []string{},
		})
	}
	return out
}

func teamOf(c *Club) *team {
	for i := range teams {
		if teams[i].name == c.Name {
			return &teams[i]
		}
	}
	return &teams[0]
}

// slug turns a club name into an email domain label.
func slug(s string) string {
	s = strings.ToLower(s)
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		s = s[i+1:]
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// ascii folds a name into an email local part.
func ascii(s string) string {
	s = strings.NewReplacer("č", "c", "ū", "u", "ş", "s", "ü", "u", "ö", "o", "ć", "c", "'", "", " ", "").Replace(strings.ToLower(s))
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r == '-' {
			return r
		}
		return -1
	}, s)
}

// players makes n players. Most join the roster of one of the first half of the clubs
// with a matching contract; about one in twenty is a free agent.
func (g *generator) players(n int, clubs []*Club) []*Player {
	rostered := max(1, len(clubs)/2)
	out := make([]*Player, 0, n)
	for i := 0; i < n; i++ {
		club := clubs[g.r.IntN(rostered)]
		t := teamOf(club)
		first, last := g.pick(firstNames[club.League]), g.pick(lastNames)
		if earlier := out[i/2:]; i%25 == 7 { // a namesake of an earlier player of the league
			for _, q := range earlier {
				if slices.Contains(firstNames[club.League], q.Name.FirstName) {
					first, last = q.Name.FirstName, q.Name.LastName
					break
				}
			}
		}
		p := &Player{
			PlayerID: g.id(),
			Name:     PlayerName{FirstName: first, LastName: last},
			Address: Address{
				Street:  fmt.Sprintf("%d %s", 10+g.r.IntN(9990), g.pick(streets)),
				City:    t.acity,
				Country: t.land,
				State:   t.state,
				Zip:     t.zip,
			},
			Email: fmt.Sprintf("%s.%s@%s.example.com", ascii(first), ascii(last), slug(club.Name)),
			Games: []string{},
		}
		if i > 0 && i%20 == 13 { // shares an email (an agent's) with an earlier player
			p.Email = out[i-1].Email
		}
		free := i%20 == 4
		// Past contracts with other clubs, then the current one.
		for k := g.r.IntN(2); k > 0; k-- {
			past := clubs[g.r.IntN(len(clubs))]
			start := 2016 + g.r.IntN(5)
			g.contract(p, past, []string{"draft", "trade", "free agency"}[g.r.IntN(3)], start, 1+g.r.IntN(3))
		}
		if !free {
			start := 2021 + g.r.IntN(4)
			years := 1 + g.r.IntN(5)
			c := g.contract(p, club, []string{"draft", "trade", "free agency"}[g.r.IntN(3)], start, years)
			var number any = int64(g.r.IntN(100))
			if g.chance(0.04) {
				number = []string{"0", "00", "7", "23"}[g.r.IntN(4)] // stored as text, as some reference rows are
			}
			club.Roster.Set(p.PlayerID, &RosterEntry{
				PlayerID: p.PlayerID,
				Profile: PlayerProfile{
					Position: g.pick(positions),
					Number:   number,
					HeightCm: float64(1750+g.r.IntN(500)) / 10,
					WeightKg: float64(750+g.r.IntN(550)) / 10,
				},
				Active: !g.chance(0.08),
				Salary: c.ExtraInfo.Salary,
			})
		}
		out = append(out, p)
	}
	return out
}

func (g *generator) contract(p *Player, c *Club, source string, start, years int) *PlayerContract {
	k := &PlayerContract{
		Source:     source,
		ContractID: g.id(),
		ClubID:     c.ClubID,
		StartDate:  fmt.Sprintf("%d-07-01", start),
		EndDate:    fmt.Sprintf("%d-06-30", start+years),
		ExtraInfo: PlayerContractExtraInfo{
			Salary: float64(1_100_000 + 50_000*g.r.IntN(1000)),
			Years:  int64(years),
		},
	}
	p.Contracts.Set(k.ContractID, k)
	return k
}

// season returns a season name and a game date in it: NBA seasons run from late October
// to mid April ("2024-25"), WNBA seasons from mid May to mid September ("2025").
func (g *generator) season(league string, previous bool) (string, string) {
	year := 2024
	if league == "WNBA" {
		year = 2025
	}
	if previous {
		year--
	}
	name := fmt.Sprintf("%d-%02d", year, (year+1)%100)
	month, day, months := 10, 22+g.r.IntN(170), []int{31, 30, 31, 31, 28, 31, 30}
	if league == "WNBA" {
		name = fmt.Sprint(year)
		month, day, months = 5, 16+g.r.IntN(115), []int{31, 30, 31, 31, 30}
	}
	for _, n := range months {
		if day <= n {
			break
		}
		day -= n
		month++
	}
	if month > 12 {
		month -= 12
		year++
	}
	date := fmt.Sprintf("%d-%02d-%02d", year, month, day)
	if g.chance(0.03) {
		offset := "-04:00" // daylight saving time
		if month >= 11 || month <= 3 {
			offset = "-05:00"
		}
		date += fmt.Sprintf("T%02d:%02d:00%s", 19+g.r.IntN(3), 30*g.r.IntN(2), offset)
	}
	return name, date
}

func (g *generator) games(n int, clubs []*Club, players []*Player) []*Game {
	// Clubs with at least one active player can field a box score.
	var active []*Club
	for _, c := range clubs {
		for e := range c.Roster.Values() {
			if e.Active {
				active = append(active, c)
				break
			}
		}
	}
	byID := make(map[string]*Player, len(players))
	for _, p := range players {
		byID[p.PlayerID] = p
	}
	// Every status appears among the first games, whatever the draw.
	first := []string{"scheduled", "in_progress", "final", "postponed"}
	g.r.Shuffle(len(first), func(i, j int) { first[i], first[j] = first[j], first[i] })
	out := make([]*Game, 0, n)
	for i := 0; i < n; i++ {
		status := "final"
		switch x := g.r.IntN(100); {
		case i < len(first):
			status = first[i]
		case x < 7:
			status = "scheduled"
		case x < 12:
			status = "in_progress"
		case x < 13:
			status = "postponed"
		}
		home := active[g.r.IntN(len(active))]
		away := active[g.r.IntN(len(active))]
		for try := 0; (away.Name == home.Name || away.League != home.League) && try < 1000; try++ {
			away = active[g.r.IntN(len(active))]
		}
		previous := status == "final" && g.chance(0.08)
		season, date := g.season(home.League, previous)
		gm := &Game{
			GameID: g.id(),
			Season: season,
			Date:   date,
			Status: status,
			Venue:  home.Arena.Address,
			Clubs: GameClubs{
				Home: GameClubEntry{Name: home.Name, ClubID: home.ClubID, Score: int64(0)},
				Away: GameClubEntry{Name: away.Name, ClubID: away.ClubID, Score: int64(0)},
			},
			BoxScore:       []BoxScoreEntry{},
			Periods:        []GamePeriod{},
			ScoringHistory: []GameScoringEvent{},
		}
		home.Games = append(home.Games, gm.GameID)
		away.Games = append(away.Games, gm.GameID)
		if status == "final" || status == "in_progress" {
			g.play(gm, home, away, byID)
		}
		out = append(out, gm)
	}
	return out
}

// play fills the box score, periods and highlights of a game under way or over, and the
// scores. A final score has no tie.
func (g *generator) play(gm *Game, home, away *Club, players map[string]*Player) {
	periods := 4
	if gm.Status == "in_progress" {
		periods = 1 + g.r.IntN(4)
	}
	var onCourt []string
	for side, c := range []*Club{home, away} {
		var ids []string
		for id, e := range c.Roster.All() {
			if e.Active {
				ids = append(ids, id)
			}
		}
		g.r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		ids = ids[:min(len(ids), 1+g.r.IntN(3))]
		listed := int64(0)
		for _, id := range ids {
			p := players[id]
			pts := int64(g.r.IntN(7*periods) + periods)
			listed += pts
			gm.BoxScore = append(gm.BoxScore, BoxScoreEntry{
				Name:     p.Name.FirstName + " " + p.Name.LastName,
				ClubID:   c.ClubID,
				PlayerID: id,
				Points:   pts,
				Options: BoxScoreOptions{
					Rebounds: int64(g.r.IntN(14)),
					Assists:  int64(g.r.IntN(11)),
					Minutes:  fmt.Sprintf("%02d:%02d", 6*periods+g.r.IntN(4*periods), g.r.IntN(60)),
				},
			})
			p.Games = append(p.Games, gm.GameID)
			onCourt = append(onCourt, id)
			// A few highlights of the player's scoring.
			for k := 1 + g.r.IntN(3); k > 0; k-- {
				kind := []string{"2PT", "2PT", "3PT", "FT"}[g.r.IntN(4)]
				gm.ScoringHistory = append(gm.ScoringHistory, GameScoringEvent{
					EventType: kind, Points: eventPoints[kind], ClubID: c.ClubID, PlayerID: id,
					Timestamp: fmt.Sprintf("Q%d %02d:%02d", 1+g.r.IntN(periods), g.r.IntN(12), g.r.IntN(60)),
				})
			}
		}
		// The team score counts the bench too.
		score := max(listed, int64(periods*22+g.r.IntN(periods*11)))
		if side == 0 {
			gm.Clubs.Home.Score = score
		} else {
			gm.Clubs.Away.Score = score
		}
	}
	if gm.Status == "final" && gm.Clubs.Home.Score == gm.Clubs.Away.Score {
		gm.Clubs.Home.Score = gm.Clubs.Home.Score.(int64) + int64(1+g.r.IntN(5)) // no ties
	}
	slices.SortStableFunc(gm.ScoringHistory, func(a, b GameScoringEvent) int {
		// Quarter ascending, game clock descending.
		if c := strings.Compare(a.Timestamp[:2], b.Timestamp[:2]); c != 0 {
			return c
		}
		return strings.Compare(b.Timestamp[3:], a.Timestamp[3:])
	})
	for q := 1; q <= periods; q++ {
		gp := GamePeriod{PeriodNumber: int64(q), EventIDs: []string{}, PlayerIDs: slices.Clone(onCourt)}
		for n, ev := range gm.ScoringHistory {
			if ev.Timestamp[:2] == fmt.Sprintf("Q%d", q) {
				gp.EventIDs = append(gp.EventIDs, fmt.Sprintf("%s-E%d", gm.GameID, n+1))
			}
		}
		gm.Periods = append(gm.Periods, gp)
	}
}
