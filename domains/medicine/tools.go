package medicine

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

//go:embed policy.md
var policy string

// The reference's fixed clock: every new record is dated 2024-05-15 15:00 EST.
const (
	today   = "24-05-15"       // YY-MM-DD
	nowTime = "24-05-15-15-00" // YY-MM-DD-HH-MM
)

// newPrescriptionIDs is the reference's fixed pool of ids for created prescriptions.
var newPrescriptionIDs = []string{"RX1001", "RX1002", "RX1003"}

// Domain is the medicine (pharmacy) domain.
var Domain = &domains.Domain{
	Name:     "medicine",
	Toolkit:  "MedicineTools",
	NewDB:    func() domains.DB { return &DB{} },
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "get_patient_details", Kind: domains.Read, Params: patientParams{}, Fn: getPatientDetails,
			Description: "Get a patient's full profile: contact details, insurance, saved payment methods, dependents and prescription ids."},
		{Name: "get_prescription_details", Kind: domains.Read, Params: prescriptionParams{}, Fn: getPrescriptionDetails,
			Description: "Get a prescription in full: pharmacy, prescriber, status, medication orders, fills and payments."},
		{Name: "get_medication_details", Kind: domains.Read, Params: medicationParams{}, Fn: getMedicationDetails,
			Description: "Get a medication's master record: names, strength, route, warnings, storage, dosing, stock batches and pricing."},
		{Name: "list_patient_prescriptions", Kind: domains.Read, Params: patientParams{}, Fn: listPatientPrescriptions,
			Description: "List every prescription of a patient."},
		{Name: "search_medications", Kind: domains.Read, Params: searchParams{}, Fn: searchMedications,
			Description: "Search medications whose brand name, generic name or an indication contains the query (case-insensitive), optionally filtered by prescription requirement, controlled-substance schedule and route."},
		{Name: "check_medication_inventory", Kind: domains.Read, Params: medicationParams{}, Fn: checkMedicationInventory,
			Description: "Summarise a medication's stock: total units over all batches, number of batches and the soonest expiration date."},
		{Name: "update_patient_contact", Kind: domains.Write, Params: updateContactParams{}, Fn: updatePatientContact,
			Description: "Update a patient's email, phone and/or address; only the given fields change."},
		{Name: "update_patient_insurance", Kind: domains.Write, Params: updateInsuranceParams{}, Fn: updatePatientInsurance,
			Description: "Replace a patient's insurance profile."},
		{Name: "add_patient_payment_method", Kind: domains.Write, Params: addPaymentMethodParams{}, Fn: addPatientPaymentMethod,
			Description: "Save a new payment method on a patient's profile."},
		{Name: "remove_patient_payment_method", Kind: domains.Write, Params: removePaymentMethodParams{}, Fn: removePatientPaymentMethod,
			Description: "Remove a saved payment method from a patient's profile."},
		{Name: "create_prescription", Kind: domains.Write, Params: createPrescriptionParams{}, Fn: createPrescription,
			Description: "Create a new active prescription for a patient with its pharmacy, prescriber and medication orders."},
		{Name: "update_prescription_status", Kind: domains.Write, Params: updateStatusParams{}, Fn: updatePrescriptionStatus,
			Description: "Set the status of a prescription (for example on-hold or canceled)."},
		{Name: "transfer_prescription", Kind: domains.Write, Params: transferParams{}, Fn: transferPrescription,
			Description: "Move a prescription to another pharmacy; its status becomes transferred."},
		{Name: "set_counseling_offered", Kind: domains.Write, Params: counselingParams{}, Fn: setCounselingOffered,
			Description: "Record whether counseling was offered for a prescription."},
		{Name: "add_prescription_payment", Kind: domains.Write, Params: addPaymentParams{}, Fn: addPrescriptionPayment,
			Description: "Add a payment to a prescription's payment history; the payment id must be a payment method saved on the patient."},
		{Name: "cancel_prescription", Kind: domains.Write, Params: prescriptionParams{}, Fn: cancelPrescription,
			Description: "Cancel a prescription and refund every non-zero payment with a negative entry. Insurance claims are not reversed."},
		{Name: "fill_prescription", Kind: domains.Write, Params: fillParams{}, Fn: fillPrescription,
			Description: "Record a fill: dispensed items, insurance claim and patient payments. Refills and lot inventory go down and the prescription becomes filled."},
		{Name: "reverse_insurance_claim", Kind: domains.Write, Params: reverseClaimParams{}, Fn: reverseInsuranceClaim,
			Description: "Reverse an insurance claim on a fill, optionally refunding the patient to a saved payment method; the prescription goes on hold."},
		{Name: "transfer_to_human_agents", Kind: domains.Generic, Params: summaryParams{}, Fn: transferToHumanAgents,
			Description: "Transfer the user to a human agent, with a summary of the issue. Only when the request is out of scope for the tools."},
	},
}

func init() { domains.Register(Domain) }

type patientParams struct {
	PatientID string `json:"patient_id" jsonschema:"description=The patient's id."`
}

type prescriptionParams struct {
	PrescriptionID string `json:"prescription_id" jsonschema:"description=The prescription's id."`
}

type medicationParams struct {
	MedicationID string `json:"medication_id" jsonschema:"description=The medication's id."`
}

type searchParams struct {
	Query                string  `json:"query" jsonschema:"description=Text to find in brand names\\, generic names and indications; empty matches every medication."`
	PrescriptionRequired *string `json:"prescription_required,omitempty" jsonschema:"description=Keep only medications with this prescription requirement.,enum=yes,enum=no"`
	ControlledSubstance  *string `json:"controlled_substance,omitempty" jsonschema:"description=Keep only medications of this controlled-substance schedule.,enum=II,enum=III,enum=IV,enum=V,enum=none"`
	Route                *string `json:"route,omitempty" jsonschema:"description=Keep only medications with this route of administration (case-insensitive)."`
}

type updateContactParams struct {
	PatientID string          `json:"patient_id" jsonschema:"description=The patient's id."`
	Email     *string         `json:"email,omitempty" jsonschema:"description=The new email address."`
	Phone     *string         `json:"phone,omitempty" jsonschema:"description=The new phone number."`
	Address   *PatientAddress `json:"address,omitempty" jsonschema:"description=The new address with street\\, city\\, country\\, state and zip."`
}

type updateInsuranceParams struct {
	PatientID string           `json:"patient_id" jsonschema:"description=The patient's id."`
	Insurance PatientInsurance `json:"insurance" jsonschema:"description=The new insurance: provider\\, plan_name\\, member_id\\, group\\, bin and pcn."`
}

type addPaymentMethodParams struct {
	PatientID     string                `json:"patient_id" jsonschema:"description=The patient's id."`
	PaymentMethod MedicinePaymentMethod `json:"payment_method" jsonschema:"description=The payment method: source\\, payment_method_id and extra_info (brand\\, last_four)."`
}

type removePaymentMethodParams struct {
	PatientID       string `json:"patient_id" jsonschema:"description=The patient's id."`
	PaymentMethodID string `json:"payment_method_id" jsonschema:"description=The id of the saved payment method to remove."`
}

type createPrescriptionParams struct {
	PatientID         string            `json:"patient_id" jsonschema:"description=The patient's id."`
	Pharmacy          PharmacyInfo      `json:"pharmacy" jsonschema:"description=The dispensing pharmacy: pharmacy_id\\, name and address."`
	Prescriber        Prescriber        `json:"prescriber" jsonschema:"description=The prescriber: doctor_id\\, name\\, npi and clinic."`
	MedicationOrders  []MedicationOrder `json:"medication_orders" jsonschema:"description=The medication orders\\, every field given."`
	ExpiresAt         string            `json:"expires_at" jsonschema:"description=Expiry date\\, YY-MM-DD."`
	Notes             string            `json:"notes,omitempty" jsonschema:"description=Free-text notes.,default="`
	CounselingOffered string            `json:"counseling_offered,omitempty" jsonschema:"description=Whether counseling was offered.,enum=yes,enum=no,default=no"`
	NoncoveredItems   int64             `json:"noncovered_items,omitempty" jsonschema:"description=Number of items insurance does not cover.,default=0"`
}

type updateStatusParams struct {
	PrescriptionID string `json:"prescription_id" jsonschema:"description=The prescription's id."`
	Status         string `json:"status" jsonschema:"description=The new status.,enum=active,enum=filled,enum=on-hold,enum=expired,enum=canceled,enum=transferred"`
}

type transferParams struct {
	PrescriptionID string       `json:"prescription_id" jsonschema:"description=The prescription's id."`
	NewPharmacy    PharmacyInfo `json:"new_pharmacy" jsonschema:"description=The new pharmacy: pharmacy_id\\, name and address (street\\, city\\, state\\, zip)."`
}

type counselingParams struct {
	PrescriptionID string `json:"prescription_id" jsonschema:"description=The prescription's id."`
	Offered        string `json:"offered" jsonschema:"description=Whether counseling was offered.,enum=yes,enum=no"`
}

type addPaymentParams struct {
	PrescriptionID string          `json:"prescription_id" jsonschema:"description=The prescription's id."`
	Payment        PharmacyPayment `json:"payment" jsonschema:"description=The payment: payment_id (a payment method saved on the patient) and amount."`
}

type fillParams struct {
	PrescriptionID string            `json:"prescription_id" jsonschema:"description=The prescription's id."`
	PharmacistID   string            `json:"pharmacist_id" jsonschema:"description=The dispensing pharmacist's id."`
	Items          []DispensedItem   `json:"items" jsonschema:"description=The dispensed items; lot_number is the key of a batch of the medication."`
	Insurance      DispenseInsurance `json:"insurance" jsonschema:"description=The insurance claim: billed_amount\\, insurance_paid\\, patient_copay\\, optional prior_authorization_id and reversals (usually empty)."`
	Payments       []PharmacyPayment `json:"payments" jsonschema:"description=The patient's payments; they must add up to the copay plus any item price above the billed amount."`
}

type reverseClaimParams struct {
	PrescriptionID    string   `json:"prescription_id" jsonschema:"description=The prescription's id."`
	FillID            string   `json:"fill_id" jsonschema:"description=The fill whose claim is reversed."`
	ReversalAmount    float64  `json:"reversal_amount" jsonschema:"description=The amount of the claim reversed."`
	RefundToPaymentID *string  `json:"refund_to_payment_id,omitempty" jsonschema:"description=A saved payment method to refund the patient to."`
	RefundAmount      *float64 `json:"refund_amount,omitempty" jsonschema:"description=The amount refunded to the patient."`
}

type summaryParams struct {
	Summary string `json:"summary" jsonschema:"description=A summary of the user's issue."`
}

func dbOf(e *domains.Env) *DB { return e.DB.(*DB) }

// findPatient is the reference's _get_patient: a dict lookup by the argument as given.
func findPatient(db *DB, v any) (string, *Patient, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if p, found := db.Patients.Get(k); found {
			return k, p, nil
		}
	}
	return "", nil, fmt.Errorf("Patient %s not found", py.Str(v))
}

// findPrescription is the reference's _get_prescription.
func findPrescription(db *DB, v any) (string, *Prescription, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if rx, found := db.Prescriptions.Get(k); found {
			return k, rx, nil
		}
	}
	return "", nil, fmt.Errorf("Prescription %s not found", py.Str(v))
}

// findMedication is the reference's _get_medication.
func findMedication(db *DB, v any) (string, *Medication, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if m, found := db.Medications.Get(k); found {
			return k, m, nil
		}
	}
	return "", nil, fmt.Errorf("Medication %s not found", py.Str(v))
}

func getPatientDetails(e *domains.Env, a domains.Args) (any, error) {
	_, p, err := findPatient(dbOf(e), a["patient_id"])
	if err != nil {
		return nil, err
	}
	return p, nil
}

func getPrescriptionDetails(e *domains.Env, a domains.Args) (any, error) {
	_, rx, err := findPrescription(dbOf(e), a["prescription_id"])
	if err != nil {
		return nil, err
	}
	return rx, nil
}

func getMedicationDetails(e *domains.Env, a domains.Args) (any, error) {
	_, m, err := findMedication(dbOf(e), a["medication_id"])
	if err != nil {
		return nil, err
	}
	return m, nil
}

func listPatientPrescriptions(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	_, p, err := findPatient(db, a["patient_id"])
	if err != nil {
		return nil, err
	}
	out := make([]*Prescription, 0, len(p.Prescriptions))
	for _, id := range p.Prescriptions {
		_, rx, err := findPrescription(db, id)
		if err != nil {
			return nil, err
		}
		out = append(out, rx)
	}
	return out, nil
}

func searchMedications(e *domains.Env, a domains.Args) (any, error) {
	q, err := strMethod(a["query"], "strip")
	if err != nil {
		return nil, err
	}
	q = strings.ToLower(pyStrip(q))
	required, schedule, route := a["prescription_required"], a["controlled_substance"], a["route"]
	out := []*Medication{}
	for m := range dbOf(e).Medications.Values() {
		if !matchesQuery(m, q) {
			continue
		}
		// The filters are not enum-checked: a truthy value of another type never matches.
		if truthy(required) && !equal(m.PrescriptionRequired, required) {
			continue
		}
		if truthy(schedule) && !equal(m.ControlledSubstanceSchedule, schedule) {
			continue
		}
		if truthy(route) {
			r, err := strMethod(route, "lower") // raised only once a medication gets this far
			if err != nil {
				return nil, err
			}
			if strings.ToLower(m.Route) != strings.ToLower(r) {
				continue
			}
		}
		out = append(out, m)
	}
	return out, nil
}

func matchesQuery(m *Medication, q string) bool {
	if strings.Contains(strings.ToLower(m.BrandName), q) || strings.Contains(strings.ToLower(m.GenericName), q) {
		return true
	}
	for _, ind := range m.Indications {
		if strings.Contains(strings.ToLower(ind), q) {
			return true
		}
	}
	return false
}

func checkMedicationInventory(e *domains.Env, a domains.Args) (any, error) {
	k, m, err := findMedication(dbOf(e), a["medication_id"])
	if err != nil {
		return nil, err
	}
	var total int64
	var soonest any // None when there are no batches
	for b := range m.Batches.Values() {
		total += b.QuantityUnits
		if s, ok := soonest.(string); !ok || b.ExpirationDate < s {
			soonest = b.ExpirationDate // YY-MM-DD compared as text, as the reference does
		}
	}
	// A plain dict: its numbers reach the model as strings.
	return py.NewObject(
		"medication_id", k,
		"brand_name", m.BrandName,
		"generic_name", m.GenericName,
		"total_units", total,
		"num_batches", int64(m.Batches.Len()),
		"soonest_expiration", soonest,
	), nil
}

func updatePatientContact(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, _, err := findPatient(db, a["patient_id"])
	if err != nil {
		return nil, err
	}
	p, _ := db.Patients.Mut(k)
	// Plain assignments, unvalidated. Email and phone are set before the address is
	// validated, so an invalid address leaves them changed (partial mutation).
	if v := a["email"]; v != nil {
		p.Email = v
	}
	if v := a["phone"]; v != nil {
		p.Phone = v
	}
	if v := a["address"]; v != nil {
		if o, ok := v.(*py.Object); ok {
			addr, err := domains.Build[PatientAddress](o)
			if err != nil {
				return nil, err
			}
			p.Address = addr
		} else {
			p.Address = v // a non-dict address is stored as given
		}
	}
	return p, nil
}

func updatePatientInsurance(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, _, err := findPatient(db, a["patient_id"])
	if err != nil {
		return nil, err
	}
	ins := a["insurance"]
	if o, ok := ins.(*py.Object); ok {
		m, err := domains.Build[PatientInsurance](o)
		if err != nil {
			return nil, err
		}
		ins = m
	}
	p, _ := db.Patients.Mut(k)
	p.Insurance = ins // a non-dict value is stored as given
	return p, nil
}

func addPatientPaymentMethod(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, p, err := findPatient(db, a["patient_id"])
	if err != nil {
		return nil, err
	}
	o, ok := a["payment_method"].(*py.Object)
	if !ok {
		return nil, noAttr(a["payment_method"], "payment_method_id")
	}
	pm, err := domains.Build[MedicinePaymentMethod](o)
	if err != nil {
		return nil, err
	}
	if _, exists := p.PaymentMethods.Get(pm.PaymentMethodID); exists {
		return nil, fmt.Errorf("Payment method %s already exists", pm.PaymentMethodID)
	}
	p, _ = db.Patients.Mut(k)
	p.PaymentMethods.Set(pm.PaymentMethodID, pm)
	return p, nil
}

func removePatientPaymentMethod(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, p, err := findPatient(db, a["patient_id"])
	if err != nil {
		return nil, err
	}
	id := a["payment_method_id"]
	pk, ok, err := dictKey(id)
	if err != nil {
		return nil, err
	}
	if ok {
		_, ok = p.PaymentMethods.Get(pk)
	}
	if !ok {
		return nil, fmt.Errorf("Payment method %s not found", py.Str(id))
	}
	p, _ = db.Patients.Mut(k)
	p.PaymentMethods.Delete(pk)
	return p, nil
}

// prescriptionArgs are the Prescription fields create_prescription passes through
// unchecked, validated when the record is built.
type prescriptionArgs struct {
	ExpiresAt         string `json:"expires_at"`
	NoncoveredItems   int64  `json:"noncovered_items"`
	CounselingOffered string `json:"counseling_offered" db:"enum=yes|no"`
	Notes             string `json:"notes"`
}

func createPrescription(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	pk, _, err := findPatient(db, a["patient_id"])
	if err != nil {
		return nil, err
	}
	pharmacy := a["pharmacy"]
	if o, ok := pharmacy.(*py.Object); ok {
		if pharmacy, err = domains.Build[PharmacyInfo](o); err != nil {
			return nil, err
		}
	}
	prescriber := a["prescriber"]
	if o, ok := prescriber.(*py.Object); ok {
		if prescriber, err = domains.Build[Prescriber](o); err != nil {
			return nil, err
		}
	}
	raw, err := iterate(a["medication_orders"])
	if err != nil {
		return nil, err
	}
	orders := make([]MedicationOrder, 0, len(raw))
	validated := allDicts(raw) // a list with any non-dict element is kept as given
	if validated {
		for _, item := range raw {
			mo, err := domains.Build[MedicationOrder](item)
			if err != nil {
				return nil, err
			}
			orders = append(orders, *mo)
		}
	}
	id, err := newPrescriptionID(db)
	if err != nil {
		return nil, err
	}
	if !validated {
		return nil, noAttr(raw[0], "quantity") // summing the quantities fails on the first element
	}
	var total int64
	for _, mo := range orders {
		total += mo.Quantity
	}
	// Building the Prescription validates what was passed through unchecked.
	var errs []domains.FieldError
	pharm, ok := pharmacy.(*PharmacyInfo)
	if !ok {
		errs = append(errs, domains.FieldError{Loc: "pharmacy", Type: "model_type",
			Msg: "Input should be a valid dictionary or instance of PharmacyInfo", Input: pharmacy})
	}
	presc, ok := prescriber.(*Prescriber)
	if !ok {
		errs = append(errs, domains.FieldError{Loc: "prescriber", Type: "model_type",
			Msg: "Input should be a valid dictionary or instance of Prescriber", Input: prescriber})
	}
	rest, err := domains.Build[prescriptionArgs](py.NewObject(
		"expires_at", a["expires_at"],
		"noncovered_items", a["noncovered_items"],
		"counseling_offered", a["counseling_offered"],
		"notes", a["notes"],
	))
	var verr *domains.ValidationError
	if errors.As(err, &verr) {
		errs = append(errs, verr.Errors...)
	}
	if len(errs) > 0 {
		return nil, &domains.ValidationError{Model: "Prescription", Errors: errs}
	}
	rx := &Prescription{
		PrescriptionID:    id,
		PatientID:         pk,
		Pharmacy:          pharm,
		Prescriber:        *presc,
		Status:            "active",
		MedicationOrders:  orders,
		CreatedAt:         today,
		ExpiresAt:         rest.ExpiresAt,
		Dispenses:         []Dispense{},
		PaymentHistory:    []PharmacyPayment{},
		TotalItems:        total,
		NoncoveredItems:   rest.NoncoveredItems,
		CounselingOffered: rest.CounselingOffered,
		Notes:             rest.Notes,
	}
	db.Prescriptions.Put(id, rx)
	p, _ := db.Patients.Mut(pk)
	p.Prescriptions = append(p.Prescriptions, id)
	return rx, nil
}

// newPrescriptionID returns the first free id of the reference's pool of three.
func newPrescriptionID(db *DB) (string, error) {
	for _, id := range newPrescriptionIDs {
		if _, taken := db.Prescriptions.Get(id); !taken {
			return id, nil
		}
	}
	return "", errors.New("Too many prescriptions")
}

func updatePrescriptionStatus(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, _, err := findPrescription(db, a["prescription_id"])
	if err != nil {
		return nil, err
	}
	rx, _ := db.Prescriptions.Mut(k)
	rx.Status = a["status"] // no transition rules and no enum check
	return rx, nil
}

func transferPrescription(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, _, err := findPrescription(db, a["prescription_id"])
	if err != nil {
		return nil, err
	}
	pharmacy := a["new_pharmacy"]
	if o, ok := pharmacy.(*py.Object); ok {
		if pharmacy, err = domains.Build[PharmacyInfo](o); err != nil {
			return nil, err
		}
	}
	rx, _ := db.Prescriptions.Mut(k)
	rx.Pharmacy = pharmacy // a non-dict value is stored as given
	rx.Status = "transferred"
	return rx, nil
}

func setCounselingOffered(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, _, err := findPrescription(db, a["prescription_id"])
	if err != nil {
		return nil, err
	}
	rx, _ := db.Prescriptions.Mut(k)
	rx.CounselingOffered = a["offered"] // not validated
	return rx, nil
}

func addPrescriptionPayment(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, rx, err := findPrescription(db, a["prescription_id"])
	if err != nil {
		return nil, err
	}
	var pay *PharmacyPayment
	if o, ok := a["payment"].(*py.Object); ok {
		if pay, err = domains.Build[PharmacyPayment](o); err != nil {
			return nil, err
		}
	}
	_, p, err := findPatient(db, rx.PatientID)
	if err != nil {
		return nil, err
	}
	if pay == nil {
		return nil, noAttr(a["payment"], "payment_id")
	}
	if _, ok := p.PaymentMethods.Get(pay.PaymentID); !ok {
		return nil, fmt.Errorf("Payment method %s not found for patient", pay.PaymentID)
	}
	rx, _ = db.Prescriptions.Mut(k)
	rx.PaymentHistory = append(rx.PaymentHistory, *pay)
	return rx, nil
}

func cancelPrescription(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, _, err := findPrescription(db, a["prescription_id"])
	if err != nil {
		return nil, err
	}
	rx, _ := db.Prescriptions.Mut(k)
	// Every non-zero entry is mirrored, earlier refunds included, whatever the status.
	var refunds []PharmacyPayment
	for _, p := range rx.PaymentHistory {
		if p.Amount != 0 {
			refunds = append(refunds, PharmacyPayment{PaymentID: p.PaymentID, Amount: -p.Amount})
		}
	}
	rx.PaymentHistory = append(rx.PaymentHistory, refunds...)
	rx.Status = "canceled"
	return rx, nil
}

func fillPrescription(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, rx, err := findPrescription(db, a["prescription_id"])
	if err != nil {
		return nil, err
	}
	var ins *DispenseInsurance
	if o, ok := a["insurance"].(*py.Object); ok {
		if ins, err = domains.Build[DispenseInsurance](o); err != nil {
			return nil, err
		}
	}
	rawItems, err := iterate(a["items"])
	if err != nil {
		return nil, err
	}
	items, err := buildAll[DispensedItem](rawItems)
	if err != nil {
		return nil, err
	}
	rawPays, err := iterate(a["payments"])
	if err != nil {
		return nil, err
	}
	pays, err := buildAll[PharmacyPayment](rawPays)
	if err != nil {
		return nil, err
	}

	if items == nil {
		return nil, noAttr(rawItems[0], "medication_id")
	}
	ordered := map[string]bool{}
	for _, mo := range rx.MedicationOrders {
		ordered[mo.MedicationID] = true
	}
	for _, it := range items {
		if !ordered[it.MedicationID] {
			return nil, fmt.Errorf("Dispensed item medication_id %s not in prescription orders", it.MedicationID)
		}
	}
	_, patient, err := findPatient(db, rx.PatientID)
	if err != nil {
		return nil, err
	}
	if pays == nil {
		return nil, noAttr(rawPays[0], "payment_id")
	}
	for _, p := range pays {
		if _, ok := patient.PaymentMethods.Get(p.PaymentID); !ok {
			return nil, fmt.Errorf("Payment method %s not found for patient", p.PaymentID)
		}
	}

	var price float64
	for _, it := range items {
		price += it.Price
	}
	if ins == nil {
		return nil, noAttr(a["insurance"], "billed_amount")
	}
	uncovered := 0.0 // max(0.0, x) keeps 0.0 unless x is greater
	if d := price - ins.BilledAmount; d > 0 {
		uncovered = d
	}
	expected := py.Round(ins.PatientCopay+uncovered, 2)
	actual, actualText := 0.0, "0" // sum() of no payments is the int 0
	if len(pays) > 0 {
		var sum float64
		for _, p := range pays {
			sum += p.Amount
		}
		actual = py.Round(sum, 2)
		actualText = py.FormatFloat(actual)
	}
	if actual != expected {
		return nil, fmt.Errorf("Payment mismatch: expected %s but got %s", py.FormatFloat(expected), actualText)
	}
	pharmacist, ok := a["pharmacist_id"].(string)
	if !ok { // building the Dispense validates it
		return nil, &domains.ValidationError{Model: "Dispense", Errors: []domains.FieldError{{
			Loc: "pharmacist_id", Type: "string_type", Msg: "Input should be a valid string", Input: a["pharmacist_id"]}}}
	}

	// From here on changes stay even when a later step fails (partial mutation).
	rx, _ = db.Prescriptions.Mut(k)
	rx.Dispenses = append(rx.Dispenses, Dispense{
		FillID:        fmt.Sprintf("FILL%02d", len(rx.Dispenses)+1), // no collision check
		DateFilledEst: nowTime,
		PharmacistID:  pharmacist,
		Items:         items,
		Insurance:     *ins,
	})
	rx.PaymentHistory = append(rx.PaymentHistory, pays...)
	dispensed := map[string]bool{}
	for _, it := range items {
		dispensed[it.MedicationID] = true
	}
	for i := range rx.MedicationOrders {
		if mo := &rx.MedicationOrders[i]; dispensed[mo.MedicationID] && mo.RefillsRemaining > 0 {
			mo.RefillsRemaining--
		}
	}
	for _, it := range items {
		_, med, err := findMedication(db, it.MedicationID)
		if err != nil {
			return nil, err
		}
		// Batches are looked up by their map key, not by their lot_number field.
		b, ok := med.Batches.Get(it.LotNumber)
		if !ok {
			return nil, fmt.Errorf("Lot number %s not found for medication %s", it.LotNumber, it.MedicationID)
		}
		if b.QuantityUnits < it.QuantityDispensed {
			return nil, fmt.Errorf("Insufficient inventory in lot %s for medication %s", it.LotNumber, it.MedicationID)
		}
		med, _ = db.Medications.Mut(it.MedicationID)
		b, _ = med.Batches.Get(it.LotNumber)
		b.QuantityUnits -= it.QuantityDispensed
	}
	rx.Status = "filled"
	return rx, nil
}

// buildAll converts a list argument into models when every element is a dict, as the
// reference does; otherwise it returns nil and the caller meets the raw elements.
func buildAll[T any](raw []any) ([]T, error) {
	if !allDicts(raw) {
		return nil, nil
	}
	out := make([]T, 0, len(raw))
	for _, item := range raw {
		m, err := domains.Build[T](item)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, nil
}

func reverseInsuranceClaim(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	k, rx, err := findPrescription(db, a["prescription_id"])
	if err != nil {
		return nil, err
	}
	fill := -1
	for i, d := range rx.Dispenses {
		if equal(d.FillID, a["fill_id"]) {
			fill = i
			break
		}
	}
	if fill < 0 {
		return nil, fmt.Errorf("Fill %s not found for prescription %s", py.Str(a["fill_id"]), py.Str(a["prescription_id"]))
	}
	rev, err := domains.Build[DispenseInsuranceReversal](py.NewObject("date_est", nowTime, "amount", a["reversal_amount"]))
	if err != nil {
		return nil, err
	}
	rx, _ = db.Prescriptions.Mut(k)
	d := &rx.Dispenses[fill]
	d.Insurance.Reversals = append(d.Insurance.Reversals, *rev)
	// The reversal stays even when the refund below fails (partial mutation).
	if to, amount := a["refund_to_payment_id"], a["refund_amount"]; to != nil && amount != nil {
		_, p, err := findPatient(db, rx.PatientID)
		if err != nil {
			return nil, err
		}
		pk, ok, err := dictKey(to)
		if err != nil {
			return nil, err
		}
		if ok {
			_, ok = p.PaymentMethods.Get(pk)
		}
		if !ok {
			return nil, fmt.Errorf("Payment method %s not found for patient", py.Str(to))
		}
		neg, err := negAbs(amount)
		if err != nil {
			return nil, err
		}
		pay, err := domains.Build[PharmacyPayment](py.NewObject("payment_id", to, "amount", neg))
		if err != nil {
			return nil, err
		}
		rx.PaymentHistory = append(rx.PaymentHistory, *pay)
	}
	rx.Status = "on-hold"
	return rx, nil
}

// negAbs is -abs(v).
func negAbs(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return int64(-1), nil
		}
		return int64(0), nil
	case int64:
		if x > 0 {
			return -x, nil
		}
		if x == math.MinInt64 {
			return new(big.Int).Neg(new(big.Int).Abs(big.NewInt(x))), nil
		}
		return x, nil
	case *big.Int:
		return new(big.Int).Neg(new(big.Int).Abs(x)), nil
	case float64:
		return -math.Abs(x), nil
	}
	return nil, fmt.Errorf("bad operand type for abs(): '%s'", py.TypeName(v))
}

func transferToHumanAgents(*domains.Env, domains.Args) (any, error) {
	return "Transfer successful", nil
}
