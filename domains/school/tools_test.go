package school

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

// loadFixture decodes testdata/registrar.json: eight courses (ARTH221 full, DRAW210
// clashing with ART1101, LITR345 in the fall with a single seat, a rescheduled meeting
// without notes), three students, and four registrations: REGA001 priced at an older rate
// with a pass/fail line, REGB002 with no payments, REGD004 listing a course that does not
// exist and REGE005 of a student who does not exist.
func loadFixture(t testing.TB) domains.DB {
	t.Helper()
	data, err := os.ReadFile("testdata/registrar.json")
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

func course(t *testing.T, db *DB, id string) *Course {
	t.Helper()
	c, ok := db.Courses.Get(id)
	if !ok {
		t.Fatalf("course %s missing", id)
	}
	return c
}

func registration(t *testing.T, db *DB, id string) *Registration {
	t.Helper()
	r, ok := db.Registrations.Get(id)
	if !ok {
		t.Fatalf("registration %s missing", id)
	}
	return r
}

func encoded(t *testing.T, v any) string {
	t.Helper()
	b, err := py.Marshal(v, py.Output)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// enrollment checks the current enrollment of courses, given as id, count, id, count….
func enrollment(pairs ...any) func(t *testing.T, db *DB) {
	return func(t *testing.T, db *DB) {
		t.Helper()
		for i := 0; i+1 < len(pairs); i += 2 {
			id, want := pairs[i].(string), int64(pairs[i+1].(int))
			if got := course(t, db, id).CurrentEnrollment; got != want {
				t.Errorf("enrollment of %s = %d; want %d", id, got, want)
			}
		}
	}
}

// history checks the payment history of a registration.
func history(id, want string) func(t *testing.T, db *DB) {
	return func(t *testing.T, db *DB) {
		t.Helper()
		if got := encoded(t, registration(t, db, id).PaymentHistory); got != want {
			t.Errorf("payment history of %s = %s; want %s", id, got, want)
		}
	}
}

func both(checks ...func(t *testing.T, db *DB)) func(t *testing.T, db *DB) {
	return func(t *testing.T, db *DB) {
		t.Helper()
		for _, c := range checks {
			c(t, db)
		}
	}
}

func TestReadTools(t *testing.T) {
	runCases(t, []toolCase{
		{Name: "student", Call: step{"get_student_details", `{"student_id": "STU0001"}`},
			Want: []string{`"saved_contacts": [{"first_name": "Carlos", "last_name": "Martinez", "relationship": "father", "phone": "917-555-0199", "date_of_birth": "70-03-22"}]`,
				`"PM-AVA-2": {"source": "bank_account", "payment_method_id": "PM-AVA-2", "extra_info": {"brand": null, "last_four": "6789"}}`}},
		{Name: "student without membership", Call: step{"get_student_details", `{"student_id": "STU0002"}`},
			Want: []string{`"minor": null}, "membership": null, "registrations": ["REGB002"]}`}},
		{Name: "student unknown", Call: step{"get_student_details", `{"student_id": "STU0404"}`}, Err: "Student STU0404 not found"},
		{Name: "student int id", Call: step{"get_student_details", `{"student_id": 1}`}, Err: "Student 1 not found"},
		{Name: "student null id", Call: step{"get_student_details", `{"student_id": null}`}, Err: "Student None not found"},
		{Name: "student list id", Call: step{"get_student_details", `{"student_id": ["STU0001"]}`}, Err: "unhashable type: 'list'"},

		{Name: "course", Call: step{"get_course_details", `{"course_id": "ART1101"}`},
			Want: []string{`"25-02-03": {"status": "canceled", "topic": "Shading techniques", "notes": "Snow day."}`,
				`"25-02-05": {"status": "rescheduled", "topic": "Perspective", "actual_start_time_est": "25-02-06-09-00", "actual_end_time_est": "25-02-06-09-50", "notes": null}`,
				`"capacity": 30, "waitlist_capacity": 5, "current_enrollment": 28, "current_waitlist": 0}`}},
		{Name: "course unknown", Call: step{"get_course_details", `{"course_id": "art1101"}`}, Err: "Course art1101 not found"},
		{Name: "course dict id", Call: step{"get_course_details", `{"course_id": {}}`}, Err: "unhashable type: 'dict'"},

		{Name: "registration", Call: step{"get_registration_details", `{"registration_id": "REGA001"}`},
			Want: []string{`"payment_history": [{"payment_id": "PAY-0001", "amount": 1500}, {"payment_id": "PAY-0002", "amount": 500}]`}},
		{Name: "registration unknown", Call: step{"get_registration_details", `{"registration_id": "REG001"}`}, Err: "Registration REG001 not found"},
		{Name: "registration float id", Call: step{"get_registration_details", `{"registration_id": 2.0}`}, Err: "Registration 2.0 not found"},

		{Name: "departments", Call: step{"list_departments", `{}`},
			Want: []string{`["Art History", "BUS", "Biology", "Fine Arts", "Literature", "Studio Art"]`}},
		{Name: "departments take no argument", Call: step{"list_departments", `{"term": "2025-FALL"}`},
			Err: "SchoolTools.list_departments() got an unexpected keyword argument 'term'"},

		{Name: "fall courses", Call: step{"list_courses_by_term", `{"term": "2025-FALL"}`},
			Want: []string{`[{"course_id": "LITR301", "course_code": "LITR-3010", "title": "Modernist Poetry"}, {"course_id": "LITR345", "course_code": "LITR-3455", "title": "Shakespearean Tragedies"}]`}},
		{Name: "no such term", Call: step{"list_courses_by_term", `{"term": "1999-WINTER"}`}, Want: []string{`[]`}},
		{Name: "term of another type", Call: step{"list_courses_by_term", `{"term": 2025}`}, Want: []string{`[]`}},
		{Name: "term missing", Call: step{"list_courses_by_term", `{}`},
			Err: "SchoolTools.list_courses_by_term() missing 1 required positional argument: 'term'"},

		{Name: "meeting canceled", Call: step{"get_course_meeting_status", `{"course_id": "ART1101", "date": "25-02-03"}`},
			Want: []string{`{"status": "canceled", "topic": "Shading techniques", "notes": "Snow day."}`}},
		{Name: "meeting held", Call: step{"get_course_meeting_status", `{"course_id": "ARTH221", "date": "25-01-28"}`},
			Want: []string{`{"status": "held", "topic": "Syllabus", "actual_start_time_est": "25-01-28-09-00", "actual_end_time_est": "25-01-28-09-50", "notes": null}`}},
		{Name: "meeting canceled without notes", Call: step{"get_course_meeting_status", `{"course_id": "DRAW210", "date": "25-01-29"}`},
			Want: []string{`{"status": "canceled", "topic": "Anatomy", "notes": null}`}},
		{Name: "meeting on another date", Call: step{"get_course_meeting_status", `{"course_id": "ART1101", "date": "25-02-04"}`},
			Err: "No record for course ART1101 on date 25-02-04"},
		{Name: "meeting date of another type", Call: step{"get_course_meeting_status", `{"course_id": "ART1101", "date": 250203}`},
			Err: "No record for course ART1101 on date 250203"},
		{Name: "meeting list date", Call: step{"get_course_meeting_status", `{"course_id": "ART1101", "date": ["25-02-03"]}`},
			Err: "unhashable type: 'list'"},
		{Name: "meeting unknown course", Call: step{"get_course_meeting_status", `{"course_id": "NOPE", "date": "25-02-03"}`},
			Err: "Course NOPE not found"},
	})
}

func TestSearchCourses(t *testing.T) {
	db := loadFixture(t)
	for _, tt := range []struct {
		args string
		want string // ids in order, or the error
	}{
		{`{"term": "2025-SPRING"}`, "ART1101 ARTH221 SCULP30 DRAW210 BUSN101 BIOL110"},
		{`{"term": "2025-FALL"}`, "LITR301 LITR345"},
		{`{"term": "2025-SPRING", "department": "Fine Arts"}`, "ART1101 DRAW210"},
		{`{"term": "2025-SPRING", "department": "fine arts"}`, ""}, // exact match
		{`{"term": "2025-SPRING", "department": ""}`, "ART1101 ARTH221 SCULP30 DRAW210 BUSN101 BIOL110"},
		{`{"term": "2025-SPRING", "department": 7}`, ""}, // a truthy non-str never matches
		{`{"term": "2025-SPRING", "campus": "Main"}`, "ART1101 ARTH221 BIOL110"},
		{`{"term": "2025-SPRING", "day": "Friday"}`, "SCULP30 BIOL110"},
		{`{"term": "2025-SPRING", "day": ["Friday"]}`, ""},
		{`{"term": "2025-SPRING", "start_after": "11-00"}`, "ARTH221 SCULP30 BUSN101 BIOL110"},
		{`{"term": "2025-SPRING", "end_before": "10-45"}`, "ART1101 DRAW210"},
		{`{"term": "2025-SPRING", "start_after": " 9-0", "end_before": "+10-0_0"}`, "ART1101"}, // int() accepts these
		{`{"term": "2025-SPRING", "start_after": "١٣-٣٠"}`, "SCULP30 BIOL110"},                 // Arabic-Indic digits: 13-30
		{`{"term": "2025-SPRING", "open_only": true}`, "ART1101 SCULP30 DRAW210 BUSN101 BIOL110"},
		{`{"term": "2025-SPRING", "open_only": "no"}`, "ART1101 SCULP30 DRAW210 BUSN101 BIOL110"}, // a non-empty str is true
		{`{"term": "2025-SPRING", "open_only": 0}`, "ART1101 ARTH221 SCULP30 DRAW210 BUSN101 BIOL110"},
		{`{"term": "2025-SPRING", "department": "Fine Arts", "day": "Monday", "start_after": "08-30", "end_before": "10-00", "open_only": true}`, "ART1101"},
		{`{"term": "2025-SPRING", "start_after": "9:30"}`, "Invalid time format: 9:30"},
		{`{"term": "2025-SPRING", "start_after": "09-30-00"}`, "Invalid time format: 09-30-00"},
		{`{"term": "2025-SPRING", "end_before": "ab-00"}`, "invalid literal for int() with base 10: 'ab'"},
		{`{"term": "2025-SPRING", "end_before": "10-"}`, "invalid literal for int() with base 10: ''"},
		{`{"term": "2025-SPRING", "end_before": "1__0-00"}`, "invalid literal for int() with base 10: '1__0'"},
		{`{"term": "2025-SPRING", "start_after": 930}`, "'int' object has no attribute 'split'"},
		{`{"term": "2025-SPRING", "start_after": ["09-30"]}`, "'list' object has no attribute 'split'"},
		{`{"term": "2025-SPRING", "start_after": 0}`, "ART1101 ARTH221 SCULP30 DRAW210 BUSN101 BIOL110"}, // falsy: no filter
		{`{"term": "1999-WINTER", "start_after": "9:30"}`, ""},                                           // parsed only for a course that gets that far
		{`{"term": "2025-SPRING", "department": "Nursing", "start_after": "bad"}`, ""},
		{`{"term": null}`, ""},
	} {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		args, err := py.Parse([]byte(tt.args))
		if err != nil {
			t.Fatal(err)
		}
		r := env.Call("search_courses", args.(*py.Object))
		var got string
		if !r.OK() {
			got = r.Err.Error()
		} else {
			var ids []string
			for _, c := range r.Output.([]*Course) {
				ids = append(ids, c.CourseID)
			}
			got = strings.Join(ids, " ")
		}
		if got != tt.want {
			t.Errorf("search_courses(%s) = %q; want %q", tt.args, got, tt.want)
		}
	}
}

// register builds a register_courses call for STU0001 in the fall.
func register(extra string) step {
	return step{"register_courses", `{"student_id": "STU0001", "term": "2025-FALL", "course_ids": ["LITR301", "LITR345"], "study_level": "undergraduate", "health_insurance": "yes"` + extra + `}`}
}

const splitPayment = `, "payment_methods": [{"payment_id": "PM-AVA-1", "amount": 3000}, {"payment_id": "PM-AVA-2", "amount": "800"}]`

// untouched checks that a failed registration changed nothing.
func untouched(t *testing.T, db *DB) {
	t.Helper()
	if _, ok := db.Registrations.Get("REG001"); ok {
		t.Error("REG001 stored")
	}
	enrollment("LITR301", 0, "LITR345", 0)(t, db)
	s, _ := db.Students.Get("STU0001")
	if len(s.Registrations) != 1 {
		t.Errorf("student registrations %v", s.Registrations)
	}
}

func TestRegisterCourses(t *testing.T) {
	ok := register(splitPayment)
	runCases(t, []toolCase{
		{Name: "register", Call: ok,
			Want: []string{`{"registration_id": "REG001", "student_id": "STU0001", "campus": "Main Campus", "program": "BA Fine Arts", "study_level": "undergraduate", "term": "2025-FALL", "status": "part-time", "courses": [` +
				`{"course_id": "LITR301", "course_code": "LITR-3010", "section": "001", "title": "Modernist Poetry", "credits": 3, "grading_option": "letter", "tuition": 1500}, ` +
				`{"course_id": "LITR345", "course_code": "LITR-3455", "section": "001", "title": "Shakespearean Tragedies", "credits": 4, "grading_option": "letter", "tuition": 2000}], ` +
				`"advisors": [], "payment_history": [{"payment_id": "PM-AVA-1", "amount": 3000}, {"payment_id": "PM-AVA-2", "amount": 800}], "created_at": "25-05-15", "total_credits": 7, "overload_credits": 0, ` +
				`"financial_aid": {"scholarships": 0, "grants": 0, "loans": 0}, "health_insurance": "yes"}`},
			Check: func(t *testing.T, db *DB) {
				enrollment("LITR301", 1, "LITR345", 1)(t, db)
				s, _ := db.Students.Get("STU0001")
				if strings.Join(s.Registrations, " ") != "REGA001 REG001" {
					t.Errorf("student registrations %v", s.Registrations)
				}
				if keys := db.Registrations.Keys(); keys[len(keys)-1] != "REG001" {
					t.Errorf("REG001 not appended: %v", keys)
				}
			}},
		{Name: "grading options and graduate rate", Call: step{"register_courses", `{"student_id": "STU0002", "term": "2025-FALL", "course_ids": ["LITR301"], "study_level": "graduate", "grading_options": {"LITR301": "audit", "OTHER": "bogus"}, "payment_methods": [{"payment_id": "PM-LIAM-1", "amount": 2400.0}]}`},
			Want: []string{`"grading_option": "audit", "tuition": 2400}`, `"health_insurance": "no"}`}},
		{Name: "no courses", Call: step{"register_courses", `{"student_id": "STU0003", "term": "2025-FALL", "course_ids": [], "study_level": "undergraduate", "health_insurance": "yes", "payment_methods": [{"payment_id": "PM-CLEO-1", "amount": 300}]}`},
			Want: []string{`"campus": "Main", "program": "BS Biology"`, `"courses": [], "advisors": [], "payment_history": [{"payment_id": "PM-CLEO-1", "amount": 300}]`}},
		{Name: "no courses, no payment, default insurance", Call: step{"register_courses", `{"student_id": "STU0003", "term": "2025-FALL", "course_ids": [], "study_level": "undergraduate"}`},
			Want: []string{`"payment_history": []`, `"total_credits": 0`}},
		{Name: "the last seat is taken", Setup: []step{ok}, Call: register(splitPayment), Err: "Course LITR-3455 is full"},
		{Name: "ids run out", Setup: []step{
			{"register_courses", `{"student_id": "STU0003", "term": "2025-FALL", "course_ids": [], "study_level": "graduate"}`},
			{"register_courses", `{"student_id": "STU0003", "term": "2025-FALL", "course_ids": [], "study_level": "graduate"}`},
			{"register_courses", `{"student_id": "STU0003", "term": "2025-FALL", "course_ids": [], "study_level": "graduate"}`}},
			Call: step{"register_courses", `{"student_id": "STU0003", "term": "2025-FALL", "course_ids": [], "study_level": "graduate"}`},
			Err:  "Too many registrations created in this session"},
		{Name: "amount does not add up", Call: register(`, "payment_methods": [{"payment_id": "PM-AVA-1", "amount": 3000}]`),
			Err: "Payment amount does not add up, total due is 3800, but paid 3000", Check: untouched},
		{Name: "without insurance", Call: register(splitPayment + `, "health_insurance": "YES"`),
			Err: "Payment amount does not add up, total due is 3500, but paid 3800"},
		{Name: "method of another student", Call: register(`, "payment_methods": [{"payment_id": "PM-LIAM-1", "amount": 3800}]`),
			Err: "Payment method PM-LIAM-1 not found for student STU0001"},
		{Name: "fractional amount", Call: register(`, "payment_methods": [{"payment_id": "PM-AVA-1", "amount": 3799.5}]`),
			Err: "1 validation error for Payment"},
		{Name: "payment without amount before student lookup", Call: step{"register_courses", `{"student_id": "NOPE", "term": "2025-FALL", "course_ids": [], "study_level": "graduate", "payment_methods": [{"payment_id": "PM-AVA-1"}]}`},
			Err: "1 validation error for Payment"},
		{Name: "payments not a list", Call: register(`, "payment_methods": {"PM-AVA-1": 3800}`), Err: "payment_methods must be a list"},
		{Name: "payments as str", Call: register(`, "payment_methods": "PM-AVA-1"`), Err: "payment_methods must be a list"},
		{Name: "payments of ids", Call: register(`, "payment_methods": ["PM-AVA-1"]`), Err: "'str' object has no attribute 'payment_id'"},
		{Name: "payments mixed", Call: register(`, "payment_methods": [{"payment_id": "PM-AVA-1", "amount": 3800}, 5]`), Err: "'dict' object has no attribute 'payment_id'"},
		{Name: "payments not iterable", Call: register(`, "payment_methods": 3800`), Err: "'int' object is not iterable"},
		{Name: "payments null", Call: register(`, "payment_methods": null`), Err: "'NoneType' object is not iterable"},
		{Name: "unknown student", Call: step{"register_courses", `{"student_id": "STU0404", "term": "2025-FALL", "course_ids": ["LITR301"], "study_level": "undergraduate"}`},
			Err: "Student STU0404 not found"},
		{Name: "unknown course", Call: step{"register_courses", `{"student_id": "STU0001", "term": "2025-FALL", "course_ids": ["LITR301", "NOPE"], "study_level": "undergraduate"}`},
			Err: "Course NOPE not found"},
		{Name: "course ids as str", Call: step{"register_courses", `{"student_id": "STU0001", "term": "2025-FALL", "course_ids": "LITR301", "study_level": "undergraduate"}`},
			Err: "Course L not found"},
		{Name: "course ids not iterable", Call: step{"register_courses", `{"student_id": "STU0001", "term": "2025-FALL", "course_ids": 5, "study_level": "undergraduate"}`},
			Err: "'int' object is not iterable"},
		{Name: "term mismatch", Call: step{"register_courses", `{"student_id": "STU0001", "term": "2025-FALL", "course_ids": ["LITR301", "SCULP30"], "study_level": "undergraduate"}`},
			Err: "Course SCULP30 term 2025-SPRING does not match requested term 2025-FALL"},
		{Name: "term of another type", Call: step{"register_courses", `{"student_id": "STU0001", "term": null, "course_ids": ["LITR301"], "study_level": "undergraduate"}`},
			Err: "Course LITR301 term 2025-FALL does not match requested term None"},
		{Name: "full course", Call: step{"register_courses", `{"student_id": "STU0001", "term": "2025-SPRING", "course_ids": ["SCULP30", "ARTH221"], "study_level": "undergraduate"}`},
			Err: "Course ARTH-2210 is full"},
		{Name: "conflict", Call: step{"register_courses", `{"student_id": "STU0001", "term": "2025-SPRING", "course_ids": ["DRAW210", "SCULP30", "ART1101"], "study_level": "undergraduate"}`},
			Err: "Schedule conflict between courses ART-2101 and ART-1101"},
		{Name: "course twice conflicts with itself", Call: step{"register_courses", `{"student_id": "STU0001", "term": "2025-SPRING", "course_ids": ["SCULP30", "SCULP30"], "study_level": "undergraduate"}`},
			Err: "Schedule conflict between courses ARTS-3055 and ARTS-3055"},
		{Name: "unknown study level", Call: register(splitPayment + `, "study_level": "doctoral"`), Err: "'doctoral'"},
		{Name: "study level of another type", Call: register(splitPayment + `, "study_level": 1`), Err: "1"},
		{Name: "study level list", Call: register(splitPayment + `, "study_level": ["graduate"]`), Err: "unhashable type: 'list'"},
		{Name: "bad study level without courses", Call: step{"register_courses", `{"student_id": "STU0003", "term": "2025-FALL", "course_ids": [], "study_level": "doctoral"}`},
			Err: "1 validation error for Registration"},
		{Name: "bad grading option", Call: register(splitPayment + `, "grading_options": {"LITR345": "honors"}`),
			Err: "1 validation error for RegistrationCourse", Check: untouched},
		{Name: "grading options list", Call: register(splitPayment + `, "grading_options": ["LITR301"]`),
			Err: "list indices must be integers or slices, not str"},
		{Name: "grading options list without the course", Call: register(splitPayment + `, "grading_options": ["audit"]`),
			Want: []string{`"grading_option": "letter", "tuition": 1500}`}},
		{Name: "grading options str", Call: register(splitPayment + `, "grading_options": "LITR301 audit"`),
			Err: "string indices must be integers, not 'str'"},
		{Name: "grading options int", Call: register(splitPayment + `, "grading_options": 1`),
			Err: "argument of type 'int' is not iterable"},
		{Name: "grading options falsy", Call: register(splitPayment + `, "grading_options": 0`),
			Want: []string{`"grading_option": "letter", "tuition": 2000}`}},
		{Name: "bad insurance choice", Call: register(`, "payment_methods": [{"payment_id": "PM-AVA-1", "amount": 3500}], "health_insurance": "maybe"`),
			Err: "1 validation error for Registration", Check: untouched},
		{Name: "bad term and insurance", Call: step{"register_courses", `{"student_id": "STU0003", "term": 2025, "course_ids": [], "study_level": "graduate", "health_insurance": true}`},
			Err: "2 validation errors for Registration"},
	})
}

// update builds an update_registration_courses call.
func update(reg, add, drop, extra string) step {
	return step{"update_registration_courses", `{"registration_id": "` + reg + `", "add_course_ids": ` + add + `, "drop_course_ids": ` + drop + extra + `}`}
}

func TestUpdateRegistrationCourses(t *testing.T) {
	cancelA := step{"cancel_registration", `{"registration_id": "REGA001"}`}
	runCases(t, []toolCase{
		{Name: "drop reprices and refunds to the last payment", Call: update("REGA001", `[]`, `["ARTH221"]`, ``),
			Want: []string{`"status": "part-time", "courses": [{"course_id": "ART1101", "course_code": "ART-1101", "section": "001", "title": "Introduction to Drawing", "credits": 3, "grading_option": "letter", "tuition": 1500}]`,
				`"total_credits": 3, "overload_credits": 0`},
			Check: both(enrollment("ARTH221", 39, "ART1101", 28),
				history("REGA001", `[{"payment_id":"PAY-0001","amount":1500},{"payment_id":"PAY-0002","amount":500},{"payment_id":"PAY-0002","amount":-1650}]`))},
		{Name: "refund to a given id, unchecked", Call: update("REGA001", `[]`, `["ARTH221"]`, `, "payment_id": "GIFT-CARD"`),
			Check: history("REGA001", `[{"payment_id":"PAY-0001","amount":1500},{"payment_id":"PAY-0002","amount":500},{"payment_id":"GIFT-CARD","amount":-1650}]`)},
		{Name: "refund without payments", Call: update("REGB002", `[]`, `["SCULP30"]`, ``),
			Check: both(history("REGB002", `[{"payment_id":"adjustment","amount":-2400}]`), enrollment("SCULP30", 16))},
		{Name: "refund to a non-str id", Call: update("REGB002", `[]`, `["SCULP30"]`, `, "payment_id": 7`),
			Err: "1 validation error for Payment", Check: both(history("REGB002", `[]`), enrollment("SCULP30", 17))},
		{Name: "add charges the difference", Call: update("REGA001", `["SCULP30"]`, `[]`, `, "grading_options": {"ARTH221": "pass/fail"}, "payment_id": "PM-AVA-2"`),
			Want: []string{`"grading_option": "pass/fail", "tuition": 2000}`, `"status": "part-time"`, `"total_credits": 10`},
			Check: both(enrollment("SCULP30", 18, "ARTH221", 40),
				history("REGA001", `[{"payment_id":"PAY-0001","amount":1500},{"payment_id":"PAY-0002","amount":500},{"payment_id":"PM-AVA-2","amount":1850}]`))},
		{Name: "full-time load; back-to-back courses do not clash", Call: update("REGA001", `["BUSN101", "BIOL110"]`, `[]`, `, "payment_id": "PM-AVA-1"`),
			Want:  []string{`"status": "full-time"`, `"total_credits": 14, "overload_credits": 0`, `{"payment_id": "PM-AVA-1", "amount": 3850}]`},
			Check: enrollment("BUSN101", 11, "BIOL110", 60)},
		{Name: "grading change keeps tuition", Call: update("REGB002", `[]`, `[]`, `, "grading_options": {"SCULP30": "pass/fail"}`),
			Want: []string{`"grading_option": "pass/fail", "tuition": 2400}`, `"payment_history": []`}},
		{Name: "charge needs a payment id", Call: update("REGA001", `["SCULP30"]`, `[]`, ``),
			Err: "payment_id is required for additional charges", Check: enrollment("SCULP30", 17)},
		{Name: "charge to a method of another student", Call: update("REGA001", `["SCULP30"]`, `[]`, `, "payment_id": "PM-LIAM-1"`),
			Err: "Payment method PM-LIAM-1 not found for student STU0001"},
		{Name: "charge to null", Call: update("REGA001", `["SCULP30"]`, `[]`, `, "payment_id": null`),
			Err: "Payment method None not found for student STU0001"},
		{Name: "charge to a list", Call: update("REGA001", `["SCULP30"]`, `[]`, `, "payment_id": ["PM-AVA-1"]`),
			Err: "unhashable type: 'list'"},
		{Name: "add a full course", Call: update("REGB002", `["ARTH221"]`, `[]`, `, "payment_id": "PM-LIAM-1"`), Err: "Course ARTH-2210 is full"},
		{Name: "re-adding a course on the registration checks its seat", Call: update("REGA001", `["ARTH221"]`, `[]`, ``), Err: "Course ARTH-2210 is full"},
		{Name: "re-adding counts a seat", Call: update("REGA001", `["ART1101"]`, `[]`, `, "payment_id": "PM-AVA-1"`),
			Check: enrollment("ART1101", 29)},
		{Name: "drop and re-add nets zero", Call: update("REGA001", `["ART1101"]`, `["ART1101"]`, `, "payment_id": "PM-AVA-1"`),
			Check: enrollment("ART1101", 28)},
		{Name: "add a clashing course", Call: update("REGA001", `["DRAW210"]`, `[]`, `, "payment_id": "PM-AVA-1"`),
			Err: "Schedule conflict between courses ART-1101 and ART-2101"},
		{Name: "add a course of another term", Call: update("REGA001", `["LITR301"]`, `[]`, ``),
			Err: "Course LITR301 term 2025-FALL does not match registration term 2025-SPRING"},
		{Name: "add an unknown course", Call: update("REGA001", `["NOPE"]`, `[]`, ``), Err: "Course NOPE not found"},
		{Name: "add ids as str", Call: update("REGA001", `"SCULP30"`, `[]`, ``), Err: "Course S not found"},
		{Name: "add ids not iterable", Call: update("REGA001", `null`, `[]`, ``), Err: "'NoneType' object is not iterable"},
		{Name: "drop ids not iterable", Call: update("REGA001", `[]`, `7`, ``), Err: "'int' object is not iterable",
			Check: history("REGA001", `[{"payment_id":"PAY-0001","amount":1500},{"payment_id":"PAY-0002","amount":500}]`)},
		{Name: "drop ids unhashable", Call: update("REGA001", `[]`, `[["ART1101"]]`, ``), Err: "unhashable type: 'list'"},
		{Name: "bad drop ids after the charge when there was no course", Setup: []step{cancelA},
			Call: update("REGA001", `["SCULP30"]`, `7`, `, "payment_id": "PM-AVA-1"`), Err: "'int' object is not iterable",
			Check: both(enrollment("SCULP30", 17), func(t *testing.T, db *DB) { // partial mutation: the charge stays
				h := registration(t, db, "REGA001").PaymentHistory
				if last := h[len(h)-1]; last.PaymentID != "PM-AVA-1" || last.Amount != 1500 || len(registration(t, db, "REGA001").Courses) != 0 {
					t.Errorf("history %v", h)
				}
			})},
		{Name: "bad grading option", Call: update("REGA001", `[]`, `[]`, `, "grading_options": {"ART1101": "none"}`),
			Err: "1 validation error for RegistrationCourse"},
		{Name: "grading options str", Call: update("REGA001", `[]`, `[]`, `, "grading_options": "ART1101"`),
			Err: "string indices must be integers, not 'str'"},
		{Name: "unknown registration", Call: update("REG-1CC59A", `[]`, `["ART1101"]`, ``), Err: "Registration REG-1CC59A not found"},
		{Name: "registration of an unknown student", Call: update("REGE005", `[]`, `[]`, ``), Err: "Student STU9999 not found"},
		{Name: "registration with a withdrawn course", Call: update("REGD004", `[]`, `["GONE999"]`, ``), Err: "Course GONE999 not found"},
		{Name: "missing arguments", Call: step{"update_registration_courses", `{"registration_id": "REGA001"}`},
			Err: "SchoolTools.update_registration_courses() missing 2 required positional arguments: 'add_course_ids' and 'drop_course_ids'"},
	})
}

func TestCancelAndPay(t *testing.T) {
	cancelA := step{"cancel_registration", `{"registration_id": "REGA001"}`}
	runCases(t, []toolCase{
		{Name: "cancel", Call: cancelA,
			Want: []string{`"status": "part-time", "courses": []`, `"total_credits": 0, "overload_credits": 0`, `"health_insurance": "yes"}`},
			Check: both(enrollment("ART1101", 27, "ARTH221", 39),
				history("REGA001", `[{"payment_id":"PAY-0001","amount":1500},{"payment_id":"PAY-0002","amount":500},{"payment_id":"PAY-0001","amount":-1500},{"payment_id":"PAY-0002","amount":-500}]`),
				func(t *testing.T, db *DB) {
					s, _ := db.Students.Get("STU0001")
					if len(s.Registrations) != 1 || s.Registrations[0] != "REGA001" {
						t.Errorf("student registrations %v", s.Registrations)
					}
				})},
		{Name: "cancel twice", Setup: []step{cancelA}, Call: cancelA,
			Check: history("REGA001", `[{"payment_id":"PAY-0001","amount":1500},{"payment_id":"PAY-0002","amount":500},{"payment_id":"PAY-0001","amount":-1500},{"payment_id":"PAY-0002","amount":-500},`+
				`{"payment_id":"PAY-0001","amount":-1500},{"payment_id":"PAY-0002","amount":-500},{"payment_id":"PAY-0001","amount":1500},{"payment_id":"PAY-0002","amount":500}]`)},
		{Name: "cancel keeps enrollment at zero", Call: step{"cancel_registration", `{"registration_id": "REGB002"}`},
			Setup: []step{update("REGB002", `[]`, `[]`, ``)}, Check: enrollment("SCULP30", 16)},
		{Name: "cancel with a withdrawn course", Call: step{"cancel_registration", `{"registration_id": "REGD004"}`},
			Err: "Course GONE999 not found",
			Check: both(enrollment("BUSN101", 9), // partial mutation: refunds and the first seat stay
				history("REGD004", `[{"payment_id":"PAY-0009","amount":100},{"payment_id":"PAY-0009","amount":-100}]`))},
		{Name: "cancel unknown", Call: step{"cancel_registration", `{"registration_id": "REG-A6581C"}`}, Err: "Registration REG-A6581C not found"},
		{Name: "cancel without id", Call: step{"cancel_registration", `{}`},
			Err: "SchoolTools.cancel_registration() missing 1 required positional argument: 'registration_id'"},

		{Name: "pay", Call: step{"pay_registration", `{"registration_id": "REGA001", "payment": {"payment_id": "PM-AVA-2", "amount": 349, "note": "extra keys are dropped"}}`},
			Check: history("REGA001", `[{"payment_id":"PAY-0001","amount":1500},{"payment_id":"PAY-0002","amount":500},{"payment_id":"PM-AVA-2","amount":349}]`)},
		{Name: "pay a refund", Call: step{"pay_registration", `{"registration_id": "REGB002", "payment": {"payment_id": "PM-LIAM-1", "amount": "-50"}}`},
			Check: history("REGB002", `[{"payment_id":"PM-LIAM-1","amount":-50}]`)},
		{Name: "pay with a method of another student", Call: step{"pay_registration", `{"registration_id": "REGA001", "payment": {"payment_id": "PM-LIAM-1", "amount": 10}}`},
			Err: "Payment method PM-LIAM-1 not found for student STU0001"},
		{Name: "pay without amount", Call: step{"pay_registration", `{"registration_id": "REGA001", "payment": {"payment_id": "PM-AVA-1"}}`},
			Err: "1 validation error for Payment"},
		{Name: "pay a fraction", Call: step{"pay_registration", `{"registration_id": "REGA001", "payment": {"payment_id": "PM-AVA-1", "amount": 10.5}}`},
			Err: "1 validation error for Payment"},
		{Name: "pay with a bare id", Call: step{"pay_registration", `{"registration_id": "REGA001", "payment": "PM-AVA-1"}`},
			Err: "'str' object has no attribute 'payment_id'"},
		{Name: "pay a bare id to an unknown registration", Call: step{"pay_registration", `{"registration_id": "NOPE", "payment": "PM-AVA-1"}`},
			Err: "Registration NOPE not found"},
		{Name: "pay on a registration of an unknown student", Call: step{"pay_registration", `{"registration_id": "REGE005", "payment": {"payment_id": "PM-AVA-1", "amount": 1}}`},
			Err: "Student STU9999 not found"},
	})
}

func TestParseInt(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"9", "9"}, {" 09 ", "9"}, {"+1_000", "1000"}, {"-5", "-5"}, {"\u0663", "3"}, {"\U0001D7D7", "9"},
		{"99999999999999999999999", "99999999999999999999999"},
		{"", "invalid literal for int() with base 10: ''"},
		{"1_", "invalid literal for int() with base 10: '1_'"},
		{"_1", "invalid literal for int() with base 10: '_1'"},
		{"+", "invalid literal for int() with base 10: '+'"},
		{"1.0", "invalid literal for int() with base 10: '1.0'"},
		{"--1", "invalid literal for int() with base 10: '--1'"},
		{"1 2", "invalid literal for int() with base 10: '1 2'"},
	} {
		n, err := parseInt(tt.in)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = n.String()
		}
		if got != tt.want {
			t.Errorf("parseInt(%q) = %s; want %s", tt.in, got, tt.want)
		}
	}
}

func TestToolMetadata(t *testing.T) {
	kinds := map[domains.Kind]int{}
	for _, tool := range Domain.Tools {
		kinds[tool.Kind]++
	}
	if len(Domain.Tools) != 11 || kinds[domains.Read] != 7 || kinds[domains.Write] != 4 {
		t.Errorf("%d tools, kinds %v; want 11: 7 READ, 4 WRITE", len(Domain.Tools), kinds)
	}
	// Arguments a pipeline would generate fit the schemas.
	for _, c := range []step{register(splitPayment), update("REGA001", `["SCULP30"]`, `[]`, `, "grading_options": {"SCULP30": "audit"}, "payment_id": "PM-AVA-1"`),
		{"pay_registration", `{"registration_id": "REGA001", "payment": {"payment_id": "PM-AVA-1", "amount": 10}}`},
		{"search_courses", `{"term": "2025-SPRING", "day": "Monday", "open_only": true}`}} {
		args, _ := py.Parse([]byte(strings.Replace(c.Args(), `"800"`, `800`, 1)))
		if err := Domain.Tool(c.Name()).Validate(args.(*py.Object)); err != nil {
			t.Errorf("%s: %v", c.Name(), err)
		}
	}
	args, _ := py.Parse([]byte(`{"term": "2025-SPRING", "day": "Someday"}`))
	if err := Domain.Tool("search_courses").Validate(args.(*py.Object)); err == nil {
		t.Error("search_courses accepts day Someday")
	}
}

// TestDecode checks the load-time rules: the date-of-birth alias, notes filled with null,
// and the union of meeting records.
func TestDecode(t *testing.T) {
	data, err := os.ReadFile("testdata/registrar.json")
	if err != nil {
		t.Fatal(err)
	}
	db, err := domains.Decode(Domain, data)
	if err != nil {
		t.Fatal(err)
	}
	canon, _ := domains.Encode(db, py.Canonical)
	tau2, _ := domains.Encode(db, py.Tau2)
	if !strings.Contains(string(canon), `"date-of-birth":"70-03-22"`) || strings.Contains(string(canon), "date_of_birth") {
		t.Error("canonical form does not keep the file key date-of-birth")
	}
	if !strings.Contains(string(tau2), `"date_of_birth": "70-03-22"`) || strings.Contains(string(tau2), "date-of-birth") {
		t.Error("tau2 form does not use the field name date_of_birth")
	}
	if !strings.Contains(string(canon), `"25-02-03":{"notes":"Snow day.","status":"canceled","topic":"Shading techniques"}`) {
		t.Error("canceled meeting encodes keys of another variant")
	}
	if !strings.Contains(string(canon), `"25-02-05":{"actual_end_time_est":"25-02-06-09-50","actual_start_time_est":"25-02-06-09-00","notes":null,"status":"rescheduled"`) {
		t.Error("absent notes do not load as null")
	}
	for _, tt := range []struct{ from, to, want string }{
		{`"status": "canceled"`, `"status": "cancelled"`, "courses.ART1101.dates.25-02-03.status: Input should be 'held', 'canceled' or 'rescheduled'"},
		{`"Wednesday"`, `"Wed"`, "courses.ART1101.meeting_pattern.days.1: Input should be 'Monday'"},
		{`"grading_option": "letter"`, `"grading_option": "graded"`, "registrations.REGA001.courses.0.grading_option: Input should be 'letter', 'pass/fail' or 'audit'"},
		{`"amount": 1500`, `"amount": 1500.5`, "registrations.REGA001.payment_history.0.amount: Input should be a valid integer"},
		{`"date-of-birth"`, `"dob"`, "students.STU0001.saved_contacts.0.dob: Extra inputs are not permitted"},
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

func TestEqual(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{`1`, `1.0`, true}, {`true`, `1`, true}, {`false`, `0.0`, true}, {`"1"`, `1`, false}, {`null`, `null`, true},
		{`[1, "a"]`, `[1.0, "a"]`, true}, {`{"a": 1}`, `{"a": true}`, true}, {`{"a": 1}`, `{"b": 1}`, false},
		{`0.1`, `0.1`, true}, {`9007199254740993`, `9007199254740992.0`, false},
	} {
		a, b := mustParse(t, tt.a), mustParse(t, tt.b)
		if got := equal(a, b); got != tt.want {
			t.Errorf("equal(%s, %s) = %v; want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if inf := math.Inf(1); !equal(inf, inf) || equal(math.NaN(), math.NaN()) || equal(inf, int64(1)) {
		t.Error("inf or nan compare wrongly")
	}
}
