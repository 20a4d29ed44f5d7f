// Package school is the university registrar environment: courses with their weekly
// meeting patterns and per-date meeting records, students with their saved payment
// methods and contacts, and term registrations with their course lines, advisors and
// payments. It mirrors the reference SchoolTools toolkit call for call.
package school

import "github.com/toolscale/toolscale/domains"

// DB is the school database: three tables keyed by id, in db.json order.
type DB struct {
	Courses       *domains.Table[Course]       `json:"courses"`
	Students      *domains.Table[Student]      `json:"students"`
	Registrations *domains.Table[Registration] `json:"registrations"`
}

// Days of the week, the values a meeting pattern may hold.
var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// Name is a person's name.
type Name struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// StudentAddress is a student's postal address.
type StudentAddress struct {
	Street  string `json:"street"`
	City    string `json:"city"`
	Country string `json:"country"`
	State   string `json:"state"`
	Zip     string `json:"zip"`
}

// Payment is one entry of a registration's payment history, in whole dollars; a negative
// amount is a refund.
type Payment struct {
	PaymentID string `json:"payment_id" jsonschema:"description=A payment method id saved on the student's profile."`
	Amount    int64  `json:"amount" jsonschema:"description=The amount in whole dollars."`
}

// Instructor teaches a course.
type Instructor struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
}

// Location is where a course meets.
type Location struct {
	Campus   string `json:"campus"`
	Building string `json:"building"`
	Room     string `json:"room"`
}

// MeetingPattern is a course's weekly schedule. Times are HH-MM, Eastern time.
type MeetingPattern struct {
	Days         []string `json:"days" db:"enum=Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"`
	StartTimeEst string   `json:"start_time_est"`
	EndTimeEst   string   `json:"end_time_est"`
}

// DateStatus is what happened to a course on one date. The reference declares it as a
// union of three models chosen by Status: held and rescheduled entries carry the actual
// start and end times (YY-MM-DD-HH-MM), canceled ones do not. A canceled entry therefore
// dumps only status, topic and notes; DateStatus implements py.Mapping to write exactly
// the keys of its variant. Notes may be absent from the file and then loads as null.
type DateStatus struct {
	Status             string  `json:"status" db:"enum=held|canceled|rescheduled"`
	Topic              string  `json:"topic"`
	ActualStartTimeEst *string `json:"actual_start_time_est" db:"optional"`
	ActualEndTimeEst   *string `json:"actual_end_time_est" db:"optional"`
	Notes              *string `json:"notes" db:"optional"`
}

var (
	timedKeys    = []string{"status", "topic", "actual_start_time_est", "actual_end_time_est", "notes"}
	canceledKeys = []string{"status", "topic", "notes"}
)

// Keys returns the keys of the entry's variant, in declaration order.
func (d DateStatus) Keys() []string {
	if d.Status == "canceled" {
		return canceledKeys
	}
	return timedKeys
}

// Lookup returns the value at key k.
func (d DateStatus) Lookup(k string) (any, bool) {
	opt := func(s *string) any {
		if s == nil {
			return nil
		}
		return *s
	}
	switch k {
	case "status":
		return d.Status, true
	case "topic":
		return d.Topic, true
	case "notes":
		return opt(d.Notes), true
	case "actual_start_time_est":
		return opt(d.ActualStartTimeEst), d.Status != "canceled"
	case "actual_end_time_est":
		return opt(d.ActualEndTimeEst), d.Status != "canceled"
	}
	return nil, false
}

// Course is a record of the courses table. Course codes are not unique.
type Course struct {
	CourseID                 string                   `json:"course_id"`
	Department               string                   `json:"department"`
	CourseCode               string                   `json:"course_code"` // DEPT-NNNN
	Title                    string                   `json:"title"`
	Credits                  int64                    `json:"credits"`
	Term                     string                   `json:"term"` // YYYY-TERM, e.g. 2025-SPRING
	Instructor               Instructor               `json:"instructor"`
	Location                 Location                 `json:"location"`
	ScheduledFirstMeetingEst string                   `json:"scheduled_first_meeting_est"` // YY-MM-DD-HH-MM
	ScheduledLastMeetingEst  string                   `json:"scheduled_last_meeting_est"`
	MeetingPattern           MeetingPattern           `json:"meeting_pattern"`
	Dates                    domains.Map[*DateStatus] `json:"dates"` // keyed by YY-MM-DD
	Capacity                 int64                    `json:"capacity"`
	WaitlistCapacity         int64                    `json:"waitlist_capacity"`
	CurrentEnrollment        int64                    `json:"current_enrollment"`
	CurrentWaitlist          int64                    `json:"current_waitlist"`
}

// PaymentMethodExtraInfo describes a card or an account.
type PaymentMethodExtraInfo struct {
	Brand    *string `json:"brand" db:"optional"`
	LastFour *string `json:"last_four" db:"optional"`
}

// PaymentMethod is a payment method saved on a student's profile.
type PaymentMethod struct {
	Source          string                 `json:"source"` // credit_card, bank_account
	PaymentMethodID string                 `json:"payment_method_id"`
	ExtraInfo       PaymentMethodExtraInfo `json:"extra_info"`
}

// SavedContact is a person on a student's profile. Its date of birth is the key
// date-of-birth in db.json and the field date_of_birth in every dump and hash.
type SavedContact struct {
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Relationship string `json:"relationship"`
	Phone        string `json:"phone"`
	DateOfBirth  string `json:"date_of_birth" db:"alias=date-of-birth"` // YY-MM-DD
}

// Program is a student's academic program.
type Program struct {
	School string  `json:"school"`
	Degree string  `json:"degree"`
	Major  string  `json:"major"`
	Minor  *string `json:"minor" db:"optional"`
}

// Student is a record of the students table.
type Student struct {
	StudentID      string                      `json:"student_id"`
	Name           Name                        `json:"name"`
	Address        StudentAddress              `json:"address"`
	Email          string                      `json:"email"`
	DOB            string                      `json:"dob"` // YY-MM-DD
	PaymentMethods domains.Map[*PaymentMethod] `json:"payment_methods"`
	SavedContacts  []SavedContact              `json:"saved_contacts"`
	Program        Program                     `json:"program"`
	Membership     *string                     `json:"membership" db:"optional"`
	Registrations  []string                    `json:"registrations"`
}

// RegistrationCourse is one course line of a registration.
type RegistrationCourse struct {
	CourseID      string `json:"course_id"`
	CourseCode    string `json:"course_code"`
	Section       string `json:"section"`
	Title         string `json:"title"`
	Credits       int64  `json:"credits"`
	GradingOption string `json:"grading_option" db:"enum=letter|pass/fail|audit"`
	Tuition       int64  `json:"tuition"`
}

// Advisor is a student's academic advisor.
type Advisor struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
}

// FinancialAid is a registration's aid, in whole dollars.
type FinancialAid struct {
	Scholarships int64 `json:"scholarships"`
	Grants       int64 `json:"grants"`
	Loans        int64 `json:"loans"`
}

// Registration is a record of the registrations table: one student's courses in one
// term. A cancelled registration stays, with no courses.
type Registration struct {
	RegistrationID  string               `json:"registration_id"`
	StudentID       string               `json:"student_id"`
	Campus          string               `json:"campus"`
	Program         string               `json:"program"`
	StudyLevel      string               `json:"study_level" db:"enum=undergraduate|graduate|continuing_ed"`
	Term            string               `json:"term"`
	Status          string               `json:"status" db:"enum=full-time|part-time"`
	Courses         []RegistrationCourse `json:"courses"`
	Advisors        []Advisor            `json:"advisors"`
	PaymentHistory  []Payment            `json:"payment_history"`
	CreatedAt       string               `json:"created_at"` // YY-MM-DD
	TotalCredits    int64                `json:"total_credits"`
	OverloadCredits int64                `json:"overload_credits"`
	FinancialAid    FinancialAid         `json:"financial_aid"`
	HealthInsurance string               `json:"health_insurance" db:"enum=yes|no"`
}

// Enumerated values of the data model.
var (
	studyLevels    = []string{"undergraduate", "graduate", "continuing_ed"}
	gradingOptions = []string{"letter", "pass/fail", "audit"}
	dateStatuses   = []string{"held", "canceled", "rescheduled"}
)
