package basketball

import (
	"os"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

// loadFixture decodes testdata/league.json: five clubs (C1 and C3 share a name; C5 lists a
// game that does not exist), four players (P1 and P2 share a name and, up to case, an
// email) and six games of every status, one of the previous season and one of the WNBA.
func loadFixture(t testing.TB) domains.DB {
	t.Helper()
	data, err := os.ReadFile("testdata/league.json")
	if err != nil {
		t.Fatal(err)
	}
	db, err := domains.Decode(Domain, data)
	if err != nil {
		t.Fatalf("decode fixture: %v", err)
	}
	return db
}

type (
	step     = domaintest.Step
	toolCase = domaintest.ToolCase[*DB]
)

func runCases(t *testing.T, cases []toolCase) {
	domaintest.RunToolCases(t, Domain, loadFixture(t), cases)
}

func game(t *testing.T, db *DB, id string) *Game {
	t.Helper()
	g, ok := db.Games.Get(id)
	if !ok {
		t.Fatalf("game %s missing", id)
	}
	return g
}

func TestLookupTools(t *testing.T) {
	runCases(t, []toolCase{
		{Name: "club", Call: step{"get_club_details", `{"club_id": "C1"}`},
			Want: []string{`{"name": "Miami Heat", "club_id": "C1", "league": "NBA"`, `"number": "00", "height_cm": 190.5`, `"number": 22, "height_cm": 201.0`}},
		{Name: "club unknown", Call: step{"get_club_details", `{"club_id": "c1"}`}, Err: "Club not found"},
		{Name: "club int id", Call: step{"get_club_details", `{"club_id": 1}`}, Err: "Club not found"},
		{Name: "club list id", Call: step{"get_club_details", `{"club_id": ["C1"]}`}, Err: "unhashable type: 'list'"},
		{Name: "player", Call: step{"get_player_details", `{"player_id": "P1"}`},
			Want: []string{`"extra_info": {"salary": 48798677.0, "years": 6}`}},
		{Name: "player unknown", Call: step{"get_player_details", `{"player_id": null}`}, Err: "Player not found"},
		{Name: "game", Call: step{"get_game_details", `{"game_id": "G3"}`},
			Want: []string{`"date": "2025-01-15T19:30:00-05:00", "status": "in_progress"`, `"event_type": "1PT"`}},
		{Name: "game unknown", Call: step{"get_game_details", `{"game_id": {}}`}, Err: "unhashable type: 'dict'"},

		{Name: "all clubs, last name wins", Call: step{"list_all_clubs", `{}`},
			Exact: `{"Boston Celtics": "C2", "Miami Heat": "C3", "Orlando Magic": "C5", "Seattle Storm": "C4"}`},
		{Name: "league any case", Call: step{"list_clubs_by_league", `{"league": "Nba"}`},
			Exact: `{"Boston Celtics": "C2", "Miami Heat": "C3", "Orlando Magic": "C5"}`},
		{Name: "other league", Call: step{"list_clubs_by_league", `{"league": "wnba"}`}, Exact: `{"Seattle Storm": "C4"}`},
		{Name: "unknown league", Call: step{"list_clubs_by_league", `{"league": "EuroLeague"}`}, Err: "No clubs found for the specified league"},
		{Name: "league not a string", Call: step{"list_clubs_by_league", `{"league": 1}`}, Err: "'int' object has no attribute 'lower'"},

		{Name: "email, first match", Call: step{"find_player_id_by_email", `{"email": "Jimmy.Butler@HEAT.example.com"}`}, Exact: "P1"},
		{Name: "email unknown", Call: step{"find_player_id_by_email", `{"email": "nobody@example.com"}`}, Err: "Player not found"},
		{Name: "email not a string", Call: step{"find_player_id_by_email", `{"email": 5}`}, Err: "'int' object has no attribute 'lower'"},
		{Name: "name", Call: step{"find_player_id_by_name", `{"first_name": "JAYSON", "last_name": "tatum"}`}, Exact: "P3"},
		{Name: "name ambiguous", Call: step{"find_player_id_by_name", `{"first_name": "jimmy", "last_name": "butler"}`},
			Err: "Multiple players found, please provide more information"},
		{Name: "name not trimmed", Call: step{"find_player_id_by_name", `{"first_name": "Jayson ", "last_name": "Tatum"}`}, Err: "Player not found"},
		{Name: "first name not a string", Call: step{"find_player_id_by_name", `{"first_name": 1, "last_name": null}`},
			Err: "'int' object has no attribute 'lower'"},
		{Name: "last name not a string", Call: step{"find_player_id_by_name", `{"first_name": "Jayson", "last_name": null}`},
			Err: "'NoneType' object has no attribute 'lower'"},
	})
}

func TestClubAndGameTools(t *testing.T) {
	runCases(t, []toolCase{
		{Name: "roster active", Call: step{"list_club_roster_ids", `{"club_id": "C1"}`}, Exact: `["P1"]`},
		{Name: "roster all", Call: step{"list_club_roster_ids", `{"club_id": "C1", "active_only": false}`}, Exact: `["P1", "P2"]`},
		{Name: "roster falsy flag", Call: step{"list_club_roster_ids", `{"club_id": "C1", "active_only": 0}`}, Exact: `["P1", "P2"]`},
		{Name: "roster truthy flag", Call: step{"list_club_roster_ids", `{"club_id": "C1", "active_only": "no"}`}, Exact: `["P1"]`},
		{Name: "roster empty", Call: step{"list_club_roster_ids", `{"club_id": "C3"}`}, Exact: `[]`},
		{Name: "roster unknown club", Call: step{"list_club_roster_ids", `{"club_id": "C9"}`}, Err: "Club not found"},

		{Name: "box score", Call: step{"get_game_box_score", `{"game_id": "G1"}`},
			Want: []string{`[{"name": "Jimmy Butler", "club_id": "C1", "player_id": "P1", "points": 30, "options": {"rebounds": 7, "assists": 5, "minutes": "36:10"}}, {"name": "Jayson Tatum"`}},
		{Name: "box score unknown game", Call: step{"get_game_box_score", `{"game_id": "G9"}`}, Err: "Game not found"},
		{Name: "timeline", Call: step{"get_game_timeline", `{"game_id": "G1"}`},
			Exact: `[{"event_type": "3PT", "points": 3, "club_id": "C1", "player_id": "P1", "timestamp": "Q1 10:00"}]`},
		{Name: "timeline unknown game", Call: step{"get_game_timeline", `{"game_id": "G9"}`}, Err: "Game not found"},

		{Name: "schedule", Call: step{"get_club_schedule", `{"club_id": "C1"}`}, Exact: `["G1", "G3", "G4", "G5"]`},
		{Name: "schedule filtered", Call: step{"get_club_schedule", `{"club_id": "C1", "season": "2024-25", "status": "final"}`}, Exact: `["G1"]`},
		{Name: "schedule status outside the enum", Call: step{"get_club_schedule", `{"club_id": "C1", "status": "done"}`}, Exact: `[]`},
		{Name: "schedule season of another type", Call: step{"get_club_schedule", `{"club_id": "C1", "season": 2024}`}, Exact: `[]`},
		{Name: "schedule missing game", Call: step{"get_club_schedule", `{"club_id": "C5"}`}, Err: "Game not found"},
		{Name: "schedule unknown club", Call: step{"get_club_schedule", `{"club_id": "C9"}`}, Err: "Club not found"},

		{Name: "score", Call: step{"get_game_score", `{"game_id": "G3"}`},
			Exact: `{"status": "in_progress", "home": {"club_id": "C2", "name": "Boston Celtics", "score": "50"}, "away": {"club_id": "C1", "name": "Miami Heat", "score": "48"}}`},
		{Name: "score unknown game", Call: step{"get_game_score", `{"game_id": "G9"}`}, Err: "Game not found"},

		{Name: "points, own games only", Call: step{"get_player_total_points", `{"player_id": "P1"}`}, Exact: `"42"`},
		{Name: "points of a season", Call: step{"get_player_total_points", `{"player_id": "P3", "season": "2024-25"}`}, Exact: `"25"`},
		{Name: "points of all seasons", Call: step{"get_player_total_points", `{"player_id": "P3"}`}, Exact: `"35"`},
		{Name: "points without games", Call: step{"get_player_total_points", `{"player_id": "P2"}`}, Exact: `"0"`},
		{Name: "points unknown player", Call: step{"get_player_total_points", `{"player_id": "P9"}`}, Err: "Player not found"},

		{Name: "record home win", Call: step{"get_club_record", `{"club_id": "C1"}`}, Exact: `{"wins": "1", "losses": "0"}`},
		{Name: "record away loss and a tie", Call: step{"get_club_record", `{"club_id": "C2"}`}, Exact: `{"wins": "0", "losses": "1"}`},
		{Name: "record of a season", Call: step{"get_club_record", `{"club_id": "C2", "season": "2023-24"}`}, Exact: `{"wins": "0", "losses": "0"}`},
		{Name: "record home loss", Call: step{"get_club_record", `{"club_id": "C4"}`}, Exact: `{"wins": "0", "losses": "1"}`},
		{Name: "record missing game", Call: step{"get_club_record", `{"club_id": "C5"}`}, Err: "Game not found"},
		{Name: "record unknown club", Call: step{"get_club_record", `{"club_id": "C9"}`}, Err: "Club not found"},

		{Name: "transfer to human", Call: step{"transfer_to_human_agents", `{"summary": "wants a refund"}`}, Exact: "Transfer successful"},
	})
}

func TestWriteTools(t *testing.T) {
	score := func(g *Game) string {
		b, _ := py.Marshal([]any{g.Clubs.Home.Score, g.Clubs.Away.Score}, py.Output)
		return string(b)
	}
	event := func(kind, points, club, player string) step {
		return step{"record_scoring_event", `{"game_id": "G3", "event_type": "` + kind + `", "points": ` + points +
			`, "club_id": ` + club + `, "player_id": "` + player + `", "timestamp": "Q3 05:00"}`}
	}
	unscored := func(t *testing.T, db *DB) {
		g := game(t, db, "G3")
		if len(g.ScoringHistory) != 1 || score(g) != "[50,48]" {
			t.Errorf("game changed: %s %s", score(g), encoded(t, g.ScoringHistory))
		}
	}
	runCases(t, []toolCase{
		{Name: "address", Call: step{"modify_player_address", `{"player_id": "P3", "street": "9 Elm St", "city": "Reykjavík", "state": "RE", "country": "Iceland", "zip": "101"}`},
			Want: []string{`"address": {"street": "9 Elm St", "city": "Reykjav\u00edk", "country": "Iceland", "state": "RE", "zip": "101"}`}},
		{Name: "address values stored as given", Call: step{"modify_player_address", `{"player_id": "P3", "street": "9 Elm St", "city": "Boston", "state": "MA", "country": "USA", "zip": 2108}`},
			Want: []string{`"zip": 2108}`}},
		{Name: "address unknown player", Call: step{"modify_player_address", `{"player_id": "P9", "street": "", "city": "", "state": "", "country": "", "zip": ""}`},
			Err: "Player not found"},

		{Name: "tip-off", Call: step{"update_game_status", `{"game_id": "G4", "new_status": "in_progress"}`}, Want: []string{`"status": "in_progress"`}},
		{Name: "postpone", Call: step{"update_game_status", `{"game_id": "G4", "new_status": "postponed"}`}, Want: []string{`"status": "postponed"`}},
		{Name: "reschedule", Call: step{"update_game_status", `{"game_id": "G5", "new_status": "scheduled"}`}, Want: []string{`"status": "scheduled"`}},
		{Name: "final buzzer", Call: step{"update_game_status", `{"game_id": "G3", "new_status": "final"}`}, Want: []string{`"status": "final"`}},
		{Name: "same status", Call: step{"update_game_status", `{"game_id": "G1", "new_status": "final"}`}, Want: []string{`"status": "final"`}},
		{Name: "reopen final", Call: step{"update_game_status", `{"game_id": "G1", "new_status": "in_progress"}`}, Err: "Invalid status transition"},
		{Name: "skip a step", Call: step{"update_game_status", `{"game_id": "G4", "new_status": "final"}`}, Err: "Invalid status transition"},
		{Name: "postponed game cannot start", Call: step{"update_game_status", `{"game_id": "G5", "new_status": "in_progress"}`}, Err: "Invalid status transition"},
		{Name: "status outside the enum", Call: step{"update_game_status", `{"game_id": "G4", "new_status": "cancelled"}`}, Err: "Invalid status transition"},
		{Name: "status of another type", Call: step{"update_game_status", `{"game_id": "G4", "new_status": ["in_progress"]}`}, Err: "Invalid status transition"},
		{Name: "status unknown game", Call: step{"update_game_status", `{"game_id": "G9", "new_status": "final"}`}, Err: "Game not found"},

		{Name: "three for the away club", Call: event("3PT", "3", `"C1"`, "P1"),
			Want: []string{`"away": {"name": "Miami Heat", "club_id": "C1", "score": 51}`,
				`{"event_type": "3PT", "points": 3, "club_id": "C1", "player_id": "P1", "timestamp": "Q3 05:00"}]`}},
		{Name: "free throw for the home club by any player", Call: event("FT", "1", `"C2"`, "P4"),
			Check: func(t *testing.T, db *DB) {
				if s := score(game(t, db, "G3")); s != "[51,48]" {
					t.Errorf("score %s", s)
				}
			}},
		{Name: "float points make a float score", Call: event("2PT", "2.0", `"C2"`, "P3"),
			Want: []string{`"home": {"name": "Boston Celtics", "club_id": "C2", "score": 52.0}`, `"points": 2, "club_id": "C2"`}},
		{Name: "float score in the score summary", Setup: []step{event("2PT", "2.0", `"C2"`, "P3")}, Call: step{"get_game_score", `{"game_id": "G3"}`},
			Want: []string{`"score": "52.0"`}},
		{Name: "bool point", Call: event("FT", "true", `"C1"`, "P1"),
			Want: []string{`"score": 49}`, `{"event_type": "FT", "points": 1,`}},
		{Name: "game not in progress", Call: step{"record_scoring_event", `{"game_id": "G1", "event_type": "2PT", "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": "Q1"}`},
			Err: "Scoring can only be recorded for games in progress"},
		{Name: "1PT", Call: event("1PT", "1", `"C1"`, "P1"), Err: "'1PT'", Check: unscored},
		{Name: "event type of another type", Call: step{"record_scoring_event", `{"game_id": "G3", "event_type": 2, "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": "Q1"}`},
			Err: "2"},
		{Name: "event type list", Call: step{"record_scoring_event", `{"game_id": "G3", "event_type": [], "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": "Q1"}`},
			Err: "unhashable type: 'list'"},
		{Name: "points mismatch", Call: event("3PT", "2", `"C1"`, "P1"), Err: "Points do not match the event type", Check: unscored},
		{Name: "points as text", Call: event("2PT", `"2"`, `"C1"`, "P1"), Err: "Points do not match the event type"},
		{Name: "club not in game", Call: event("2PT", "2", `"C3"`, "P1"), Err: "Club is not part of this game", Check: unscored},
		{Name: "club list", Call: event("2PT", "2", `["C1"]`, "P1"), Err: "unhashable type: 'list'"},
		{Name: "unknown player", Call: event("2PT", "2", `"C1"`, "P9"), Err: "Player not found", Check: unscored},
		{Name: "timestamp not a string", Call: step{"record_scoring_event", `{"game_id": "G3", "event_type": "2PT", "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": 300}`},
			Err: "1 validation error for GameScoringEvent", Check: unscored},
		{Name: "unknown game", Call: step{"record_scoring_event", `{"game_id": "G9", "event_type": "2PT", "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": "Q1"}`},
			Err: "Game not found"},
	})
}

func encoded(t *testing.T, v any) string {
	t.Helper()
	b, err := py.Marshal(v, py.Output)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDecodeChecksTypes checks that fields tools may fill with any value still load only
// with their declared types.
func TestDecodeChecksTypes(t *testing.T) {
	data, err := os.ReadFile("testdata/league.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ from, to, want string }{
		{`"zip": "33139"`, `"zip": 33139`, "players.P1.address.zip: Input should be a valid string"},
		{`"score": 110`, `"score": 110.5`, "games.G1.clubs.home.score: Input should be a valid integer"},
		{`"status": "final"`, `"status": "over"`, "games.G1.status: Input should be 'scheduled', 'in_progress', 'final' or 'postponed'"},
		{`"source": "draft"`, `"source": "waivers"`, "players.P3.contracts.K3.source: Input should be 'draft', 'trade' or 'free agency'"},
	} {
		in := strings.Replace(string(data), tt.from, tt.to, 1)
		if in == string(data) {
			t.Fatalf("fixture lacks %s", tt.from)
		}
		_, err := domains.Decode(Domain, []byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Decode with %s = %v; want %q", tt.to, err, tt.want)
		}
	}
}

func TestCalculate(t *testing.T) {
	runCases(t, []toolCase{
		{Name: "expression", Call: step{"calculate", `{"expression": "(859 + 95) * 9"}`}, Exact: "8586.0"},
		{Name: "rounded", Call: step{"calculate", `{"expression": "10 / 3"}`}, Exact: "3.33"},
		{Name: "letters", Call: step{"calculate", `{"expression": "abs(-3)"}`}, Err: "Invalid characters in expression"},
		{Name: "division by zero", Call: step{"calculate", `{"expression": "1 / 0"}`}, Err: "division by zero"},
		{Name: "int", Call: step{"calculate", `{"expression": 5}`}, Err: "'int' object is not iterable"},
		{Name: "null", Call: step{"calculate", `{"expression": null}`}, Err: "'NoneType' object is not iterable"},
		{Name: "list of allowed strings", Call: step{"calculate", `{"expression": ["1", "+", "23"]}`}, Err: "eval() arg 1 must be a string, bytes or code object"},
		{Name: "list with a number", Call: step{"calculate", `{"expression": ["1", 2]}`}, Err: "'in <string>' requires string as left operand, not int"},
		{Name: "list with a letter", Call: step{"calculate", `{"expression": ["x", 2]}`}, Err: "Invalid characters in expression"},
		{Name: "dict keys", Call: step{"calculate", `{"expression": {"12": "x"}}`}, Err: "eval() arg 1 must be a string, bytes or code object"},
	})
}
