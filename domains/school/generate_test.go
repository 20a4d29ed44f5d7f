package school

import (
	"fmt"
	"slices"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

func generated(t testing.TB, seed int64, scale int) *DB {
	t.Helper()
	db, err := Generate(domains.Rand(seed, "school", 0, "db"), scale)
	if err != nil {
		t.Fatal(err)
	}
	return db.(*DB)
}

func TestGeneratedConsistent(t *testing.T) {
	for _, scale := range []int{1, 3} {
		t.Run(fmt.Sprint("scale", scale), func(t *testing.T) {
			db := generated(t, 11, scale)
			if n := db.Courses.Len(); n != 120*scale {
				t.Errorf("%d courses; want %d", n, 120*scale)
			}
			if db.Students.Len() != 120*scale || db.Registrations.Len() != 120*scale {
				t.Errorf("%d students, %d registrations; want %d each", db.Students.Len(), db.Registrations.Len(), 120*scale)
			}
			seen := map[string]bool{}
			seats := map[string]int64{}
			for id, r := range db.Registrations.All() {
				if r.RegistrationID != id || len(id) != 7 {
					t.Errorf("registration key %s holds %s", id, r.RegistrationID)
				}
				seen["level "+r.StudyLevel] = true
				seen["status "+r.Status] = true
				seen["insurance "+r.HealthInsurance] = true
				s, ok := db.Students.Get(r.StudentID)
				if !ok || !slices.Contains(s.Registrations, id) {
					t.Errorf("registration %s of student %s who does not list it", id, r.StudentID)
					continue
				}
				if want := studyLevelOf(&s.Program); r.StudyLevel != want {
					t.Errorf("registration %s is %s for a %s student", id, r.StudyLevel, want)
				}
				var credits int64
				var courses []*Course
				for _, line := range r.Courses {
					seen["grading "+line.GradingOption] = true
					c, ok := db.Courses.Get(line.CourseID)
					if !ok || c.Term != r.Term || c.CourseCode != line.CourseCode || c.Credits != line.Credits {
						t.Errorf("registration %s line %+v does not match course %+v", id, line, c)
						continue
					}
					credits += line.Credits
					courses = append(courses, c)
					seats[c.CourseID]++
				}
				if len(r.Courses) == 0 {
					seen["cancelled"] = true
				}
				if r.TotalCredits != credits || r.Status != enrollmentStatus(credits) || r.OverloadCredits != overload(credits) {
					t.Errorf("registration %s: %d credits, %s, overload %d for lines of %d credits", id, r.TotalCredits, r.Status, r.OverloadCredits, credits)
				}
				if err := checkConflicts(courses); err != nil {
					t.Errorf("registration %s: %v", id, err)
				}
			}
			full := map[string]int{}
			for id, c := range db.Courses.All() {
				if c.CourseID != id {
					t.Errorf("course key %s holds %s", id, c.CourseID)
				}
				if seats[id] > c.CurrentEnrollment || c.CurrentEnrollment > c.Capacity {
					t.Errorf("course %s: %d registered, enrollment %d of %d", id, seats[id], c.CurrentEnrollment, c.Capacity)
				}
				if c.CurrentEnrollment == c.Capacity {
					full[c.Term]++
				}
				for _, d := range c.MeetingPattern.Days {
					seen["day "+d] = true
				}
				if _, err := minutes(c.MeetingPattern.StartTimeEst); err != nil {
					t.Errorf("course %s: %v", id, err)
				}
				for date, st := range c.Dates.All() {
					seen["meeting "+st.Status] = true
					if (st.Status == "canceled") != (st.ActualStartTimeEst == nil) || len(date) != 8 {
						t.Errorf("course %s meeting %s: %+v", id, date, st)
					}
				}
			}
			if full["2025-SPRING"] < 5*scale || full["2025-FALL"] < 1 {
				t.Errorf("full courses %v", full)
			}
			for _, want := range slices.Concat(prefixed("level ", studyLevels), prefixed("grading ", gradingOptions), prefixed("meeting ", dateStatuses),
				prefixed("day ", weekdays), []string{"status full-time", "status part-time", "insurance yes", "insurance no", "cancelled"}) {
				if !seen[want] {
					t.Errorf("no record with %s", want)
				}
			}
			nullMembership, twoMethods := false, false
			for s := range db.Students.Values() {
				nullMembership = nullMembership || s.Membership == nil
				twoMethods = twoMethods || s.PaymentMethods.Len() == 2
			}
			if !nullMembership || !twoMethods {
				t.Errorf("student without membership %v, with two methods %v", nullMembership, twoMethods)
			}
		})
	}
}

func prefixed(p string, list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = p + s
	}
	return out
}

// TestGeneratedWriteTools runs every WRITE tool successfully on generated databases, and
// each data-dependent precondition into its error.
func TestGeneratedWriteTools(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		db := generated(t, seed, 1)
		var fall, spring []*Course
		for c := range db.Courses.Values() {
			if c.Term == "2025-FALL" {
				fall = append(fall, c)
			} else {
				spring = append(spring, c)
			}
		}
		// The first four courses of each term: open, open, clashing with the first, full.
		open1, open2, clash, full := fall[0], fall[1], fall[2], fall[3]
		var reg *Registration
		for r := range db.Registrations.Values() {
			if r.Term == "2025-SPRING" && len(r.Courses) > 0 && reg == nil {
				reg = r
			}
		}
		if reg == nil {
			t.Fatalf("seed %d: no spring registration with courses", seed)
		}
		student, _ := db.Students.Get(reg.StudentID)
		method := student.PaymentMethods.Keys()[0]
		due := (open1.Credits + open2.Credits) * creditRates[reg.StudyLevel]
		registerArgs := func(ids ...string) string {
			return fmt.Sprintf(`{"student_id": %q, "term": "2025-FALL", "course_ids": %s, "study_level": %q, "payment_methods": [{"payment_id": %q, "amount": %d}]}`,
				student.StudentID, encodedDumps(t, ids), reg.StudyLevel, method, due)
		}
		// A spring course the registration can add: open, not on it, no clash.
		var add *Course
		for _, c := range spring {
			if c.CurrentEnrollment >= c.Capacity || slices.ContainsFunc(reg.Courses, func(l RegistrationCourse) bool { return l.CourseID == c.CourseID }) {
				continue
			}
			target := []*Course{c}
			for _, l := range reg.Courses {
				lc, _ := db.Courses.Get(l.CourseID)
				target = append(target, lc)
			}
			if checkConflicts(target) == nil {
				add = c
				break
			}
		}
		if add == nil {
			t.Fatalf("seed %d: no course to add to %s", seed, reg.RegistrationID)
		}
		calls := []step{
			{"register_courses", registerArgs(open1.CourseID, open2.CourseID)},
			{"update_registration_courses", fmt.Sprintf(`{"registration_id": %q, "add_course_ids": [%q], "drop_course_ids": [%q], "payment_id": %q}`,
				reg.RegistrationID, add.CourseID, reg.Courses[0].CourseID, method)},
			{"cancel_registration", fmt.Sprintf(`{"registration_id": %q}`, reg.RegistrationID)},
			{"pay_registration", fmt.Sprintf(`{"registration_id": %q, "payment": {"payment_id": %q, "amount": 250}}`, reg.RegistrationID, method)},
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
		for _, tt := range []struct {
			call step
			want string
		}{
			{step{"register_courses", registerArgs(open1.CourseID, full.CourseID)}, fmt.Sprintf("Course %s is full", full.CourseCode)},
			{step{"register_courses", registerArgs(open1.CourseID, clash.CourseID)},
				fmt.Sprintf("Schedule conflict between courses %s and %s", open1.CourseCode, clash.CourseCode)},
			{step{"register_courses", registerArgs(open1.CourseID, add.CourseID)},
				fmt.Sprintf("Course %s term 2025-SPRING does not match requested term 2025-FALL", add.CourseID)},
			{step{"register_courses", registerArgs(open1.CourseID)},
				fmt.Sprintf("Payment amount does not add up, total due is %d, but paid %d", open1.Credits*creditRates[reg.StudyLevel], due)},
			{step{"update_registration_courses", fmt.Sprintf(`{"registration_id": %q, "add_course_ids": [%q], "drop_course_ids": []}`, reg.RegistrationID, open1.CourseID)},
				fmt.Sprintf("Course %s term 2025-FALL does not match registration term 2025-SPRING", open1.CourseID)},
		} {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			if r := domaintest.Call(t, env, tt.call); r.OK() || r.Err.Error() != tt.want {
				t.Errorf("seed %d: %s: %s; want %s", seed, tt.call.Name(), r.Content, tt.want)
			}
		}
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
		if _, err := Generate(domains.Rand(1, "school", 0, "db"), 1); err != nil {
			b.Fatal(err)
		}
	}
}
