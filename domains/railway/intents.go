package railway

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the railway's task templates. Together they use every WRITE tool; the
// read-only ones ask for a fact the agent must pass on, and four end in a refusal the
// policy requires (cancelling an ineligible reservation, compensation for an ineligible
// traveller, insurance after booking, an extra passenger).
var intents = []*domains.Intent{
	intent("train_status", draftTrainStatus),
	intent("direct_search", draftDirectSearch),
	intent("onestop_search", draftOnestopSearch),
	intent("reservation_train_status", draftReservationStatus),
	intent("find_reservation", draftFindReservation),
	intent("wallet_balance", draftWalletBalance),
	intent("wallet_top_up", draftWalletTopUp),
	intent("book_one_way", draftBookOneWay),
	intent("book_round_trip", draftBookRoundTrip),
	intent("book_one_stop", draftBookOneStop),
	intent("cancel_railway_cancelled", draftCancelCancelledTrain),
	intent("cancel_first_class", draftCancelFirstClass),
	intent("cancel_insured", draftCancelInsured),
	intent("refuse_cancellation", draftRefuseCancel),
	intent("change_bags", draftChangeBags),
	intent("change_bikes", draftChangeBikes),
	intent("change_train", draftChangeTrain),
	intent("change_class", draftChangeClass),
	intent("correct_passenger", draftCorrectPassenger),
	intent("compensation_cancelled", draftCompensationCancelled),
	intent("rebook_delayed_compensation", draftRebookDelayed),
	intent("refuse_compensation", draftRefuseCompensation),
	intent("refuse_insurance", draftRefuseInsurance),
	intent("refuse_extra_passenger", draftRefuseExtraPassenger),
}

// intent names a template and stamps its name on every draft it makes. A draft's subject
// is the caller's user id; drafted for a subject (a later request of the same call), a
// template picks that user's own reservations and wallet, and a draft for anyone else is
// refused.
func intent(name string, draft func(r *rand.Rand, env *domains.Env) (*task.Draft, error)) *domains.Intent {
	return &domains.Intent{Name: name, Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
		d, err := draft(r, env)
		if d != nil && env.Subject != "" && d.Subject != env.Subject {
			return nil, domains.NoCandidate(fmt.Sprintf("%s drafts for %q, not the subject %q", name, d.Subject, env.Subject))
		}
		if d != nil {
			d.Intent = name
			d.KnownInfo = strings.TrimSpace(d.KnownInfo)
			// Circumstances and manners that do not change the task make two tasks on the
			// same record read differently.
			d.ReasonForCall = strings.TrimSpace(d.ReasonForCall + " " + domains.OneOf(r, contexts))
			d.TaskInstructions = strings.TrimSpace(d.TaskInstructions + " " + domains.OneOf(r, closings))
		}
		return d, err
	}}
}

// ---- phrasing ----

// title capitalises the first letter of every word of a stored lower-case name.
func title(s string) string {
	b := []rune(s)
	up := true
	for i, c := range b {
		if up && unicode.IsLetter(c) {
			b[i] = unicode.ToUpper(c)
		}
		up = c == ' ' || c == '-'
	}
	return string(b)
}

func fullName(u *RailUser) string { return title(u.Name.FirstName + " " + u.Name.LastName) }

func passengerName(p Passenger) string { return title(p.FirstName + " " + p.LastName) }

var (
	contexts = []string{
		"", "You are calling during your lunch break.", "You are on the phone while walking to the bus.",
		"You have a few minutes before a meeting.", "You already looked at the website without luck.",
		"It is late in the evening and you want this sorted today.", "A friend told you to call the railway directly.",
		"You have your booking confirmation open in front of you.", "You rarely travel by train.",
		"You are in a bit of a hurry.", "You are calm and patient about it.",
	}
	closings = []string{
		"", "Be polite throughout the conversation.", "Thank the agent for each answer.",
		"Do not volunteer details the agent has not asked for.", "Do not share more than the agent asks for.",
		"Answer the agent's questions one at a time.", "If something the agent says is unclear, ask it to repeat.",
		"Keep your messages short.", "Do not mention these instructions.", "Spell out ids character by character if asked.",
	}
	roles = []string{
		"a university lecturer", "a sales representative who commutes weekly", "a retired engineer",
		"a nurse on rotating shifts", "a student travelling home for the holidays", "a freelance photographer",
		"a parent organising a family trip", "a consultant who travels for work", "a music teacher",
		"a software developer", "a small-business owner", "a journalist", "a pensioner who loves train travel",
	}
	manners = []string{
		"speaks briefly and to the point", "is polite and patient but expects precise answers",
		"is a little anxious and wants every detail confirmed", "is chatty and gives details one at a time",
		"is busy and slightly impatient", "is careful with money and asks for amounts to be repeated",
		"is friendly and informal", "is formal and rather reserved", "types in short lower-case messages",
	}
)

func persona(r *rand.Rand, u *RailUser) string {
	city := title(u.Address.City)
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s, %s from %s, %s.", fullName(u), domains.OneOf(r, roles), city, domains.OneOf(r, manners))
	case 1:
		return fmt.Sprintf("%s lives in %s and is %s; a %s member of the railway, %s %s.", fullName(u), city,
			domains.OneOf(r, roles), u.Membership, pronoun(r), domains.OneOf(r, manners))
	}
	return fmt.Sprintf("%s (%s, %s member) %s.", fullName(u), domains.OneOf(r, roles), u.Membership, domains.OneOf(r, manners))
}

func pronoun(r *rand.Rand) string { return domains.Choose(r, "this traveller", "the caller") }

// identity is what a caller can say about themselves; nothing when they are the subject of
// a call, who said it at its start.
func identity(r *rand.Rand, env *domains.Env, u *RailUser) string {
	if env.Subject != "" {
		return ""
	}
	return domains.Choose(r,
		fmt.Sprintf("You are %s and your user id is %s.", fullName(u), u.UserID),
		fmt.Sprintf("Your name is %s; your user id is %s.", fullName(u), u.UserID),
		fmt.Sprintf("You are %s (user id %s, e-mail %s).", fullName(u), u.UserID, u.Email))
}

func confirmRule(r *rand.Rand) string {
	return domains.Choose(r,
		"When the agent describes the change and asks you to confirm, answer yes.",
		"Say yes once the agent has told you the details and the cost.",
		"Agree when the agent asks for your explicit confirmation.",
		"Confirm with a clear yes after the agent has summarised what it will do.")
}

func className(c string) string {
	switch c {
	case "ac_2_tier":
		return "AC 2-tier"
	case "first_class":
		return "first class"
	}
	return c
}

func mealName(m string) string {
	switch m {
	case "veg":
		return "a vegetarian meal"
	case "non_veg":
		return "a non-vegetarian meal"
	}
	return "no meal"
}

// ---- arguments ----

func trainsArg(legs []leg) []any {
	out := make([]any, len(legs))
	for i, l := range legs {
		out[i] = py.NewObject("train_number", l.t.TrainNumber, "date", l.date)
	}
	return out
}

func passengersArg(ps []Passenger) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = py.NewObject("first_name", p.FirstName, "last_name", p.LastName, "dob", p.DOB)
	}
	return out
}

func paymentsArg(ps []RailPayment) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = py.NewObject("payment_id", p.PaymentID, "amount", p.Amount)
	}
	return out
}

// ---- reading the database ----

// dryRun replays calls on a scratch fork of env and returns their results, so a template
// learns what its golden actions will answer without changing env.
func dryRun(env *domains.Env, calls []task.Call) ([]domains.Result, error) {
	s := domains.NewEnv(env.Domain, env.DB, env.Now)
	out := make([]domains.Result, len(calls))
	for i, c := range calls {
		out[i] = s.Call(c.Name, c.Arguments)
		if !out[i].OK() {
			return nil, fmt.Errorf("golden action %d %s: %w", i, c.Name, out[i].Err)
		}
	}
	return out, nil
}

// passengersOf returns a reservation's passengers when they are a list of complete records.
func passengersOf(v any) ([]Passenger, bool) {
	switch l := v.(type) {
	case []Passenger:
		return slices.Clone(l), len(l) > 0
	case []any:
		out := make([]Passenger, 0, len(l))
		for _, it := range l {
			o, ok := it.(*py.Object)
			if !ok || o.Len() != 3 {
				return nil, false
			}
			var f [3]string
			for i, k := range []string{"first_name", "last_name", "dob"} {
				v, _ := o.Get(k)
				if f[i], ok = v.(string); !ok || f[i] == "" {
					return nil, false
				}
			}
			out = append(out, Passenger{FirstName: f[0], LastName: f[1], DOB: f[2]})
		}
		return out, len(out) > 0
	}
	return nil, false
}

// instance returns the train and its status of a segment, or false when the train does
// not run on that date in the database.
func (db *DB) instance(number, date string) (*Train, *DateStatus, bool) {
	t, ok := db.Trains.Get(number)
	if !ok {
		return nil, nil, false
	}
	ds, ok := t.Dates.Get(date)
	return t, ds, ok
}

// classOf returns the travel class every segment of r is priced in, or "" when the
// prices do not say (the reference data's own fares).
func (db *DB) classOf(r *TrainReservation) string {
	class := ""
	for _, s := range r.Trains {
		t, ok := db.Trains.Get(s.TrainNumber)
		if !ok {
			return ""
		}
		c := ""
		for _, k := range classes {
			if fares[t.ServiceType][k] == s.Price {
				c = k
			}
		}
		if c == "" || (class != "" && c != class) {
			return ""
		}
		class = c
	}
	return class
}

// running reports whether every segment of r rides a train that runs on its date and is
// not cancelled.
func (db *DB) running(r *TrainReservation) bool {
	for _, s := range r.Trains {
		_, ds, ok := db.instance(s.TrainNumber, s.Date)
		if !ok || ds.Status == cancelled {
			return false
		}
	}
	return len(r.Trains) > 0
}

// segmentWith returns the index of the first segment whose train has the given status on
// its date, or -1.
func (db *DB) segmentWith(r *TrainReservation, status string) int {
	for i, s := range r.Trains {
		if _, ds, ok := db.instance(s.TrainNumber, s.Date); ok && ds.Status == status {
			return i
		}
	}
	return -1
}

// departed reports whether a segment of r leaves on or before today (YYYY-MM-DD).
func departed(today string, r *TrainReservation) bool {
	for _, s := range r.Trains {
		if s.Date <= today {
			return true
		}
	}
	return false
}

// owned is a reservation with its owner.
type owned struct {
	id         string
	r          *TrainReservation
	u          *RailUser
	passengers []Passenger
}

// reservations returns, in table order, the reservations with status "confirmed" (any
// status when all is set) whose owner exists, whose passengers are complete records, whose
// trips have not begun, and that keep (which sees every field but the passengers).
func reservations(env *domains.Env, all bool, keep func(o *owned) bool) []*owned {
	db := dbOf(env)
	today := env.Now.Format("2006-01-02")
	var out []*owned
	for id, r := range db.Reservations.All() {
		if (!all && r.Status != "confirmed") || (env.Subject != "" && r.UserID != env.Subject) {
			continue
		}
		u, ok := db.Users.Get(r.UserID)
		if !ok || u.UserID != r.UserID || r.ReservationID != id || departed(today, r) {
			continue
		}
		o := &owned{id: id, r: r, u: u}
		if keep != nil && !keep(o) {
			continue
		}
		if o.passengers, ok = passengersOf(r.Passengers); ok {
			out = append(out, o)
		}
	}
	return out
}

// callerPool returns, in table order, the users that keep who may call: the subject alone
// when there is one.
func callerPool(env *domains.Env, keep func(u *RailUser) bool) []*RailUser {
	return users(dbOf(env), func(u *RailUser) bool {
		return (env.Subject == "" || u.UserID == env.Subject) && (keep == nil || keep(u))
	})
}

// users returns, in table order, the users that keep.
func users(db *DB, keep func(u *RailUser) bool) []*RailUser {
	var out []*RailUser
	for id, u := range db.Users.All() {
		if u.UserID == id && (keep == nil || keep(u)) {
			out = append(out, u)
		}
	}
	return out
}

// wallet returns the user's first wallet and its balance.
func wallet(u *RailUser) (string, int64, bool) {
	for id, pm := range u.PaymentMethods.All() {
		if pm.Source == "wallet" {
			b := balance(pm)
			if !b.IsInt64() {
				return "", 0, false
			}
			return id, b.Int64(), true
		}
	}
	return "", 0, false
}

// methods returns the user's saved payment methods of a source, in profile order.
func methods(u *RailUser, source string) []string {
	var out []string
	for id, pm := range u.PaymentMethods.All() {
		if pm.Source == source && pm.ID == id {
			out = append(out, id)
		}
	}
	return out
}

func extraString(pm *PaymentMethod, k string) string {
	v, _ := pm.ExtraInfo.Get(k)
	s, _ := v.(string)
	return s
}

// methodName names a saved payment method as its owner would.
func methodName(u *RailUser, id string) string {
	pm, _ := u.PaymentMethods.Get(id)
	switch pm.Source {
	case "card":
		if brand, last := extraString(pm, "brand"), extraString(pm, "last_four"); brand != "" && last != "" {
			return fmt.Sprintf("%s card ending in %s", title(brand), last)
		}
		return "card " + id
	case "wallet":
		return "railway wallet (" + id + ")"
	}
	if p := extraString(pm, "provider"); p != "" {
		return fmt.Sprintf("saved %s method (%s)", p, id)
	}
	return "saved payment method " + id
}

// payee picks the saved method a change of delta dollars (a refund when negative) goes to:
// a card or other method, or the wallet when it can pay a whole-dollar charge.
func payee(r *rand.Rand, u *RailUser, delta float64) (string, bool) {
	cands := append(methods(u, "card"), methods(u, "other")...)
	if id, bal, ok := wallet(u); ok && delta > 0 && delta == math.Trunc(delta) && float64(bal) >= delta {
		cands = append(cands, id)
	}
	if len(cands) == 0 {
		return "", false
	}
	return domains.OneOf(r, cands), true
}

// legsOf returns the trains of a reservation's segments; false when one is missing.
func (db *DB) legsOf(r *TrainReservation) ([]leg, bool) {
	out := make([]leg, len(r.Trains))
	for i, s := range r.Trains {
		t, _, ok := db.instance(s.TrainNumber, s.Date)
		if !ok {
			return nil, false
		}
		out[i] = leg{t, s.Date}
	}
	return out, true
}

// after reports whether b can follow a: a later day, or the same day leaving no earlier
// than a arrives.
func after(a, b leg) bool {
	return b.date > a.date || (b.date == a.date && b.t.ScheduledDepartureTimeLocal >= a.t.ScheduledArrivalTimeLocal)
}

// runs returns the (train, date) pairs of the database whose status is one of statuses,
// in table order.
func runs(db *DB, statuses ...string) []leg {
	var out []leg
	for t := range db.Trains.Values() {
		for d, ds := range t.Dates.All() {
			if slices.Contains(statuses, ds.Status) {
				out = append(out, leg{t, d})
			}
		}
	}
	return out
}

func describeLeg(l leg) string {
	return fmt.Sprintf("train %s from %s to %s on %s (scheduled %s)", l.t.TrainNumber, l.t.Origin, l.t.Destination,
		l.date, l.t.ScheduledDepartureTimeLocal)
}

func describeSegment(s Segment) string {
	return fmt.Sprintf("%s from %s to %s on %s", s.TrainNumber, s.Origin, s.Destination, s.Date)
}

// tripName says where a reservation goes, as its owner remembers it.
func tripName(o *owned) string {
	switch o.r.TripType {
	case "round_trip":
		return fmt.Sprintf("round trip between %s and %s starting %s", o.r.Origin, o.r.Destination, o.r.Trains[0].Date)
	case "multi_city":
		return fmt.Sprintf("multi-city trip from %s to %s starting %s", o.r.Origin, o.r.Destination, o.r.Trains[0].Date)
	}
	return fmt.Sprintf("trip from %s to %s on %s", o.r.Origin, o.r.Destination, o.r.Trains[0].Date)
}

// describable reports whether no other reservation of the owner matches the trip its
// owner describes, so the agent can find it without the id.
func describable(db *DB, o *owned) bool {
	for _, id := range o.u.Reservations {
		x, ok := db.Reservations.Get(id)
		if ok && id != o.id && len(x.Trains) > 0 && x.Origin == o.r.Origin && x.Destination == o.r.Destination &&
			x.TripType == o.r.TripType && x.Trains[0].Date == o.r.Trains[0].Date {
			return false
		}
	}
	return slices.Contains(o.u.Reservations, o.id)
}

// recent reports whether r was booked less than 24 hours before the environment's clock.
func recent(env *domains.Env, r *TrainReservation) bool {
	created := strings.ToUpper(r.CreatedAt)
	for _, layout := range []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, created); err == nil {
			age := env.Now.Sub(t)
			return age >= 0 && age < 24*time.Hour
		}
	}
	return false
}

// reservationRef is how a caller points at a reservation: by id, or by the trip.
//
// A later request of a call (drafted for a subject) names a describable reservation by its
// trip alone, neither giving nor disowning the id an earlier request may have named.
func reservationRef(r *rand.Rand, env *domains.Env, o *owned) (known, unknown string) {
	db := dbOf(env)
	if env.Subject != "" && describable(db, o) {
		return fmt.Sprintf("The reservation is your %s.", tripName(o)), ""
	}
	if r.IntN(3) == 0 && describable(db, o) {
		return fmt.Sprintf("The reservation is your %s; you do not remember its id.", tripName(o)),
			"You do not know the reservation id."
	}
	return fmt.Sprintf("Your reservation id is %s (the %s).", o.id, tripName(o)), ""
}

func readReservation(o *owned) []task.Call {
	return []task.Call{
		task.NewCall("get_user_details", "user_id", o.u.UserID),
		task.NewCall("get_reservation_details", "reservation_id", o.id),
	}
}

func passengerCount(n int) string {
	if n == 1 {
		return "1 passenger"
	}
	return fmt.Sprintf("%d passengers", n)
}

// ---- read-only intents ----

// draftTrainStatus: a caller asks for the status of a train on a date.
func draftTrainStatus(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	all := runs(db, onTime, delayed, cancelled)
	callers := callerPool(env, nil)
	if len(all) == 0 || len(callers) == 0 {
		return nil, domains.NoCandidate("no train dates or users")
	}
	l := domains.OneOf(r, all)
	u := callerNear(r, db, callers, l.t.Origin)
	ds, _ := l.t.Dates.Get(l.date)
	name := title(l.t.TrainName)
	reason := domains.Choose(r,
		fmt.Sprintf("You are booked on train %s (%s) from %s on %s and want to know whether it is running as planned.", l.t.TrainNumber, name, l.t.Origin, l.date),
		fmt.Sprintf("You are picking a relative up from train %s arriving in %s on %s and want to know its status.", l.t.TrainNumber, l.t.Destination, l.date),
		fmt.Sprintf("You heard about disruptions on the line to %s and want to check the status of train %s on %s.", l.t.Destination, l.t.TrainNumber, l.date),
		fmt.Sprintf("Before leaving for the station you want to check whether the %s %s of %s is on time.", name, l.t.TrainNumber, l.date))
	known := domains.Choose(r,
		fmt.Sprintf("The train is %s on %s. If the agent asks, your user id is %s.", l.t.TrainNumber, l.date, u.UserID),
		fmt.Sprintf("Train number %s, travel date %s, scheduled to leave %s at %s.", l.t.TrainNumber, l.date, l.t.Origin, l.t.ScheduledDepartureTimeLocal),
		fmt.Sprintf("You are %s. The train number is %s and the date %s.", fullName(u), l.t.TrainNumber, l.date))
	return &task.Draft{
		Purpose:       "Tell the user the status of a train on a date.",
		Subject:       u.UserID,
		Persona:       persona(r, u),
		ReasonForCall: reason,
		KnownInfo:     known,
		UnknownInfo:   "You do not know whether the train is on time, delayed or cancelled.",
		TaskInstructions: domains.Choose(r,
			"Ask only about this train, and thank the agent once you know its status.",
			"About this train you only want the status.",
			"If the agent asks why you want to know, say you are planning your day. Do not ask about other trains."),
		Actions:         []task.Call{task.NewCall("get_train_status", "train_number", l.t.TrainNumber, "date", l.date)},
		CommunicateInfo: []string{ds.Status},
		NLAssertions:    []string{fmt.Sprintf("The agent tells the user that train %s on %s is %s.", l.t.TrainNumber, l.date, ds.Status)},
	}, nil
}

// draftDirectSearch: a caller asks for the first or last running train between two stations.
func draftDirectSearch(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	starts := runs(db, onTime, delayed)
	callers := callerPool(env, nil)
	if len(starts) == 0 || len(callers) == 0 {
		return nil, domains.NoCandidate("no running trains or users")
	}
	l := domains.OneOf(r, starts)
	u := callerNear(r, db, callers, l.t.Origin)
	search := task.NewCall("search_direct_train", "origin", l.t.Origin, "destination", l.t.Destination, "date", l.date)
	res, err := dryRun(env, []task.Call{search})
	if err != nil {
		return nil, err
	}
	found, _ := res[0].Output.([]DirectTrain)
	var ok []DirectTrain
	var gone []string
	for _, d := range found {
		if d.Status == cancelled {
			gone = append(gone, d.TrainNumber)
		} else {
			ok = append(ok, d)
		}
	}
	latest := r.IntN(2) == 1
	slices.SortStableFunc(ok, func(a, b DirectTrain) int {
		c := strings.Compare(a.ScheduledDepartureTimeLocal, b.ScheduledDepartureTimeLocal)
		if latest {
			return -c
		}
		return c
	})
	if len(ok) == 0 || (len(ok) > 1 && ok[0].ScheduledDepartureTimeLocal == ok[1].ScheduledDepartureTimeLocal) {
		return nil, domains.NoCandidate("no unique first train")
	}
	best := ok[0]
	want := "the earliest train of the day"
	reason := domains.Choose(r,
		fmt.Sprintf("You need to get from %s to %s on %s as early as possible and want to know which train to take.", l.t.Origin, l.t.Destination, l.date),
		fmt.Sprintf("You are planning a trip from %s to %s on %s and want the first train that actually runs that day.", l.t.Origin, l.t.Destination, l.date))
	if latest {
		want = "the last train of the day"
		reason = domains.Choose(r,
			fmt.Sprintf("You have a late meeting and want to know the last train from %s to %s on %s.", l.t.Origin, l.t.Destination, l.date),
			fmt.Sprintf("You want to stay in %s as long as possible on %s and need the last train that runs to %s.", l.t.Origin, l.date, l.t.Destination))
	}
	nl := []string{fmt.Sprintf("The agent tells the user that %s running from %s to %s on %s is train %s, leaving at %s.",
		want, l.t.Origin, l.t.Destination, l.date, best.TrainNumber, best.ScheduledDepartureTimeLocal)}
	if len(gone) > 0 {
		nl = append(nl, fmt.Sprintf("The agent does not recommend the cancelled train(s) %s.", strings.Join(gone, ", ")))
	}
	return &task.Draft{
		Purpose:       "Search direct trains and tell the user " + want + " that is not cancelled.",
		Subject:       u.UserID,
		Persona:       persona(r, u),
		ReasonForCall: reason,
		KnownInfo: domains.Choose(r,
			fmt.Sprintf("You want to travel from %s to %s on %s.", l.t.Origin, l.t.Destination, l.date),
			fmt.Sprintf("You are %s. The stations are %s (departure) and %s (arrival); the date is %s.", fullName(u), l.t.Origin, l.t.Destination, l.date)),
		UnknownInfo: "You do not know the train numbers or times.",
		TaskInstructions: domains.Choose(r,
			"For now you only want information: ask for the train number and its departure time.",
			"Do not accept a train that is cancelled. Make sure you get the train number and departure time.",
			"Do not give your user id unless the agent insists; you are just asking about trains."),
		Actions:         []task.Call{search},
		CommunicateInfo: []string{best.TrainNumber, best.ScheduledDepartureTimeLocal},
		NLAssertions:    nl,
	}, nil
}

// draftOnestopSearch: a caller asks for the connection with one change that arrives first.
func draftOnestopSearch(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	callers := callerPool(env, nil)
	if len(callers) == 0 {
		return nil, domains.NoCandidate("no users")
	}
	first, second, ok := connection(r, db, nil)
	if !ok {
		return nil, domains.NoCandidate("no same-day connection")
	}
	origin, dest, date := first.t.Origin, second.t.Destination, first.date
	search := task.NewCall("search_onestop_train", "origin", origin, "destination", dest, "date", date)
	res, err := dryRun(env, []task.Call{search})
	if err != nil {
		return nil, err
	}
	its, _ := res[0].Output.([][]DirectTrain)
	slices.SortStableFunc(its, func(a, b []DirectTrain) int {
		return strings.Compare(a[1].ScheduledArrivalTimeLocal, b[1].ScheduledArrivalTimeLocal)
	})
	if len(its) == 0 || (len(its) > 1 && its[0][1].ScheduledArrivalTimeLocal == its[1][1].ScheduledArrivalTimeLocal) {
		return nil, domains.NoCandidate("no unique earliest connection")
	}
	best := its[0]
	u := callerNear(r, db, callers, origin)
	return &task.Draft{
		Purpose: "Search one-stop itineraries and tell the user the connection that arrives first.",
		Subject: u.UserID,
		Persona: persona(r, u),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You need to get from %s to %s on %s, changing trains once if needed, and want to arrive as early as possible.", origin, dest, date),
			fmt.Sprintf("You are looking for a connection with one change from %s to %s on %s that gets you there earliest.", origin, dest, date)),
		KnownInfo: domains.Choose(r,
			fmt.Sprintf("Departure station: %s. Destination: %s. Date: %s.", origin, dest, date),
			fmt.Sprintf("You are %s and want to go from %s to %s on %s.", fullName(u), origin, dest, date)),
		UnknownInfo: "You do not know which trains connect or where to change.",
		TaskInstructions: domains.Choose(r,
			"Ask for both train numbers and the station where you change. For now you only want the itinerary.",
			"You only want the itinerary; when the agent gives you the two trains, thank them."),
		Actions:         []task.Call{search},
		CommunicateInfo: []string{best[0].TrainNumber, best[1].TrainNumber},
		NLAssertions: []string{fmt.Sprintf("The agent tells the user to take train %s to %s and change there to train %s.",
			best[0].TrainNumber, best[0].Destination, best[1].TrainNumber)},
	}, nil
}

// connection draws a same-day pair of running trains where the second leaves the first's
// destination no earlier than the first arrives and does not return to its origin. It
// starts from one of the home stations when such a pair exists.
func connection(r *rand.Rand, db *DB, home []string) (leg, leg, bool) {
	firsts := runs(db, onTime, delayed)
	from := map[string][]*Train{}
	for t := range db.Trains.Values() {
		from[t.Origin] = append(from[t.Origin], t)
	}
	var near []leg
	for _, l := range firsts {
		if slices.Contains(home, l.t.Origin) {
			near = append(near, l)
		}
	}
	if a, b, ok := pairFrom(r, from, near); ok {
		return a, b, true
	}
	return pairFrom(r, from, firsts)
}

func pairFrom(r *rand.Rand, from map[string][]*Train, firsts []leg) (leg, leg, bool) {
	for _, i := range r.Perm(len(firsts)) {
		a := firsts[i]
		var seconds []leg
		for _, t := range from[a.t.Destination] {
			ds, ok := t.Dates.Get(a.date)
			if ok && ds.Status != cancelled && t.Destination != a.t.Origin && t != a.t && after(a, leg{t, a.date}) {
				seconds = append(seconds, leg{t, a.date})
			}
		}
		if len(seconds) > 0 {
			return a, domains.OneOf(r, seconds), true
		}
	}
	return leg{}, leg{}, false
}

// draftReservationStatus: a traveller asks how every train of a reservation is running.
func draftReservationStatus(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, false, func(o *owned) bool {
		_, ok := db.legsOf(o.r)
		return ok && len(o.r.Trains) <= 3
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no reservation with known trains")
	}
	o := domains.OneOf(r, cands)
	actions := readReservation(o)
	var statuses, nl []string
	for _, s := range o.r.Trains {
		_, ds, _ := db.instance(s.TrainNumber, s.Date)
		actions = append(actions, task.NewCall("get_train_status", "train_number", s.TrainNumber, "date", s.Date))
		if !slices.Contains(statuses, ds.Status) {
			statuses = append(statuses, ds.Status)
		}
		nl = append(nl, fmt.Sprintf("The agent tells the user that train %s on %s is %s.", s.TrainNumber, s.Date, ds.Status))
	}
	known, unknown := reservationRef(r, env, o)
	return &task.Draft{
		Purpose:       "Look up a reservation and tell the user the status of each of its trains.",
		Subject:       o.u.UserID,
		Persona:       persona(r, o.u),
		ReasonForCall: domains.Choose(r, "You want to know whether the trains of your upcoming trip are running normally.", "You want a status update on every train of one of your reservations."),
		KnownInfo:     identity(r, env, o.u) + " " + known,
		UnknownInfo:   strings.TrimSpace(unknown + " You do not know the train numbers or their status."),
		TaskInstructions: domains.Choose(r,
			"Make sure you hear the status of every train of the reservation.",
			"If a train is disrupted, just note its status."),
		Actions:         actions,
		CommunicateInfo: statuses,
		NLAssertions:    nl,
	}, nil
}

// draftFindReservation: a traveller has lost the booking confirmation and wants the PNR
// and train of a trip.
func draftFindReservation(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := reservations(env, false, func(o *owned) bool {
		if len(o.r.Trains) == 0 {
			return false
		}
		// The trip must be the only one of its owner to that destination on that day.
		n := 0
		for _, id := range o.u.Reservations {
			if x, ok := dbOf(env).Reservations.Get(id); ok && x.Destination == o.r.Destination &&
				len(x.Trains) > 0 && x.Trains[0].Date == o.r.Trains[0].Date {
				n++
			}
		}
		return n == 1 && slices.Contains(o.u.Reservations, o.id)
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no reservation its owner can describe")
	}
	o := domains.OneOf(r, cands)
	first := o.r.Trains[0]
	return &task.Draft{
		Purpose: "Find a user's reservation from the trip they describe and tell them its PNR and first train.",
		Subject: o.u.UserID,
		Persona: persona(r, o.u),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You lost the confirmation e-mail of your %s and need its PNR and the number of your first train.", tripName(o)),
			fmt.Sprintf("You are about to travel (%s) and need the PNR and the train number for the first leg.", tripName(o))),
		KnownInfo:   identity(r, env, o.u) + fmt.Sprintf(" The trip goes to %s, first train on %s.", o.r.Destination, first.Date),
		UnknownInfo: "You do not know the reservation id, the PNR or the train number.",
		TaskInstructions: domains.Choose(r,
			"Write down the PNR and the train number the agent gives you.",
			"You only want the PNR and the first train number; ask the agent to repeat the PNR once."),
		Actions:         readReservation(o),
		CommunicateInfo: []string{o.r.PNR, first.TrainNumber},
		NLAssertions: []string{fmt.Sprintf("The agent finds reservation %s and tells the user its PNR %s and first train %s.",
			o.id, o.r.PNR, first.TrainNumber)},
	}, nil
}

// draftWalletBalance: a user asks how much is in their wallet.
func draftWalletBalance(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := callerPool(env, func(u *RailUser) bool { _, _, ok := wallet(u); return ok })
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no user with a wallet")
	}
	u := domains.OneOf(r, cands)
	_, bal, _ := wallet(u)
	info := []string{strconv.FormatInt(bal, 10)}
	reason := domains.Choose(r, "You want to know the balance of your railway wallet.", "Before booking a trip you want to check how much money is left in your wallet.")
	nl := []string{fmt.Sprintf("The agent tells the user that the wallet balance is $%d.", bal)}
	if cards := methods(u, "card"); len(cards) == 1 && r.IntN(2) == 0 {
		pm, _ := u.PaymentMethods.Get(cards[0])
		if last := extraString(pm, "last_four"); last != "" {
			info = append(info, last)
			reason += " You also want to know the last four digits of the card saved on your profile."
			nl = append(nl, fmt.Sprintf("The agent tells the user that the saved card ends in %s.", last))
		}
	}
	return &task.Draft{
		Purpose:          "Tell the user their wallet balance from the profile.",
		Subject:          u.UserID,
		Persona:          persona(r, u),
		ReasonForCall:    reason,
		KnownInfo:        identity(r, env, u),
		UnknownInfo:      "You do not know the balance.",
		TaskInstructions: domains.Choose(r, "You only want the figures, nothing changed on your profile.", "Just ask for the figures."),
		Actions:          []task.Call{task.NewCall("get_user_details", "user_id", u.UserID)},
		CommunicateInfo:  info,
		NLAssertions:     nl,
	}, nil
}

// ---- wallet ----

// draftWalletTopUp: a user adds whole dollars to their wallet (a new one when they have none).
func draftWalletTopUp(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := callerPool(env, func(u *RailUser) bool {
		if _, _, ok := wallet(u); ok {
			return true
		}
		return len(methods(u, "wallet")) == 0 // a first wallet from the pool
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no user")
	}
	u := domains.OneOf(r, cands)
	amount := domains.OneOf(r, []int64{20, 25, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300, 400, 500})
	actions := []task.Call{
		task.NewCall("get_user_details", "user_id", u.UserID),
		task.NewCall("add_wallet_funds", "user_id", u.UserID, "amount", amount),
	}
	res, err := dryRun(env, actions)
	if err != nil {
		return nil, domains.NoCandidate(err.Error()) // the wallet id pool is used up in this episode
	}
	msg, _ := res[1].Output.(string)
	_, newBalance, ok := strings.Cut(msg, "New balance: $")
	if !ok {
		return nil, fmt.Errorf("add_wallet_funds answered %q", msg)
	}
	_, old, has := wallet(u)
	reason := domains.Choose(r,
		fmt.Sprintf("You want to top up your railway wallet with $%d.", amount),
		fmt.Sprintf("You want to put $%d into your wallet so future bookings are quicker.", amount),
		fmt.Sprintf("You would like to add %d dollars to your wallet.", amount))
	nl := []string{fmt.Sprintf("The agent tells the user that the wallet balance will be $%s after the top-up.", newBalance)}
	unknown := "You do not remember your current wallet balance."
	if !has {
		reason = domains.Choose(r,
			fmt.Sprintf("You have heard about the railway wallet and want to open one with $%d.", amount),
			fmt.Sprintf("You want to load $%d into a railway wallet; you do not think you have one yet.", amount))
		nl = append(nl, "The agent tells the user that a new wallet will be created.")
		unknown = "You do not know whether you already have a wallet."
	} else if r.IntN(2) == 0 {
		unknown = fmt.Sprintf("You think the balance is somewhere around $%d but are not sure.", (old/50+1)*50)
	}
	nl = append(nl, "The agent adds the funds only after the user explicitly confirms.")
	return &task.Draft{
		Purpose:          "Top up a user's wallet with a whole-dollar amount and tell them the new balance.",
		Subject:          u.UserID,
		Persona:          persona(r, u),
		ReasonForCall:    reason,
		KnownInfo:        identity(r, env, u),
		UnknownInfo:      unknown,
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r, "Ask what your balance will be afterwards.", "Make sure the agent tells you the new balance.", "You want to hear the resulting balance."),
		Actions:          actions,
		CommunicateInfo:  []string{newBalance},
		NLAssertions:     nl,
	}, nil
}

// ---- booking ----

// booking is a reservation a template is about to book.
type booking struct {
	u          *RailUser
	tripType   string
	origin     string
	dest       string
	legs       []leg
	class      string
	passengers []Passenger
	bags       int64
	bikes      int64
	meal       string
	insurance  string
	payments   []RailPayment
	total      float64
	payWords   string // how the user asks to pay
}

// price is the total book_train_reservation charges, summed in its order.
func (b *booking) price() float64 {
	n := int64(len(b.passengers))
	var fare int64
	for _, l := range b.legs {
		fare += fares[l.t.ServiceType][b.class] * n
	}
	var ins int64
	if b.insurance == "yes" {
		ins = 20 * n
	}
	return py.Round(discount(fare, b.u.Membership)+float64(ins)+float64(15*max(0, b.bags-n))+float64(10*b.bikes), 2)
}

// homeStations are the stations of a user's reservations: where they usually travel.
func homeStations(db *DB, u *RailUser) []string {
	var out []string
	for _, id := range u.Reservations {
		if res, ok := db.Reservations.Get(id); ok {
			for _, s := range res.Trains {
				for _, st := range []string{s.Origin, s.Destination} {
					if !slices.Contains(out, st) {
						out = append(out, st)
					}
				}
			}
		}
	}
	return out
}

// bookingUser picks a user who can book: the pools still hold a reservation id and a PNR,
// and the user has a card or other method and a date of birth.
func bookingUser(r *rand.Rand, env *domains.Env) (*RailUser, error) {
	db := dbOf(env)
	if _, err := db.newReservationID(); err != nil {
		return nil, domains.NoCandidate("reservation id pool used up")
	}
	if _, err := db.newPNR(); err != nil {
		return nil, domains.NoCandidate("PNR pool used up")
	}
	cands := callerPool(env, func(u *RailUser) bool {
		return u.DOB != "" && u.Name.FirstName != "" && len(methods(u, "card"))+len(methods(u, "other")) > 0
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no user who can pay")
	}
	return domains.OneOf(r, cands), nil
}

// startLegs are running train dates from the user's usual stations, or anywhere.
func startLegs(db *DB, u *RailUser) []leg {
	all := runs(db, onTime, delayed)
	home := homeStations(db, u)
	var near []leg
	for _, l := range all {
		if slices.Contains(home, l.t.Origin) {
			near = append(near, l)
		}
	}
	if len(near) > 0 {
		return near
	}
	return all
}

// fill draws the passengers, class, extras and the payment split of a booking.
func (b *booking) fill(r *rand.Rand) {
	u := b.u
	b.passengers = []Passenger{{FirstName: u.Name.FirstName, LastName: u.Name.LastName, DOB: u.DOB}}
	for _, p := range u.SavedPassengers {
		if len(b.passengers) < 3 && p.FirstName != "" && p.DOB != "" && r.IntN(2) == 0 {
			b.passengers = append(b.passengers, p)
		}
	}
	n := int64(len(b.passengers))
	b.class = domains.OneOf(r, classes)
	b.bags = max(0, n-1+int64(r.IntN(3)))
	if r.IntN(6) == 0 {
		b.bikes = 1
	}
	b.meal = domains.OneOf(r, meals)
	b.insurance = domains.Choose(r, "yes", "no")
	b.total = b.price()

	cards := append(methods(u, "card"), methods(u, "other")...)
	card := domains.OneOf(r, cards)
	wid, bal, hasWallet := wallet(u)
	whole := math.Trunc(b.total)
	switch x := r.IntN(3); {
	case x == 0 && hasWallet && b.total == whole && float64(bal) >= b.total:
		b.payments = []RailPayment{{PaymentID: wid, Amount: b.total}}
		b.payWords = "Pay the whole amount from your railway wallet."
	case x <= 1 && hasWallet && bal >= 1 && min(float64(bal), whole) < b.total:
		w := min(float64(bal), whole)
		b.payments = []RailPayment{{PaymentID: wid, Amount: w}, {PaymentID: card, Amount: py.Round(b.total-w, 2)}}
		if w == float64(bal) {
			b.payWords = fmt.Sprintf("Use everything in your wallet ($%d) and put the rest on your %s.", bal, methodName(u, card))
		} else {
			b.payWords = fmt.Sprintf("Pay $%s from your wallet and the remaining $%s with your %s.", domains.Money(w), domains.Money(b.total-w), methodName(u, card))
		}
	default:
		b.payments = []RailPayment{{PaymentID: card, Amount: b.total}}
		b.payWords = fmt.Sprintf("Pay with your %s.", methodName(u, card))
	}
}

// action is the booking's golden call.
func (b *booking) action() task.Call {
	return task.NewCall("book_train_reservation",
		"user_id", b.u.UserID, "origin", b.origin, "destination", b.dest, "trip_type", b.tripType,
		"travel_class", b.class, "trains", trainsArg(b.legs), "passengers", passengersArg(b.passengers),
		"payment_methods", paymentsArg(b.payments), "total_bags", b.bags, "bikes", b.bikes,
		"meal_preference", b.meal, "insurance", b.insurance)
}

// booked is what the agent tells the user from the booking's answer res: the new PNR, and
// the total when one payment shows it (a split total is the agent's own sum).
func (b *booking) booked(res domains.Result) []string {
	info := []string{}
	if rv, ok := res.Output.(*TrainReservation); ok {
		info = append(info, rv.PNR)
	}
	if len(b.payments) == 1 {
		info = append(info, domains.Money(b.total))
	}
	return info
}

// details is what the user tells the agent about travellers, class and extras.
func (b *booking) details(r *rand.Rand) string {
	var s strings.Builder
	if len(b.passengers) == 1 {
		s.WriteString(fmt.Sprintf("You travel alone (date of birth %s).", b.u.DOB))
	} else {
		var others []string
		for _, p := range b.passengers[1:] {
			others = append(others, fmt.Sprintf("%s (born %s)", passengerName(p), p.DOB))
		}
		s.WriteString(fmt.Sprintf("You (born %s) travel with %s, saved on your profile.", b.u.DOB, strings.Join(others, " and ")))
	}
	s.WriteString(fmt.Sprintf(" You want %s for everyone.", className(b.class)))
	bikes := "no bikes"
	if b.bikes == 1 {
		bikes = "one bike"
	}
	s.WriteString(fmt.Sprintf(" You bring %s in total and %s.", bags(b.bags), bikes))
	s.WriteString(fmt.Sprintf(" You would like %s.", mealName(b.meal)))
	if b.insurance == "yes" {
		s.WriteString(domains.Choose(r, " You want travel insurance.", " You would like to add travel insurance."))
	} else {
		s.WriteString(domains.Choose(r, " You do not want travel insurance.", " No insurance, thank you."))
	}
	s.WriteString(" " + b.payWords)
	return s.String()
}

// draft completes a booking task: the reads a careful agent makes, then the booking.
func (b *booking) draft(r *rand.Rand, env *domains.Env, purpose, reason, trains string, searches []task.Call) (*task.Draft, error) {
	actions := append([]task.Call{task.NewCall("get_user_details", "user_id", b.u.UserID)}, searches...)
	actions = append(actions, b.action())
	res, err := dryRun(env, actions)
	if err != nil {
		return nil, err
	}
	return &task.Draft{
		Purpose:       purpose,
		Subject:       b.u.UserID,
		Persona:       persona(r, b.u),
		ReasonForCall: reason,
		KnownInfo:     identity(r, env, b.u) + " " + trains + " " + b.details(r),
		UnknownInfo:   "You do not know the price of the trip.",
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Give the details of the passengers and extras only when the agent asks for them.",
			"Ask for the total price before you agree to anything.",
			"If the agent proposes a different train, insist on the one you asked for.") + " Once it is booked, ask for the PNR.",
		Actions:         actions,
		CommunicateInfo: b.booked(res[len(res)-1]),
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the user that the total price is $%s before booking.", domains.Money(b.total)),
			fmt.Sprintf("The agent books the trip in %s for %s only after the user confirms with yes.", className(b.class), passengerCount(len(b.passengers))),
		},
	}, nil
}

// draftBookOneWay: a user books a direct train.
func draftBookOneWay(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	u, err := bookingUser(r, env)
	if err != nil {
		return nil, err
	}
	starts := startLegs(db, u)
	if len(starts) == 0 {
		return nil, domains.NoCandidate("no running train")
	}
	l := domains.OneOf(r, starts)
	b := &booking{u: u, tripType: "one_way", origin: l.t.Origin, dest: l.t.Destination, legs: []leg{l}}
	b.fill(r)
	trains := domains.Choose(r,
		fmt.Sprintf("You want train %s from %s to %s on %s.", l.t.TrainNumber, l.t.Origin, l.t.Destination, l.date),
		fmt.Sprintf("You want to go from %s to %s on %s on the train leaving at %s (the %s).", l.t.Origin, l.t.Destination, l.date, l.t.ScheduledDepartureTimeLocal, title(l.t.TrainName)))
	reason := domains.Choose(r,
		fmt.Sprintf("You want to book a one-way trip from %s to %s on %s.", l.t.Origin, l.t.Destination, l.date),
		fmt.Sprintf("You need a single ticket to %s for %s.", l.t.Destination, l.date))
	search := task.NewCall("search_direct_train", "origin", l.t.Origin, "destination", l.t.Destination, "date", l.date)
	return b.draft(r, env, "Book a one-way direct trip with the user's passengers, extras and payment split.", reason, trains, []task.Call{search})
}

// draftBookRoundTrip: a user books a trip out and back.
func draftBookRoundTrip(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	u, err := bookingUser(r, env)
	if err != nil {
		return nil, err
	}
	starts := startLegs(db, u)
	backs := runs(db, onTime, delayed)
	for _, i := range r.Perm(len(starts)) {
		out := starts[i]
		var cands []leg
		for _, l := range backs {
			if l.t.Origin == out.t.Destination && l.t.Destination == out.t.Origin && after(out, l) {
				cands = append(cands, l)
			}
		}
		if len(cands) == 0 {
			continue
		}
		back := domains.OneOf(r, cands)
		b := &booking{u: u, tripType: "round_trip", origin: out.t.Origin, dest: out.t.Destination, legs: []leg{out, back}}
		b.fill(r)
		trains := domains.Choose(r,
			fmt.Sprintf("Outbound: train %s on %s. Return: train %s on %s.", out.t.TrainNumber, out.date, back.t.TrainNumber, back.date),
			fmt.Sprintf("You want to leave %s on %s with the %s train and come back on %s with the train leaving %s at %s.",
				out.t.Origin, out.date, out.t.ScheduledDepartureTimeLocal, back.date, back.t.Origin, back.t.ScheduledDepartureTimeLocal))
		reason := domains.Choose(r,
			fmt.Sprintf("You want to book a round trip between %s and %s.", out.t.Origin, out.t.Destination),
			fmt.Sprintf("You are visiting %s and need tickets there and back.", out.t.Destination))
		searches := []task.Call{
			task.NewCall("search_direct_train", "origin", out.t.Origin, "destination", out.t.Destination, "date", out.date),
			task.NewCall("search_direct_train", "origin", back.t.Origin, "destination", back.t.Destination, "date", back.date),
		}
		return b.draft(r, env, "Book a round trip with the user's passengers, extras and payment split.", reason, trains, searches)
	}
	return nil, domains.NoCandidate("no return train")
}

// draftBookOneStop: a user books a same-day journey with one change.
func draftBookOneStop(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	u, err := bookingUser(r, env)
	if err != nil {
		return nil, err
	}
	a, c, ok := connection(r, db, homeStations(db, u))
	if !ok {
		return nil, domains.NoCandidate("no same-day connection")
	}
	b := &booking{u: u, tripType: "one_way", origin: a.t.Origin, dest: c.t.Destination, legs: []leg{a, c}}
	b.fill(r)
	trains := domains.Choose(r,
		fmt.Sprintf("You want train %s to %s and then train %s to %s, both on %s.", a.t.TrainNumber, a.t.Destination, c.t.TrainNumber, c.t.Destination, a.date),
		fmt.Sprintf("On %s you want to leave %s at %s, change in %s and continue at %s to %s.", a.date, a.t.Origin,
			a.t.ScheduledDepartureTimeLocal, a.t.Destination, c.t.ScheduledDepartureTimeLocal, c.t.Destination))
	reason := domains.Choose(r,
		fmt.Sprintf("You want to book a one-way trip from %s to %s on %s, changing trains once.", a.t.Origin, c.t.Destination, a.date),
		fmt.Sprintf("You need to reach %s from %s on %s and are happy to change trains in %s.", c.t.Destination, a.t.Origin, a.date, a.t.Destination))
	search := task.NewCall("search_onestop_train", "origin", a.t.Origin, "destination", c.t.Destination, "date", a.date)
	return b.draft(r, env, "Book a one-way trip with one change, with the user's passengers, extras and payment split.", reason, trains, []task.Call{search})
}

// ---- cancellation ----

// cancelDraft completes a cancellation the policy allows: the reads, checks, then the cancel.
func cancelDraft(r *rand.Rand, env *domains.Env, o *owned, purpose, reason string, checks []task.Call, nl string) *task.Draft {
	actions := append(readReservation(o), checks...)
	actions = append(actions, task.NewCall("cancel_reservation", "reservation_id", o.id))
	known, unknown := reservationRef(r, env, o)
	return &task.Draft{
		Purpose:       purpose,
		Subject:       o.u.UserID,
		Persona:       persona(r, o.u),
		ReasonForCall: reason,
		KnownInfo:     identity(r, env, o.u) + " " + known,
		UnknownInfo:   strings.TrimSpace(unknown + " You do not know how long the refund takes."),
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Give your reason for cancelling when asked.",
			"Ask when you will get your money back.",
			"Do not ask for compensation; you only want the cancellation."),
		Actions: actions,
		NLAssertions: []string{
			nl,
			fmt.Sprintf("The agent cancels reservation %s only after the user explicitly confirms.", o.id),
			"The agent tells the user that the refund goes back to the original payment methods within 5 to 7 business days.",
		},
	}
}

// draftCancelCancelledTrain: a trip whose train the railway cancelled is cancelled.
func draftCancelCancelledTrain(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, false, func(o *owned) bool { return db.segmentWith(o.r, cancelled) >= 0 })
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no reservation on a cancelled train")
	}
	o := domains.OneOf(r, cands)
	s := o.r.Trains[db.segmentWith(o.r, cancelled)]
	reason := domains.Choose(r,
		fmt.Sprintf("You received a message that train %s on %s was cancelled, so you want to cancel your whole reservation.", s.TrainNumber, s.Date),
		fmt.Sprintf("You suspect train %s on %s has been cancelled; if so, you want to cancel the reservation and get a refund.", s.TrainNumber, s.Date))
	check := task.NewCall("get_train_status", "train_number", s.TrainNumber, "date", s.Date)
	return cancelDraft(r, env, o, "Cancel a reservation one of whose trains the railway cancelled.", reason, []task.Call{check},
		fmt.Sprintf("The agent checks that train %s on %s is cancelled before cancelling the reservation.", s.TrainNumber, s.Date)), nil
}

// draftCancelFirstClass: a first-class reservation is cancelled for a change of plans.
func draftCancelFirstClass(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, false, func(o *owned) bool {
		return db.classOf(o.r) == "first_class" && db.segmentWith(o.r, cancelled) < 0
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no first-class reservation")
	}
	o := domains.OneOf(r, cands)
	reason := domains.Choose(r,
		"Your plans changed and you no longer need the trip, so you want to cancel the reservation.",
		"The meeting you were travelling for has been called off; you want to cancel your first-class booking.",
		"You have decided to drive instead and want to cancel your train reservation.")
	return cancelDraft(r, env, o, "Cancel a first-class reservation, which the policy allows for any reason.", reason, nil,
		"The agent accepts the cancellation because the reservation is in first class."), nil
}

// draftCancelInsured: an insured reservation is cancelled for a covered reason.
func draftCancelInsured(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, false, func(o *owned) bool {
		return o.r.Insurance == "yes" && db.segmentWith(o.r, cancelled) < 0 && db.classOf(o.r) != "first_class"
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no insured reservation")
	}
	o := domains.OneOf(r, cands)
	cause := domains.Choose(r,
		"you have come down with a bad flu and your doctor told you not to travel",
		"you broke your ankle and cannot travel",
		"you are in hospital after a minor operation",
		"a severe storm warning has been issued for the day of travel",
		"heavy snowfall is forecast and the roads to the station are closed")
	reason := fmt.Sprintf("You want to cancel your reservation because %s. You bought travel insurance.", cause)
	return cancelDraft(r, env, o, "Cancel an insured reservation for a health or weather reason.", reason, nil,
		"The agent accepts the cancellation because the user has travel insurance and the reason is health or weather."), nil
}

// draftRefuseCancel: the user wants to cancel a trip the policy does not let them cancel;
// they ask whether the train is running, and it is.
func draftRefuseCancel(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, false, func(o *owned) bool {
		c := db.classOf(o.r)
		return c != "" && c != "first_class" && db.running(o.r) && !recent(env, o.r)
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no reservation that may not be cancelled")
	}
	o := domains.OneOf(r, cands)
	s := o.r.Trains[0]
	_, ds, _ := db.instance(s.TrainNumber, s.Date)
	reason := domains.Choose(r,
		"You changed your plans and want to cancel your reservation.",
		"A friend offered you a lift, so you want to cancel the train booking and get your money back.",
		"You found a cheaper bus and want to cancel the train reservation.")
	reason += fmt.Sprintf(" You also heard a rumour that train %s on %s might not run and want the agent to check.", s.TrainNumber, s.Date)
	known, unknown := reservationRef(r, env, o)
	known += " You booked it several weeks ago."
	if o.r.Insurance == "yes" {
		known += " You bought travel insurance, but you are healthy and the weather is fine."
	}
	return &task.Draft{
		Purpose:       "Refuse to cancel a reservation the policy does not allow cancelling, after checking that its train runs.",
		Subject:       o.u.UserID,
		Persona:       persona(r, o.u),
		ReasonForCall: reason,
		KnownInfo:     identity(r, env, o.u) + " " + known,
		UnknownInfo:   strings.TrimSpace(unknown + " You do not know the status of the train."),
		TaskInstructions: domains.Choose(r,
			"If the agent says the reservation cannot be cancelled, ask once whether there is any exception, then accept the answer. Do not ask for a human agent.",
			"Push a little for the refund, but accept a clear refusal. Do not make up a health problem."),
		Actions:         append(readReservation(o), task.NewCall("get_train_status", "train_number", s.TrainNumber, "date", s.Date)),
		CommunicateInfo: []string{ds.Status},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the user that train %s on %s is %s.", s.TrainNumber, s.Date, ds.Status),
			fmt.Sprintf("The agent refuses to cancel reservation %s because none of the policy's conditions for a cancellation holds.", o.id),
		},
	}, nil
}

// ---- changes ----

// changeDraft completes a change of a reservation: the reads, then the change.
func changeDraft(r *rand.Rand, env *domains.Env, o *owned, purpose, reason, wish string, changes []task.Call, info []string, nl ...string) *task.Draft {
	known, unknown := reservationRef(r, env, o)
	return &task.Draft{
		Purpose:       purpose,
		Subject:       o.u.UserID,
		Persona:       persona(r, o.u),
		ReasonForCall: reason,
		KnownInfo:     identity(r, env, o.u) + " " + known + " " + wish,
		UnknownInfo:   strings.TrimSpace(unknown + " You do not know what the change costs."),
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Ask what the change costs or refunds before you agree.",
			"Do not change anything else on the reservation.",
			"If the agent asks which payment method to use, give the one you have in mind."),
		Actions:         append(readReservation(o), changes...),
		CommunicateInfo: info,
		NLAssertions:    append(nl, "The agent makes the change only after the user explicitly confirms."),
	}
}

// settlement is what the user hears about the money a change moves.
func settlement(delta float64) ([]string, string) {
	switch {
	case delta > 1e-9:
		return []string{domains.Money(delta)}, fmt.Sprintf("The agent tells the user that the change costs $%s.", domains.Money(delta))
	case delta < -1e-9:
		return []string{domains.Money(delta)}, fmt.Sprintf("The agent tells the user that $%s will be refunded.", domains.Money(delta))
	}
	return nil, "The agent tells the user that the change costs nothing."
}

// draftChangeBags: a traveller adds or removes bags.
func draftChangeBags(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := reservations(env, false, func(o *owned) bool { _, ok := py.IsInt(o.r.TotalBags); return ok })
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no reservation with a bag count")
	}
	o := domains.OneOf(r, cands)
	old, _ := py.IsInt(o.r.TotalBags)
	n := int64(len(o.passengers))
	next := old + 1 + int64(r.IntN(2))
	reason := domains.Choose(r, "You are bringing more luggage than planned and need to add bags to your reservation.",
		"You bought some gifts and now need extra bags on your trip.")
	if old > 0 && r.IntN(3) == 0 {
		next = old - 1 - int64(r.IntN(int(min(old, 2))))
		reason = domains.Choose(r, "You are travelling lighter than planned and want fewer bags on your reservation.",
			"You packed into one suitcase after all and want to remove bags from the reservation.")
	}
	delta := float64(15 * (max(0, next-n) - max(0, old-n)))
	pid, ok := payee(r, o.u, delta)
	if !ok {
		return nil, domains.NoCandidate("no payment method")
	}
	info, nl := settlement(delta)
	wish := fmt.Sprintf("The reservation has %s now; you want %s in total. Any charge or refund goes to your %s.", bags(old), bags(next), methodName(o.u, pid))
	return changeDraft(r, env, o, "Change the number of bags on a reservation, charging or refunding the difference.", reason, wish,
		[]task.Call{task.NewCall("update_reservation_bags", "reservation_id", o.id, "total_bags", next, "payment_id", pid)}, info,
		nl, fmt.Sprintf("The agent sets the bags of reservation %s to %d.", o.id, next)), nil
}

// draftChangeBikes: a traveller adds or removes bikes.
func draftChangeBikes(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := reservations(env, false, func(o *owned) bool { _, ok := py.IsInt(o.r.Bikes); return ok })
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no reservation with a bike count")
	}
	o := domains.OneOf(r, cands)
	old, _ := py.IsInt(o.r.Bikes)
	next := old + 1 + int64(r.IntN(2))
	reason := domains.Choose(r, "You want to take your bike on the trip.", "You and a fellow passenger want to bring bicycles.")
	if old > 0 && r.IntN(2) == 0 {
		next = old - 1
		reason = "You will not take your bike after all and want it removed from the reservation."
	}
	delta := float64(10 * (next - old))
	pid, ok := payee(r, o.u, delta)
	if !ok {
		return nil, domains.NoCandidate("no payment method")
	}
	info, nl := settlement(delta)
	wish := fmt.Sprintf("You want %s on the reservation in total (it has %d now). Use your %s for the difference.", count(next, "bike"), old, methodName(o.u, pid))
	return changeDraft(r, env, o, "Change the number of bikes on a reservation, charging or refunding the difference.", reason, wish,
		[]task.Call{task.NewCall("update_reservation_bikes", "reservation_id", o.id, "bikes", next, "payment_id", pid)}, info,
		nl, fmt.Sprintf("The agent sets the bikes of reservation %s to %d.", o.id, next)), nil
}

// retrain is a reservation with one segment moved to another train or date.
type retrain struct {
	o     *owned
	i     int // the segment moved
	legs  []leg
	class string
	delta float64 // the discounted fare difference update_reservation_trains settles
}

// alternatives finds, for a random segment of o satisfying want, the running trains on the
// same route that fit between its neighbours, keeping the class.
func alternatives(r *rand.Rand, db *DB, o *owned, class string, want func(i int) bool, fits func(cur, l leg) bool) (*retrain, bool) {
	legs, ok := db.legsOf(o.r)
	if !ok {
		return nil, false
	}
	others := runs(db, onTime)
	for _, i := range r.Perm(len(legs)) {
		if !want(i) {
			continue
		}
		cur := legs[i]
		var cands []leg
		for _, l := range others {
			if l.t.Origin != cur.t.Origin || l.t.Destination != cur.t.Destination || (l.t == cur.t && l.date == cur.date) || !fits(cur, l) {
				continue
			}
			if (i > 0 && !after(legs[i-1], l)) || (i+1 < len(legs) && !after(l, legs[i+1])) {
				continue
			}
			cands = append(cands, l)
		}
		if len(cands) == 0 {
			continue
		}
		next := slices.Clone(legs)
		next[i] = domains.OneOf(r, cands)
		return &retrain{o: o, i: i, legs: next, class: class, delta: fareDelta(o, next, class)}, true
	}
	return nil, false
}

// fareDelta is the discounted difference between the fare of legs in class and the
// reservation's stored prices, as update_reservation_trains computes it.
func fareDelta(o *owned, legs []leg, class string) float64 {
	n := int64(len(o.passengers))
	var newFare, oldFare int64
	for _, l := range legs {
		newFare += fares[l.t.ServiceType][class] * n
	}
	for _, s := range o.r.Trains {
		oldFare += s.Price
	}
	return discount(newFare-oldFare*n, o.u.Membership)
}

// classWish is the class the user keeps, or names when the reservation does not show it.
func classWish(r *rand.Rand, db *DB, o *owned) (string, string) {
	if c := db.classOf(o.r); c != "" {
		return c, fmt.Sprintf("You want to stay in %s.", className(c))
	}
	c := domains.OneOf(r, classes)
	return c, fmt.Sprintf("You want to travel in %s.", className(c))
}

// draftChangeTrain: a traveller moves one segment to another train on the same route.
func draftChangeTrain(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, false, func(o *owned) bool { return db.running(o.r) })
	for _, k := range r.Perm(len(cands)) {
		o := cands[k]
		class, classWords := classWish(r, db, o)
		rt, ok := alternatives(r, db, o, class, func(int) bool { return true }, func(_, _ leg) bool { return true })
		if !ok {
			continue
		}
		pid, ok := payee(r, o.u, rt.delta)
		if !ok {
			continue
		}
		old, nu := o.r.Trains[rt.i], rt.legs[rt.i]
		reason := domains.Choose(r,
			fmt.Sprintf("Your plans changed and you need to take a different train from %s to %s.", nu.t.Origin, nu.t.Destination),
			fmt.Sprintf("You want to move the %s to %s leg of your trip to another train.", nu.t.Origin, nu.t.Destination))
		wish := fmt.Sprintf("Instead of %s you want %s. Keep the rest of the trip as it is. %s Settle any difference on your %s.",
			describeSegment(old), describeLeg(nu), classWords, methodName(o.u, pid))
		info, nl := settlement(rt.delta)
		changes := []task.Call{
			task.NewCall("search_direct_train", "origin", nu.t.Origin, "destination", nu.t.Destination, "date", nu.date),
			task.NewCall("update_reservation_trains", "reservation_id", o.id, "travel_class", class, "trains", trainsArg(rt.legs), "payment_id", pid),
		}
		return changeDraft(r, env, o, "Move one segment of a reservation to another train on the same route and settle the fare difference.",
			reason, wish, changes, info, nl,
			fmt.Sprintf("The agent replaces train %s on %s with train %s on %s and keeps the other segments.",
				old.TrainNumber, old.Date, nu.t.TrainNumber, nu.date)), nil
	}
	return nil, domains.NoCandidate("no reservation with another train on its route")
}

// draftChangeClass: a traveller rebooks the same trains in another class.
func draftChangeClass(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, false, func(o *owned) bool { return db.running(o.r) })
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no reservation on running trains")
	}
	o := domains.OneOf(r, cands)
	legs, _ := db.legsOf(o.r)
	cur := db.classOf(o.r)
	var to []string
	for _, c := range classes {
		if c != cur {
			to = append(to, c)
		}
	}
	class := domains.OneOf(r, to)
	delta := fareDelta(o, legs, class)
	pid, ok := payee(r, o.u, delta)
	if !ok {
		return nil, domains.NoCandidate("no payment method")
	}
	reason := domains.Choose(r,
		fmt.Sprintf("You want to change your reservation to %s on the same trains.", className(class)),
		fmt.Sprintf("You would rather travel in %s and want to switch class for the whole trip.", className(class)))
	if cur != "" {
		reason += fmt.Sprintf(" It is booked in %s now.", className(cur))
	}
	wish := fmt.Sprintf("Keep every train and date; only the class changes, to %s. Use your %s for any difference.", className(class), methodName(o.u, pid))
	info, nl := settlement(delta)
	return changeDraft(r, env, o, "Change the travel class of a reservation on the same trains and settle the fare difference.", reason, wish,
		[]task.Call{task.NewCall("update_reservation_trains", "reservation_id", o.id, "travel_class", class, "trains", trainsArg(legs), "payment_id", pid)},
		info, nl, fmt.Sprintf("The agent rebooks the same trains of reservation %s in %s.", o.id, className(class))), nil
}

// draftCorrectPassenger: a traveller corrects a passenger's name or date of birth.
func draftCorrectPassenger(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, false, nil)
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no reservation")
	}
	o := domains.OneOf(r, cands)
	j := r.IntN(len(o.passengers))
	mode := r.IntN(3)
	if mode < 2 && len(o.passengers) > 1 && j == 0 {
		j = 1 + r.IntN(len(o.passengers)-1) // a name is mistyped for a companion, not the caller
	}
	p := o.passengers[j]
	fixed := slices.Clone(o.passengers)
	locals := compatriots(db, o.u)
	var what string
	switch mode {
	case 0:
		var firsts []string
		for _, u := range locals {
			if f := u.Name.FirstName; f != p.FirstName && !slices.Contains(firsts, f) {
				firsts = append(firsts, f)
			}
		}
		if len(firsts) == 0 {
			return nil, domains.NoCandidate("no other first name")
		}
		fixed[j].FirstName = domains.OneOf(r, firsts)
		what = fmt.Sprintf("the first name of %s is wrong: it should be %s", passengerName(p), title(fixed[j].FirstName))
	case 1:
		var lasts []string
		for _, u := range locals {
			if l := u.Name.LastName; l != p.LastName && !slices.Contains(lasts, l) {
				lasts = append(lasts, l)
			}
		}
		if len(lasts) == 0 {
			return nil, domains.NoCandidate("no other last name")
		}
		fixed[j].LastName = domains.OneOf(r, lasts)
		what = fmt.Sprintf("the passenger entered as %s should be %s: the last name was taken from the wrong profile", passengerName(p), passengerName(fixed[j]))
	default:
		y, m, d, ok := ymd(p.DOB)
		if !ok {
			return nil, domains.NoCandidate("a date of birth that is not YYYY-MM-DD")
		}
		nd := 1 + (d+r.IntN(26))%28
		if nd == d {
			nd = d%28 + 1
		}
		fixed[j].DOB = fmt.Sprintf("%04d-%02d-%02d", y, m, nd)
		what = fmt.Sprintf("the date of birth of %s is wrong: it should be %s, not %s", passengerName(p), fixed[j].DOB, p.DOB)
	}
	reason := domains.Choose(r,
		"You noticed a mistake in the passenger details of your reservation and want it corrected.",
		"You checked your booking and one of the passengers' details is wrong.")
	wish := fmt.Sprintf("On this reservation %s. The other passengers are correct.", what)
	return changeDraft(r, env, o, "Correct one passenger's details on a reservation, keeping the others and their number.", reason, wish,
		[]task.Call{task.NewCall("update_reservation_passengers", "reservation_id", o.id, "passengers", passengersArg(fixed))}, nil,
		fmt.Sprintf("The agent sends the complete list of %s with only %s's details corrected.", passengerCount(len(fixed)), passengerName(p))), nil
}

// ymd reads a YYYY-MM-DD date.
func ymd(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	y, err1 = strconv.Atoi(s[:4])
	m, err2 = strconv.Atoi(s[5:7])
	d, err3 = strconv.Atoi(s[8:])
	return y, m, d, err1 == nil && err2 == nil && err3 == nil && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// ---- compensation ----

// eligible reports whether the owner of o may be compensated: a silver or gold member,
// insurance, or first class.
func eligible(db *DB, o *owned) bool {
	return o.u.Membership == "gold" || o.u.Membership == "silver" || o.r.Insurance == "yes" || db.classOf(o.r) == "first_class"
}

// eligibility says why, for the assertions.
func eligibility(db *DB, o *owned) string {
	switch {
	case o.u.Membership == "gold" || o.u.Membership == "silver":
		return "the user is a " + o.u.Membership + " member"
	case o.r.Insurance == "yes":
		return "the user bought travel insurance"
	}
	return "the reservation is in first class"
}

// draftCompensationCancelled: an eligible traveller whose train the railway cancelled asks
// for compensation and gets $100 per passenger in the wallet.
func draftCompensationCancelled(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, true, func(o *owned) bool {
		return db.segmentWith(o.r, cancelled) >= 0 && eligible(db, o) && o.r.Status != "waitlisted"
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no eligible reservation on a cancelled train")
	}
	o := domains.OneOf(r, cands)
	s := o.r.Trains[db.segmentWith(o.r, cancelled)]
	amount := 100 * int64(len(o.passengers))
	actions := append(readReservation(o),
		task.NewCall("get_train_status", "train_number", s.TrainNumber, "date", s.Date),
		task.NewCall("add_wallet_funds", "user_id", o.u.UserID, "amount", amount))
	if _, err := dryRun(env, actions); err != nil {
		return nil, domains.NoCandidate(err.Error()) // the wallet id pool is used up in this episode
	}
	known, unknown := reservationRef(r, env, o)
	reason := domains.Choose(r,
		fmt.Sprintf("Train %s on %s, part of your reservation, was cancelled by the railway, and you want to be compensated for the trouble.", s.TrainNumber, s.Date),
		fmt.Sprintf("You are upset that the railway cancelled train %s on %s and you ask what compensation you can get.", s.TrainNumber, s.Date))
	if o.r.Status == cancelled {
		reason += " You already cancelled the reservation itself."
	}
	return &task.Draft{
		Purpose:       "Compensate an eligible traveller for a railway-cancelled train with $100 per passenger in the wallet.",
		Subject:       o.u.UserID,
		Persona:       persona(r, o.u),
		ReasonForCall: reason,
		KnownInfo:     identity(r, env, o.u) + " " + known + fmt.Sprintf(" The reservation is for %s.", passengerCount(len(o.passengers))),
		UnknownInfo:   strings.TrimSpace(unknown + " You do not know what compensation you are entitled to."),
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Accept the compensation the agent offers; do not haggle.",
			"Ask how much you will get and where it will be paid."),
		Actions:         actions,
		CommunicateInfo: []string{strconv.FormatInt(amount, 10)},
		NLAssertions: []string{
			fmt.Sprintf("The agent checks that train %s on %s is cancelled before offering compensation.", s.TrainNumber, s.Date),
			fmt.Sprintf("The agent credits $%d to the user's wallet because %s.", amount, eligibility(db, o)),
		},
	}, nil
}

// draftRebookDelayed: an eligible traveller moves off a delayed train, then asks for the
// $50 per passenger that a delay earns once the change is made.
func draftRebookDelayed(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, false, func(o *owned) bool {
		return db.segmentWith(o.r, delayed) >= 0 && db.segmentWith(o.r, cancelled) < 0 && eligible(db, o)
	})
	for _, k := range r.Perm(len(cands)) {
		o := cands[k]
		class, classWords := classWish(r, db, o)
		rt, ok := alternatives(r, db, o, class, func(i int) bool {
			_, ds, _ := db.instance(o.r.Trains[i].TrainNumber, o.r.Trains[i].Date)
			return ds.Status == delayed
		}, func(cur, l leg) bool { return l.date == cur.date || (l.date > cur.date && l.date <= day3(cur.date)) })
		if !ok {
			continue
		}
		pid, ok := payee(r, o.u, rt.delta)
		if !ok {
			continue
		}
		old, nu := o.r.Trains[rt.i], rt.legs[rt.i]
		amount := 50 * int64(len(o.passengers))
		actions := append(readReservation(o),
			task.NewCall("get_train_status", "train_number", old.TrainNumber, "date", old.Date),
			task.NewCall("search_direct_train", "origin", nu.t.Origin, "destination", nu.t.Destination, "date", nu.date),
			task.NewCall("update_reservation_trains", "reservation_id", o.id, "travel_class", class, "trains", trainsArg(rt.legs), "payment_id", pid),
			task.NewCall("add_wallet_funds", "user_id", o.u.UserID, "amount", amount))
		if _, err := dryRun(env, actions); err != nil {
			return nil, domains.NoCandidate(err.Error())
		}
		known, unknown := reservationRef(r, env, o)
		info, nl := settlement(rt.delta)
		return &task.Draft{
			Purpose:       "Move a traveller off a delayed train, then compensate them with $50 per passenger in the wallet.",
			Subject:       o.u.UserID,
			Persona:       persona(r, o.u),
			ReasonForCall: fmt.Sprintf("Train %s on %s is delayed, so you want to switch to another train; afterwards you want compensation for the delay.", old.TrainNumber, old.Date),
			KnownInfo: identity(r, env, o.u) + " " + known + fmt.Sprintf(" You want %s instead. %s Settle any fare difference on your %s.",
				describeLeg(nu), classWords, methodName(o.u, pid)),
			UnknownInfo:      strings.TrimSpace(unknown + " You do not know what the change costs or what compensation you can get."),
			TaskInstructions: confirmRule(r) + " Ask for compensation only after the train change is done.",
			Actions:          actions,
			CommunicateInfo:  append(info, strconv.FormatInt(amount, 10)),
			NLAssertions: []string{
				nl,
				fmt.Sprintf("The agent moves the segment from train %s to train %s on %s before crediting any compensation.", old.TrainNumber, nu.t.TrainNumber, nu.date),
				fmt.Sprintf("The agent credits $%d to the user's wallet for the delay.", amount),
			},
		}, nil
	}
	return nil, domains.NoCandidate("no eligible reservation on a delayed train with another train on its route")
}

// draftRefuseCompensation: a regular member without insurance in a lower class asks for
// compensation after a disruption and is refused.
func draftRefuseCompensation(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := reservations(env, true, func(o *owned) bool {
		c := db.classOf(o.r)
		return c != "" && !eligible(db, o) && (db.segmentWith(o.r, cancelled) >= 0 || db.segmentWith(o.r, delayed) >= 0)
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no ineligible traveller on a disrupted train")
	}
	o := domains.OneOf(r, cands)
	i := db.segmentWith(o.r, cancelled)
	if i < 0 {
		i = db.segmentWith(o.r, delayed)
	}
	s := o.r.Trains[i]
	_, ds, _ := db.instance(s.TrainNumber, s.Date)
	known, unknown := reservationRef(r, env, o)
	return &task.Draft{
		Purpose:       "Refuse compensation to a regular member without insurance travelling below first class.",
		Subject:       o.u.UserID,
		Persona:       persona(r, o.u),
		ReasonForCall: fmt.Sprintf("Train %s on %s of your reservation is %s, and you want compensation in your wallet.", s.TrainNumber, s.Date, ds.Status),
		KnownInfo:     identity(r, env, o.u) + " " + known,
		UnknownInfo:   strings.TrimSpace(unknown + " You do not know the compensation rules."),
		TaskInstructions: domains.Choose(r,
			"Insist once that you deserve something, then accept the agent's answer. Do not ask for a human agent.",
			"If the agent refuses, ask why, and accept the answer once you understand."),
		Actions:         append(readReservation(o), task.NewCall("get_train_status", "train_number", s.TrainNumber, "date", s.Date)),
		CommunicateInfo: []string{"regular"},
		NLAssertions: []string{
			"The agent refuses compensation because the user is a regular member without travel insurance and not in first class.",
			"The agent does not add any funds to the user's wallet.",
		},
	}, nil
}

// draftRefuseInsurance: a traveller wants travel insurance added after booking, which the
// policy forbids; they also ask for the PNR.
func draftRefuseInsurance(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := reservations(env, false, func(o *owned) bool { return o.r.Insurance == "no" })
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no uninsured reservation")
	}
	o := domains.OneOf(r, cands)
	known, unknown := reservationRef(r, env, o)
	return &task.Draft{
		Purpose: "Refuse to add travel insurance after booking, and tell the user the reservation's PNR.",
		Subject: o.u.UserID,
		Persona: persona(r, o.u),
		ReasonForCall: domains.Choose(r,
			"You forgot to buy travel insurance when you booked and want to add it now. You also need the PNR of the booking.",
			"A friend told you to always take travel insurance, so you want it added to your reservation; you also want the PNR for your records."),
		KnownInfo:   identity(r, env, o.u) + " " + known,
		UnknownInfo: strings.TrimSpace(unknown + " You do not know the PNR."),
		TaskInstructions: domains.Choose(r,
			"If the agent says insurance cannot be added, accept it; do not cancel or rebook to get it.",
			"Ask once whether there is another way to get insurance, then accept the answer."),
		Actions:         readReservation(o),
		CommunicateInfo: []string{o.r.PNR},
		NLAssertions: []string{
			"The agent explains that travel insurance cannot be added after booking and does not change the reservation.",
			fmt.Sprintf("The agent tells the user the PNR %s.", o.r.PNR),
		},
	}, nil
}

// draftRefuseExtraPassenger: a traveller wants to add a passenger to a one-way reservation,
// which the policy forbids; the friend gets a booking of their own on the same train.
func draftRefuseExtraPassenger(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	if _, err := db.newReservationID(); err != nil {
		return nil, domains.NoCandidate("reservation id pool used up")
	}
	if _, err := db.newPNR(); err != nil {
		return nil, domains.NoCandidate("PNR pool used up")
	}
	cands := reservations(env, false, func(o *owned) bool {
		return o.r.TripType == "one_way" && len(o.r.Trains) == 1 && db.running(o.r) &&
			len(methods(o.u, "card"))+len(methods(o.u, "other")) > 0
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no one-way reservation")
	}
	o := domains.OneOf(r, cands)
	legs, _ := db.legsOf(o.r)
	class, classWords := classWish(r, db, o)
	var firsts, lasts []string
	for _, u := range compatriots(db, o.u) {
		if !slices.Contains(firsts, u.Name.FirstName) {
			firsts = append(firsts, u.Name.FirstName)
		}
		if !slices.Contains(lasts, u.Name.LastName) {
			lasts = append(lasts, u.Name.LastName)
		}
	}
	friend := Passenger{FirstName: domains.OneOf(r, firsts), LastName: domains.OneOf(r, lasts),
		DOB: fmt.Sprintf("%d-%02d-%02d", 1960+r.IntN(45), 1+r.IntN(12), 1+r.IntN(28))}
	b := &booking{u: o.u, tripType: "one_way", origin: legs[0].t.Origin, dest: legs[0].t.Destination, legs: legs,
		class: class, passengers: []Passenger{friend}, bags: int64(r.IntN(2)), meal: domains.OneOf(r, meals), insurance: domains.Choose(r, "yes", "no")}
	b.total = b.price()
	pid := domains.OneOf(r, append(methods(o.u, "card"), methods(o.u, "other")...))
	b.payments = []RailPayment{{PaymentID: pid, Amount: b.total}}
	actions := append(readReservation(o),
		task.NewCall("search_direct_train", "origin", b.origin, "destination", b.dest, "date", legs[0].date),
		b.action())
	res, err := dryRun(env, actions)
	if err != nil {
		return nil, err
	}
	known, unknown := reservationRef(r, env, o)
	ins := "without insurance"
	if b.insurance == "yes" {
		ins = "with travel insurance"
	}
	return &task.Draft{
		Purpose:       "Refuse to add a passenger to an existing reservation, then book the extra traveller separately on the same train.",
		Subject:       o.u.UserID,
		Persona:       persona(r, o.u),
		ReasonForCall: fmt.Sprintf("Your friend %s decided to join your %s and you want to add them to your reservation.", passengerName(friend), tripName(o)),
		KnownInfo: identity(r, env, o.u) + " " + known + fmt.Sprintf(" Your friend is %s, born %s. If adding them is impossible, you want a separate booking for them on the same train: %s, %s, no bikes, %s, %s. Pay with your %s.",
			passengerName(friend), friend.DOB, strings.TrimSuffix(strings.TrimPrefix(classWords, "You want to "), "."), bags(b.bags), mealName(b.meal), ins, methodName(o.u, pid)),
		UnknownInfo: strings.TrimSpace(unknown + " You do not know the price of a ticket."),
		TaskInstructions: "First ask to add your friend to the existing reservation. Only if the agent refuses, ask for a separate booking. " +
			confirmRule(r) + " Once it is booked, ask for its PNR.",
		Actions:         actions,
		CommunicateInfo: b.booked(res[len(res)-1]),
		NLAssertions: []string{
			fmt.Sprintf("The agent refuses to add a passenger to reservation %s because the number of passengers cannot change.", o.id),
			fmt.Sprintf("The agent books a separate one-way reservation for %s on train %s on %s for $%s after the user confirms.", passengerName(friend), legs[0].t.TrainNumber, legs[0].date, domains.Money(b.total)),
		},
	}, nil
}

// bags says a number of bags.
func bags(n int64) string { return count(n, "bag") }

// count says n things.
func count(n int64, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// callerNear picks a caller who travels from station, or anyone.
func callerNear(r *rand.Rand, db *DB, callers []*RailUser, station string) *RailUser {
	var near []*RailUser
	for _, u := range callers {
		if slices.Contains(homeStations(db, u), station) {
			near = append(near, u)
		}
	}
	if len(near) > 0 {
		return domains.OneOf(r, near)
	}
	return domains.OneOf(r, callers)
}

// day3 is the date three days after a YYYY-MM-DD date, or the date itself when it does not parse.
func day3(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.AddDate(0, 0, 3).Format(time.DateOnly)
}

// compatriots are the users from the same country as u, u included.
func compatriots(db *DB, u *RailUser) []*RailUser {
	return users(db, func(x *RailUser) bool { return x.Address.Country == u.Address.Country })
}
