package medicine

import (
	"os"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
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

type step struct{ name, args string }

func run(t *testing.T, env *domains.Env, s step) domains.Result {
	t.Helper()
	args, err := py.Parse([]byte(s.args))
	if err != nil {
		t.Fatalf("arguments of %s: %v", s.name, err)
	}
	return env.Call(s.name, args.(*py.Object))
}

type toolCase struct {
	name  string
	setup []step // calls that must succeed first
	call  step
	// err is the exact error text; a text ending in "for <Model>" is a pydantic
	// validation error of which only the first line is compared.
	err   string
	want  []string // substrings of the content of a successful call
	check func(t *testing.T, db *DB)
}

func runCases(t *testing.T, cases []toolCase) {
	t.Helper()
	base := loadFixture(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := domains.NewEnv(Domain, base, domains.DefaultNow)
			for _, s := range tc.setup {
				if r := run(t, env, s); !r.OK() {
					t.Fatalf("setup %s: %v", s.name, r.Err)
				}
			}
			r := run(t, env, tc.call)
			switch {
			case tc.err != "" && r.OK():
				t.Fatalf("%s succeeded with %s; want error %q", tc.call.name, r.Content, tc.err)
			case tc.err == "" && !r.OK():
				t.Fatalf("%s failed: %v", tc.call.name, r.Err)
			case tc.err != "":
				got := r.Err.Error()
				if strings.Contains(tc.err, " validation error") {
					got, _, _ = strings.Cut(got, "\n")
				}
				if got != tc.err {
					t.Errorf("error = %q; want %q", got, tc.err)
				}
				if r.Content != "Error: "+r.Err.Error() {
					t.Errorf("content = %q; want the error behind \"Error: \"", r.Content)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Content, w) {
					t.Errorf("content lacks %s:\n%s", w, r.Content)
				}
			}
			if tc.check != nil {
				tc.check(t, env.DB.(*DB))
			}
		})
	}
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
		{name: "patient", call: step{"get_patient_details", `{"patient_id": "PAT0001"}`},
			want: []string{`{"patient_id": "PAT0001", "name": {"first_name": "Jane"`, `"payment_methods": {"PM-JD1": {`}},
		{name: "patient unknown", call: step{"get_patient_details", `{"patient_id": "PAT9999"}`}, err: "Patient PAT9999 not found"},
		{name: "patient int id", call: step{"get_patient_details", `{"patient_id": 1}`}, err: "Patient 1 not found"},
		{name: "patient null id", call: step{"get_patient_details", `{"patient_id": null}`}, err: "Patient None not found"},
		{name: "patient list id", call: step{"get_patient_details", `{"patient_id": ["PAT0001"]}`}, err: "unhashable type: 'list'"},
		{name: "patient dict id", call: step{"get_patient_details", `{"patient_id": {}}`}, err: "unhashable type: 'dict'"},

		{name: "prescription", call: step{"get_prescription_details", `{"prescription_id": "RXC0003"}`},
			want: []string{`"status": "on-hold"`, `"reversals": [{"date_est": "24-02-10-11-00", "amount": 555.0}]`}},
		{name: "prescription unknown", call: step{"get_prescription_details", `{"prescription_id": "RX1001"}`}, err: "Prescription RX1001 not found"},
		{name: "prescription float id", call: step{"get_prescription_details", `{"prescription_id": 2.5}`}, err: "Prescription 2.5 not found"},

		{name: "medication", call: step{"get_medication_details", `{"medication_id": "MEDA001"}`},
			want: []string{`"pricing": {"wholesale_price": 520.0, "suggested_retail_price": 580.0}`, `"RBX24A": {"lot_number": "JX24A79"`}},
		{name: "medication unknown", call: step{"get_medication_details", `{"medication_id": "meda001"}`}, err: "Medication meda001 not found"},

		{name: "list", call: step{"list_patient_prescriptions", `{"patient_id": "PAT0001"}`},
			want: []string{`[{"prescription_id": "RXA0001"`, `}, {"prescription_id": "RXB0002"`}},
		{name: "list unknown patient", call: step{"list_patient_prescriptions", `{"patient_id": "PAT0404"}`}, err: "Patient PAT0404 not found"},
		{name: "list dangling prescription", call: step{"list_patient_prescriptions", `{"patient_id": "PAT0003"}`}, err: "Prescription RXGONE9 not found"},

		{name: "inventory", call: step{"check_medication_inventory", `{"medication_id": "MEDA001"}`},
			want: []string{`{"medication_id": "MEDA001", "brand_name": "Xarelto", "generic_name": "Rivaroxaban", "total_units": "105", "num_batches": "2", "soonest_expiration": "25-11-30"}`}},
		{name: "inventory without batches", call: step{"check_medication_inventory", `{"medication_id": "MEDB002"}`},
			want: []string{`"total_units": "0", "num_batches": "0", "soonest_expiration": null}`}},
		{name: "inventory unknown", call: step{"check_medication_inventory", `{"medication_id": "NOPE"}`}, err: "Medication NOPE not found"},

		{name: "transfer to human", call: step{"transfer_to_human_agents", `{"summary": "wants a refund"}`}, want: []string{"Transfer successful"}},
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
		{name: "phone only", call: step{"update_patient_contact", `{"patient_id": "PAT0001", "phone": "555-0000", "email": null}`},
			check: func(t *testing.T, db *DB) {
				p := patient(t, db, "PAT0001")
				if p.Phone != "555-0000" || p.Email != "jane.doe@example.com" {
					t.Errorf("phone %v, email %v", p.Phone, p.Email)
				}
			}},
		{name: "address", call: step{"update_patient_contact", `{"patient_id": "PAT0001", "address": ` + addr + `}`},
			want: []string{`"address": {"street": "2 New Rd", "city": "Z\u00fcrich", "country": "Switzerland", "state": "ZH", "zip": "8001"}`}},
		{name: "address not a dict is stored", call: step{"update_patient_contact", `{"patient_id": "PAT0001", "address": "2 New Rd"}`},
			want: []string{`"address": "2 New Rd"`}},
		{name: "email of another type is stored", call: step{"update_patient_contact", `{"patient_id": "PAT0001", "email": 5}`},
			want: []string{`"email": 5,`}},
		{name: "bad address after email and phone", err: "3 validation errors for PatientAddress",
			call: step{"update_patient_contact", `{"patient_id": "PAT0001", "email": "new@example.com", "phone": "1", "address": {"street": "x", "city": "y"}}`},
			check: func(t *testing.T, db *DB) { // partial mutation
				p := patient(t, db, "PAT0001")
				if p.Email != "new@example.com" || p.Phone != "1" {
					t.Errorf("email %v, phone %v: want both changed", p.Email, p.Phone)
				}
				if got := encoded(t, p.Address); !strings.Contains(got, "Maple") {
					t.Errorf("address changed: %s", got)
				}
			}},
		{name: "contact unknown patient", call: step{"update_patient_contact", `{"patient_id": "X", "phone": "1"}`}, err: "Patient X not found"},

		{name: "insurance", call: step{"update_patient_insurance", `{"patient_id": "PAT0002", "insurance": {"provider": "Aetna", "plan_name": "Gold", "member_id": "M1", "group": "G", "bin": "1", "pcn": "P", "extra": 1}}`},
			want: []string{`"insurance": {"provider": "Aetna", "plan_name": "Gold", "member_id": "M1", "group": "G", "bin": "1", "pcn": "P"}`}},
		{name: "insurance missing field", call: step{"update_patient_insurance", `{"patient_id": "PAT0002", "insurance": {"provider": "Aetna"}}`},
			err: "5 validation errors for PatientInsurance",
			check: func(t *testing.T, db *DB) {
				if got := encoded(t, patient(t, db, "PAT0002").Insurance); !strings.Contains(got, "Cigna") {
					t.Errorf("insurance changed: %s", got)
				}
			}},
		{name: "insurance null is stored", call: step{"update_patient_insurance", `{"patient_id": "PAT0002", "insurance": null}`},
			want: []string{`"insurance": null`}},
		{name: "insurance unknown patient", call: step{"update_patient_insurance", `{"patient_id": "X", "insurance": {}}`}, err: "Patient X not found"},

		{name: "add method", call: step{"add_patient_payment_method", `{"patient_id": "PAT0001", "payment_method": {"source": "hsa_card", "payment_method_id": "PM-NEW", "extra_info": {}}}`},
			want: []string{`"PM-JD1": {`, `}, "PM-NEW": {"source": "hsa_card", "payment_method_id": "PM-NEW", "extra_info": {"brand": null, "last_four": null}}}`}},
		{name: "add method twice", call: step{"add_patient_payment_method", `{"patient_id": "PAT0001", "payment_method": {"source": "credit_card", "payment_method_id": "PM-JD1", "extra_info": {}}}`},
			err: "Payment method PM-JD1 already exists"},
		{name: "add method without extra_info", call: step{"add_patient_payment_method", `{"patient_id": "PAT0001", "payment_method": {"source": "credit_card", "payment_method_id": "PM-2"}}`},
			err: "1 validation error for MedicinePaymentMethod"},
		{name: "add method not a dict", call: step{"add_patient_payment_method", `{"patient_id": "PAT0001", "payment_method": "PM-2"}`},
			err: "'str' object has no attribute 'payment_method_id'"},
		{name: "add method unknown patient", call: step{"add_patient_payment_method", `{"patient_id": "X", "payment_method": {}}`}, err: "Patient X not found"},

		{name: "remove method", call: step{"remove_patient_payment_method", `{"patient_id": "PAT0002", "payment_method_id": "PM-JR1"}`},
			check: func(t *testing.T, db *DB) {
				if keys := patient(t, db, "PAT0002").PaymentMethods.Keys(); len(keys) != 1 || keys[0] != "PM-JR2" {
					t.Errorf("payment methods %v; want [PM-JR2]", keys)
				}
			}},
		{name: "remove unknown method", call: step{"remove_patient_payment_method", `{"patient_id": "PAT0002", "payment_method_id": "PM-JD1"}`},
			err: "Payment method PM-JD1 not found"},
		{name: "remove method list id", call: step{"remove_patient_payment_method", `{"patient_id": "PAT0002", "payment_method_id": []}`},
			err: "unhashable type: 'list'"},
		{name: "remove method unknown patient", call: step{"remove_patient_payment_method", `{"patient_id": "X", "payment_method_id": "PM-JR1"}`},
			err: "Patient X not found"},
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
		{name: "create", call: ok,
			want: []string{`{"prescription_id": "RX1001", "patient_id": "PAT0002", "pharmacy": {"pharmacy_id": "PHARM-9"`,
				`"status": "active"`, `"created_at": "24-05-15", "expires_at": "25-05-15", "dispenses": [], "payment_history": [], "total_items": 60, "noncovered_items": 2, "counseling_offered": "no", "notes": ""}`},
			check: func(t *testing.T, db *DB) {
				if got := patient(t, db, "PAT0002").Prescriptions; len(got) != 2 || got[1] != "RX1001" {
					t.Errorf("patient prescriptions %v", got)
				}
				if keys := db.Prescriptions.Keys(); keys[len(keys)-1] != "RX1001" {
					t.Errorf("RX1001 not appended: %v", keys)
				}
			}},
		{name: "ids run out", setup: []step{ok, ok, ok}, call: ok, err: "Too many prescriptions"},
		{name: "third id", setup: []step{ok, ok}, call: ok, want: []string{`"prescription_id": "RX1003"`}},
		{name: "no orders", call: create("PAT0002", `[]`, ``), want: []string{`"medication_orders": []`, `"total_items": 0`}},
		{name: "unknown patient", call: create("PAT0404", `[]`, ``), err: "Patient PAT0404 not found"},
		{name: "bad order", call: create("PAT0002", `[{"medication_id": "MEDA001"}]`, ``), err: "11 validation errors for MedicationOrder"},
		{name: "order not a dict", call: create("PAT0002", `["MEDA001"]`, ``), err: "'str' object has no attribute 'quantity'",
			check: func(t *testing.T, db *DB) {
				if _, ok := db.Prescriptions.Get("RX1001"); ok {
					t.Error("prescription stored")
				}
			}},
		{name: "orders not iterable", call: create("PAT0002", `7`, ``), err: "'int' object is not iterable"},
		{name: "orders run out before sum", setup: []step{ok, ok, ok}, call: create("PAT0002", `["x"]`, ``), err: "Too many prescriptions"},
		{name: "pharmacy not a dict", call: step{"create_prescription", `{"patient_id": "PAT0002", "pharmacy": null, "prescriber": ` + prescriberArg +
			`, "medication_orders": [], "expires_at": "25-05-15"}`}, err: "1 validation error for Prescription"},
		{name: "bad pharmacy dict", call: step{"create_prescription", `{"patient_id": "PAT0002", "pharmacy": {"name": "x"}, "prescriber": ` + prescriberArg +
			`, "medication_orders": [], "expires_at": "25-05-15"}`}, err: "2 validation errors for PharmacyInfo"},
		{name: "bad counseling and expiry", call: create("PAT0002", `[]`, `, "counseling_offered": "maybe", "notes": 3`),
			err: "2 validation errors for Prescription"},
	})
}

func TestPrescriptionTools(t *testing.T) {
	runCases(t, []toolCase{
		{name: "status", call: step{"update_prescription_status", `{"prescription_id": "RXB0002", "status": "whatever"}`},
			want: []string{`"status": "whatever"`}}, // no enum check
		{name: "status unknown", call: step{"update_prescription_status", `{"prescription_id": "X", "status": "active"}`}, err: "Prescription X not found"},

		{name: "transfer", call: step{"transfer_prescription", `{"prescription_id": "RXB0002", "new_pharmacy": ` + pharmacyArg + `}`},
			want: []string{`"pharmacy": {"pharmacy_id": "PHARM-9", "name": "Corner Drug & Co"`, `"status": "transferred"`}},
		{name: "transfer bad pharmacy", call: step{"transfer_prescription", `{"prescription_id": "RXB0002", "new_pharmacy": {"pharmacy_id": "P", "name": "N"}}`},
			err: "1 validation error for PharmacyInfo",
			check: func(t *testing.T, db *DB) {
				if s := prescription(t, db, "RXB0002").Status; s != "filled" {
					t.Errorf("status %v", s)
				}
			}},
		{name: "transfer raw pharmacy", call: step{"transfer_prescription", `{"prescription_id": "RXB0002", "new_pharmacy": "PHARM-9"}`},
			want: []string{`"pharmacy": "PHARM-9"`}},
		{name: "transfer unknown", call: step{"transfer_prescription", `{"prescription_id": "X", "new_pharmacy": {}}`}, err: "Prescription X not found"},

		{name: "counseling", call: step{"set_counseling_offered", `{"prescription_id": "RXA0001", "offered": "yes"}`},
			want: []string{`"counseling_offered": "yes"`}},
		{name: "counseling bool", call: step{"set_counseling_offered", `{"prescription_id": "RXA0001", "offered": true}`},
			want: []string{`"counseling_offered": true`}},
		{name: "counseling unknown", call: step{"set_counseling_offered", `{"prescription_id": "X", "offered": "no"}`}, err: "Prescription X not found"},

		{name: "payment", call: step{"add_prescription_payment", `{"prescription_id": "RXA0001", "payment": {"payment_id": "PM-JD1", "amount": 12}}`},
			want: []string{`"payment_history": [{"payment_id": "PM-JD1", "amount": 12.0}]`}},
		{name: "payment other patient's method", call: step{"add_prescription_payment", `{"prescription_id": "RXA0001", "payment": {"payment_id": "PM-JR1", "amount": 1.0}}`},
			err: "Payment method PM-JR1 not found for patient"},
		{name: "payment bad amount", call: step{"add_prescription_payment", `{"prescription_id": "RXA0001", "payment": {"payment_id": "PM-JD1", "amount": "a lot"}}`},
			err: "1 validation error for PharmacyPayment"},
		{name: "payment not a dict", call: step{"add_prescription_payment", `{"prescription_id": "RXA0001", "payment": 12}`},
			err: "'int' object has no attribute 'payment_id'"},
		{name: "payment unknown prescription", call: step{"add_prescription_payment", `{"prescription_id": "X", "payment": {}}`}, err: "Prescription X not found"},

		{name: "cancel", call: step{"cancel_prescription", `{"prescription_id": "RXB0002"}`},
			want: []string{`"payment_history": [{"payment_id": "PM-JD1", "amount": 10.0}, {"payment_id": "PM-JD1", "amount": 0.0}, {"payment_id": "PM-JD1", "amount": -10.0}]`,
				`"status": "canceled"`}},
		{name: "cancel twice", setup: []step{{"cancel_prescription", `{"prescription_id": "RXC0003"}`}},
			call: step{"cancel_prescription", `{"prescription_id": "RXC0003"}`},
			check: func(t *testing.T, db *DB) {
				var amounts []float64
				for _, p := range prescription(t, db, "RXC0003").PaymentHistory {
					amounts = append(amounts, p.Amount)
				}
				want := []float64{25, -5, -25, 5, -25, 5, 25, -5} // earlier refunds turn positive again
				if encoded(t, amounts) != encoded(t, want) {
					t.Errorf("payments %v; want %v", amounts, want)
				}
			}},
		{name: "cancel unknown", call: step{"cancel_prescription", `{"prescription_id": "X"}`}, err: "Prescription X not found"},
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
		{name: "fill", call: fill(`[`+item30+`]`, insurance, pay100),
			want: []string{`"dispenses": [{"fill_id": "FILL01", "date_filled_est": "24-05-15-15-00", "pharmacist_id": "RPH-1", "items": [` + item30 + `], "insurance": {"billed_amount": 500.0, "insurance_paid": 480.0, "patient_copay": 20.0, "prior_authorization_id": null, "reversals": []}}]`,
				`"payment_history": [{"payment_id": "PM-JD1", "amount": 60.0}, {"payment_id": "PM-JD1", "amount": 40.0}]`, `"status": "filled"`, `"refills_remaining": 1}`},
			check: func(t *testing.T, db *DB) {
				if n := units(t, db, "MEDA001", "RBX24A"); n != 70 {
					t.Errorf("stock %d; want 70", n)
				}
			}},
		{name: "second fill id", setup: []step{fill(`[`+item30+`]`, insurance, pay100)}, call: fill(`[`+item30+`]`, insurance, pay100),
			want: []string{`"fill_id": "FILL02"`, `"refills_remaining": 0}`}},
		{name: "refills stop at zero", setup: []step{fill(`[`+item30+`]`, insurance, pay100), fill(`[`+item30+`]`, insurance, pay100)},
			call: fill(`[`+item30+`]`, insurance, pay100), want: []string{`"fill_id": "FILL03"`, `"refills_remaining": 0}`},
			check: func(t *testing.T, db *DB) {
				if n := units(t, db, "MEDA001", "RBX24A"); n != 10 {
					t.Errorf("stock %d; want 10", n)
				}
			}},
		{name: "mismatch", call: fill(`[`+item30+`]`, insurance, `[{"payment_id": "PM-JD1", "amount": 99}]`),
			err: "Payment mismatch: expected 100.0 but got 99.0", check: unfilled},
		{name: "no payments", call: fill(`[`+item30+`]`, insurance, `[]`),
			err: "Payment mismatch: expected 100.0 but got 0", check: unfilled},
		{name: "no items", call: fill(`[]`, insurance, `[{"payment_id": "PM-JD1", "amount": 20}]`),
			want: []string{`"items": []`, `"status": "filled"`}},
		{name: "medication not ordered", call: fill(`[`+strings.Replace(item30, "MEDA001", "MEDC003", 1)+`]`, insurance, pay100),
			err: "Dispensed item medication_id MEDC003 not in prescription orders", check: unfilled},
		{name: "method not saved", call: fill(`[`+item30+`]`, insurance, `[{"payment_id": "PM-JR1", "amount": 100}]`),
			err: "Payment method PM-JR1 not found for patient", check: unfilled},
		{name: "lot number instead of batch key", call: fill(`[`+strings.Replace(item30, "RBX24A", "JX24A79", 1)+`]`, insurance, pay100),
			err: "Lot number JX24A79 not found for medication MEDA001", check: partlyFilled},
		{name: "lot too small", call: fill(`[`+strings.Replace(item30, "RBX24A", "RBX24B", 1)+`]`, insurance, pay100),
			err: "Insufficient inventory in lot RBX24B for medication MEDA001",
			check: func(t *testing.T, db *DB) {
				partlyFilled(t, db)
				if n := units(t, db, "MEDA001", "RBX24B"); n != 5 {
					t.Errorf("stock %d; want 5", n)
				}
			}},
		{name: "second item fails after the first is taken",
			call: fill(`[`+item30+`, `+strings.Replace(item30, "RBX24A", "RBX24B", 1)+`]`, `{"billed_amount": 1160, "insurance_paid": 1140, "patient_copay": 20, "reversals": []}`,
				`[{"payment_id": "PM-JD1", "amount": 20}]`),
			err: "Insufficient inventory in lot RBX24B for medication MEDA001",
			check: func(t *testing.T, db *DB) {
				if n := units(t, db, "MEDA001", "RBX24A"); n != 70 {
					t.Errorf("first lot %d; want 70", n)
				}
			}},
		{name: "unknown prescription", call: step{"fill_prescription", `{"prescription_id": "X", "pharmacist_id": "R", "items": [], "insurance": {}, "payments": []}`},
			err: "Prescription X not found"},
		{name: "insurance without reversals", call: fill(`[`+item30+`]`, `{"billed_amount": 500, "insurance_paid": 480, "patient_copay": 20}`, pay100),
			err: "1 validation error for DispenseInsurance", check: unfilled},
		{name: "bad item", call: fill(`[{"medication_id": "MEDA001"}]`, insurance, pay100),
			err: "4 validation errors for DispensedItem", check: unfilled},
		{name: "items not iterable", call: fill(`5`, insurance, pay100), err: "'int' object is not iterable"},
		{name: "item not a dict", call: fill(`["MEDA001"]`, insurance, pay100), err: "'str' object has no attribute 'medication_id'"},
		{name: "payment not a dict", call: fill(`[`+item30+`]`, insurance, `[100]`), err: "'int' object has no attribute 'payment_id'"},
		{name: "insurance not a dict", call: fill(`[`+item30+`]`, `null`, pay100), err: "'NoneType' object has no attribute 'billed_amount'"},
		{name: "pharmacist not a string", call: step{"fill_prescription", `{"prescription_id": "RXA0001", "pharmacist_id": 7, "items": [` + item30 +
			`], "insurance": ` + insurance + `, "payments": ` + pay100 + `}`}, err: "1 validation error for Dispense", check: unfilled},
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
		{name: "reverse with refund", call: claim(`, "refund_to_payment_id": "PM-JD1", "refund_amount": 10`),
			want: []string{`"reversals": [{"date_est": "24-05-15-15-00", "amount": 23.0}]`,
				`{"payment_id": "PM-JD1", "amount": -10.0}]`, `"status": "on-hold"`}},
		{name: "refund amount is negated once", call: claim(`, "refund_to_payment_id": "PM-JD1", "refund_amount": -4.5`),
			want: []string{`{"payment_id": "PM-JD1", "amount": -4.5}]`}},
		{name: "reverse without refund", call: claim(`, "refund_amount": 10`),
			check: func(t *testing.T, db *DB) {
				rx := prescription(t, db, "RXB0002")
				if len(rx.PaymentHistory) != 2 || rx.Status != "on-hold" || len(reversals(t, db)) != 1 {
					t.Errorf("got %s", encoded(t, rx))
				}
			}},
		{name: "fill unknown", call: step{"reverse_insurance_claim", `{"prescription_id": "RXB0002", "fill_id": "FILL01", "reversal_amount": 1}`},
			err: "Fill FILL01 not found for prescription RXB0002"},
		{name: "fill id of another type", call: step{"reverse_insurance_claim", `{"prescription_id": "RXB0002", "fill_id": 1, "reversal_amount": 1}`},
			err: "Fill 1 not found for prescription RXB0002"},
		{name: "prescription unknown", call: step{"reverse_insurance_claim", `{"prescription_id": "X", "fill_id": "FILL-0001", "reversal_amount": 1}`},
			err: "Prescription X not found"},
		{name: "bad amount", call: claim(`.5, "reversal_amount": null`), err: "1 validation error for DispenseInsuranceReversal",
			check: func(t *testing.T, db *DB) {
				if len(reversals(t, db)) != 0 {
					t.Error("reversal stored")
				}
			}},
		{name: "refund to unsaved method", call: claim(`, "refund_to_payment_id": "PM-JR1", "refund_amount": 10`),
			err: "Payment method PM-JR1 not found for patient",
			check: func(t *testing.T, db *DB) { // partial mutation: the reversal stays
				rx := prescription(t, db, "RXB0002")
				if len(reversals(t, db)) != 1 || rx.Status != "filled" || len(rx.PaymentHistory) != 2 {
					t.Errorf("got %s", encoded(t, rx))
				}
			}},
		{name: "refund amount not a number", call: claim(`, "refund_to_payment_id": "PM-JD1", "refund_amount": "10"`),
			err: "bad operand type for abs(): 'str'"},
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
