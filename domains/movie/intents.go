package movie

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the theater's task templates. Together they use every WRITE tool; the
// read-only ones ask for a fact the agent must pass on, and four end in a refusal or a
// hand-over the policy requires (changing a pending booking, cancelling a past show,
// compensation, a promotion code).
var intents = []*domains.Intent{
	intent("showtimes", draftShowtimes),
	intent("movie_facts", draftMovieFacts),
	intent("free_seats_in_row", draftFreeSeats),
	intent("price_quote", draftPriceQuote),
	intent("booking_seats", draftBookingSeats),
	intent("booking_show_status", draftBookingShowStatus),
	intent("book_tickets", draftBookTickets),
	intent("cancel_booking", draftCancelBooking),
	intent("cancel_canceled_show_compensation", draftCanceledShow),
	intent("drop_seat", draftDropSeat),
	intent("add_seat", draftAddSeat),
	intent("change_ticket_type", draftChangeTicketType),
	intent("move_seats", draftMoveSeats),
	intent("refuse_pending_change", draftRefusePending),
	intent("completed_show_transfer", draftCompletedShow),
	intent("promotion_transfer", draftPromotion),
}

// intent names a template and stamps its name on every draft it makes. A draft's subject
// is the caller's email: a booking's customer, or one who gives it to book. An anonymous
// caller asking about films and shows has none, nor has a call handed to a human agent,
// which ends it. Drafted for a subject (a later request of the same call), a template picks
// that customer's own bookings and their city's theaters, and a draft for anyone else is
// refused.
func intent(name string, draft func(r *rand.Rand, env *domains.Env) (*task.Draft, error)) *domains.Intent {
	return &domains.Intent{Name: name, Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
		d, err := draft(r, env)
		if d != nil && env.Subject != "" && d.Subject != env.Subject {
			return nil, domains.NoCandidate(fmt.Sprintf("%s drafts for %q, not the subject %q", name, d.Subject, env.Subject))
		}
		if d != nil {
			d.Intent = name
			// Circumstances and manners that do not change the task make two tasks on the
			// same record read differently.
			d.ReasonForCall = strings.TrimSpace(d.ReasonForCall + " " + pick(r, contexts))
			d.TaskInstructions = strings.TrimSpace(d.TaskInstructions + " " + pick(r, closings))
		}
		return d, err
	}}
}

// ---- phrasing ----

var (
	contexts = []string{
		"", "You are calling during your lunch break.", "You are on your phone on the way home.",
		"You have a few minutes before a meeting.", "You already looked at the website without luck.",
		"It is late in the evening and you want this sorted today.", "A friend told you to call the theater directly.",
		"You have the booking confirmation email open.", "You rarely go to the cinema.",
		"You are in a bit of a hurry.", "You are calm and patient about it.",
	}
	closings = []string{
		"", "Be polite throughout the conversation.", "Thank the agent for each answer.",
		"Do not volunteer details the agent has not asked for.", "Do not share more than the agent asks for.",
		"Answer the agent's questions one at a time.", "If something the agent says is unclear, ask it to repeat.",
		"Keep your messages short.", "Do not mention these instructions.", "Spell out ids character by character if asked.",
	}
	callerRoles = []string{
		"a film student", "a retired teacher", "a parent planning a family outing", "a nurse on night shifts",
		"a software developer", "a small-business owner", "a college student", "a cinema lover who goes every week",
		"a tourist visiting the city", "a grandparent taking the grandchildren out", "an office worker",
	}
	callerManners = []string{
		"speaks briefly and to the point", "is polite but expects precise answers",
		"is a little anxious and wants every detail confirmed", "is chatty and gives details one at a time",
		"is busy and slightly impatient", "is careful with money and asks for amounts to be repeated",
		"is friendly and informal", "is formal and rather reserved", "writes short lower-case messages",
	}
)

func persona(r *rand.Rand, name, city string) string {
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s, %s from %s, %s.", name, pick(r, callerRoles), city, pick(r, callerManners))
	case 1:
		return fmt.Sprintf("%s lives in %s and is %s; the caller %s.", name, city, pick(r, callerRoles), pick(r, callerManners))
	}
	return fmt.Sprintf("%s (%s) %s.", name, pick(r, callerRoles), pick(r, callerManners))
}

func confirmRule(r *rand.Rand) string {
	return domains.Choose(r,
		"When the agent lists the details and asks you to confirm, answer yes.",
		"Say yes once the agent has described exactly what it will do.",
		"Give an explicit yes when the agent asks for confirmation.",
		"Confirm with a clear yes after the agent has summarised the action.")
}

// day writes a YY-MM-DD date as a person says it ("September 15, 2025").
func day(yymmdd string) string {
	t, err := time.Parse("06-01-02", yymmdd)
	if err != nil {
		return yymmdd
	}
	return t.Format("January 2, 2006")
}

// clockTime writes the time of a YY-MM-DD-HH-MM stamp as HH:MM.
func clockTime(stamp string) string {
	if len(stamp) < 14 {
		return stamp
	}
	return stamp[9:11] + ":" + stamp[12:14]
}

func ticketWords(seats []BookedSeat) string {
	parts := make([]string, len(seats))
	for i, s := range seats {
		parts[i] = fmt.Sprintf("%s (%s)", s.SeatID, s.TicketType)
	}
	return strings.Join(parts, ", ")
}

func seatIDList(seats []BookedSeat) []string {
	out := make([]string, len(seats))
	for i, s := range seats {
		out[i] = s.SeatID
	}
	return out
}

// seatList is the seats argument of price_preview, create_booking and update_booking_seats.
func seatList(seats []BookedSeat) []any {
	out := make([]any, len(seats))
	for i, s := range seats {
		out[i] = py.NewObject("seat_id", s.SeatID, "ticket_type", s.TicketType)
	}
	return out
}

// newID draws an id such as "PAY-7KQ2M1" for a payment the customer names.
func newID(r *rand.Rand, prefix string) string {
	b := make([]byte, 6)
	for i := range b {
		b[i] = upperAlnum[r.IntN(len(upperAlnum))]
	}
	return prefix + string(b)
}

// card is a payment card a customer pays with, and the payment argument it makes.
type card struct {
	paymentID, methodID, brand, last4 string
}

func newCard(r *rand.Rand) card {
	last := fmt.Sprintf("%04d", r.IntN(10000))
	return card{paymentID: newID(r, "PAY-"), methodID: newID(r, "PM-"), brand: domains.Choose(r, "Visa", "Mastercard", "American Express"), last4: last}
}

func (c card) payment(amount float64) *py.Object {
	return py.NewObject("payment_id", c.paymentID, "amount", amount,
		"method", py.NewObject("source", "card", "payment_method_id", c.methodID,
			"extra_info", py.NewObject("brand", c.brand, "last_four", c.last4)),
		"created_at", now)
}

func (c card) words() string {
	return fmt.Sprintf("You pay by %s card ending in %s; its payment method id is %s, and the reference to use for this payment is %s.",
		c.brand, c.last4, c.methodID, c.paymentID)
}

// cityNamed is the generator's city called name, or a random one.
func cityNamed(r *rand.Rand, name string) *city {
	if i := slices.IndexFunc(cityList, func(c *city) bool { return c.name == name }); i >= 0 {
		return cityList[i]
	}
	return pick(r, cityList)
}

// localName draws a caller's name as people of the city are named.
func localName(r *rand.Rand, cityName string) string {
	c := cityNamed(r, cityName)
	return pick(r, c.first) + " " + pick(r, c.last)
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

// showing is a show with its theater, auditorium and date.
type showing struct {
	th   *Theater
	aud  *Auditorium
	s    *Show
	date string
}

// showings returns every show that keep, in table and schedule order.
func showings(db *DB, keep func(sh *showing) bool) []*showing {
	var out []*showing
	for id, th := range db.Theaters.All() {
		if th.TheaterID != id {
			continue
		}
		for d, sched := range th.Dates.All() {
			for i := range sched.Shows {
				s := &sched.Shows[i]
				aud, ok := th.Auditoriums.Get(s.AuditoriumID)
				if !ok {
					continue
				}
				// The tools find a show by its first occurrence; skip later duplicates.
				if first, fd, err := db.show(id, s.ShowID, nil); err != nil || first != s || fd != d {
					continue
				}
				sh := &showing{th: th, aud: aud, s: s, date: d}
				if keep == nil || keep(sh) {
					out = append(out, sh)
				}
			}
		}
	}
	return out
}

// uniqueName reports whether no other theater has th's name.
func uniqueName(db *DB, th *Theater) bool {
	n := 0
	for t := range db.Theaters.Values() {
		if t.Name == th.Name {
			n++
		}
	}
	return n == 1
}

// free returns the seats of a show no confirmed booking holds, row by row, leaving out
// wheelchair-accessible seats.
func (sh *showing) free(db *DB) []Seat {
	booked := db.bookedSeats(sh.th.TheaterID, sh.s.ShowID)
	var out []Seat
	for row := range sh.aud.SeatMap.Rows.Values() {
		for _, seat := range row {
			if !booked.has(seat.SeatID) && !seat.WheelchairAccessible {
				out = append(out, seat)
			}
		}
	}
	return out
}

// rowOf is the row key of a seat id in the auditorium, or "".
func rowOf(aud *Auditorium, id string) string {
	for k, row := range aud.SeatMap.Rows.All() {
		for _, s := range row {
			if s.SeatID == id {
				return k
			}
		}
	}
	return ""
}

// held is a booking with its show.
type held struct {
	id string
	b  *Booking
	sh *showing
}

// bookings returns the bookings whose status is one of statuses and whose show's status
// is one of showStatuses, in table order.
func bookings(db *DB, statuses, showStatuses []string) []*held {
	var out []*held
	for id, b := range db.Bookings.All() {
		if b.BookingID != id || !slices.Contains(statuses, b.Status) || len(b.Seats) == 0 {
			continue
		}
		_, th, err := db.theater(b.TheaterID)
		if err != nil || th.TheaterID != b.TheaterID {
			continue
		}
		s, d, err := db.show(b.TheaterID, b.ShowID, nil)
		if err != nil || !slices.Contains(showStatuses, s.Status) {
			continue
		}
		aud, ok := th.Auditoriums.Get(s.AuditoriumID)
		if !ok {
			continue
		}
		out = append(out, &held{id: id, b: b, sh: &showing{th: th, aud: aud, s: s, date: d}})
	}
	return out
}

// bookingsFor returns the bookings of the environment's subject among bookings(db,
// statuses, showStatuses); every one of them when there is no subject.
func bookingsFor(env *domains.Env, statuses, showStatuses []string) []*held {
	all := bookings(dbOf(env), statuses, showStatuses)
	if env.Subject == "" {
		return all
	}
	var out []*held
	for _, h := range all {
		if h.b.Customer.Email == env.Subject {
			out = append(out, h)
		}
	}
	return out
}

// subject is the environment's subject as a customer: their details and city, from their
// first booking in table order; false when there is no subject or no booking of theirs.
func subject(env *domains.Env) (Customer, string, bool) {
	if env.Subject == "" {
		return Customer{}, "", false
	}
	db := dbOf(env)
	for b := range db.Bookings.Values() {
		if b.Customer.Email != env.Subject {
			continue
		}
		if _, th, err := db.theater(b.TheaterID); err == nil {
			return b.Customer, th.Address.City, true
		}
	}
	return Customer{}, "", false
}

// caller is who asks about films and shows: the subject when there is one (false when
// they have no booking to know them by), else a local of city with no subject.
func caller(r *rand.Rand, env *domains.Env, city string) (name, subj string, ok bool) {
	if env.Subject == "" {
		return localName(r, city), "", true
	}
	c, _, found := subject(env)
	return c.Name.FirstName + " " + c.Name.LastName, env.Subject, found
}

// nearby returns whether a theater is in the subject's city (every one is when there is no
// subject); false when the subject has no booking to know their city by.
func nearby(env *domains.Env) (func(th *Theater) bool, bool) {
	if env.Subject == "" {
		return func(*Theater) bool { return true }, true
	}
	_, city, ok := subject(env)
	return func(th *Theater) bool { return th.Address.City == city }, ok
}

func (h *held) name() string { return h.b.Customer.Name.FirstName + " " + h.b.Customer.Name.LastName }

func (h *held) persona(r *rand.Rand) string { return persona(r, h.name(), h.sh.th.Address.City) }

func (h *held) title(db *DB) string {
	if m, ok := db.Movies.Get(h.b.MovieID); ok {
		return m.Title
	}
	return "the film"
}

// known is what the customer of a booking can say about it; only its id when they are the
// subject of a call, who introduced themselves at its start.
func (h *held) known(r *rand.Rand, env *domains.Env) string {
	if env.Subject != "" {
		return fmt.Sprintf("The booking id is %s.", h.id)
	}
	db := dbOf(env)
	return domains.Choose(r,
		fmt.Sprintf("You are %s. Your booking id is %s, for %s at %s on %s at %s.", h.name(), h.id, h.title(db), h.sh.th.Name, day(h.sh.date), clockTime(h.b.StartTimeLocal)),
		fmt.Sprintf("Your name is %s and your booking id is %s (%s, %s).", h.name(), h.id, h.title(db), day(h.sh.date)),
		fmt.Sprintf("You are %s (email %s). The booking id is %s.", h.name(), h.b.Customer.Email, h.id))
}

// regrand is the change of grand total update_booking_seats computes for new seats.
func (db *DB) regrand(h *held, seats []BookedSeat) (float64, error) {
	priced, err := priceSeats(h.sh.s, h.sh.th, seatList(seats))
	if err != nil {
		return 0, err
	}
	sub, tax := concessionTotals(h.b.Concessions)
	q := price(priced, sub, tax, h.sh.th)
	return py.Round(q.grand-h.b.Totals.GrandTotal, 2), nil
}

// update is the golden seat update: with a payment of exactly the increase, if any.
func update(h *held, seats []BookedSeat, diff float64, c card) task.Call {
	if diff > 0 {
		return task.NewCall("update_booking_seats", "booking_id", h.id, "seats", seatList(seats), "payment", c.payment(diff))
	}
	return task.NewCall("update_booking_seats", "booking_id", h.id, "seats", seatList(seats))
}

// settlement is what the customer hears about the money a seat change moves.
func settlement(diff float64, c card) (known string, info []string, nl string) {
	switch {
	case diff > 0:
		return " If there is anything to pay: " + c.words(), []string{domains.Money(diff)},
			fmt.Sprintf("The agent tells the customer that the change costs $%s more and takes exactly that payment.", domains.Money(diff))
	case diff < 0:
		return "", []string{domains.Money(diff)}, fmt.Sprintf("The agent tells the customer that $%s will be refunded.", domains.Money(diff))
	}
	return "", nil, "The agent tells the customer that the price does not change."
}

// ---- read-only intents ----

// draftShowtimes: a caller asks when and in which format a film plays at a theater.
func draftShowtimes(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	near, ok := nearby(env)
	if !ok {
		return nil, domains.NoCandidate("the subject has no booking")
	}
	cands := showings(db, func(sh *showing) bool {
		if sh.s.Status != "scheduled" || !near(sh.th) || !uniqueName(db, sh.th) {
			return false
		}
		_, ok := db.Movies.Get(sh.s.MovieID)
		return ok
	})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no scheduled show")
	}
	sh := pick(r, cands)
	m, _ := db.Movies.Get(sh.s.MovieID)
	var times []string
	sched, _ := sh.th.Dates.Get(sh.date)
	for _, s := range sched.Shows {
		if s.MovieID == m.MovieID && s.Status == "scheduled" {
			times = append(times, fmt.Sprintf("%s (%s)", clockTime(s.StartTimeLocal), s.Format))
		}
	}
	name, subj, _ := caller(r, env, sh.th.Address.City)
	return &task.Draft{
		Subject:       subj,
		Purpose:       "List a theater's shows of a film on a date and tell the caller the start times and formats.",
		Persona:       persona(r, name, sh.th.Address.City),
		ReasonForCall: fmt.Sprintf("You want to see %s at %s on %s and want to know when it plays and in which format.", m.Title, sh.th.Name, day(sh.date)),
		KnownInfo:     fmt.Sprintf("The film is %q, the theater %s, the date %s.", m.Title, sh.th.Name, day(sh.date)),
		UnknownInfo:   "You do not know the showtimes or formats.",
		TaskInstructions: domains.Choose(r,
			"Do not book anything yet; you only want the times and formats.",
			"Ask for every showing of the film that day."),
		Actions: []task.Call{task.NewCall("list_theaters"), task.NewCall("list_movies"),
			task.NewCall("list_shows", "theater_id", sh.th.TheaterID, "date", sh.date, "movie_id", m.MovieID)},
		CommunicateInfo: []string{sh.s.Format},
		NLAssertions: []string{fmt.Sprintf("The agent tells the caller that %s plays at %s on %s at %s.",
			m.Title, sh.th.Name, day(sh.date), strings.Join(times, ", "))},
	}, nil
}

// draftMovieFacts: a caller asks a film's runtime, rating or director.
func draftMovieFacts(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	ids := db.Movies.Keys()
	if len(ids) == 0 {
		return nil, domains.NoCandidate("no movie")
	}
	m, _ := db.Movies.Get(pick(r, ids))
	c := pick(r, cityList)
	name, subj, ok := caller(r, env, c.name)
	if !ok {
		return nil, domains.NoCandidate("the subject has no booking")
	}
	var ask, fact, nl string
	switch r.IntN(3) {
	case 0:
		ask, fact = "how long it runs", strconv.FormatInt(m.RuntimeMinutes, 10)
		nl = fmt.Sprintf("The agent tells the caller that %s runs %d minutes.", m.Title, m.RuntimeMinutes)
	case 1:
		ask, fact = "its age rating", m.MPAARating
		nl = fmt.Sprintf("The agent tells the caller that %s is rated %s.", m.Title, m.MPAARating)
	case 2:
		ask, fact = "who directed it", m.Crew.Director
		nl = fmt.Sprintf("The agent tells the caller that %s was directed by %s.", m.Title, m.Crew.Director)
	}
	details := task.NewCall("get_movie_details", "movie_id", m.MovieID)
	res, err := dryRun(env, []task.Call{details})
	if err != nil {
		return nil, err
	}
	if !strings.Contains(res[0].Content, fact) {
		// The tool message escapes characters outside ASCII, so a name such as "López" is
		// not in its text as the agent says it; ask the runtime instead.
		ask, fact = "how long it runs", strconv.FormatInt(m.RuntimeMinutes, 10)
		nl = fmt.Sprintf("The agent tells the caller that %s runs %d minutes.", m.Title, m.RuntimeMinutes)
	}
	if fact == "" {
		return nil, domains.NoCandidate("the fact is empty")
	}
	return &task.Draft{
		Subject:          subj,
		Purpose:          "Look a film up and tell the caller one fact about it.",
		Persona:          persona(r, name, c.name),
		ReasonForCall:    fmt.Sprintf("You are thinking of seeing %s and want to know %s.", m.Title, ask),
		KnownInfo:        fmt.Sprintf("The film is called %q.", m.Title),
		UnknownInfo:      "You know nothing else about the film.",
		TaskInstructions: domains.Choose(r, "Only ask about this film's facts.", "Ask for nothing else about this film."),
		Actions:          []task.Call{task.NewCall("list_movies"), details},
		CommunicateInfo:  []string{fact},
		NLAssertions:     []string{nl},
	}, nil
}

// draftFreeSeats: a caller asks which seats of one row are still free for a show.
func draftFreeSeats(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	near, ok := nearby(env)
	if !ok {
		return nil, domains.NoCandidate("the subject has no booking")
	}
	cands := showings(db, func(sh *showing) bool { return sh.s.Status == "scheduled" && near(sh.th) && uniqueName(db, sh.th) })
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no scheduled show")
	}
	sh := pick(r, cands)
	booked := db.bookedSeats(sh.th.TheaterID, sh.s.ShowID)
	rows := sh.aud.SeatMap.Rows.Keys()
	row := pick(r, rows)
	seats, _ := sh.aud.SeatMap.Rows.Get(row)
	var freeIDs []string
	for _, s := range seats {
		if !booked.has(s.SeatID) {
			freeIDs = append(freeIDs, s.SeatID)
		}
	}
	m, ok := db.Movies.Get(sh.s.MovieID)
	if !ok || len(freeIDs) == 0 || len(freeIDs) > 8 {
		return nil, domains.NoCandidate("no row with a few free seats")
	}
	name, subj, _ := caller(r, env, sh.th.Address.City)
	return &task.Draft{
		Subject:       subj,
		Purpose:       "Check a show's seat availability and tell the caller the free seats of one row.",
		Persona:       persona(r, name, sh.th.Address.City),
		ReasonForCall: fmt.Sprintf("You like to sit in row %s and want to know which seats of that row are still free for %s at %s on %s at %s.", row, m.Title, sh.th.Name, day(sh.date), clockTime(sh.s.StartTimeLocal)),
		KnownInfo:     fmt.Sprintf("The show is %s at %s, %s at %s.", m.Title, sh.th.Name, day(sh.date), clockTime(sh.s.StartTimeLocal)),
		UnknownInfo:   "You do not know which seats are free.",
		TaskInstructions: domains.Choose(r,
			"Do not book yet; you only want to know the free seats of that row.",
			"Ask the agent to list every free seat of the row."),
		Actions: []task.Call{task.NewCall("list_theaters"),
			task.NewCall("list_shows", "theater_id", sh.th.TheaterID, "date", sh.date),
			task.NewCall("get_seat_availability", "theater_id", sh.th.TheaterID, "show_id", sh.s.ShowID)},
		CommunicateInfo: freeIDs,
		NLAssertions:    []string{fmt.Sprintf("The agent tells the caller that the free seats of row %s are %s.", row, strings.Join(freeIDs, ", "))},
	}, nil
}

// booking is a new booking a template is drafting.
type booking struct {
	sh    *showing
	film  *Film
	seats []BookedSeat // seat ids and ticket types
}

// plan picks a scheduled show with free seats side by side, and the seats.
// It keeps to the subject's city when there is a subject.
func plan(r *rand.Rand, env *domains.Env) (*booking, bool) {
	db := dbOf(env)
	near, ok := nearby(env)
	if !ok {
		return nil, false
	}
	cands := showings(db, func(sh *showing) bool { return sh.s.Status == "scheduled" && near(sh.th) && uniqueName(db, sh.th) })
	for _, i := range r.Perm(len(cands)) {
		sh := cands[i]
		film, ok := db.Movies.Get(sh.s.MovieID)
		free := sh.free(db)
		if !ok || len(free) == 0 {
			continue
		}
		// A run of free seats in one row, starting at a random free seat.
		start := r.IntN(len(free))
		want := 1 + r.IntN(3)
		row := rowOf(sh.aud, free[start].SeatID)
		var seats []BookedSeat
		for _, s := range free[start:] {
			if rowOf(sh.aud, s.SeatID) != row || len(seats) == want {
				break
			}
			seats = append(seats, BookedSeat{SeatID: s.SeatID, TicketType: pick(r, ticketMix)})
		}
		return &booking{sh: sh, film: film, seats: seats}, true
	}
	return nil, false
}

// draftPriceQuote: a caller asks what some seats of a show would cost.
func draftPriceQuote(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	b, ok := plan(r, env)
	if !ok {
		return nil, domains.NoCandidate("no show with free seats")
	}
	preview := task.NewCall("price_preview", "theater_id", b.sh.th.TheaterID, "show_id", b.sh.s.ShowID, "seats", seatList(b.seats))
	res, err := dryRun(env, []task.Call{preview})
	if err != nil {
		return nil, err
	}
	q, _ := res[0].Output.(*py.Object)
	grand, _ := q.Get("grand_total")
	g, _ := grand.(float64)
	name, subj, _ := caller(r, env, b.sh.th.Address.City)
	return &task.Draft{
		Subject:       subj,
		Purpose:       "Quote the grand total of some seats of a show with price_preview, without booking.",
		Persona:       persona(r, name, b.sh.th.Address.City),
		ReasonForCall: fmt.Sprintf("You are considering seeing %s at %s on %s at %s and want to know the total price before deciding.", b.film.Title, b.sh.th.Name, day(b.sh.date), clockTime(b.sh.s.StartTimeLocal)),
		KnownInfo:     fmt.Sprintf("You would take seats %s.", ticketWords(b.seats)),
		UnknownInfo:   "You do not know the prices, fees or taxes.",
		TaskInstructions: domains.Choose(r,
			"For now you only want the total price.",
			"Ask for the grand total including fees and tax. Say you will think about it."),
		Actions: []task.Call{task.NewCall("list_theaters"),
			task.NewCall("list_shows", "theater_id", b.sh.th.TheaterID, "date", b.sh.date),
			task.NewCall("get_seat_availability", "theater_id", b.sh.th.TheaterID, "show_id", b.sh.s.ShowID),
			preview},
		CommunicateInfo: []string{domains.Money(g)},
		NLAssertions:    []string{fmt.Sprintf("The agent quotes a grand total of $%s from price_preview and books nothing.", domains.Money(g))},
	}, nil
}

// draftBookingSeats: a customer asks which seats and delivery a booking has.
func draftBookingSeats(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := bookingsFor(env, []string{"confirmed"}, []string{"scheduled"})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no confirmed booking")
	}
	h := pick(r, cands)
	ids := seatIDList(h.b.Seats)
	return &task.Draft{
		Purpose:       "Look a booking up and tell the customer its seats and how the tickets are delivered.",
		Subject:       h.b.Customer.Email,
		Persona:       h.persona(r),
		ReasonForCall: "You forgot which seats you booked and how you will get the tickets.",
		KnownInfo:     h.known(r, env),
		UnknownInfo:   "You do not remember the seat numbers or the delivery method.",
		TaskInstructions: domains.Choose(r,
			"Ask for both the seat numbers and the delivery method.",
			"Ask for the seat numbers first, then the delivery method."),
		Actions:         []task.Call{task.NewCall("get_booking_details", "booking_id", h.id)},
		CommunicateInfo: append(ids, h.b.Delivery.Method),
		NLAssertions: []string{fmt.Sprintf("The agent tells the customer that booking %s has seats %s, delivered by %s.",
			h.id, strings.Join(ids, ", "), h.b.Delivery.Method)},
	}, nil
}

// draftBookingShowStatus: a customer asks whether the show of a booking still takes place.
func draftBookingShowStatus(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := bookingsFor(env, []string{"confirmed"}, []string{"scheduled", "canceled"})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no confirmed booking")
	}
	h := pick(r, cands)
	return &task.Draft{
		Purpose:       "Tell the customer the status of the show of a booking.",
		Subject:       h.b.Customer.Email,
		Persona:       h.persona(r),
		ReasonForCall: domains.Choose(r, "You heard that some screenings were cancelled and want to know whether yours still takes place.", "You want to check that the show you booked is still on."),
		KnownInfo:     h.known(r, env),
		UnknownInfo:   "You do not know the show's status.",
		TaskInstructions: domains.Choose(r,
			"About this show you only want its status.",
			"If the show is cancelled, just note it; you will decide later what to do."),
		Actions:         []task.Call{task.NewCall("get_booking_details", "booking_id", h.id), task.NewCall("get_show_status", "theater_id", h.b.TheaterID, "show_id", h.b.ShowID)},
		CommunicateInfo: []string{h.sh.s.Status},
		NLAssertions:    []string{fmt.Sprintf("The agent tells the customer that the show of booking %s is %s.", h.id, h.sh.s.Status)},
	}, nil
}

// ---- writes ----

// draftBookTickets: a caller books seats for a show, with or without concessions.
func draftBookTickets(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	if _, err := db.newBookingID(); err != nil {
		return nil, domains.NoCandidate("booking id pool used up")
	}
	b, ok := plan(r, env)
	if !ok {
		return nil, domains.NoCandidate("no show with free seats")
	}
	th := b.sh.th
	c := cityNamed(r, th.Address.City)
	first, last := pick(r, c.first), pick(r, c.last)
	email := strings.ToLower(asciiName(first)+"."+asciiName(last)) + "@" + c.mail
	phone := c.phone(&generator{r: r})
	if cu, _, ok := subject(env); ok {
		// A customer the theater knows books again, with the details of their booking.
		first, last, email, phone = cu.Name.FirstName, cu.Name.LastName, cu.Email, cu.Phone
	}
	customer := py.NewObject("name", py.NewObject("first_name", first, "last_name", last), "email", email, "phone", phone)
	var concessions []any
	consWords := ""
	if r.IntN(3) == 0 {
		snack := pick(r, c.snacks)
		qty := int64(1 + r.IntN(2))
		each := pick(r, []float64{3.5, 4, 4.5, 5, 5.5, 6})
		concessions = append(concessions, py.NewObject("item_id", itemID(snack[0]), "name", snack[0], "size", snack[1],
			"quantity", qty, "price_each", each))
		consWords = fmt.Sprintf(" You also want %d × %s (%s, item code %s) at $%s each.", qty, snack[0], snack[1], itemID(snack[0]), domains.Money(each))
	}
	preview := []any{"theater_id", th.TheaterID, "show_id", b.sh.s.ShowID, "seats", seatList(b.seats)}
	if concessions != nil {
		preview = append(preview, "concessions", concessions)
	}
	previewCall := task.NewCall("price_preview", preview...)
	res, err := dryRun(env, []task.Call{previewCall})
	if err != nil {
		return nil, err
	}
	q, _ := res[0].Output.(*py.Object)
	grandV, _ := q.Get("grand_total")
	grand, _ := grandV.(float64)
	cd := newCard(r)
	delivery := domains.Choose(r, "e-ticket", "e-ticket", "box-office", "kiosk")
	args := []any{"theater_id", th.TheaterID, "show_id", b.sh.s.ShowID, "customer", customer, "seats", seatList(b.seats),
		"delivery_method", delivery, "payments", []any{cd.payment(grand)}}
	if concessions != nil {
		args = append(args, "concessions", concessions)
	}
	actions := []task.Call{
		task.NewCall("list_theaters"),
		task.NewCall("list_shows", "theater_id", th.TheaterID, "date", b.sh.date),
		task.NewCall("get_seat_availability", "theater_id", th.TheaterID, "show_id", b.sh.s.ShowID),
		task.NewCall("get_theater_details", "theater_id", th.TheaterID),
		previewCall,
		task.NewCall("create_booking", args...),
	}
	res, err = dryRun(env, actions)
	if err != nil {
		return nil, err
	}
	made, _ := res[len(res)-1].Output.(*Booking)
	name := first + " " + last
	return &task.Draft{
		Subject:       email,
		Purpose:       "Book seats for a scheduled show after a price preview, paid exactly with the customer's card.",
		Persona:       persona(r, name, th.Address.City),
		ReasonForCall: fmt.Sprintf("You want to book tickets for %s at %s on %s, the show at %s.", b.film.Title, th.Name, day(b.sh.date), clockTime(b.sh.s.StartTimeLocal)),
		KnownInfo: fmt.Sprintf("You are %s, email %s, phone %s. You want seats %s.%s You want the tickets delivered by %s. %s",
			name, email, phone, ticketWords(b.seats), consWords, delivery, cd.words()),
		UnknownInfo: "You do not know the price.",
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Ask for the total before you agree.",
			"Do not give a loyalty id; you do not have one.",
			"Give your contact details only when the agent asks for them."),
		Actions:         actions,
		CommunicateInfo: []string{domains.Money(grand), made.BookingID},
		NLAssertions: []string{
			fmt.Sprintf("The agent presents the price preview with a grand total of $%s before booking.", domains.Money(grand)),
			fmt.Sprintf("The agent books seats %s after the customer confirms and gives the booking id %s.", strings.Join(seatIDList(b.seats), ", "), made.BookingID),
		},
	}, nil
}

// draftCancelBooking: a customer cancels a booking for a scheduled show.
func draftCancelBooking(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := bookingsFor(env, []string{"confirmed"}, []string{"scheduled"})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no confirmed booking")
	}
	h := pick(r, cands)
	var info []string
	if h.b.Totals.AmountPaid > 0 {
		info = []string{domains.Money(h.b.Totals.AmountPaid)}
	}
	return &task.Draft{
		Purpose:       "Cancel a booking for a scheduled show and refund what was paid.",
		Subject:       h.b.Customer.Email,
		Persona:       h.persona(r),
		ReasonForCall: domains.Choose(r, "You can no longer make it to the show and want to cancel your booking.", "Something came up on the evening of the show, so you want to cancel.", "You booked the wrong film and want to cancel the booking."),
		KnownInfo:     h.known(r, env),
		UnknownInfo:   "You do not know how much will be refunded.",
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Ask how much you will get back.",
			"Do not ask for a new booking."),
		Actions: []task.Call{task.NewCall("get_booking_details", "booking_id", h.id),
			task.NewCall("get_show_status", "theater_id", h.b.TheaterID, "show_id", h.b.ShowID),
			task.NewCall("cancel_booking", "booking_id", h.id)},
		CommunicateInfo: info,
		NLAssertions: []string{
			fmt.Sprintf("The agent cancels booking %s only after the customer confirms.", h.id),
			"The agent does not promise when the refund will arrive.",
		},
	}, nil
}

// draftCanceledShow: the theater cancelled the show; the customer cancels the booking and
// asks for compensation, which goes to a human agent.
func draftCanceledShow(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if env.Subject != "" {
		return nil, domains.NoCandidate("a hand-over to a human agent ends the call")
	}
	cands := bookingsFor(env, []string{"confirmed"}, []string{"canceled"})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no booking on a canceled show")
	}
	h := pick(r, cands)
	return &task.Draft{
		Purpose:          "Cancel a booking whose show the theater cancelled, then hand the compensation request to a human agent.",
		Persona:          h.persona(r),
		ReasonForCall:    "You received a message that your show was cancelled. You want your booking cancelled and refunded, and you also want compensation for the wasted evening.",
		KnownInfo:        h.known(r, env),
		UnknownInfo:      "You do not know what the theater offers as compensation.",
		TaskInstructions: confirmRule(r) + " Ask for compensation only after the cancellation is done; accept a transfer to a human agent for it.",
		Actions: []task.Call{task.NewCall("get_booking_details", "booking_id", h.id),
			task.NewCall("get_show_status", "theater_id", h.b.TheaterID, "show_id", h.b.ShowID),
			task.NewCall("cancel_booking", "booking_id", h.id),
			task.NewCall("transfer_to_human_agents", "summary", fmt.Sprintf("Customer %s asks for compensation after the theater cancelled the show of booking %s, which was cancelled and refunded.", h.name(), h.id))},
		CommunicateInfo: []string{h.sh.s.Status},
		NLAssertions: []string{
			fmt.Sprintf("The agent confirms the show was canceled and cancels booking %s after the customer confirms.", h.id),
			"The agent transfers the customer to a human agent for the compensation request.",
		},
	}, nil
}

// draftDropSeat: a customer gives up one seat of a booking by changing it to the others.
func draftDropSeat(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := bookingsFor(env, []string{"confirmed"}, []string{"scheduled"})
	var many []*held
	for _, h := range cands {
		if len(h.b.Seats) > 1 {
			many = append(many, h)
		}
	}
	if len(many) == 0 {
		return nil, domains.NoCandidate("no booking with several seats")
	}
	h := pick(r, many)
	k := r.IntN(len(h.b.Seats))
	gone := h.b.Seats[k]
	rest := slices.Delete(slices.Clone(h.b.Seats), k, k+1)
	return seatChange(r, env, h, rest,
		"Give up one seat of a booking by changing it to the remaining seats, not cancelling it.",
		fmt.Sprintf("One of your party cannot come, so you want to give up seat %s and keep the others.", gone.SeatID),
		fmt.Sprintf("Keep seats %s exactly as they are.", ticketWords(rest)),
		fmt.Sprintf("The agent changes booking %s to seats %s instead of cancelling it.", h.id, strings.Join(seatIDList(rest), ", ")))
}

// draftAddSeat: a customer adds a free seat to a booking and pays the difference.
func draftAddSeat(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := bookingsFor(env, []string{"confirmed"}, []string{"scheduled"})
	for _, i := range r.Perm(len(cands)) {
		h := cands[i]
		free := h.sh.free(db)
		if len(free) == 0 {
			continue
		}
		// Prefer a free seat in a row the booking already uses.
		rows := map[string]bool{}
		for _, s := range h.b.Seats {
			rows[rowOf(h.sh.aud, s.SeatID)] = true
		}
		var near []Seat
		for _, s := range free {
			if rows[rowOf(h.sh.aud, s.SeatID)] {
				near = append(near, s)
			}
		}
		if len(near) > 0 {
			free = near
		}
		add := BookedSeat{SeatID: pick(r, free).SeatID, TicketType: pick(r, ticketMix)}
		seats := append(slices.Clone(h.b.Seats), add)
		return seatChange(r, env, h, seats,
			"Add a free seat to a booking and take exactly the payment of the price increase.",
			fmt.Sprintf("Someone else wants to join you, so you want to add seat %s (%s ticket) to your booking.", add.SeatID, add.TicketType),
			fmt.Sprintf("Keep your current seats %s.", ticketWords(h.b.Seats)),
			fmt.Sprintf("The agent changes booking %s to seats %s.", h.id, ticketWords(seats)))
	}
	return nil, domains.NoCandidate("no booking on a show with free seats")
}

// draftChangeTicketType: a customer corrects the ticket type of one seat.
func draftChangeTicketType(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := bookingsFor(env, []string{"confirmed"}, []string{"scheduled"})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no confirmed booking")
	}
	h := pick(r, cands)
	k := r.IntN(len(h.b.Seats))
	seats := slices.Clone(h.b.Seats)
	var types []string
	for _, t := range []string{"adult", "child", "senior"} {
		if t != seats[k].TicketType {
			types = append(types, t)
		}
	}
	seats[k].TicketType = pick(r, types)
	who := map[string]string{"adult": "an adult", "child": "a child", "senior": "a senior"}[seats[k].TicketType]
	return seatChange(r, env, h, seats,
		"Change the ticket type of one seat of a booking and settle the price difference.",
		fmt.Sprintf("The person in seat %s is %s, but the ticket was booked as %s; you want it corrected.", seats[k].SeatID, who, h.b.Seats[k].TicketType),
		"The other seats stay as they are.",
		fmt.Sprintf("The agent changes only the ticket type of seat %s to %s.", seats[k].SeatID, seats[k].TicketType))
}

// draftMoveSeats: a customer moves the whole booking to other free seats.
func draftMoveSeats(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	cands := bookingsFor(env, []string{"confirmed"}, []string{"scheduled"})
	for _, i := range r.Perm(len(cands)) {
		h := cands[i]
		free := h.sh.free(db)
		n := len(h.b.Seats)
		// A run of n free seats in one row.
		for _, start := range r.Perm(len(free)) {
			if start+n > len(free) {
				continue
			}
			run := free[start : start+n]
			row := rowOf(h.sh.aud, run[0].SeatID)
			if rowOf(h.sh.aud, run[n-1].SeatID) != row {
				continue
			}
			seats := make([]BookedSeat, n)
			for j := range seats {
				seats[j] = BookedSeat{SeatID: run[j].SeatID, TicketType: h.b.Seats[j].TicketType}
			}
			return seatChange(r, env, h, seats,
				"Move a booking to other free seats of the same show.",
				fmt.Sprintf("You would rather sit in row %s and want to move your booking to seats %s.", row, strings.Join(seatIDList(seats), ", ")),
				"Keep the same ticket types, in the same order as now.",
				fmt.Sprintf("The agent changes booking %s to seats %s with the same ticket types.", h.id, ticketWords(seats)))
		}
	}
	return nil, domains.NoCandidate("no booking with a free run of seats")
}

// seatChange completes a seat update: the reads, then update_booking_seats with a payment
// of exactly the increase when there is one.
func seatChange(r *rand.Rand, env *domains.Env, h *held, seats []BookedSeat, purpose, reason, keep, nlChange string) (*task.Draft, error) {
	db := dbOf(env)
	diff, err := db.regrand(h, seats)
	if err != nil {
		return nil, err
	}
	cd := newCard(r)
	pay, info, nl := settlement(diff, cd)
	actions := []task.Call{task.NewCall("get_booking_details", "booking_id", h.id),
		task.NewCall("get_seat_availability", "theater_id", h.b.TheaterID, "show_id", h.b.ShowID),
		update(h, seats, diff, cd)}
	if _, err := dryRun(env, actions); err != nil {
		return nil, err
	}
	return &task.Draft{
		Purpose:       purpose,
		Subject:       h.b.Customer.Email,
		Persona:       h.persona(r),
		ReasonForCall: reason,
		KnownInfo:     h.known(r, env) + " " + keep + pay,
		UnknownInfo:   "You do not know how the price changes.",
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r,
			"Ask what the change costs or refunds before agreeing.",
			"In this request, change nothing else about the booking."),
		Actions:         actions,
		CommunicateInfo: info,
		NLAssertions:    []string{nl, nlChange},
	}, nil
}

// ---- refusals and hand-overs ----

// draftRefusePending: a customer wants to change the seats of a pending booking.
func draftRefusePending(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	cands := bookingsFor(env, []string{"pending"}, []string{"scheduled", "canceled", "completed"})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no pending booking")
	}
	h := pick(r, cands)
	return &task.Draft{
		Purpose:       "Refuse to change the seats of a booking that is not confirmed, and tell the customer its status.",
		Subject:       h.b.Customer.Email,
		Persona:       h.persona(r),
		ReasonForCall: fmt.Sprintf("You want to change the seats of your booking; you would like to swap seat %s for another one.", h.b.Seats[0].SeatID),
		KnownInfo:     h.known(r, env),
		UnknownInfo:   "You do not know the booking's status.",
		TaskInstructions: domains.Choose(r,
			"If the agent says the booking cannot be changed, ask why and accept the answer.",
			"Accept a refusal; do not cancel the booking."),
		Actions:         []task.Call{task.NewCall("get_booking_details", "booking_id", h.id)},
		CommunicateInfo: []string{h.b.Status},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the customer that booking %s is pending and refuses to change its seats because only confirmed bookings can be changed.", h.id),
		},
	}, nil
}

// draftCompletedShow: a customer wants to cancel a booking for a show that already took
// place; the agent transfers them.
func draftCompletedShow(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if env.Subject != "" {
		return nil, domains.NoCandidate("a hand-over to a human agent ends the call")
	}
	cands := bookingsFor(env, []string{"confirmed"}, []string{"completed"})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no booking on a completed show")
	}
	h := pick(r, cands)
	return &task.Draft{
		Purpose:       "Transfer to a human agent a customer who wants to cancel a booking for a show that already took place.",
		Persona:       h.persona(r),
		ReasonForCall: "You could not go to the show you booked and want to cancel the booking and get your money back.",
		KnownInfo:     h.known(r, env),
		UnknownInfo:   "You do not know whether a refund is possible.",
		TaskInstructions: domains.Choose(r,
			"Accept a transfer to a human agent if the agent offers it.",
			"Insist on a refund; if the agent transfers you, accept."),
		Actions: []task.Call{task.NewCall("get_booking_details", "booking_id", h.id),
			task.NewCall("get_show_status", "theater_id", h.b.TheaterID, "show_id", h.b.ShowID),
			task.NewCall("transfer_to_human_agents", "summary", fmt.Sprintf("Customer %s wants to cancel booking %s, whose show has already taken place.", h.name(), h.id))},
		CommunicateInfo: []string{h.sh.s.Status},
		NLAssertions: []string{
			fmt.Sprintf("The agent does not cancel booking %s because its show is completed.", h.id),
			"The agent transfers the customer to a human agent.",
		},
	}, nil
}

// draftPromotion: a customer asks for a booking's total and a discount code; codes go to a
// human agent.
func draftPromotion(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if env.Subject != "" {
		return nil, domains.NoCandidate("a hand-over to a human agent ends the call")
	}
	cands := bookingsFor(env, []string{"confirmed"}, []string{"scheduled"})
	if len(cands) == 0 {
		return nil, domains.NoCandidate("no confirmed booking")
	}
	h := pick(r, cands)
	return &task.Draft{
		Purpose:       "Tell a customer the grand total of a booking, then transfer the request for a promotion code to a human agent.",
		Persona:       h.persona(r),
		ReasonForCall: "You want to know how much your booking cost in total, and you would like a promotion code or discount applied to it.",
		KnownInfo:     h.known(r, env),
		UnknownInfo:   "You do not know the total or whether promotions exist.",
		TaskInstructions: domains.Choose(r,
			"Ask for the total first, then for a discount. Accept a transfer to a human agent.",
			"Insist on a discount code; if the agent transfers you, accept."),
		Actions: []task.Call{task.NewCall("get_booking_details", "booking_id", h.id),
			task.NewCall("transfer_to_human_agents", "summary", fmt.Sprintf("Customer %s asks for a promotion code on booking %s.", h.name(), h.id))},
		CommunicateInfo: []string{domains.Money(h.b.Totals.GrandTotal)},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the customer that the grand total of booking %s is $%s.", h.id, domains.Money(h.b.Totals.GrandTotal)),
			"The agent does not invent a promotion code and transfers the customer to a human agent.",
		},
	}, nil
}
