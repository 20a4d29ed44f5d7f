package school

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the school's task templates. The caller of every task is a student (the
// draft's Subject is the student id). Together they use every WRITE tool; the read-only
// ones ask for a fact the agent must pass on, and three end in a refusal the policy
// requires (changing health insurance, moving a registration to another term, adding a
// full course).
var intents = []*domains.Intent{
	intent("class_meeting_status", draftMeetingStatus),
	intent("open_courses_in_department", draftOpenCourses),
	intent("course_id_by_title", draftCourseIDByTitle),
	intent("course_logistics", draftCourseLogistics),
	intent("advisor_contact", draftAdvisorContact),
	intent("registration_status", draftRegistrationStatus),
	intent("register_for_term", draftRegisterForTerm),
	intent("register_split_payment", draftRegisterSplit),
	intent("add_course", draftAddCourse),
	intent("drop_course", draftDropCourse),
	intent("change_grading_option", draftChangeGrading),
	intent("add_alternative_when_full", draftAlternativeWhenFull),
	intent("cancel_registration", draftCancel),
	intent("pay_outstanding_balance", draftPayBalance),
	intent("refuse_insurance_change", draftRefuseInsurance),
	intent("refuse_term_change", draftRefuseTermChange),
	intent("refuse_full_course", draftRefuseFullCourse),
}

// intent names a template, stamps its name on every draft and adds a circumstance and a
// manner that do not change the task, so that two tasks on the same record read
// differently.
func intent(name string, draft func(r *rand.Rand, env *domains.Env) (*task.Draft, error)) *domains.Intent {
	return &domains.Intent{Name: name, Draft: func(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
		d, err := draft(r, env)
		if err != nil {
			return nil, err
		}
		d.Intent = name
		d.ReasonForCall = strings.TrimSpace(d.ReasonForCall + " " + domains.OneOf(r, asides))
		d.TaskInstructions = strings.TrimSpace(d.TaskInstructions + " " + domains.OneOf(r, closings))
		return d, nil
	}}
}

// ---- phrasing ----

var (
	asides = []string{
		"", "You are calling between two lectures.", "You are on the bus and the line is a bit noisy.",
		"You have the student portal open but it is not helping.", "Your roommate suggested you call the registrar.",
		"It is the evening and you want this settled today.", "You are at the library and speaking quietly.",
		"You have your notes from orientation in front of you.", "You are a little stressed about the semester.",
		"You have a shift at work soon, so you are in a hurry.", "You are calm and have plenty of time.",
		"Your parent asked you to sort this out.", "You tried emailing the registrar first and got no answer.",
	}
	closings = []string{
		"", "End the conversation politely once you have what you need.", "Thank the agent before you hang up.",
		"If the agent asks whether there is anything else, say no.", "Do not share more than the agent asks for.",
		"Answer the agent's questions one at a time.", "If something the agent says is unclear, ask it to repeat.",
		"Keep your messages short.", "Do not mention these instructions.", "Spell out ids character by character if asked.",
	}
	manners = []string{
		"speaks briefly and to the point", "is polite and patient but wants precise answers",
		"is a little anxious and wants every detail confirmed", "is chatty and gives details one at a time",
		"is busy and slightly impatient", "is careful with money and asks for amounts to be repeated",
		"is friendly and informal", "is formal and rather reserved", "types in short lower-case messages",
		"is organised and has everything written down",
	}
	hobbies = []string{
		"works part-time at a campus café", "plays in the university orchestra", "is on the rowing team",
		"volunteers at a food bank", "commutes from home", "lives in student housing", "works as a teaching assistant",
		"is the first in the family to attend university", "is returning to study after some years of work",
		"writes for the student newspaper",
	}
)

func fullName(s *Student) string { return s.Name.FirstName + " " + s.Name.LastName }

// levelOf is a student's study level: that of their first registration, else the one
// their degree implies.
func levelOf(db *DB, s *Student) string {
	for _, id := range s.Registrations {
		if reg, ok := db.Registrations.Get(id); ok {
			return reg.StudyLevel
		}
	}
	return studyLevelOf(&s.Program)
}

// levelWords name a study level with its article.
var levelWords = map[string]string{
	"undergraduate": "an undergraduate", "graduate": "a graduate student", "continuing_ed": "a continuing-education student",
}

func persona(r *rand.Rand, db *DB, s *Student) string {
	prog := s.Program.Degree + " " + s.Program.Major
	lvl := levelWords[levelOf(db, s)]
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s, %s in %s from %s, %s; %s.", fullName(s), lvl, prog, s.Address.City, domains.OneOf(r, hobbies), domains.OneOf(r, manners))
	case 1:
		return fmt.Sprintf("%s studies for a %s (%s) and lives in %s, %s. This student %s.", fullName(s), prog, lvl,
			s.Address.City, s.Address.State, domains.OneOf(r, manners))
	}
	return fmt.Sprintf("%s is %s (%s) who %s and %s.", fullName(s), lvl, prog, domains.OneOf(r, hobbies), domains.OneOf(r, manners))
}

// identity is how the caller introduces themselves; a chained request of the same caller
// says nothing new.
func identity(r *rand.Rand, env *domains.Env, s *Student) string {
	if env.Subject != "" {
		return ""
	}
	return domains.Choose(r,
		fmt.Sprintf("You are %s and your student id is %s.", fullName(s), s.StudentID),
		fmt.Sprintf("Your name is %s; your student id is %s.", fullName(s), s.StudentID),
		fmt.Sprintf("You are %s (student id %s, e-mail %s).", fullName(s), s.StudentID, s.Email))
}

func confirmRule(r *rand.Rand) string {
	return domains.Choose(r,
		"When the agent lists the details and asks you to confirm, answer yes.",
		"Say yes once the agent has told you the details and the amounts.",
		"Agree when the agent asks for your explicit confirmation.",
		"Confirm with a clear yes after the agent has summarised what it will do.")
}

// termWords says a term as a student would, with the catalogue's spelling.
func termWords(r *rand.Rand, term string) string {
	year, season, ok := strings.Cut(term, "-")
	if !ok {
		return term
	}
	season = strings.ToLower(season)
	return domains.Choose(r,
		fmt.Sprintf("the %s %s term (%s in the catalogue)", season, year, term),
		fmt.Sprintf("%s %s (%s)", season, year, term),
		fmt.Sprintf("the %s term", term))
}

// dateWords writes a YY-MM-DD date as a student would say it.
func dateWords(r *rand.Rand, d string) string {
	t, err := time.Parse("06-01-02", d)
	if err != nil {
		return d
	}
	return domains.Choose(r, t.Format("Monday, January 2, 2006"), t.Format("January 2, 2006"), t.Format("Jan 2, 2006")+" ("+t.Weekday().String()+")")
}

func courseWords(c *Course) string { return c.CourseCode + " " + c.Title }

func lineWords(l *RegistrationCourse) string { return l.CourseCode + " " + l.Title }

// methodWords describes a saved payment method as its owner would.
func methodWords(r *rand.Rand, pm *PaymentMethod) string {
	kind := "bank account"
	if pm.Source == "credit_card" {
		kind = "card"
		if b := pm.ExtraInfo.Brand; b != nil && *b != "" {
			kind = *b + " card"
		}
	}
	s := "your " + kind
	if f := pm.ExtraInfo.LastFour; f != nil && *f != "" {
		s += " ending in " + *f
	}
	if r.IntN(3) == 0 || pm.ExtraInfo.LastFour == nil {
		s += " (saved as " + pm.PaymentMethodID + ")"
	}
	return s
}

// plain reports whether s appears verbatim in a tool's JSON output: printable ASCII with
// nothing the encoder escapes.
func plain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\' {
			return false
		}
	}
	return true
}

// communicable keeps the amounts a user is told: whole dollars under a thousand, which
// an agent writes without a thousands separator.
func communicable(amount int64) []string {
	if amount < 0 {
		amount = -amount
	}
	if amount == 0 || amount >= 1000 {
		return nil
	}
	return []string{fmt.Sprint(amount)}
}

// ---- records ----

// eachCaller calls fit on the students a template may draft for, starting at a random one,
// until fit returns true; only env.Subject when it is set. It reports whether one fit.
func eachCaller(r *rand.Rand, env *domains.Env, fit func(s *Student) bool) bool {
	db := dbOf(env)
	if env.Subject != "" {
		s, ok := db.Students.Get(env.Subject)
		return ok && fit(s)
	}
	keys := db.Students.Keys()
	if len(keys) == 0 {
		return false
	}
	start := r.IntN(len(keys))
	for i := range keys {
		s, _ := db.Students.Get(keys[(start+i)%len(keys)])
		if fit(s) {
			return true
		}
	}
	return false
}

// registrations returns a student's registrations that exist and are theirs, in the
// order of the profile.
func registrations(db *DB, s *Student) []*Registration {
	var out []*Registration
	for _, id := range s.Registrations {
		if reg, ok := db.Registrations.Get(id); ok && reg.StudentID == s.StudentID && !slices.Contains(out, reg) {
			out = append(out, reg)
		}
	}
	return out
}

// callerRegistration finds, as eachCaller tries callers, a caller and a random registration
// of theirs with courses for which ok holds (nil: any). It reports whether one fit.
func callerRegistration(r *rand.Rand, env *domains.Env, ok func(*Registration) bool) (*Student, *Registration, bool) {
	db := dbOf(env)
	var (
		s   *Student
		reg *Registration
	)
	found := eachCaller(r, env, func(x *Student) bool {
		reg = pickRegistration(r, db, x, withCourses(db))
		s = x
		return reg != nil && (ok == nil || ok(reg))
	})
	return s, reg, found
}

// pickRegistration returns a random registration of s for which ok holds.
func pickRegistration(r *rand.Rand, db *DB, s *Student, ok func(*Registration) bool) *Registration {
	var fit []*Registration
	for _, reg := range registrations(db, s) {
		if ok(reg) {
			fit = append(fit, reg)
		}
	}
	if len(fit) == 0 {
		return nil
	}
	return domains.OneOf(r, fit)
}

// withCourses reports whether a registration holds courses that all exist.
func withCourses(db *DB) func(*Registration) bool {
	return func(reg *Registration) bool {
		if len(reg.Courses) == 0 {
			return false
		}
		for _, l := range reg.Courses {
			if _, ok := db.Courses.Get(l.CourseID); !ok {
				return false
			}
		}
		return true
	}
}

// regWords says which registration the caller means and what they know of it; lookups
// are the calls a careful agent makes to find and confirm it.
func regWords(r *rand.Rand, env *domains.Env, s *Student, reg *Registration) (known string, lookups []task.Call) {
	db := dbOf(env)
	sameTerm := 0
	for _, o := range registrations(db, s) {
		if o.Term == reg.Term {
			sameTerm++
		}
	}
	lookups = []task.Call{
		task.NewCall("get_student_details", "student_id", s.StudentID),
		task.NewCall("get_registration_details", "registration_id", reg.RegistrationID),
	}
	if env.Subject != "" {
		// A later request of the same call: the agent already has the profile.
		lookups = lookups[1:]
		if sameTerm == 1 {
			return fmt.Sprintf("This concerns your %s registration.", reg.Term), lookups
		}
	}
	if sameTerm > 1 || r.IntN(3) == 0 {
		return domains.Choose(r,
			fmt.Sprintf("Your registration for %s has the id %s.", termWords(r, reg.Term), reg.RegistrationID),
			fmt.Sprintf("The registration is %s, for %s.", reg.RegistrationID, termWords(r, reg.Term))), lookups
	}
	return fmt.Sprintf("It is about your registration for %s; you do not remember its id.", termWords(r, reg.Term)), lookups
}

// courses returns the courses for which ok holds, in a random order.
func courses(r *rand.Rand, db *DB, ok func(*Course) bool) []*Course {
	var out []*Course
	for c := range db.Courses.Values() {
		if ok(c) {
			out = append(out, c)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func open(c *Course) bool { return c.CurrentEnrollment < c.Capacity }

// fits reports whether c clashes with none of others.
func fits(c *Course, others []*Course) bool {
	for _, o := range others {
		if o.CourseID == c.CourseID {
			return false
		}
		if clash, err := conflict(&c.MeetingPattern, &o.MeetingPattern); err != nil || clash {
			return false
		}
	}
	return true
}

// lineCourses returns the courses of a registration's lines.
func lineCourses(db *DB, reg *Registration) []*Course {
	out := make([]*Course, 0, len(reg.Courses))
	for _, l := range reg.Courses {
		if c, ok := db.Courses.Get(l.CourseID); ok {
			out = append(out, c)
		}
	}
	return out
}

// uniqueCode reports whether a line's course code names it alone on its registration.
func uniqueCode(reg *Registration, l *RegistrationCourse) bool {
	n := 0
	for _, o := range reg.Courses {
		if o.CourseCode == l.CourseCode {
			n++
		}
	}
	return n == 1
}

// trial runs calls on a fork of env and returns their results, or false when one fails.
// Drafting never changes env itself.
func trial(env *domains.Env, calls ...task.Call) ([]domains.Result, bool) {
	f := domains.NewEnv(env.Domain, env.DB, env.Now)
	out := make([]domains.Result, 0, len(calls))
	for _, c := range calls {
		res := f.Call(c.Name, c.Arguments)
		if !res.OK() {
			return nil, false
		}
		out = append(out, res)
	}
	return out, true
}

func strList(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// change is an update of a registration's courses as the policy wants it made: kept
// pass/fail and audit choices restated, a charge on a saved method, a refund by default.
type change struct {
	reg           *Registration
	add, drop     []string
	options       map[string]string // grading option by course id, for the resulting schedule
	diff          int64             // new tuition minus the stored one
	method        *PaymentMethod    // charged when diff > 0
	call          task.Call
	optionsPhrase string // what the student says about grading options they keep
}

// planChange prices an update of reg and builds its golden call; it reports false when
// the update would fail or needs a payment method the student lacks.
func planChange(r *rand.Rand, env *domains.Env, s *Student, reg *Registration, add, drop []string, newOptions map[string]string) (*change, bool) {
	db := dbOf(env)
	ch := &change{reg: reg, add: add, drop: drop, options: map[string]string{}}
	var target []string
	for _, l := range reg.Courses {
		if slices.Contains(drop, l.CourseID) {
			continue
		}
		target = append(target, l.CourseID)
		if l.GradingOption != "letter" {
			ch.options[l.CourseID] = l.GradingOption
		}
	}
	var kept []string
	for _, l := range reg.Courses {
		if opt, ok := ch.options[l.CourseID]; ok && newOptions[l.CourseID] == "" {
			kept = append(kept, fmt.Sprintf("%s (%s)", l.CourseCode, opt))
		}
	}
	target = append(target, add...)
	for id, opt := range newOptions {
		if opt == "letter" {
			delete(ch.options, id)
		} else {
			ch.options[id] = opt
		}
	}
	rate, ok := creditRates[reg.StudyLevel]
	if !ok {
		return nil, false
	}
	var old, tuition int64
	for _, l := range reg.Courses {
		old += l.Tuition
	}
	for _, id := range target {
		c, ok := db.Courses.Get(id)
		if !ok {
			return nil, false
		}
		tuition += c.Credits * rate
	}
	ch.diff = tuition - old
	args := []any{"registration_id", reg.RegistrationID, "add_course_ids", strList(add), "drop_course_ids", strList(drop)}
	if len(ch.options) > 0 {
		o := py.NewObject()
		for _, id := range target { // in schedule order, not map order
			if opt, ok := ch.options[id]; ok {
				o.Set(id, opt)
			}
		}
		args = append(args, "grading_options", o)
	}
	if ch.diff > 0 {
		keys := s.PaymentMethods.Keys()
		if len(keys) == 0 {
			return nil, false
		}
		ch.method, _ = s.PaymentMethods.Get(domains.OneOf(r, keys))
		args = append(args, "payment_id", ch.method.PaymentMethodID)
	}
	ch.call = task.NewCall("update_registration_courses", args...)
	if _, ok := trial(env, ch.call); !ok {
		return nil, false
	}
	if len(kept) > 0 {
		ch.optionsPhrase = fmt.Sprintf("You want to keep the grading you chose for %s.", strings.Join(kept, " and "))
	}
	return ch, true
}

// moneyRule tells the student how to answer about the charge or refund of a change.
func (ch *change) moneyRule(r *rand.Rand) string {
	switch {
	case ch.diff > 0:
		return domains.Choose(r,
			fmt.Sprintf("If the agent tells you there is an additional charge, accept it and have it charged to %s.", methodWords(r, ch.method)),
			fmt.Sprintf("Any extra tuition should go on %s; agree to it.", methodWords(r, ch.method)))
	case ch.diff < 0:
		return domains.Choose(r,
			"If the agent mentions a refund, let it go to the default method; do not name a payment method.",
			"You have no preference where a refund goes, so let the agent use the default.")
	}
	return "If the agent mentions money, ask how much it is."
}

// moneyFacts are the amounts of a change the agent must tell the student.
func (ch *change) moneyFacts() []string { return communicable(ch.diff) }

func (ch *change) moneyAssertion() string {
	switch {
	case ch.diff > 0:
		return fmt.Sprintf("The agent tells the student about the additional charge of %d before making the change.", ch.diff)
	case ch.diff < 0:
		return fmt.Sprintf("The agent tells the student about the refund of %d.", -ch.diff)
	}
	return "The agent tells the student that the tuition does not change."
}

// ---- read-only intents ----

func draftMeetingStatus(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		line *RegistrationCourse
		date string
		st   *DateStatus
	)
	s, reg, found := callerRegistration(r, env, func(reg *Registration) bool {
		line = &reg.Courses[r.IntN(len(reg.Courses))]
		c, _ := db.Courses.Get(line.CourseID)
		keys := c.Dates.Keys()
		if len(keys) == 0 || !uniqueCode(reg, line) {
			return false
		}
		date = domains.OneOf(r, keys)
		st, _ = c.Dates.Get(date)
		return st != nil && plain(st.Topic)
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, reg)
	course := lineWords(line)
	if r.IntN(3) == 0 {
		course += " (course id " + line.CourseID + ")"
	}
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Look up what happened to one of a student's classes on a date and tell them its status and topic.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You missed %s on %s and want to know whether the class took place and what topic it covered.", course, dateWords(r, date)),
			fmt.Sprintf("You heard that %s may not have met as planned on %s; you want to know what happened that day and the topic.", course, dateWords(r, date)),
			fmt.Sprintf("You are catching up on notes for %s and need to know the status and topic of the session on %s.", course, dateWords(r, date))),
		KnownInfo: strings.TrimSpace(identity(r, env, s) + " " + known + " The course is on that registration."),
		UnknownInfo: domains.Choose(r, "You do not know the course id or how the registrar records class dates.",
			"You do not know whether the class was held, canceled or moved."),
		TaskInstructions: domains.Choose(r,
			"Ask whether the class was held, canceled or rescheduled, and what the topic was. Do not ask for anything else.",
			"You only want the status of that session and its topic; do not ask about other dates."),
		Actions:         append(lookups, task.NewCall("get_course_meeting_status", "course_id", line.CourseID, "date", date)),
		CommunicateInfo: []string{st.Status, st.Topic},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the student that the session of %s on %s was %s.", line.CourseCode, date, st.Status),
			"The agent tells the student the topic of the session.",
		},
	}, nil
}

func draftOpenCourses(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		s       *Student
		term    string
		dept    string
		day     string
		results []*Course
		full    bool
	)
	search := func(term, dept, day string) []*Course {
		var out []*Course
		for c := range db.Courses.Values() {
			if c.Term == term && c.Department == dept && open(c) && (day == "" || slices.Contains(c.MeetingPattern.Days, day)) {
				out = append(out, c)
			}
		}
		return out
	}
	found := eachCaller(r, env, func(x *Student) bool {
		regs := registrations(db, x)
		if len(regs) == 0 {
			return false
		}
		term = domains.OneOf(r, regs).Term
		var depts []string
		for c := range db.Courses.Values() {
			if c.Term == term && open(c) && !slices.Contains(depts, c.Department) && plain(c.Department) {
				depts = append(depts, c.Department)
			}
		}
		if len(depts) == 0 {
			return false
		}
		dept = domains.OneOf(r, depts)
		if slices.Contains(depts, x.Program.Major) && r.IntN(2) == 0 {
			dept = x.Program.Major
		}
		day = ""
		results = search(term, dept, "")
		if len(results) > 4 || (len(results) > 1 && r.IntN(3) == 0) {
			day = domains.OneOf(r, domains.OneOf(r, results).MeetingPattern.Days)
			results = search(term, dept, day)
		}
		if len(results) == 0 || len(results) > 4 {
			return false
		}
		for _, c := range results {
			if !plain(c.CourseCode) {
				return false
			}
		}
		full = false
		for c := range db.Courses.Values() {
			if c.Term == term && c.Department == dept && !open(c) {
				full = true
			}
		}
		s = x
		return true
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	args := []any{"term", term, "department", dept}
	want := fmt.Sprintf("courses of the department %q in %s still have free seats", dept, termWords(r, term))
	if day != "" {
		args = append(args, "day", day)
		want = fmt.Sprintf("courses of the department %q in %s meet on %s and still have free seats", dept, termWords(r, term), day)
	}
	args = append(args, "open_only", true)
	var codes []string
	for _, c := range results {
		if !slices.Contains(codes, c.CourseCode) {
			codes = append(codes, c.CourseCode)
		}
	}
	nl := []string{"The agent gives the student the course codes of every open course that matches."}
	if full {
		nl = append(nl, "The agent does not offer a course that is full.")
	}
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Search the catalogue for open courses of a department in a term and tell the student their codes.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You are planning your schedule and want to know which %s.", want),
			fmt.Sprintf("You need one more course and ask which %s.", want),
			fmt.Sprintf("An advisor suggested taking one more course; you want to know which %s.", want)),
		KnownInfo: strings.TrimSpace(identity(r, env, s) + " " + fmt.Sprintf("The catalogue spells the department exactly %q.", dept)),
		UnknownInfo: domains.Choose(r, "You do not know which courses are full.", "You do not know any course codes of that department.",
			"You have not looked at the catalogue yet."),
		TaskInstructions: domains.Choose(r,
			"Ask for the course codes and titles. You only want courses with free seats. Do not register for anything today.",
			"Only ask for the list; you will decide later and do not want to register now.",
			"Ask the agent to read out the codes of the matching courses; say you will register another time."),
		Actions:         []task.Call{task.NewCall("list_departments"), task.NewCall("search_courses", args...)},
		CommunicateInfo: codes,
		NLAssertions:    nl,
	}, nil
}

func draftCourseIDByTitle(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var terms []string
	for c := range db.Courses.Values() {
		if !slices.Contains(terms, c.Term) {
			terms = append(terms, c.Term)
		}
	}
	if len(terms) == 0 {
		return nil, domains.ErrNoCandidate
	}
	var (
		s      *Student
		term   string
		course *Course
	)
	found := eachCaller(r, env, func(x *Student) bool {
		term = domains.OneOf(r, terms)
		list := courses(r, db, func(c *Course) bool { return c.Term == term && plain(c.CourseID) && plain(c.CourseCode) })
		for _, c := range list {
			n := 0
			for o := range db.Courses.Values() {
				if o.Term == term && o.Title == c.Title {
					n++
				}
			}
			if n == 1 {
				s, course = x, c
				return true
			}
		}
		return false
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Find a course of a term by its title and tell the student its course id and code.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want the course id and course code of %q in %s, so that you can register for it later.", course.Title, termWords(r, term)),
			fmt.Sprintf("A friend recommended %q for %s and you need its course id and code.", course.Title, termWords(r, term)),
			fmt.Sprintf("Your advisor mentioned a course called %q in %s; you want to know its id and code.", course.Title, termWords(r, term))),
		KnownInfo:   strings.TrimSpace(identity(r, env, s) + " " + fmt.Sprintf("You know the exact title: %q.", course.Title)),
		UnknownInfo: "You do not know the course id or the course code.",
		TaskInstructions: domains.Choose(r,
			"Ask only for the id and the code; do not register for it now.",
			"Write down the id and code the agent gives you and say you will register another day."),
		Actions:         []task.Call{task.NewCall("list_courses_by_term", "term", term)},
		CommunicateInfo: []string{course.CourseID, course.CourseCode},
		NLAssertions:    []string{fmt.Sprintf("The agent tells the student that %q has the course id %s.", course.Title, course.CourseID)},
	}, nil
}

func draftCourseLogistics(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		line   *RegistrationCourse
		course *Course
	)
	s, reg, found := callerRegistration(r, env, func(reg *Registration) bool {
		line = &reg.Courses[r.IntN(len(reg.Courses))]
		course, _ = db.Courses.Get(line.CourseID)
		return uniqueCode(reg, line) && plain(course.Instructor.Email) && plain(course.Location.Building) && plain(course.Location.Room)
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, reg)
	var want string
	var facts []string
	switch r.IntN(3) {
	case 0:
		want = "the instructor's e-mail address"
		facts = []string{course.Instructor.Email}
	case 1:
		want = "the building and room where it meets"
		facts = []string{course.Location.Building, course.Location.Room}
	default:
		want = "the instructor's e-mail address and the room where it meets"
		facts = []string{course.Instructor.Email, course.Location.Room}
	}
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Look up a course on a student's registration and tell them where it meets or how to reach the instructor.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want %s for %s.", want, lineWords(line)),
			fmt.Sprintf("You lost the syllabus of %s and need %s.", lineWords(line), want),
			fmt.Sprintf("Before the first class of %s you want to know %s.", lineWords(line), want)),
		KnownInfo: strings.TrimSpace(identity(r, env, s) + " " + known + " The course is on that registration."),
		UnknownInfo: domains.Choose(r, "You do not know the course id.", "You do not have the course details at hand.",
			"You never wrote down where the course meets or who teaches it."),
		TaskInstructions: domains.Choose(r, "Ask only for that information.", "Do not ask about other courses.", "Repeat the answer back to the agent to make sure you noted it correctly."),
		Actions:          append(lookups, task.NewCall("get_course_details", "course_id", line.CourseID)),
		CommunicateInfo:  facts,
		NLAssertions:     []string{fmt.Sprintf("The agent gives the student %s for %s, as the course details record it.", want, line.CourseCode)},
	}, nil
}

func draftAdvisorContact(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		s   *Student
		reg *Registration
	)
	found := eachCaller(r, env, func(x *Student) bool {
		reg = pickRegistration(r, db, x, func(g *Registration) bool {
			if len(g.Advisors) == 0 {
				return false
			}
			for _, a := range g.Advisors {
				if !plain(a.Email) || !plain(a.LastName) {
					return false
				}
			}
			return true
		})
		s = x
		return reg != nil
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, reg)
	var facts []string
	for _, a := range reg.Advisors {
		facts = append(facts, a.LastName, a.Email)
	}
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Tell a student who the advisors on their registration are and how to e-mail them.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			"You need to contact your academic advisor about your course load and want their name and e-mail address.",
			"You want to know who is listed as your advisor on your registration and how to reach them by e-mail.",
			"Your department asked you to check in with your advisor; you do not remember who that is."),
		KnownInfo:   strings.TrimSpace(identity(r, env, s) + " " + known),
		UnknownInfo: "You do not know your advisor's name or e-mail address.",
		TaskInstructions: domains.Choose(r,
			"If there is more than one advisor, ask for all of them. Do not ask the agent to change anything.",
			"Ask for every advisor's name and e-mail; you only want the information."),
		Actions:         lookups,
		CommunicateInfo: facts,
		NLAssertions:    []string{"The agent tells the student the name and e-mail address of every advisor on the registration."},
	}, nil
}

func draftRegistrationStatus(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	s, reg, found := callerRegistration(r, env, nil)
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, reg)
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Tell a student whether their registration is full-time or part-time and how many credits it holds.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			"Your scholarship office asks whether you are enrolled full-time; you want your enrollment status and your total credits.",
			"You want to know how many credits you are registered for and whether that counts as full-time or part-time.",
			"Your health plan needs proof of your enrollment status, so you want to know your status and total credits."),
		KnownInfo:        strings.TrimSpace(identity(r, env, s) + " " + known),
		UnknownInfo:      "You do not know how many credits you are registered for.",
		TaskInstructions: domains.Choose(r, "Only ask for the status and the credits; do not change anything.", "Ask for both facts and then end the call."),
		Actions:          lookups,
		CommunicateInfo:  []string{reg.Status, fmt.Sprint(reg.TotalCredits)},
		NLAssertions: []string{fmt.Sprintf("The agent tells the student that the registration is %s with %d credits.",
			reg.Status, reg.TotalCredits)},
	}, nil
}

// ---- registering ----

// signup is a new registration a student asks for.
type signup struct {
	s         *Student
	term      string
	level     string
	picked    []*Course
	options   map[string]string
	insurance string
	due       int64
}

// planRegistration picks a term the student has no registration in and n open courses of
// it that fit together.
func planRegistration(r *rand.Rand, db *DB, s *Student, n int) (*signup, bool) {
	if _, err := newRegistrationID(db); err != nil {
		return nil, false
	}
	var terms []string
	for c := range db.Courses.Values() {
		if slices.Contains(terms, c.Term) {
			continue
		}
		taken := false
		for _, reg := range registrations(db, s) {
			taken = taken || reg.Term == c.Term
		}
		if !taken {
			terms = append(terms, c.Term)
		}
	}
	if len(terms) == 0 {
		return nil, false
	}
	p := &signup{s: s, term: domains.OneOf(r, terms), level: levelOf(db, s), options: map[string]string{}}
	for _, c := range courses(r, db, func(c *Course) bool { return c.Term == p.term && open(c) }) {
		if len(p.picked) == n {
			break
		}
		if fits(c, p.picked) {
			p.picked = append(p.picked, c)
		}
	}
	if len(p.picked) < n {
		return nil, false
	}
	rate := creditRates[p.level]
	for _, c := range p.picked {
		p.due += c.Credits * rate
	}
	p.insurance = "no"
	if r.IntN(2) == 0 {
		p.insurance = "yes"
		p.due += insuranceFee
	}
	if r.IntN(3) == 0 {
		p.options[p.picked[r.IntN(n)].CourseID] = domains.Choose(r, "pass/fail", "audit")
	}
	return p, true
}

// call is the golden register_courses call with the given payments.
func (p *signup) call(pays []Payment) task.Call {
	ids := make([]string, len(p.picked))
	for i, c := range p.picked {
		ids[i] = c.CourseID
	}
	args := []any{"student_id", p.s.StudentID, "term", p.term, "course_ids", strList(ids), "study_level", p.level}
	if len(p.options) > 0 {
		o := py.NewObject()
		for _, c := range p.picked {
			if opt, ok := p.options[c.CourseID]; ok {
				o.Set(c.CourseID, opt)
			}
		}
		args = append(args, "grading_options", o)
	}
	items := make([]any, len(pays))
	for i, pay := range pays {
		items[i] = py.NewObject("payment_id", pay.PaymentID, "amount", pay.Amount)
	}
	args = append(args, "health_insurance", p.insurance, "payment_methods", items)
	return task.NewCall("register_courses", args...)
}

// lookups are the calls a careful agent makes before registering: the profile and each
// course.
func (p *signup) lookups() []task.Call {
	out := []task.Call{task.NewCall("get_student_details", "student_id", p.s.StudentID)}
	for _, c := range p.picked {
		out = append(out, task.NewCall("get_course_details", "course_id", c.CourseID))
	}
	return out
}

// known says what the student wants: the courses with ids, grading and insurance.
func (p *signup) known(r *rand.Rand) string {
	var cs []string
	for _, c := range p.picked {
		w := fmt.Sprintf("%s (course id %s)", courseWords(c), c.CourseID)
		if opt, ok := p.options[c.CourseID]; ok {
			w += ", graded " + opt
		}
		cs = append(cs, w)
	}
	ins := domains.Choose(r, "You want the school's health insurance.", "You would like to add the health insurance.")
	if p.insurance == "no" {
		ins = domains.Choose(r, "You do not want the school's health insurance.", "You already have health insurance and decline the school's.")
	}
	grading := " Every course is letter-graded unless said otherwise."
	return fmt.Sprintf("You want to register for %s as %s, for these courses: %s.%s %s", termWords(r, p.term),
		levelWords[p.level], strings.Join(cs, "; "), grading, ins)
}

func (p *signup) assertions(newID string) []string {
	return []string{
		fmt.Sprintf("The agent states the total due of %d and gets the student's confirmation before registering.", p.due),
		fmt.Sprintf("The agent tells the student the new registration id %s.", newID),
	}
}

func draftRegisterForTerm(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		p      *signup
		pm     *PaymentMethod
		golden task.Call
		newID  string
	)
	found := eachCaller(r, env, func(x *Student) bool {
		keys := x.PaymentMethods.Keys()
		if len(keys) == 0 {
			return false
		}
		var ok bool
		if p, ok = planRegistration(r, db, x, 1+r.IntN(2)); !ok {
			return false
		}
		pm, _ = x.PaymentMethods.Get(domains.OneOf(r, keys))
		golden = p.call([]Payment{{PaymentID: pm.PaymentMethodID, Amount: p.due}})
		res, ok := trial(env, golden)
		if ok {
			newID = res[0].Output.(*Registration).RegistrationID
		}
		return ok
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	s := p.s
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Register a student for courses of a term, paying the exact total due with one saved method.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to register for courses in %s.", termWords(r, p.term)),
			fmt.Sprintf("You have picked your courses for %s and want to register now.", termWords(r, p.term)),
			fmt.Sprintf("Registration for %s is open and you want to sign up for your courses.", termWords(r, p.term))),
		KnownInfo: strings.TrimSpace(identity(r, env, s) + " " + p.known(r) + " " +
			fmt.Sprintf("You want to pay the whole amount with %s.", methodWords(r, pm))),
		UnknownInfo: domains.Choose(r, "You do not know the total tuition.", "You do not know the per-credit rate or the total due.",
			"You do not know what the registration will cost."),
		TaskInstructions: domains.Choose(r,
			"Ask the agent how much it costs before agreeing. "+confirmRule(r)+" Ask for your new registration id at the end.",
			confirmRule(r)+" Make sure the agent tells you the registration id."),
		Actions:         append(p.lookups(), golden),
		CommunicateInfo: append([]string{newID}, communicable(p.due)...),
		NLAssertions:    p.assertions(newID),
	}, nil
}

func draftRegisterSplit(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		p      *signup
		pms    [2]*PaymentMethod
		pays   []Payment
		golden task.Call
		newID  string
	)
	found := eachCaller(r, env, func(x *Student) bool {
		keys := x.PaymentMethods.Keys()
		if len(keys) < 2 {
			return false
		}
		var ok bool
		if p, ok = planRegistration(r, db, x, 2+r.IntN(2)); !ok {
			return false
		}
		perm := r.Perm(len(keys))
		pms[0], _ = x.PaymentMethods.Get(keys[perm[0]])
		pms[1], _ = x.PaymentMethods.Get(keys[perm[1]])
		first := p.due * int64(30+r.IntN(41)) / 100 / 100 * 100
		if first <= 0 || first >= p.due {
			return false
		}
		pays = []Payment{{PaymentID: pms[0].PaymentMethodID, Amount: first}, {PaymentID: pms[1].PaymentMethodID, Amount: p.due - first}}
		golden = p.call(pays)
		res, ok := trial(env, golden)
		if ok {
			newID = res[0].Output.(*Registration).RegistrationID
		}
		return ok
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	s := p.s
	split := domains.Choose(r,
		fmt.Sprintf("You want to put exactly %d on %s and the rest on %s.", pays[0].Amount, methodWords(r, pms[0]), methodWords(r, pms[1])),
		fmt.Sprintf("You want to split the payment: %d from %s, the remainder from %s.", pays[0].Amount, methodWords(r, pms[0]), methodWords(r, pms[1])))
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Register a student for several courses of a term, splitting the total due over two saved methods.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to register for several courses in %s and split the payment over two of your saved methods.", termWords(r, p.term)),
			fmt.Sprintf("You are ready to register for %s, paying partly with one method and partly with another.", termWords(r, p.term))),
		KnownInfo:   strings.TrimSpace(identity(r, env, s) + " " + p.known(r) + " " + split),
		UnknownInfo: domains.Choose(r, "You do not know the total due.", "You do not know what the rest will come to."),
		TaskInstructions: domains.Choose(r,
			"Ask the agent for the total and how much goes on the second method before you agree. "+confirmRule(r),
			confirmRule(r)+" Ask for the new registration id at the end."),
		Actions:         append(p.lookups(), golden),
		CommunicateInfo: append([]string{newID}, communicable(p.due-pays[0].Amount)...),
		NLAssertions: append(p.assertions(newID),
			fmt.Sprintf("The agent splits the payment into %d and %d on the two methods the student named.", pays[0].Amount, pays[1].Amount)),
	}, nil
}

// ---- changing a registration ----

func draftAddCourse(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		s      *Student
		ch     *change
		course *Course
	)
	found := eachCaller(r, env, func(x *Student) bool {
		reg := pickRegistration(r, db, x, withCourses(db))
		if reg == nil {
			return false
		}
		have := lineCourses(db, reg)
		for _, c := range courses(r, db, func(c *Course) bool { return c.Term == reg.Term && open(c) }) {
			if !fits(c, have) {
				continue
			}
			opts := map[string]string{}
			if r.IntN(4) == 0 {
				opts[c.CourseID] = "pass/fail"
			}
			var ok bool
			if ch, ok = planChange(r, env, x, reg, []string{c.CourseID}, nil, opts); ok {
				s, course = x, c
				return true
			}
			return false
		}
		return false
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, ch.reg)
	grading := ""
	if ch.options[course.CourseID] == "pass/fail" {
		grading = " You want to take it pass/fail."
	}
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Add an open, conflict-free course to a student's registration, restating kept grading options and settling the tuition difference.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to add %s to your registration.", courseWords(course)),
			fmt.Sprintf("You have room in your schedule and want to add %s.", courseWords(course)),
			fmt.Sprintf("Your advisor recommended %s and you want to add it to your courses.", courseWords(course))),
		KnownInfo: strings.TrimSpace(identity(r, env, s) + " " + known + " " +
			fmt.Sprintf("The course id is %s.%s %s", course.CourseID, grading, ch.optionsPhrase)),
		UnknownInfo:      "You do not know how the change affects your tuition.",
		TaskInstructions: ch.moneyRule(r) + " " + confirmRule(r),
		Actions:          append(lookups, task.NewCall("get_course_details", "course_id", course.CourseID), ch.call),
		CommunicateInfo:  ch.moneyFacts(),
		NLAssertions: []string{
			fmt.Sprintf("The agent confirms the addition of %s with the student before updating the registration.", course.CourseCode),
			ch.moneyAssertion(),
		},
	}, nil
}

func draftDropCourse(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		s    *Student
		ch   *change
		line RegistrationCourse
	)
	found := eachCaller(r, env, func(x *Student) bool {
		reg := pickRegistration(r, db, x, func(g *Registration) bool { return len(g.Courses) >= 2 && withCourses(db)(g) })
		if reg == nil {
			return false
		}
		line = reg.Courses[r.IntN(len(reg.Courses))]
		if !uniqueCode(reg, &line) {
			return false
		}
		var ok bool
		ch, ok = planChange(r, env, x, reg, nil, []string{line.CourseID}, nil)
		s = x
		return ok
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, ch.reg)
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Drop one course of a student's registration, restating kept grading options, and tell them the resulting refund or charge.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to drop %s from your registration.", lineWords(&line)),
			fmt.Sprintf("Your workload is too heavy and you want to drop %s.", lineWords(&line)),
			fmt.Sprintf("You decided not to take %s after all and want it removed.", lineWords(&line))),
		KnownInfo:        strings.TrimSpace(identity(r, env, s) + " " + known + " " + ch.optionsPhrase),
		UnknownInfo:      "You do not know the course id or how much the change affects your tuition.",
		TaskInstructions: ch.moneyRule(r) + " " + confirmRule(r) + " Ask what the change means for your tuition.",
		Actions:          append(lookups, ch.call),
		CommunicateInfo:  ch.moneyFacts(),
		NLAssertions: []string{
			fmt.Sprintf("The agent confirms dropping %s with the student before updating the registration.", line.CourseCode),
			ch.moneyAssertion(),
		},
	}, nil
}

func draftChangeGrading(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		s    *Student
		ch   *change
		line RegistrationCourse
		to   string
	)
	found := eachCaller(r, env, func(x *Student) bool {
		reg := pickRegistration(r, db, x, withCourses(db))
		if reg == nil {
			return false
		}
		line = reg.Courses[r.IntN(len(reg.Courses))]
		if !uniqueCode(reg, &line) {
			return false
		}
		to = "letter"
		if line.GradingOption == "letter" {
			to = domains.Choose(r, "pass/fail", "pass/fail", "audit")
		}
		var ok bool
		ch, ok = planChange(r, env, x, reg, nil, nil, map[string]string{line.CourseID: to})
		s = x
		return ok
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, ch.reg)
	want := map[string]string{"letter": "a regular letter grade", "pass/fail": "pass/fail", "audit": "audit"}[to]
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Change the grading option of one course of a student's registration, restating the others' choices.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to switch %s to %s.", lineWords(&line), want),
			fmt.Sprintf("You would like to take %s as %s instead of %s.", lineWords(&line), want, line.GradingOption),
			fmt.Sprintf("You want to change the grading option of %s to %s.", lineWords(&line), want)),
		KnownInfo:        strings.TrimSpace(identity(r, env, s) + " " + known + " " + ch.optionsPhrase),
		UnknownInfo:      "You do not know whether the change affects your tuition.",
		TaskInstructions: ch.moneyRule(r) + " " + confirmRule(r),
		Actions:          append(lookups, ch.call),
		CommunicateInfo:  ch.moneyFacts(),
		NLAssertions: []string{
			fmt.Sprintf("The agent changes %s to %s only after the student confirms.", line.CourseCode, to),
			ch.moneyAssertion(),
		},
	}, nil
}

func draftAlternativeWhenFull(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		s         *Student
		ch        *change
		full, alt *Course
	)
	found := eachCaller(r, env, func(x *Student) bool {
		reg := pickRegistration(r, db, x, withCourses(db))
		if reg == nil {
			return false
		}
		have := lineCourses(db, reg)
		fulls := courses(r, db, func(c *Course) bool { return c.Term == reg.Term && !open(c) && fits(c, have) })
		if len(fulls) == 0 {
			return false
		}
		for _, c := range courses(r, db, func(c *Course) bool { return c.Term == reg.Term && open(c) }) {
			if !fits(c, have) {
				continue
			}
			var ok bool
			if ch, ok = planChange(r, env, x, reg, []string{c.CourseID}, nil, nil); ok {
				s, full, alt = x, fulls[0], c
				return true
			}
			return false
		}
		return false
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, ch.reg)
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "A student asks to add a full course; the agent finds it full and adds the student's second choice instead.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to add %s to your registration; if it is full, you will take %s instead.", courseWords(full), courseWords(alt)),
			fmt.Sprintf("You hope to get into %s. Your backup plan is %s.", courseWords(full), courseWords(alt))),
		KnownInfo: strings.TrimSpace(identity(r, env, s) + " " + known + " " +
			fmt.Sprintf("Your first choice has the course id %s and your second choice %s. %s", full.CourseID, alt.CourseID, ch.optionsPhrase)),
		UnknownInfo:      "You do not know whether your first choice still has seats.",
		TaskInstructions: "Mention the second choice only if the agent tells you the first one is full. " + ch.moneyRule(r) + " " + confirmRule(r),
		Actions: append(lookups, task.NewCall("get_course_details", "course_id", full.CourseID),
			task.NewCall("get_course_details", "course_id", alt.CourseID), ch.call),
		CommunicateInfo: ch.moneyFacts(),
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the student that %s is full and does not add it.", full.CourseCode),
			fmt.Sprintf("The agent adds %s after the student confirms.", alt.CourseCode),
		},
	}, nil
}

func draftCancel(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	s, reg, found := callerRegistration(r, env, func(reg *Registration) bool {
		_, ok := trial(env, task.NewCall("cancel_registration", "registration_id", reg.RegistrationID))
		return ok
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, reg)
	var paid int64
	for _, p := range reg.PaymentHistory {
		paid += p.Amount
	}
	return &task.Draft{
		Subject:       s.StudentID,
		Purpose:       "Cancel a student's registration after explaining that every course is dropped and every payment refunded.",
		Persona:       persona(r, db, s),
		ReasonForCall: cancelReason(r, env, reg),
		KnownInfo:     strings.TrimSpace(identity(r, env, s) + " " + known),
		UnknownInfo:   "You do not know what happens to the money you already paid.",
		TaskInstructions: domains.Choose(r,
			"Ask what happens to your payments. "+confirmRule(r)+" Do not ask for any compensation beyond the refunds.",
			confirmRule(r)+" Do not ask for anything beyond the cancellation."),
		Actions: append(lookups, task.NewCall("cancel_registration", "registration_id", reg.RegistrationID)),
		NLAssertions: []string{
			"The agent explains that cancelling drops every course and refunds every recorded payment, and gets the student's confirmation first.",
			fmt.Sprintf("The agent cancels registration %s (payments of %d in total are refunded).", reg.RegistrationID, paid),
		},
	}, nil
}

func draftPayBalance(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var (
		s       *Student
		reg     *Registration
		pm      *PaymentMethod
		amount  int64
		balance int64
	)
	found := eachCaller(r, env, func(x *Student) bool {
		keys := x.PaymentMethods.Keys()
		if len(keys) == 0 {
			return false
		}
		reg = pickRegistration(r, db, x, func(g *Registration) bool {
			if len(g.Courses) == 0 {
				return false
			}
			return owed(g) > 0
		})
		if reg == nil {
			return false
		}
		s = x
		pm, _ = x.PaymentMethods.Get(domains.OneOf(r, keys))
		balance = owed(reg)
		amount = balance
		if balance > 200 && r.IntN(3) == 0 {
			amount = (balance / 2) / 100 * 100
		}
		return amount > 0
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, reg)
	what := domains.Choose(r,
		fmt.Sprintf("You want to pay %d, which your statement shows as the rest of your tuition.", amount),
		fmt.Sprintf("You want to make a payment of %d toward your registration.", amount))
	if amount < balance {
		what = fmt.Sprintf("You want to pay an installment of %d now and the rest later.", amount)
	}
	golden := task.NewCall("pay_registration", "registration_id", reg.RegistrationID,
		"payment", py.NewObject("payment_id", pm.PaymentMethodID, "amount", amount))
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "Record a payment from a saved method on a student's registration.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			"You want to make a payment on your registration.",
			"You still owe part of your tuition and want to pay now.",
			"You received your paycheck and want to pay some tuition."),
		KnownInfo:        strings.TrimSpace(identity(r, env, s) + " " + known + " " + what + " " + fmt.Sprintf("Pay with %s.", methodWords(r, pm))),
		UnknownInfo:      "You do not know your payment history in detail.",
		TaskInstructions: confirmRule(r) + " " + domains.Choose(r, "Do not pay any other amount.", "If the agent suggests a different amount, insist on yours."),
		Actions:          append(lookups, golden),
		NLAssertions: []string{
			fmt.Sprintf("The agent records a payment of %d from the student's saved method after the student confirms.", amount),
		},
	}, nil
}

func cancelReason(r *rand.Rand, env *domains.Env, reg *Registration) string {
	if env.Subject != "" {
		return domains.Choose(r,
			fmt.Sprintf("Thinking it over, you decide not to study in %s at all and want that registration cancelled.", reg.Term),
			fmt.Sprintf("You realise you cannot manage %s after all and want to cancel that registration entirely.", reg.Term))
	}
	return domains.Choose(r,
		"You are taking a leave of absence and want to cancel your registration.",
		"You got an internship and will not study this term, so you want to cancel your registration.",
		"For family reasons you cannot attend and need to cancel your registration entirely.")
}

// owed is what a registration's stored tuition and insurance fee leave unpaid.
func owed(reg *Registration) int64 {
	var due int64
	for _, l := range reg.Courses {
		due += l.Tuition
	}
	if reg.HealthInsurance == "yes" {
		due += insuranceFee
	}
	for _, p := range reg.PaymentHistory {
		due -= p.Amount
	}
	return due
}

// ---- refusals ----

func draftRefuseInsurance(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	s, reg, found := callerRegistration(r, env, nil)
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, reg)
	ask := domains.Choose(r,
		"You just got coverage through your parents and want to remove the school's health insurance from your registration and get the fee back.",
		"You want to drop the health insurance on your registration; you have other coverage now.")
	if reg.HealthInsurance == "no" {
		ask = domains.Choose(r,
			"You lost your previous coverage and want to add the school's health insurance to your registration.",
			"You regret declining the health insurance and want it added to your registration now.")
	}
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "A student asks to change health insurance after registering; the agent refuses and tells them their enrollment status.",
		Persona: persona(r, db, s),
		ReasonForCall: ask + " " + domains.Choose(r,
			"You also want to know whether you are registered full-time or part-time.",
			"While you are at it, you want to know your enrollment status (full-time or part-time)."),
		KnownInfo:   strings.TrimSpace(identity(r, env, s) + " " + known),
		UnknownInfo: "You do not know the rules about changing insurance.",
		TaskInstructions: domains.Choose(r,
			"Insist once that it matters to you; if the agent still says it cannot be done, accept it.",
			"If the agent refuses, ask why, then accept the answer.") + " Make sure you learn your enrollment status.",
		Actions:         lookups,
		CommunicateInfo: []string{reg.Status},
		NLAssertions: []string{
			"The agent refuses to change the health insurance, because it can only be chosen when registering.",
			fmt.Sprintf("The agent tells the student that the registration is %s.", reg.Status),
		},
	}, nil
}

func draftRefuseTermChange(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var other string
	s, reg, found := callerRegistration(r, env, func(reg *Registration) bool {
		if !plain(reg.RegistrationID) {
			return false
		}
		other = ""
		for c := range db.Courses.Values() {
			if c.Term != reg.Term {
				other = c.Term
				break
			}
		}
		return other != ""
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	_, lookups := regWords(r, env, s, reg)
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "A student asks to move a registration to another term; the agent refuses and gives them the registration id.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to move your %s registration, with all its courses, to %s.", reg.Term, termWords(r, other)),
			fmt.Sprintf("Your plans changed and you want your registration for %s switched to %s.", termWords(r, reg.Term), other)) +
			" You also want to write down your registration id.",
		KnownInfo:   strings.TrimSpace(identity(r, env, s) + " " + fmt.Sprintf("Your registration is for %s.", termWords(r, reg.Term))),
		UnknownInfo: "You do not know your registration id.",
		TaskInstructions: domains.Choose(r,
			"If the agent says the term cannot be changed, accept it; do not ask to cancel or to register again today.",
			"Ask once whether there is any way; then accept the answer and do not ask for anything else.") +
			" Ask for your registration id before you end the call.",
		Actions:         lookups,
		CommunicateInfo: []string{reg.RegistrationID},
		NLAssertions: []string{
			"The agent refuses to change the registration's term.",
			"The agent makes no change to the registration.",
		},
	}, nil
}

func draftRefuseFullCourse(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	db := dbOf(env)
	var full *Course
	s, reg, found := callerRegistration(r, env, func(reg *Registration) bool {
		have := lineCourses(db, reg)
		fulls := courses(r, db, func(c *Course) bool { return c.Term == reg.Term && !open(c) && fits(c, have) })
		if len(fulls) == 0 {
			return false
		}
		full = fulls[0]
		return true
	})
	if !found {
		return nil, domains.ErrNoCandidate
	}
	known, lookups := regWords(r, env, s, reg)
	return &task.Draft{
		Subject: s.StudentID,
		Purpose: "A student asks to add a course that is full; the agent refuses and tells them its capacity.",
		Persona: persona(r, db, s),
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to add %s to your registration.", courseWords(full)),
			fmt.Sprintf("You really need %s for your major and want it added to your courses.", courseWords(full))),
		KnownInfo:   strings.TrimSpace(identity(r, env, s) + " " + known + " " + fmt.Sprintf("The course id is %s.", full.CourseID)),
		UnknownInfo: "You do not know how many seats the course has.",
		TaskInstructions: domains.Choose(r,
			"If the agent says the course is full, ask how many seats it has, then accept that it cannot be added.",
			"If you cannot get in, ask for the course's capacity and end the call without any other change.") +
			" You have no other course in mind.",
		Actions:         append(lookups, task.NewCall("get_course_details", "course_id", full.CourseID)),
		CommunicateInfo: []string{fmt.Sprint(full.Capacity)},
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the student that %s is full and does not add it.", full.CourseCode),
			fmt.Sprintf("The agent tells the student that the course has a capacity of %d.", full.Capacity),
		},
	}, nil
}
