// Package basketball is the basketball league environment: clubs with their rosters,
// players with their contracts, and games with box scores, periods and scoring history.
// It mirrors the reference BasketballTools toolkit call for call.
package basketball

import "github.com/toolscale/toolscale/domains"

// DB is the basketball database: three tables keyed by id, in db.json order.
type DB struct {
	Clubs   *domains.Table[Club]   `json:"clubs"`
	Players *domains.Table[Player] `json:"players"`
	Games   *domains.Table[Game]   `json:"games"`
}

// Address is a postal address: an arena's, a player's or a game venue's.
//
// modify_player_address assigns the fields without validation, so they hold any Python
// value; they load as strings.
type Address struct {
	Street  any `json:"street" db:"type=str"`
	City    any `json:"city" db:"type=str"`
	Country any `json:"country" db:"type=str"`
	State   any `json:"state" db:"type=str"`
	Zip     any `json:"zip" db:"type=str"`
}

// PlayerName is a player's name.
type PlayerName struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// PlayerProfile is a rostered player's profile.
type PlayerProfile struct {
	Position string `json:"position"` // G, F, C, G/F, F/C, C/F
	// Number is Union[int, str] in the reference: 23 stays an int and "00" a string.
	Number   any     `json:"number"`
	HeightCm float64 `json:"height_cm"`
	WeightKg float64 `json:"weight_kg"`
}

// ClubArena is a club's home arena.
type ClubArena struct {
	Name    string  `json:"name"`
	Address Address `json:"address"`
}

// RosterEntry is a player on a club's roster.
type RosterEntry struct {
	PlayerID string        `json:"player_id"`
	Profile  PlayerProfile `json:"profile"`
	Active   bool          `json:"active"`
	Salary   float64       `json:"salary"`
}

// Club is a record of the clubs table. Its name comes before its id, as in the reference.
type Club struct {
	Name   string                    `json:"name"`
	ClubID string                    `json:"club_id"`
	League string                    `json:"league"`
	City   string                    `json:"city"`
	Arena  ClubArena                 `json:"arena"`
	Roster domains.Map[*RosterEntry] `json:"roster"`
	Games  []string                  `json:"games"`
}

// PlayerContractExtraInfo holds a contract's terms.
type PlayerContractExtraInfo struct {
	Salary float64 `json:"salary"`
	Years  int64   `json:"years"`
}

// PlayerContract is one contract of a player with a club.
type PlayerContract struct {
	Source     string                  `json:"source" db:"enum=draft|trade|free agency"`
	ContractID string                  `json:"contract_id"`
	ClubID     string                  `json:"club_id"`
	StartDate  string                  `json:"start_date"` // YYYY-MM-DD
	EndDate    string                  `json:"end_date"`   // YYYY-MM-DD
	ExtraInfo  PlayerContractExtraInfo `json:"extra_info"`
}

// Player is a record of the players table.
type Player struct {
	PlayerID  string                       `json:"player_id"`
	Name      PlayerName                   `json:"name"`
	Address   Address                      `json:"address"`
	Email     string                       `json:"email"`
	Contracts domains.Map[*PlayerContract] `json:"contracts"`
	Games     []string                     `json:"games"`
}

// GameClubEntry is one side of a game.
type GameClubEntry struct {
	Name   string `json:"name"`
	ClubID string `json:"club_id"`
	// Score is an int, but record_scoring_event adds the points as given: 2.0 makes it a
	// float. It loads as an int.
	Score any `json:"score" db:"type=int"`
}

// GameClubs are the home and away sides of a game.
type GameClubs struct {
	Home GameClubEntry `json:"home"`
	Away GameClubEntry `json:"away"`
}

// BoxScoreOptions are a box-score row's other statistics.
type BoxScoreOptions struct {
	Rebounds int64  `json:"rebounds"`
	Assists  int64  `json:"assists"`
	Minutes  string `json:"minutes"` // MM:SS
}

// BoxScoreEntry is one player's line in a game's box score.
type BoxScoreEntry struct {
	Name     string          `json:"name"`
	ClubID   string          `json:"club_id"`
	PlayerID string          `json:"player_id"`
	Points   int64           `json:"points"`
	Options  BoxScoreOptions `json:"options"`
}

// GamePeriod is one period of a game.
type GamePeriod struct {
	PeriodNumber int64    `json:"period_number"`
	EventIDs     []string `json:"event_ids"`
	PlayerIDs    []string `json:"player_ids"`
}

// GameScoringEvent is one scoring play.
type GameScoringEvent struct {
	EventType string `json:"event_type" db:"enum=1PT|2PT|3PT|FT"`
	Points    int64  `json:"points"`
	ClubID    string `json:"club_id"`
	PlayerID  string `json:"player_id"`
	Timestamp string `json:"timestamp"` // free text, usually "Q<n> MM:SS"
}

// Game is a record of the games table.
type Game struct {
	GameID         string             `json:"game_id"`
	Season         string             `json:"season"` // e.g. 2024-25
	Date           string             `json:"date"`   // YYYY-MM-DD, sometimes with a time and offset
	Status         string             `json:"status" db:"enum=scheduled|in_progress|final|postponed"`
	Venue          Address            `json:"venue"`
	Clubs          GameClubs          `json:"clubs"`
	BoxScore       []BoxScoreEntry    `json:"box_score"`
	Periods        []GamePeriod       `json:"periods"`
	ScoringHistory []GameScoringEvent `json:"scoring_history"`
}

// Game statuses.
var statuses = []string{"scheduled", "in_progress", "final", "postponed"}
