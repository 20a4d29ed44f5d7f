package school

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/toolscale/toolscale/domains"
)

// Generate builds a school database from r: 120×scale courses (nine in ten in 2025-SPRING,
// the rest in 2025-FALL), as many students and one registration per student, consistent
// across tables. Every course has three or four meeting records covering all three
// statuses; some courses are full, some patterns clash, a few meet at weekends. Students
// have one or two saved payment methods (cards and bank accounts) and all three study
// levels; registrations take every grading option and enrollment status, are sometimes
// priced at an older rate or only partly paid, and a few are already cancelled (no
// courses, every payment mirrored by a refund). In each term the first four courses are
// two open, conflict-free courses, an open one that clashes with the first, and a full
// one, so every WRITE tool has records it succeeds on and records each precondition
// rejects. No id comes from the REG001-REG003 pool register_courses hands out.
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("school: generate: scale %d, want at least 1", scale)
	}
	g := &generator{r: r, used: map[string]bool{}}
	n := 120 * scale
	fall := n / 10
	db := &DB{
		Courses:       &domains.Table[Course]{},
		Students:      &domains.Table[Student]{},
		Registrations: &domains.Table[Registration]{},
	}
	g.advisorPool()
	byTerm := [2][]*Course{}
	titles := g.titles(n)
	for i := 0; i < n; i++ {
		term := 0
		k := i // index within the term
		if i >= n-fall {
			term, k = 1, i-(n-fall)
		}
		c := g.course(titles[i], term, k)
		byTerm[term] = append(byTerm[term], c)
		db.Courses.Put(c.CourseID, c)
	}
	seats := map[string]int64{} // registered students per course
	for i := 0; i < n; i++ {
		s := g.student(i)
		term := 0
		if g.chance(0.1) {
			term = 1
		}
		reg := g.registration(s, byTerm[term], terms[term].name, seats)
		s.Registrations = []string{reg.RegistrationID}
		db.Students.Put(s.StudentID, s)
		db.Registrations.Put(reg.RegistrationID, reg)
	}
	for _, list := range byTerm {
		for _, c := range list {
			c.CurrentEnrollment = max(c.CurrentEnrollment, seats[c.CourseID])
		}
	}
	if err := domains.Freeze(db); err != nil {
		return nil, fmt.Errorf("school: generate: %w", err)
	}
	return db, nil
}

type generator struct {
	r        *rand.Rand
	used     map[string]bool // ids handed out, every table together
	payments int             // PAY-nnnn receipts handed out
	advisors map[string][]Advisor
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// id returns a new 7-character id like the reference's (XNMQ98S); none starts with REG.
func (g *generator) id() string {
	for {
		var b [7]byte
		for i := range b {
			b[i] = alnum[g.r.IntN(len(alnum))]
		}
		s := string(b[:])
		if !g.used[s] && !strings.HasPrefix(s, "REG") {
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

var folder = strings.NewReplacer("á", "a", "é", "e", "ü", "u", "ó", "o", "'", "", " ", "")

// fold makes a name fit an email address or an id.
func fold(s string) string { return folder.Replace(strings.ToLower(s)) }

// ymd writes a date as YY-MM-DD.
func ymd(t time.Time) string { return fmt.Sprintf("%02d-%02d-%02d", t.Year()%100, t.Month(), t.Day()) }

func day(d [3]int) time.Time { return time.Date(d[0], time.Month(d[1]), d[2], 0, 0, 0, 0, time.UTC) }

// birthday returns a YY-MM-DD date in a year between from and to.
func (g *generator) birthday(from, to int) string {
	t := time.Date(from+g.r.IntN(to-from+1), time.January, 1, 0, 0, 0, 0, time.UTC)
	return ymd(t.AddDate(0, 0, g.r.IntN(365)))
}

type titleRef struct {
	dept  *department
	index int
}

// titles deals n course titles, spread over the departments, in random order.
func (g *generator) titles(n int) []titleRef {
	var all []titleRef
	for i := range catalogue {
		for j := range catalogue[i].titles {
			all = append(all, titleRef{&catalogue[i], j})
		}
	}
	out := make([]titleRef, 0, n)
	for len(out) < n {
		g.r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		out = append(out, all[:min(len(all), n-len(out))]...)
	}
	return out
}

func (g *generator) advisorPool() {
	g.advisors = map[string][]Advisor{}
	for _, d := range catalogue {
		for k := 0; k < 3; k++ {
			first, last := g.pick(firstNames), g.pick(lastNames)
			g.advisors[d.name] = append(g.advisors[d.name], Advisor{
				FirstName: first, LastName: last,
				Email: fold(first[:1]+last) + "@univ.edu",
			})
		}
	}
}

func (g *generator) campus() string {
	total := 0
	for _, c := range campuses {
		total += c.weight
	}
	x := g.r.IntN(total)
	for _, c := range campuses {
		if x < c.weight {
			return c.name
		}
		x -= c.weight
	}
	return campuses[0].name
}

// The fixed patterns of the first four courses of each term: two that fit together, one
// that clashes with the first (shared Monday and Wednesday mornings), and a full one.
var leadSlots = []slot{{mw, "09-00", "10-15"}, {tr, "11-00", "12-15"}, {mwf, "09-00", "09-50"}, {fri, "13-30", "16-15"}}

// weekendSlots are given to the next spring courses: weekend classes are rare otherwise.
var weekendSlots = []slot{{sat, "09-00", "11-50"}, {sun, "13-00", "15-50"}}

func (g *generator) slot() slot {
	if g.chance(0.7) {
		return slots[g.r.IntN(12)] // the common daytime patterns
	}
	return slots[g.r.IntN(len(slots))]
}

func (g *generator) course(t titleRef, term, k int) *Course {
	d := t.dept
	level := 1 + t.index*4/len(d.titles)
	if t.index == len(d.titles)-1 && len(d.titles) >= 8 {
		level = 5 // a graduate seminar
	}
	credits := int64(3)
	switch x := g.r.IntN(100); {
	case x < 2:
		credits = 5
	case x < 45:
		credits = 4
	}
	dept := d.name
	if g.chance(0.15) {
		dept = d.code
	}
	first, last := g.pick(firstNames), g.pick(lastNames)
	email := fold(first[:1]+last) + "@univ.edu"
	if g.chance(0.5) {
		email = fold(first) + "." + fold(last) + "@univ.edu"
	}
	building := g.pick(d.buildings)
	var initials strings.Builder
	for _, w := range strings.Fields(building) {
		initials.WriteByte(w[0])
	}
	s := g.slot()
	switch {
	case k < len(leadSlots):
		s = leadSlots[k]
	case term == 0 && k < len(leadSlots)+len(weekendSlots):
		s = weekendSlots[k-len(leadSlots)] // every day of the week is represented
	}
	c := &Course{
		CourseID:   g.id(),
		Department: dept,
		CourseCode: fmt.Sprintf("%s-%d%d%02d", d.code, level, 1+g.r.IntN(4), 5*g.r.IntN(12)),
		Title:      d.titles[t.index],
		Credits:    credits,
		Term:       terms[term].name,
		Instructor: Instructor{FirstName: first, LastName: last, Email: email},
		Location: Location{
			Campus:   g.campus(),
			Building: building,
			Room:     fmt.Sprintf("%s-%d%02d", initials.String(), 1+g.r.IntN(4), g.r.IntN(30)),
		},
		MeetingPattern:  MeetingPattern{Days: s.days, StartTimeEst: s.start, EndTimeEst: s.end},
		Capacity:        []int64{18, 20, 24, 25, 28, 30, 35, 40, 45, 50, 60, 80}[g.r.IntN(12)],
		CurrentWaitlist: 0,
	}
	c.WaitlistCapacity = []int64{5, 5, 8, 10, 10, 15, 20}[g.r.IntN(7)]
	if c.Capacity >= 60 && c.WaitlistCapacity < 10 {
		c.WaitlistCapacity = 10
	}
	full := (term == 0 && g.chance(0.15)) || k == 3
	if k < 3 {
		full = false
	}
	switch {
	case full:
		c.CurrentEnrollment = c.Capacity
		c.CurrentWaitlist = int64(g.r.IntN(int(c.WaitlistCapacity) + 1))
	case g.chance(0.1):
		c.CurrentEnrollment = int64(1 + g.r.IntN(3)) // barely started
	default:
		c.CurrentEnrollment = c.Capacity * int64(30+g.r.IntN(65)) / 100
		if g.chance(0.2) {
			c.CurrentWaitlist = int64(g.r.IntN(3))
		}
	}
	c.CurrentEnrollment = min(c.CurrentEnrollment, c.Capacity)
	if !full && c.CurrentEnrollment == c.Capacity {
		c.CurrentEnrollment--
	}
	g.meetings(c, d, term)
	return c
}

// meetings sets the scheduled first and last meetings and three or four meeting records.
func (g *generator) meetings(c *Course, d *department, term int) {
	first, last := day(terms[term].first), day(terms[term].last)
	first = first.AddDate(0, 0, g.r.IntN(12))
	last = last.AddDate(0, 0, -g.r.IntN(8))
	var classes []time.Time
	for t := first; !t.After(last); t = t.AddDate(0, 0, 1) {
		if slices.Contains(c.MeetingPattern.Days, t.Weekday().String()) {
			classes = append(classes, t)
		}
	}
	p := &c.MeetingPattern
	c.ScheduledFirstMeetingEst = ymd(classes[0]) + "-" + p.StartTimeEst
	c.ScheduledLastMeetingEst = ymd(classes[len(classes)-1]) + "-" + p.EndTimeEst
	picked := []int{0}
	want := 3
	if g.chance(0.3) {
		want = 4
	}
	for len(picked) < want {
		i := 1 + g.r.IntN(min(len(classes)-1, 12))
		if !slices.Contains(picked, i) {
			picked = append(picked, i)
		}
	}
	slices.Sort(picked)
	str := func(s string) *string { return &s }
	for n, i := range picked {
		date := classes[i]
		st := &DateStatus{Status: "held", Topic: "Syllabus and course overview"}
		if n > 0 {
			st.Topic = d.topics[(n-1+g.r.IntN(len(d.topics)))%len(d.topics)]
			switch x := g.r.IntN(100); {
			case x < 26:
				st.Status = "canceled"
			case x < 50:
				st.Status = "rescheduled"
			}
		}
		switch st.Status {
		case "held":
			late := 0
			if g.chance(0.3) {
				late = 1 + g.r.IntN(9)
			}
			st.ActualStartTimeEst = str(ymd(date) + "-" + addMinutes(p.StartTimeEst, late))
			st.ActualEndTimeEst = str(ymd(date) + "-" + p.EndTimeEst)
			if g.chance(0.7) {
				st.Notes = str(g.pick(heldNotes))
			}
			if n == 0 && g.chance(0.5) {
				st.Notes = str("Introductions and materials overview.")
			}
		case "rescheduled":
			moved := date.AddDate(0, 0, 1+g.r.IntN(2))
			shift := []int{0, 0, 60, 120, -30}[g.r.IntN(5)]
			st.ActualStartTimeEst = str(ymd(moved) + "-" + addMinutes(p.StartTimeEst, shift))
			st.ActualEndTimeEst = str(ymd(moved) + "-" + addMinutes(p.EndTimeEst, shift))
			if g.chance(0.85) {
				st.Notes = str(g.pick(rescheduleNotes))
			}
		case "canceled":
			if g.chance(0.95) {
				st.Notes = str(g.pick(cancelNotes))
			}
		}
		c.Dates.Set(ymd(date), st)
	}
}

// addMinutes moves an HH-MM time (two-digit fields) by m minutes.
func addMinutes(hhmm string, m int) string {
	h, mm := int(hhmm[0]-'0')*10+int(hhmm[1]-'0'), int(hhmm[3]-'0')*10+int(hhmm[4]-'0')
	t := h*60 + mm + m
	return fmt.Sprintf("%02d-%02d", t/60, t%60)
}

// level returns the study level of the i-th student: mostly undergraduates, a fifth
// graduates, a few in continuing education (always the third student).
func (g *generator) level(i int) string {
	switch x := g.r.IntN(100); {
	case i%120 == 2 || x < 3:
		return "continuing_ed"
	case x < 23:
		return "graduate"
	}
	return "undergraduate"
}

// studyLevelOf recovers a student's study level from their degree.
func studyLevelOf(p *Program) string {
	switch p.Degree {
	case "Certificate":
		return "continuing_ed"
	case "MS", "MA", "MBA":
		return "graduate"
	}
	return "undergraduate"
}

func (g *generator) student(i int) *Student {
	first, last := g.pick(firstNames), g.pick(lastNames)
	pl := places[g.r.IntN(len(places))]
	level := g.level(i)
	d := &catalogue[g.r.IntN(len(catalogue))]
	prog := Program{School: d.school, Degree: g.pick(d.degrees), Major: d.name}
	born := g.birthday(2001, 2006)
	switch level {
	case "graduate":
		prog.School, prog.Degree = graduateSchool, "MA"
		if slices.Contains(d.degrees, "BS") {
			prog.Degree = "MS"
		}
		if d.code == "BUS" {
			prog.Degree = "MBA"
		}
		born = g.birthday(1990, 2001)
	case "continuing_ed":
		prog.School, prog.Degree = continuingSchool, "Certificate"
		born = g.birthday(1972, 1995)
	default:
		if g.chance(0.7) {
			minor := g.pick(minors)
			if minor != prog.Major {
				prog.Minor = &minor
			}
		}
	}
	id := g.id()
	email := fold(first) + "." + fold(last) + "@" + g.pick(emailDomains)
	if g.chance(0.2) {
		email = fold(first[:1]+last) + g.digits(2) + "@" + g.pick(emailDomains)
	}
	s := &Student{
		StudentID: id,
		Name:      Name{FirstName: first, LastName: last},
		Address: StudentAddress{
			Street: fmt.Sprintf("%d %s", 1+g.r.IntN(999), g.pick(streets)),
			City:   pl.city, Country: "USA", State: pl.state, Zip: pl.zip + g.digits(2),
		},
		Email:   email,
		DOB:     born,
		Program: prog,
	}
	switch {
	case i%120 == 1 || g.chance(0.02):
		// no membership (null)
	case level == "graduate" && g.chance(0.3):
		m := "graduate_council"
		s.Membership = &m
	default:
		m := g.pick(memberships)
		s.Membership = &m
	}
	methods := 1
	if g.chance(0.2) || i%120 == 0 {
		methods = 2
	}
	style := g.r.IntN(4)
	for k := 1; k <= methods; k++ {
		source := "credit_card"
		if (k == 1 && g.chance(0.2)) || k == 2 {
			source = "bank_account"
		}
		var pmID string
		switch style {
		case 0:
			pmID = fmt.Sprintf("PM-%s-%d", id, k)
		case 1:
			tag := "CC"
			if source == "bank_account" {
				tag = "BA"
			}
			pmID = fmt.Sprintf("PM-%s-%s%d", id[:3], tag, k)
		case 2:
			pmID = g.id()
		default:
			kind := "card"
			if source == "bank_account" {
				kind = "bank"
			}
			pmID = fmt.Sprintf("pm_%s_%s%02d", kind, fold(first), k)
		}
		four := g.digits(4)
		info := PaymentMethodExtraInfo{LastFour: &four}
		if source == "credit_card" {
			brand := g.pick(cardBrands)
			info.Brand = &brand
		} else if g.chance(0.3) {
			brand := "ACH"
			info.Brand = &brand
		}
		s.PaymentMethods.Set(pmID, &PaymentMethod{Source: source, PaymentMethodID: pmID, ExtraInfo: info})
	}
	contacts := 1
	if g.chance(0.1) {
		contacts = 2
	}
	s.SavedContacts = []SavedContact{}
	for k := 0; k < contacts; k++ {
		rel := g.pick(relations)
		cl := last
		if rel == "friend" || (rel == "spouse" && g.chance(0.5)) {
			cl = g.pick(lastNames)
		}
		s.SavedContacts = append(s.SavedContacts, SavedContact{
			FirstName: g.pick(firstNames), LastName: cl, Relationship: rel,
			Phone:       fmt.Sprintf("%s-555-01%s", pl.area, g.digits(2)),
			DateOfBirth: g.birthday(1958, 1982),
		})
	}
	return s
}

// olderRates are per-credit rates registrations were priced at before the current ones.
var olderRates = map[string][]int64{
	"undergraduate": {450, 1200},
	"graduate":      {700, 1300},
	"continuing_ed": {350},
}

func (g *generator) registration(s *Student, courses []*Course, term string, seats map[string]int64) *Registration {
	level := studyLevelOf(&s.Program)
	want := 2 // four or five courses make a full-time load, five can overload
	switch x := g.r.IntN(100); {
	case x < 12:
		want = 1
	case x < 52:
	case x < 77:
		want = 3
	case x < 95:
		want = 4
	default:
		want = 5
	}
	var picked []*Course
	for tries := 0; len(picked) < want && tries < 60; tries++ {
		c := courses[g.r.IntN(len(courses))]
		if seats[c.CourseID] >= c.Capacity-1 || slices.Contains(picked, c) {
			continue
		}
		clash := false
		for _, p := range picked {
			if ok, _ := conflict(&p.MeetingPattern, &c.MeetingPattern); ok {
				clash = true
			}
		}
		if !clash {
			picked = append(picked, c)
		}
	}
	rate := creditRates[level]
	if g.chance(0.6) {
		old := olderRates[level]
		rate = old[g.r.IntN(len(old))]
	}
	reg := &Registration{
		RegistrationID:  g.id(),
		StudentID:       s.StudentID,
		Campus:          defaultCampus,
		Program:         s.Program.Degree + " " + s.Program.Major,
		StudyLevel:      level,
		Term:            term,
		Courses:         []RegistrationCourse{},
		Advisors:        []Advisor{},
		PaymentHistory:  []Payment{},
		HealthInsurance: "no",
	}
	if g.chance(0.15) {
		reg.Program = s.Program.Major + " " + s.Program.Degree
	}
	if len(picked) > 0 {
		reg.Campus = picked[0].Location.Campus
	}
	var tuition int64
	for _, c := range picked {
		option := "letter"
		switch x := g.r.IntN(100); {
		case x < 14:
			option = "pass/fail"
		case x < 22:
			option = "audit"
		}
		reg.Courses = append(reg.Courses, RegistrationCourse{
			CourseID: c.CourseID, CourseCode: c.CourseCode, Section: g.pick(sections), Title: c.Title,
			Credits: c.Credits, GradingOption: option, Tuition: c.Credits * rate,
		})
		reg.TotalCredits += c.Credits
		tuition += c.Credits * rate
	}
	reg.Status = enrollmentStatus(reg.TotalCredits)
	reg.OverloadCredits = overload(reg.TotalCredits)
	if g.chance(0.6) {
		reg.HealthInsurance = "yes"
		tuition += insuranceFee
	}
	advisors := g.advisors[s.Program.Major]
	for k := 0; k < 1+g.r.IntN(2); k++ {
		a := advisors[g.r.IntN(len(advisors))]
		if !slices.Contains(reg.Advisors, a) {
			reg.Advisors = append(reg.Advisors, a)
		}
	}
	// Payments in installments of whole hundreds; some registrations are not yet paid in
	// full. Receipts are PAY-nnnn numbers, or the saved method itself.
	due := tuition
	if g.chance(0.3) {
		due = tuition * int64(40+g.r.IntN(50)) / 100
	}
	parts := 1 + g.r.IntN(3)
	methods := s.PaymentMethods.Keys()
	for k := 0; k < parts && due > 0; k++ {
		amount := due
		if k < parts-1 {
			amount = max(100, due*int64(30+g.r.IntN(40))/100/100*100)
		}
		due -= amount
		var pid string
		if g.chance(0.3) {
			pid = methods[g.r.IntN(len(methods))]
		} else {
			pid = g.receipt()
		}
		reg.PaymentHistory = append(reg.PaymentHistory, Payment{PaymentID: pid, Amount: amount})
	}
	start := day(terms[0].first).AddDate(0, 0, -70)
	if term == terms[1].name {
		start = day(terms[1].first).AddDate(0, 0, -150)
	}
	reg.CreatedAt = ymd(start.AddDate(0, 0, g.r.IntN(65)))
	aid := func(p float64) int64 {
		if !g.chance(p) {
			return 0
		}
		return int64(3+g.r.IntN(28)) * 100
	}
	reg.FinancialAid = FinancialAid{Scholarships: aid(0.6), Grants: aid(0.5), Loans: aid(0.4)}
	if g.chance(0.04) && len(reg.PaymentHistory) > 0 {
		// Cancelled earlier: no courses, every payment refunded, seats released.
		for _, p := range reg.PaymentHistory {
			reg.PaymentHistory = append(reg.PaymentHistory, Payment{PaymentID: p.PaymentID, Amount: -p.Amount})
		}
		reg.Courses = []RegistrationCourse{}
		reg.TotalCredits, reg.OverloadCredits, reg.Status = 0, 0, enrollmentStatus(0)
		return reg
	}
	for _, c := range picked {
		seats[c.CourseID]++
	}
	return reg
}

// receipt returns a new PAY-nnnn receipt number.
func (g *generator) receipt() string {
	g.payments++
	return fmt.Sprintf("PAY-%04d", g.payments)
}
