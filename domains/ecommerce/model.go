// Package ecommerce is the e-commerce environment: a catalogue of product groups and their
// offerings (SKUs), customer accounts with funding sources, and sales with their lines,
// shipments and ledger. Agents look orders up, change addresses and payments of pending
// sales, cancel them, and request returns and exchanges of delivered ones.
package ecommerce

import "github.com/toolscale/toolscale/domains"

// DB is the e-commerce database: three tables keyed by id, in the order of db.json.
type DB struct {
	Catalogue *domains.Table[CatalogueGroup] `json:"catalogue"`
	Accounts  *domains.Table[Account]        `json:"accounts"`
	Sales     *domains.Table[Sale]           `json:"sales"`
}

// A CatalogueGroup is a product with its offerings, keyed by unit SKU.
type CatalogueGroup struct {
	Title     string                 `json:"title"`
	GroupRef  string                 `json:"group_ref"`
	Offerings domains.Map[*Offering] `json:"offerings"`
}

// An Offering is one sellable variant (SKU) of a catalogue group.
type Offering struct {
	UnitSKU    string             `json:"unit_sku"`
	Attributes OfferingAttributes `json:"attributes"`
	InStock    bool               `json:"in_stock"`
	UnitPrice  float64            `json:"unit_price"`
}

// OfferingAttributes describe an offering's colour, size, material and pattern.
type OfferingAttributes struct {
	Hue         string `json:"hue"`
	Dimension   string `json:"dimension"`
	Fabrication string `json:"fabrication"`
	Pattern     string `json:"pattern"`
}

// An Account is a customer: name, default address, email, funding sources and the sales
// they made.
type Account struct {
	AccountKey     string                      `json:"account_key"`
	Person         PersonName                  `json:"person"`
	Location       Location                    `json:"location"`
	ContactEmail   string                      `json:"contact_email"`
	FundingSources domains.Map[*FundingSource] `json:"funding_sources"`
	Purchases      []string                    `json:"purchases"`
}

// PersonName is an account holder's name.
type PersonName struct {
	Given  string `json:"given"`
	Family string `json:"family"`
}

// A Location is a postal address: an account's default address or a sale's delivery
// address. Its fields are str in the reference model, but the address tools assign their
// arguments to them without validation, so a value of another type is stored as given.
type Location struct {
	Line1        any `json:"line1" db:"type=str"`
	Line2        any `json:"line2" db:"type=str"`
	Municipality any `json:"municipality" db:"type=str"`
	Nation       any `json:"nation" db:"type=str"`
	Region       any `json:"region" db:"type=str"`
	PostalCode   any `json:"postal_code" db:"type=str"`
}

// A FundingSource is a payment instrument of an account: a credit card, gift card, PayPal
// account…
type FundingSource struct {
	Origin       string            `json:"origin"`
	InstrumentID string            `json:"instrument_id"`
	Meta         FundingSourceMeta `json:"meta"`
}

// FundingSourceMeta names an instrument's issuer and last digits, which is how agents refer
// to it.
type FundingSourceMeta struct {
	Issuer     string `json:"issuer"`
	LastDigits string `json:"last_digits"`
}

// A Sale is an order of an account: where it goes, what it holds, its state, its parcels
// and its payments and refunds.
type Sale struct {
	SaleRef    string        `json:"sale_ref"`
	AccountKey string        `json:"account_key"`
	Delivery   Location      `json:"delivery"`
	Lines      []SaleLine    `json:"lines"`
	State      string        `json:"state"` // free text: tools compare exact strings
	Shipments  []Shipment    `json:"shipments"`
	Ledger     []LedgerEntry `json:"ledger"`
}

// A SaleLine is one unit of an offering bought in a sale, at its price then.
type SaleLine struct {
	Label      string             `json:"label"`
	CatalogRef string             `json:"catalog_ref"`
	UnitSKU    string             `json:"unit_sku"`
	UnitPrice  float64            `json:"unit_price"`
	Attributes SaleLineAttributes `json:"attributes"`
}

// SaleLineAttributes describe the unit bought on a line.
type SaleLineAttributes struct {
	Volume      string `json:"volume"`
	Composition string `json:"composition"`
	Tint        string `json:"tint"`
}

// A Shipment is a parcel (or set of parcels) and the SKUs it carries.
type Shipment struct {
	ParcelCodes []string `json:"parcel_codes"`
	SKUList     []string `json:"sku_list"`
}

// A LedgerEntry is a payment or a refund of a sale on one instrument.
type LedgerEntry struct {
	EntryKind    string  `json:"entry_kind" db:"enum=payment|refund"`
	Value        float64 `json:"value"`
	InstrumentID string  `json:"instrument_id"`
}
