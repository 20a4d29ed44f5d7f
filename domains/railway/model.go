// Package railway is the train-booking environment: trains with their per-date status,
// users with saved payment methods, passengers and railcards, and reservations with their
// segments and payments. It mirrors the reference RailwayTools toolkit call for call.
package railway

import (
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// DB is the railway database: three tables keyed by id, in db.json order.
type DB struct {
	Trains       *domains.Table[Train]            `json:"trains"`
	Users        *domains.Table[RailUser]         `json:"users"`
	Reservations *domains.Table[TrainReservation] `json:"reservations"`
}

// DateStatus is a train's status on one date. The reference has one model per status
// (on time and delayed need a platform, cancelled may lack one); all three dump the same
// four keys in the same order, so one struct holds them.
type DateStatus struct {
	Status                   string  `json:"status" db:"enum=on time|delayed|cancelled"`
	Platform                 *string `json:"platform" db:"optional"`
	ActualDepartureTimeLocal *string `json:"actual_departure_time_local" db:"optional"`
	ActualArrivalTimeLocal   *string `json:"actual_arrival_time_local" db:"optional"`
}

// The date statuses.
const (
	onTime    = "on time"
	delayed   = "delayed"
	cancelled = "cancelled"
)

// Train is a record of the trains table. Times are free text (mostly HH:MM) and are
// compared as strings.
type Train struct {
	Origin                      string                   `json:"origin"`
	Destination                 string                   `json:"destination"`
	TrainNumber                 string                   `json:"train_number"`
	TrainName                   string                   `json:"train_name"`
	ServiceType                 string                   `json:"service_type" db:"enum=high_speed|express|regional"`
	ScheduledDepartureTimeLocal string                   `json:"scheduled_departure_time_local"`
	ScheduledArrivalTimeLocal   string                   `json:"scheduled_arrival_time_local"`
	Dates                       domains.Map[*DateStatus] `json:"dates"`
}

// TrainInfo names a train on a date, as booking and itinerary changes take it.
type TrainInfo struct {
	TrainNumber string `json:"train_number" jsonschema:"description=The train number\\, e.g. rj 75."`
	Date        string `json:"date" jsonschema:"description=The travel date\\, YYYY-MM-DD."`
}

// Name is a person's name.
type Name struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// Address is a user's postal address.
type Address struct {
	Address1 string  `json:"address1"`
	Address2 *string `json:"address2" db:"optional"`
	City     string  `json:"city"`
	Country  string  `json:"country"`
	State    string  `json:"state"`
	Zip      string  `json:"zip"`
}

// Passenger is a traveller on a reservation or saved on a profile.
type Passenger struct {
	FirstName string `json:"first_name" jsonschema:"description=First name."`
	LastName  string `json:"last_name" jsonschema:"description=Last name."`
	DOB       string `json:"dob" jsonschema:"description=Date of birth\\, YYYY-MM-DD."`
}

// RailPayment is one payment (a negative amount: a refund) on a reservation, or one
// payment item of a booking.
type RailPayment struct {
	PaymentID string  `json:"payment_id" jsonschema:"description=The id of a payment method saved on the user's profile."`
	Amount    float64 `json:"amount" jsonschema:"description=The amount in dollars; wallet amounts must be whole dollars."`
}

// PaymentMethod is a payment method saved on a user. The reference has one model per
// source: a card's extra_info is {brand, last_four}, a wallet's {amount} (an int balance in
// whole dollars), an other method's any dict. ExtraInfo holds it as loaded.
type PaymentMethod struct {
	Source    string     `json:"source" db:"enum=card|wallet|other"`
	ID        string     `json:"id"`
	ExtraInfo *py.Object `json:"extra_info"`
}

// Railcard is a discount card on a user's profile.
type Railcard struct {
	Type   string `json:"type"`
	Number string `json:"number"`
	Expiry string `json:"expiry"`
}

// RailUser is a record of the users table.
type RailUser struct {
	UserID          string                      `json:"user_id"`
	Name            Name                        `json:"name"`
	Address         Address                     `json:"address"`
	Email           string                      `json:"email"`
	DOB             string                      `json:"dob"`
	PaymentMethods  domains.Map[*PaymentMethod] `json:"payment_methods"`
	SavedPassengers []Passenger                 `json:"saved_passengers"`
	Membership      string                      `json:"membership" db:"enum=gold|silver|regular"`
	Railcards       []Railcard                  `json:"railcards"`
	Reservations    []string                    `json:"reservations"`
}

// Segment is one train of a reservation. Price is per passenger, in dollars.
type Segment struct {
	Origin      string   `json:"origin"`
	Destination string   `json:"destination"`
	TrainNumber string   `json:"train_number"`
	Date        string   `json:"date"`
	Coach       string   `json:"coach"`
	SeatNumbers []string `json:"seat_numbers"`
	Price       int64    `json:"price"`
}

// TrainReservation is a record of the reservations table. The file's `class` key is not
// in the reference model and is dropped on load.
//
// Passengers, TotalBags and Bikes are set by update_reservation_passengers, _bags and
// _bikes by plain attribute assignment, which the reference does not validate: they hold
// any Python value. Passengers loads as the decoded list and holds a []Passenger once a
// tool validated the new list; TotalBags and Bikes load as ints.
type TrainReservation struct {
	ReservationID  string        `json:"reservation_id"`
	UserID         string        `json:"user_id"`
	Origin         string        `json:"origin"`
	Destination    string        `json:"destination"`
	TripType       string        `json:"trip_type" db:"enum=one_way|round_trip|multi_city"`
	Trains         []Segment     `json:"trains"`
	Passengers     any           `json:"passengers"`
	PaymentHistory []RailPayment `json:"payment_history"`
	CreatedAt      string        `json:"created_at"`
	TotalBags      any           `json:"total_bags" db:"type=int"`
	Bikes          any           `json:"bikes" db:"type=int,default=0"`
	MealPreference string        `json:"meal_preference" db:"enum=veg|non_veg|none"`
	Insurance      string        `json:"insurance" db:"enum=yes|no"`
	PNR            string        `json:"pnr"`
	Status         string        `json:"status" db:"enum=confirmed|waitlisted|cancelled"`
	_              struct{}      `db:"ignore=class"`
}

// DirectTrain is one result of a train search: a train on a date with that date's
// status. Platform is null for a cancelled date.
type DirectTrain struct {
	TrainNumber                 string  `json:"train_number"`
	TrainName                   string  `json:"train_name"`
	Origin                      string  `json:"origin"`
	Destination                 string  `json:"destination"`
	ServiceType                 string  `json:"service_type"`
	Date                        string  `json:"date"`
	Status                      string  `json:"status"`
	ScheduledDepartureTimeLocal string  `json:"scheduled_departure_time_local"`
	ScheduledArrivalTimeLocal   string  `json:"scheduled_arrival_time_local"`
	Platform                    *string `json:"platform"`
}
