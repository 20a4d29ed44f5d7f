// Package medicine is the pharmacy environment: medications with their stock batches,
// patients with their saved payment methods, and prescriptions with their fills, claims and
// payments. It mirrors the reference MedicineTools toolkit call for call.
package medicine

import "github.com/toolscale/toolscale/domains"

// DB is the medicine database: three tables keyed by id, in db.json order.
type DB struct {
	Medications   *domains.Table[Medication]   `json:"medications"`
	Patients      *domains.Table[Patient]      `json:"patients"`
	Prescriptions *domains.Table[Prescription] `json:"prescriptions"`
}

// Name is a person's name.
type Name struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// MedicationImage is a picture of a medication package.
type MedicationImage struct {
	URL  string `json:"url"`
	View string `json:"view" db:"enum=front|back"`
}

// MedicationStorage says how a medication is kept.
type MedicationStorage struct {
	TemperatureC     string `json:"temperature_c"`
	ProtectFromLight string `json:"protect_from_light" db:"enum=yes|no"`
	Notes            string `json:"notes"`
}

// MedicationDosageGuidelines are the dosing notes per population.
type MedicationDosageGuidelines struct {
	Adults       string `json:"adults"`
	Pediatrics   string `json:"pediatrics"`
	Geriatrics   string `json:"geriatrics"`
	MaxDailyDose string `json:"max_daily_dose"`
}

// MedicationBatch is one stock batch. Its map key in Medication.Batches is not its lot
// number.
type MedicationBatch struct {
	LotNumber       string `json:"lot_number"`
	ManufactureDate string `json:"manufacture_date"` // YY-MM-DD
	ExpirationDate  string `json:"expiration_date"`  // YY-MM-DD
	QuantityUnits   int64  `json:"quantity_units"`
	Unit            string `json:"unit"`
}

// MedicationPricing holds a medication's prices.
type MedicationPricing struct {
	WholesalePrice       float64 `json:"wholesale_price"`
	SuggestedRetailPrice float64 `json:"suggested_retail_price"`
}

// Medication is a record of the medications table.
type Medication struct {
	MedicationID                string                        `json:"medication_id"`
	BrandName                   string                        `json:"brand_name"`
	GenericName                 string                        `json:"generic_name"`
	DosageForm                  string                        `json:"dosage_form"`
	Strength                    string                        `json:"strength"`
	Route                       string                        `json:"route"`
	NDC                         string                        `json:"ndc"`
	ATCCode                     string                        `json:"atc_code"`
	Manufacturer                string                        `json:"manufacturer"`
	PrescriptionRequired        string                        `json:"prescription_required" db:"enum=yes|no"`
	ControlledSubstanceSchedule string                        `json:"controlled_substance_schedule" db:"enum=II|III|IV|V|none"`
	Indications                 []string                      `json:"indications"`
	Contraindications           []string                      `json:"contraindications"`
	Warnings                    []string                      `json:"warnings"`
	CommonSideEffects           []string                      `json:"common_side_effects"`
	Storage                     MedicationStorage             `json:"storage"`
	DosageGuidelines            MedicationDosageGuidelines    `json:"dosage_guidelines"`
	Images                      []MedicationImage             `json:"images"`
	Batches                     domains.Map[*MedicationBatch] `json:"batches"`
	Pricing                     MedicationPricing             `json:"pricing"`
}

// PatientAddress is a patient's postal address.
type PatientAddress struct {
	Street  string `json:"street"`
	City    string `json:"city"`
	Country string `json:"country"`
	State   string `json:"state"`
	Zip     string `json:"zip"`
}

// PatientCurrentMedication is a medication a patient takes.
type PatientCurrentMedication struct {
	MedicationID string `json:"medication_id"`
	Name         string `json:"name"`
	Strength     string `json:"strength"`
	Dosage       string `json:"dosage"`
	StartDate    string `json:"start_date"`
}

// PatientInsurance is a patient's drug insurance.
type PatientInsurance struct {
	Provider string `json:"provider"`
	PlanName string `json:"plan_name"`
	MemberID string `json:"member_id"`
	Group    string `json:"group"`
	BIN      string `json:"bin"`
	PCN      string `json:"pcn"`
}

// MedicinePaymentMethodExtraInfo describes a card.
type MedicinePaymentMethodExtraInfo struct {
	Brand    *string `json:"brand,omitempty" db:"optional"`
	LastFour *string `json:"last_four,omitempty" db:"optional"`
}

// MedicinePaymentMethod is a payment method saved on a patient's profile.
type MedicinePaymentMethod struct {
	Source          string                         `json:"source"`
	PaymentMethodID string                         `json:"payment_method_id"`
	ExtraInfo       MedicinePaymentMethodExtraInfo `json:"extra_info"`
}

// EmergencyContact is someone to call for a patient.
type EmergencyContact struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	Phone        string `json:"phone"`
}

// SavedDependent is a dependent on a patient's profile.
type SavedDependent struct {
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	DOB          string `json:"dob"`
	Relationship string `json:"relationship"`
}

// Patient is a record of the patients table.
//
// Address, Email, Phone and Insurance are set by update_patient_contact and
// update_patient_insurance by plain attribute assignment, which the reference does not
// validate: a non-dict address or insurance and a non-string email or phone are stored as
// given. The fields therefore hold any Python value. Email and Phone load as strings;
// Address and Insurance load as the decoded dict (*py.Object), and the tools store a
// *PatientAddress / *PatientInsurance when they validated a dict, the raw argument
// otherwise.
type Patient struct {
	PatientID          string                              `json:"patient_id"`
	Name               Name                                `json:"name"`
	Address            any                                 `json:"address"`
	Email              any                                 `json:"email" db:"type=str"`
	Phone              any                                 `json:"phone" db:"type=str"`
	DOB                string                              `json:"dob"`
	Gender             string                              `json:"gender"`
	Allergies          []string                            `json:"allergies"`
	MedicalConditions  []string                            `json:"medical_conditions"`
	CurrentMedications []PatientCurrentMedication          `json:"current_medications"`
	Insurance          any                                 `json:"insurance"`
	PaymentMethods     domains.Map[*MedicinePaymentMethod] `json:"payment_methods"`
	EmergencyContacts  []EmergencyContact                  `json:"emergency_contacts"`
	SavedDependents    []SavedDependent                    `json:"saved_dependents"`
	Membership         string                              `json:"membership"`
	Prescriptions      []string                            `json:"prescriptions"`
}

// PharmacyAddress is a pharmacy's address (it has no country).
type PharmacyAddress struct {
	Street string `json:"street"`
	City   string `json:"city"`
	State  string `json:"state"`
	Zip    string `json:"zip"`
}

// PharmacyInfo identifies a pharmacy.
type PharmacyInfo struct {
	PharmacyID string          `json:"pharmacy_id"`
	Name       string          `json:"name"`
	Address    PharmacyAddress `json:"address"`
}

// Prescriber is the doctor who wrote a prescription.
type Prescriber struct {
	DoctorID string `json:"doctor_id"`
	Name     Name   `json:"name"`
	NPI      string `json:"npi"`
	Clinic   string `json:"clinic"`
}

// MedicationOrder is one medication ordered on a prescription.
type MedicationOrder struct {
	MedicationID        string `json:"medication_id"`
	BrandName           string `json:"brand_name"`
	GenericName         string `json:"generic_name"`
	Strength            string `json:"strength"`
	DosageForm          string `json:"dosage_form"`
	Route               string `json:"route"`
	Sig                 string `json:"sig"`
	Quantity            int64  `json:"quantity"`
	DaysSupply          int64  `json:"days_supply"`
	SubstitutionAllowed string `json:"substitution_allowed" db:"enum=yes|no" jsonschema:"enum=yes,enum=no"`
	RefillsAllowed      int64  `json:"refills_allowed"`
	RefillsRemaining    int64  `json:"refills_remaining"`
}

// DispensedItem is one medication handed out in a fill.
type DispensedItem struct {
	MedicationID      string  `json:"medication_id"`
	QuantityDispensed int64   `json:"quantity_dispensed"`
	LotNumber         string  `json:"lot_number"`
	ExpirationDate    string  `json:"expiration_date"`
	Price             float64 `json:"price"`
}

// DispenseInsuranceReversal is a reversed part of an insurance claim.
type DispenseInsuranceReversal struct {
	DateEst string  `json:"date_est"` // YY-MM-DD-HH-MM
	Amount  float64 `json:"amount"`
}

// DispenseInsurance is the insurance claim of a fill.
type DispenseInsurance struct {
	BilledAmount         float64                     `json:"billed_amount"`
	InsurancePaid        float64                     `json:"insurance_paid"`
	PatientCopay         float64                     `json:"patient_copay"`
	PriorAuthorizationID *string                     `json:"prior_authorization_id,omitempty" db:"optional"`
	Reversals            []DispenseInsuranceReversal `json:"reversals"`
}

// Dispense is one fill of a prescription.
type Dispense struct {
	FillID        string            `json:"fill_id"`
	DateFilledEst string            `json:"date_filled_est"` // YY-MM-DD-HH-MM
	PharmacistID  string            `json:"pharmacist_id"`
	Items         []DispensedItem   `json:"items"`
	Insurance     DispenseInsurance `json:"insurance"`
}

// PharmacyPayment is a payment (negative: a refund) on a prescription. Its id is the id of
// a payment method saved on the patient.
type PharmacyPayment struct {
	PaymentID string  `json:"payment_id"`
	Amount    float64 `json:"amount"`
}

// Prescription is a record of the prescriptions table.
//
// Pharmacy, Status and CounselingOffered are assigned without validation by
// transfer_prescription, update_prescription_status and set_counseling_offered, so they
// hold any Python value (a *PharmacyInfo or decoded dict for Pharmacy, normally a string
// for the other two). Status and CounselingOffered still load as strings of their enums.
type Prescription struct {
	PrescriptionID    string            `json:"prescription_id"`
	PatientID         string            `json:"patient_id"`
	Pharmacy          any               `json:"pharmacy"`
	Prescriber        Prescriber        `json:"prescriber"`
	Status            any               `json:"status" db:"type=str,enum=active|filled|on-hold|expired|canceled|transferred"`
	MedicationOrders  []MedicationOrder `json:"medication_orders"`
	CreatedAt         string            `json:"created_at"`
	ExpiresAt         string            `json:"expires_at"`
	Dispenses         []Dispense        `json:"dispenses"`
	PaymentHistory    []PharmacyPayment `json:"payment_history"`
	TotalItems        int64             `json:"total_items"`
	NoncoveredItems   int64             `json:"noncovered_items"`
	CounselingOffered any               `json:"counseling_offered" db:"type=str,enum=yes|no"`
	Notes             string            `json:"notes"`
}

// Prescription statuses.
var statuses = []string{"active", "filled", "on-hold", "expired", "canceled", "transferred"}
