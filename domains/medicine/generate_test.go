package medicine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

func generated(t testing.TB, seed int64, scale int) *DB {
	t.Helper()
	db, err := Generate(domains.Rand(seed, "medicine", 0, "db"), scale)
	if err != nil {
		t.Fatal(err)
	}
	return db.(*DB)
}

// asModel validates a field stored as any (a dict on load, a model when generated).
func asModel[T any](t *testing.T, v any) *T {
	t.Helper()
	raw, err := py.Marshal(v, py.Output)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := py.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	m, err := domains.Build[T](parsed)
	if err != nil {
		t.Errorf("%s does not validate: %v", raw, err)
	}
	return m
}

func TestGeneratedConsistent(t *testing.T) {
	for _, scale := range []int{1, 3} {
		t.Run(fmt.Sprint("scale", scale), func(t *testing.T) {
			db := generated(t, 11, scale)
			for name, n := range map[string]int{"medications": db.Medications.Len(), "patients": db.Patients.Len(), "prescriptions": db.Prescriptions.Len()} {
				if n != 90*scale {
					t.Errorf("%d %s; want %d", n, name, 90*scale)
				}
			}
			seen := map[string]bool{}
			emptyLot, noStock := false, false
			for id, m := range db.Medications.All() {
				seen["schedule "+m.ControlledSubstanceSchedule] = true
				seen["rx "+m.PrescriptionRequired] = true
				seen["route "+m.Route] = true
				for _, img := range m.Images {
					seen["view "+img.View] = true
				}
				if id != m.MedicationID {
					t.Errorf("medication key %s holds %s", id, m.MedicationID)
				}
				noStock = noStock || m.Batches.Len() == 0
				for key, b := range m.Batches.All() {
					if key == b.LotNumber {
						t.Errorf("batch key %s equals its lot number", key)
					}
					emptyLot = emptyLot || b.QuantityUnits < 16
				}
			}
			twoMethods := false
			for id, p := range db.Patients.All() {
				asModel[PatientAddress](t, p.Address)
				asModel[PatientInsurance](t, p.Insurance)
				twoMethods = twoMethods || p.PaymentMethods.Len() > 1
				for _, rxID := range p.Prescriptions {
					rx, ok := db.Prescriptions.Get(rxID)
					if !ok || rx.PatientID != id {
						t.Errorf("patient %s lists prescription %s of %v", id, rxID, rx)
					}
				}
			}
			for id, rx := range db.Prescriptions.All() {
				if strings.HasPrefix(id, "RX1") {
					t.Errorf("prescription id %s could collide with created ones", id)
				}
				seen["status "+rx.Status.(string)] = true
				asModel[PharmacyInfo](t, rx.Pharmacy)
				p, ok := db.Patients.Get(rx.PatientID)
				if !ok {
					t.Fatalf("prescription %s of unknown patient %s", id, rx.PatientID)
				}
				ordered := map[string]bool{}
				for _, mo := range rx.MedicationOrders {
					if _, ok := db.Medications.Get(mo.MedicationID); !ok {
						t.Errorf("prescription %s orders unknown medication %s", id, mo.MedicationID)
					}
					if mo.RefillsRemaining > mo.RefillsAllowed || mo.RefillsRemaining < 0 {
						t.Errorf("prescription %s: %d of %d refills left", id, mo.RefillsRemaining, mo.RefillsAllowed)
					}
					ordered[mo.MedicationID] = true
				}
				if (rx.Status == "active") != (len(rx.Dispenses) == 0) {
					t.Errorf("prescription %s is %v with %d fills", id, rx.Status, len(rx.Dispenses))
				}
				for _, d := range rx.Dispenses {
					for _, it := range d.Items {
						if !ordered[it.MedicationID] {
							t.Errorf("fill %s dispenses %s, not ordered", d.FillID, it.MedicationID)
						}
					}
					ins := d.Insurance
					if py.Round(ins.InsurancePaid+ins.PatientCopay, 2) != ins.BilledAmount {
						t.Errorf("fill %s: paid %v + copay %v != billed %v", d.FillID, ins.InsurancePaid, ins.PatientCopay, ins.BilledAmount)
					}
				}
				for _, pay := range rx.PaymentHistory {
					if _, ok := p.PaymentMethods.Get(pay.PaymentID); !ok {
						t.Errorf("prescription %s paid with %s, not saved on %s", id, pay.PaymentID, p.PatientID)
					}
				}
			}
			for _, want := range []string{"schedule II", "schedule III", "schedule IV", "schedule V", "schedule none",
				"rx yes", "rx no", "view front", "view back", "route oral", "route inhalation", "route subcutaneous",
				"route topical", "route ophthalmic", "route IV", "route IV/IM", "route nasal"} {
				if !seen[want] {
					t.Errorf("no medication with %s", want)
				}
			}
			for _, s := range statuses {
				if !seen["status "+s] {
					t.Errorf("no prescription %s", s)
				}
			}
			if !emptyLot || !noStock || !twoMethods {
				t.Errorf("edge states missing: nearly empty lot %v, medication without stock %v, patient with two methods %v", emptyLot, noStock, twoMethods)
			}
		})
	}
}

// TestGeneratedWriteTools runs every WRITE tool successfully on a generated database, and
// each of their data-dependent preconditions into its error.
func TestGeneratedWriteTools(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		db := generated(t, seed, 1)
		var active, filled *Prescription
		var batch string
		for rx := range db.Prescriptions.Values() {
			if rx.Status == "filled" && filled == nil {
				filled = rx
			}
			if rx.Status != "active" || active != nil {
				continue
			}
			m, _ := db.Medications.Get(rx.MedicationOrders[0].MedicationID)
			for key, b := range m.Batches.All() {
				if b.QuantityUnits >= rx.MedicationOrders[0].Quantity && len(rx.MedicationOrders) == 1 {
					active, batch = rx, key
					break
				}
			}
		}
		if active == nil || filled == nil {
			t.Fatalf("seed %d: no fillable active prescription or no filled one", seed)
		}
		p, _ := db.Patients.Get(active.PatientID)
		pm := p.PaymentMethods.Keys()[0]
		fp, _ := db.Patients.Get(filled.PatientID)
		fpm := fp.PaymentMethods.Keys()[0]
		mo := active.MedicationOrders[0]
		item := fmt.Sprintf(`{"medication_id": %q, "quantity_dispensed": %d, "lot_number": %q, "expiration_date": "26-01-01", "price": 42.5}`,
			mo.MedicationID, mo.Quantity, batch)
		pharmacy := `{"pharmacy_id": "PHARM-X", "name": "Wellness Rx", "address": {"street": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701"}}`
		calls := []step{
			{"update_patient_contact", fmt.Sprintf(`{"patient_id": %q, "phone": "555-0100"}`, p.PatientID)},
			{"update_patient_insurance", fmt.Sprintf(`{"patient_id": %q, "insurance": {"provider": "Aetna", "plan_name": "PPO", "member_id": "A1", "group": "G", "bin": "610591", "pcn": "ADV"}}`, p.PatientID)},
			{"add_patient_payment_method", fmt.Sprintf(`{"patient_id": %q, "payment_method": {"source": "credit_card", "payment_method_id": "PM-NEW-1", "extra_info": {"brand": "Visa", "last_four": "1111"}}}`, p.PatientID)},
			{"remove_patient_payment_method", fmt.Sprintf(`{"patient_id": %q, "payment_method_id": %q}`, p.PatientID, pm)},
			{"create_prescription", fmt.Sprintf(`{"patient_id": %q, "pharmacy": %s, "prescriber": {"doctor_id": "D", "name": {"first_name": "A", "last_name": "B"}, "npi": "1", "clinic": "C"}, "medication_orders": [%s], "expires_at": "25-05-15"}`,
				p.PatientID, pharmacy, encodedDumps(t, mo))},
			{"update_prescription_status", fmt.Sprintf(`{"prescription_id": %q, "status": "on-hold"}`, active.PrescriptionID)},
			{"transfer_prescription", fmt.Sprintf(`{"prescription_id": %q, "new_pharmacy": %s}`, active.PrescriptionID, pharmacy)},
			{"set_counseling_offered", fmt.Sprintf(`{"prescription_id": %q, "offered": "yes"}`, active.PrescriptionID)},
			{"add_prescription_payment", fmt.Sprintf(`{"prescription_id": %q, "payment": {"payment_id": %q, "amount": 5.0}}`, active.PrescriptionID, pm)},
			{"cancel_prescription", fmt.Sprintf(`{"prescription_id": %q}`, filled.PrescriptionID)},
			{"fill_prescription", fmt.Sprintf(`{"prescription_id": %q, "pharmacist_id": "RPH-9", "items": [%s], "insurance": {"billed_amount": 40.0, "insurance_paid": 30.0, "patient_copay": 10.0, "reversals": []}, "payments": [{"payment_id": %q, "amount": 12.5}]}`,
				active.PrescriptionID, item, pm)},
			{"reverse_insurance_claim", fmt.Sprintf(`{"prescription_id": %q, "fill_id": %q, "reversal_amount": 10.0, "refund_to_payment_id": %q, "refund_amount": 2.0}`,
				filled.PrescriptionID, filled.Dispenses[0].FillID, fpm)},
		}
		tested := map[string]bool{}
		for _, c := range calls {
			if err := Domain.Tool(c.Name()).Validate(mustParse(t, c.Args()).(*py.Object)); err != nil {
				t.Errorf("seed %d: %s arguments do not fit the schema: %v", seed, c.Name(), err)
			}
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			if r := domaintest.Call(t, env, c); !r.OK() {
				t.Errorf("seed %d: %s failed: %v", seed, c.Name(), r.Err)
			}
			tested[c.Name()] = true
		}
		for _, tool := range Domain.Tools {
			if tool.Kind == domains.Write && !tested[tool.Name] {
				t.Errorf("WRITE tool %s not exercised", tool.Name)
			}
		}
		// Data-dependent failures the generated records allow.
		var lowLot, lowMed string
		for m := range db.Medications.Values() {
			for key, b := range m.Batches.All() {
				if b.QuantityUnits < 16 {
					lowMed, lowLot = m.MedicationID, key
				}
			}
		}
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		r := domaintest.Call(t, env, step{"add_patient_payment_method", fmt.Sprintf(`{"patient_id": %q, "payment_method": {"source": "credit_card", "payment_method_id": %q, "extra_info": {}}}`, p.PatientID, pm)})
		if want := "Payment method " + pm + " already exists"; r.OK() || r.Err.Error() != want {
			t.Errorf("seed %d: duplicate method: %s; want %s", seed, r.Content, want)
		}
		if lowMed == "" {
			t.Fatalf("seed %d: no nearly empty lot", seed)
		}
		m, _ := db.Medications.Get(lowMed)
		rx := fmt.Sprintf(`{"patient_id": %q, "pharmacy": %s, "prescriber": {"doctor_id": "D", "name": {"first_name": "A", "last_name": "B"}, "npi": "1", "clinic": "C"}, "medication_orders": [{"medication_id": %q, "brand_name": %q, "generic_name": "g", "strength": "s", "dosage_form": "f", "route": "r", "sig": "s", "quantity": 30, "days_supply": 30, "substitution_allowed": "no", "refills_allowed": 0, "refills_remaining": 0}], "expires_at": "25-05-15"}`,
			p.PatientID, pharmacy, lowMed, m.BrandName)
		domaintest.Call(t, env, step{"create_prescription", rx})
		r = domaintest.Call(t, env, step{"fill_prescription", fmt.Sprintf(`{"prescription_id": "RX1001", "pharmacist_id": "RPH-9", "items": [{"medication_id": %q, "quantity_dispensed": 30, "lot_number": %q, "expiration_date": "26-01-01", "price": 1.0}], "insurance": {"billed_amount": 1.0, "insurance_paid": 1.0, "patient_copay": 0.0, "reversals": []}, "payments": []}`, lowMed, lowLot)})
		if want := fmt.Sprintf("Insufficient inventory in lot %s for medication %s", lowLot, lowMed); r.OK() || r.Err.Error() != want {
			t.Errorf("seed %d: fill from a nearly empty lot: %s; want %s", seed, r.Content, want)
		}
	}
}

func encodedDumps(t *testing.T, v any) string {
	t.Helper()
	b, err := py.Marshal(v, py.Dumps)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(domains.Rand(1, "medicine", 0, "db"), 1); err != nil {
			b.Fatal(err)
		}
	}
}
