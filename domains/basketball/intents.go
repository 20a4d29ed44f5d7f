package basketball

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the league's task templates. Every task starts by authenticating the caller
// as a player, by email or by name and ZIP code; together the templates use every WRITE
// tool, the read-only ones ask for facts the agent must pass on, and four have a refusal
// or a hand-off as their correct outcome. A draft's subject is the calling player's id;
// drafted for a given subject (a later request of the same call), a template asks about
// that player's own club, games and records, and the agent does not authenticate again.
var intents = []*domains.Intent{
	intent("live_score", draftLiveScore),
	intent("club_record", draftClubRecord),
	intent("season_points", draftSeasonPoints),
	intent("upcoming_schedule", draftUpcomingSchedule),
	intent("box_score_line", draftBoxScoreLine),
	intent("last_basket", draftLastBasket),
	intent("club_roster", draftClubRoster),
	intent("my_contract", draftMyContract),
	intent("change_address", draftChangeAddress),
	intent("change_address_by_name", draftChangeAddressByName),
	intent("tip_off", draftTipOff),
	intent("postpone_game", draftPostponeGame),
	intent("reschedule_game", draftRescheduleGame),
	intent("final_buzzer", draftFinalBuzzer),
	intent("record_basket", draftRecordBasket),
	intent("reopen_final_refused", draftReopenFinalRefused),
	intent("scoring_refused", draftScoringRefused),
	intent("other_address_refused", draftOtherAddressRefused),
	intent("human_agent", draftHumanAgent),
}

// intent names a template. Its drafts lose the space a missing authentication sentence
// leaves, and a draft for another caller than the environment's subject is refused.
func intent(name string, draft func(r *rand.Rand, env *domains.Env) (*task.Draft, error)) *domains.Intent {
	return &domains.Intent{Name: name, Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
		d, err := draft(r, env)
		if err != nil {
			return nil, err
		}
		if env.Subject != "" && d.Subject != env.Subject {
			return nil, fmt.Errorf("%w: %s drafts for %q, not the subject %q", domains.ErrNoCandidate, name, d.Subject, env.Subject)
		}
		d.KnownInfo = strings.TrimSpace(d.KnownInfo)
		return d, nil
	}}
}

// transferMessage is the text the policy makes the agent send after a hand-off.
const transferMessage = "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON."

func fullName(p *Player) string { return p.Name.FirstName + " " + p.Name.LastName }

func nameKey(first, last string) string {
	return strings.ToLower(first) + "\x00" + strings.ToLower(last)
}

// A league indexes what authentication and personas need: who an email or a name
// reaches, and the club each player is rostered with.
type league struct {
	db *DB
	// subj is the caller every draft is for, when the environment names one.
	subj    *Player
	hasSubj bool
	*roster
}

// A roster is the part of a league that depends on the records alone, shared by the
// drafts of one database.
type roster struct {
	byEmail map[string]string // lower-case email → the first player with it
	names   map[string]int    // nameKey → players with that name
	clubOf  map[string]*Club  // player id → first club listing the player
}

func index(env *domains.Env) *league {
	db := dbOf(env)
	r, ok := domains.Derived(db, "basketball.roster", func() *roster { return rosterOf(db) })
	if !ok {
		r = rosterOf(db)
	}
	l := &league{db: db, roster: r}
	if env.Subject != "" {
		l.hasSubj = true
		l.subj, _ = db.Players.Get(env.Subject)
	}
	return l
}

func rosterOf(db *DB) *roster {
	n := db.Players.Len()
	r := &roster{byEmail: make(map[string]string, n), names: make(map[string]int, n), clubOf: make(map[string]*Club, n)}
	for id, p := range db.Players.All() {
		if e := strings.ToLower(p.Email); e != "" {
			if _, seen := r.byEmail[e]; !seen {
				r.byEmail[e] = id
			}
		}
		r.names[nameKey(p.Name.FirstName, p.Name.LastName)]++
	}
	for c := range db.Clubs.Values() {
		for id := range c.Roster.All() {
			if _, seen := r.clubOf[id]; !seen {
				r.clubOf[id] = c
			}
		}
	}
	return r
}

// Ways a caller can authenticate.
const (
	anyAuth = iota
	emailAuth
	nameAuth
)

func (l *league) byEmailOK(p *Player) bool {
	return p.Email != "" && l.byEmail[strings.ToLower(p.Email)] == p.PlayerID
}

func (l *league) byNameOK(p *Player) bool {
	zip, _ := p.Address.Zip.(string)
	return zip != "" && p.Name.FirstName != "" && l.names[nameKey(p.Name.FirstName, p.Name.LastName)] == 1
}

func (l *league) canAuth(p *Player, mode int) bool {
	switch mode {
	case emailAuth:
		return l.byEmailOK(p)
	case nameAuth:
		return l.byNameOK(p)
	}
	return l.byEmailOK(p) || l.byNameOK(p)
}

// mine reports whether a game concerns the subject, the caller's club playing in it or
// the caller on its list; every game does when there is no subject.
func (l *league) mine(g *Game) bool {
	if !l.hasSubj {
		return true
	}
	if l.subj == nil {
		return false
	}
	if c := l.clubOf[l.subj.PlayerID]; c != nil && (g.Clubs.Home.ClubID == c.ClubID || g.Clubs.Away.ClubID == c.ClubID) {
		return true
	}
	return slices.Contains(l.subj.Games, g.GameID)
}

// myClub reports whether a club is the subject's; every club is when there is no subject.
func (l *league) myClub(c *Club) bool {
	return !l.hasSubj || l.subj != nil && l.clubOf[l.subj.PlayerID] == c
}

// isSubject reports whether p may be the caller: the subject, or anyone when there is none.
func (l *league) isSubject(p *Player) bool { return !l.hasSubj || p == l.subj }

// A caller is the authenticated player of a task.
type caller struct {
	p     *Player
	known string      // how the user identifies themselves
	calls []task.Call // the agent's authentication calls
	read  bool        // calls include get_player_details
}

func (l *league) authenticate(r *rand.Rand, p *Player, mode int) *caller {
	if l.hasSubj {
		// A later request of the same call: the caller is authenticated already.
		return &caller{p: p}
	}
	if mode == anyAuth {
		mode = emailAuth
		if !l.byEmailOK(p) || l.byNameOK(p) && r.IntN(3) == 0 {
			mode = nameAuth
		}
	}
	if mode == emailAuth {
		return &caller{p: p,
			known: fmt.Sprintf(domains.OneOf(r, []string{"Your email address is %s.", "You use the email %s for league matters.", "The email on your league file is %s."}), p.Email),
			calls: []task.Call{task.NewCall("find_player_id_by_email", "email", p.Email)},
		}
	}
	zip, _ := p.Address.Zip.(string)
	return &caller{p: p,
		known: fmt.Sprintf(domains.OneOf(r, []string{"Your name is %s %s and the ZIP code on your file is %s.", "You are %s %s; your ZIP code on file is %s.", "You give your name, %s %s, and your ZIP code, %s."}), p.Name.FirstName, p.Name.LastName, zip),
		calls: []task.Call{
			task.NewCall("find_player_id_by_name", "first_name", p.Name.FirstName, "last_name", p.Name.LastName),
			task.NewCall("get_player_details", "player_id", p.PlayerID),
		},
		read: true,
	}
}

// callerFor picks a player who can authenticate by mode, among those prefer accepts when
// there are any, and authenticates them. With a subject, the caller is the subject.
func (l *league) callerFor(r *rand.Rand, mode int, prefer func(*Player) bool) (*caller, error) {
	if l.hasSubj {
		if l.subj == nil || !l.canAuth(l.subj, mode) {
			return nil, domains.ErrNoCandidate
		}
		return l.authenticate(r, l.subj, mode), nil
	}
	var all, preferred []*Player
	for p := range l.db.Players.Values() {
		if !l.canAuth(p, mode) {
			continue
		}
		all = append(all, p)
		if prefer != nil && prefer(p) {
			preferred = append(preferred, p)
		}
	}
	if len(preferred) > 0 {
		all = preferred
	}
	if len(all) == 0 {
		return nil, domains.ErrNoCandidate
	}
	return l.authenticate(r, domains.OneOf(r, all), mode), nil
}

// onClubs accepts the players rostered with one of the clubs.
func (l *league) onClubs(ids ...string) func(*Player) bool {
	return func(p *Player) bool {
		c := l.clubOf[p.PlayerID]
		return c != nil && slices.Contains(ids, c.ClubID)
	}
}

var styles = []string{
	"You speak briefly and get to the point.",
	"You are upbeat and chatty, and you like to talk about the game.",
	"You are in a hurry between practices and answer in short sentences.",
	"You are careful and repeat numbers back to make sure they are right.",
	"You are polite but a little impatient.",
	"You are relaxed and friendly, and you thank the agent at the end.",
	"You are not a fan of phone menus and want a straight answer.",
}

func (l *league) persona(r *rand.Rand, p *Player) string {
	role := "a free agent looking for a new club"
	if c := l.clubOf[p.PlayerID]; c != nil {
		role = "a player on the " + c.Name
		if e, ok := c.Roster.Get(p.PlayerID); ok && e.Profile.Position != "" {
			role = fmt.Sprintf("a %s on the %s", positionName(e.Profile.Position), c.Name)
		}
	}
	return fmt.Sprintf(domains.OneOf(r, []string{"You are %s, %s.", "You are %s, %s, calling the league office.", "You are %s, %s, and you handle your own league paperwork."}), fullName(p), role) +
		" " + domains.OneOf(r, styles)
}

func positionName(pos string) string {
	switch pos {
	case "G":
		return "guard"
	case "F":
		return "forward"
	case "C":
		return "center"
	case "G/F":
		return "guard-forward"
	case "F/C", "C/F":
		return "forward-center"
	}
	return "player"
}

var confirmLines = []string{
	"When the agent lists the details and asks for confirmation, answer yes.",
	"Say yes once the agent has read the change back to you.",
	"Confirm with a clear yes when the agent asks whether to go ahead.",
	"If the agent asks you to confirm, check the details and agree.",
}

func gameLabel(g *Game) string {
	date := g.Date
	if len(date) > 10 {
		date = date[:10]
	}
	return fmt.Sprintf("the %s vs %s game of %s", g.Clubs.Home.Name, g.Clubs.Away.Name, date)
}

func gameKnown(r *rand.Rand, g *Game) string {
	return fmt.Sprintf(domains.OneOf(r, []string{
		"The game is %[2]s; its game id is %[1]s.",
		"You have the game id from the league app: %[1]s (%[2]s).",
		"The game id printed on your ticket is %[1]s, for %[2]s.",
	}), g.GameID, gameLabel(g))
}

func (l *league) games(keep func(*Game) bool) []*Game {
	var out []*Game
	for g := range l.db.Games.Values() {
		if keep(g) {
			out = append(out, g)
		}
	}
	return out
}

func statusIs(s string) func(*Game) bool { return func(g *Game) bool { return g.Status == s } }

func scores(g *Game) (home, away string) {
	return py.Str(g.Clubs.Home.Score), py.Str(g.Clubs.Away.Score)
}

func actions(c *caller, calls ...task.Call) []task.Call {
	return append(slices.Clip(c.calls), calls...)
}

// ---- read-only intents ----

func draftLiveScore(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	gs := l.games(func(g *Game) bool { return (g.Status == "in_progress" || g.Status == "final") && l.mine(g) })
	if len(gs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	g := domains.OneOf(r, gs)
	c, err := l.callerFor(r, anyAuth, l.onClubs(g.Clubs.Home.ClubID, g.Clubs.Away.ClubID))
	if err != nil {
		return nil, err
	}
	home, away := scores(g)
	ask := "the score"
	if g.Status == "in_progress" {
		ask = "the live score"
	}
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "live_score",
		Purpose: "Authenticate the player and report a game's status and score.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want %s of %s.",
			"You missed %[2]s and want to know %[1]s.",
			"Your family asked you for %s of %s.",
		}), ask, gameLabel(g)),
		KnownInfo:        c.known + " " + gameKnown(r, g),
		UnknownInfo:      "You do not know the score or whether the game is over.",
		TaskInstructions: domains.OneOf(r, []string{"Ask for both clubs' scores.", "You want both scores and whether the game has finished.", "Ask for the score only; you need nothing else."}),
		Actions:          actions(c, task.NewCall("get_game_score", "game_id", g.GameID)),
		CommunicateInfo:  []string{home, away},
		NLAssertions: []string{
			fmt.Sprintf("The agent reports %s %s and %s %s.", g.Clubs.Home.Name, home, g.Clubs.Away.Name, away),
			"The agent authenticates the user before sharing game information.",
		},
	}, nil
}

func draftClubRecord(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	type cand struct {
		c       *Club
		seasons []string
	}
	var cands []cand
	for c := range l.db.Clubs.Values() {
		var seasons []string
		for _, id := range c.Games {
			if g, ok := l.db.Games.Get(id); ok && g.Status == "final" && !slices.Contains(seasons, g.Season) {
				seasons = append(seasons, g.Season)
			}
		}
		if len(seasons) > 0 && l.myClub(c) {
			cands = append(cands, cand{c, seasons})
		}
	}
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	cd := domains.OneOf(r, cands)
	args := []any{"club_id", cd.c.ClubID}
	scope := "overall"
	if r.IntN(2) == 0 {
		season := domains.OneOf(r, cd.seasons)
		args = append(args, "season", season)
		scope = "in the " + season + " season"
	}
	res := env.Call("get_club_record", py.NewObject(args...))
	if !res.OK() {
		return nil, fmt.Errorf("club_record: club %s: %w", cd.c.ClubID, res.Err)
	}
	out := res.Output.(*py.Object)
	w, _ := out.Get("wins")
	ls, _ := out.Get("losses")
	wins, losses := py.Str(w), py.Str(ls)
	c, err := l.callerFor(r, anyAuth, l.onClubs(cd.c.ClubID))
	if err != nil {
		return nil, err
	}
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "club_record",
		Purpose: "Authenticate the player and report a club's wins and losses in final games.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want to know the %[1]s win-loss record %[2]s.",
			"You are settling a bet about how many games the %[1]s have won and lost %[2]s.",
			"A reporter asked you for the %[1]s record %[2]s and you want the official numbers.",
		}), possessive(cd.c.Name), scope),
		KnownInfo:        c.known + fmt.Sprintf(" The club is the %s of %s; its club id is %s.", cd.c.Name, cd.c.City, cd.c.ClubID),
		UnknownInfo:      "You do not know the record.",
		TaskInstructions: domains.OneOf(r, []string{"Ask for wins and losses " + scope + ".", "You want both the wins and the losses, " + scope + "."}),
		Actions:          actions(c, task.NewCall("get_club_record", args...)),
		CommunicateInfo:  []string{wins, losses},
		NLAssertions:     []string{fmt.Sprintf("The agent reports %s wins and %s losses for club %s %s.", wins, losses, cd.c.ClubID, scope)},
	}, nil
}

func draftSeasonPoints(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	// The caller asks about their own points: players with games.
	var ps []*Player
	for p := range l.db.Players.Values() {
		if len(p.Games) > 0 && l.canAuth(p, anyAuth) && l.isSubject(p) {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := domains.OneOf(r, ps)
	var seasons []string
	for _, id := range p.Games {
		if g, ok := l.db.Games.Get(id); ok && !slices.Contains(seasons, g.Season) {
			seasons = append(seasons, g.Season)
		}
	}
	if len(seasons) == 0 {
		return nil, domains.ErrNoCandidate
	}
	season := domains.OneOf(r, seasons)
	res := env.Call("get_player_total_points", py.NewObject("player_id", p.PlayerID, "season", season))
	if !res.OK() {
		return nil, fmt.Errorf("season_points: player %s: %w", p.PlayerID, res.Err)
	}
	total := py.Str(res.Output)
	if total == "0" {
		return nil, domains.ErrNoCandidate
	}
	c := l.authenticate(r, p, anyAuth)
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "season_points",
		Purpose: "Authenticate the player and report their total points in a season.",
		Persona: l.persona(r, p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want to know how many points you have scored in the %s season.",
			"Your agent is negotiating a contract and needs your official point total for %s.",
			"You are curious how many points the league has credited to you for the %s season.",
		}), season),
		KnownInfo:        c.known + " The season is " + season + ".",
		UnknownInfo:      "You do not know your player id or your total.",
		TaskInstructions: domains.OneOf(r, []string{"Ask only about your own points.", "You want the single total for the season, not a game-by-game list."}),
		Actions:          actions(c, task.NewCall("get_player_total_points", "player_id", p.PlayerID, "season", season)),
		CommunicateInfo:  []string{total},
		NLAssertions:     []string{fmt.Sprintf("The agent reports %s points for the %s season.", total, season)},
	}, nil
}

func draftUpcomingSchedule(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	type cand struct {
		c   *Club
		ids []string
	}
	var cands []cand
	for c := range l.db.Clubs.Values() {
		var ids []string
		for _, id := range c.Games {
			if g, ok := l.db.Games.Get(id); ok && g.Status == "scheduled" {
				ids = append(ids, id)
			}
		}
		if len(ids) > 0 && l.myClub(c) {
			cands = append(cands, cand{c, ids})
		}
	}
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	cd := domains.OneOf(r, cands)
	c, err := l.callerFor(r, anyAuth, l.onClubs(cd.c.ClubID))
	if err != nil {
		return nil, err
	}
	acts := actions(c, task.NewCall("get_club_schedule", "club_id", cd.c.ClubID, "status", "scheduled"))
	var dates []string
	for _, id := range cd.ids {
		g, _ := l.db.Games.Get(id)
		acts = append(acts, task.NewCall("get_game_details", "game_id", id))
		d := g.Date
		if len(d) > 10 {
			d = d[:10]
		}
		dates = append(dates, d)
	}
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "upcoming_schedule",
		Purpose: "Authenticate the player and list a club's scheduled games with their dates.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want the dates of the %s scheduled games.",
			"You are planning family visits around the %s upcoming games and need their dates and venues.",
			"You want to know when and where the %s play next.",
		}), possessive(cd.c.Name)),
		KnownInfo:        c.known + fmt.Sprintf(" The club's id is %s.", cd.c.ClubID),
		UnknownInfo:      "You do not know how many games are scheduled.",
		TaskInstructions: domains.OneOf(r, []string{"Ask for every scheduled game's date and venue.", "Ask for all upcoming scheduled games, not only the next one."}),
		Actions:          acts,
		CommunicateInfo:  dates,
		NLAssertions:     []string{fmt.Sprintf("The agent lists the %d scheduled game(s) of %s with their dates: %s.", len(dates), cd.c.ClubID, strings.Join(dates, ", "))},
	}, nil
}

func draftBoxScoreLine(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	type cand struct {
		g   *Game
		row BoxScoreEntry
		p   *Player
	}
	var cands []cand
	for g := range l.db.Games.Values() {
		for _, row := range g.BoxScore {
			if p, ok := l.db.Players.Get(row.PlayerID); ok && row.Options.Minutes != "" && l.canAuth(p, anyAuth) && l.isSubject(p) {
				cands = append(cands, cand{g, row, p})
			}
		}
	}
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	cd := domains.OneOf(r, cands)
	c := l.authenticate(r, cd.p, anyAuth)
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "box_score_line",
		Purpose: "Authenticate the player and report their own line in a game's box score.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want your official minutes and points from %s.",
			"Your coach says you played fewer minutes than you think in %s; you want the box score's numbers.",
			"You are keeping a personal log and need your minutes and points in %s.",
		}), gameLabel(cd.g)),
		KnownInfo:        c.known + " " + gameKnown(r, cd.g),
		UnknownInfo:      "You do not remember your exact minutes or points.",
		TaskInstructions: "Ask for your minutes played and your points in that game only.",
		Actions:          actions(c, task.NewCall("get_game_box_score", "game_id", cd.g.GameID)),
		CommunicateInfo:  []string{cd.row.Options.Minutes, fmt.Sprint(cd.row.Points)},
		NLAssertions:     []string{fmt.Sprintf("The agent reports %s minutes and %d points for the user in game %s.", cd.row.Options.Minutes, cd.row.Points, cd.g.GameID)},
	}, nil
}

func draftLastBasket(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	gs := l.games(func(g *Game) bool { return len(g.ScoringHistory) > 0 && l.mine(g) })
	if len(gs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	g := domains.OneOf(r, gs)
	ev := g.ScoringHistory[len(g.ScoringHistory)-1]
	c, err := l.callerFor(r, anyAuth, l.onClubs(g.Clubs.Home.ClubID, g.Clubs.Away.ClubID))
	if err != nil {
		return nil, err
	}
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "last_basket",
		Purpose: "Authenticate the player and report the last scoring play recorded for a game.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want to know the last scoring play recorded for %s: who scored, what kind of play and when.",
			"There is an argument in the locker room about the last basket of %s; you want the official timeline's answer.",
		}), gameLabel(g)),
		KnownInfo:        c.known + " " + gameKnown(r, g),
		UnknownInfo:      "You do not know the scorer's player id.",
		TaskInstructions: "Ask for the scorer's player id, the kind of play and the game time of the last recorded play.",
		Actions:          actions(c, task.NewCall("get_game_timeline", "game_id", g.GameID)),
		CommunicateInfo:  []string{ev.PlayerID, ev.Timestamp},
		NLAssertions:     []string{fmt.Sprintf("The agent reports that the last recorded play is a %s by player %s at %s.", ev.EventType, ev.PlayerID, ev.Timestamp)},
	}, nil
}

func draftClubRoster(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	var clubs []*Club
	for c := range l.db.Clubs.Values() {
		if c.Roster.Len() > 0 && l.myClub(c) {
			clubs = append(clubs, c)
		}
	}
	if len(clubs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	club := domains.OneOf(r, clubs)
	inactive, active := false, false
	for e := range club.Roster.Values() {
		inactive = inactive || !e.Active
		active = active || e.Active
	}
	args := []any{"club_id", club.ClubID}
	all := inactive && (!active || r.IntN(2) == 0)
	scope := "active"
	if all {
		args = append(args, "active_only", false)
		scope = "all, active or not,"
	}
	var ids []string
	for id, e := range club.Roster.All() {
		if all || e.Active {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, domains.ErrNoCandidate
	}
	slices.Sort(ids)
	c, err := l.callerFor(r, anyAuth, l.onClubs(club.ClubID))
	if err != nil {
		return nil, err
	}
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "club_roster",
		Purpose: "Authenticate the player and list the player ids on a club's roster.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You need the player ids of %[2]s players on the %[1]s roster for a charity-event sign-up sheet.",
			"You want to know which player ids are listed as %[2]s on the %[1]s roster.",
		}), possessive(club.Name), scope),
		KnownInfo:        c.known + fmt.Sprintf(" The club's id is %s.", club.ClubID),
		UnknownInfo:      "You do not know the players' ids.",
		TaskInstructions: "Ask for the ids only; you do not need anyone's personal details.",
		Actions:          actions(c, task.NewCall("list_club_roster_ids", args...)),
		CommunicateInfo:  ids,
		NLAssertions:     []string{fmt.Sprintf("The agent lists the roster ids of %s: %s.", club.ClubID, strings.Join(ids, ", "))},
	}, nil
}

func draftMyContract(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	c, err := l.callerFor(r, anyAuth, func(p *Player) bool { return p.Contracts.Len() > 0 })
	if err != nil {
		return nil, err
	}
	var latest *PlayerContract
	for k := range c.p.Contracts.Values() {
		if latest == nil || k.EndDate > latest.EndDate {
			latest = k
		}
	}
	if latest == nil || latest.EndDate == "" {
		return nil, domains.ErrNoCandidate
	}
	acts := c.calls
	if !c.read {
		acts = actions(c, task.NewCall("get_player_details", "player_id", c.p.PlayerID))
	}
	club := latest.ClubID
	if cl, ok := l.db.Clubs.Get(latest.ClubID); ok {
		club = "the " + cl.Name
	}
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "my_contract",
		Purpose: "Authenticate the player and report the dates of their own latest contract.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want to confirm when your contract with %s ends and when it started.",
			"You are planning your next move and need the start and end dates of your latest contract (with %s).",
		}), club),
		KnownInfo:        c.known,
		UnknownInfo:      "You do not remember the exact dates of the contract.",
		TaskInstructions: "Ask only about your own contract, the one that ends last.",
		Actions:          acts,
		CommunicateInfo:  []string{latest.EndDate, latest.StartDate},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the user that contract %s runs from %s to %s.", latest.ContractID, latest.StartDate, latest.EndDate),
			"The agent shares contract details only after authenticating the player.",
		},
	}, nil
}

// ---- address changes ----

func newAddress(r *rand.Rand, old Address) []any {
	t := domains.OneOf(r, teams)
	street := fmt.Sprintf("%d %s", 10+r.IntN(9990), domains.OneOf(r, []string{"Maple Ave", "Oak St", "Lakeshore Dr", "Prospect Ave", "Mission St", "Hillside Rd", "Park Pl", "Elm St", "Sunset Blvd", "River Rd", "Cedar Ln", "Highland Ave", "Juniper Way", "Harbor Blvd"}))
	if s, _ := old.Street.(string); s == street {
		street = "Apt 2, " + street
	}
	return []any{"street", street, "city", t.acity, "state", t.state, "country", t.land, "zip", t.zip}
}

func addressDraft(r *rand.Rand, env *domains.Env, mode int, intent string) (*task.Draft, error) {
	l := index(env)
	c, err := l.callerFor(r, mode, nil)
	if err != nil {
		return nil, err
	}
	addr := newAddress(r, c.p.Address)
	v := func(k string) string {
		for i := 0; i+1 < len(addr); i += 2 {
			if addr[i] == k {
				return addr[i+1].(string)
			}
		}
		return ""
	}
	acts := c.calls
	if !c.read {
		acts = actions(c, task.NewCall("get_player_details", "player_id", c.p.PlayerID))
	}
	acts = append(slices.Clip(acts), task.NewCall("modify_player_address", append([]any{"player_id", c.p.PlayerID}, addr...)...))
	how := "email"
	if mode == nameAuth {
		how = "name and ZIP code"
	}
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  intent,
		Purpose: "Authenticate the player by " + how + " and change their own address after confirmation.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You moved to %s and want the address on your league file updated.",
			"You bought a place in %s; the league should send your mail there.",
			"Your mail keeps going to your old place, and you now live in %s.",
		}), v("city")),
		KnownInfo: c.known + fmt.Sprintf(" Your new address is %s, %s, %s %s, %s.",
			v("street"), v("city"), v("state"), v("zip"), v("country")),
		UnknownInfo:      "You do not know your player id.",
		TaskInstructions: "Give the street, city, state, country and ZIP code of the new address when asked. " + domains.OneOf(r, confirmLines),
		Actions:          acts,
		NLAssertions: []string{
			"The agent collects all five parts of the new address and gets an explicit yes before changing it.",
			"The agent changes only the authenticated player's own address.",
		},
	}, nil
}

func draftChangeAddress(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return addressDraft(r, env, emailAuth, "change_address")
}

func draftChangeAddressByName(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if env.Subject != "" {
		// Its point is authenticating by name; a later request of the call changes an
		// address through change_address.
		return nil, domains.ErrNoCandidate
	}
	return addressDraft(r, env, nameAuth, "change_address_by_name")
}

// ---- game status ----

// statusDraft drafts a status move of a game now in status from.
func statusDraft(r *rand.Rand, env *domains.Env, intent, from, to string, reasons []string) (*task.Draft, error) {
	l := index(env)
	gs := l.games(func(g *Game) bool { return g.Status == from && l.mine(g) })
	if len(gs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	g := domains.OneOf(r, gs)
	c, err := l.callerFor(r, anyAuth, l.onClubs(g.Clubs.Home.ClubID, g.Clubs.Away.ClubID))
	if err != nil {
		return nil, err
	}
	read := task.NewCall("get_game_details", "game_id", g.GameID)
	var comm []string
	instr := domains.OneOf(r, confirmLines)
	if to == "final" {
		read = task.NewCall("get_game_score", "game_id", g.GameID)
		home, away := scores(g)
		comm = []string{home, away}
		instr += " Before hanging up, ask for the final score."
	}
	return &task.Draft{
		Subject:       c.p.PlayerID,
		Intent:        intent,
		Purpose:       fmt.Sprintf("Authenticate the player and move a game from %s to %s after confirmation.", from, to),
		Persona:       l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, reasons), gameLabel(g)),
		KnownInfo:     c.known + " " + gameKnown(r, g),
		UnknownInfo:   "You do not know the game's current status in the league's system.",
		TaskInstructions: instr + " " + domains.OneOf(r, []string{
			"You act on behalf of the scorer's table.",
			"The game officials asked you to call this in.",
			"You are the club's player representative for this game.",
		}),
		Actions:         actions(c, read, task.NewCall("update_game_status", "game_id", g.GameID, "new_status", to)),
		CommunicateInfo: comm,
		NLAssertions: []string{
			fmt.Sprintf("The agent states the game id %s, its current status %s and the new status %s, and gets an explicit yes before changing it.", g.GameID, from, to),
		},
	}, nil
}

func draftTipOff(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return statusDraft(r, env, "tip_off", "scheduled", "in_progress", []string{
		"The ball was just tipped in %s, and the league's system should show the game in progress.",
		"You are courtside: %s has started, so its status should be in progress.",
	})
}

// postponeOrReschedule refuses to draft for a subject: chained after each other, postponing
// and rescheduling one game would leave it as it was.
func postponeOrReschedule(env *domains.Env) error {
	if env.Subject != "" {
		return domains.ErrNoCandidate
	}
	return nil
}

func draftPostponeGame(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if err := postponeOrReschedule(env); err != nil {
		return nil, err
	}
	return statusDraft(r, env, "postpone_game", "scheduled", "postponed", []string{
		"A storm closed the arena, so %s has to be postponed.",
		"The arena's floor is being repaired, and %s is postponed.",
		"A flu outbreak on the team means %s is postponed.",
	})
}

func draftRescheduleGame(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if err := postponeOrReschedule(env); err != nil {
		return nil, err
	}
	return statusDraft(r, env, "reschedule_game", "postponed", "scheduled", []string{
		"The league found a new slot for %s, which was postponed; it should be scheduled again.",
		"%s was postponed, but it is back on the calendar now and should be marked scheduled.",
	})
}

func draftFinalBuzzer(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return statusDraft(r, env, "final_buzzer", "in_progress", "final", []string{
		"The final buzzer just sounded in %s, and the game should be marked final.",
		"%s is over; you want the league's record to show it as final.",
	})
}

// ---- scoring ----

// scorers returns the players who can be credited with a play in g: existing players on
// the box score or the rosters of the game's clubs, with the club they score for.
func (l *league) scorers(g *Game) (players []*Player, clubs []string) {
	seen := map[string]bool{}
	add := func(pid, club string) {
		if seen[pid] || (club != g.Clubs.Home.ClubID && club != g.Clubs.Away.ClubID) {
			return
		}
		if p, ok := l.db.Players.Get(pid); ok {
			seen[pid] = true
			players, clubs = append(players, p), append(clubs, club)
		}
	}
	for _, row := range g.BoxScore {
		add(row.PlayerID, row.ClubID)
	}
	for _, id := range []string{g.Clubs.Home.ClubID, g.Clubs.Away.ClubID} {
		if c, ok := l.db.Clubs.Get(id); ok {
			for pid, e := range c.Roster.All() {
				if e.Active {
					add(pid, id)
				}
			}
		}
	}
	return players, clubs
}

var plays = []struct {
	kind   string
	points int64
	words  string
}{
	{"2PT", 2, "a two-point field goal"},
	{"3PT", 3, "a three-pointer"},
	{"FT", 1, "a free throw"},
}

// possessive is "the Lakers'" or "the Phoenix Mercury's".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

func pointsText(n int64) string {
	if n == 1 {
		return "1 point"
	}
	return fmt.Sprintf("%d points", n)
}

func clubName(g *Game, id string) string {
	if id == g.Clubs.Home.ClubID {
		return g.Clubs.Home.Name
	}
	return g.Clubs.Away.Name
}

func draftRecordBasket(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	type cand struct {
		g    *Game
		p    *Player
		club string
	}
	var cands []cand
	for _, g := range l.games(statusIs("in_progress")) {
		ps, cs := l.scorers(g)
		for i := range ps {
			if l.hasSubj && ps[i] != l.subj && (l.subj == nil || l.clubOf[l.subj.PlayerID] == nil || l.clubOf[l.subj.PlayerID].ClubID != cs[i]) {
				continue // with a subject, the caller's own basket or a teammate's
			}
			cands = append(cands, cand{g, ps[i], cs[i]})
		}
	}
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	cd := domains.OneOf(r, cands)
	g := cd.g
	play := domains.OneOf(r, plays)
	quarter := max(1, len(g.Periods))
	stamp := fmt.Sprintf("Q%d %02d:%02d", quarter, r.IntN(12), r.IntN(60))
	var c *caller
	self := l.canAuth(cd.p, anyAuth) && r.IntN(2) == 0 && l.isSubject(cd.p)
	if self {
		c = l.authenticate(r, cd.p, anyAuth)
	} else {
		var err error
		if c, err = l.callerFor(r, anyAuth, l.onClubs(cd.club)); err != nil {
			return nil, err
		}
		self = c.p == cd.p
	}
	scorer := fmt.Sprintf("%s (player id %s)", fullName(cd.p), cd.p.PlayerID)
	if self {
		scorer = "you (your own basket)"
	}
	side := g.Clubs.Away.Score
	if cd.club == g.Clubs.Home.ClubID {
		side = g.Clubs.Home.Score
	}
	now := py.Str(add(side, play.points))
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "record_basket",
		Purpose: "Authenticate the player and record a scoring play in a game in progress after confirmation.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"The scorer's table asked you to phone in %[1]s in %[2]s that their system missed.",
			"A play in %[2]s is missing from the official record: %[1]s.",
		}), play.words, gameLabel(g)),
		KnownInfo: c.known + " " + gameKnown(r, g) + fmt.Sprintf(" The play: %s (%s, %s) for the %s (club id %s), scored by %s at %s.",
			play.words, play.kind, pointsText(play.points), clubName(g, cd.club), cd.club, scorer, stamp),
		UnknownInfo:      "You do not know the current score.",
		TaskInstructions: domains.OneOf(r, confirmLines) + " Afterwards, ask what the " + possessive(clubName(g, cd.club)) + " score is now.",
		Actions: actions(c, task.NewCall("get_game_details", "game_id", g.GameID),
			task.NewCall("record_scoring_event", "game_id", g.GameID, "event_type", play.kind, "points", play.points,
				"club_id", cd.club, "player_id", cd.p.PlayerID, "timestamp", stamp)),
		CommunicateInfo: []string{now},
		NLAssertions: []string{
			"The agent repeats the game, kind of play, points, club, player and game time, and gets an explicit yes before recording the play.",
			fmt.Sprintf("The agent tells the user the club's score is now %s.", now),
		},
	}, nil
}

// ---- refusals and hand-offs ----

func draftReopenFinalRefused(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	gs := l.games(func(g *Game) bool { return g.Status == "final" && l.mine(g) })
	if len(gs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	g := domains.OneOf(r, gs)
	c, err := l.callerFor(r, anyAuth, l.onClubs(g.Clubs.Home.ClubID, g.Clubs.Away.ClubID))
	if err != nil {
		return nil, err
	}
	home, away := scores(g)
	want := domains.OneOf(r, []string{"in_progress", "scheduled", "postponed"})
	why := map[string]string{
		"in_progress": "the referees are reviewing the last play, so you want it back in progress",
		"scheduled":   "your club protested the result and wants it replayed, so you want it scheduled again",
		"postponed":   "the result is under protest, so you want it marked postponed",
	}[want]
	return &task.Draft{
		Subject:          c.p.PlayerID,
		Intent:           "reopen_final_refused",
		Purpose:          "Refuse to change the status of a final game, and report its score.",
		Persona:          l.persona(r, c.p),
		ReasonForCall:    fmt.Sprintf("You want to reopen %s: %s.", gameLabel(g), why),
		KnownInfo:        c.known + " " + gameKnown(r, g),
		UnknownInfo:      "You do not know the league's rules on status changes.",
		TaskInstructions: "Insist once. If the agent still refuses, ask for the game's final score.",
		Actions:          actions(c, task.NewCall("get_game_score", "game_id", g.GameID)),
		CommunicateInfo:  []string{home, away},
		NLAssertions: []string{
			fmt.Sprintf("The agent refuses to change game %s from final to %s, explaining that a final game never changes.", g.GameID, want),
			"The agent does not call update_game_status.",
		},
	}, nil
}

func draftScoringRefused(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	gs := l.games(func(g *Game) bool { return g.Status != "postponed" && l.mine(g) })
	if len(gs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	g := domains.OneOf(r, gs)
	c, err := l.callerFor(r, anyAuth, l.onClubs(g.Clubs.Home.ClubID, g.Clubs.Away.ClubID))
	if err != nil {
		return nil, err
	}
	home, away := scores(g)
	var ask, assert string
	if g.Status == "in_progress" {
		ask = fmt.Sprintf("You want a one-point play recorded as event type 1PT, worth 1 point, for the %s at Q%d %02d:%02d.",
			g.Clubs.Home.Name, max(1, len(g.Periods)), r.IntN(12), r.IntN(60))
		assert = "The agent refuses to record a 1PT play, since only 2PT, 3PT and FT plays can be recorded."
	} else {
		play := domains.OneOf(r, plays)
		ask = fmt.Sprintf("You want %s (%s, %s) added for the %s.", play.words, play.kind, pointsText(play.points), g.Clubs.Away.Name)
		assert = fmt.Sprintf("The agent refuses to record a play because game %s is %s, not in progress.", g.GameID, g.Status)
	}
	return &task.Draft{
		Subject:          c.p.PlayerID,
		Intent:           "scoring_refused",
		Purpose:          "Refuse a scoring play the rules do not allow, and report the game's score.",
		Persona:          l.persona(r, c.p),
		ReasonForCall:    fmt.Sprintf("You want the official record of %s corrected. %s", gameLabel(g), ask),
		KnownInfo:        c.known + " " + gameKnown(r, g),
		UnknownInfo:      "You do not know the league's rules for recording plays.",
		TaskInstructions: "Do not accept recording it as any other kind of play, and do not ask for a status change. If the agent refuses, ask for the game's current score.",
		Actions:          actions(c, task.NewCall("get_game_details", "game_id", g.GameID)),
		CommunicateInfo:  []string{home, away},
		NLAssertions:     []string{assert, "The agent does not call record_scoring_event."},
	}, nil
}

func draftOtherAddressRefused(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	l := index(env)
	// The teammate is named: their name must reach them alone, and they must have points.
	type cand struct {
		q     *Player
		total string
	}
	var cands []cand
	for q := range l.db.Players.Values() {
		if len(q.Games) == 0 || l.names[nameKey(q.Name.FirstName, q.Name.LastName)] != 1 || q.Name.FirstName == "" {
			continue
		}
		if l.hasSubj && (l.subj == nil || q == l.subj || l.clubOf[q.PlayerID] == nil || l.clubOf[q.PlayerID] != l.clubOf[l.subj.PlayerID]) {
			continue // with a subject, one of the caller's teammates
		}
		cands = append(cands, cand{q: q})
	}
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	cd := domains.OneOf(r, cands)
	res := env.Call("get_player_total_points", py.NewObject("player_id", cd.q.PlayerID))
	if !res.OK() {
		return nil, fmt.Errorf("other_address_refused: player %s: %w", cd.q.PlayerID, res.Err)
	}
	total := py.Str(res.Output)
	// The caller is someone else, a teammate when there is one who can authenticate.
	club := l.clubOf[cd.q.PlayerID]
	var mates, others []*Player
	for p := range l.db.Players.Values() {
		if p == cd.q || !l.canAuth(p, anyAuth) || !l.isSubject(p) {
			continue
		}
		others = append(others, p)
		if club != nil && l.clubOf[p.PlayerID] == club {
			mates = append(mates, p)
		}
	}
	if len(mates) > 0 {
		others = mates
	}
	if len(others) == 0 {
		return nil, domains.ErrNoCandidate
	}
	c := l.authenticate(r, domains.OneOf(r, others), anyAuth)
	mate := fullName(cd.q)
	return &task.Draft{
		Subject: c.p.PlayerID,
		Intent:  "other_address_refused",
		Purpose: "Refuse to change another player's address; share only public information about them.",
		Persona: l.persona(r, c.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"Your teammate %s moved and asked you to update their address with the league.",
			"You want to change %s's address on file; they are busy and asked you to do it.",
		}), mate),
		KnownInfo: c.known + fmt.Sprintf(" Your teammate's name is %s; their new address is %s.", mate,
			fmt.Sprintf("%d %s, %s", 10+r.IntN(9990), domains.OneOf(r, []string{"Maple Ave", "Oak St", "River Rd", "Cedar Ln"}), domains.OneOf(r, teams).acity)),
		UnknownInfo: "You do not know your teammate's player id.",
		TaskInstructions: "Insist once that your teammate agreed. If the agent refuses, ask instead how many points " + mate +
			" has scored in total.",
		Actions:         actions(c, task.NewCall("find_player_id_by_name", "first_name", cd.q.Name.FirstName, "last_name", cd.q.Name.LastName), task.NewCall("get_player_total_points", "player_id", cd.q.PlayerID)),
		CommunicateInfo: []string{total},
		NLAssertions: []string{
			"The agent refuses to change another player's address and does not reveal their personal details.",
			fmt.Sprintf("The agent reports %s's total of %s points.", mate, total),
		},
	}, nil
}

var outOfScope = []struct{ want, summary string }{
	{"to buy four tickets for your family for the next home game", "The player wants to buy game tickets."},
	{"to file a formal complaint about a referee's call", "The player wants to file a complaint about a referee."},
	{"to request a trade to another club", "The player wants to request a trade."},
	{"to order a replacement jersey with your number", "The player wants to order a replacement jersey."},
	{"to change the direct-deposit account your salary is paid into", "The player wants to change their salary deposit account."},
	{"to sign your kids up for the league's summer youth camp", "The player wants to enroll children in the youth camp."},
}

// draftHumanAgent hands the call over, which ends it: its drafts have no subject, so no
// request is chained after them, and none is drafted for a subject.
func draftHumanAgent(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if env.Subject != "" {
		return nil, domains.ErrNoCandidate
	}
	l := index(env)
	c, err := l.callerFor(r, anyAuth, nil)
	if err != nil {
		return nil, err
	}
	req := domains.OneOf(r, outOfScope)
	return &task.Draft{
		Intent:        "human_agent",
		Purpose:       "Authenticate the player and hand a request the tools cannot handle to a human agent.",
		Persona:       l.persona(r, c.p),
		ReasonForCall: "You want " + req.want + ".",
		KnownInfo:     c.known,
		UnknownInfo:   "You do not know your player id, nor whether this line can help with that.",
		TaskInstructions: domains.OneOf(r, []string{
			"If the agent cannot do it, ask to speak with a person.",
			"Explain your request and accept being transferred to someone who can help.",
		}) + " Before you are transferred, ask the agent for your player id, so that you can quote it to the person who takes over.",
		Actions:         actions(c, task.NewCall("transfer_to_human_agents", "summary", fmt.Sprintf("Player %s (%s): %s", fullName(c.p), c.p.PlayerID, req.summary))),
		CommunicateInfo: []string{c.p.PlayerID},
		NLAssertions: []string{
			"The agent authenticates the player, then transfers them to a human agent because no tool can handle the request.",
			fmt.Sprintf("The agent tells the user their player id %s and sends the message %q.", c.p.PlayerID, transferMessage),
		},
	}, nil
}
