package railway

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/calc"
	"github.com/toolscale/toolscale/domains/py"
)

//go:embed policy.md
var policy string

// createdAt is the reference's fixed "now" of every new booking.
const createdAt = "2024-05-15T15:00:00"

// The reference's fixed id pools: a fourth creation in one episode fails.
var (
	newReservationIDs = []string{"TRN001", "TRN002", "TRN003"}
	newPNRs           = []string{"PNR1AA", "PNR2BB", "PNR3CC"}
	newWalletIDs      = []string{"wallet_1001", "wallet_1002", "wallet_1003"}
)

// fares are the dollars per passenger per segment, by service type and travel class.
var fares = map[string]map[string]int64{
	"high_speed": {"sleeper": 120, "ac_2_tier": 90, "first_class": 150},
	"express":    {"sleeper": 80, "ac_2_tier": 65, "first_class": 110},
	"regional":   {"sleeper": 50, "ac_2_tier": 40, "first_class": 75},
}

// coaches is the coach new segments get, by travel class.
var coaches = map[string]string{"sleeper": "S1", "ac_2_tier": "A1", "first_class": "FC1"}

// discounts are the membership discounts on the fare part of a price.
var discounts = map[string]float64{"gold": 0.10, "silver": 0.05, "regular": 0.0}

// Domain is the railway domain.
var Domain = &domains.Domain{
	Name:     "railway",
	Toolkit:  "RailwayTools",
	NewDB:    func() domains.DB { return &DB{} },
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "get_user_details", Kind: domains.Read, Params: userParams{}, Fn: getUserDetails,
			Description: "Get a user's profile: name, address, membership, saved payment methods (with wallet balances), saved passengers, railcards and reservation ids."},
		{Name: "get_reservation_details", Kind: domains.Read, Params: reservationParams{}, Fn: getReservationDetails,
			Description: "Get a reservation: route, trip type, train segments, passengers, payment history, bags, bikes, meal preference, insurance, PNR and status."},
		{Name: "search_direct_train", Kind: domains.Read, Params: searchParams{}, Fn: searchDirectTrain,
			Description: "Search direct trains between two stations on a date, with each train's status that day. Cancelled trains are listed too."},
		{Name: "search_onestop_train", Kind: domains.Read, Params: searchParams{}, Fn: searchOnestopTrain,
			Description: "Search one-stop itineraries between two stations on a date: pairs of trains, the second leaving the connecting station no earlier than the first arrives, on the same day. Cancelled trains are left out."},
		{Name: "book_train_reservation", Kind: domains.Write, Params: bookParams{}, Fn: bookTrainReservation,
			Description: "Book a reservation: the trains (each a train number and date) in one travel class for the given passengers, paid exactly with saved payment methods. The fare comes from the service type and class, less the membership discount; insurance is $20 per passenger, each bag beyond one per passenger $15 and each bike $10."},
		{Name: "cancel_reservation", Kind: domains.Write, Params: reservationParams{}, Fn: cancelReservation,
			Description: "Cancel a whole reservation: its status becomes cancelled and every payment so far is refunded with a negative entry."},
		{Name: "update_reservation_bags", Kind: domains.Write, Params: bagsParams{}, Fn: updateReservationBags,
			Description: "Change the total number of bags on a reservation. Each bag beyond one per passenger costs $15; the difference is charged to, or refunded on, the given saved payment method."},
		{Name: "update_reservation_bikes", Kind: domains.Write, Params: bikesParams{}, Fn: updateReservationBikes,
			Description: "Change the number of bikes on a reservation at $10 each; the difference is charged to, or refunded on, the given saved payment method."},
		{Name: "update_reservation_trains", Kind: domains.Write, Params: updateTrainsParams{}, Fn: updateReservationTrains,
			Description: "Replace a reservation's whole list of train segments, in one travel class. The fare difference, less the membership discount, is charged to or refunded on the given saved payment method."},
		{Name: "update_reservation_passengers", Kind: domains.Write, Params: updatePassengersParams{}, Fn: updateReservationPassengers,
			Description: "Replace the passenger details of a reservation; the number of passengers must stay the same."},
		{Name: "get_train_status", Kind: domains.Read, Params: statusParams{}, Fn: getTrainStatus,
			Description: "Get the status of a train on a date: on time, delayed or cancelled."},
		{Name: "list_all_routes", Kind: domains.Read, Fn: listAllRoutes,
			Description: "List every distinct (origin, destination) route of the trains, sorted."},
		{Name: "calculate", Kind: domains.Generic, Params: calculateParams{}, Fn: calculate,
			Description: "Calculate the result of an arithmetic expression of numbers, + - * / and parentheses; the result is rounded to 2 decimals."},
		{Name: "transfer_to_human_agents", Kind: domains.Generic, Params: transferParams{}, Fn: transferToHumanAgents,
			Description: "Transfer the user to a human agent, with a summary of the issue. Only when the user asks for one or the request cannot be handled with the tools under the policy."},
		{Name: "add_wallet_funds", Kind: domains.Write, Params: walletParams{}, Fn: addWalletFunds,
			Description: "Add whole dollars to the user's wallet, creating a wallet when the user has none."},
		{Name: "get_db_statistics", Kind: domains.Read, Fn: getDBStatistics,
			Description: "Count the trains, train-date instances, users and reservations in the database."},
	},
}

func init() { domains.Register(Domain) }

type userParams struct {
	UserID string `json:"user_id" jsonschema:"description=The user's id\\, e.g. cz101."`
}

type reservationParams struct {
	ReservationID string `json:"reservation_id" jsonschema:"description=The reservation's id\\, e.g. cz201."`
}

type searchParams struct {
	Origin      string `json:"origin" jsonschema:"description=The origin station name as stored\\, e.g. praha hl.n."`
	Destination string `json:"destination" jsonschema:"description=The destination station name as stored."`
	Date        string `json:"date" jsonschema:"description=The travel date\\, YYYY-MM-DD."`
}

type bookParams struct {
	UserID         string        `json:"user_id" jsonschema:"description=The booking user's id."`
	Origin         string        `json:"origin" jsonschema:"description=The trip's origin station."`
	Destination    string        `json:"destination" jsonschema:"description=The trip's destination station."`
	TripType       string        `json:"trip_type" jsonschema:"description=The trip type.,enum=one_way,enum=round_trip,enum=multi_city"`
	TravelClass    string        `json:"travel_class" jsonschema:"description=The travel class of every segment.,enum=sleeper,enum=ac_2_tier,enum=first_class"`
	Trains         []TrainInfo   `json:"trains" jsonschema:"description=The segments in travel order\\, each a train number and a date."`
	Passengers     []Passenger   `json:"passengers" jsonschema:"description=Every passenger with first name\\, last name and date of birth."`
	PaymentMethods []RailPayment `json:"payment_methods" jsonschema:"description=The payment split: saved payment method ids and amounts adding up to the total."`
	TotalBags      int64         `json:"total_bags" jsonschema:"description=The total number of bags; one per passenger is free."`
	Bikes          int64         `json:"bikes" jsonschema:"description=The number of bikes."`
	MealPreference string        `json:"meal_preference" jsonschema:"description=The meal preference.,enum=veg,enum=non_veg,enum=none"`
	Insurance      string        `json:"insurance" jsonschema:"description=Whether travel insurance is bought.,enum=yes,enum=no"`
}

type bagsParams struct {
	ReservationID string `json:"reservation_id" jsonschema:"description=The reservation's id."`
	TotalBags     int64  `json:"total_bags" jsonschema:"description=The new total number of bags."`
	PaymentID     string `json:"payment_id" jsonschema:"description=The saved payment method charged or refunded."`
}

type bikesParams struct {
	ReservationID string `json:"reservation_id" jsonschema:"description=The reservation's id."`
	Bikes         int64  `json:"bikes" jsonschema:"description=The new number of bikes."`
	PaymentID     string `json:"payment_id" jsonschema:"description=The saved payment method charged or refunded."`
}

type updateTrainsParams struct {
	ReservationID string      `json:"reservation_id" jsonschema:"description=The reservation's id."`
	TravelClass   string      `json:"travel_class" jsonschema:"description=The travel class of every new segment.,enum=sleeper,enum=ac_2_tier,enum=first_class"`
	Trains        []TrainInfo `json:"trains" jsonschema:"description=The complete new list of segments\\, each a train number and a date."`
	PaymentID     string      `json:"payment_id" jsonschema:"description=The saved payment method charged or refunded."`
}

type updatePassengersParams struct {
	ReservationID string      `json:"reservation_id" jsonschema:"description=The reservation's id."`
	Passengers    []Passenger `json:"passengers" jsonschema:"description=The complete list of passengers\\, as many as before."`
}

type statusParams struct {
	TrainNumber string `json:"train_number" jsonschema:"description=The train number."`
	Date        string `json:"date" jsonschema:"description=The date\\, YYYY-MM-DD."`
}

type calculateParams struct {
	Expression string `json:"expression" jsonschema:"description=The expression\\, e.g. (150 * 2) * 0.9 + 40."`
}

type transferParams struct {
	Summary string `json:"summary" jsonschema:"description=A summary of the user's issue."`
}

type walletParams struct {
	UserID string `json:"user_id" jsonschema:"description=The user's id."`
	Amount int64  `json:"amount" jsonschema:"description=The whole-dollar amount to add\\, greater than 0."`
}

func dbOf(e *domains.Env) *DB { return e.DB.(*DB) }

// user is the reference's _get_user: a dict lookup by the argument as given.
func (db *DB) user(v any) (string, *RailUser, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if u, found := db.Users.Get(k); found {
			return k, u, nil
		}
	}
	return "", nil, fmt.Errorf("User %s not found", py.Str(v))
}

// reservation is the reference's _get_reservation.
func (db *DB) reservation(v any) (string, *TrainReservation, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if r, found := db.Reservations.Get(k); found {
			return k, r, nil
		}
	}
	return "", nil, fmt.Errorf("Reservation %s not found", py.Str(v))
}

// train is the reference's _get_train.
func (db *DB) train(v any) (*Train, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return nil, err
	}
	if ok {
		if t, found := db.Trains.Get(k); found {
			return t, nil
		}
	}
	return nil, fmt.Errorf("Train %s not found", py.Str(v))
}

// trainDate is the reference's _get_train_instance: the train, then its status on date.
func (db *DB) trainDate(number, date any) (*Train, *DateStatus, error) {
	t, err := db.train(number)
	if err != nil {
		return nil, nil, err
	}
	k, ok, err := dictKey(date)
	if err != nil {
		return nil, nil, err
	}
	if ok {
		if ds, found := t.Dates.Get(k); found {
			return t, ds, nil
		}
	}
	return nil, nil, fmt.Errorf("Train %s not found on date %s", py.Str(number), py.Str(date))
}

// segment prices a train on a date in a travel class for n passengers and builds the new
// segment: origin and destination come from the train record, not the caller. A
// cancelled date and an unknown class (a KeyError) fail.
func (db *DB) segment(ti *TrainInfo, class any, n int) (Segment, error) {
	t, ds, err := db.trainDate(ti.TrainNumber, ti.Date)
	if err != nil {
		return Segment{}, err
	}
	if ds.Status == cancelled {
		return Segment{}, fmt.Errorf("Train %s is cancelled on %s", ti.TrainNumber, ti.Date)
	}
	k, ok, err := dictKey(class)
	if err != nil {
		return Segment{}, err
	}
	price, found := fares[t.ServiceType][k]
	if !ok || !found {
		return Segment{}, errors.New(py.Repr(class)) // KeyError: str() is the key's repr
	}
	seats := make([]string, n)
	for i := range seats {
		seats[i] = strconv.Itoa(21 + i)
	}
	return Segment{Origin: t.Origin, Destination: t.Destination, TrainNumber: ti.TrainNumber, Date: ti.Date,
		Coach: coaches[k], SeatNumbers: seats, Price: price}, nil
}

// discount is the reference's _apply_membership_discount: round(amount * (1 - rate), 2).
func discount(amount int64, membership string) float64 {
	rate := discounts[membership] // unknown levels get 0
	return py.Round(float64(amount)*(1-rate), 2)
}

// settle is the reference's _payment_for_update, charging delta (a refund when negative)
// to one saved payment method of the user: the method must exist (checked even for a
// zero delta); a positive wallet charge must be whole dollars and covered, and is
// deducted; refunds never credit a wallet. It returns the payment entry to record, or nil
// when |delta| is at most 1e-9.
func (db *DB) settle(userID string, u *RailUser, paymentID any, delta float64) (*RailPayment, error) {
	k, ok, err := dictKey(paymentID)
	if err != nil {
		return nil, err
	}
	var pm *PaymentMethod
	if ok {
		pm, ok = u.PaymentMethods.Get(k)
	}
	if !ok {
		return nil, fmt.Errorf("Payment method not found: %s, %s", py.Str(paymentID), reprPaymentMethods(u.PaymentMethods))
	}
	if delta > 0 && pm.Source == "wallet" {
		whole, charge, err := wholeDollars(delta)
		if err != nil {
			return nil, err
		}
		if !whole {
			return nil, errors.New("Wallet payments must be whole dollars")
		}
		bal := balance(pm)
		if bal.Cmp(charge) < 0 {
			return nil, errors.New("Wallet balance is not enough")
		}
		mu, _ := db.Users.Mut(userID)
		w, _ := mu.PaymentMethods.Get(k)
		w.ExtraInfo.Set("amount", intValue(new(big.Int).Sub(bal, charge)))
	}
	if math.Abs(delta) > 1e-9 {
		return &RailPayment{PaymentID: k, Amount: py.Round(delta, 2)}, nil
	}
	return nil, nil
}

func getUserDetails(e *domains.Env, a domains.Args) (any, error) {
	_, u, err := dbOf(e).user(a["user_id"])
	if err != nil {
		return nil, err
	}
	return domains.Clone(u), nil
}

func getReservationDetails(e *domains.Env, a domains.Args) (any, error) {
	_, r, err := dbOf(e).reservation(a["reservation_id"])
	if err != nil {
		return nil, err
	}
	return domains.Clone(r), nil
}

// searchDirect is the reference's _search_direct_train: trains in file order that run on
// date, leave from origin and go to destination (a None origin or destination matches any
// station; any other non-str matches none), and leave no earlier than leaveAfter when it
// is given. Times compare as strings.
func (db *DB) searchDirect(date, origin, destination any, leaveAfter *string) ([]DirectTrain, error) {
	out := []DirectTrain{}
	for t := range db.Trains.Values() {
		k, ok, err := dictKey(date)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		ds, found := t.Dates.Get(k)
		if !found {
			continue
		}
		if origin != nil && !equal(t.Origin, origin) {
			continue
		}
		if destination != nil && !equal(t.Destination, destination) {
			continue
		}
		var platform *string
		if ds.Status != cancelled {
			platform = ds.Platform
		}
		if leaveAfter != nil && t.ScheduledDepartureTimeLocal < *leaveAfter {
			continue
		}
		out = append(out, DirectTrain{TrainNumber: t.TrainNumber, TrainName: t.TrainName, Origin: t.Origin,
			Destination: t.Destination, ServiceType: t.ServiceType, Date: k, Status: ds.Status,
			ScheduledDepartureTimeLocal: t.ScheduledDepartureTimeLocal, ScheduledArrivalTimeLocal: t.ScheduledArrivalTimeLocal,
			Platform: clonePtr(platform)})
	}
	return out, nil
}

func clonePtr(s *string) *string {
	if s == nil {
		return nil
	}
	c := *s
	return &c
}

// equal is Python's == between a stored str and a decoded value: a str equals only a str.
func equal(s string, v any) bool {
	x, ok := v.(string)
	return ok && x == s
}

func searchDirectTrain(e *domains.Env, a domains.Args) (any, error) {
	return dbOf(e).searchDirect(a["date"], a["origin"], a["destination"], nil)
}

// searchOnestopTrain pairs every non-cancelled train from origin on date with every
// non-cancelled train from its destination to destination that departs at or after its
// arrival (a plain string comparison, same day only).
func searchOnestopTrain(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	firsts, err := db.searchDirect(a["date"], a["origin"], nil, nil)
	if err != nil {
		return nil, err
	}
	out := [][]DirectTrain{}
	for _, first := range firsts {
		if first.Status == cancelled {
			continue
		}
		arrival := first.ScheduledArrivalTimeLocal
		seconds, err := db.searchDirect(a["date"], first.Destination, a["destination"], &arrival)
		if err != nil {
			return nil, err
		}
		for _, second := range seconds {
			if second.Status == cancelled {
				continue
			}
			out = append(out, []DirectTrain{first, second})
		}
	}
	return out, nil
}

// bookingCheck holds the fields of a new reservation that come from the caller unchecked.
// Building it is the validation the reference's final TrainReservation(...) call does,
// after the wallets were charged.
type bookingCheck struct {
	Origin         string      `json:"origin"`
	Destination    string      `json:"destination"`
	TripType       string      `json:"trip_type" db:"enum=one_way|round_trip|multi_city"`
	Passengers     []Passenger `json:"passengers"`
	TotalBags      int64       `json:"total_bags"`
	Bikes          int64       `json:"bikes"`
	MealPreference string      `json:"meal_preference" db:"enum=veg|non_veg|none"`
	Insurance      string      `json:"insurance" db:"enum=yes|no"`
}

// bookTrainReservation follows the reference statement by statement, checks in its order:
// the three lists are converted to models (only when every item is a dict), the user is
// looked up, an id and a PNR are taken from their pools, every train is priced, the fees
// are added, every payment item is checked, their sum must match the total, the wallets
// are charged, and only then are trip_type, meal_preference and insurance validated
// (PARTIAL MUTATION: a bad enum fails after the wallets were charged).
func bookTrainReservation(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	trainItems, trains, err := convertList[TrainInfo](a["trains"])
	if err != nil {
		return nil, err
	}
	passengerItems, typed, err := convertList[Passenger](a["passengers"])
	if err != nil {
		return nil, err
	}
	paymentItems, payments, err := convertList[RailPayment](a["payment_methods"])
	if err != nil {
		return nil, err
	}
	userID, u, err := db.user(a["user_id"])
	if err != nil {
		return nil, err
	}
	resID, err := db.newReservationID()
	if err != nil {
		return nil, err
	}
	pnr, err := db.newPNR()
	if err != nil {
		return nil, err
	}

	n := len(passengerItems)
	var segments []Segment
	var fare int64
	for i := range trainItems {
		if trains == nil {
			return nil, noAttr(trainItems[i], "train_number")
		}
		seg, err := db.segment(trains[i], a["travel_class"], n)
		if err != nil {
			return nil, err
		}
		fare += seg.Price * int64(n)
		segments = append(segments, seg)
	}
	var total any = discount(fare, u.Membership)
	var insuranceFee int64
	if equal("yes", a["insurance"]) {
		insuranceFee = 20 * int64(n)
	}
	extra, err := arith('-', a["total_bags"], int64(n))
	if err != nil {
		return nil, err
	}
	bagsFee, err := arith('*', int64(15), maxZero(extra))
	if err != nil {
		return nil, err
	}
	var bikesFee any
	switch b := a["bikes"].(type) {
	case string, []any: // 10 * a sequence repeats it; the sum below then fails
		bikesFee = b
	default:
		if bikesFee, err = arith('*', int64(10), b); err != nil {
			return nil, err
		}
	}
	for _, fee := range []any{insuranceFee, bagsFee, bikesFee} {
		if total, err = arith('+', total, fee); err != nil {
			return nil, err
		}
	}
	totalPrice := py.Round(total.(float64), 2) // the fare part is a float, so the sum is one

	for i := range paymentItems {
		if payments == nil {
			return nil, noAttr(paymentItems[i], "payment_id")
		}
		p := payments[i]
		pm, ok := u.PaymentMethods.Get(p.PaymentID)
		if !ok {
			return nil, fmt.Errorf("Payment method %s not found", p.PaymentID)
		}
		if pm.Source != "wallet" {
			continue
		}
		whole, charge, err := wholeDollars(p.Amount)
		if err != nil {
			return nil, err
		}
		if !whole {
			return nil, errors.New("Wallet payments must be in whole dollars")
		}
		if balance(pm).Cmp(charge) < 0 {
			return nil, fmt.Errorf("Not enough balance in wallet %s", p.PaymentID)
		}
	}
	// sum() starts from the int 0, so no payments at all sum to the int 0. The sum is a
	// plain left-to-right one (Python 3.11, which recorded the vectors).
	paidText := "0"
	var paid float64
	if len(payments) > 0 {
		for _, p := range payments {
			paid += p.Amount
		}
		paid = py.Round(paid, 2)
		paidText = py.FormatFloat(paid)
	}
	if math.Abs(paid-totalPrice) > 1e-9 {
		return nil, fmt.Errorf("Payment amount does not add up, total price is %s, but paid %s, %s",
			py.FormatFloat(totalPrice), paidText, reprPayments(payments))
	}
	for _, p := range payments {
		pm, _ := u.PaymentMethods.Get(p.PaymentID)
		if pm.Source != "wallet" {
			continue
		}
		mu, _ := db.Users.Mut(userID)
		w, _ := mu.PaymentMethods.Get(p.PaymentID)
		charge, _ := truncate(p.Amount)
		w.ExtraInfo.Set("amount", intValue(new(big.Int).Sub(balance(w), charge)))
		u = mu
	}

	passengers := a["passengers"]
	if typed != nil { // the reference rebound passengers to the list of models
		passengers = passengerItems
	}
	chk, err := domains.Build[bookingCheck](py.NewObject(
		"origin", a["origin"], "destination", a["destination"], "trip_type", a["trip_type"],
		"passengers", passengers, "total_bags", a["total_bags"], "bikes", a["bikes"],
		"meal_preference", a["meal_preference"], "insurance", a["insurance"]))
	if err != nil {
		var ve *domains.ValidationError
		if errors.As(err, &ve) {
			ve.Model = "TrainReservation"
		}
		return nil, err
	}
	history := make([]RailPayment, len(payments))
	for i, p := range payments {
		history[i] = *p
	}
	if segments == nil {
		segments = []Segment{}
	}
	res := &TrainReservation{
		ReservationID: resID, UserID: userID, Origin: chk.Origin, Destination: chk.Destination,
		TripType: chk.TripType, Trains: segments, Passengers: chk.Passengers, PaymentHistory: history,
		CreatedAt: createdAt, TotalBags: chk.TotalBags, Bikes: chk.Bikes, MealPreference: chk.MealPreference,
		Insurance: chk.Insurance, PNR: pnr, Status: "confirmed",
	}
	db.Reservations.Put(resID, res)
	mu, _ := db.Users.Mut(userID)
	mu.Reservations = append(mu.Reservations, resID)
	return domains.Clone(res), nil
}

// newReservationID is the first id of the pool not yet a reservation key.
func (db *DB) newReservationID() (string, error) {
	for _, id := range newReservationIDs {
		if _, taken := db.Reservations.Get(id); !taken {
			return id, nil
		}
	}
	return "", errors.New("Too many reservations")
}

// newPNR is the first PNR of the pool no reservation uses.
func (db *DB) newPNR() (string, error) {
	for _, p := range newPNRs {
		used := false
		for r := range db.Reservations.Values() {
			if r.PNR == p {
				used = true
				break
			}
		}
		if !used {
			return p, nil
		}
	}
	return "", errors.New("Too many PNRs")
}

// cancelReservation appends the negation of every payment so far (earlier refunds
// included: there is no status check) and sets the status. No wallet is credited.
func cancelReservation(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	id, _, err := db.reservation(a["reservation_id"])
	if err != nil {
		return nil, err
	}
	r, _ := db.Reservations.Mut(id)
	for _, p := range slices.Clone(r.PaymentHistory) {
		r.PaymentHistory = append(r.PaymentHistory, RailPayment{PaymentID: p.PaymentID, Amount: -p.Amount})
	}
	r.Status = cancelled
	return domains.Clone(r), nil
}

// ownedReservation looks up a reservation and its owner, as the update tools begin.
func (db *DB) ownedReservation(v any) (string, *TrainReservation, string, *RailUser, error) {
	id, r, err := db.reservation(v)
	if err != nil {
		return "", nil, "", nil, err
	}
	uid, u, err := db.user(r.UserID)
	if err != nil {
		return "", nil, "", nil, err
	}
	return id, r, uid, u, nil
}

// chargeAndSet settles delta (a Python number) on the payment method, records the payment
// and then applies set to the reservation.
func (db *DB) chargeAndSet(resID, userID string, u *RailUser, paymentID, delta any, set func(r *TrainReservation)) (any, error) {
	f, err := toFloat(delta)
	if err != nil {
		return nil, err
	}
	p, err := db.settle(userID, u, paymentID, f)
	if err != nil {
		return nil, err
	}
	r, _ := db.Reservations.Mut(resID)
	if p != nil {
		r.PaymentHistory = append(r.PaymentHistory, *p)
	}
	set(r)
	return domains.Clone(r), nil
}

// updateReservationBags charges 15 × the change in bags beyond one per passenger, then
// stores total_bags as given (unvalidated).
func updateReservationBags(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	id, r, uid, u, err := db.ownedReservation(a["reservation_id"])
	if err != nil {
		return nil, err
	}
	n := int64(pyLen(r.Passengers))
	prev, err := arith('-', r.TotalBags, n)
	if err != nil {
		return nil, err
	}
	next, err := arith('-', a["total_bags"], n)
	if err != nil {
		return nil, err
	}
	diff, err := arith('-', maxZero(next), maxZero(prev))
	if err != nil {
		return nil, err
	}
	delta, err := arith('*', int64(15), diff)
	if err != nil {
		return nil, err
	}
	bags := domains.Clone(a["total_bags"])
	return db.chargeAndSet(id, uid, u, a["payment_id"], delta, func(r *TrainReservation) { r.TotalBags = bags })
}

// updateReservationBikes charges 10 × the change in bikes, then stores bikes as given.
func updateReservationBikes(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	id, r, uid, u, err := db.ownedReservation(a["reservation_id"])
	if err != nil {
		return nil, err
	}
	diff, err := arith('-', a["bikes"], r.Bikes)
	if err != nil {
		return nil, err
	}
	delta, err := arith('*', int64(10), diff)
	if err != nil {
		return nil, err
	}
	bikes := domains.Clone(a["bikes"])
	return db.chargeAndSet(id, uid, u, a["payment_id"], delta, func(r *TrainReservation) { r.Bikes = bikes })
}

// updateReservationTrains rebuilds the segments and settles the discounted difference
// between the new fares and the stored segment prices. Origin, destination and trip type
// are left alone.
func updateReservationTrains(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	items, trains, err := convertList[TrainInfo](a["trains"])
	if err != nil {
		return nil, err
	}
	id, r, uid, u, err := db.ownedReservation(a["reservation_id"])
	if err != nil {
		return nil, err
	}
	n := pyLen(r.Passengers)
	segments := []Segment{}
	var newFare int64
	for i := range items {
		if trains == nil {
			return nil, noAttr(items[i], "train_number")
		}
		seg, err := db.segment(trains[i], a["travel_class"], n)
		if err != nil {
			return nil, err
		}
		newFare += seg.Price * int64(n)
		segments = append(segments, seg)
	}
	var oldFare int64
	for _, s := range r.Trains {
		oldFare += s.Price
	}
	oldFare *= int64(n)
	diff := discount(newFare-oldFare, u.Membership)
	return db.chargeAndSet(id, uid, u, a["payment_id"], diff, func(r *TrainReservation) { r.Trains = segments })
}

// updateReservationPassengers replaces the passengers when their number is unchanged. A
// list that is not all dicts is stored as given, unvalidated.
func updateReservationPassengers(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	items, typed, err := convertList[Passenger](a["passengers"])
	if err != nil {
		return nil, err
	}
	id, r, err := db.reservation(a["reservation_id"])
	if err != nil {
		return nil, err
	}
	if len(items) != pyLen(r.Passengers) {
		return nil, errors.New("Number of passengers does not match")
	}
	var stored any
	if typed != nil {
		list := make([]Passenger, len(typed))
		for i, p := range typed {
			list[i] = *p
		}
		stored = list
	} else {
		stored = domains.Clone(a["passengers"])
	}
	mr, _ := db.Reservations.Mut(id)
	mr.Passengers = stored
	return domains.Clone(mr), nil
}

func getTrainStatus(e *domains.Env, a domains.Args) (any, error) {
	_, ds, err := dbOf(e).trainDate(a["train_number"], a["date"])
	if err != nil {
		return nil, err
	}
	return ds.Status, nil
}

// listAllRoutes returns the distinct (origin, destination) pairs, sorted.
func listAllRoutes(e *domains.Env, _ domains.Args) (any, error) {
	seen := map[[2]string]bool{}
	var routes [][2]string
	for t := range dbOf(e).Trains.Values() {
		r := [2]string{t.Origin, t.Destination}
		if !seen[r] {
			seen[r] = true
			routes = append(routes, r)
		}
	}
	slices.SortFunc(routes, func(x, y [2]string) int {
		if c := strings.Compare(x[0], y[0]); c != 0 {
			return c
		}
		return strings.Compare(x[1], y[1])
	})
	out := make([][]string, len(routes))
	for i, r := range routes {
		out[i] = []string{r[0], r[1]}
	}
	return out, nil
}

// calcChars are the characters calculate accepts.
const calcChars = "0123456789+-*/(). "

// calculate checks every item of the expression against the allowed characters, as the
// reference's `all(c in allowed for c in expression)` does, then evaluates it. A non-str
// expression fails as Python fails on it: not iterable, a non-str item on the left of
// `in`, or eval() refusing anything but a str.
func calculate(_ *domains.Env, a domains.Args) (any, error) {
	expr := a["expression"]
	if s, ok := expr.(string); ok {
		return calc.Evaluate(s)
	}
	items, err := iterate(expr)
	if err != nil {
		return nil, err
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

func transferToHumanAgents(_ *domains.Env, _ domains.Args) (any, error) {
	return "Transfer successful", nil
}

// addWalletFunds credits the user's first wallet, creating one from the id pool when the
// user has none. The amount must be an int (a bool counts: True adds 1 and prints as
// True) greater than 0, checked before the user lookup.
func addWalletFunds(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	amount := a["amount"]
	n := numberOf(amount)
	if !n.valid || n.isF || n.i.Sign() <= 0 {
		return nil, errors.New("Amount must be a positive integer (whole dollars)")
	}
	uid, u, err := db.user(a["user_id"])
	if err != nil {
		return nil, err
	}
	walletID := ""
	for id, pm := range u.PaymentMethods.All() {
		if pm.Source == "wallet" {
			walletID = id
			break
		}
	}
	create := walletID == ""
	if create {
		for _, id := range newWalletIDs {
			if _, taken := u.PaymentMethods.Get(id); !taken {
				walletID = id
				break
			}
		}
		if walletID == "" {
			return nil, errors.New("Too many wallets")
		}
	}
	mu, _ := db.Users.Mut(uid)
	if create {
		mu.PaymentMethods.Set(walletID, &PaymentMethod{Source: "wallet", ID: walletID, ExtraInfo: py.NewObject("amount", int64(0))})
	}
	w, _ := mu.PaymentMethods.Get(walletID)
	bal := new(big.Int).Add(balance(w), n.i)
	w.ExtraInfo.Set("amount", intValue(bal))
	return fmt.Sprintf("Wallet %s funded with $%s. New balance: $%s", walletID, py.Str(amount), bal.String()), nil
}

// getDBStatistics counts the records; the counts are ints in a plain dict, so the tool
// message shows them as strings.
func getDBStatistics(e *domains.Env, _ domains.Args) (any, error) {
	db := dbOf(e)
	instances := 0
	for t := range db.Trains.Values() {
		instances += t.Dates.Len()
	}
	return py.NewObject(
		"num_trains", int64(db.Trains.Len()),
		"num_train_instances", int64(instances),
		"num_users", int64(db.Users.Len()),
		"num_reservations", int64(db.Reservations.Len()),
	), nil
}
