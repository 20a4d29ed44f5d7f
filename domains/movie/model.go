// Package movie is the movie theater environment: films, theaters with their auditoriums,
// seat maps, pricing and daily show schedules, and ticket bookings with seats, concessions,
// payments and delivery. Agents list shows and free seats, quote prices, book, change the
// seats of a booking and cancel it.
package movie

import "github.com/toolscale/toolscale/domains"

// DB is the movie theater database: three tables keyed by id, in the order of db.json.
type DB struct {
	Movies   *domains.Table[Film]    `json:"movies"`
	Theaters *domains.Table[Theater] `json:"theaters"`
	Bookings *domains.Table[Booking] `json:"bookings"`
}

// A Film is a movie on show (the reference model calls it Movie).
type Film struct {
	MovieID        string       `json:"movie_id"`
	Title          string       `json:"title"`
	Genres         []string     `json:"genres" db:"enum=Action|Adventure|Comedy|Drama|Horror|Thriller|Romance|Science Fiction|Fantasy|Mystery"`
	RuntimeMinutes int64        `json:"runtime_minutes"`
	MPAARating     string       `json:"mpaa_rating" db:"enum=G|PG|PG-13|R|NC-17|NR"`
	LanguagesAudio []string     `json:"languages_audio"`
	Subtitles      []string     `json:"subtitles"`
	Formats        []string     `json:"formats" db:"enum=2D|3D|IMAX|Dolby"`
	ReleaseDate    string       `json:"release_date"`   // YY-MM-DD
	EndOfRunEst    string       `json:"end_of_run_est"` // YY-MM-DD
	Cast           []CastMember `json:"cast"`
	Crew           Crew         `json:"crew"`
	Synopsis       string       `json:"synopsis"`
}

// A CastMember is an actor and the role they play.
type CastMember struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// Crew names a film's key crew.
type Crew struct {
	Director string `json:"director"`
	Writer   string `json:"writer"`
	Producer string `json:"producer"`
	Music    string `json:"music"`
}

// A Theater is a cinema: where it is, how to reach it, its auditoriums, its pricing rules
// and its shows by date (YY-MM-DD).
type Theater struct {
	TheaterID    string                    `json:"theater_id"`
	Name         string                    `json:"name"`
	Address      TheaterAddress            `json:"address"`
	Contact      TheaterContact            `json:"contact"`
	Amenities    []string                  `json:"amenities"`
	Auditoriums  domains.Map[*Auditorium]  `json:"auditoriums"`
	PricingRules TheaterPricingRules       `json:"pricing_rules"`
	Dates        domains.Map[*DaySchedule] `json:"dates"`
}

// TheaterAddress is a theater's postal address.
type TheaterAddress struct {
	Street  string `json:"street"`
	City    string `json:"city"`
	State   string `json:"state"`
	Country string `json:"country"`
	Zip     string `json:"zip"`
}

// TheaterContact is how a theater is reached.
type TheaterContact struct {
	Phone   string `json:"phone"`
	Email   string `json:"email"`
	Website string `json:"website"`
}

// An Auditorium is a screening room and its seat map.
type Auditorium struct {
	AuditoriumID string   `json:"auditorium_id"`
	Name         string   `json:"name"`
	Capacity     int64    `json:"capacity"` // as announced: not always the number of seats
	Features     []string `json:"features"`
	SeatMap      SeatMap  `json:"seat_map"`
}

// A SeatMap lists an auditorium's seats row by row.
type SeatMap struct {
	Rows domains.Map[[]Seat] `json:"rows"`
}

// A Seat is one seat of an auditorium.
type Seat struct {
	SeatID               string `json:"seat_id"`
	Type                 string `json:"type"` // standard, recliner
	WheelchairAccessible bool   `json:"wheelchair_accessible"`
}

// TheaterPricingRules are a theater's published prices. The tools use only the booking fee
// and the tax rate; show prices come from each show's price schema.
type TheaterPricingRules struct {
	Base             PricingBase          `json:"base"`
	FormatSurcharges domains.Map[float64] `json:"format_surcharges"` // keyed by format
	TimeBased        TimeBasedPricing     `json:"time_based"`
	Fees             TheaterFees          `json:"fees"`
	TaxRatePercent   float64              `json:"tax_rate_percent"`
}

// PricingBase are base ticket prices by ticket type.
type PricingBase struct {
	Adult  float64 `json:"adult"`
	Child  float64 `json:"child"`
	Senior float64 `json:"senior"`
}

// TimeBasedPricing is a theater's matinee discount and peak surcharge.
type TimeBasedPricing struct {
	MatineeDiscount float64 `json:"matinee_discount"`
	PeakSurcharge   float64 `json:"peak_surcharge"`
}

// TheaterFees are a theater's per-ticket convenience fee and per-booking fee.
type TheaterFees struct {
	ConvenienceFee float64 `json:"convenience_fee"`
	BookingFee     float64 `json:"booking_fee"`
}

// A DaySchedule holds the shows of one date.
type DaySchedule struct {
	Shows []Show `json:"shows"`
}

// A Show is one screening of a film in an auditorium.
type Show struct {
	ShowID         string      `json:"show_id"`
	MovieID        string      `json:"movie_id"`
	AuditoriumID   string      `json:"auditorium_id"`
	StartTimeLocal string      `json:"start_time_local"` // YY-MM-DD-HH-MM
	EndTimeLocal   string      `json:"end_time_local"`
	Format         string      `json:"format" db:"enum=2D|3D|IMAX|Dolby"`
	Language       string      `json:"language"`
	Subtitles      string      `json:"subtitles"`
	Status         string      `json:"status" db:"enum=scheduled|canceled|completed"`
	PriceSchema    PriceSchema `json:"price_schema"`
}

// A PriceSchema is what a show charges per ticket type, plus a per-ticket fee.
type PriceSchema struct {
	Adult  float64   `json:"adult"`
	Child  float64   `json:"child"`
	Senior float64   `json:"senior"`
	Fees   PriceFees `json:"fees"`
}

// PriceFees is a show's per-ticket convenience fee.
type PriceFees struct {
	ConvenienceFee float64 `json:"convenience_fee"`
}

// A Booking is a customer's order of seats (and concessions) for a show.
type Booking struct {
	BookingID         string             `json:"booking_id"`
	TheaterID         string             `json:"theater_id"`
	MovieID           string             `json:"movie_id"`
	ShowID            string             `json:"show_id"`
	Date              string             `json:"date"`
	StartTimeLocal    string             `json:"start_time_local"`
	Status            string             `json:"status" db:"enum=confirmed|canceled|refunded|pending"`
	CreatedAt         string             `json:"created_at"`
	CanceledAt        *string            `json:"canceled_at" db:"optional"`
	Customer          Customer           `json:"customer"`
	Seats             []BookedSeat       `json:"seats"`
	Concessions       []ConcessionItem   `json:"concessions"`
	PromotionsApplied []PromotionApplied `json:"promotions_applied"`
	PaymentHistory    []BookingPayment   `json:"payment_history"`
	Totals            BookingTotals      `json:"totals"`
	Delivery          Delivery           `json:"delivery"`
	SpecialRequests   *string            `json:"special_requests" db:"optional"`
}

// A Customer is who a booking is for.
type Customer struct {
	Name      CustomerName `json:"name"`
	Email     string       `json:"email"`
	Phone     string       `json:"phone"`
	LoyaltyID *string      `json:"loyalty_id" db:"optional"`
}

// CustomerName is a customer's name.
type CustomerName struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// A BookedSeat is a seat of a booking with what it cost.
type BookedSeat struct {
	SeatID         string  `json:"seat_id"`
	TicketType     string  `json:"ticket_type" db:"enum=adult|child|senior"`
	Price          float64 `json:"price"`
	ConvenienceFee float64 `json:"convenience_fee"`
	Tax            float64 `json:"tax"`
}

// A ConcessionItem is a line of food or drink bought with a booking.
type ConcessionItem struct {
	ItemID    string  `json:"item_id"`
	Name      string  `json:"name"`
	Size      string  `json:"size"`
	Quantity  int64   `json:"quantity"`
	PriceEach float64 `json:"price_each"`
	TaxEach   float64 `json:"tax_each"`
	Total     float64 `json:"total"`
}

// A PromotionApplied is a discount a booking received.
type PromotionApplied struct {
	Code           string  `json:"code"`
	Description    string  `json:"description"`
	DiscountAmount float64 `json:"discount_amount"`
}

// A BookingPayment is a payment (or, when negative, a refund) of a booking.
type BookingPayment struct {
	PaymentID string               `json:"payment_id"`
	Amount    float64              `json:"amount"`
	Method    BookingPaymentMethod `json:"method"`
	CreatedAt string               `json:"created_at"` // YY-MM-DD-HH-MM
}

// BookingPaymentMethod is how a payment was made.
type BookingPaymentMethod struct {
	Source          string            `json:"source" db:"enum=card|wallet|cash|gift_card"`
	PaymentMethodID string            `json:"payment_method_id"`
	ExtraInfo       *PaymentExtraInfo `json:"extra_info" db:"optional"`
}

// PaymentExtraInfo is the brand and last digits of a card or wallet.
type PaymentExtraInfo struct {
	Brand    *string `json:"brand" db:"optional"`
	LastFour *string `json:"last_four" db:"optional"`
}

// BookingTotals are a booking's money totals. TicketsSubtotal is a float in the reference
// model, but update_booking_seats assigns it the int 0 when no seat is left, which then
// prints as 0 rather than 0.0, so it holds any value.
type BookingTotals struct {
	TicketsSubtotal     any     `json:"tickets_subtotal" db:"type=float"`
	ConcessionsSubtotal float64 `json:"concessions_subtotal"`
	FeesTotal           float64 `json:"fees_total"`
	TaxTotal            float64 `json:"tax_total"`
	GrandTotal          float64 `json:"grand_total"`
	AmountPaid          float64 `json:"amount_paid"`
	AmountDue           float64 `json:"amount_due"`
}

// A Delivery is how the tickets reach the customer.
type Delivery struct {
	Method  string               `json:"method" db:"enum=e-ticket|box-office|kiosk"`
	Tickets []TicketDeliveryItem `json:"tickets"`
}

// A TicketDeliveryItem is one delivered ticket.
type TicketDeliveryItem struct {
	TicketID string `json:"ticket_id"`
	Barcode  string `json:"barcode"`
}
