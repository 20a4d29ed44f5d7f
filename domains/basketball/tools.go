package basketball

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

// Domain is the basketball domain.
var Domain = &domains.Domain{
	Name:     "basketball",
	Toolkit:  "BasketballTools",
	NewDB:    func() domains.DB { return &DB{} },
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "calculate", Kind: domains.Generic, Params: calculateParams{}, Fn: calculate,
			Description: "Calculate the result of an arithmetic expression of numbers, + - * /, parentheses and spaces; the result is rounded to 2 decimals."},
		{Name: "transfer_to_human_agents", Kind: domains.Generic, Params: summaryParams{}, Fn: transferToHumanAgents,
			Description: "Transfer the user to a human agent, with a summary of the issue. Only when the user asks for one or the request cannot be handled with the tools."},
		{Name: "get_club_details", Kind: domains.Read, Params: clubParams{}, Fn: getClubDetails,
			Description: "Get a club by id: name, league, city, arena, roster and game ids."},
		{Name: "get_player_details", Kind: domains.Read, Params: playerParams{}, Fn: getPlayerDetails,
			Description: "Get a player by id: name, address, email, contracts and game ids."},
		{Name: "get_game_details", Kind: domains.Read, Params: gameParams{}, Fn: getGameDetails,
			Description: "Get a game by id: season, date, status, venue, clubs and scores, box score, periods and scoring history."},
		{Name: "list_all_clubs", Kind: domains.Read, Params: struct{}{}, Fn: listAllClubs,
			Description: "List every club name with its club id, as JSON sorted by name."},
		{Name: "list_clubs_by_league", Kind: domains.Read, Params: leagueParams{}, Fn: listClubsByLeague,
			Description: "List the club names and ids of a league (case-insensitive), as JSON sorted by name."},
		{Name: "find_player_id_by_email", Kind: domains.Read, Params: emailParams{}, Fn: findPlayerIDByEmail,
			Description: "Find a player's id by email (case-insensitive)."},
		{Name: "find_player_id_by_name", Kind: domains.Read, Params: nameParams{}, Fn: findPlayerIDByName,
			Description: "Find a player's id by first and last name (case-insensitive); fails when several players match."},
		{Name: "list_club_roster_ids", Kind: domains.Read, Params: rosterParams{}, Fn: listClubRosterIDs,
			Description: "List the sorted player ids on a club's roster, by default only the active ones."},
		{Name: "get_game_box_score", Kind: domains.Read, Params: gameParams{}, Fn: getGameBoxScore,
			Description: "Get the box score rows of a game."},
		{Name: "get_club_schedule", Kind: domains.Read, Params: scheduleParams{}, Fn: getClubSchedule,
			Description: "List a club's game ids, optionally only those of a season and/or a status."},
		{Name: "get_game_score", Kind: domains.Read, Params: gameParams{}, Fn: getGameScore,
			Description: "Get a game's status and the home and away clubs with their scores."},
		{Name: "get_game_timeline", Kind: domains.Read, Params: gameParams{}, Fn: getGameTimeline,
			Description: "Get the scoring history of a game in order."},
		{Name: "get_player_total_points", Kind: domains.Read, Params: pointsParams{}, Fn: getPlayerTotalPoints,
			Description: "Total a player's box-score points over the player's games, optionally of one season."},
		{Name: "get_club_record", Kind: domains.Read, Params: recordParams{}, Fn: getClubRecord,
			Description: "Count a club's wins and losses in its final games, optionally of one season."},
		{Name: "modify_player_address", Kind: domains.Write, Params: addressParams{}, Fn: modifyPlayerAddress,
			Description: "Change a player's address. Explain the change and get the user's explicit confirmation first."},
		{Name: "update_game_status", Kind: domains.Write, Params: statusParams{}, Fn: updateGameStatus,
			Description: "Change a game's status: scheduled to in_progress or postponed, postponed to scheduled, in_progress to final. Explain the change and get the user's explicit confirmation first."},
		{Name: "record_scoring_event", Kind: domains.Write, Params: scoringParams{}, Fn: recordScoringEvent,
			Description: "Record a scoring play in an in-progress game and add its points to the club's score. Explain the play and get the user's explicit confirmation first."},
	},
}

func init() { domains.Register(Domain) }

type calculateParams struct {
	Expression string `json:"expression" jsonschema:"description=The expression to calculate\\, such as '2 + 2'."`
}

type summaryParams struct {
	Summary string `json:"summary" jsonschema:"description=A summary of the user's issue."`
}

type clubParams struct {
	ClubID string `json:"club_id" jsonschema:"description=The club's id."`
}

type playerParams struct {
	PlayerID string `json:"player_id" jsonschema:"description=The player's id."`
}

type gameParams struct {
	GameID string `json:"game_id" jsonschema:"description=The game's id."`
}

type leagueParams struct {
	League string `json:"league" jsonschema:"description=The league name\\, matched case-insensitively (e.g. NBA)."`
}

type emailParams struct {
	Email string `json:"email" jsonschema:"description=The player's email address."`
}

type nameParams struct {
	FirstName string `json:"first_name" jsonschema:"description=The player's first name."`
	LastName  string `json:"last_name" jsonschema:"description=The player's last name."`
}

type rosterParams struct {
	ClubID     string `json:"club_id" jsonschema:"description=The club's id."`
	ActiveOnly bool   `json:"active_only,omitempty" jsonschema:"description=Only active players.,default=true"`
}

type scheduleParams struct {
	ClubID string  `json:"club_id" jsonschema:"description=The club's id."`
	Season *string `json:"season,omitempty" jsonschema:"description=Only games of this season (e.g. 2024-25)."`
	Status *string `json:"status,omitempty" jsonschema:"description=Only games with this status.,enum=scheduled,enum=in_progress,enum=final,enum=postponed"`
}

type pointsParams struct {
	PlayerID string  `json:"player_id" jsonschema:"description=The player's id."`
	Season   *string `json:"season,omitempty" jsonschema:"description=Only games of this season (e.g. 2024-25)."`
}

type recordParams struct {
	ClubID string  `json:"club_id" jsonschema:"description=The club's id."`
	Season *string `json:"season,omitempty" jsonschema:"description=Only games of this season (e.g. 2024-25)."`
}

type addressParams struct {
	PlayerID string `json:"player_id" jsonschema:"description=The player's id."`
	Street   string `json:"street" jsonschema:"description=Street address\\, e.g. 123 Main St."`
	City     string `json:"city" jsonschema:"description=City name."`
	State    string `json:"state" jsonschema:"description=State or province."`
	Country  string `json:"country" jsonschema:"description=Country name."`
	Zip      string `json:"zip" jsonschema:"description=Postal code."`
}

type statusParams struct {
	GameID    string `json:"game_id" jsonschema:"description=The game's id."`
	NewStatus string `json:"new_status" jsonschema:"description=The new status.,enum=scheduled,enum=in_progress,enum=final,enum=postponed"`
}

type scoringParams struct {
	GameID    string `json:"game_id" jsonschema:"description=The game's id."`
	EventType string `json:"event_type" jsonschema:"description=The kind of score.,enum=1PT,enum=2PT,enum=3PT,enum=FT"`
	Points    int64  `json:"points" jsonschema:"description=Points scored: 2 for 2PT\\, 3 for 3PT\\, 1 for FT."`
	ClubID    string `json:"club_id" jsonschema:"description=The scoring club: the game's home or away club."`
	PlayerID  string `json:"player_id" jsonschema:"description=The scoring player."`
	Timestamp string `json:"timestamp" jsonschema:"description=When in the game\\, e.g. Q2 03:21."`
}

func dbOf(e *domains.Env) *DB { return e.DB.(*DB) }

// findClub is the reference's _get_club.
func findClub(db *DB, v any) (string, *Club, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if c, found := db.Clubs.Get(k); found {
			return k, c, nil
		}
	}
	return "", nil, errors.New("Club not found")
}

// findPlayer is the reference's _get_player.
func findPlayer(db *DB, v any) (string, *Player, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if p, found := db.Players.Get(k); found {
			return k, p, nil
		}
	}
	return "", nil, errors.New("Player not found")
}

// findGame is the reference's _get_game.
func findGame(db *DB, v any) (string, *Game, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if g, found := db.Games.Get(k); found {
			return k, g, nil
		}
	}
	return "", nil, errors.New("Game not found")
}

// calcChars are the characters calculate accepts.
const calcChars = "0123456789+-*/(). "

// calculate evaluates a str expression with calc. Another value fails as the reference's
// `all(c in allowed for c in expression)` and eval() fail on it: not iterable, a non-str
// item left of `in`, an item that is no substring of the allowed characters, or eval()
// refusing anything but a str.
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

func transferToHumanAgents(*domains.Env, domains.Args) (any, error) {
	return "Transfer successful", nil
}

func getClubDetails(e *domains.Env, a domains.Args) (any, error) {
	_, c, err := findClub(dbOf(e), a["club_id"])
	if err != nil {
		return nil, err
	}
	return c, nil
}

func getPlayerDetails(e *domains.Env, a domains.Args) (any, error) {
	_, p, err := findPlayer(dbOf(e), a["player_id"])
	if err != nil {
		return nil, err
	}
	return p, nil
}

func getGameDetails(e *domains.Env, a domains.Args) (any, error) {
	_, g, err := findGame(dbOf(e), a["game_id"])
	if err != nil {
		return nil, err
	}
	return g, nil
}

// clubNames returns json.dumps of a name → club_id map with sorted keys. Clubs sharing a
// name collapse: the last one in file order wins.
func clubNames(db *DB, keep func(*Club) bool) (string, int, error) {
	ids := map[string]string{}
	for c := range db.Clubs.Values() {
		if keep(c) {
			ids[c.Name] = c.ClubID
		}
	}
	names := make([]string, 0, len(ids))
	for n := range ids {
		names = append(names, n)
	}
	slices.Sort(names) // code-point order, as Python sorts str
	o := py.NewObject()
	for _, n := range names {
		o.Set(n, ids[n])
	}
	b, err := py.Marshal(o, py.Dumps)
	return string(b), len(names), err
}

func listAllClubs(e *domains.Env, _ domains.Args) (any, error) {
	s, _, err := clubNames(dbOf(e), func(*Club) bool { return true })
	return s, err
}

func listClubsByLeague(e *domains.Env, a domains.Args) (any, error) {
	league, err := strMethod(a["league"], "lower")
	if err != nil {
		return nil, err
	}
	league = strings.ToLower(league)
	s, n, err := clubNames(dbOf(e), func(c *Club) bool { return strings.ToLower(c.League) == league })
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errors.New("No clubs found for the specified league")
	}
	return s, nil
}

func findPlayerIDByEmail(e *domains.Env, a domains.Args) (any, error) {
	for id, p := range dbOf(e).Players.All() {
		email, err := strMethod(a["email"], "lower") // raised at the first player compared
		if err != nil {
			return nil, err
		}
		if strings.ToLower(p.Email) == strings.ToLower(email) {
			return id, nil // the first match in file order
		}
	}
	return nil, errors.New("Player not found")
}

func findPlayerIDByName(e *domains.Env, a domains.Args) (any, error) {
	first, err := strMethod(a["first_name"], "lower")
	if err != nil {
		return nil, err
	}
	last, err := strMethod(a["last_name"], "lower")
	if err != nil {
		return nil, err
	}
	first, last = strings.ToLower(first), strings.ToLower(last)
	var matches []string
	for id, p := range dbOf(e).Players.All() {
		if strings.ToLower(p.Name.FirstName) == first && strings.ToLower(p.Name.LastName) == last {
			matches = append(matches, id)
		}
	}
	switch {
	case len(matches) == 0:
		return nil, errors.New("Player not found")
	case len(matches) > 1:
		return nil, errors.New("Multiple players found, please provide more information")
	}
	return matches[0], nil
}

func listClubRosterIDs(e *domains.Env, a domains.Args) (any, error) {
	_, c, err := findClub(dbOf(e), a["club_id"])
	if err != nil {
		return nil, err
	}
	activeOnly := truthy(a["active_only"])
	ids := []string{}
	for id, entry := range c.Roster.All() {
		if !activeOnly || entry.Active {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

func getGameBoxScore(e *domains.Env, a domains.Args) (any, error) {
	_, g, err := findGame(dbOf(e), a["game_id"])
	if err != nil {
		return nil, err
	}
	return g.BoxScore, nil
}

func getClubSchedule(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	_, c, err := findClub(db, a["club_id"])
	if err != nil {
		return nil, err
	}
	season, status := a["season"], a["status"]
	out := []string{}
	for _, id := range c.Games {
		_, g, err := findGame(db, id)
		if err != nil {
			return nil, err
		}
		// Plain comparisons: a status outside the enum simply matches nothing.
		if season != nil && !equal(g.Season, season) {
			continue
		}
		if status != nil && !equal(g.Status, status) {
			continue
		}
		out = append(out, id)
	}
	return out, nil
}

func getGameScore(e *domains.Env, a domains.Args) (any, error) {
	_, g, err := findGame(dbOf(e), a["game_id"])
	if err != nil {
		return nil, err
	}
	side := func(c GameClubEntry) *py.Object {
		return py.NewObject("club_id", c.ClubID, "name", c.Name, "score", c.Score)
	}
	// A plain dict: the scores reach the model as strings.
	return py.NewObject("status", g.Status, "home", side(g.Clubs.Home), "away", side(g.Clubs.Away)), nil
}

func getGameTimeline(e *domains.Env, a domains.Args) (any, error) {
	_, g, err := findGame(dbOf(e), a["game_id"])
	if err != nil {
		return nil, err
	}
	return g.ScoringHistory, nil
}

func getPlayerTotalPoints(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	id, p, err := findPlayer(db, a["player_id"])
	if err != nil {
		return nil, err
	}
	season := a["season"]
	var total int64
	// Only the player's own games count, even where other box scores list the player.
	for _, gid := range p.Games {
		_, g, err := findGame(db, gid)
		if err != nil {
			return nil, err
		}
		if season != nil && !equal(g.Season, season) {
			continue
		}
		for _, row := range g.BoxScore {
			if row.PlayerID == id {
				total += row.Points
			}
		}
	}
	return total, nil // an int: the message shows it as a JSON string
}

func getClubRecord(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	id, c, err := findClub(db, a["club_id"])
	if err != nil {
		return nil, err
	}
	season := a["season"]
	var wins, losses int64
	for _, gid := range c.Games {
		_, g, err := findGame(db, gid)
		if err != nil {
			return nil, err
		}
		if g.Status != "final" {
			continue
		}
		if season != nil && !equal(g.Season, season) {
			continue
		}
		home, away := g.Clubs.Home, g.Clubs.Away
		var cmp int
		switch id {
		case home.ClubID:
			cmp = compare(home.Score, away.Score)
		case away.ClubID:
			cmp = compare(away.Score, home.Score)
		}
		switch cmp {
		case 1:
			wins++
		case -1:
			losses++
		}
	}
	return py.NewObject("wins", wins, "losses", losses), nil
}

func modifyPlayerAddress(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, _, err := findPlayer(db, a["player_id"])
	if err != nil {
		return nil, err
	}
	p, _ := db.Players.Mut(k)
	// Plain assignments: any value is stored as given.
	p.Address.Street = a["street"]
	p.Address.City = a["city"]
	p.Address.State = a["state"]
	p.Address.Country = a["country"]
	p.Address.Zip = a["zip"]
	return p, nil
}

// transitions are the status moves update_game_status allows.
var transitions = map[string][]string{
	"scheduled":   {"in_progress", "postponed"},
	"postponed":   {"scheduled"},
	"in_progress": {"final"},
	"final":       {},
}

func updateGameStatus(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, g, err := findGame(db, a["game_id"])
	if err != nil {
		return nil, err
	}
	next := a["new_status"]
	if equal(g.Status, next) {
		return g, nil // no change, whatever the status
	}
	s, _ := next.(string)
	if !slices.Contains(transitions[g.Status], s) {
		return nil, errors.New("Invalid status transition")
	}
	g, _ = db.Games.Mut(k)
	g.Status = s
	return g, nil
}

// eventPoints are the points of each event type record_scoring_event accepts. 1PT, a
// type the data model allows, is missing: it fails as a KeyError.
var eventPoints = map[string]int64{"2PT": 2, "3PT": 3, "FT": 1}

func recordScoringEvent(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, g, err := findGame(db, a["game_id"])
	if err != nil {
		return nil, err
	}
	if g.Status != "in_progress" {
		return nil, errors.New("Scoring can only be recorded for games in progress")
	}
	kind, ok, err := dictKey(a["event_type"])
	if err != nil {
		return nil, err
	}
	want, known := eventPoints[kind]
	if !ok || !known {
		return nil, errors.New(py.Repr(a["event_type"])) // KeyError: str() is the key's repr
	}
	points := a["points"]
	if !equalsInt(points, want) { // Python ==: 2.0 and 2 are equal, so are True and 1
		return nil, errors.New("Points do not match the event type")
	}
	club, _, err := dictKey(a["club_id"])
	if err != nil {
		return nil, err
	}
	home := club == g.Clubs.Home.ClubID
	if !equal(g.Clubs.Home.ClubID, a["club_id"]) && !equal(g.Clubs.Away.ClubID, a["club_id"]) {
		return nil, errors.New("Club is not part of this game")
	}
	if _, _, err := findPlayer(db, a["player_id"]); err != nil {
		return nil, err
	}
	event, err := domains.Build[GameScoringEvent](py.NewObject(
		"event_type", a["event_type"],
		"points", points,
		"club_id", a["club_id"],
		"player_id", a["player_id"],
		"timestamp", a["timestamp"],
	))
	if err != nil {
		return nil, err
	}
	g, _ = db.Games.Mut(k)
	g.ScoringHistory = append(g.ScoringHistory, *event)
	// The points are added as given: 2.0 turns the score into a float.
	if home {
		g.Clubs.Home.Score = add(g.Clubs.Home.Score, points)
	} else {
		g.Clubs.Away.Score = add(g.Clubs.Away.Score, points)
	}
	return g, nil
}
