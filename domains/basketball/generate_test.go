package basketball

import (
	"fmt"
	"slices"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

func generated(t testing.TB, seed int64, scale int) *DB {
	t.Helper()
	db, err := Generate(domains.Rand(seed, "basketball", 0, "db"), scale)
	if err != nil {
		t.Fatal(err)
	}
	return db.(*DB)
}

func TestGeneratedConsistent(t *testing.T) {
	for _, scale := range []int{1, 2} {
		t.Run(fmt.Sprint("scale", scale), func(t *testing.T) {
			db := generated(t, 5, scale)
			if db.Clubs.Len() != 240*scale || db.Players.Len() != 300*scale || db.Games.Len() != 300*scale {
				t.Errorf("%d clubs, %d players, %d games", db.Clubs.Len(), db.Players.Len(), db.Games.Len())
			}
			seen := map[string]bool{}
			names := map[string]int{}
			for id, c := range db.Clubs.All() {
				names[c.Name]++
				if id != c.ClubID {
					t.Errorf("club key %s holds %s", id, c.ClubID)
				}
				for pid, e := range c.Roster.All() {
					p, ok := db.Players.Get(pid)
					if !ok || e.PlayerID != pid {
						t.Fatalf("club %s rosters unknown player %s", id, pid)
					}
					seen["inactive"] = seen["inactive"] || !e.Active
					_, isText := e.Profile.Number.(string)
					seen["text number"] = seen["text number"] || isText
					contracted := false
					for k := range p.Contracts.Values() {
						contracted = contracted || k.ClubID == id
					}
					if !contracted {
						t.Errorf("player %s is on the roster of %s without a contract", pid, id)
					}
				}
				for _, gid := range c.Games {
					g, ok := db.Games.Get(gid)
					if !ok || (g.Clubs.Home.ClubID != id && g.Clubs.Away.ClubID != id) {
						t.Errorf("club %s lists game %s it does not play", id, gid)
					}
				}
			}
			emails, fullNames := map[string]int{}, map[string]int{}
			for id, p := range db.Players.All() {
				emails[p.Email]++
				fullNames[p.Name.FirstName+" "+p.Name.LastName]++
				seen["free agent"] = seen["free agent"] || len(p.Games) == 0
				for k := range p.Contracts.Values() {
					seen["source "+k.Source] = true
					if _, ok := db.Clubs.Get(k.ClubID); !ok {
						t.Errorf("contract %s of %s with unknown club %s", k.ContractID, id, k.ClubID)
					}
				}
				for _, gid := range p.Games {
					g, ok := db.Games.Get(gid)
					if !ok || !slices.ContainsFunc(g.BoxScore, func(r BoxScoreEntry) bool { return r.PlayerID == id }) {
						t.Errorf("player %s lists game %s without a box-score row", id, gid)
					}
				}
			}
			for id, g := range db.Games.All() {
				seen["status "+g.Status] = true
				seen["season "+g.Season] = true
				for _, side := range []GameClubEntry{g.Clubs.Home, g.Clubs.Away} {
					c, ok := db.Clubs.Get(side.ClubID)
					if !ok || c.Name != side.Name || !slices.Contains(c.Games, id) {
						t.Errorf("game %s side %s does not match its club", id, side.ClubID)
					}
				}
				if g.Status == "final" && g.Clubs.Home.Score == g.Clubs.Away.Score {
					t.Errorf("final game %s is a tie", id)
				}
				for _, r := range g.BoxScore {
					p, ok := db.Players.Get(r.PlayerID)
					if !ok || !slices.Contains(p.Games, id) {
						t.Errorf("game %s box score lists %s, who does not list the game", id, r.PlayerID)
					}
				}
				for _, ev := range g.ScoringHistory {
					if ev.Points != eventPoints[ev.EventType] {
						t.Errorf("game %s: %s worth %d", id, ev.EventType, ev.Points)
					}
				}
			}
			for _, want := range []string{"status scheduled", "status in_progress", "status final", "status postponed",
				"season 2024-25", "season 2023-24", "source draft", "source trade", "source free agency",
				"inactive", "text number", "free agent"} {
				if !seen[want] {
					t.Errorf("generated data lacks %s", want)
				}
			}
			shared := func(m map[string]int) (n int) {
				for _, c := range m {
					if c > 1 {
						n++
					}
				}
				return n
			}
			if shared(names) == 0 || shared(emails) == 0 || shared(fullNames) == 0 {
				t.Errorf("no shared club name (%d), email (%d) or player name (%d)", shared(names), shared(emails), shared(fullNames))
			}
		})
	}
}

// TestGeneratedWriteTools runs every WRITE tool successfully on generated databases, and
// the status and scoring preconditions into their errors.
func TestGeneratedWriteTools(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		db := generated(t, seed, 1)
		byStatus := map[string]*Game{}
		for g := range db.Games.Values() {
			if byStatus[g.Status] == nil {
				byStatus[g.Status] = g
			}
		}
		live := byStatus["in_progress"]
		var scorer string
		for e := range mustClub(t, db, live.Clubs.Home.ClubID).Roster.Values() {
			scorer = e.PlayerID
		}
		player := db.Players.Keys()[0]
		for _, tc := range []struct {
			call step
			err  string
		}{
			{step{"modify_player_address", fmt.Sprintf(`{"player_id": %q, "street": "1 Main St", "city": "Austin", "state": "TX", "country": "USA", "zip": "78701"}`, player)}, ""},
			{step{"update_game_status", fmt.Sprintf(`{"game_id": %q, "new_status": "in_progress"}`, byStatus["scheduled"].GameID)}, ""},
			{step{"update_game_status", fmt.Sprintf(`{"game_id": %q, "new_status": "postponed"}`, byStatus["scheduled"].GameID)}, ""},
			{step{"update_game_status", fmt.Sprintf(`{"game_id": %q, "new_status": "scheduled"}`, byStatus["postponed"].GameID)}, ""},
			{step{"update_game_status", fmt.Sprintf(`{"game_id": %q, "new_status": "final"}`, live.GameID)}, ""},
			{step{"update_game_status", fmt.Sprintf(`{"game_id": %q, "new_status": "scheduled"}`, byStatus["final"].GameID)}, "Invalid status transition"},
			{step{"record_scoring_event", fmt.Sprintf(`{"game_id": %q, "event_type": "3PT", "points": 3, "club_id": %q, "player_id": %q, "timestamp": "Q4 02:11"}`,
				live.GameID, live.Clubs.Home.ClubID, scorer)}, ""},
			{step{"record_scoring_event", fmt.Sprintf(`{"game_id": %q, "event_type": "2PT", "points": 2, "club_id": %q, "player_id": %q, "timestamp": "Q1 10:00"}`,
				byStatus["final"].GameID, byStatus["final"].Clubs.Home.ClubID, scorer)}, "Scoring can only be recorded for games in progress"},
		} {
			if err := Domain.Tool(tc.call.Name()).Validate(mustParse(t, tc.call.Args())); err != nil {
				t.Errorf("seed %d: %s arguments do not fit the schema: %v", seed, tc.call.Name(), err)
			}
			r := domaintest.Call(t, domains.NewEnv(Domain, db, domains.DefaultNow), tc.call)
			switch {
			case tc.err == "" && !r.OK():
				t.Errorf("seed %d: %s failed: %v", seed, tc.call.Name(), r.Err)
			case tc.err != "" && (r.OK() || r.Err.Error() != tc.err):
				t.Errorf("seed %d: %s gave %s; want %s", seed, tc.call.Name(), r.Content, tc.err)
			}
		}
	}
}

func mustClub(t *testing.T, db *DB, id string) *Club {
	t.Helper()
	c, ok := db.Clubs.Get(id)
	if !ok {
		t.Fatalf("club %s missing", id)
	}
	return c
}

func mustParse(t *testing.T, s string) *py.Object {
	t.Helper()
	v, err := py.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v.(*py.Object)
}
