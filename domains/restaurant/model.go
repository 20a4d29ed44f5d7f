// Package restaurant is the restaurant environment: a menu of dishes with their plates,
// patrons with saved payment instruments, and service tickets (dine-in, takeout and
// delivery), with the tools of the reference RestaurantTools toolkit.
package restaurant

import "github.com/toolscale/toolscale/domains"

// DB is the restaurant database: three tables keyed by id, in db.json order.
type DB struct {
	MenuBoard      *domains.Table[Dish]          `json:"menu_board"`
	PatronRegistry *domains.Table[Patron]        `json:"patron_registry"`
	ServiceTickets *domains.Table[ServiceTicket] `json:"service_tickets"`
}

// A Dish is a menu item with its plates. Titles are not unique.
type Dish struct {
	Title      string              `json:"title"`
	DishRef    string              `json:"dish_ref"`
	Selections domains.Map[*Plate] `json:"selections"`
}

// A Plate is one way a dish is served: its modifiers, availability and cost.
type Plate struct {
	PlateRef    string         `json:"plate_ref"`
	Modifiers   PlateModifiers `json:"modifiers"`
	ServedToday bool           `json:"served_today"`
	Cost        float64        `json:"cost"`
}

// PlateModifiers describe a plate.
type PlateModifiers struct {
	SpiceLevel  *string `json:"spice_level" db:"optional"`
	Portion     *string `json:"portion" db:"optional"`
	Protein     *string `json:"protein" db:"optional"`
	Preparation *string `json:"preparation" db:"optional"`
}

// GuestIdentity is a patron's name.
type GuestIdentity struct {
	Given  string `json:"given"`
	Family string `json:"family"`
}

// A PatronLocation is a postal address: a patron's home or a ticket's dropoff.
type PatronLocation struct {
	LineOne      string `json:"line_one"`
	LineTwo      string `json:"line_two"`
	Municipality string `json:"municipality"`
	Nation       string `json:"nation"`
	Province     string `json:"province"`
	PostalCode   string `json:"postal_code"`
}

// PaymentInstrumentMetadata identifies an instrument to its owner.
type PaymentInstrumentMetadata struct {
	Issuer     string `json:"issuer"`
	TailDigits string `json:"tail_digits"`
}

// A PaymentInstrument is a saved means of payment.
type PaymentInstrument struct {
	Origin        string                    `json:"origin"`
	InstrumentRef string                    `json:"instrument_ref"`
	Metadata      PaymentInstrumentMetadata `json:"metadata"`
}

// A Patron is a guest with contact details, saved instruments and tickets.
type Patron struct {
	GuestRef         string                          `json:"guest_ref"`
	Identity         GuestIdentity                   `json:"identity"`
	Location         PatronLocation                  `json:"location"`
	ContactEmail     string                          `json:"contact_email"`
	SavedInstruments domains.Map[*PaymentInstrument] `json:"saved_instruments"`
	TicketLog        []string                        `json:"ticket_log"`
}

// TableInfo places a dine-in ticket.
type TableInfo struct {
	Zone      string `json:"zone"`
	TableNo   string `json:"table_no"`
	SeatCount int64  `json:"seat_count"`
}

// LineEntryMods are a line entry's preferences.
type LineEntryMods struct {
	Heat  *string `json:"heat" db:"optional"`
	Sauce *string `json:"sauce" db:"optional"`
	Side  *string `json:"side" db:"optional"`
}

// A LineEntry is one ordered plate, at the cost it had when ordered.
type LineEntry struct {
	Label    string        `json:"label"`
	DishRef  string        `json:"dish_ref"`
	PlateRef string        `json:"plate_ref"`
	Cost     float64       `json:"cost"`
	Mods     LineEntryMods `json:"mods"`
}

// A PrepBatch groups plates for preparation and packing.
type PrepBatch struct {
	ParcelTags []string `json:"parcel_tags"`
	PlateRefs  []string `json:"plate_refs"`
}

// A TicketCharge is a payment, refund, tip, tax or fee on a ticket.
type TicketCharge struct {
	Kind          string  `json:"kind"`
	Total         float64 `json:"total"`
	InstrumentRef string  `json:"instrument_ref"`
}

// A ServiceTicket is an order. State is free text: placed, in_progress, ready, delivered
// and cancelled occur.
type ServiceTicket struct {
	TicketRef   string          `json:"ticket_ref"`
	GuestRef    string          `json:"guest_ref"`
	ServiceMode string          `json:"service_mode" db:"enum=dine_in|takeout|delivery"`
	Dropoff     *PatronLocation `json:"dropoff" db:"optional"`
	TableInfo   *TableInfo      `json:"table_info" db:"optional"`
	LineEntries []LineEntry     `json:"line_entries"`
	State       string          `json:"state"`
	PrepBatches []PrepBatch     `json:"prep_batches"`
	Charges     []TicketCharge  `json:"charges"`
}

func newDB() domains.DB { return &DB{} }
