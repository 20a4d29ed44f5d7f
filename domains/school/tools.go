package school

import (
	_ "embed"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

//go:embed policy.md
var policy string

// createdAt is the reference's fixed creation date (YY-MM-DD) of new registrations.
const createdAt = "25-05-15"

// newRegistrationIDs is the reference's fixed pool of ids for new registrations.
var newRegistrationIDs = []string{"REG001", "REG002", "REG003"}

// Per-credit tuition by study level, the health insurance fee, and the credit loads that
// make a registration full-time or overloaded.
var creditRates = map[string]int64{"undergraduate": 500, "graduate": 800, "continuing_ed": 400}

const (
	insuranceFee  = 300
	fullTimeLoad  = 12
	standardLoad  = 18
	newSection    = "001"
	defaultCampus = "Main"
)

// Domain is the school (university registrar) domain.
var Domain = &domains.Domain{
	Name:     "school",
	Toolkit:  "SchoolTools",
	NewDB:    func() domains.DB { return &DB{} },
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "get_student_details", Kind: domains.Read, Params: studentParams{}, Fn: getStudentDetails,
			Description: "Get a student's profile: name, address, email, date of birth, saved payment methods, saved contacts, program, membership and registration ids."},
		{Name: "get_course_details", Kind: domains.Read, Params: courseParams{}, Fn: getCourseDetails,
			Description: "Get a course: department, code, title, credits, term, instructor, location, meeting pattern, per-date meeting records, capacity and enrollment."},
		{Name: "get_registration_details", Kind: domains.Read, Params: registrationParams{}, Fn: getRegistrationDetails,
			Description: "Get a registration: student, campus, program, study level, term, status, course lines, advisors, payment history, credits, financial aid and health insurance."},
		{Name: "list_departments", Kind: domains.Read, Params: noParams{}, Fn: listDepartments,
			Description: "List every department that offers a course, sorted."},
		{Name: "list_courses_by_term", Kind: domains.Read, Params: termParams{}, Fn: listCoursesByTerm,
			Description: "List the id, code and title of every course of a term."},
		{Name: "search_courses", Kind: domains.Read, Params: searchParams{}, Fn: searchCourses,
			Description: "Search the courses of a term, optionally by department, campus, meeting day, earliest start time, latest end time and open seats."},
		{Name: "get_course_meeting_status", Kind: domains.Read, Params: meetingStatusParams{}, Fn: getCourseMeetingStatus,
			Description: "Get what happened to a course on one date: held, canceled or rescheduled, with the topic, actual times and notes."},
		{Name: "register_courses", Kind: domains.Write, Params: registerParams{}, Fn: registerCourses,
			Description: "Register a student for courses of a term. Every course must be in the term, have a free seat and fit the schedule; the payments, from the student's saved methods, must add up exactly to the tuition (credits times the study level's rate) plus the health insurance fee of 300 when chosen. Enrollment of each course goes up by one."},
		{Name: "update_registration_courses", Kind: domains.Write, Params: updateParams{}, Fn: updateRegistrationCourses,
			Description: "Add and drop courses of a registration, or change grading options. Every course is repriced at the current rate; an increase is charged to the given saved payment method and a decrease is recorded as a negative refund. Enrollments follow the changes."},
		{Name: "cancel_registration", Kind: domains.Write, Params: registrationParams{}, Fn: cancelRegistration,
			Description: "Cancel a registration: every recorded payment is refunded with a negative entry, every course is dropped and its enrollment goes down by one. The registration stays, without courses."},
		{Name: "pay_registration", Kind: domains.Write, Params: payParams{}, Fn: payRegistration,
			Description: "Record a payment (or, with a negative amount, a refund) on a registration, from a payment method saved on the student's profile."},
	},
}

func init() { domains.Register(Domain) }

type noParams struct{}

type studentParams struct {
	StudentID string `json:"student_id" jsonschema:"description=The student's id."`
}

type courseParams struct {
	CourseID string `json:"course_id" jsonschema:"description=The course's id."`
}

type registrationParams struct {
	RegistrationID string `json:"registration_id" jsonschema:"description=The registration's id."`
}

type termParams struct {
	Term string `json:"term" jsonschema:"description=The term\\, YYYY-TERM such as 2025-SPRING."`
}

type searchParams struct {
	Term       string  `json:"term" jsonschema:"description=The term\\, YYYY-TERM such as 2025-SPRING."`
	Department *string `json:"department,omitempty" jsonschema:"nullable,description=Keep only courses of this department\\, spelled exactly as in the course records."`
	Campus     *string `json:"campus,omitempty" jsonschema:"nullable,description=Keep only courses on this campus\\, spelled exactly as in the course records."`
	Day        *string `json:"day,omitempty" jsonschema:"nullable,description=Keep only courses meeting on this day.,enum=Monday,enum=Tuesday,enum=Wednesday,enum=Thursday,enum=Friday,enum=Saturday,enum=Sunday"`
	StartAfter *string `json:"start_after,omitempty" jsonschema:"nullable,description=Keep only courses starting at or after this time (HH-MM)."`
	EndBefore  *string `json:"end_before,omitempty" jsonschema:"nullable,description=Keep only courses ending at or before this time (HH-MM)."`
	OpenOnly   bool    `json:"open_only,omitempty" jsonschema:"default=false,description=Keep only courses with a free seat."`
}

type meetingStatusParams struct {
	CourseID string `json:"course_id" jsonschema:"description=The course's id."`
	Date     string `json:"date" jsonschema:"description=The date\\, YY-MM-DD."`
}

type registerParams struct {
	StudentID       string            `json:"student_id" jsonschema:"description=The student's id."`
	Term            string            `json:"term" jsonschema:"description=The term\\, YYYY-TERM; every course must be of this term."`
	CourseIDs       []string          `json:"course_ids" jsonschema:"description=The ids of the courses to register for."`
	StudyLevel      string            `json:"study_level" jsonschema:"description=The study level\\, which sets the rate per credit (500\\, 800 or 400).,enum=undergraduate,enum=graduate,enum=continuing_ed"`
	GradingOptions  map[string]string `json:"grading_options,omitempty" jsonschema:"nullable,description=Grading option by course id (letter\\, pass/fail or audit); a course not listed is graded letter."`
	HealthInsurance string            `json:"health_insurance,omitempty" jsonschema:"default=no,enum=yes,enum=no,description=Whether to take the school's health insurance (fee 300)."`
	PaymentMethods  []Payment         `json:"payment_methods,omitempty" jsonschema:"default=[],description=The payments: payment_id (a saved payment method) and amount; they must add up to the total due."`
}

type updateParams struct {
	RegistrationID string            `json:"registration_id" jsonschema:"description=The registration's id."`
	AddCourseIDs   []string          `json:"add_course_ids" jsonschema:"description=The ids of the courses to add (may be empty)."`
	DropCourseIDs  []string          `json:"drop_course_ids" jsonschema:"description=The ids of the courses to drop (may be empty)."`
	GradingOptions map[string]string `json:"grading_options,omitempty" jsonschema:"nullable,description=Grading option by course id (letter\\, pass/fail or audit) for the resulting schedule; a course not listed is graded letter."`
	PaymentID      string            `json:"payment_id,omitempty" jsonschema:"default=,description=The saved payment method charged when the tuition goes up; for a refund\\, where the refund goes (by default the last payment's method)."`
}

type payParams struct {
	RegistrationID string  `json:"registration_id" jsonschema:"description=The registration's id."`
	Payment        Payment `json:"payment" jsonschema:"description=The payment: payment_id (a saved payment method) and amount in whole dollars (negative for a refund)."`
}

func dbOf(e *domains.Env) *DB { return e.DB.(*DB) }

// findStudent is the reference's _get_student: a dict lookup by the argument as given.
func findStudent(db *DB, v any) (string, *Student, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if s, found := db.Students.Get(k); found {
			return k, s, nil
		}
	}
	return "", nil, fmt.Errorf("Student %s not found", py.Str(v))
}

// findCourse is the reference's _get_course.
func findCourse(db *DB, v any) (string, *Course, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if c, found := db.Courses.Get(k); found {
			return k, c, nil
		}
	}
	return "", nil, fmt.Errorf("Course %s not found", py.Str(v))
}

// findRegistration is the reference's _get_registration.
func findRegistration(db *DB, v any) (string, *Registration, error) {
	k, ok, err := dictKey(v)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if r, found := db.Registrations.Get(k); found {
			return k, r, nil
		}
	}
	return "", nil, fmt.Errorf("Registration %s not found", py.Str(v))
}

// findCourses looks up each id of ids in order, failing on the first unknown one.
func findCourses(db *DB, ids []any) ([]*Course, error) {
	out := make([]*Course, 0, len(ids))
	for _, id := range ids {
		_, c, err := findCourse(db, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func getStudentDetails(e *domains.Env, a domains.Args) (any, error) {
	_, s, err := findStudent(dbOf(e), a["student_id"])
	if err != nil {
		return nil, err
	}
	return s, nil
}

func getCourseDetails(e *domains.Env, a domains.Args) (any, error) {
	_, c, err := findCourse(dbOf(e), a["course_id"])
	if err != nil {
		return nil, err
	}
	return c, nil
}

func getRegistrationDetails(e *domains.Env, a domains.Args) (any, error) {
	_, r, err := findRegistration(dbOf(e), a["registration_id"])
	if err != nil {
		return nil, err
	}
	return r, nil
}

func listDepartments(e *domains.Env, _ domains.Args) (any, error) {
	var out []string
	for c := range dbOf(e).Courses.Values() {
		if !slices.Contains(out, c.Department) {
			out = append(out, c.Department)
		}
	}
	slices.Sort(out) // code-point order: "BUS" before "Biology"
	if out == nil {
		out = []string{}
	}
	return out, nil
}

func listCoursesByTerm(e *domains.Env, a domains.Args) (any, error) {
	term := a["term"]
	out := []*py.Object{}
	for c := range dbOf(e).Courses.Values() {
		if s, ok := term.(string); ok && c.Term == s {
			out = append(out, py.NewObject("course_id", c.CourseID, "course_code", c.CourseCode, "title", c.Title))
		}
	}
	return out, nil
}

func searchCourses(e *domains.Env, a domains.Args) (any, error) {
	term, department, campus, day := a["term"], a["department"], a["campus"], a["day"]
	startAfter, endBefore := a["start_after"], a["end_before"]
	out := []*Course{}
	for c := range dbOf(e).Courses.Values() {
		// Filters of other types than str never match; the time filters are parsed only
		// once a course gets that far, so a bad time fails only then.
		if s, ok := term.(string); !ok || c.Term != s {
			continue
		}
		if truthy(department) && !isStr(department, c.Department) {
			continue
		}
		if truthy(campus) && !isStr(campus, c.Location.Campus) {
			continue
		}
		if truthy(day) {
			s, ok := day.(string)
			if !ok || !slices.Contains(c.MeetingPattern.Days, s) {
				continue
			}
		}
		if truthy(startAfter) {
			start, err := minutes(c.MeetingPattern.StartTimeEst)
			if err != nil {
				return nil, err
			}
			after, err := minutes(startAfter)
			if err != nil {
				return nil, err
			}
			if start.Cmp(after) < 0 {
				continue
			}
		}
		if truthy(endBefore) {
			end, err := minutes(c.MeetingPattern.EndTimeEst)
			if err != nil {
				return nil, err
			}
			before, err := minutes(endBefore)
			if err != nil {
				return nil, err
			}
			if end.Cmp(before) > 0 {
				continue
			}
		}
		if truthy(a["open_only"]) && c.CurrentEnrollment >= c.Capacity {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// isStr reports v == s for a stored str s.
func isStr(v any, s string) bool {
	x, ok := v.(string)
	return ok && x == s
}

// minutes is the reference's _parse_time_hhmm: "HH-MM" split at "-" into exactly two
// parts, each read by int(), as minutes since midnight.
func minutes(v any) (*big.Int, error) {
	s, ok := v.(string)
	if !ok {
		return nil, noAttr(v, "split")
	}
	parts := splitDash(s)
	if len(parts) != 2 {
		return nil, fmt.Errorf("Invalid time format: %s", s)
	}
	h, err := parseInt(parts[0])
	if err != nil {
		return nil, err
	}
	m, err := parseInt(parts[1])
	if err != nil {
		return nil, err
	}
	return h.Mul(h, big.NewInt(60)).Add(h, m), nil
}

// splitDash is str.split("-").
func splitDash(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func getCourseMeetingStatus(e *domains.Env, a domains.Args) (any, error) {
	id, c, err := findCourse(dbOf(e), a["course_id"])
	if err != nil {
		return nil, err
	}
	date := a["date"]
	k, ok, err := dictKey(date)
	if err != nil {
		return nil, err
	}
	var status *DateStatus
	if ok {
		status, ok = c.Dates.Get(k)
	}
	if !ok {
		return nil, fmt.Errorf("No record for course %s on date %s", id, py.Str(date))
	}
	return status, nil
}

// conflict reports whether two meeting patterns share a day and overlap strictly in time.
func conflict(m1, m2 *MeetingPattern) (bool, error) {
	shared := false
	for _, d := range m1.Days {
		if slices.Contains(m2.Days, d) {
			shared = true
			break
		}
	}
	if !shared {
		return false, nil
	}
	var t [4]*big.Int
	for i, s := range []string{m1.StartTimeEst, m1.EndTimeEst, m2.StartTimeEst, m2.EndTimeEst} {
		var err error
		if t[i], err = minutes(s); err != nil {
			return false, err
		}
	}
	return t[0].Cmp(t[3]) < 0 && t[2].Cmp(t[1]) < 0, nil
}

// checkConflicts checks every pair of courses in list order; a course listed twice
// conflicts with itself.
func checkConflicts(courses []*Course) error {
	for i := range courses {
		for j := i + 1; j < len(courses); j++ {
			clash, err := conflict(&courses[i].MeetingPattern, &courses[j].MeetingPattern)
			if err != nil {
				return err
			}
			if clash {
				return fmt.Errorf("Schedule conflict between courses %s and %s", courses[i].CourseCode, courses[j].CourseCode)
			}
		}
	}
	return nil
}

// gradingOption is the reference's choice of a course's grading option: "letter" unless
// grading_options (when truthy) holds the course id.
func gradingOption(options any, courseID string) (any, error) {
	if !truthy(options) {
		return "letter", nil
	}
	in, err := contains(options, courseID)
	if err != nil || !in {
		return "letter", err
	}
	return index(options, courseID)
}

// rate is the per-credit rate of a study level; another value raises KeyError.
func rate(level any) (int64, error) {
	k, ok, err := dictKey(level)
	if err != nil {
		return 0, err
	}
	r, found := creditRates[k]
	if !ok || !found {
		return 0, errors.New(py.Repr(level))
	}
	return r, nil
}

// buildLine is the reference's _build_registration_course: the tuition (and with it the
// rate) is computed before the line is validated.
func buildLine(c *Course, option any, level any) (*RegistrationCourse, error) {
	r, err := rate(level)
	if err != nil {
		return nil, err
	}
	return domains.Build[RegistrationCourse](py.NewObject(
		"course_id", c.CourseID,
		"course_code", c.CourseCode,
		"section", newSection,
		"title", c.Title,
		"credits", c.Credits,
		"grading_option", option,
		"tuition", c.Credits*r,
	))
}

// buildLines builds the course lines of courses, returning them with their total credits
// and tuition.
func buildLines(courses []*Course, options, level any) ([]RegistrationCourse, int64, int64, error) {
	lines := make([]RegistrationCourse, 0, len(courses))
	var credits, tuition int64
	for _, c := range courses {
		option, err := gradingOption(options, c.CourseID)
		if err != nil {
			return nil, 0, 0, err
		}
		line, err := buildLine(c, option, level)
		if err != nil {
			return nil, 0, 0, err
		}
		lines = append(lines, *line)
		credits += line.Credits
		tuition += line.Tuition
	}
	return lines, credits, tuition, nil
}

func enrollmentStatus(credits int64) string {
	if credits >= fullTimeLoad {
		return "full-time"
	}
	return "part-time"
}

func overload(credits int64) int64 { return max(0, credits-standardLoad) }

// newRegistrationID returns the first free id of the reference's pool of three.
func newRegistrationID(db *DB) (string, error) {
	for _, id := range newRegistrationIDs {
		if _, taken := db.Registrations.Get(id); !taken {
			return id, nil
		}
	}
	return "", errors.New("Too many registrations created in this session")
}

// allDicts reports all(isinstance(x, dict) for x in items).
func allDicts(items []any) bool {
	for _, it := range items {
		if _, ok := it.(*py.Object); !ok {
			return false
		}
	}
	return true
}

func registerCourses(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	// A list (or other iterable) of dicts only becomes a list of Payments; anything else
	// is kept as given and fails further on.
	rawPays, err := iterate(a["payment_methods"])
	if err != nil {
		return nil, err
	}
	var pays []Payment
	isList := false
	if allDicts(rawPays) {
		pays = make([]Payment, 0, len(rawPays))
		for _, p := range rawPays {
			pay, err := domains.Build[Payment](p)
			if err != nil {
				return nil, err
			}
			pays = append(pays, *pay)
		}
		isList = true // the comprehension makes a list, even of a dict's or str's items
	} else {
		_, isList = a["payment_methods"].([]any)
	}
	studentID, student, err := findStudent(db, a["student_id"])
	if err != nil {
		return nil, err
	}
	ids, err := iterate(a["course_ids"])
	if err != nil {
		return nil, err
	}
	courses, err := findCourses(db, ids)
	if err != nil {
		return nil, err
	}
	term := a["term"]
	for _, c := range courses {
		if !isStr(term, c.Term) {
			return nil, fmt.Errorf("Course %s term %s does not match requested term %s", c.CourseID, c.Term, py.Str(term))
		}
	}
	for _, c := range courses {
		if c.CurrentEnrollment >= c.Capacity {
			return nil, fmt.Errorf("Course %s is full", c.CourseCode)
		}
	}
	if err := checkConflicts(courses); err != nil {
		return nil, err
	}
	lines, credits, tuition, err := buildLines(courses, a["grading_options"], a["study_level"])
	if err != nil {
		return nil, err
	}
	due := tuition
	if isStr(a["health_insurance"], "yes") {
		due += insuranceFee
	}
	if !isList {
		return nil, errors.New("payment_methods must be a list")
	}
	if pays == nil && len(rawPays) > 0 { // raw elements have no payment_id
		return nil, noAttr(rawPays[0], "payment_id")
	}
	var paid int64
	for _, p := range pays {
		if _, ok := student.PaymentMethods.Get(p.PaymentID); !ok {
			return nil, fmt.Errorf("Payment method %s not found for student %s", p.PaymentID, student.StudentID)
		}
		paid += p.Amount
	}
	if paid != due {
		return nil, fmt.Errorf("Payment amount does not add up, total due is %d, but paid %d", due, paid)
	}
	id, err := newRegistrationID(db)
	if err != nil {
		return nil, err
	}
	campus := defaultCampus
	if len(courses) > 0 {
		campus = courses[0].Location.Campus
	}
	// Building the Registration validates the arguments passed through unchecked.
	checked, err := domains.Build[registrationArgs](py.NewObject(
		"study_level", a["study_level"], "term", term, "health_insurance", a["health_insurance"]))
	if err != nil {
		var verr *domains.ValidationError
		if errors.As(err, &verr) {
			verr.Model = "Registration"
		}
		return nil, err
	}
	if pays == nil {
		pays = []Payment{}
	}
	reg := &Registration{
		RegistrationID:  id,
		StudentID:       studentID,
		Campus:          campus,
		Program:         student.Program.Degree + " " + student.Program.Major,
		StudyLevel:      checked.StudyLevel,
		Term:            checked.Term,
		Status:          enrollmentStatus(credits),
		Courses:         lines,
		Advisors:        []Advisor{},
		PaymentHistory:  pays,
		CreatedAt:       createdAt,
		TotalCredits:    credits,
		OverloadCredits: overload(credits),
		FinancialAid:    FinancialAid{},
		HealthInsurance: checked.HealthInsurance,
	}
	for _, c := range courses {
		m, _ := db.Courses.Mut(c.CourseID)
		m.CurrentEnrollment++
	}
	db.Registrations.Put(id, reg)
	s, _ := db.Students.Mut(studentID)
	s.Registrations = append(s.Registrations, id)
	return reg, nil
}

// registrationArgs are the Registration fields register_courses takes from its arguments
// unchecked, validated when the record is built.
type registrationArgs struct {
	StudyLevel      string `json:"study_level" db:"enum=undergraduate|graduate|continuing_ed"`
	Term            string `json:"term"`
	HealthInsurance string `json:"health_insurance" db:"enum=yes|no"`
}

func updateRegistrationCourses(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	regID, reg, err := findRegistration(db, a["registration_id"])
	if err != nil {
		return nil, err
	}
	_, student, err := findStudent(db, reg.StudentID)
	if err != nil {
		return nil, err
	}
	currentIDs := make([]any, 0, len(reg.Courses))
	for _, rc := range reg.Courses {
		currentIDs = append(currentIDs, rc.CourseID)
	}
	// set(drop_course_ids) is built once per current course: never when there is none.
	targetIDs := make([]any, 0, len(currentIDs))
	for _, id := range currentIDs {
		drop, err := strSet(a["drop_course_ids"])
		if err != nil {
			return nil, err
		}
		if !drop[id.(string)] {
			targetIDs = append(targetIDs, id)
		}
	}
	adds, err := iterate(a["add_course_ids"])
	if err != nil {
		return nil, err
	}
	for _, id := range adds {
		if !slices.ContainsFunc(targetIDs, func(t any) bool { return equal(id, t) }) {
			targetIDs = append(targetIDs, id)
		}
	}
	current, err := findCourses(db, currentIDs)
	if err != nil {
		return nil, err
	}
	target, err := findCourses(db, targetIDs)
	if err != nil {
		return nil, err
	}
	for _, c := range target {
		if c.Term != reg.Term {
			return nil, fmt.Errorf("Course %s term %s does not match registration term %s", c.CourseID, c.Term, reg.Term)
		}
	}
	// Every added id is checked for a seat, even one already on the registration.
	for _, id := range adds {
		_, c, err := findCourse(db, id)
		if err != nil {
			return nil, err
		}
		if c.CurrentEnrollment >= c.Capacity {
			return nil, fmt.Errorf("Course %s is full", c.CourseCode)
		}
	}
	if err := checkConflicts(target); err != nil {
		return nil, err
	}
	var oldTuition int64
	for _, rc := range reg.Courses {
		oldTuition += rc.Tuition // the stored tuitions, whatever rate they were priced at
	}
	// Every line is rebuilt at today's rate and, unless restated, graded letter.
	lines, credits, tuition, err := buildLines(target, a["grading_options"], reg.StudyLevel)
	if err != nil {
		return nil, err
	}
	diff := tuition - oldTuition
	pid := a["payment_id"]
	var entry *Payment
	switch {
	case diff > 0:
		if isStr(pid, "") {
			return nil, errors.New("payment_id is required for additional charges")
		}
		k, ok, err := dictKey(pid)
		if err != nil {
			return nil, err
		}
		if ok {
			_, ok = student.PaymentMethods.Get(k)
		}
		if !ok {
			return nil, fmt.Errorf("Payment method %s not found for student %s", py.Str(pid), student.StudentID)
		}
		entry = &Payment{PaymentID: k, Amount: diff}
	case diff < 0:
		// A refund goes to the given id, not checked against the saved methods, else to
		// the last payment's method, else to "adjustment".
		to := pid
		if !truthy(to) {
			to = "adjustment"
			if n := len(reg.PaymentHistory); n > 0 {
				to = reg.PaymentHistory[n-1].PaymentID
			}
		}
		if entry, err = domains.Build[Payment](py.NewObject("payment_id", to, "amount", diff)); err != nil {
			return nil, err
		}
	}
	// From here on, changes stay even when a later step fails (partial mutation).
	if entry != nil {
		r, _ := db.Registrations.Mut(regID)
		r.PaymentHistory = append(r.PaymentHistory, *entry)
	}
	dropped, err := strSet(a["drop_course_ids"])
	if err != nil {
		return nil, err
	}
	added, err := strSet(a["add_course_ids"])
	if err != nil {
		return nil, err
	}
	for _, c := range current {
		if dropped[c.CourseID] {
			m, _ := db.Courses.Mut(c.CourseID)
			m.CurrentEnrollment = max(0, m.CurrentEnrollment-1)
		}
	}
	for _, c := range target {
		if added[c.CourseID] {
			m, _ := db.Courses.Mut(c.CourseID)
			m.CurrentEnrollment++
		}
	}
	r, _ := db.Registrations.Mut(regID)
	r.Courses = lines
	r.TotalCredits = credits
	r.OverloadCredits = overload(credits)
	r.Status = enrollmentStatus(credits)
	return r, nil
}

func cancelRegistration(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	regID, _, err := findRegistration(db, a["registration_id"])
	if err != nil {
		return nil, err
	}
	reg, _ := db.Registrations.Mut(regID)
	// Every entry is mirrored, earlier refunds included; there is no guard against
	// cancelling twice.
	refunds := make([]Payment, 0, len(reg.PaymentHistory))
	for _, p := range reg.PaymentHistory {
		refunds = append(refunds, Payment{PaymentID: p.PaymentID, Amount: -p.Amount})
	}
	reg.PaymentHistory = append(reg.PaymentHistory, refunds...)
	for _, rc := range reg.Courses {
		_, _, err := findCourse(db, rc.CourseID)
		if err != nil {
			return nil, err // the refunds stay (partial mutation)
		}
		m, _ := db.Courses.Mut(rc.CourseID)
		m.CurrentEnrollment = max(0, m.CurrentEnrollment-1)
	}
	reg.Courses = []RegistrationCourse{}
	reg.TotalCredits = 0
	reg.OverloadCredits = 0
	reg.Status = enrollmentStatus(0) // there is no cancelled status
	return reg, nil
}

func payRegistration(e *domains.Env, a domains.Args) (any, error) {
	db := dbOf(e)
	var pay *Payment
	if o, ok := a["payment"].(*py.Object); ok {
		var err error
		if pay, err = domains.Build[Payment](o); err != nil {
			return nil, err
		}
	}
	regID, reg, err := findRegistration(db, a["registration_id"])
	if err != nil {
		return nil, err
	}
	_, student, err := findStudent(db, reg.StudentID)
	if err != nil {
		return nil, err
	}
	if pay == nil {
		return nil, noAttr(a["payment"], "payment_id")
	}
	if _, ok := student.PaymentMethods.Get(pay.PaymentID); !ok {
		return nil, fmt.Errorf("Payment method %s not found for student %s", pay.PaymentID, student.StudentID)
	}
	r, _ := db.Registrations.Mut(regID)
	r.PaymentHistory = append(r.PaymentHistory, *pay) // any amount, zero and negative included
	return r, nil
}
