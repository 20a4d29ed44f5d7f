// Package travel is the travel agency environment: tour packages with their dated
// departures, itineraries and policies, travelers with their saved payment methods,
// companions and bookings, and agents with their availability. It mirrors the reference
// TravelAgencyTools toolkit call for call.
package travel

import (
	"reflect"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// DB is the travel database: three tables keyed by id, in db.json order. Bookings are
// not a table: each traveler holds a list of them.
type DB struct {
	Packages  *domains.Table[Package]  `json:"packages"`
	Travelers *domains.Table[Traveler] `json:"travelers"`
	Agents    *domains.Table[Agent]    `json:"agents"`
}

// PersonName is a person's name.
type PersonName struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// PostalAddress is a postal address.
type PostalAddress struct {
	Street  string `json:"street"`
	City    string `json:"city"`
	State   string `json:"state"`
	Country string `json:"country"`
	Zip     string `json:"zip"`
}

// ContactInfo is an email address and a phone number.
type ContactInfo struct {
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// PassportInfo is a passport. Expiry is YY-MM-DD.
type PassportInfo struct {
	Number      string `json:"number"`
	Nationality string `json:"nationality"`
	Expiry      string `json:"expiry"`
}

// TravelerPreferences are a traveler's stated preferences; any may be null.
type TravelerPreferences struct {
	Dietary       *string `json:"dietary" db:"optional"`
	Accessibility *string `json:"accessibility" db:"optional"`
	RoomType      *string `json:"room_type" db:"optional"`
	BedPreference *string `json:"bed_preference" db:"optional"`
	Other         *string `json:"other" db:"optional"`
}

// PaymentExtraInfo describes a card.
type PaymentExtraInfo struct {
	Brand    *string `json:"brand" db:"optional"`
	LastFour *string `json:"last_four" db:"optional"`
}

// TravelerPaymentMethod is a payment method saved on a traveler's profile.
type TravelerPaymentMethod struct {
	Source          string            `json:"source"`
	PaymentMethodID string            `json:"payment_method_id"`
	ExtraInfo       *PaymentExtraInfo `json:"extra_info" db:"optional"`
}

// Companion is a person a traveler often travels with.
type Companion struct {
	FirstName string        `json:"first_name"`
	LastName  string        `json:"last_name"`
	DOB       string        `json:"dob"` // YY-MM-DD
	Passport  *PassportInfo `json:"passport" db:"optional"`
}

// BookingTravelerInfo is one person on a booking.
type BookingTravelerInfo struct {
	FirstName string `json:"first_name" jsonschema:"description=First name."`
	LastName  string `json:"last_name" jsonschema:"description=Last name."`
	DOB       string `json:"dob" jsonschema:"description=Date of birth\\, YY-MM-DD."`
}

// RoomingInfo is a booking's room.
type RoomingInfo struct {
	RoomType  string `json:"room_type" jsonschema:"description=The room type\\, such as double\\, twin or suite."`
	Occupancy int64  `json:"occupancy" jsonschema:"description=The number of occupants."`
}

// BookingAddOn is an extra bought with a booking.
type BookingAddOn struct {
	Type        string  `json:"type" jsonschema:"description=The kind of add-on\\, such as excursion or transfer."`
	Description string  `json:"description" jsonschema:"description=What the add-on is."`
	Price       float64 `json:"price" jsonschema:"description=Its price."`
}

// BookingPayment is one entry of a booking's payment history; a negative amount is a
// refund.
type BookingPayment struct {
	PaymentID string  `json:"payment_id" jsonschema:"description=A payment method id saved on the traveler's profile."`
	Amount    float64 `json:"amount" jsonschema:"description=The amount paid."`
}

// Location is a city in a country.
type Location struct {
	City    string `json:"city"`
	Country string `json:"country"`
}

// Departure is one dated departure of a package. Status is free text; only "available"
// departures can be booked. The price is per person, in Currency, never converted.
type Departure struct {
	Status            string  `json:"status"`
	BasePrice         float64 `json:"base_price"`
	Currency          string  `json:"currency"`
	AvailableSlots    int64   `json:"available_slots"`
	EarlyBirdDeadline string  `json:"early_bird_deadline"` // YY-MM-DD
}

// ItineraryItem is one day of a package's itinerary.
type ItineraryItem struct {
	Day           int64    `json:"day"`
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Location      Location `json:"location"`
	IncludedMeals []string `json:"included_meals"`
}

// Accommodation is where a package stays.
type Accommodation struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Location Location `json:"location"`
	Nights   int64    `json:"nights"`
}

// TransportationInfo describes how a package travels.
type TransportationInfo struct {
	International string `json:"international"`
	Domestic      string `json:"domestic"`
	Ground        string `json:"ground"`
}

// Activity is an activity of a package.
type Activity struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Day         int64  `json:"day"`
}

// PackagePolicies are a package's free-text rules.
type PackagePolicies struct {
	CancellationPolicy string `json:"cancellation_policy"`
	ChangePolicy       string `json:"change_policy"`
	RefundPolicy       string `json:"refund_policy"`
}

// Package is a record of the packages table.
type Package struct {
	PackageID       string                  `json:"package_id"`
	Name            string                  `json:"name"`
	Category        string                  `json:"category"` // free text
	Description     string                  `json:"description"`
	Destinations    []Location              `json:"destinations"`
	DurationDays    int64                   `json:"duration_days"`
	DeparturePoints []Location              `json:"departure_points"`
	Departures      domains.Map[*Departure] `json:"departures"` // keyed by YY-MM-DD
	Itinerary       []ItineraryItem         `json:"itinerary"`
	Inclusions      []string                `json:"inclusions"`
	Exclusions      []string                `json:"exclusions"`
	Accommodations  []Accommodation         `json:"accommodations"`
	Transportation  TransportationInfo      `json:"transportation"`
	Activities      []Activity              `json:"activities"`
	Policies        PackagePolicies         `json:"policies"`
	Notes           *string                 `json:"notes" db:"optional"`
	ManagedByAgents []string                `json:"managed_by_agents"`
}

// The declared types of the booking fields tools overwrite without validation.
var (
	_ = py.DeclareType("travel.travelers", reflect.TypeFor[[]BookingTravelerInfo]())
	_ = py.DeclareType("travel.rooming", reflect.TypeFor[RoomingInfo]())
)

// Booking is a booking, nested in its traveler. Booking ids are not unique in the
// reference data: lookups take the first match.
//
// Travelers and Rooming load and are built as []BookingTravelerInfo and RoomingInfo, but
// update_booking_travelers and update_booking_rooming assign them without validation, so
// they may hold any Python value afterwards (a list of strings, a bare string, null…).
type Booking struct {
	BookingID      string           `json:"booking_id"`
	PackageID      string           `json:"package_id"`
	AgentID        string           `json:"agent_id"`
	BookingDate    string           `json:"booking_date"`   // YY-MM-DD; 2024-05-15 when made by a tool
	DepartureDate  string           `json:"departure_date"` // a key of the package's departures
	Status         string           `json:"status"`         // free text: confirmed, pending, cancelled
	Travelers      any              `json:"travelers" db:"type=travel.travelers"`
	Rooming        any              `json:"rooming" db:"type=travel.rooming"`
	AddOns         []BookingAddOn   `json:"add_ons"`
	Insurance      *string          `json:"insurance" db:"optional"` // a free-text label
	PaymentHistory []BookingPayment `json:"payment_history"`
	TotalPrice     float64          `json:"total_price"`
	Notes          *string          `json:"notes" db:"optional"`
}

// Traveler is a record of the travelers table.
type Traveler struct {
	TravelerID      string                              `json:"traveler_id"`
	Name            PersonName                          `json:"name"`
	Address         PostalAddress                       `json:"address"`
	Contact         ContactInfo                         `json:"contact"`
	DOB             string                              `json:"dob"` // YY-MM-DD
	Passport        *PassportInfo                       `json:"passport" db:"optional"`
	Preferences     *TravelerPreferences                `json:"preferences" db:"optional"`
	PaymentMethods  domains.Map[*TravelerPaymentMethod] `json:"payment_methods"`
	SavedCompanions []Companion                         `json:"saved_companions"`
	Memberships     []string                            `json:"memberships"`
	Bookings        []Booking                           `json:"bookings"`
}

// AgencyInfo is the agency an agent works for.
type AgencyInfo struct {
	Name    string        `json:"name"`
	Address PostalAddress `json:"address"`
}

// AvailabilityDay is an agent's free time slots (HH:MM-HH:MM) on one date.
type AvailabilityDay struct {
	Slots    []string `json:"slots"`
	Timezone string   `json:"timezone"`
}

// Agent is a record of the agents table.
type Agent struct {
	AgentID            string                        `json:"agent_id"`
	Name               PersonName                    `json:"name"`
	Contact            ContactInfo                   `json:"contact"`
	Agency             AgencyInfo                    `json:"agency"`
	Certifications     []string                      `json:"certifications"`
	Languages          []string                      `json:"languages"`
	RegionsOfExpertise []string                      `json:"regions_of_expertise"`
	CommissionRate     float64                       `json:"commission_rate"`
	EmploymentStatus   string                        `json:"employment_status"` // full_time, contractor
	AssignedTravelers  []string                      `json:"assigned_travelers"`
	ManagedPackages    []string                      `json:"managed_packages"`
	BookingsHandled    []string                      `json:"bookings_handled"`
	Availability       domains.Map[*AvailabilityDay] `json:"availability"` // keyed by YY-MM-DD
	Notes              *string                       `json:"notes" db:"optional"`
}
