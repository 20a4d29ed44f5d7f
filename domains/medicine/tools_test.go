package medicine

import (
	"os"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

// loadFixture decodes testdata/pharmacy.json: four medications (one without stock, one
// nearly empty lot), three patients (PAT0003 lists a prescription that does not exist)
// and three prescriptions (active, filled with a zero payment, on-hold with a reversal).
func loadFixture(t testing.TB) domains.DB {
	t.Helper()
	data, err := os.ReadFile("testdata/pharmacy.json")
	if err != nil {
		t.Fatal(err)
	}
	db, err := domains.Decode(Domain, data)
	if err != nil {
		t.Fatalf("decode fixture: %v", err)
	}
	return db
}

type (
	step     = domaintest.Step
	toolCase = domaintest.ToolCase[*DB]
)

func runCases(t *testing.T, cases []toolCase) {
	domaintest.RunToolCases(t, Domain, loadFixture(t), cases)
}

func patient(t *testing.T, db *DB, id string) *Patient {
	t.Helper()
	p, ok := db.Patients.Get(id)
	if !ok {
		t.Fatalf("patient %s missing", id)
	}
	return p
}

func prescription(t *testing.T, db *DB, id string) *Prescription {
	t.Helper()
	rx, ok := db.Prescriptions.Get(id)
	if !ok {
		t.Fatalf("prescription %s missing", id)
	}
	return rx
}

func units(t *testing.T, db *DB, med, lot string) int64 {
	t.Helper()
	m, ok := db.Medications.Get(med)
	if !ok {
		t.Fatalf("medication %s missing", med)
	}
	b, ok := m.Batches.Get(lot)
	if !ok {
		t.Fatalf("lot %s of %s missing", lot, med)
	}
	return b.QuantityUnits
}

func encoded(t *testing.T, v any) string {
	t.Helper()
	b, err := py.Marshal(v, py.Output)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadTools(t *testing.T) {
	runCases(t, []toolCase{
		{Name: "patient", Call: step{"get_patient_details", `{"patient_id": "PAT0001"}`},
			Want: []string{`{"patient_id": "PAT0001", "name": {"first_name": "Jane"`, `"payment_methods": {"PM-JD1": {`}},
		{Name: "patient unknown", Call: step{"get_patient_details", `{"patient_id": "PAT9999"}`}, Err: "Patient PAT9999 not found"},
		{Name: "patient int id", Call: step{"get_patient_details", `{"patient_id": 1}`}, Err: "Patient 1 not found"},
		{Name: "patient null id", Call: step{"get_patient_details", `{"patient_id": null}`}, Err: "Patient None not found"},
		{Name: "patient list id", Call: step{"get_patient_details", `{"patient_id": ["PAT0001"]}`}, Err: "unhashable type: 'list'"},
		{Name: "patient dict id", Call: step{"get_patient_details", `{"patient_id": {}}`}, Err: "unhashable type: 'dict'"},

		{Name: "prescription", Call: step{"get_prescription_details", `{"prescription_id": "RXC0003"}`},
			Want: []string{`"status": "on-hold"`, `"reversals": [{"date_est": "24-02-10-11-00", "amount": 555.0}]`}},
		{Name: "prescription unknown", Call: step{"get_prescription_details", `{"prescription_id": "RX1001"}`}, Err: "Prescription RX1001 not found"},
		{Name: "prescription float id", Call: step{"get_prescription_details", `{"prescription_id": 2.5}`}, Err: "Prescription 2.5 not found"},

		{Name: "medication", Call: step{"get_medication_details", `{"medication_id": "MEDA001"}`},
			Want: []string{`"pricing": {"wholesale_price": 520.0, "suggested_retail_price": 580.0}`, `"RBX24A": {"lot_number": "JX24A79"`}},
		{Name: "medication unknown", Call: step{"get_medication_details", `{"medication_id": "meda001"}`}, Err: "Medication meda001 not found"},

		{Name: "list", Call: step{"list_patient_prescriptions", `{"patient_id": "PAT0001"}`},
			Want: []string{`[{"prescription_id": "RXA0001"`, `}, {"prescription_id": "RXB0002"`}},
		{Name: "list unknown patient", Call: step{"list_patient_prescriptions", `{"patient_id": "PAT0404"}`}, Err: "Patient PAT0404 not found"},
		{Name: "list dangling prescription", Call: step{"list_patient_prescriptions", `{"patient_id": "PAT0003"}`}, Err: "Prescription RXGONE9 not found"},

		{Name: "inventory", Call: step{"check_medication_inventory", `{"medication_id": "MEDA001"}`},
			Want: []string{`{"medication_id": "MEDA001", "brand_name": "Xarelto", "generic_name": "Rivaroxaban", "total_units": "105", "num_batches": "2", "soonest_expiration": "25-11-30"}`}},
		{Name: "inventory without batches", Call: step{"check_medication_inventory", `{"medication_id": "MEDB002"}`},
			Want: []string{`"total_units": "0", "num_batches": "0", "soonest_expiration": null}`}},
		{Name: "inventory unknown", Call: step{"check_medication_inventory", `{"medication_id": "NOPE"}`}, Err: "Medication NOPE not found"},

		{Name: "transfer to human", Call: step{"transfer_to_human_agents", `{"summary": "wants a refund"}`}, Want: []string{"Transfer successful"}},
	})
}

func TestSearchMedications(t *testing.T) {
	db := loadFixture(t)
	for _, tt := range []struct {
		args string
		want string // ids in order, or the error
	}{
		{`{"query": "xarelto"}`, "MEDA001"},
		{`{"query": "  ALPRAZ "}`, "MEDC003"},                                             // generic name, trimmed and lower-cased
		{`{"query": "\u001cxanax\u001f"}`, "MEDC003"},                                     // str.strip also drops U+001C..U+001F
		{`{"query": "vein"}`, "MEDA001"},                                                  // an indication
		{`{"query": ""}`, "MEDA001 MEDB002 MEDC003 MEDD004"},                              // everything, in file order
		{`{"query": "", "prescription_required": "no"}`, "MEDD004"},                       // filter
		{`{"query": "", "controlled_substance": "IV"}`, "MEDC003"},                        // filter
		{`{"query": "", "route": "ORAL"}`, "MEDA001 MEDC003 MEDD004"},                     // route case-insensitive both sides
		{`{"query": "", "prescription_required": ""}`, "MEDA001 MEDB002 MEDC003 MEDD004"}, // falsy: no filter
		{`{"query": "", "prescription_required": 1}`, ""},                                 // truthy non-str never matches
		{`{"query": "", "controlled_substance": "Schedule IX"}`, ""},                      // not enum-checked
		{`{"query": "nothing"}`, ""},
		{`{"query": "", "route": 5}`, "'int' object has no attribute 'lower'"},
		{`{"query": "nothing", "route": 5}`, ""}, // route is read only for matches
		{`{"query": 99}`, "'int' object has no attribute 'strip'"},
		{`{"query": null}`, "'NoneType' object has no attribute 'strip'"},
	} {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		args, err := py.Parse([]byte(tt.args))
		if err != nil {
			t.Fatal(err)
		}
		r := env.Call("search_medications", args.(*py.Object))
		var got string
		if !r.OK() {
			got = r.Err.Error()
		} else {
			var ids []string
			for _, m := range r.Output.([]*Medication) {
				ids = append(ids, m.MedicationID)
			}
			got = strings.Join(ids, " ")
		}
		if got != tt.want {
			t.Errorf("search_medications(%s) = %q; want %q", tt.args, got, tt.want)
		}
	}
}

func TestPatientTools(t *testing.T) {
	const addr = `{"street": "2 New Rd", "city": "Zürich", "country": "Switzerland", "state": "ZH", "zip": "8001"}`
	runCases(t, []toolCase{
		{Name: "phone only", Call: step{"update_patient_contact", `{"patient_id": "PAT0001", "phone": "555-0000", "email": null}`},
			Check: func(t *testing.T, db *DB) {
				p := patient(t, db, "PAT0001")
				if p.Phone != "555-0000" || p.Email != "jane.doe@example.com" {
					t.Errorf("phone %v, email %v", p.Phone, p.Email)
				}
			}},
		{Name: "address", Call: step{"update_patient_contact", `{"patient_id": "PAT0001", "address": ` + addr + `}`},
			Want: []string{`"address": {"street": "2 New Rd", "city": "Z\u00fcrich", "country": "Switzerland", "state": "ZH", "zip": "8001"}`}},
		{Name: "address not a dict is stored", Call: step{"update_patient_contact", `{"patient_id": "PAT0001", "address": "2 New Rd"}`},
			Want: []string{`"address": "2 New Rd"`}},
		{Name: "email of another type is stored", Call: step{"update_patient_contact", `{"patient_id": "PAT0001", "email": 5}`},
			Want: []string{`"email": 5,`}},
		{Name: "bad address after email and phone", Err: "3 validation errors for PatientAddress",
			Call: step{"update_patient_contact", `{"patient_id": "PAT0001", "email": "new@example.com", "phone": "1", "address": {"street": "x", "city": "y"}}`},
			Check: func(t *testing.T, db *DB) { // partial mutation
				p := patient(t, db, "PAT0001")
				if p.Email != "new@example.com" || p.Phone != "1" {
					t.Errorf("email %v, phone %v: want both changed", p.Email, p.Phone)
				}
				if got := encoded(t, p.Address); !strings.Contains(got, "Maple") {
					t.Errorf("address changed: %s", got)
				}
			}},
		{Name: "contact unknown patient", Call: step{"update_patient_contact", `{"patient_id": "X", "phone": "1"}`}, Err: "Patient X not found"},

		{Name: "insurance", Call: step{"update_patient_insurance", `{"patient_id": "PAT0002", "insurance": {"provider": "Aetna", "plan_name": "Gold", "member_id": "M1", "group": "G", "bin": "1", "pcn": "P", "extra": 1}}`},
			Want: []string{`"insurance": {"provider": "Aetna", "plan_name": "Gold", "member_id": "M1", "group": "G", "bin": "1", "pcn": "P"}`}},
		{Name: "insurance missing field", Call: step{"update_patient_insurance", `{"patient_id": "PAT0002", "insurance": {"provider": "Aetna"}}`},
			Err: "5 validation errors for PatientInsurance",
			Check: func(t *testing.T, db *DB) {
				if got := encoded(t, patient(t, db, "PAT0002").Insurance); !strings.Contains(got, "Cigna") {
					t.Errorf("insurance changed: %s", got)
				}
			}},
		{Name: "insurance null is stored", Call: step{"update_patient_insurance", `{"patient_id": "PAT0002", "insurance": null}`},
			Want: []string{`"insurance": null`}},
		{Name: "insurance unknown patient", Call: step{"update_patient_insurance", `{"patient_id": "X", "insurance": {}}`}, Err: "Patient X not found"},

		{Name: "add method", Call: step{"add_patient_payment_method", `{"patient_id": "PAT0001", "payment_method": {"source": "hsa_card", "payment_method_id": "PM-NEW", "extra_info": {}}}`},
			Want: []string{`"PM-JD1": {`, `}, "PM-NEW": {"source": "hsa_card", "payment_method_id": "PM-NEW", "extra_info": {"brand": null, "last_four": null}}}`}},
		{Name: "add method twice", Call: step{"add_patient_payment_method", `{"patient_id": "PAT0001", "payment_method": {"source": "credit_card", "payment_method_id": "PM-JD1", "extra_info": {}}}`},
			Err: "Payment method PM-JD1 already exists"},
		{Name: "add method without extra_info", Call: step{"add_patient_payment_method", `{"patient_id": "PAT0001", "payment_method": {"source": "credit_card", "payment_method_id": "PM-2"}}`},
			Err: "1 validation error for MedicinePaymentMethod"},
		{Name: "add method not a dict", Call: step{"add_patient_payment_method", `{"patient_id": "PAT0001", "payment_method": "PM-2"}`},
			Err: "'str' object has no attribute 'payment_method_id'"},
		{Name: "add method unknown patient", Call: step{"add_patient_payment_method", `{"patient_id": "X", "payment_method": {}}`}, Err: "Patient X not found"},

		{Name: "remove method", Call: step{"remove_patient_payment_method", `{"patient_id": "PAT0002", "payment_method_id": "PM-JR1"}`},
			Check: func(t *testing.T, db *DB) {
				if keys := patient(t, db, "PAT0002").PaymentMethods.Keys(); len(keys) != 1 || keys[0] != "PM-JR2" {
					t.Errorf("payment methods %v; want [PM-JR2]", keys)
				}
			}},
		{Name: "remove unknown method", Call: step{"remove_patient_payment_method", `{"patient_id": "PAT0002", "payment_method_id": "PM-JD1"}`},
			Err: "Payment method PM-JD1 not found"},
		{Name: "remove method list id", Call: step{"remove_patient_payment_method", `{"patient_id": "PAT0002", "payment_method_id": []}`},
			Err: "unhashable type: 'list'"},
		{Name: "remove method unknown patient", Call: step{"remove_patient_payment_method", `{"patient_id": "X", "payment_method_id": "PM-JR1"}`},
			Err: "Patient X not found"},
	})
}

const (
	pharmacyArg   = `{"pharmacy_id": "PHARM-9", "name": "Corner Drug & Co", "address": {"street": "1 Main", "city": "Boston", "state": "MA", "zip": "02118"}}`
	prescriberArg = `{"doctor_id": "DOC-9", "name": {"first_name": "Ana", "last_name": "Silva"}, "npi": "1555555555", "clinic": "Central"}`
	orderArg      = `{"medication_id": "MEDA001", "brand_name": "Xarelto", "generic_name": "Rivaroxaban", "strength": "20 mg", "dosage_form": "tablet", "route": "oral", "sig": "daily", "quantity": "30", "days_supply": 30, "substitution_allowed": "yes", "refills_allowed": 1, "refills_remaining": 1}`
)

func create(patientID, orders, extra string) step {
	return step{"create_prescription", `{"patient_id": "` + patientID + `", "pharmacy": ` + pharmacyArg + `, "prescriber": ` + prescriberArg +
		`, "medication_orders": ` + orders + `, "expires_at": "25-05-15"` + extra + `}`}
}

func TestCreatePrescription(t *testing.T) {
	ok := create("PAT0002", `[`+orderArg+`, `+orderArg+`]`, `, "noncovered_items": 2.0`)
	runCases(t, []toolCase{
		{Name: "create", Call: ok,
			Want: []string{`{"prescription_id": "RX1001", "patient_id": "PAT0002", "pharmacy": {"pharmacy_id": "PHARM-9"`,
				`"status": "active"`, `"created_at": "24-05-15", "expires_at": "25-05-15", "dispenses": [], "payment_history": [], "total_items": 60, "noncovered_items": 2, "counseling_offered": "no", "notes": ""}`},
			Check: func(t *testing.T, db *DB) {
				if got := patient(t, db, "PAT0002").Prescriptions; len(got) != 2 || got[1] != "RX1001" {
					t.Errorf("patient prescriptions %v", got)
				}
				if keys := db.Prescriptions.Keys(); keys[len(keys)-1] != "RX1001" {
					t.Errorf("RX1001 not appended: %v", keys)
				}
			}},
		{Name: "ids run out", Setup: []step{ok, ok, ok}, Call: ok, Err: "Too many prescriptions"},
		{Name: "third id", Setup: []step{ok, ok}, Call: ok, Want: []string{`"prescription_id": "RX1003"`}},
		{Name: "no orders", Call: create("PAT0002", `[]`, ``), Want: []string{`"medication_orders": []`, `"total_items": 0`}},
		{Name: "unknown patient", Call: create("PAT0404", `[]`, ``), Err: "Patient PAT0404 not found"},
		{Name: "bad order", Call: create("PAT0002", `[{"medication_id": "MEDA001"}]`, ``), Err: "11 validation errors for MedicationOrder"},
		{Name: "order not a dict", Call: create("PAT0002", `["MEDA001"]`, ``), Err: "'str' object has no attribute 'quantity'",
			Check: func(t *testing.T, db *DB) {
				if _, ok := db.Prescriptions.Get("RX1001"); ok {
					t.Error("prescription stored")
				}
			}},
		{Name: "orders not iterable", Call: create("PAT0002", `7`, ``), Err: "'int' object is not iterable"},
		{Name: "orders run out before sum", Setup: []step{ok, ok, ok}, Call: create("PAT0002", `["x"]`, ``), Err: "Too many prescriptions"},
		{Name: "pharmacy not a dict", Call: step{"create_prescription", `{"patient_id": "PAT0002", "pharmacy": null, "prescriber": ` + prescriberArg +
			`, "medication_orders": [], "expires_at": "25-05-15"}`}, Err: "1 validation error for Prescription"},
		{Name: "bad pharmacy dict", Call: step{"create_prescription", `{"patient_id": "PAT0002", "pharmacy": {"name": "x"}, "prescriber": ` + prescriberArg +
			`, "medication_orders": [], "expires_at": "25-05-15"}`}, Err: "2 validation errors for PharmacyInfo"},
		{Name: "bad counseling and expiry", Call: create("PAT0002", `[]`, `, "counseling_offered": "maybe", "notes": 3`),
			Err: "2 validation errors for Prescription"},
	})
}

func TestPrescriptionTools(t *testing.T) {
	runCases(t, []toolCase{
		{Name: "status", Call: step{"update_prescription_status", `{"prescription_id": "RXB0002", "status": "whatever"}`},
			Want: []string{`"status": "whatever"`}}, // no enum check
		{Name: "status unknown", Call: step{"update_prescription_status", `{"prescription_id": "X", "status": "active"}`}, Err: "Prescription X not found"},

		{Name: "transfer", Call: step{"transfer_prescription", `{"prescription_id": "RXB0002", "new_pharmacy": ` + pharmacyArg + `}`},
			Want: []string{`"pharmacy": {"pharmacy_id": "PHARM-9", "name": "Corner Drug & Co"`, `"status": "transferred"`}},
		{Name: "transfer bad pharmacy", Call: step{"transfer_prescription", `{"prescription_id": "RXB0002", "new_pharmacy": {"pharmacy_id": "P", "name": "N"}}`},
			Err: "1 validation error for PharmacyInfo",
			Check: func(t *testing.T, db *DB) {
				if s := prescription(t, db, "RXB0002").Status; s != "filled" {
					t.Errorf("status %v", s)
				}
			}},
		{Name: "transfer raw pharmacy", Call: step{"transfer_prescription", `{"prescription_id": "RXB0002", "new_pharmacy": "PHARM-9"}`},
			Want: []string{`"pharmacy": "PHARM-9"`}},
		{Name: "transfer unknown", Call: step{"transfer_prescription", `{"prescription_id": "X", "new_pharmacy": {}}`}, Err: "Prescription X not found"},

		{Name: "counseling", Call: step{"set_counseling_offered", `{"prescription_id": "RXA0001", "offered": "yes"}`},
			Want: []string{`"counseling_offered": "yes"`}},
		{Name: "counseling bool", Call: step{"set_counseling_offered", `{"prescription_id": "RXA0001", "offered": true}`},
			Want: []string{`"counseling_offered": true`}},
		{Name: "counseling unknown", Call: step{"set_counseling_offered", `{"prescription_id": "X", "offered": "no"}`}, Err: "Prescription X not found"},

		{Name: "payment", Call: step{"add_prescription_payment", `{"prescription_id": "RXA0001", "payment": {"payment_id": "PM-JD1", "amount": 12}}`},
			Want: []string{`"payment_history": [{"payment_id": "PM-JD1", "amount": 12.0}]`}},
		{Name: "payment other patient's method", Call: step{"add_prescription_payment", `{"prescription_id": "RXA0001", "payment": {"payment_id": "PM-JR1", "amount": 1.0}}`},
			Err: "Payment method PM-JR1 not found for patient"},
		{Name: "payment bad amount", Call: step{"add_prescription_payment", `{"prescription_id": "RXA0001", "payment": {"payment_id": "PM-JD1", "amount": "a lot"}}`},
			Err: "1 validation error for PharmacyPayment"},
		{Name: "payment not a dict", Call: step{"add_prescription_payment", `{"prescription_id": "RXA0001", "payment": 12}`},
			Err: "'int' object has no attribute 'payment_id'"},
		{Name: "payment unknown prescription", Call: step{"add_prescription_payment", `{"prescription_id": "X", "payment": {}}`}, Err: "Prescription X not found"},

		{Name: "cancel", Call: step{"cancel_prescription", `{"prescription_id": "RXB0002"}`},
			Want: []string{`"payment_history": [{"payment_id": "PM-JD1", "amount": 10.0}, {"payment_id": "PM-JD1", "amount": 0.0}, {"payment_id": "PM-JD1", "amount": -10.0}]`,
				`"status": "canceled"`}},
		{Name: "cancel twice", Setup: []step{{"cancel_prescription", `{"prescription_id": "RXC0003"}`}},
			Call: step{"cancel_prescription", `{"prescription_id": "RXC0003"}`},
			Check: func(t *testing.T, db *DB) {
				var amounts []float64
				for _, p := range prescription(t, db, "RXC0003").PaymentHistory {
					amounts = append(amounts, p.Amount)
				}
				want := []float64{25, -5, -25, 5, -25, 5, 25, -5} // earlier refunds turn positive again
				if encoded(t, amounts) != encoded(t, want) {
					t.Errorf("payments %v; want %v", amounts, want)
				}
			}},
		{Name: "cancel unknown", Call: step{"cancel_prescription", `{"prescription_id": "X"}`}, Err: "Prescription X not found"},
	})
}

const (
	item30    = `{"medication_id": "MEDA001", "quantity_dispensed": 30, "lot_number": "RBX24A", "expiration_date": "26-03-14", "price": 580.0}`
	insurance = `{"billed_amount": 500.0, "insurance_paid": 480.0, "patient_copay": 20.0, "reversals": []}`
)

func fill(items, ins, payments string) step {
	return step{"fill_prescription", `{"prescription_id": "RXA0001", "pharmacist_id": "RPH-1", "items": ` + items +
		`, "insurance": ` + ins + `, "payments": ` + payments + `}`}
}

// unfilled checks that a failed fill left the prescription and the stock alone.
func unfilled(t *testing.T, db *DB) {
	rx := prescription(t, db, "RXA0001")
	if len(rx.Dispenses) != 0 || len(rx.PaymentHistory) != 0 || rx.MedicationOrders[0].RefillsRemaining != 2 || rx.Status != "active" {
		t.Errorf("prescription changed: %s", encoded(t, rx))
	}
	if n := units(t, db, "MEDA001", "RBX24A"); n != 100 {
		t.Errorf("stock %d; want 100", n)
	}
}

// partlyFilled checks the changes a fill keeps when a lot check fails.
func partlyFilled(t *testing.T, db *DB) {
	rx := prescription(t, db, "RXA0001")
	if len(rx.Dispenses) != 1 || rx.Dispenses[0].FillID != "FILL01" || len(rx.PaymentHistory) != 2 {
		t.Errorf("dispense and payment not kept: %s", encoded(t, rx))
	}
	if rx.MedicationOrders[0].RefillsRemaining != 1 {
		t.Errorf("refills %d; want 1", rx.MedicationOrders[0].RefillsRemaining)
	}
	if rx.Status != "active" {
		t.Errorf("status %v; want active", rx.Status)
	}
}

func TestFillPrescription(t *testing.T) {
	pay100 := `[{"payment_id": "PM-JD1", "amount": 60.0}, {"payment_id": "PM-JD1", "amount": 40}]`
	runCases(t, []toolCase{
		{Name: "fill", Call: fill(`[`+item30+`]`, insurance, pay100),
			Want: []string{`"dispenses": [{"fill_id": "FILL01", "date_filled_est": "24-05-15-15-00", "pharmacist_id": "RPH-1", "items": [` + item30 + `], "insurance": {"billed_amount": 500.0, "insurance_paid": 480.0, "patient_copay": 20.0, "prior_authorization_id": null, "reversals": []}}]`,
				`"payment_history": [{"payment_id": "PM-JD1", "amount": 60.0}, {"payment_id": "PM-JD1", "amount": 40.0}]`, `"status": "filled"`, `"refills_remaining": 1}`},
			Check: func(t *testing.T, db *DB) {
				if n := units(t, db, "MEDA001", "RBX24A"); n != 70 {
					t.Errorf("stock %d; want 70", n)
				}
			}},
		{Name: "second fill id", Setup: []step{fill(`[`+item30+`]`, insurance, pay100)}, Call: fill(`[`+item30+`]`, insurance, pay100),
			Want: []string{`"fill_id": "FILL02"`, `"refills_remaining": 0}`}},
		{Name: "refills stop at zero", Setup: []step{fill(`[`+item30+`]`, insurance, pay100), fill(`[`+item30+`]`, insurance, pay100)},
			Call: fill(`[`+item30+`]`, insurance, pay100), Want: []string{`"fill_id": "FILL03"`, `"refills_remaining": 0}`},
			Check: func(t *testing.T, db *DB) {
				if n := units(t, db, "MEDA001", "RBX24A"); n != 10 {
					t.Errorf("stock %d; want 10", n)
				}
			}},
		{Name: "mismatch", Call: fill(`[`+item30+`]`, insurance, `[{"payment_id": "PM-JD1", "amount": 99}]`),
			Err: "Payment mismatch: expected 100.0 but got 99.0", Check: unfilled},
		{Name: "no payments", Call: fill(`[`+item30+`]`, insurance, `[]`),
			Err: "Payment mismatch: expected 100.0 but got 0", Check: unfilled},
		{Name: "no items", Call: fill(`[]`, insurance, `[{"payment_id": "PM-JD1", "amount": 20}]`),
			Want: []string{`"items": []`, `"status": "filled"`}},
		{Name: "medication not ordered", Call: fill(`[`+strings.Replace(item30, "MEDA001", "MEDC003", 1)+`]`, insurance, pay100),
			Err: "Dispensed item medication_id MEDC003 not in prescription orders", Check: unfilled},
		{Name: "method not saved", Call: fill(`[`+item30+`]`, insurance, `[{"payment_id": "PM-JR1", "amount": 100}]`),
			Err: "Payment method PM-JR1 not found for patient", Check: unfilled},
		{Name: "lot number instead of batch key", Call: fill(`[`+strings.Replace(item30, "RBX24A", "JX24A79", 1)+`]`, insurance, pay100),
			Err: "Lot number JX24A79 not found for medication MEDA001", Check: partlyFilled},
		{Name: "lot too small", Call: fill(`[`+strings.Replace(item30, "RBX24A", "RBX24B", 1)+`]`, insurance, pay100),
			Err: "Insufficient inventory in lot RBX24B for medication MEDA001",
			Check: func(t *testing.T, db *DB) {
				partlyFilled(t, db)
				if n := units(t, db, "MEDA001", "RBX24B"); n != 5 {
					t.Errorf("stock %d; want 5", n)
				}
			}},
		{Name: "second item fails after the first is taken",
			Call: fill(`[`+item30+`, `+strings.Replace(item30, "RBX24A", "RBX24B", 1)+`]`, `{"billed_amount": 1160, "insurance_paid": 1140, "patient_copay": 20, "reversals": []}`,
				`[{"payment_id": "PM-JD1", "amount": 20}]`),
			Err: "Insufficient inventory in lot RBX24B for medication MEDA001",
			Check: func(t *testing.T, db *DB) {
				if n := units(t, db, "MEDA001", "RBX24A"); n != 70 {
					t.Errorf("first lot %d; want 70", n)
				}
			}},
		{Name: "unknown prescription", Call: step{"fill_prescription", `{"prescription_id": "X", "pharmacist_id": "R", "items": [], "insurance": {}, "payments": []}`},
			Err: "Prescription X not found"},
		{Name: "insurance without reversals", Call: fill(`[`+item30+`]`, `{"billed_amount": 500, "insurance_paid": 480, "patient_copay": 20}`, pay100),
			Err: "1 validation error for DispenseInsurance", Check: unfilled},
		{Name: "bad item", Call: fill(`[{"medication_id": "MEDA001"}]`, insurance, pay100),
			Err: "4 validation errors for DispensedItem", Check: unfilled},
		{Name: "items not iterable", Call: fill(`5`, insurance, pay100), Err: "'int' object is not iterable"},
		{Name: "item not a dict", Call: fill(`["MEDA001"]`, insurance, pay100), Err: "'str' object has no attribute 'medication_id'"},
		{Name: "payment not a dict", Call: fill(`[`+item30+`]`, insurance, `[100]`), Err: "'int' object has no attribute 'payment_id'"},
		{Name: "insurance not a dict", Call: fill(`[`+item30+`]`, `null`, pay100), Err: "'NoneType' object has no attribute 'billed_amount'"},
		{Name: "pharmacist not a string", Call: step{"fill_prescription", `{"prescription_id": "RXA0001", "pharmacist_id": 7, "items": [` + item30 +
			`], "insurance": ` + insurance + `, "payments": ` + pay100 + `}`}, Err: "1 validation error for Dispense", Check: unfilled},
	})
}

func TestReverseInsuranceClaim(t *testing.T) {
	claim := func(extra string) step {
		return step{"reverse_insurance_claim", `{"prescription_id": "RXB0002", "fill_id": "FILL-0001", "reversal_amount": 23` + extra + `}`}
	}
	reversals := func(t *testing.T, db *DB) []DispenseInsuranceReversal {
		return prescription(t, db, "RXB0002").Dispenses[0].Insurance.Reversals
	}
	runCases(t, []toolCase{
		{Name: "reverse with refund", Call: claim(`, "refund_to_payment_id": "PM-JD1", "refund_amount": 10`),
			Want: []string{`"reversals": [{"date_est": "24-05-15-15-00", "amount": 23.0}]`,
				`{"payment_id": "PM-JD1", "amount": -10.0}]`, `"status": "on-hold"`}},
		{Name: "refund amount is negated once", Call: claim(`, "refund_to_payment_id": "PM-JD1", "refund_amount": -4.5`),
			Want: []string{`{"payment_id": "PM-JD1", "amount": -4.5}]`}},
		{Name: "reverse without refund", Call: claim(`, "refund_amount": 10`),
			Check: func(t *testing.T, db *DB) {
				rx := prescription(t, db, "RXB0002")
				if len(rx.PaymentHistory) != 2 || rx.Status != "on-hold" || len(reversals(t, db)) != 1 {
					t.Errorf("got %s", encoded(t, rx))
				}
			}},
		{Name: "fill unknown", Call: step{"reverse_insurance_claim", `{"prescription_id": "RXB0002", "fill_id": "FILL01", "reversal_amount": 1}`},
			Err: "Fill FILL01 not found for prescription RXB0002"},
		{Name: "fill id of another type", Call: step{"reverse_insurance_claim", `{"prescription_id": "RXB0002", "fill_id": 1, "reversal_amount": 1}`},
			Err: "Fill 1 not found for prescription RXB0002"},
		{Name: "prescription unknown", Call: step{"reverse_insurance_claim", `{"prescription_id": "X", "fill_id": "FILL-0001", "reversal_amount": 1}`},
			Err: "Prescription X not found"},
		{Name: "bad amount", Call: claim(`.5, "reversal_amount": null`), Err: "1 validation error for DispenseInsuranceReversal",
			Check: func(t *testing.T, db *DB) {
				if len(reversals(t, db)) != 0 {
					t.Error("reversal stored")
				}
			}},
		{Name: "refund to unsaved method", Call: claim(`, "refund_to_payment_id": "PM-JR1", "refund_amount": 10`),
			Err: "Payment method PM-JR1 not found for patient",
			Check: func(t *testing.T, db *DB) { // partial mutation: the reversal stays
				rx := prescription(t, db, "RXB0002")
				if len(reversals(t, db)) != 1 || rx.Status != "filled" || len(rx.PaymentHistory) != 2 {
					t.Errorf("got %s", encoded(t, rx))
				}
			}},
		{Name: "refund amount not a number", Call: claim(`, "refund_to_payment_id": "PM-JD1", "refund_amount": "10"`),
			Err: "bad operand type for abs(): 'str'"},
	})
}

func TestToolMetadata(t *testing.T) {
	if len(Domain.Tools) != 19 {
		t.Errorf("%d tools; want 19", len(Domain.Tools))
	}
	kinds := map[domains.Kind]int{}
	for _, tool := range Domain.Tools {
		kinds[tool.Kind]++
	}
	if kinds[domains.Read] != 6 || kinds[domains.Write] != 12 || kinds[domains.Generic] != 1 {
		t.Errorf("kinds %v; want 6 READ, 12 WRITE, 1 GENERIC", kinds)
	}
	// Defaults are those of the reference signatures.
	env := domains.NewEnv(Domain, loadFixture(t), domains.DefaultNow)
	r := env.Call("create_prescription", py.NewObject("patient_id", "PAT0001", "pharmacy", mustParse(t, pharmacyArg),
		"prescriber", mustParse(t, prescriberArg), "medication_orders", []any{}, "expires_at", "25-01-01"))
	if !r.OK() || !strings.Contains(r.Content, `"noncovered_items": 0, "counseling_offered": "no", "notes": ""}`) {
		t.Errorf("defaults: %s", r.Content)
	}
}

func mustParse(t *testing.T, s string) any {
	t.Helper()
	v, err := py.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestDecodeChecksTypes checks that the fields tools may fill with any value still load
// only with their declared types and enums.
func TestDecodeChecksTypes(t *testing.T) {
	data, err := os.ReadFile("testdata/pharmacy.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ from, to, want string }{
		{`"email": "jane.doe@example.com"`, `"email": 5`, "patients.PAT0001.email: Input should be a valid string"},
		{`"status": "active"`, `"status": "bogus"`, "prescriptions.RXA0001.status: Input should be 'active', 'filled', 'on-hold', 'expired', 'canceled' or 'transferred'"},
		{`"counseling_offered": "no", "notes": ""`, `"counseling_offered": true, "notes": ""`, "prescriptions.RXA0001.counseling_offered: Input should be 'yes' or 'no'"},
		{`"quantity_units": 100`, `"quantity_units": 1.5`, "medications.MEDA001.batches.RBX24A.quantity_units: Input should be a valid integer"},
	} {
		in := strings.Replace(string(data), tt.from, tt.to, 1)
		if in == string(data) {
			t.Fatalf("fixture lacks %s", tt.from)
		}
		_, err := domains.Decode(Domain, []byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Decode with %s = %v; want %q", tt.to, err, tt.want)
		}
	}
}
