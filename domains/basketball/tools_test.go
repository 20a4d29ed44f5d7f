package basketball

import (
	"os"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
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

type step struct{ name, args string }

func run(t testing.TB, env *domains.Env, s step) domains.Result {
	t.Helper()
	args, err := py.Parse([]byte(s.args))
	if err != nil {
		t.Fatalf("arguments of %s: %v", s.name, err)
	}
	return env.Call(s.name, args.(*py.Object))
}

type toolCase struct {
	name  string
	setup []step // calls that must succeed first
	call  step
	// err is the exact error text; for a pydantic validation error ("... for <Model>")
	// only the first line is compared.
	err   string
	want  string // the exact content of a successful call, when set
	has   []string
	check func(t *testing.T, db *DB)
}

func runCases(t *testing.T, cases []toolCase) {
	t.Helper()
	base := loadFixture(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := domains.NewEnv(Domain, base, domains.DefaultNow)
			for _, s := range tc.setup {
				if r := run(t, env, s); !r.OK() {
					t.Fatalf("setup %s: %v", s.name, r.Err)
				}
			}
			r := run(t, env, tc.call)
			switch {
			case tc.err != "" && r.OK():
				t.Fatalf("%s succeeded with %s; want error %q", tc.call.name, r.Content, tc.err)
			case tc.err == "" && !r.OK():
				t.Fatalf("%s failed: %v", tc.call.name, r.Err)
			case tc.err != "":
				got := r.Err.Error()
				if strings.Contains(tc.err, " validation error") {
					got, _, _ = strings.Cut(got, "\n")
				}
				if got != tc.err {
					t.Errorf("error = %q; want %q", got, tc.err)
				}
			}
			if tc.want != "" && r.Content != tc.want {
				t.Errorf("content = %s; want %s", r.Content, tc.want)
			}
			for _, w := range tc.has {
				if !strings.Contains(r.Content, w) {
					t.Errorf("content lacks %s:\n%s", w, r.Content)
				}
			}
			if tc.check != nil {
				tc.check(t, env.DB.(*DB))
			}
		})
	}
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
		{name: "club", call: step{"get_club_details", `{"club_id": "C1"}`},
			has: []string{`{"name": "Miami Heat", "club_id": "C1", "league": "NBA"`, `"number": "00", "height_cm": 190.5`, `"number": 22, "height_cm": 201.0`}},
		{name: "club unknown", call: step{"get_club_details", `{"club_id": "c1"}`}, err: "Club not found"},
		{name: "club int id", call: step{"get_club_details", `{"club_id": 1}`}, err: "Club not found"},
		{name: "club list id", call: step{"get_club_details", `{"club_id": ["C1"]}`}, err: "unhashable type: 'list'"},
		{name: "player", call: step{"get_player_details", `{"player_id": "P1"}`},
			has: []string{`"extra_info": {"salary": 48798677.0, "years": 6}`}},
		{name: "player unknown", call: step{"get_player_details", `{"player_id": null}`}, err: "Player not found"},
		{name: "game", call: step{"get_game_details", `{"game_id": "G3"}`},
			has: []string{`"date": "2025-01-15T19:30:00-05:00", "status": "in_progress"`, `"event_type": "1PT"`}},
		{name: "game unknown", call: step{"get_game_details", `{"game_id": {}}`}, err: "unhashable type: 'dict'"},

		{name: "all clubs, last name wins", call: step{"list_all_clubs", `{}`},
			want: `{"Boston Celtics": "C2", "Miami Heat": "C3", "Orlando Magic": "C5", "Seattle Storm": "C4"}`},
		{name: "league any case", call: step{"list_clubs_by_league", `{"league": "Nba"}`},
			want: `{"Boston Celtics": "C2", "Miami Heat": "C3", "Orlando Magic": "C5"}`},
		{name: "other league", call: step{"list_clubs_by_league", `{"league": "wnba"}`}, want: `{"Seattle Storm": "C4"}`},
		{name: "unknown league", call: step{"list_clubs_by_league", `{"league": "EuroLeague"}`}, err: "No clubs found for the specified league"},
		{name: "league not a string", call: step{"list_clubs_by_league", `{"league": 1}`}, err: "'int' object has no attribute 'lower'"},

		{name: "email, first match", call: step{"find_player_id_by_email", `{"email": "Jimmy.Butler@HEAT.example.com"}`}, want: "P1"},
		{name: "email unknown", call: step{"find_player_id_by_email", `{"email": "nobody@example.com"}`}, err: "Player not found"},
		{name: "email not a string", call: step{"find_player_id_by_email", `{"email": 5}`}, err: "'int' object has no attribute 'lower'"},
		{name: "name", call: step{"find_player_id_by_name", `{"first_name": "JAYSON", "last_name": "tatum"}`}, want: "P3"},
		{name: "name ambiguous", call: step{"find_player_id_by_name", `{"first_name": "jimmy", "last_name": "butler"}`},
			err: "Multiple players found, please provide more information"},
		{name: "name not trimmed", call: step{"find_player_id_by_name", `{"first_name": "Jayson ", "last_name": "Tatum"}`}, err: "Player not found"},
		{name: "first name not a string", call: step{"find_player_id_by_name", `{"first_name": 1, "last_name": null}`},
			err: "'int' object has no attribute 'lower'"},
		{name: "last name not a string", call: step{"find_player_id_by_name", `{"first_name": "Jayson", "last_name": null}`},
			err: "'NoneType' object has no attribute 'lower'"},
	})
}

func TestClubAndGameTools(t *testing.T) {
	runCases(t, []toolCase{
		{name: "roster active", call: step{"list_club_roster_ids", `{"club_id": "C1"}`}, want: `["P1"]`},
		{name: "roster all", call: step{"list_club_roster_ids", `{"club_id": "C1", "active_only": false}`}, want: `["P1", "P2"]`},
		{name: "roster falsy flag", call: step{"list_club_roster_ids", `{"club_id": "C1", "active_only": 0}`}, want: `["P1", "P2"]`},
		{name: "roster truthy flag", call: step{"list_club_roster_ids", `{"club_id": "C1", "active_only": "no"}`}, want: `["P1"]`},
		{name: "roster empty", call: step{"list_club_roster_ids", `{"club_id": "C3"}`}, want: `[]`},
		{name: "roster unknown club", call: step{"list_club_roster_ids", `{"club_id": "C9"}`}, err: "Club not found"},

		{name: "box score", call: step{"get_game_box_score", `{"game_id": "G1"}`},
			has: []string{`[{"name": "Jimmy Butler", "club_id": "C1", "player_id": "P1", "points": 30, "options": {"rebounds": 7, "assists": 5, "minutes": "36:10"}}, {"name": "Jayson Tatum"`}},
		{name: "box score unknown game", call: step{"get_game_box_score", `{"game_id": "G9"}`}, err: "Game not found"},
		{name: "timeline", call: step{"get_game_timeline", `{"game_id": "G1"}`},
			want: `[{"event_type": "3PT", "points": 3, "club_id": "C1", "player_id": "P1", "timestamp": "Q1 10:00"}]`},
		{name: "timeline unknown game", call: step{"get_game_timeline", `{"game_id": "G9"}`}, err: "Game not found"},

		{name: "schedule", call: step{"get_club_schedule", `{"club_id": "C1"}`}, want: `["G1", "G3", "G4", "G5"]`},
		{name: "schedule filtered", call: step{"get_club_schedule", `{"club_id": "C1", "season": "2024-25", "status": "final"}`}, want: `["G1"]`},
		{name: "schedule status outside the enum", call: step{"get_club_schedule", `{"club_id": "C1", "status": "done"}`}, want: `[]`},
		{name: "schedule season of another type", call: step{"get_club_schedule", `{"club_id": "C1", "season": 2024}`}, want: `[]`},
		{name: "schedule missing game", call: step{"get_club_schedule", `{"club_id": "C5"}`}, err: "Game not found"},
		{name: "schedule unknown club", call: step{"get_club_schedule", `{"club_id": "C9"}`}, err: "Club not found"},

		{name: "score", call: step{"get_game_score", `{"game_id": "G3"}`},
			want: `{"status": "in_progress", "home": {"club_id": "C2", "name": "Boston Celtics", "score": "50"}, "away": {"club_id": "C1", "name": "Miami Heat", "score": "48"}}`},
		{name: "score unknown game", call: step{"get_game_score", `{"game_id": "G9"}`}, err: "Game not found"},

		{name: "points, own games only", call: step{"get_player_total_points", `{"player_id": "P1"}`}, want: `"42"`},
		{name: "points of a season", call: step{"get_player_total_points", `{"player_id": "P3", "season": "2024-25"}`}, want: `"25"`},
		{name: "points of all seasons", call: step{"get_player_total_points", `{"player_id": "P3"}`}, want: `"35"`},
		{name: "points without games", call: step{"get_player_total_points", `{"player_id": "P2"}`}, want: `"0"`},
		{name: "points unknown player", call: step{"get_player_total_points", `{"player_id": "P9"}`}, err: "Player not found"},

		{name: "record home win", call: step{"get_club_record", `{"club_id": "C1"}`}, want: `{"wins": "1", "losses": "0"}`},
		{name: "record away loss and a tie", call: step{"get_club_record", `{"club_id": "C2"}`}, want: `{"wins": "0", "losses": "1"}`},
		{name: "record of a season", call: step{"get_club_record", `{"club_id": "C2", "season": "2023-24"}`}, want: `{"wins": "0", "losses": "0"}`},
		{name: "record home loss", call: step{"get_club_record", `{"club_id": "C4"}`}, want: `{"wins": "0", "losses": "1"}`},
		{name: "record missing game", call: step{"get_club_record", `{"club_id": "C5"}`}, err: "Game not found"},
		{name: "record unknown club", call: step{"get_club_record", `{"club_id": "C9"}`}, err: "Club not found"},

		{name: "transfer to human", call: step{"transfer_to_human_agents", `{"summary": "wants a refund"}`}, want: "Transfer successful"},
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
		{name: "address", call: step{"modify_player_address", `{"player_id": "P3", "street": "9 Elm St", "city": "Reykjavík", "state": "RE", "country": "Iceland", "zip": "101"}`},
			has: []string{`"address": {"street": "9 Elm St", "city": "Reykjav\u00edk", "country": "Iceland", "state": "RE", "zip": "101"}`}},
		{name: "address values stored as given", call: step{"modify_player_address", `{"player_id": "P3", "street": "9 Elm St", "city": "Boston", "state": "MA", "country": "USA", "zip": 2108}`},
			has: []string{`"zip": 2108}`}},
		{name: "address unknown player", call: step{"modify_player_address", `{"player_id": "P9", "street": "", "city": "", "state": "", "country": "", "zip": ""}`},
			err: "Player not found"},

		{name: "tip-off", call: step{"update_game_status", `{"game_id": "G4", "new_status": "in_progress"}`}, has: []string{`"status": "in_progress"`}},
		{name: "postpone", call: step{"update_game_status", `{"game_id": "G4", "new_status": "postponed"}`}, has: []string{`"status": "postponed"`}},
		{name: "reschedule", call: step{"update_game_status", `{"game_id": "G5", "new_status": "scheduled"}`}, has: []string{`"status": "scheduled"`}},
		{name: "final buzzer", call: step{"update_game_status", `{"game_id": "G3", "new_status": "final"}`}, has: []string{`"status": "final"`}},
		{name: "same status", call: step{"update_game_status", `{"game_id": "G1", "new_status": "final"}`}, has: []string{`"status": "final"`}},
		{name: "reopen final", call: step{"update_game_status", `{"game_id": "G1", "new_status": "in_progress"}`}, err: "Invalid status transition"},
		{name: "skip a step", call: step{"update_game_status", `{"game_id": "G4", "new_status": "final"}`}, err: "Invalid status transition"},
		{name: "postponed game cannot start", call: step{"update_game_status", `{"game_id": "G5", "new_status": "in_progress"}`}, err: "Invalid status transition"},
		{name: "status outside the enum", call: step{"update_game_status", `{"game_id": "G4", "new_status": "cancelled"}`}, err: "Invalid status transition"},
		{name: "status of another type", call: step{"update_game_status", `{"game_id": "G4", "new_status": ["in_progress"]}`}, err: "Invalid status transition"},
		{name: "status unknown game", call: step{"update_game_status", `{"game_id": "G9", "new_status": "final"}`}, err: "Game not found"},

		{name: "three for the away club", call: event("3PT", "3", `"C1"`, "P1"),
			has: []string{`"away": {"name": "Miami Heat", "club_id": "C1", "score": 51}`,
				`{"event_type": "3PT", "points": 3, "club_id": "C1", "player_id": "P1", "timestamp": "Q3 05:00"}]`}},
		{name: "free throw for the home club by any player", call: event("FT", "1", `"C2"`, "P4"),
			check: func(t *testing.T, db *DB) {
				if s := score(game(t, db, "G3")); s != "[51,48]" {
					t.Errorf("score %s", s)
				}
			}},
		{name: "float points make a float score", call: event("2PT", "2.0", `"C2"`, "P3"),
			has: []string{`"home": {"name": "Boston Celtics", "club_id": "C2", "score": 52.0}`, `"points": 2, "club_id": "C2"`}},
		{name: "float score in the score summary", setup: []step{event("2PT", "2.0", `"C2"`, "P3")}, call: step{"get_game_score", `{"game_id": "G3"}`},
			has: []string{`"score": "52.0"`}},
		{name: "bool point", call: event("FT", "true", `"C1"`, "P1"),
			has: []string{`"score": 49}`, `{"event_type": "FT", "points": 1,`}},
		{name: "game not in progress", call: step{"record_scoring_event", `{"game_id": "G1", "event_type": "2PT", "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": "Q1"}`},
			err: "Scoring can only be recorded for games in progress"},
		{name: "1PT", call: event("1PT", "1", `"C1"`, "P1"), err: "'1PT'", check: unscored},
		{name: "event type of another type", call: step{"record_scoring_event", `{"game_id": "G3", "event_type": 2, "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": "Q1"}`},
			err: "2"},
		{name: "event type list", call: step{"record_scoring_event", `{"game_id": "G3", "event_type": [], "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": "Q1"}`},
			err: "unhashable type: 'list'"},
		{name: "points mismatch", call: event("3PT", "2", `"C1"`, "P1"), err: "Points do not match the event type", check: unscored},
		{name: "points as text", call: event("2PT", `"2"`, `"C1"`, "P1"), err: "Points do not match the event type"},
		{name: "club not in game", call: event("2PT", "2", `"C3"`, "P1"), err: "Club is not part of this game", check: unscored},
		{name: "club list", call: event("2PT", "2", `["C1"]`, "P1"), err: "unhashable type: 'list'"},
		{name: "unknown player", call: event("2PT", "2", `"C1"`, "P9"), err: "Player not found", check: unscored},
		{name: "timestamp not a string", call: step{"record_scoring_event", `{"game_id": "G3", "event_type": "2PT", "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": 300}`},
			err: "1 validation error for GameScoringEvent", check: unscored},
		{name: "unknown game", call: step{"record_scoring_event", `{"game_id": "G9", "event_type": "2PT", "points": 2, "club_id": "C1", "player_id": "P1", "timestamp": "Q1"}`},
			err: "Game not found"},
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
		{name: "expression", call: step{"calculate", `{"expression": "(859 + 95) * 9"}`}, want: "8586.0"},
		{name: "rounded", call: step{"calculate", `{"expression": "10 / 3"}`}, want: "3.33"},
		{name: "letters", call: step{"calculate", `{"expression": "abs(-3)"}`}, err: "Invalid characters in expression"},
		{name: "division by zero", call: step{"calculate", `{"expression": "1 / 0"}`}, err: "division by zero"},
		{name: "int", call: step{"calculate", `{"expression": 5}`}, err: "'int' object is not iterable"},
		{name: "null", call: step{"calculate", `{"expression": null}`}, err: "'NoneType' object is not iterable"},
		{name: "list of allowed strings", call: step{"calculate", `{"expression": ["1", "+", "23"]}`}, err: "eval() arg 1 must be a string, bytes or code object"},
		{name: "list with a number", call: step{"calculate", `{"expression": ["1", 2]}`}, err: "'in <string>' requires string as left operand, not int"},
		{name: "list with a letter", call: step{"calculate", `{"expression": ["x", 2]}`}, err: "Invalid characters in expression"},
		{name: "dict keys", call: step{"calculate", `{"expression": {"12": "x"}}`}, err: "eval() arg 1 must be a string, bytes or code object"},
	})
}
