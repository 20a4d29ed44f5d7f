package medicine

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// Generate builds a medicine database from r: about 90×scale medications, patients and
// prescriptions (one per patient), consistent across tables. Prescriptions take every
// status; active ones have no fills and usually a well-stocked lot to fill from, filled
// ones carry fills, claims and payments from the patient's saved methods, on-hold ones a
// reversed claim and canceled ones their mirrored refunds. Some lots are nearly empty or
// expired and a few medications have no stock at all. No prescription id comes from the
// RX1001-RX1003 pool that create_prescription hands out.
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("medicine: generate: scale %d, want at least 1", scale)
	}
	g := &generator{r: r, used: map[string]bool{}}
	n := 90 * scale
	db := &DB{
		Medications:   &domains.Table[Medication]{},
		Patients:      &domains.Table[Patient]{},
		Prescriptions: &domains.Table[Prescription]{},
	}
	g.pharmacies(4 + 4*scale)
	g.prescribers(6 + 6*scale)
	meds := g.medications(n)
	g.meds = make(map[string]*Medication, len(meds))
	for _, m := range meds {
		db.Medications.Put(m.MedicationID, m)
		g.meds[m.MedicationID] = m
	}
	// Every status appears among the first prescriptions, whatever the draw.
	first := []string{"active", "filled", "on-hold", "expired", "canceled", "transferred"}
	g.r.Shuffle(len(first), func(i, j int) { first[i], first[j] = first[j], first[i] })
	fillable := stocked(meds)
	for i := 0; i < n; i++ {
		p := g.patient(meds, i)
		status := g.status()
		if i < len(first) {
			status = first[i]
		}
		rx := g.prescription(p, meds, fillable, status)
		p.Prescriptions = []string{rx.PrescriptionID}
		db.Patients.Put(p.PatientID, p)
		db.Prescriptions.Put(rx.PrescriptionID, rx)
	}
	if err := domains.Freeze(db); err != nil {
		return nil, fmt.Errorf("medicine: generate: %w", err)
	}
	return db, nil
}

type generator struct {
	r            *rand.Rand
	used         map[string]bool // ids handed out, every table together
	pharmacyPool []PharmacyInfo
	doctors      []Prescriber
	fills        int
	meds         map[string]*Medication // by id, for lookups only
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// id returns a new 7-character id like the reference's (V3SUMYV). None starts with RX1,
// the prefix of the ids create_prescription makes.
func (g *generator) id() string {
	for {
		var b [7]byte
		for i := range b {
			b[i] = alnum[g.r.IntN(len(alnum))]
		}
		s := string(b[:])
		if !g.used[s] && !strings.HasPrefix(s, "RX1") {
			g.used[s] = true
			return s
		}
	}
}

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

func (g *generator) letters(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + g.r.IntN(26))
	}
	return string(b)
}

// date returns a YY-MM-DD date in year y (4 digits).
func (g *generator) date(y int) string {
	return fmt.Sprintf("%02d-%02d-%02d", y%100, 1+g.r.IntN(12), 1+g.r.IntN(28))
}

// addYears moves a YY-MM-DD date by n years.
func addYears(d string, n int) string {
	var y, m, day int
	fmt.Sscanf(d, "%d-%d-%d", &y, &m, &day)
	return fmt.Sprintf("%02d-%02d-%02d", (y+n)%100, m, day)
}

// addMonths moves a YY-MM-DD date by n months.
func addMonths(d string, n int) string {
	var y, m, day int
	fmt.Sscanf(d, "%d-%d-%d", &y, &m, &day)
	m += n
	y += (m - 1) / 12
	m = (m-1)%12 + 1
	return fmt.Sprintf("%02d-%02d-%02d", y%100, m, day)
}

func (g *generator) clock(d string) string {
	return fmt.Sprintf("%s-%02d-%02d", d, 8+g.r.IntN(11), 5*g.r.IntN(12))
}

func (g *generator) pharmacies(n int) {
	for i := 0; i < n; i++ {
		pl := places[g.r.IntN(len(places))]
		g.pharmacyPool = append(g.pharmacyPool, PharmacyInfo{
			PharmacyID: fmt.Sprintf("PHARM-%03d", i+1),
			Name:       pharmacies[i%len(pharmacies)],
			Address: PharmacyAddress{
				Street: fmt.Sprintf("%d %s", 10+g.r.IntN(990), g.pick(streets)),
				City:   pl.city, State: pl.state, Zip: g.zip(pl.zip),
			},
		})
	}
}

func (g *generator) prescribers(n int) {
	for i := 0; i < n; i++ {
		g.doctors = append(g.doctors, Prescriber{
			DoctorID: fmt.Sprintf("DOC-%04d", 1001+i),
			Name:     Name{FirstName: g.pick(firstNames), LastName: g.pick(lastNames)},
			NPI:      "1" + g.digits(9),
			Clinic:   g.pick(clinics),
		})
	}
}

func (g *generator) zip(prefix string) string {
	if len(prefix) == 3 && prefix[0] >= 'A' { // Canadian postal code
		return fmt.Sprintf("%s %d%c%d", prefix, g.r.IntN(10), 'A'+g.r.IntN(26), g.r.IntN(10))
	}
	return prefix + g.digits(5-len(prefix))
}

// medications makes n medications: each strength of each catalogue product once, then
// generic copies of them by other manufacturers.
func (g *generator) medications(n int) []*Medication {
	type variant struct{ d, s int }
	var variants []variant
	for d := range catalogue {
		for s := range catalogue[d].strengths {
			variants = append(variants, variant{d, s})
		}
	}
	meds := make([]*Medication, 0, n)
	for i := 0; i < n; i++ {
		v := variants[i%len(variants)]
		d := &catalogue[v.d]
		strength := d.strengths[v.s]
		brand, maker := d.brand, d.maker
		if i >= len(variants) { // a generic copy
			brand, maker = d.generic, genericMakers[g.r.IntN(len(genericMakers))]
		}
		slug := strings.ToLower(strings.NewReplacer(" ", "-", "/", "-", "%", "pct", ".", "", "'", "").Replace(brand + "-" + strength))
		unitPrice := py.Round(d.unitPrice*(0.85+0.3*g.r.Float64()), 2)
		if unitPrice <= 0 {
			unitPrice = 0.01
		}
		m := &Medication{
			MedicationID:                g.id(),
			BrandName:                   brand,
			GenericName:                 d.generic,
			DosageForm:                  d.form,
			Strength:                    strength,
			Route:                       d.route,
			NDC:                         fmt.Sprintf("%05d-%04d-%02d", g.r.IntN(100000), g.r.IntN(10000), g.r.IntN(100)),
			ATCCode:                     d.atc,
			Manufacturer:                maker,
			PrescriptionRequired:        d.rx,
			ControlledSubstanceSchedule: d.schedule,
			Indications:                 d.indications,
			Contraindications:           d.contraindications,
			Warnings:                    d.warnings,
			CommonSideEffects:           d.sideEffects,
			Storage:                     MedicationStorage{TemperatureC: d.temp, ProtectFromLight: d.light, Notes: d.storage},
			DosageGuidelines: MedicationDosageGuidelines{
				Adults: fmt.Sprintf(d.adults, strength), Pediatrics: d.peds, Geriatrics: d.geri, MaxDailyDose: d.max,
			},
			Images: []MedicationImage{{URL: "https://example.com/images/" + slug + "-front.jpg", View: "front"}},
			Pricing: MedicationPricing{
				WholesalePrice:       py.Round(unitPrice*(0.45+0.3*g.r.Float64()), 2),
				SuggestedRetailPrice: unitPrice,
			},
		}
		if g.chance(0.9) {
			m.Images = append(m.Images, MedicationImage{URL: "https://example.com/images/" + slug + "-back.jpg", View: "back"})
		}
		batches := 2
		switch x := g.r.IntN(100); {
		case i%45 == 44:
			batches = 0 // out of stock
		case x < 22:
			batches = 1
		case x < 30:
			batches = 3
		}
		prefix := strings.ToUpper(strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
				return r
			}
			return -1
		}, brand))
		if len(prefix) > 3 {
			prefix = prefix[:3]
		}
		for b := 0; b < batches; b++ {
			year := 2023 + g.r.IntN(2)
			made := g.date(year)
			expires := addYears(made, 2+g.r.IntN(2))
			if g.chance(0.08) {
				expires = addYears(made, 1) // already expired by the frozen clock's date
				made = g.date(2022)
				expires = addYears(made, 1)
			}
			qty := int64(100 * (2 + g.r.IntN(49)))
			if g.chance(0.1) || (i%30 == 7 && b == 0) {
				qty = int64(g.r.IntN(16)) // nearly empty
			}
			key := fmt.Sprintf("%s%02d%c", prefix, year%100, 'A'+b)
			if g.chance(0.4) {
				key = fmt.Sprintf("BATCH-%s-%c", prefix, 'A'+b)
			}
			m.Batches.Set(key, &MedicationBatch{
				LotNumber:       fmt.Sprintf("%s%s", g.letters(2), g.digits(5)), // never the map key
				ManufactureDate: made,
				ExpirationDate:  expires,
				QuantityUnits:   qty,
				Unit:            d.unit,
			})
		}
		meds = append(meds, m)
	}
	return meds
}

// fold makes a name fit an email address.
func fold(s string) string {
	s = strings.NewReplacer("é", "e", "ë", "e", "ü", "u", "'", "", " ", "").Replace(strings.ToLower(s))
	return s
}

func (g *generator) patient(meds []*Medication, i int) *Patient {
	pl := places[g.r.IntN(len(places))]
	first, last := g.pick(firstNames), g.pick(lastNames)
	id := g.id()
	email := fold(first) + "." + fold(last) + "@example.com"
	if g.chance(0.3) {
		email = fold(first) + fold(last) + g.digits(2) + "@" + g.pick([]string{"gmail.com", "yahoo.com", "outlook.com", "example.org"})
	}
	year := 1940 + g.r.IntN(65)
	p := &Patient{
		PatientID: id,
		Name:      Name{FirstName: first, LastName: last},
		Address: &PatientAddress{
			Street: fmt.Sprintf("%d %s", 1+g.r.IntN(9999), g.pick(streets)),
			City:   pl.city, Country: pl.country, State: pl.state, Zip: g.zip(pl.zip),
		},
		Email:             email,
		Phone:             fmt.Sprintf("%s-555-%s", pl.area, g.digits(4)),
		DOB:               g.date(year),
		Gender:            g.pick([]string{"female", "male", "female", "male", "non-binary"}),
		Allergies:         []string{},
		MedicalConditions: []string{},
		Insurance: &PatientInsurance{
			Provider: g.pick(providers),
			PlanName: g.pick(plans),
			MemberID: g.letters(2) + g.digits(9),
			Group:    "GRP" + g.digits(6),
			BIN:      g.digits(6),
			PCN:      g.pick([]string{"A4", "ADV", "CN", "9999", "MEDDPRIME"}),
		},
		Membership: g.pick(memberships),
	}
	for k := g.r.IntN(3); k > 0; k-- {
		if a := g.pick(allergies); !contains(p.Allergies, a) {
			p.Allergies = append(p.Allergies, a)
		}
	}
	for k := 1 + g.r.IntN(3); k > 0; k-- {
		if c := g.pick(conditions); !contains(p.MedicalConditions, c) {
			p.MedicalConditions = append(p.MedicalConditions, c)
		}
	}
	p.CurrentMedications = []PatientCurrentMedication{}
	for k := g.r.IntN(3); k > 0; k-- {
		m := meds[g.r.IntN(len(meds))]
		p.CurrentMedications = append(p.CurrentMedications, PatientCurrentMedication{
			MedicationID: m.MedicationID, Name: m.BrandName, Strength: m.Strength,
			Dosage:    catalogueSig(m),
			StartDate: g.date(2020 + g.r.IntN(5)),
		})
	}
	methods := 1
	if g.chance(0.1) || i%30 == 11 {
		methods = 2
	}
	for k := 0; k < methods; k++ {
		source := "credit_card"
		switch x := g.r.IntN(10); {
		case x == 0:
			source = "hsa_card"
		case x == 1:
			source = "debit_card"
		}
		brand, four := g.pick(cardBrands), g.digits(4)
		pm := &MedicinePaymentMethod{
			Source:          source,
			PaymentMethodID: fmt.Sprintf("PM-%s%d", id[:2], k+1),
			ExtraInfo:       MedicinePaymentMethodExtraInfo{Brand: &brand, LastFour: &four},
		}
		p.PaymentMethods.Set(pm.PaymentMethodID, pm)
	}
	p.EmergencyContacts = []EmergencyContact{{
		Name:         g.pick(firstNames) + " " + last,
		Relationship: g.pick(relations),
		Phone:        fmt.Sprintf("%s-555-%s", pl.area, g.digits(4)),
	}}
	p.SavedDependents = []SavedDependent{}
	if g.chance(0.9) {
		p.SavedDependents = append(p.SavedDependents, SavedDependent{
			FirstName: g.pick(firstNames), LastName: last,
			DOB:          g.date(year + 20 + g.r.IntN(15)),
			Relationship: g.pick([]string{"son", "daughter", "spouse", "parent"}),
		})
	}
	return p
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// catalogueSig returns the directions of the product line of m.
func catalogueSig(m *Medication) string {
	for i := range catalogue {
		if catalogue[i].generic == m.GenericName && catalogue[i].form == m.DosageForm {
			return catalogue[i].sig
		}
	}
	return "Use as directed"
}

func (g *generator) status() string {
	switch x := g.r.IntN(100); {
	case x < 28:
		return "active"
	case x < 78:
		return "filled"
	case x < 88:
		return "on-hold"
	case x < 92:
		return "expired"
	case x < 96:
		return "canceled"
	}
	return "transferred"
}

// stocked returns the medications with a lot of at least 90 units: enough for any order
// the generator writes.
func stocked(meds []*Medication) []*Medication {
	var out []*Medication
	for _, m := range meds {
		for b := range m.Batches.Values() {
			if b.QuantityUnits >= 90 {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

func (g *generator) prescription(p *Patient, meds, fillable []*Medication, status string) *Prescription {
	created := g.date(2023 + g.r.IntN(2))
	if created > today {
		created = addYears(created, -1)
	}
	if status == "expired" {
		created = g.date(2022)
	}
	pharm := g.pharmacyPool[g.r.IntN(len(g.pharmacyPool))]
	rx := &Prescription{
		PrescriptionID:    g.id(),
		PatientID:         p.PatientID,
		Pharmacy:          &pharm,
		Prescriber:        g.doctors[g.r.IntN(len(g.doctors))],
		Status:            status,
		CreatedAt:         created,
		ExpiresAt:         addYears(created, 1),
		Dispenses:         []Dispense{},
		PaymentHistory:    []PharmacyPayment{},
		CounselingOffered: g.pick([]string{"yes", "no"}),
		Notes:             g.pick(notes),
	}
	lines := 1
	if g.chance(0.06) {
		lines = 2
	}
	for k := 0; k < lines; k++ {
		qty := []int{14, 20, 28, 30, 60, 90}[g.r.IntN(6)]
		m := meds[g.r.IntN(len(meds))]
		if status == "active" && len(fillable) > 0 && g.chance(0.85) {
			m = fillable[g.r.IntN(len(fillable))] // fillable from stock
		}
		refills := int64(g.r.IntN(6))
		rx.MedicationOrders = append(rx.MedicationOrders, MedicationOrder{
			MedicationID: m.MedicationID, BrandName: m.BrandName, GenericName: m.GenericName,
			Strength: m.Strength, DosageForm: m.DosageForm, Route: m.Route, Sig: catalogueSig(m),
			Quantity: int64(qty), DaysSupply: int64([]int{7, 10, 14, 30, 90}[g.r.IntN(5)]),
			SubstitutionAllowed: g.pick([]string{"yes", "no"}),
			RefillsAllowed:      refills, RefillsRemaining: refills,
		})
		if m.PrescriptionRequired == "no" {
			rx.NoncoveredItems++
		}
	}
	rx.TotalItems = int64(len(rx.MedicationOrders))
	if status == "active" {
		return rx
	}
	fills := 1
	if g.chance(0.08) {
		fills = 2
	}
	pms := p.PaymentMethods.Keys()
	for f := 0; f < fills; f++ {
		g.fill(rx, pms[g.r.IntN(len(pms))], status == "on-hold" && f == fills-1)
	}
	if status == "canceled" {
		for _, pay := range rx.PaymentHistory {
			if pay.Amount != 0 {
				rx.PaymentHistory = append(rx.PaymentHistory, PharmacyPayment{PaymentID: pay.PaymentID, Amount: -pay.Amount})
			}
		}
	}
	return rx
}

// fill records a past fill of every order of rx, paid with payment method pm.
func (g *generator) fill(rx *Prescription, pm string, reversed bool) {
	g.fills++
	day := min(addMonths(rx.CreatedAt, len(rx.Dispenses)), today) // refills a month apart
	d := Dispense{
		FillID:        fmt.Sprintf("FILL-%04d", g.fills),
		DateFilledEst: g.clock(day),
		PharmacistID:  fmt.Sprintf("RPH-%04d", 1000+g.r.IntN(60)),
		Items:         []DispensedItem{},
	}
	var price float64
	for i := range rx.MedicationOrders {
		mo := &rx.MedicationOrders[i]
		m := g.meds[mo.MedicationID]
		lot, exp := g.letters(2)+g.digits(5), addYears(rx.CreatedAt, 2)
		if m.Batches.Len() > 0 {
			b, _ := m.Batches.Get(m.Batches.Keys()[g.r.IntN(m.Batches.Len())])
			lot, exp = b.LotNumber, b.ExpirationDate // the lot's number, as the reference's fills hold
		}
		item := DispensedItem{
			MedicationID: mo.MedicationID, QuantityDispensed: mo.Quantity, LotNumber: lot, ExpirationDate: exp,
			Price: py.Round(m.Pricing.SuggestedRetailPrice*float64(mo.Quantity), 2),
		}
		price += item.Price
		d.Items = append(d.Items, item)
		if mo.RefillsRemaining > 0 { // as fill_prescription counts them
			mo.RefillsRemaining--
		}
	}
	price = py.Round(price, 2)
	copay := []float64{0, 5, 10, 15, 20, 25, 35, 50}[g.r.IntN(8)]
	if copay > price {
		copay = price
	}
	d.Insurance = DispenseInsurance{
		BilledAmount:  price,
		InsurancePaid: py.Round(price-copay, 2),
		PatientCopay:  copay,
		Reversals:     []DispenseInsuranceReversal{},
	}
	if g.chance(0.5) {
		pa := fmt.Sprintf("PA-%05d", g.r.IntN(100000))
		d.Insurance.PriorAuthorizationID = &pa
	}
	if reversed {
		d.Insurance.Reversals = append(d.Insurance.Reversals, DispenseInsuranceReversal{
			DateEst: g.clock(min(addMonths(day, 1), today)), Amount: d.Insurance.InsurancePaid,
		})
	}
	rx.Dispenses = append(rx.Dispenses, d)
	if copay > 0 {
		rx.PaymentHistory = append(rx.PaymentHistory, PharmacyPayment{PaymentID: pm, Amount: copay})
	}
}
