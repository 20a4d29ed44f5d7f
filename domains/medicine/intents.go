package medicine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the pharmacy's task templates. Together they use every WRITE tool; the
// read-only ones ask for facts the agent must pass on, and two have a refusal or a
// hand-off as their correct outcome.
var intents = []*domains.Intent{
	{Name: "drug_facts", Draft: draftDrugFacts},
	{Name: "stock_check", Draft: draftStockCheck},
	{Name: "prescription_status", Draft: draftPrescriptionStatus},
	{Name: "update_contact", Draft: draftUpdateContact},
	{Name: "update_insurance", Draft: draftUpdateInsurance},
	{Name: "add_card", Draft: draftAddCard},
	{Name: "new_card_then_pay", Draft: draftNewCardThenPay},
	{Name: "pay_with_saved_card", Draft: draftPayWithSavedCard},
	{Name: "remove_card", Draft: draftRemoveCard},
	{Name: "new_prescription", Draft: draftNewPrescription},
	{Name: "hold_or_resume", Draft: draftHoldOrResume},
	{Name: "transfer_pharmacy", Draft: draftTransferPharmacy},
	{Name: "record_counseling", Draft: draftRecordCounseling},
	{Name: "cancel_prescription", Draft: draftCancelPrescription},
	{Name: "fill_prescription", Draft: draftFillPrescription},
	{Name: "reverse_claim", Draft: draftReverseClaim},
	{Name: "refund_refused", Draft: draftRefundRefused},
	{Name: "out_of_scope", Draft: draftOutOfScope},
}

// transferMessage is the text the policy makes the agent send after a hand-off.
const transferMessage = "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON."

// asObject returns a record field stored as any (a decoded dict, or a model the tools or
// the generator stored) as a dict.
func asObject(v any) *py.Object {
	switch x := v.(type) {
	case *py.Object:
		return x
	case *PatientAddress: // the common models, without a round trip through JSON
		return py.NewObject("street", x.Street, "city", x.City, "country", x.Country, "state", x.State, "zip", x.Zip)
	case *PatientInsurance:
		return py.NewObject("provider", x.Provider, "plan_name", x.PlanName, "member_id", x.MemberID,
			"group", x.Group, "bin", x.BIN, "pcn", x.PCN)
	case *PharmacyInfo:
		return py.NewObject("pharmacy_id", x.PharmacyID, "name", x.Name, "address", py.NewObject(
			"street", x.Address.Street, "city", x.Address.City, "state", x.Address.State, "zip", x.Address.Zip))
	}
	raw, err := py.Marshal(v, py.Output)
	if err != nil {
		return nil
	}
	parsed, err := py.Parse(raw)
	if err != nil {
		return nil
	}
	o, _ := parsed.(*py.Object)
	return o
}

// field returns the string at path in o, or "" when it is missing or not a string.
func field(o *py.Object, path ...string) string {
	var v any = o
	for _, k := range path {
		obj, ok := v.(*py.Object)
		if !ok {
			return ""
		}
		v, _ = obj.Get(k)
	}
	s, _ := v.(string)
	return s
}

func fullName(p *Patient) string { return p.Name.FirstName + " " + p.Name.LastName }

func medName(m *Medication) string { return m.BrandName + " " + m.Strength }

func statusOf(rx *Prescription) string { return py.Str(rx.Status) }

// patientsOf returns the patients a draft may be for: the environment's subject alone when
// it has one, else every patient.
func patientsOf(env *domains.Env) []*Patient {
	db := dbOf(env)
	if env.Subject == "" {
		return slices.Collect(db.Patients.Values())
	}
	if p, ok := db.Patients.Get(env.Subject); ok && p.PatientID == env.Subject {
		return []*Patient{p}
	}
	return nil
}

// prescriptionsOf returns the patient's prescriptions that exist, in the patient's order.
func (db *DB) prescriptionsOf(p *Patient) []*Prescription {
	var out []*Prescription
	for _, id := range p.Prescriptions {
		if rx, ok := db.Prescriptions.Get(id); ok {
			out = append(out, rx)
		}
	}
	return out
}

// A holding is a prescription with its patient.
type holding struct {
	p  *Patient
	rx *Prescription
}

// holdings returns the prescriptions whose patient exists and lists them, that keep; when
// subject is not empty, only those of that patient.
func (db *DB) holdings(subject string, keep func(*Prescription) bool) []holding {
	var out []holding
	for rx := range db.Prescriptions.Values() {
		if subject != "" && rx.PatientID != subject {
			continue
		}
		p, ok := db.Patients.Get(rx.PatientID)
		if !ok || !slices.Contains(p.Prescriptions, rx.PrescriptionID) || !keep(rx) {
			continue
		}
		out = append(out, holding{p, rx})
	}
	return out
}

func statusIn(statuses ...string) func(*Prescription) bool {
	return func(rx *Prescription) bool { return slices.Contains(statuses, statusOf(rx)) }
}

// distinctMeds returns the medications that their brand name and strength identify.
func (db *DB) distinctMeds(keep func(*Medication) bool) []*Medication {
	count := map[string]int{}
	for m := range db.Medications.Values() {
		count[strings.ToLower(medName(m))]++
	}
	var out []*Medication
	for m := range db.Medications.Values() {
		if count[strings.ToLower(medName(m))] == 1 && (keep == nil || keep(m)) {
			out = append(out, m)
		}
	}
	return out
}

// rxLabel names a prescription as its patient would: by its first medication.
func rxLabel(rx *Prescription) string {
	if len(rx.MedicationOrders) == 0 {
		return "prescription " + rx.PrescriptionID
	}
	mo := rx.MedicationOrders[0]
	return mo.BrandName + " " + mo.Strength + " prescription"
}

var styles = []string{
	"You speak briefly and get to the point.",
	"You are friendly and chatty, and you thank the agent often.",
	"You are a little anxious about your medication and like to hear things twice.",
	"You are busy and in a hurry, and you answer in short sentences.",
	"You are careful and double-check every number the agent reads back.",
	"You are polite but firm, and you do not like being asked the same thing twice.",
	"You are not very comfortable with technology and ask the agent to go slowly.",
	"You are a retired teacher who speaks in full, well-formed sentences.",
}

func persona(r *rand.Rand, p *Patient) string {
	city := field(asObject(p.Address), "city")
	if city == "" {
		city = "town"
	}
	open := domains.OneOf(r, []string{
		"You are %s, a patient of the pharmacy who lives in %s.",
		"You are %s from %s, a long-time customer of the pharmacy.",
		"You are %s; you live in %s and fill your prescriptions at this pharmacy.",
		"You are %s, calling from home in %s.",
	})
	return fmt.Sprintf(open, fullName(p), city) + " " + domains.OneOf(r, styles)
}

var confirmLines = []string{
	"When the agent lists the details and asks for confirmation, answer yes.",
	"Say yes once the agent has read the details back to you.",
	"Confirm with a clear yes when the agent asks whether to go ahead.",
	"If the agent asks you to confirm, check the details and agree.",
}

func idLine(r *rand.Rand, p *Patient) string {
	return fmt.Sprintf(domains.OneOf(r, []string{
		"Your patient id is %s.",
		"Your patient id, printed on your pharmacy card, is %s.",
		"You know your patient id: %s.",
	}), p.PatientID)
}

// sourceText names a payment-method source as people say it.
func sourceText(s string) string {
	switch s {
	case "hsa_card":
		return "HSA card"
	case "fsa_card":
		return "FSA card"
	}
	return strings.ReplaceAll(s, "_", " ")
}

// cardText describes a saved payment method as its owner would.
func cardText(pm *MedicinePaymentMethod) string {
	src := sourceText(pm.Source)
	brand, four := pm.ExtraInfo.Brand, pm.ExtraInfo.LastFour
	switch {
	case brand != nil && four != nil && *brand != "" && *four != "":
		return fmt.Sprintf("%s %s ending in %s", *brand, src, *four)
	case four != nil && *four != "":
		return fmt.Sprintf("%s ending in %s", src, *four)
	}
	return fmt.Sprintf("%s (saved as %s)", src, pm.PaymentMethodID)
}

// newCard makes a payment method the patient does not have yet, with an id in the
// profile's style.
func newCard(r *rand.Rand, p *Patient) *py.Object {
	prefix := p.PatientID
	if len(prefix) > 2 {
		prefix = prefix[:2]
	}
	id := ""
	for k := p.PaymentMethods.Len() + 1; ; k++ {
		id = fmt.Sprintf("PM-%s%d", prefix, k)
		if _, taken := p.PaymentMethods.Get(id); !taken {
			break
		}
	}
	return py.NewObject(
		"source", domains.OneOf(r, []string{"credit_card", "credit_card", "debit_card", "hsa_card"}),
		"payment_method_id", id,
		"extra_info", py.NewObject("brand", domains.OneOf(r, cardBrands), "last_four", fmt.Sprintf("%04d", r.IntN(10000))),
	)
}

func newCardText(card *py.Object) string {
	return fmt.Sprintf("%s %s ending in %s", field(card, "extra_info", "brand"),
		sourceText(field(card, "source")), field(card, "extra_info", "last_four"))
}

// article returns s with "a" or "an" before it.
func article(s string) string {
	if s != "" && strings.ContainsRune("AEIOUaeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// money is an amount as the tools print it (repr of a float): what the agent must say.
func money(x float64) string { return py.FormatFloat(x) }

// dollars is an amount as a person says it.
func dollars(x float64) string { return fmt.Sprintf("$%.2f", x) }

// ---- read-only intents ----

func draftDrugFacts(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	meds := db.distinctMeds(nil)
	patients := patientsOf(env)
	if len(meds) == 0 || len(patients) == 0 {
		return nil, domains.ErrNoCandidate
	}
	m, p := domains.OneOf(r, meds), domains.OneOf(r, patients)
	type fact struct{ ask, value, label string }
	var facts []fact
	for _, f := range []fact{
		{"at what temperature, in degrees Celsius, it should be stored", m.Storage.TemperatureC, "storage temperature"},
		{"what maximum daily dose its label gives", m.DosageGuidelines.MaxDailyDose, "maximum daily dose"},
		{"which company manufactures it", m.Manufacturer, "manufacturer"},
		{"its NDC code, for an insurance form", m.NDC, "NDC code"},
		{"its suggested retail price per unit", money(m.Pricing.SuggestedRetailPrice), "suggested retail price"},
	} {
		// A trailing period is punctuation the agent need not repeat.
		if f.value = strings.TrimSuffix(strings.TrimSpace(f.value), "."); f.value != "" {
			facts = append(facts, f)
		}
	}
	if len(facts) == 0 {
		return nil, domains.ErrNoCandidate
	}
	f := domains.OneOf(r, facts)
	reason := fmt.Sprintf(domains.OneOf(r, []string{
		"You want to know %[2]s for %[1]s.",
		"Your doctor mentioned %[1]s and you would like to know %[2]s.",
		"A relative takes %[1]s and asked you to find out %[2]s.",
		"You are reading up on %[1]s and want to know %[2]s.",
	}), medName(m), f.ask)
	return &task.Draft{
		Intent:        "drug_facts",
		Purpose:       "Look up a medication and report its " + f.label + " from the medication record.",
		Subject:       p.PatientID,
		Persona:       persona(r, p),
		ReasonForCall: reason,
		KnownInfo:     fmt.Sprintf("You know the medication as %s (%s).", medName(m), m.GenericName),
		UnknownInfo:   "You do not know the pharmacy's medication id and do not know the " + f.label + ".",
		TaskInstructions: domains.OneOf(r, []string{
			"Only ask for the information; do not ask for advice about your own treatment.",
			"Ask your question and, once answered, thank the agent and end the call.",
			"If the agent asks which strength, say " + m.Strength + ". You need nothing else.",
		}),
		Actions: []task.Call{
			task.NewCall("search_medications", "query", strings.ToLower(domains.OneOf(r, []string{m.BrandName, m.GenericName}))),
			task.NewCall("get_medication_details", "medication_id", m.MedicationID),
		},
		CommunicateInfo: []string{f.value},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the user that the %s of %s is %s.", f.label, medName(m), f.value),
			"The agent does not give medical advice beyond what the medication record says.",
		},
	}, nil
}

func draftStockCheck(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	meds := db.distinctMeds(func(m *Medication) bool {
		for b := range m.Batches.Values() {
			if b.QuantityUnits > 0 {
				return true
			}
		}
		return false
	})
	patients := patientsOf(env)
	if len(meds) == 0 || len(patients) == 0 {
		return nil, domains.ErrNoCandidate
	}
	m, p := domains.OneOf(r, meds), domains.OneOf(r, patients)
	res := env.Call("check_medication_inventory", py.NewObject("medication_id", m.MedicationID))
	if !res.OK() {
		return nil, fmt.Errorf("stock_check: medication %s: %w", m.MedicationID, res.Err)
	}
	out := res.Output.(*py.Object)
	total, _ := out.Get("total_units")
	soonest, _ := out.Get("soonest_expiration")
	units := py.Str(total)
	comm := []string{units}
	ask := "how many units the pharmacy has in stock"
	// A small count is a weak string to look for: the expiry date then goes with it.
	if s, ok := soonest.(string); ok && s != "" && (r.IntN(3) > 0 || len(units) < 3) {
		comm = append(comm, s)
		ask += " and when the earliest batch expires"
	}
	reason := fmt.Sprintf(domains.OneOf(r, []string{
		"Before asking for a refill of %[1]s you want to know %[2]s.",
		"You heard there is a shortage of %[1]s and want to know %[2]s.",
		"You are planning a long trip and want to know %[2]s of %[1]s.",
	}), medName(m), ask)
	return &task.Draft{
		Intent:           "stock_check",
		Purpose:          "Check a medication's inventory and report the total units and soonest expiration.",
		Subject:          p.PatientID,
		Persona:          persona(r, p),
		ReasonForCall:    reason,
		KnownInfo:        fmt.Sprintf("The medication is %s, made by %s.", medName(m), strings.TrimSuffix(m.Manufacturer, ".")),
		UnknownInfo:      "You do not know the medication id or the stock levels.",
		TaskInstructions: domains.OneOf(r, []string{"Do not ask for anything to be ordered or filled.", "Only ask about the stock; you will call back later for anything else.", "You do not want a refill today, just the information."}),
		Actions: []task.Call{
			task.NewCall("search_medications", "query", strings.ToLower(m.BrandName)),
			task.NewCall("check_medication_inventory", "medication_id", m.MedicationID),
		},
		CommunicateInfo: comm,
		NLAssertions: []string{
			fmt.Sprintf("The agent reports %s units of %s in stock.", units, medName(m)),
			"The agent does not fill, order or change anything.",
		},
	}, nil
}

func draftPrescriptionStatus(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	hs := db.holdings(env.Subject, func(rx *Prescription) bool { return len(rx.MedicationOrders) > 0 })
	if len(hs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	h := domains.OneOf(r, hs)
	status := statusOf(h.rx)
	comm := []string{status}
	ask, assert := "what its status is and when it expires", "its expiry date "+h.rx.ExpiresAt
	if r.IntN(2) == 0 {
		left := fmt.Sprint(h.rx.MedicationOrders[0].RefillsRemaining)
		ask, assert = "what its status is and how many refills are left", "that "+left+" refills remain"
		comm = append(comm, left)
	} else {
		comm = append(comm, h.rx.ExpiresAt)
	}
	return &task.Draft{
		Intent:        "prescription_status",
		Purpose:       "Look up a patient's prescriptions and report a prescription's status and details.",
		Subject:       h.p.PatientID,
		Persona:       persona(r, h.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{"You want to check on your %s: %s.", "You are not sure where your %s stands and want to know %s.", "Your pharmacy app is down, so you call to ask about your %s: %s."}), rxLabel(h.rx), ask),
		KnownInfo:     idLine(r, h.p),
		UnknownInfo:   "You do not know the prescription id.",
		TaskInstructions: domains.OneOf(r, []string{
			"Only ask for information; do not request any change.",
			"Ask about this prescription only and do not request a refill.",
			"Listen to the answer and end the call without changing anything.",
		}),
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
			task.NewCall("list_patient_prescriptions", "patient_id", h.p.PatientID),
		},
		CommunicateInfo: comm,
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the user that the prescription %s is %s and gives %s.", h.rx.PrescriptionID, status, assert),
		},
	}, nil
}

// ---- profile changes ----

func newAddress(r *rand.Rand) *py.Object {
	pl := domains.OneOf(r, places)
	zip := pl.zip
	if len(zip) == 3 && zip[0] >= 'A' { // a Canadian postal code
		zip = fmt.Sprintf("%s %d%c%d", zip, r.IntN(10), 'A'+r.IntN(26), r.IntN(10))
	}
	for len(zip) < 5 {
		zip += fmt.Sprint(r.IntN(10))
	}
	return py.NewObject(
		"street", fmt.Sprintf("%d %s", 1+r.IntN(9999), domains.OneOf(r, streets)),
		"city", pl.city, "country", pl.country, "state", pl.state, "zip", zip)
}

func addressText(a *py.Object) string {
	return fmt.Sprintf("%s, %s, %s %s, %s", field(a, "street"), field(a, "city"), field(a, "state"), field(a, "zip"), field(a, "country"))
}

func draftUpdateContact(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	patients := patientsOf(env)
	if len(patients) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := domains.OneOf(r, patients)
	oldPhone, _ := p.Phone.(string)
	area := "555"
	if i := strings.IndexByte(oldPhone, '-'); i > 0 {
		area = oldPhone[:i]
	}
	phone := fmt.Sprintf("%s-555-%04d", area, r.IntN(10000))
	for phone == oldPhone {
		phone = fmt.Sprintf("%s-555-%04d", area, r.IntN(10000))
	}
	email := fmt.Sprintf("%s.%s%02d@%s", fold(p.Name.FirstName), fold(p.Name.LastName), r.IntN(100),
		domains.OneOf(r, []string{"gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com"}))
	args := []any{"patient_id", p.PatientID}
	var what, known string
	switch r.IntN(4) {
	case 0:
		args = append(args, "phone", phone)
		what, known = "phone number", "Your new phone number is "+phone+"."
	case 1:
		args = append(args, "email", email)
		what, known = "email address", "Your new email address is "+email+"."
	case 2:
		args = append(args, "email", email, "phone", phone)
		what, known = "email address and phone number", "Your new email is "+email+" and your new phone number is "+phone+"."
	default:
		addr := newAddress(r)
		args = append(args, "address", addr)
		what, known = "home address", "Your new address is "+addressText(addr)+" (street "+field(addr, "street")+", city "+field(addr, "city")+", state "+field(addr, "state")+", zip "+field(addr, "zip")+", country "+field(addr, "country")+")."
	}
	return &task.Draft{
		Intent:  "update_contact",
		Purpose: "Update a patient's " + what + " after confirmation.",
		Subject: p.PatientID,
		Persona: persona(r, p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You recently changed your %s and want the pharmacy's records updated.",
			"The pharmacy has an old %s for you; you want it corrected.",
			"You moved things around in your life and need your %s changed on your profile.",
		}), what),
		KnownInfo:        idLine(r, p) + " " + known,
		UnknownInfo:      "You do not remember which contact details the pharmacy has on file for you now.",
		TaskInstructions: "Give only the new " + what + "; nothing else on your profile should change. " + domains.OneOf(r, confirmLines),
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", p.PatientID),
			task.NewCall("update_patient_contact", args...),
		},
		NLAssertions: []string{
			"The agent reads back the new " + what + " and gets an explicit yes before updating the profile.",
		},
	}, nil
}

func draftUpdateInsurance(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	patients := patientsOf(env)
	if len(patients) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := domains.OneOf(r, patients)
	old := field(asObject(p.Insurance), "provider")
	provider := domains.OneOf(r, providers)
	for provider == old {
		provider = domains.OneOf(r, providers)
	}
	letters := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('A' + r.IntN(26))
		}
		return string(b)
	}
	ins := py.NewObject(
		"provider", provider,
		"plan_name", domains.OneOf(r, plans),
		"member_id", fmt.Sprintf("%s%09d", letters(2), r.IntN(1000000000)),
		"group", fmt.Sprintf("GRP%06d", r.IntN(1000000)),
		"bin", fmt.Sprintf("%06d", r.IntN(1000000)),
		"pcn", domains.OneOf(r, []string{"A4", "ADV", "CN", "9999", "MEDDPRIME", "RXGRP"}),
	)
	card := fmt.Sprintf("provider %s, plan %s, member id %s, group %s, BIN %s, PCN %s",
		field(ins, "provider"), field(ins, "plan_name"), field(ins, "member_id"), field(ins, "group"), field(ins, "bin"), field(ins, "pcn"))
	return &task.Draft{
		Intent:  "update_insurance",
		Purpose: "Replace a patient's insurance profile with a new plan after confirmation.",
		Subject: p.PatientID,
		Persona: persona(r, p),
		ReasonForCall: domains.OneOf(r, []string{
			"You changed jobs and have new drug insurance; the pharmacy must bill the new plan.",
			"Your insurance switched at the start of the year and you want your profile updated.",
			"Your spouse's employer plan now covers you, and you want the pharmacy to use it.",
		}),
		KnownInfo:        idLine(r, p) + " Your new insurance card reads: " + card + ".",
		UnknownInfo:      "You do not remember the details of your old plan.",
		TaskInstructions: "Give all six details of the new card when asked. " + domains.OneOf(r, confirmLines),
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", p.PatientID),
			task.NewCall("update_patient_insurance", "patient_id", p.PatientID, "insurance", ins),
		},
		NLAssertions: []string{"The agent lists the new insurance details and gets an explicit yes before updating them."},
	}, nil
}

func draftAddCard(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	patients := patientsOf(env)
	if len(patients) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := domains.OneOf(r, patients)
	card := newCard(r, p)
	return &task.Draft{
		Intent:  "add_card",
		Purpose: "Save a new payment method on a patient's profile after confirmation.",
		Subject: p.PatientID,
		Persona: persona(r, p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want to add your new %s to your pharmacy profile.",
			"You got a new %s and would like it saved on your profile for future pickups.",
			"You would like to keep a second card on file: your %s.",
		}), newCardText(card)),
		KnownInfo: idLine(r, p) + fmt.Sprintf(" The card is %s. The pharmacy's card form gave it the reference %s, which is the payment method id to use.",
			article(newCardText(card)), field(card, "payment_method_id")),
		UnknownInfo:      "You do not know what cards are already on file.",
		TaskInstructions: "Do not pay for anything today. " + domains.OneOf(r, confirmLines),
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", p.PatientID),
			task.NewCall("add_patient_payment_method", "patient_id", p.PatientID, "payment_method", card),
		},
		NLAssertions: []string{"The agent confirms the card's type, brand, last four digits and id before saving it."},
	}, nil
}

func payable(rx *Prescription) bool {
	s := statusOf(rx)
	return s != "canceled" && s != "transferred"
}

func payAmount(r *rand.Rand, rx *Prescription) float64 {
	if n := len(rx.Dispenses); n > 0 && rx.Dispenses[n-1].Insurance.PatientCopay > 0 && r.IntN(2) == 0 {
		return rx.Dispenses[n-1].Insurance.PatientCopay
	}
	return domains.OneOf(r, []float64{10, 12.5, 15, 20, 25, 30, 35, 42.75, 50})
}

func draftNewCardThenPay(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := dbOf(env).holdings(env.Subject, payable)
	if len(hs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	h := domains.OneOf(r, hs)
	card := newCard(r, h.p)
	amount := payAmount(r, h.rx)
	return &task.Draft{
		Intent:  "new_card_then_pay",
		Purpose: "Save a new card on the profile, then record a payment on a prescription with it.",
		Subject: h.p.PatientID,
		Persona: persona(r, h.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want to pay %[1]s toward your %[2]s (%[3]s) with a new card that is not on file yet.",
			"You owe %[1]s on your %[2]s (%[3]s) and want to pay it with your new card.",
		}), dollars(amount), rxLabel(h.rx), h.rx.PrescriptionID),
		KnownInfo: idLine(r, h.p) + fmt.Sprintf(" Your prescription id is %s. The new card is %s; the pharmacy's card form gave it the reference %s, which is the payment method id to use. The amount is %s.",
			h.rx.PrescriptionID, article(newCardText(card)), field(card, "payment_method_id"), dollars(amount)),
		UnknownInfo:      "You do not know which cards are already saved on your profile.",
		TaskInstructions: "You want the card saved on your profile and then used for the payment. " + domains.OneOf(r, confirmLines) + " Confirm each step separately.",
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
			task.NewCall("add_patient_payment_method", "patient_id", h.p.PatientID, "payment_method", card),
			task.NewCall("get_prescription_details", "prescription_id", h.rx.PrescriptionID),
			task.NewCall("add_prescription_payment", "prescription_id", h.rx.PrescriptionID,
				"payment", py.NewObject("payment_id", field(card, "payment_method_id"), "amount", amount)),
		},
		NLAssertions: []string{
			"The agent adds the new card to the profile before using it for the payment.",
			"The agent gets the user's explicit confirmation before each change.",
		},
	}, nil
}

func draftPayWithSavedCard(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := dbOf(env).holdings(env.Subject, payable)
	hs = slices.DeleteFunc(hs, func(h holding) bool { return h.p.PaymentMethods.Len() == 0 })
	if len(hs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	h := domains.OneOf(r, hs)
	pmID := domains.OneOf(r, h.p.PaymentMethods.Keys())
	pm, _ := h.p.PaymentMethods.Get(pmID)
	amount := payAmount(r, h.rx)
	return &task.Draft{
		Intent:  "pay_with_saved_card",
		Purpose: "Record a payment on a prescription with a payment method saved on the profile.",
		Subject: h.p.PatientID,
		Persona: persona(r, h.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You want to pay %[1]s on your %[2]s with the %[3]s on your profile.",
			"You would like to settle %[1]s for your %[2]s using your %[3]s.",
			"The pharmacy asked you to call in a payment of %[1]s for your %[2]s; use your %[3]s.",
		}), dollars(amount), rxLabel(h.rx), cardText(pm)),
		KnownInfo:        idLine(r, h.p) + " The prescription id is " + h.rx.PrescriptionID + ". The amount is " + dollars(amount) + ".",
		UnknownInfo:      "You do not know the internal id of your saved card.",
		TaskInstructions: domains.OneOf(r, confirmLines) + " Do not add any new card.",
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
			task.NewCall("get_prescription_details", "prescription_id", h.rx.PrescriptionID),
			task.NewCall("add_prescription_payment", "prescription_id", h.rx.PrescriptionID,
				"payment", py.NewObject("payment_id", pmID, "amount", amount)),
		},
		NLAssertions: []string{fmt.Sprintf("The agent records a payment of %s with saved method %s after the user confirms.", money(amount), pmID)},
	}, nil
}

func draftRemoveCard(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if err := domains.FirstRequest(env); err != nil {
		return nil, err
	}
	patients := slices.DeleteFunc(patientsOf(env), func(p *Patient) bool { return p.PaymentMethods.Len() == 0 })
	if len(patients) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := domains.OneOf(r, patients)
	oldID := domains.OneOf(r, p.PaymentMethods.Keys())
	old, _ := p.PaymentMethods.Get(oldID)
	actions := []task.Call{task.NewCall("get_patient_details", "patient_id", p.PatientID)}
	var reason, known, purpose string
	if p.PaymentMethods.Len() > 1 && r.IntN(2) == 0 {
		purpose = "Remove a saved payment method from a patient's profile."
		reason = fmt.Sprintf(domains.OneOf(r, []string{
			"Your %s expired and you want it taken off your profile.",
			"You closed the account behind your %s and want it removed from your profile.",
		}), cardText(old))
		known = idLine(r, p) + " The card to remove is your " + cardText(old) + "."
	} else {
		card := newCard(r, p)
		purpose = "Replace a saved payment method: add the new card, then remove the old one."
		reason = fmt.Sprintf(domains.OneOf(r, []string{
			"Your bank replaced your %s with a new %s; the pharmacy should have only the new one.",
			"You want to swap the %s on your profile for your new %s.",
		}), cardText(old), newCardText(card))
		known = idLine(r, p) + fmt.Sprintf(" The old card is your %s. The new card is %s; the pharmacy's card form gave it the reference %s, which is the payment method id to use.",
			cardText(old), article(newCardText(card)), field(card, "payment_method_id"))
		actions = append(actions, task.NewCall("add_patient_payment_method", "patient_id", p.PatientID, "payment_method", card))
	}
	actions = append(actions, task.NewCall("remove_patient_payment_method", "patient_id", p.PatientID, "payment_method_id", oldID))
	return &task.Draft{
		Intent:           "remove_card",
		Purpose:          purpose,
		Subject:          p.PatientID,
		Persona:          persona(r, p),
		ReasonForCall:    reason,
		KnownInfo:        known,
		UnknownInfo:      "You do not know the internal ids of your saved cards.",
		TaskInstructions: domains.OneOf(r, confirmLines) + " Make sure the right card is removed.",
		Actions:          actions,
		NLAssertions:     []string{fmt.Sprintf("The agent removes payment method %s only after the user confirms.", oldID)},
	}, nil
}

// ---- prescription lifecycle ----

// pharmacyOf returns a prescription's pharmacy as the tools take it, or nil when a field
// is missing.
func pharmacyOf(v any) *py.Object {
	o := asObject(v)
	out := py.NewObject("pharmacy_id", field(o, "pharmacy_id"), "name", field(o, "name"), "address", py.NewObject(
		"street", field(o, "address", "street"), "city", field(o, "address", "city"),
		"state", field(o, "address", "state"), "zip", field(o, "address", "zip")))
	for _, path := range [][]string{{"pharmacy_id"}, {"name"}, {"address", "street"}, {"address", "city"}, {"address", "state"}, {"address", "zip"}} {
		if field(out, path...) == "" {
			return nil
		}
	}
	return out
}

func pharmacyText(ph *py.Object) string {
	return fmt.Sprintf("%s (store id %s) at %s, %s, %s %s", field(ph, "name"), field(ph, "pharmacy_id"),
		field(ph, "address", "street"), field(ph, "address", "city"), field(ph, "address", "state"), field(ph, "address", "zip"))
}

// pharmacies returns the distinct pharmacies named on prescriptions, in table order.
func (db *DB) pharmacies() []*py.Object {
	var out []*py.Object
	seen := map[string]bool{}
	for rx := range db.Prescriptions.Values() {
		ph := pharmacyOf(rx.Pharmacy)
		if ph == nil || seen[field(ph, "pharmacy_id")] {
			continue
		}
		seen[field(ph, "pharmacy_id")] = true
		out = append(out, ph)
	}
	return out
}

var sigs = map[string][]string{
	"tablet":  {"Take 1 tablet by mouth once daily", "Take 1 tablet by mouth twice daily", "Take 1 tablet by mouth at bedtime"},
	"capsule": {"Take 1 capsule by mouth once daily", "Take 1 capsule by mouth twice daily with food"},
}

func sigFor(r *rand.Rand, m *Medication) string {
	if s := catalogueSig(m); s != "Use as directed" {
		return s
	}
	if list, ok := sigs[strings.ToLower(m.DosageForm)]; ok {
		return domains.OneOf(r, list)
	}
	return "Use as directed by your physician"
}

var expiries = []struct{ code, words string }{
	{"25-05-15", "15 May 2025"}, {"24-11-15", "15 November 2024"}, {"25-02-15", "15 February 2025"}, {"25-05-14", "14 May 2025"},
}

func draftNewPrescription(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	newID, err := newPrescriptionID(db)
	if err != nil {
		return nil, domains.ErrNoCandidate
	}
	meds := db.distinctMeds(func(m *Medication) bool { return m.PrescriptionRequired == "yes" })
	patients := patientsOf(env)
	var prescribers []Prescriber
	for rx := range db.Prescriptions.Values() {
		prescribers = append(prescribers, rx.Prescriber)
	}
	stores := db.pharmacies()
	if len(meds) == 0 || len(patients) == 0 || len(prescribers) == 0 || len(stores) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p, m, doc := domains.OneOf(r, patients), domains.OneOf(r, meds), domains.OneOf(r, prescribers)
	store := domains.OneOf(r, stores)
	for _, rx := range db.prescriptionsOf(p) { // usually the patient's own pharmacy
		if ph := pharmacyOf(rx.Pharmacy); ph != nil && r.IntN(3) > 0 {
			store = ph
		}
	}
	qty := domains.OneOf(r, []int64{14, 20, 28, 30, 60, 90})
	days := domains.OneOf(r, []int64{7, 10, 14, 30, 90})
	refills := int64(r.IntN(6))
	subst := domains.OneOf(r, []string{"yes", "no"})
	sig := sigFor(r, m)
	exp := domains.OneOf(r, expiries)
	order := py.NewObject(
		"medication_id", m.MedicationID, "brand_name", m.BrandName, "generic_name", m.GenericName,
		"strength", m.Strength, "dosage_form", m.DosageForm, "route", m.Route, "sig", sig,
		"quantity", qty, "days_supply", days, "substitution_allowed", subst,
		"refills_allowed", refills, "refills_remaining", refills,
	)
	prescriber := py.NewObject("doctor_id", doc.DoctorID,
		"name", py.NewObject("first_name", doc.Name.FirstName, "last_name", doc.Name.LastName),
		"npi", doc.NPI, "clinic", doc.Clinic)
	args := []any{"patient_id", p.PatientID, "pharmacy", store, "prescriber", prescriber,
		"medication_orders", []any{order}, "expires_at", exp.code}
	extra := ""
	if r.IntN(3) == 0 {
		args = append(args, "counseling_offered", "yes")
		extra = " The pharmacist already went over the new medication with you, so counseling was offered."
	}
	substText := map[string]string{"yes": "generic substitution is allowed", "no": "no substitution is allowed (dispense as written)"}[subst]
	known := idLine(r, p) + fmt.Sprintf(" Your doctor is Dr. %s %s (doctor id %s, NPI %s) at %s. The prescription is for %s: %q, quantity %d, %d days' supply, %d refills, and %s. It expires on %s (written %s). It should be filled at %s.%s",
		doc.Name.FirstName, doc.Name.LastName, doc.DoctorID, doc.NPI, doc.Clinic, medName(m), sig, qty, days, refills, substText, exp.words, exp.code, pharmacyText(store), extra)
	return &task.Draft{
		Intent:  "new_prescription",
		Purpose: "Create a new prescription from details the patient reads off the doctor's script.",
		Subject: p.PatientID,
		Persona: persona(r, p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"Your doctor gave you a paper prescription for %s and you want it entered so the pharmacy can fill it.",
			"You have a new prescription for %s from Dr. %s and want it set up at the pharmacy.",
			"You were just started on %s and need the prescription created in the pharmacy's system.",
		}), medName(m), doc.Name.LastName),
		KnownInfo:        known,
		UnknownInfo:      "You do not know the medication id or the new prescription's id.",
		TaskInstructions: "Give the details as they are asked for; there are no notes to add. " + domains.OneOf(r, confirmLines) + " Ask for the new prescription's id at the end.",
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", p.PatientID),
			task.NewCall("search_medications", "query", strings.ToLower(m.BrandName)),
			task.NewCall("get_medication_details", "medication_id", m.MedicationID),
			task.NewCall("create_prescription", args...),
		},
		CommunicateInfo: []string{newID},
		NLAssertions: []string{
			"The agent collects the pharmacy, prescriber, every medication-order field and the expiry date, and confirms them before creating the prescription.",
			"The agent tells the user the new prescription id " + newID + ".",
		},
	}, nil
}

func draftHoldOrResume(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if err := domains.FirstRequest(env); err != nil {
		return nil, err
	}
	hs := dbOf(env).holdings(env.Subject, statusIn("active", "on-hold"))
	if len(hs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	h := domains.OneOf(r, hs)
	to, reason := "on-hold", fmt.Sprintf(domains.OneOf(r, []string{
		"You will be abroad for two months and want your %s put on hold until you are back.",
		"Your doctor asked you to pause your %s for a few weeks; you want it on hold.",
		"You still have plenty of pills at home and want your %s put on hold for now.",
	}), rxLabel(h.rx))
	if statusOf(h.rx) == "on-hold" {
		to, reason = "active", fmt.Sprintf(domains.OneOf(r, []string{
			"Your %s is on hold and you want it active again.",
			"You are back from a trip and want your %s, which is on hold, reactivated.",
			"Your doctor says you can restart the medication, so your %s should be active again.",
		}), rxLabel(h.rx))
	}
	lookup := task.NewCall("get_prescription_details", "prescription_id", h.rx.PrescriptionID)
	known, unknown := idLine(r, h.p), "You do not know how many refills are left on the prescription."
	if r.IntN(2) == 0 {
		known += " The prescription id is " + h.rx.PrescriptionID + "."
	} else {
		lookup = task.NewCall("list_patient_prescriptions", "patient_id", h.p.PatientID)
		unknown = "You do not know the prescription id."
	}
	return &task.Draft{
		Intent:           "hold_or_resume",
		Purpose:          "Set a prescription's status to " + to + " at the patient's request.",
		Subject:          h.p.PatientID,
		Persona:          persona(r, h.p),
		ReasonForCall:    reason,
		KnownInfo:        known,
		UnknownInfo:      unknown,
		TaskInstructions: domains.OneOf(r, confirmLines) + " Do not cancel the prescription.",
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
			lookup,
			task.NewCall("update_prescription_status", "prescription_id", h.rx.PrescriptionID, "status", to),
		},
		NLAssertions: []string{fmt.Sprintf("The agent sets prescription %s to %s only after the user confirms.", h.rx.PrescriptionID, to)},
	}, nil
}

func draftTransferPharmacy(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	hs := db.holdings(env.Subject, statusIn("active", "on-hold", "filled"))
	stores := db.pharmacies()
	if len(hs) == 0 || len(stores) < 2 {
		return nil, domains.ErrNoCandidate
	}
	h := domains.OneOf(r, hs)
	current := field(asObject(h.rx.Pharmacy), "pharmacy_id")
	stores = slices.DeleteFunc(stores, func(ph *py.Object) bool { return field(ph, "pharmacy_id") == current })
	if len(stores) == 0 {
		return nil, domains.ErrNoCandidate
	}
	to := domains.OneOf(r, stores)
	return &task.Draft{
		Intent:  "transfer_pharmacy",
		Purpose: "Transfer a prescription to another pharmacy with its full details.",
		Subject: h.p.PatientID,
		Persona: persona(r, h.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You moved and want your %[1]s transferred to %[2]s, closer to your new home.",
			"Since %[2]s is on your way to work, you want your %[1]s moved there.",
			"You want your %[1]s transferred to %[2]s, which stays open later.",
		}), rxLabel(h.rx), field(to, "name")),
		KnownInfo:        idLine(r, h.p) + " The prescription id is " + h.rx.PrescriptionID + ". The new pharmacy is " + pharmacyText(to) + ".",
		UnknownInfo:      "You do not know whether the new pharmacy has the medication in stock.",
		TaskInstructions: "Give the new pharmacy's full details when asked. " + domains.OneOf(r, confirmLines),
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
			task.NewCall("get_prescription_details", "prescription_id", h.rx.PrescriptionID),
			task.NewCall("transfer_prescription", "prescription_id", h.rx.PrescriptionID, "new_pharmacy", to),
		},
		NLAssertions: []string{fmt.Sprintf("The agent transfers prescription %s to %s after the user confirms the pharmacy's details.", h.rx.PrescriptionID, field(to, "pharmacy_id"))},
	}, nil
}

func draftRecordCounseling(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if err := domains.FirstRequest(env); err != nil {
		return nil, err
	}
	hs := dbOf(env).holdings(env.Subject, func(rx *Prescription) bool {
		c := py.Str(rx.CounselingOffered)
		return (c == "yes" || c == "no") && payable(rx)
	})
	if len(hs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	h := domains.OneOf(r, hs)
	to, reason := "yes", fmt.Sprintf(domains.OneOf(r, []string{
		"The pharmacist did go over your %s with you at pickup, but your record says counseling was not offered; you want that corrected.",
		"You were counseled about your %s at the counter and want the record to show counseling was offered.",
	}), rxLabel(h.rx))
	if py.Str(h.rx.CounselingOffered) == "yes" {
		to, reason = "no", fmt.Sprintf(domains.OneOf(r, []string{
			"Nobody offered you counseling for your %s, yet your record says it was offered; you want it corrected.",
			"Your record for the %s says counseling was offered, but it was not; you want that fixed.",
		}), rxLabel(h.rx))
	}
	return &task.Draft{
		Intent:           "record_counseling",
		Purpose:          "Record whether counseling was offered for a prescription.",
		Subject:          h.p.PatientID,
		Persona:          persona(r, h.p),
		ReasonForCall:    reason,
		KnownInfo:        idLine(r, h.p) + " The prescription id is " + h.rx.PrescriptionID + ".",
		UnknownInfo:      "You do not remember the name of the pharmacist you saw.",
		TaskInstructions: domains.OneOf(r, confirmLines) + " Do not ask for counseling now.",
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
			task.NewCall("get_prescription_details", "prescription_id", h.rx.PrescriptionID),
			task.NewCall("set_counseling_offered", "prescription_id", h.rx.PrescriptionID, "offered", to),
		},
		NLAssertions: []string{fmt.Sprintf("The agent records counseling_offered = %s on %s after the user confirms.", to, h.rx.PrescriptionID)},
	}, nil
}

func draftCancelPrescription(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := dbOf(env).holdings(env.Subject, statusIn("active", "on-hold", "filled"))
	if len(hs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	h := domains.OneOf(r, hs)
	var paid []string
	for _, pay := range h.rx.PaymentHistory {
		if pay.Amount > 0 {
			paid = append(paid, money(pay.Amount))
		}
	}
	assert := []string{fmt.Sprintf("The agent cancels prescription %s only after the user confirms.", h.rx.PrescriptionID)}
	if len(paid) > 0 {
		assert = append(assert, "The agent explains that the recorded payments are refunded and that insurance claims are not reversed by the cancellation.")
	}
	return &task.Draft{
		Intent:  "cancel_prescription",
		Purpose: "Cancel a prescription with the patient and prescription ids; payments are refunded.",
		Subject: h.p.PatientID,
		Persona: persona(r, h.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"Your doctor switched you to a different medication, so you want your %s cancelled.",
			"You no longer need your %s and want it cancelled.",
			"You had a bad reaction and your doctor stopped the drug; you want the %s cancelled.",
		}), rxLabel(h.rx)),
		KnownInfo:        idLine(r, h.p) + " The prescription id is " + h.rx.PrescriptionID + ".",
		UnknownInfo:      "You do not know what happens to payments when a prescription is cancelled.",
		TaskInstructions: domains.OneOf(r, confirmLines) + " Do not ask for anything else to be reversed.",
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
			task.NewCall("get_prescription_details", "prescription_id", h.rx.PrescriptionID),
			task.NewCall("cancel_prescription", "prescription_id", h.rx.PrescriptionID),
		},
		NLAssertions: assert,
	}, nil
}

// fillPlan is a fill the tools accept: one stocked, unexpired batch key per order.
type fillPlan struct {
	items []any
	batch []string
	price float64
}

func planFill(r *rand.Rand, db *DB, rx *Prescription) (*fillPlan, bool) {
	if len(rx.MedicationOrders) == 0 {
		return nil, false
	}
	plan := &fillPlan{}
	used := map[string]int64{} // medication/batch → units this fill takes
	for _, mo := range rx.MedicationOrders {
		m, ok := db.Medications.Get(mo.MedicationID)
		if !ok || mo.Quantity <= 0 {
			return nil, false
		}
		var keys []string
		for k, b := range m.Batches.All() {
			if b.QuantityUnits-used[m.MedicationID+"/"+k] >= mo.Quantity && b.ExpirationDate > today {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			return nil, false
		}
		k := domains.OneOf(r, keys)
		b, _ := m.Batches.Get(k)
		used[m.MedicationID+"/"+k] += mo.Quantity
		price := py.Round(m.Pricing.SuggestedRetailPrice*float64(mo.Quantity), 2)
		plan.price += price
		plan.batch = append(plan.batch, fmt.Sprintf("%d units of %s from batch %s (expires %s), price %s", mo.Quantity, medName(m), k, b.ExpirationDate, dollars(price)))
		plan.items = append(plan.items, py.NewObject(
			"medication_id", mo.MedicationID, "quantity_dispensed", mo.Quantity, "lot_number", k,
			"expiration_date", b.ExpirationDate, "price", price))
	}
	plan.price = py.Round(plan.price, 2)
	return plan, true
}

func draftFillPrescription(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	type cand struct {
		h    holding
		plan *fillPlan
	}
	var cands []cand
	for _, h := range db.holdings(env.Subject, statusIn("active")) {
		if h.p.PaymentMethods.Len() == 0 {
			continue
		}
		if plan, ok := planFill(r, db, h.rx); ok && plan.price > 0 {
			cands = append(cands, cand{h, plan})
		}
	}
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	c := domains.OneOf(r, cands)
	h, plan := c.h, c.plan
	pmID := domains.OneOf(r, h.p.PaymentMethods.Keys())
	pm, _ := h.p.PaymentMethods.Get(pmID)
	billed := plan.price
	copay := billed // a cheap fill is all copay
	if copays := slices.DeleteFunc([]float64{5, 10, 15, 20, 25, 35, 50}, func(c float64) bool { return c >= billed }); len(copays) > 0 {
		copay = domains.OneOf(r, copays)
	}
	paid := py.Round(billed-copay, 2)
	ins := py.NewObject("billed_amount", billed, "insurance_paid", paid, "patient_copay", copay)
	pa := ""
	if r.IntN(3) == 0 {
		pa = fmt.Sprintf("PA-%05d", r.IntN(100000))
		ins.Set("prior_authorization_id", pa)
	}
	ins.Set("reversals", []any{})
	pharmacist := fmt.Sprintf("RPH-%04d", 1000+r.IntN(100))
	var meds []task.Call
	seen := map[string]bool{}
	for _, mo := range h.rx.MedicationOrders {
		if !seen[mo.MedicationID] {
			seen[mo.MedicationID] = true
			meds = append(meds, task.NewCall("get_medication_details", "medication_id", mo.MedicationID))
		}
	}
	claim := fmt.Sprintf("insurance is billed %s, insurance pays %s and your copay is %s", dollars(billed), dollars(paid), dollars(copay))
	if pa != "" {
		claim += ", under prior authorization " + pa
	}
	actions := append([]task.Call{
		task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
		task.NewCall("get_prescription_details", "prescription_id", h.rx.PrescriptionID),
	}, meds...)
	actions = append(actions, task.NewCall("fill_prescription",
		"prescription_id", h.rx.PrescriptionID, "pharmacist_id", pharmacist, "items", plan.items,
		"insurance", ins, "payments", []any{py.NewObject("payment_id", pmID, "amount", copay)}))
	return &task.Draft{
		Intent:  "fill_prescription",
		Purpose: "Record a fill of an active prescription: dispensed lots, insurance claim and the copay from a saved card.",
		Subject: h.p.PatientID,
		Persona: persona(r, h.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You are at the counter to pick up your %s; the pharmacy's register is down and pharmacist %s asked you to have the fill recorded by phone.",
			"Pharmacist %[2]s is handing you your %[1]s but their system is offline, so you call to get the fill recorded and pay the copay.",
		}), rxLabel(h.rx), pharmacist),
		KnownInfo: idLine(r, h.p) + fmt.Sprintf(" The prescription id is %s. The pharmacist's id is %s. The pharmacist is dispensing the full ordered quantity: %s. For the claim, %s. You pay the copay with your %s.",
			h.rx.PrescriptionID, pharmacist, strings.Join(plan.batch, "; "), claim, cardText(pm)),
		UnknownInfo:      "You do not know the internal id of your saved card.",
		TaskInstructions: "Read the figures exactly as given; the batch names are the ones the pharmacist read from the shelf. " + domains.OneOf(r, confirmLines),
		Actions:          actions,
		NLAssertions: []string{
			"The agent checks the batches against the medication's stock and the card against the saved payment methods before filling.",
			fmt.Sprintf("The agent records a payment of %s, the copay, and gets the user's confirmation first.", money(copay)),
		},
	}, nil
}

func draftReverseClaim(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	type cand struct {
		h    holding
		fill *Dispense
	}
	var cands []cand
	for _, h := range dbOf(env).holdings(env.Subject, statusIn("filled", "active", "on-hold")) {
		for i := range h.rx.Dispenses {
			d := &h.rx.Dispenses[i]
			if d.Insurance.InsurancePaid > 0 && len(d.Insurance.Reversals) == 0 && d.FillID != "" {
				cands = append(cands, cand{h, d})
			}
		}
	}
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	c := domains.OneOf(r, cands)
	h, d := c.h, c.fill
	amount := d.Insurance.InsurancePaid
	args := []any{"prescription_id", h.rx.PrescriptionID, "fill_id", d.FillID, "reversal_amount", amount}
	refund := ""
	if d.Insurance.PatientCopay > 0 && h.p.PaymentMethods.Len() > 0 && r.IntN(3) > 0 {
		pmID := domains.OneOf(r, h.p.PaymentMethods.Keys())
		pm, _ := h.p.PaymentMethods.Get(pmID)
		args = append(args, "refund_to_payment_id", pmID, "refund_amount", d.Insurance.PatientCopay)
		refund = fmt.Sprintf(" You also want your copay of %s refunded to your %s.", dollars(d.Insurance.PatientCopay), cardText(pm))
	}
	filled := d.DateFilledEst
	if len(filled) >= 8 {
		filled = filled[:8]
	}
	fillRef := "the fill id on your receipt is " + d.FillID
	if r.IntN(2) == 0 {
		fillRef = "the fill was on " + filled + " (fill id " + d.FillID + ")"
	}
	return &task.Draft{
		Intent:  "reverse_claim",
		Purpose: "Reverse the insurance claim of a fill, optionally refunding the copay to a saved card.",
		Subject: h.p.PatientID,
		Persona: persona(r, h.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"Your insurer says the claim for a fill of your %s went to the wrong plan and must be reversed so it can be rebilled.",
			"Your insurance company asked you to have the pharmacy reverse the claim on a fill of your %s.",
			"You were billed twice by your plan for a fill of your %s and need the pharmacy's claim reversed.",
		}), rxLabel(h.rx)),
		KnownInfo: idLine(r, h.p) + fmt.Sprintf(" The prescription id is %s; %s. The insurer paid %s on it, and that whole amount is to be reversed.%s",
			h.rx.PrescriptionID, fillRef, dollars(amount), refund),
		UnknownInfo:      "You do not know that the prescription will be put on hold.",
		TaskInstructions: domains.OneOf(r, confirmLines) + " Do not ask to cancel the prescription.",
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
			task.NewCall("get_prescription_details", "prescription_id", h.rx.PrescriptionID),
			task.NewCall("reverse_insurance_claim", args...),
		},
		NLAssertions: []string{
			fmt.Sprintf("The agent reverses %s on fill %s after the user confirms.", money(amount), d.FillID),
			"The agent tells the user the prescription is put on hold.",
		},
	}, nil
}

// ---- refusals and hand-offs ----

func draftRefundRefused(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	hs := dbOf(env).holdings(env.Subject, func(rx *Prescription) bool {
		if statusOf(rx) != "filled" {
			return false
		}
		for _, p := range rx.PaymentHistory {
			if p.Amount > 0 {
				return true
			}
		}
		return false
	})
	if len(hs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	h := domains.OneOf(r, hs)
	var last float64
	for _, p := range h.rx.PaymentHistory {
		if p.Amount > 0 {
			last = p.Amount
		}
	}
	return &task.Draft{
		Intent:  "refund_refused",
		Purpose: "Refuse a goodwill refund: money goes back only through a cancellation or a claim reversal.",
		Subject: h.p.PatientID,
		Persona: persona(r, h.p),
		ReasonForCall: fmt.Sprintf(domains.OneOf(r, []string{
			"You waited over an hour to pick up your %s and want your %s payment refunded as compensation.",
			"You think you paid too much for your %s and want the %s you paid given back, but you want to keep the prescription.",
			"A friend said the pharmacy gives refunds to loyal customers; you want the %[2]s you paid on your %[1]s back.",
		}), rxLabel(h.rx), dollars(last)),
		KnownInfo:   idLine(r, h.p) + " The prescription id is " + h.rx.PrescriptionID + ".",
		UnknownInfo: "You do not know the pharmacy's refund rules.",
		TaskInstructions: "Ask for the refund once and insist once. You do not want the prescription cancelled and you have no problem with the insurance claim. " +
			"If the agent refuses, ask it to tell you the amount of your most recent payment on this prescription, then end the call.",
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", h.p.PatientID),
			task.NewCall("get_prescription_details", "prescription_id", h.rx.PrescriptionID),
		},
		CommunicateInfo: []string{money(last)},
		NLAssertions: []string{
			"The agent refuses the refund, explaining that refunds only happen through a cancellation or an insurance claim reversal.",
			"The agent does not cancel the prescription or add any payment.",
		},
	}, nil
}

var outOfScope = []struct{ want, summary string }{
	{"to book a flu shot appointment for next week", "The patient wants to book a flu vaccination appointment."},
	{"to have your doctor's office call you back about changing your dose", "The patient wants the prescriber's office to call back about a dose change."},
	{"home delivery of your medication set up every month", "The patient wants recurring home delivery of their medication."},
	{"to dispute a denied claim directly with your insurance company", "The patient wants help disputing a denied claim with their insurer."},
	{"a printed statement of all your pharmacy spending for your taxes", "The patient wants a printed yearly statement of pharmacy spending for taxes."},
	{"to report a side effect to the drug manufacturer", "The patient wants to report a side effect to the manufacturer."},
}

// draftOutOfScope drafts a hand-off to a human. The hand-off ends the conversation, so the
// draft has no subject and is never chained with other requests.
func draftOutOfScope(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if env.Subject != "" {
		return nil, domains.ErrNoCandidate
	}
	patients := slices.DeleteFunc(patientsOf(env), func(p *Patient) bool {
		phone, _ := p.Phone.(string)
		return phone == ""
	})
	if len(patients) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := domains.OneOf(r, patients)
	phone := p.Phone.(string)
	req := domains.OneOf(r, outOfScope)
	return &task.Draft{
		Intent:        "out_of_scope",
		Purpose:       "Look up the patient, tell them the phone number on file and hand a request the tools cannot handle to a human agent.",
		Persona:       persona(r, p),
		ReasonForCall: "You want " + req.want + ".",
		KnownInfo:     idLine(r, p),
		UnknownInfo:   "You do not know whether the pharmacy's phone line can do this.",
		TaskInstructions: domains.OneOf(r, []string{
			"If the agent cannot do it, ask to speak with a person.",
			"Explain your request; accept being transferred to someone who can help.",
			"Be patient, and accept a transfer if one is offered.",
		}) + " Before you are transferred, ask the agent which phone number the pharmacy has on file for you, so that the person who takes over can call you back.",
		Actions: []task.Call{
			task.NewCall("get_patient_details", "patient_id", p.PatientID),
			task.NewCall("transfer_to_human_agents", "summary", fmt.Sprintf("Patient %s (%s): %s", fullName(p), p.PatientID, req.summary)),
		},
		CommunicateInfo: []string{phone},
		NLAssertions: []string{
			"The agent transfers the user to a human agent because no tool can handle the request, and does not invent a way to do it.",
			fmt.Sprintf("The agent tells the user that the phone number on file is %s and sends the message %q.", phone, transferMessage),
		},
	}, nil
}
