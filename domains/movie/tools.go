package movie

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/calc"
	"github.com/toolscale/toolscale/domains/py"
)

//go:embed policy.md
var policy string

// now is the session's frozen "now" as the tools stamp it (YY-MM-DD-HH-MM). It does not
// follow the environment's clock: the reference writes this fixed text.
const now = "24-05-15-15-00"

// Domain is the movie theater environment, registered as "movie".
var Domain = &domains.Domain{
	Name:     "movie",
	Toolkit:  "MovieTheaterTools",
	NewDB:    func() domains.DB { return &DB{} },
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "list_movies", Kind: domains.Read, Fn: listMovies,
			Description: "List every movie as {movie_id, title}."},
		{Name: "list_theaters", Kind: domains.Read, Fn: listTheaters,
			Description: "List every theater as {theater_id, name}."},
		{Name: "get_movie_details", Kind: domains.Read, Params: movieParams{}, Fn: getMovieDetails,
			Description: "Return a movie: genres, runtime, rating, languages, subtitles, formats, run dates, cast, crew and synopsis."},
		{Name: "get_theater_details", Kind: domains.Read, Params: theaterParams{}, Fn: getTheaterDetails,
			Description: "Return a theater with its address, contact, amenities, auditoriums and seat maps, pricing rules and the shows of every date."},
		{Name: "list_shows", Kind: domains.Read, Params: listShowsParams{}, Fn: listShows,
			Description: "List the shows of a theater on a date (YY-MM-DD), optionally only those of one movie. A date without shows gives an empty list."},
		{Name: "get_show_details", Kind: domains.Read, Params: showDetailsParams{}, Fn: getShowDetails,
			Description: "Return a show of a theater: film, auditorium, start and end time, format, language, subtitles, status and prices. Give the date (YY-MM-DD) to search only that day."},
		{Name: "get_show_status", Kind: domains.Read, Params: showParams{}, Fn: getShowStatus,
			Description: "Return the status of a show: scheduled, canceled or completed."},
		{Name: "get_seat_availability", Kind: domains.Read, Params: showParams{}, Fn: getSeatAvailability,
			Description: "Return the seat ids of a show that are available and those booked by confirmed bookings, both sorted."},
		{Name: "price_preview", Kind: domains.Generic, Params: pricePreviewParams{}, Fn: pricePreview,
			Description: "Price seats (and optional concessions) for a scheduled show without booking: tickets subtotal, concessions subtotal, fees, tax, grand total, ticket count and booking fee. The seats must exist and be free."},
		{Name: "create_booking", Kind: domains.Write, Params: createBookingParams{}, Fn: createBooking,
			Description: "Book seats for a scheduled show. The seats must exist and be free, and the payments must add up exactly to the grand total that price_preview gives. Returns the booking with its new id and tickets. List the details and get an explicit yes from the user first."},
		{Name: "cancel_booking", Kind: domains.Write, Params: bookingParams{}, Fn: cancelBooking,
			Description: "Cancel a booking, recording a refund of everything paid. A booking already canceled or refunded is returned unchanged. Get an explicit yes from the user first."},
		{Name: "update_booking_seats", Kind: domains.Write, Params: updateSeatsParams{}, Fn: updateBookingSeats,
			Description: "Replace the seats of a confirmed booking for a scheduled show and reprice it. When the total rises, a payment of exactly the difference is required; when it falls, the difference is refunded. Get an explicit yes from the user first."},
		{Name: "get_booking_details", Kind: domains.Read, Params: bookingParams{}, Fn: getBookingDetails,
			Description: "Return a booking: show, status, customer, seats, concessions, promotions, payments, totals and tickets."},
		{Name: "calculate", Kind: domains.Generic, Params: calculateParams{}, Fn: calculateTool,
			Description: "Evaluate an arithmetic expression made of numbers, + - * /, parentheses, dots and spaces, and return the result rounded to 2 decimals."},
		{Name: "transfer_to_human_agents", Kind: domains.Generic, Params: transferParams{}, Fn: transfer,
			Description: "Hand the conversation over to a human agent with a short summary. Only when the user asks for one or the request cannot be handled with the tools and the policy."},
	},
}

func init() { domains.Register(Domain) }

type movieParams struct {
	MovieID string `json:"movie_id" jsonschema:"description=The movie id\\, such as 'QK6BJEH'."`
}

type theaterParams struct {
	TheaterID string `json:"theater_id" jsonschema:"description=The theater id\\, such as 'J5E6OQN-T1'."`
}

type listShowsParams struct {
	TheaterID string  `json:"theater_id" jsonschema:"description=The theater id."`
	Date      string  `json:"date" jsonschema:"description=The date as YY-MM-DD\\, such as '25-09-15'."`
	MovieID   *string `json:"movie_id,omitempty" jsonschema:"description=Only shows of this movie id; null for all.,oneof_type=string;null"`
}

type showDetailsParams struct {
	TheaterID string  `json:"theater_id" jsonschema:"description=The theater id."`
	ShowID    string  `json:"show_id" jsonschema:"description=The show id\\, such as 'EU19PPQ-S1'."`
	Date      *string `json:"date,omitempty" jsonschema:"description=The show's date as YY-MM-DD; null to search every date.,oneof_type=string;null"`
}

type showParams struct {
	TheaterID string `json:"theater_id" jsonschema:"description=The theater id."`
	ShowID    string `json:"show_id" jsonschema:"description=The show id."`
}

type bookingParams struct {
	BookingID string `json:"booking_id" jsonschema:"description=The booking id\\, such as 'S78YJLG-B1'."`
}

// seatSpec is a seat asked for: its id and the ticket type.
type seatSpec struct {
	SeatID     string `json:"seat_id" jsonschema:"description=The seat id from the auditorium's seat map\\, such as 'R1-03'."`
	TicketType string `json:"ticket_type" jsonschema:"description=The ticket type.,enum=adult,enum=child,enum=senior"`
}

// concessionSpec is a concession line asked for.
type concessionSpec struct {
	ItemID    string  `json:"item_id" jsonschema:"description=The concession item id."`
	Name      string  `json:"name" jsonschema:"description=The item's name\\, such as 'Popcorn'."`
	Size      string  `json:"size" jsonschema:"description=The item's size\\, such as 'L'."`
	Quantity  int64   `json:"quantity" jsonschema:"description=How many."`
	PriceEach float64 `json:"price_each" jsonschema:"description=The unit price before tax\\, as the user gave it."`
}

type customerNameArg struct {
	FirstName string `json:"first_name" jsonschema:"description=First name."`
	LastName  string `json:"last_name" jsonschema:"description=Last name."`
}

type customerArg struct {
	Name      customerNameArg `json:"name" jsonschema:"description=The customer's name."`
	Email     string          `json:"email" jsonschema:"description=The customer's email."`
	Phone     string          `json:"phone" jsonschema:"description=The customer's phone number."`
	LoyaltyID *string         `json:"loyalty_id,omitempty" jsonschema:"description=The loyalty id\\, if any.,oneof_type=string;null"`
}

type extraInfoArg struct {
	Brand    *string `json:"brand,omitempty" jsonschema:"description=Card or wallet brand.,oneof_type=string;null"`
	LastFour *string `json:"last_four,omitempty" jsonschema:"description=Last four digits of the card.,oneof_type=string;null"`
}

type paymentMethodArg struct {
	Source          string        `json:"source" jsonschema:"description=The kind of payment.,enum=card,enum=wallet,enum=cash,enum=gift_card"`
	PaymentMethodID string        `json:"payment_method_id" jsonschema:"description=The payment method's id."`
	ExtraInfo       *extraInfoArg `json:"extra_info,omitempty" jsonschema:"description=Brand and last digits\\, if any.,nullable"`
}

type paymentArg struct {
	PaymentID string           `json:"payment_id" jsonschema:"description=A new id for this payment."`
	Amount    float64          `json:"amount" jsonschema:"description=The amount paid."`
	Method    paymentMethodArg `json:"method" jsonschema:"description=How it is paid."`
	CreatedAt string           `json:"created_at" jsonschema:"description=When\\, as YY-MM-DD-HH-MM."`
}

type pricePreviewParams struct {
	TheaterID   string           `json:"theater_id" jsonschema:"description=The theater id."`
	ShowID      string           `json:"show_id" jsonschema:"description=The show id."`
	Seats       []seatSpec       `json:"seats" jsonschema:"description=The seats and their ticket types."`
	Concessions []concessionSpec `json:"concessions,omitempty" jsonschema:"description=Concession lines\\, if any.,nullable"`
}

type createBookingParams struct {
	TheaterID       string           `json:"theater_id" jsonschema:"description=The theater id."`
	ShowID          string           `json:"show_id" jsonschema:"description=The show id."`
	Customer        customerArg      `json:"customer" jsonschema:"description=Who the booking is for."`
	Seats           []seatSpec       `json:"seats" jsonschema:"description=The seats and their ticket types."`
	DeliveryMethod  string           `json:"delivery_method" jsonschema:"description=How the tickets are delivered.,enum=e-ticket,enum=box-office,enum=kiosk"`
	Payments        []paymentArg     `json:"payments" jsonschema:"description=Payments whose amounts add up to the grand total."`
	Concessions     []concessionSpec `json:"concessions,omitempty" jsonschema:"description=Concession lines\\, if any.,nullable"`
	SpecialRequests *string          `json:"special_requests,omitempty" jsonschema:"description=Special requests\\, if any.,oneof_type=string;null"`
}

type updateSeatsParams struct {
	BookingID string      `json:"booking_id" jsonschema:"description=The booking id."`
	Seats     []seatSpec  `json:"seats" jsonschema:"description=The booking's complete new list of seats and ticket types."`
	Payment   *paymentArg `json:"payment,omitempty" jsonschema:"description=A payment of exactly the price increase\\, when there is one.,nullable"`
}

type calculateParams struct {
	Expression string `json:"expression" jsonschema:"description=The expression to evaluate\\, such as '2 + 2': numbers\\, + - * /\\, parentheses\\, dots and spaces."`
}

type transferParams struct {
	Summary string `json:"summary" jsonschema:"description=A short summary of the user's issue for the human agent."`
}

func dbOf(e *domains.Env) *DB { return e.DB.(*DB) }

// Lookups, as the toolkit's helpers do them.

func (db *DB) movie(id any) (*Film, error) {
	k, ok, err := dictKey(id)
	if err != nil {
		return nil, err
	}
	if ok {
		if m, found := db.Movies.Get(k); found {
			return m, nil
		}
	}
	return nil, fmt.Errorf("Movie %s not found", py.Str(id))
}

// theater returns the theater at key id, and the key.
func (db *DB) theater(id any) (string, *Theater, error) {
	k, ok, err := dictKey(id)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if t, found := db.Theaters.Get(k); found {
			return k, t, nil
		}
	}
	return "", nil, fmt.Errorf("Theater %s not found", py.Str(id))
}

func (db *DB) booking(id any) (string, *Booking, error) {
	k, ok, err := dictKey(id)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if b, found := db.Bookings.Get(k); found {
			return k, b, nil
		}
	}
	return "", nil, fmt.Errorf("Booking %s not found", py.Str(id))
}

// show finds a show of a theater: on the given date, or (date nil) the first match over
// the dates in stored order. It returns the show and the date key it sits under.
func (db *DB) show(theaterID, showID, date any) (*Show, string, error) {
	_, th, err := db.theater(theaterID)
	if err != nil {
		return nil, "", err
	}
	if date != nil {
		k, ok, err := dictKey(date)
		if err != nil {
			return nil, "", err
		}
		day, found := th.Dates.Get(k)
		if !ok || !found {
			return nil, "", fmt.Errorf("No schedule for date %s at theater %s", py.Str(date), py.Str(theaterID))
		}
		for i := range day.Shows {
			if equal(day.Shows[i].ShowID, showID) {
				return &day.Shows[i], k, nil
			}
		}
		return nil, "", fmt.Errorf("Show %s not found on date %s at theater %s", py.Str(showID), py.Str(date), py.Str(theaterID))
	}
	for d, day := range th.Dates.All() {
		for i := range day.Shows {
			if equal(day.Shows[i].ShowID, showID) {
				return &day.Shows[i], d, nil
			}
		}
	}
	return nil, "", fmt.Errorf("Show %s not found at theater %s", py.Str(showID), py.Str(theaterID))
}

func auditorium(th *Theater, id string) (*Auditorium, error) {
	a, ok := th.Auditoriums.Get(id)
	if !ok {
		return nil, fmt.Errorf("Auditorium %s not found at theater %s", id, th.TheaterID)
	}
	return a, nil
}

func seatIDs(a *Auditorium) *set {
	s := &set{}
	for row := range a.SeatMap.Rows.Values() {
		for _, seat := range row {
			s.add(seat.SeatID)
		}
	}
	return s
}

// bookedSeats returns the seats of a show held by confirmed bookings: pending, canceled
// and refunded bookings hold none.
func (db *DB) bookedSeats(theaterID, showID string) *set {
	s := &set{}
	for b := range db.Bookings.Values() {
		if b.TheaterID == theaterID && b.ShowID == showID && b.Status == "confirmed" {
			for _, seat := range b.Seats {
				s.add(seat.SeatID)
			}
		}
	}
	return s
}

// requestedSeats returns {spec["seat_id"] for spec in seats}.
func requestedSeats(seats any) (*set, error) {
	specs, err := iterate(seats)
	if err != nil {
		return nil, err
	}
	s := &set{}
	for _, spec := range specs {
		id, err := item(spec, "seat_id")
		if err != nil {
			return nil, err
		}
		if err := s.add(id); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func checkSeatsExist(a *Auditorium, requested *set) error {
	if missing := requested.minus(seatIDs(a)); missing.len() > 0 {
		list, err := missing.sorted()
		if err != nil {
			return err
		}
		return fmt.Errorf("Unknown seat ids: %s", py.Repr(list))
	}
	return nil
}

func checkSeatsFree(booked, requested *set) error {
	if conflict := requested.and(booked); conflict.len() > 0 {
		list, err := conflict.sorted()
		if err != nil {
			return err
		}
		return fmt.Errorf("Seats not available: %s", py.Repr(list))
	}
	return nil
}

// priceSeats prices each seat spec in the given order, duplicates included.
func priceSeats(show *Show, th *Theater, seats any) ([]BookedSeat, error) {
	rate := th.PricingRules.TaxRatePercent / 100.0
	fee := show.PriceSchema.Fees.ConvenienceFee
	specs, err := iterate(seats)
	if err != nil {
		return nil, err
	}
	out := make([]BookedSeat, 0, len(specs))
	for _, spec := range specs {
		id, err := item(spec, "seat_id")
		if err != nil {
			return nil, err
		}
		tt, err := item(spec, "ticket_type")
		if err != nil {
			return nil, err
		}
		var price float64
		switch {
		case equal(tt, "adult"):
			price = show.PriceSchema.Adult
		case equal(tt, "child"):
			price = show.PriceSchema.Child
		case equal(tt, "senior"):
			price = show.PriceSchema.Senior
		default:
			return nil, fmt.Errorf("Unsupported ticket type %s", py.Str(tt))
		}
		tax := (price + fee) * rate
		sid, _ := id.(string) // checked against the seat map: a str
		out = append(out, BookedSeat{SeatID: sid, TicketType: tt.(string), Price: py.Round(price, 2), ConvenienceFee: py.Round(fee, 2), Tax: py.Round(tax, 2)})
	}
	return out, nil
}

// concessionLines prices concession specs: quantity through int(), price through float(),
// the other keys read in the order the reference reads them, the line then validated as a
// ConcessionItem.
func concessionLines(th *Theater, concessions any) ([]ConcessionItem, error) {
	rate := th.PricingRules.TaxRatePercent / 100.0
	specs, err := iterate(concessions)
	if err != nil {
		return nil, err
	}
	out := make([]ConcessionItem, 0, len(specs))
	for _, c := range specs {
		q, err := item(c, "quantity")
		if err != nil {
			return nil, err
		}
		qty, err := toInt(q)
		if err != nil {
			return nil, err
		}
		p, err := item(c, "price_each")
		if err != nil {
			return nil, err
		}
		priceEach, err := toFloat(p)
		if err != nil {
			return nil, err
		}
		taxEach := priceEach * rate
		total := float64(qty) * (priceEach + taxEach)
		line := py.NewObject()
		for _, k := range []string{"item_id", "name", "size"} {
			v, err := item(c, k)
			if err != nil {
				return nil, err
			}
			line.Set(k, v)
		}
		line.Set("quantity", qty)
		line.Set("price_each", py.Round(priceEach, 2))
		line.Set("tax_each", py.Round(taxEach, 2))
		line.Set("total", py.Round(total, 2))
		ci, err := domains.Build[ConcessionItem](line)
		if err != nil {
			return nil, err
		}
		out = append(out, *ci)
	}
	return out, nil
}

// concessionTotals returns the rounded sums of price_each·quantity and tax_each·quantity.
func concessionTotals(items []ConcessionItem) (subtotal, tax float64) {
	for _, i := range items {
		subtotal += i.PriceEach * float64(i.Quantity)
		tax += i.TaxEach * float64(i.Quantity)
	}
	return py.Round(subtotal, 2), py.Round(tax, 2)
}

// A quote is the totals of a priced booking.
type quote struct {
	tickets    any // round(sum of seat prices, 2): the int 0 when there are no seats
	concession float64
	fees       float64
	tax        float64
	grand      float64
	bookingFee float64
}

// price adds up priced seats, concession subtotal and tax, and the theater's booking fee,
// in the reference's order of operations.
func price(seats []BookedSeat, consSubtotal, consTax float64, th *Theater) quote {
	var tickets, fees, tax float64
	for _, s := range seats {
		tickets += s.Price
	}
	for _, s := range seats {
		fees += s.ConvenienceFee
	}
	for _, s := range seats {
		tax += s.Tax
	}
	tickets, fees, tax = py.Round(tickets, 2), py.Round(fees, 2), py.Round(tax, 2)
	q := quote{concession: consSubtotal, bookingFee: th.PricingRules.Fees.BookingFee}
	q.fees = py.Round(fees+q.bookingFee, 2)
	q.tax = py.Round(tax+consTax, 2)
	q.grand = py.Round(tickets+consSubtotal+q.fees+q.tax, 2)
	q.tickets = tickets
	if len(seats) == 0 {
		q.tickets = int64(0) // sum() of nothing is the int 0
	}
	return q
}

func listMovies(e *domains.Env, _ domains.Args) (any, error) {
	out := []any{}
	for m := range dbOf(e).Movies.Values() {
		out = append(out, py.NewObject("movie_id", m.MovieID, "title", m.Title))
	}
	return out, nil
}

func listTheaters(e *domains.Env, _ domains.Args) (any, error) {
	out := []any{}
	for t := range dbOf(e).Theaters.Values() {
		out = append(out, py.NewObject("theater_id", t.TheaterID, "name", t.Name))
	}
	return out, nil
}

func getMovieDetails(e *domains.Env, a domains.Args) (any, error) {
	m, err := dbOf(e).movie(a["movie_id"])
	if err != nil {
		return nil, err
	}
	return m, nil
}

func getTheaterDetails(e *domains.Env, a domains.Args) (any, error) {
	_, t, err := dbOf(e).theater(a["theater_id"])
	if err != nil {
		return nil, err
	}
	return t, nil
}

func listShows(e *domains.Env, a domains.Args) (any, error) {
	_, th, err := dbOf(e).theater(a["theater_id"])
	if err != nil {
		return nil, err
	}
	k, ok, err := dictKey(a["date"])
	if err != nil {
		return nil, err
	}
	day, found := th.Dates.Get(k)
	if !ok || !found {
		return []Show{}, nil // an unknown date is no error
	}
	if a["movie_id"] == nil {
		return day.Shows, nil
	}
	out := []Show{}
	for _, s := range day.Shows {
		if equal(s.MovieID, a["movie_id"]) {
			out = append(out, s)
		}
	}
	return out, nil
}

func getShowDetails(e *domains.Env, a domains.Args) (any, error) {
	s, _, err := dbOf(e).show(a["theater_id"], a["show_id"], a["date"])
	if err != nil {
		return nil, err
	}
	return s, nil
}

func getShowStatus(e *domains.Env, a domains.Args) (any, error) {
	s, _, err := dbOf(e).show(a["theater_id"], a["show_id"], nil)
	if err != nil {
		return nil, err
	}
	return s.Status, nil
}

func getSeatAvailability(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	tk, th, err := db.theater(a["theater_id"])
	if err != nil {
		return nil, err
	}
	s, _, err := db.show(a["theater_id"], a["show_id"], nil)
	if err != nil {
		return nil, err
	}
	aud, err := auditorium(th, s.AuditoriumID)
	if err != nil {
		return nil, err
	}
	// Both ids matched a stored key and a stored show id, so they are those strs.
	booked := db.bookedSeats(tk, s.ShowID)
	available, _ := seatIDs(aud).minus(booked).sorted()
	bookedList, _ := booked.sorted()
	return py.NewObject("available", available, "booked", bookedList), nil
}

// bookable checks what price_preview and create_booking check before pricing: the show is
// scheduled, the seats exist and none is held by a confirmed booking.
func (db *DB) bookable(theaterKey string, th *Theater, s *Show, showIDArg any, seats any) error {
	if s.Status != "scheduled" {
		return fmt.Errorf("Show %s is not available for booking (status=%s)", py.Str(showIDArg), s.Status)
	}
	aud, err := auditorium(th, s.AuditoriumID)
	if err != nil {
		return err
	}
	requested, err := requestedSeats(seats)
	if err != nil {
		return err
	}
	if err := checkSeatsExist(aud, requested); err != nil {
		return err
	}
	return checkSeatsFree(db.bookedSeats(theaterKey, s.ShowID), requested)
}

func pricePreview(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	concessions := a["concessions"]
	if !truthy(concessions) {
		concessions = []any{}
	}
	tk, th, err := db.theater(a["theater_id"])
	if err != nil {
		return nil, err
	}
	s, _, err := db.show(a["theater_id"], a["show_id"], nil)
	if err != nil {
		return nil, err
	}
	if err := db.bookable(tk, th, s, a["show_id"], a["seats"]); err != nil {
		return nil, err
	}
	seats, err := priceSeats(s, th, a["seats"])
	if err != nil {
		return nil, err
	}
	lines, err := concessionLines(th, concessions)
	if err != nil {
		return nil, err
	}
	sub, tax := concessionTotals(lines)
	q := price(seats, sub, tax, th)
	// A plain dict: its numbers reach the content as strings.
	return py.NewObject(
		"tickets_subtotal", q.tickets,
		"concessions_subtotal", q.concession,
		"fees_total", q.fees,
		"tax_total", q.tax,
		"grand_total", q.grand,
		"ticket_count", int64(len(seats)),
		"booking_fee", py.Round(q.bookingFee, 2),
	), nil
}

func createBooking(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	// A dict customer is validated first; anything else is kept and fails only when the
	// booking is built at the end.
	customer := a["customer"]
	var cust *Customer
	if o, ok := customer.(*py.Object); ok {
		c, err := domains.Build[Customer](o)
		if err != nil {
			return nil, err
		}
		cust = c
	}
	concessions := a["concessions"]
	if !truthy(concessions) {
		concessions = []any{}
	}
	// Payments are validated only when every one is a dict; otherwise they stay as given
	// and fail when their amounts are read.
	items, err := iterate(a["payments"])
	if err != nil {
		return nil, err
	}
	allDicts := true
	for _, p := range items {
		if _, ok := p.(*py.Object); !ok {
			allDicts = false
			break
		}
	}
	var payments []BookingPayment
	if allDicts {
		for _, p := range items {
			bp, err := domains.Build[BookingPayment](p)
			if err != nil {
				return nil, err
			}
			payments = append(payments, *bp)
		}
	}
	tk, th, err := db.theater(a["theater_id"])
	if err != nil {
		return nil, err
	}
	s, date, err := db.show(a["theater_id"], a["show_id"], nil)
	if err != nil {
		return nil, err
	}
	if err := db.bookable(tk, th, s, a["show_id"], a["seats"]); err != nil {
		return nil, err
	}
	seats, err := priceSeats(s, th, a["seats"])
	if err != nil {
		return nil, err
	}
	lines, err := concessionLines(th, concessions)
	if err != nil {
		return nil, err
	}
	sub, tax := concessionTotals(lines)
	q := price(seats, sub, tax, th)
	if !allDicts {
		return nil, attrError(items[0], "amount")
	}
	var paid any = int64(0) // sum() of no payments is the int 0
	if len(payments) > 0 {
		total := 0.0
		for _, p := range payments {
			total += p.Amount
		}
		paid = py.Round(total, 2)
	}
	paidF, _ := paid.(float64)
	if paidF != q.grand {
		return nil, fmt.Errorf("Payment amount does not add up, total price is %s, but paid %s", py.FormatFloat(q.grand), py.Str(paid))
	}
	id, err := db.newBookingID()
	if err != nil {
		return nil, err
	}
	tickets := make([]any, len(seats))
	for i := range seats {
		tid := fmt.Sprintf("%s-TKT-%03d", id, i+1)
		tickets[i] = py.NewObject("ticket_id", tid, "barcode", "BAR-"+tid)
	}
	delivery, err := domains.Build[Delivery](py.NewObject("method", a["delivery_method"], "tickets", tickets))
	if err != nil {
		return nil, err
	}
	// The Booking model validates what no earlier step did: the customer and the special
	// requests.
	var bad []domains.FieldError
	if cust == nil {
		bad = append(bad, domains.FieldError{Loc: "customer", Type: "model_type", Msg: "Input should be a valid dictionary or instance of Customer", Input: customer})
	}
	var special *string
	switch x := a["special_requests"].(type) {
	case nil:
	case string:
		special = &x
	default:
		bad = append(bad, domains.FieldError{Loc: "special_requests", Type: "string_type", Msg: "Input should be a valid string", Input: x})
	}
	if bad != nil {
		return nil, &domains.ValidationError{Model: "Booking", Errors: bad}
	}
	b := &Booking{
		BookingID:         id,
		TheaterID:         tk,
		MovieID:           s.MovieID,
		ShowID:            s.ShowID,
		Date:              date,
		StartTimeLocal:    s.StartTimeLocal,
		Status:            "confirmed",
		CreatedAt:         now,
		Customer:          *cust,
		Seats:             seats,
		Concessions:       lines,
		PromotionsApplied: []PromotionApplied{},
		PaymentHistory:    payments,
		Totals: BookingTotals{
			TicketsSubtotal:     toFloatValue(q.tickets), // BookingTotals(**totals) makes it a float
			ConcessionsSubtotal: q.concession,
			FeesTotal:           q.fees,
			TaxTotal:            q.tax,
			GrandTotal:          q.grand,
			AmountPaid:          paidF,
			AmountDue:           py.Round(q.grand-paidF, 2),
		},
		Delivery:        *delivery,
		SpecialRequests: special,
	}
	if b.PaymentHistory == nil {
		b.PaymentHistory = []BookingPayment{}
	}
	db.Bookings.Put(id, b)
	return b, nil
}

// toFloatValue returns a Python number as a float, as validation into a float field does.
func toFloatValue(v any) float64 {
	f, _ := toFloat(v)
	return f
}

// newBookingID returns the first of the three ids the reference hands out per session.
func (db *DB) newBookingID() (string, error) {
	for _, id := range []string{"BKG001", "BKG002", "BKG003"} {
		if _, taken := db.Bookings.Get(id); !taken {
			return id, nil
		}
	}
	return "", errors.New("Too many new bookings in this session")
}

func cancelBooking(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, b, err := db.booking(a["booking_id"])
	if err != nil {
		return nil, err
	}
	if b.Status == "canceled" || b.Status == "refunded" {
		return b, nil // returned unchanged, without error
	}
	b, _ = db.Bookings.Mut(k)
	refund := -b.Totals.AmountPaid
	if refund != 0 {
		b.PaymentHistory = append(b.PaymentHistory, BookingPayment{
			PaymentID: k + "-refund",
			Amount:    py.Round(refund, 2),
			Method:    BookingPaymentMethod{Source: "cash", PaymentMethodID: "refund"},
			CreatedAt: now,
		})
		b.Totals.AmountPaid = py.Round(b.Totals.AmountPaid+refund, 2)
		b.Totals.AmountDue = py.Round(b.Totals.GrandTotal-b.Totals.AmountPaid, 2)
	}
	b.Status = "canceled"
	canceled := now
	b.CanceledAt = &canceled
	return b, nil
}

func updateBookingSeats(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	// A dict payment is validated before anything is looked up.
	payment := a["payment"]
	var pay *BookingPayment
	if o, ok := payment.(*py.Object); ok {
		p, err := domains.Build[BookingPayment](o)
		if err != nil {
			return nil, err
		}
		pay = p
	}
	k, b, err := db.booking(a["booking_id"])
	if err != nil {
		return nil, err
	}
	_, th, err := db.theater(b.TheaterID)
	if err != nil {
		return nil, err
	}
	s, _, err := db.show(b.TheaterID, b.ShowID, nil)
	if err != nil {
		return nil, err
	}
	if b.Status != "confirmed" {
		return nil, fmt.Errorf("Only confirmed bookings can be updated (status=%s)", b.Status)
	}
	if s.Status != "scheduled" {
		return nil, fmt.Errorf("Show %s is not bookable (status=%s)", b.ShowID, s.Status)
	}
	aud, err := auditorium(th, s.AuditoriumID)
	if err != nil {
		return nil, err
	}
	requested, err := requestedSeats(a["seats"])
	if err != nil {
		return nil, err
	}
	if err := checkSeatsExist(aud, requested); err != nil {
		return nil, err
	}
	// The booking's own seats count as free.
	current := &set{}
	for _, seat := range b.Seats {
		current.add(seat.SeatID)
	}
	if err := checkSeatsFree(db.bookedSeats(b.TheaterID, b.ShowID), requested.minus(current)); err != nil {
		return nil, err
	}
	seats, err := priceSeats(s, th, a["seats"])
	if err != nil {
		return nil, err
	}
	// Concessions are kept: their subtotal and tax come from the stored lines.
	sub, tax := concessionTotals(b.Concessions)
	q := price(seats, sub, tax, th)
	diff := py.Round(q.grand-b.Totals.GrandTotal, 2)
	var extra *BookingPayment
	switch {
	case diff > 0:
		if payment == nil {
			return nil, fmt.Errorf("Additional payment of %s is required to complete the update", py.FormatFloat(diff))
		}
		if pay == nil {
			return nil, attrError(payment, "amount")
		}
		if py.Round(pay.Amount, 2) != diff {
			return nil, fmt.Errorf("Additional payment of %s is required to complete the update", py.FormatFloat(diff))
		}
		extra = pay
	case diff < 0:
		extra = &BookingPayment{
			PaymentID: k + "-adj-refund", // the same id on every refund of a booking
			Amount:    diff,
			Method:    BookingPaymentMethod{Source: "cash", PaymentMethodID: "refund"},
			CreatedAt: now,
		}
	}
	b, _ = db.Bookings.Mut(k)
	if extra != nil {
		b.PaymentHistory = append(b.PaymentHistory, *extra)
		b.Totals.AmountPaid = py.Round(b.Totals.AmountPaid+diff, 2)
	}
	// The concessions subtotal and the delivered tickets are left as they were.
	b.Seats = seats
	b.Totals.TicketsSubtotal = q.tickets
	b.Totals.FeesTotal = q.fees
	b.Totals.TaxTotal = q.tax
	b.Totals.GrandTotal = q.grand
	b.Totals.AmountDue = py.Round(b.Totals.GrandTotal-b.Totals.AmountPaid, 2)
	return b, nil
}

func getBookingDetails(e *domains.Env, a domains.Args) (any, error) {
	_, b, err := dbOf(e).booking(a["booking_id"])
	if err != nil {
		return nil, err
	}
	return b, nil
}

const calcChars = "0123456789+-*/(). "

// calculate reproduces `all(c in ALLOWED for c in expression)` followed by eval for any
// argument: a non-str is iterated (a list's items must be str, tested as substrings), and
// eval then refuses it.
func calculate(expr any) (string, error) {
	s, ok := expr.(string)
	if !ok {
		items, err := iterate(expr)
		if err != nil {
			return "", err
		}
		for _, it := range items {
			c, ok := it.(string)
			if !ok {
				return "", fmt.Errorf("'in <string>' requires string as left operand, not %s", py.TypeName(it))
			}
			if !strings.Contains(calcChars, c) {
				return "", errors.New("Invalid characters in expression")
			}
		}
		return "", errors.New("eval() arg 1 must be a string, bytes or code object")
	}
	for _, r := range s {
		if !strings.ContainsRune(calcChars, r) {
			return "", errors.New("Invalid characters in expression")
		}
	}
	return calc.Evaluate(s)
}

func calculateTool(_ *domains.Env, a domains.Args) (any, error) {
	return calculate(a["expression"])
}

func transfer(*domains.Env, domains.Args) (any, error) { return "Transfer successful", nil }
