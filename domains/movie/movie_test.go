package movie

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

func TestDomain(t *testing.T) { domaintest.Run(t, Domain) }

// smallDB has a theater with a repeated show id on two dates, a canceled and a completed
// show, and bookings in each status; T2's show names an auditorium the theater lacks. B1's
// totals follow the pricing formula, B5's do not (a promotion was applied).
const smallDB = `{
 "movies": {
  "M1": {"movie_id": "M1", "title": "The Quiet River", "genres": ["Drama"], "runtime_minutes": 110, "mpaa_rating": "PG-13", "languages_audio": ["English"], "subtitles": ["Spanish"], "formats": ["2D", "IMAX"], "release_date": "24-04-01", "end_of_run_est": "24-07-01", "cast": [{"name": "Ana Silva", "role": "Detective"}], "crew": {"director": "A", "writer": "B", "producer": "C", "music": "D"}, "synopsis": "A river town keeps a secret."},
  "M2": {"movie_id": "M2", "title": "Cidade Alta", "genres": ["Action", "Thriller"], "runtime_minutes": 95, "mpaa_rating": "R", "languages_audio": ["Portuguese"], "subtitles": ["English"], "formats": ["2D"], "release_date": "24-03-01", "end_of_run_est": "24-06-01", "cast": [], "crew": {"director": "E", "writer": "F", "producer": "G", "music": "H"}, "synopsis": "Um assalto em São Paulo."}
 },
 "theaters": {
  "T1": {"theater_id": "T1", "name": "Cinema São Jorge", "address": {"street": "Av. da Liberdade 175", "city": "Lisbon", "state": "Lisboa", "country": "Portugal", "zip": "1250-141"},
   "contact": {"phone": "+351 21 310 3400", "email": "info@example.pt", "website": "https://example.pt"}, "amenities": ["Recliners"],
   "auditoriums": {"AUD-1": {"auditorium_id": "AUD-1", "name": "Sala 1", "capacity": 8, "features": ["Dolby Atmos"], "seat_map": {"rows": {
     "A": [{"seat_id": "A1", "type": "standard", "wheelchair_accessible": false}, {"seat_id": "A2", "type": "standard", "wheelchair_accessible": false}, {"seat_id": "A3", "type": "standard", "wheelchair_accessible": false}],
     "B": [{"seat_id": "B1", "type": "recliner", "wheelchair_accessible": true}, {"seat_id": "B2", "type": "recliner", "wheelchair_accessible": false}, {"seat_id": "B3", "type": "recliner", "wheelchair_accessible": false}]}}}},
   "pricing_rules": {"base": {"adult": 10, "child": 7, "senior": 8}, "format_surcharges": {"3D": 2.5, "IMAX": 5, "Dolby": 2}, "time_based": {"matinee_discount": 2, "peak_surcharge": 1.5}, "fees": {"convenience_fee": 1.5, "booking_fee": 1}, "tax_rate_percent": 10},
   "dates": {
    "24-06-01": {"shows": [
      {"show_id": "S1", "movie_id": "M1", "auditorium_id": "AUD-1", "start_time_local": "24-06-01-19-00", "end_time_local": "24-06-01-21-05", "format": "IMAX", "language": "English", "subtitles": "Spanish", "status": "scheduled", "price_schema": {"adult": 12, "child": 9, "senior": 10, "fees": {"convenience_fee": 1.5}}},
      {"show_id": "S2", "movie_id": "M2", "auditorium_id": "AUD-1", "start_time_local": "24-06-01-21-30", "end_time_local": "24-06-01-23-15", "format": "2D", "language": "Portuguese", "subtitles": "English", "status": "canceled", "price_schema": {"adult": 10, "child": 7, "senior": 8, "fees": {"convenience_fee": 1.5}}}]},
    "24-06-02": {"shows": [
      {"show_id": "S1", "movie_id": "M2", "auditorium_id": "AUD-1", "start_time_local": "24-06-02-18-00", "end_time_local": "24-06-02-19-45", "format": "2D", "language": "Portuguese", "subtitles": "English", "status": "scheduled", "price_schema": {"adult": 10, "child": 7, "senior": 8, "fees": {"convenience_fee": 1.5}}},
      {"show_id": "S3", "movie_id": "M1", "auditorium_id": "AUD-1", "start_time_local": "24-06-02-20-00", "end_time_local": "24-06-02-22-05", "format": "2D", "language": "English", "subtitles": "Spanish", "status": "completed", "price_schema": {"adult": 10, "child": 7, "senior": 8, "fees": {"convenience_fee": 1.5}}}]}}},
  "T2": {"theater_id": "T2", "name": "Kino Nord", "address": {"street": "Karl-Marx-Allee 33", "city": "Berlin", "state": "Berlin", "country": "Germany", "zip": "10178"},
   "contact": {"phone": "+49 30 1234567", "email": "kino@example.de", "website": "https://example.de"}, "amenities": [], "auditoriums": {},
   "pricing_rules": {"base": {"adult": 9, "child": 6, "senior": 7}, "format_surcharges": {}, "time_based": {"matinee_discount": 1, "peak_surcharge": 1}, "fees": {"convenience_fee": 1, "booking_fee": 0.5}, "tax_rate_percent": 7},
   "dates": {"24-06-05": {"shows": [{"show_id": "S9", "movie_id": "M2", "auditorium_id": "AUD-X", "start_time_local": "24-06-05-20-00", "end_time_local": "24-06-05-21-40", "format": "2D", "language": "Portuguese", "subtitles": "German", "status": "scheduled", "price_schema": {"adult": 9, "child": 6, "senior": 7, "fees": {"convenience_fee": 1}}}]}}}
 },
 "bookings": {
  "B1": {"booking_id": "B1", "theater_id": "T1", "movie_id": "M1", "show_id": "S1", "date": "24-06-01", "start_time_local": "24-06-01-19-00", "status": "confirmed", "created_at": "24-05-10-12-00",
   "customer": {"name": {"first_name": "Ana", "last_name": "Silva"}, "email": "ana@example.pt", "phone": "+351 912 345 678", "loyalty_id": "L-1"},
   "seats": [{"seat_id": "A1", "ticket_type": "adult", "price": 12.0, "convenience_fee": 1.5, "tax": 1.35}, {"seat_id": "A2", "ticket_type": "child", "price": 9.0, "convenience_fee": 1.5, "tax": 1.05}],
   "concessions": [], "promotions_applied": [],
   "payment_history": [{"payment_id": "P1", "amount": 27.4, "method": {"source": "card", "payment_method_id": "pm-1", "extra_info": {"brand": "Visa", "last_four": "4242"}}, "created_at": "24-05-10-12-01"}],
   "totals": {"tickets_subtotal": 21.0, "concessions_subtotal": 0.0, "fees_total": 4.0, "tax_total": 2.4, "grand_total": 27.4, "amount_paid": 27.4, "amount_due": 0.0},
   "delivery": {"method": "e-ticket", "tickets": [{"ticket_id": "B1-T1", "barcode": "111"}, {"ticket_id": "B1-T2", "barcode": "112"}]}, "special_requests": null},
  "B2": {"booking_id": "B2", "theater_id": "T1", "movie_id": "M1", "show_id": "S1", "date": "24-06-01", "start_time_local": "24-06-01-19-00", "status": "pending", "created_at": "24-05-11-09-00",
   "customer": {"name": {"first_name": "Rui", "last_name": "Costa"}, "email": "rui@example.pt", "phone": "+351 913 000 000"},
   "seats": [{"seat_id": "A3", "ticket_type": "adult", "price": 12.0, "convenience_fee": 1.5, "tax": 1.35}],
   "concessions": [], "promotions_applied": [], "payment_history": [],
   "totals": {"tickets_subtotal": 12.0, "concessions_subtotal": 0.0, "fees_total": 2.5, "tax_total": 1.35, "grand_total": 15.85, "amount_paid": 0.0, "amount_due": 15.85},
   "delivery": {"method": "kiosk", "tickets": []}},
  "B3": {"booking_id": "B3", "theater_id": "T1", "movie_id": "M1", "show_id": "S1", "date": "24-06-01", "start_time_local": "24-06-01-19-00", "status": "canceled", "created_at": "24-05-11-10-00", "canceled_at": "24-05-12-10-00",
   "customer": {"name": {"first_name": "Inês", "last_name": "Sousa"}, "email": "ines@example.pt", "phone": "+351 914 000 000", "loyalty_id": null},
   "seats": [{"seat_id": "B2", "ticket_type": "senior", "price": 10.0, "convenience_fee": 1.5, "tax": 1.15}],
   "concessions": [], "promotions_applied": [],
   "payment_history": [{"payment_id": "P3", "amount": 14.65, "method": {"source": "wallet", "payment_method_id": "pm-3", "extra_info": {"brand": "Apple Pay", "last_four": null}}, "created_at": "24-05-11-10-01"},
                       {"payment_id": "B3-refund", "amount": -14.65, "method": {"source": "wallet", "payment_method_id": "pm-3", "extra_info": null}, "created_at": "24-05-12-10-00"}],
   "totals": {"tickets_subtotal": 10.0, "concessions_subtotal": 0.0, "fees_total": 2.5, "tax_total": 1.15, "grand_total": 14.65, "amount_paid": 0.0, "amount_due": 14.65},
   "delivery": {"method": "e-ticket", "tickets": []}, "special_requests": "Aisle"},
  "B4": {"booking_id": "B4", "theater_id": "T1", "movie_id": "M2", "show_id": "S2", "date": "24-06-01", "start_time_local": "24-06-01-21-30", "status": "confirmed", "created_at": "24-05-12-10-00",
   "customer": {"name": {"first_name": "Jo", "last_name": "Lee"}, "email": "jo@example.com", "phone": "+1 555 0100", "loyalty_id": null},
   "seats": [{"seat_id": "A1", "ticket_type": "adult", "price": 10.0, "convenience_fee": 1.5, "tax": 1.15}],
   "concessions": [], "promotions_applied": [],
   "payment_history": [{"payment_id": "P4", "amount": 13.65, "method": {"source": "cash", "payment_method_id": "cash"}, "created_at": "24-05-12-10-00"}],
   "totals": {"tickets_subtotal": 10.0, "concessions_subtotal": 0.0, "fees_total": 2.5, "tax_total": 1.15, "grand_total": 13.65, "amount_paid": 13.65, "amount_due": 0.0},
   "delivery": {"method": "box-office", "tickets": [{"ticket_id": "B4-T1", "barcode": "411"}]}, "special_requests": null},
  "B5": {"booking_id": "B5", "theater_id": "T1", "movie_id": "M1", "show_id": "S1", "date": "24-06-01", "start_time_local": "24-06-01-19-00", "status": "confirmed", "created_at": "24-05-13-10-00",
   "customer": {"name": {"first_name": "Max", "last_name": "Weber"}, "email": "max@example.de", "phone": "+49 30 555", "loyalty_id": null},
   "seats": [{"seat_id": "B3", "ticket_type": "senior", "price": 10.0, "convenience_fee": 1.5, "tax": 1.15}],
   "concessions": [{"item_id": "CN-POP", "name": "Popcorn", "size": "L", "quantity": 2, "price_each": 5.5, "tax_each": 0.55, "total": 12.1}],
   "promotions_applied": [{"code": "WELCOME5", "description": "First booking", "discount_amount": 5.0}],
   "payment_history": [{"payment_id": "P5", "amount": 21.75, "method": {"source": "gift_card", "payment_method_id": "gc-5", "extra_info": null}, "created_at": "24-05-13-10-00"}],
   "totals": {"tickets_subtotal": 10.0, "concessions_subtotal": 11.0, "fees_total": 2.5, "tax_total": 2.25, "grand_total": 20.75, "amount_paid": 20.75, "amount_due": 0.0},
   "delivery": {"method": "e-ticket", "tickets": [{"ticket_id": "B5-T1", "barcode": "511"}]}, "special_requests": null},
  "B6": {"booking_id": "B6", "theater_id": "T1", "movie_id": "M1", "show_id": "S3", "date": "24-06-02", "start_time_local": "24-06-02-20-00", "status": "confirmed", "created_at": "24-05-13-11-00",
   "customer": {"name": {"first_name": "Kim", "last_name": "Park"}, "email": "kim@example.kr", "phone": "+82 10 555", "loyalty_id": null},
   "seats": [{"seat_id": "A1", "ticket_type": "adult", "price": 10.0, "convenience_fee": 1.5, "tax": 1.15}],
   "concessions": [], "promotions_applied": [],
   "payment_history": [{"payment_id": "P6", "amount": 13.65, "method": {"source": "card", "payment_method_id": "pm-6", "extra_info": null}, "created_at": "24-05-13-11-00"}],
   "totals": {"tickets_subtotal": 10.0, "concessions_subtotal": 0.0, "fees_total": 2.5, "tax_total": 1.15, "grand_total": 13.65, "amount_paid": 13.65, "amount_due": 0.0},
   "delivery": {"method": "e-ticket", "tickets": [{"ticket_id": "B6-T1", "barcode": "611"}]}, "special_requests": null}
 }
}`

func loadSmall(t *testing.T) domains.DB {
	t.Helper()
	db, err := domains.Decode(Domain, []byte(smallDB))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// A toolCase is one call on a fresh environment, after the calls in before (a JSON list
// of [name, arguments] pairs). want is the whole content; with a leading "~" a part of it;
// with a leading "^" its start (for pydantic errors, whose details are not reproduced).
type toolCase struct {
	name, args, want string
	ok               bool
	before           string
}

func call(t *testing.T, env *domains.Env, name, args string) domains.Result {
	t.Helper()
	v, err := py.Parse([]byte(args))
	if err != nil {
		t.Fatalf("%s %s: %v", name, args, err)
	}
	return env.Call(name, v.(*py.Object))
}

func runCases(t *testing.T, db domains.DB, cases []toolCase) {
	t.Helper()
	for _, tt := range cases {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		if tt.before != "" {
			v, err := py.Parse([]byte(tt.before))
			if err != nil {
				t.Fatal(err)
			}
			for _, step := range v.([]any) {
				pair := step.([]any)
				env.Call(pair[0].(string), pair[1].(*py.Object))
			}
		}
		r := call(t, env, tt.name, tt.args)
		match := r.Content == tt.want
		if part, ok := strings.CutPrefix(tt.want, "~"); ok {
			match = strings.Contains(r.Content, part)
		} else if start, ok := strings.CutPrefix(tt.want, "^"); ok {
			match = strings.HasPrefix(r.Content, start)
		}
		if r.OK() != tt.ok || !match {
			t.Errorf("%s(%s) = ok %v %q; want ok %v %q", tt.name, tt.args, r.OK(), clip(r.Content), tt.ok, clip(tt.want))
		}
	}
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// The expected texts below were checked against the reference toolkit.

// TestListAndDetails covers list_movies, list_theaters, get_movie_details, get_theater_details and get_booking_details.
func TestListAndDetails(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "list_movies", args: `{}`, want: "[{\"movie_id\": \"M1\", \"title\": \"The Quiet River\"}, {\"movie_id\": \"M2\", \"title\": \"Cidade Alta\"}]", ok: true},
		{name: "list_theaters", args: `{}`, want: "[{\"theater_id\": \"T1\", \"name\": \"Cinema S\\u00e3o Jorge\"}, {\"theater_id\": \"T2\", \"name\": \"Kino Nord\"}]", ok: true},
		{name: "get_movie_details", args: `{"movie_id": "M2"}`, want: "~{\"movie_id\": \"M2\", \"title\": \"Cidade Alta\", \"genres\": [\"Action\", \"Thriller\"], \"runtime_minutes\": 95, \"mpaa_rating\": \"R\", \"languages_audio\": [\"Portuguese\"], \"subtitles\": [\"English\"], \"formats\": [\"2D\"], \"release_date\": \"24-03-01\", \"end_of_run_est\": \"24-", ok: true},
		{name: "get_movie_details", args: `{"movie_id": "m2"}`, want: "Error: Movie m2 not found"},
		{name: "get_movie_details", args: `{"movie_id": 5}`, want: "Error: Movie 5 not found"},
		{name: "get_movie_details", args: `{"movie_id": ["M2"]}`, want: "Error: unhashable type: 'list'"},
		{name: "get_theater_details", args: `{"theater_id": "T2"}`, want: "~{\"theater_id\": \"T2\", \"name\": \"Kino Nord\", \"address\": {\"street\": \"Karl-Marx-Allee 33\", \"city\": \"Berlin\", \"state\": \"Berlin\", \"country\": \"Germany\", \"zip\": \"10178\"}, \"contact\": {\"phone\": \"+49 30 1234567\", \"email\": \"kino@example.de\", \"website\": \"https://e", ok: true},
		{name: "get_theater_details", args: `{"theater_id": "T9"}`, want: "Error: Theater T9 not found"},
		{name: "get_booking_details", args: `{"booking_id": "B9"}`, want: "Error: Booking B9 not found"},
	})
}

// TestShows covers list_shows, get_show_details (first match without a date) and get_show_status.
func TestShows(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "list_shows", args: `{"theater_id": "T1", "date": "24-06-02"}`, want: "~[{\"show_id\": \"S1\", \"movie_id\": \"M2\", \"auditorium_id\": \"AUD-1\", \"start_time_local\": \"24-06-02-18-00\", \"end_time_local\": \"24-06-02-19-45\", \"format\": \"2D\", \"language\": \"Portuguese\", \"subtitles\": \"English\", \"status\": \"scheduled\", \"price_schema\": {\"adult\"", ok: true},
		{name: "list_shows", args: `{"theater_id": "T1", "date": "24-06-01", "movie_id": "M2"}`, want: "~[{\"show_id\": \"S2\", \"movie_id\": \"M2\", \"auditorium_id\": \"AUD-1\", \"start_time_local\": \"24-06-01-21-30\", \"end_time_local\": \"24-06-01-23-15\", \"format\": \"2D\", \"language\": \"Portuguese\", \"subtitles\": \"English\", \"status\": \"canceled\", \"price_schema\": {\"adult\":", ok: true},
		{name: "list_shows", args: `{"theater_id": "T1", "date": "24-06-01", "movie_id": "M9"}`, want: "[]", ok: true},
		{name: "list_shows", args: `{"theater_id": "T1", "date": "99-01-01"}`, want: "[]", ok: true},
		{name: "list_shows", args: `{"theater_id": "T1", "date": 240601}`, want: "[]", ok: true},
		{name: "list_shows", args: `{"theater_id": "T1", "date": ["24-06-01"]}`, want: "Error: unhashable type: 'list'"},
		{name: "list_shows", args: `{"theater_id": "T9", "date": "24-06-01"}`, want: "Error: Theater T9 not found"},
		{name: "list_shows", args: `{"theater_id": "T1"}`, want: "Error: MovieTheaterTools.list_shows() missing 1 required positional argument: 'date'"},
		{name: "get_show_details", args: `{"theater_id": "T1", "show_id": "S1"}`, want: "{\"show_id\": \"S1\", \"movie_id\": \"M1\", \"auditorium_id\": \"AUD-1\", \"start_time_local\": \"24-06-01-19-00\", \"end_time_local\": \"24-06-01-21-05\", \"format\": \"IMAX\", \"language\": \"English\", \"subtitles\": \"Spanish\", \"status\": \"scheduled\", \"price_schema\": {\"adult\": 12.0, \"child\": 9.0, \"senior\": 10.0, \"fees\": {\"convenience_fee\": 1.5}}}", ok: true},
		{name: "get_show_details", args: `{"theater_id": "T1", "show_id": "S1", "date": "24-06-02"}`, want: "{\"show_id\": \"S1\", \"movie_id\": \"M2\", \"auditorium_id\": \"AUD-1\", \"start_time_local\": \"24-06-02-18-00\", \"end_time_local\": \"24-06-02-19-45\", \"format\": \"2D\", \"language\": \"Portuguese\", \"subtitles\": \"English\", \"status\": \"scheduled\", \"price_schema\": {\"adult\": 10.0, \"child\": 7.0, \"senior\": 8.0, \"fees\": {\"convenience_fee\": 1.5}}}", ok: true},
		{name: "get_show_details", args: `{"theater_id": "T1", "show_id": "S1", "date": null}`, want: "{\"show_id\": \"S1\", \"movie_id\": \"M1\", \"auditorium_id\": \"AUD-1\", \"start_time_local\": \"24-06-01-19-00\", \"end_time_local\": \"24-06-01-21-05\", \"format\": \"IMAX\", \"language\": \"English\", \"subtitles\": \"Spanish\", \"status\": \"scheduled\", \"price_schema\": {\"adult\": 12.0, \"child\": 9.0, \"senior\": 10.0, \"fees\": {\"convenience_fee\": 1.5}}}", ok: true},
		{name: "get_show_details", args: `{"theater_id": "T1", "show_id": "S1", "date": "24-06-03"}`, want: "Error: No schedule for date 24-06-03 at theater T1"},
		{name: "get_show_details", args: `{"theater_id": "T1", "show_id": "S2", "date": "24-06-02"}`, want: "Error: Show S2 not found on date 24-06-02 at theater T1"},
		{name: "get_show_details", args: `{"theater_id": "T1", "show_id": "S7"}`, want: "Error: Show S7 not found at theater T1"},
		{name: "get_show_details", args: `{"theater_id": "T1", "show_id": "S1", "date": {"d": 1}}`, want: "Error: unhashable type: 'dict'"},
		{name: "get_show_status", args: `{"theater_id": "T1", "show_id": "S2"}`, want: "canceled", ok: true},
		{name: "get_show_status", args: `{"theater_id": "T1", "show_id": "S3"}`, want: "completed", ok: true},
		{name: "get_show_status", args: `{"theater_id": "T2", "show_id": "S1"}`, want: "Error: Show S1 not found at theater T2"},
	})
}

// TestSeatAvailability covers get_seat_availability: only confirmed bookings hold seats.
func TestSeatAvailability(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "get_seat_availability", args: `{"theater_id": "T1", "show_id": "S1"}`, want: "{\"available\": [\"A3\", \"B1\", \"B2\"], \"booked\": [\"A1\", \"A2\", \"B3\"]}", ok: true},
		{name: "get_seat_availability", args: `{"theater_id": "T1", "show_id": "S2"}`, want: "{\"available\": [\"A2\", \"A3\", \"B1\", \"B2\", \"B3\"], \"booked\": [\"A1\"]}", ok: true},
		{name: "get_seat_availability", args: `{"theater_id": "T2", "show_id": "S9"}`, want: "Error: Auditorium AUD-X not found at theater T2"},
		{name: "get_seat_availability", args: `{"theater_id": "T1", "show_id": 1}`, want: "Error: Show 1 not found at theater T1"},
	})
}

// TestPricePreview covers price_preview: checks in order, the pricing formula, and Python's handling of odd specs.
func TestPricePreview(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"seat_id": "B1", "ticket_type": "adult"}, {"seat_id": "B2", "ticket_type": "senior"}], "concessions": [{"item_id": "CN-POP", "name": "Popcorn", "size": "L", "quantity": 2, "price_each": 5.5}]}`, want: "{\"tickets_subtotal\": \"22.0\", \"concessions_subtotal\": \"11.0\", \"fees_total\": \"4.0\", \"tax_total\": \"3.6\", \"grand_total\": \"40.6\", \"ticket_count\": \"2\", \"booking_fee\": \"1.0\"}", ok: true},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": []}`, want: "{\"tickets_subtotal\": \"0\", \"concessions_subtotal\": \"0.0\", \"fees_total\": \"1.0\", \"tax_total\": \"0.0\", \"grand_total\": \"1.0\", \"ticket_count\": \"0\", \"booking_fee\": \"1.0\"}", ok: true},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"seat_id": "A3", "ticket_type": "child"}], "concessions": [{"item_id": "C", "name": "Soda", "size": "M", "quantity": "3", "price_each": "2.675"}]}`, want: "{\"tickets_subtotal\": \"9.0\", \"concessions_subtotal\": \"8.01\", \"fees_total\": \"2.5\", \"tax_total\": \"1.86\", \"grand_total\": \"21.37\", \"ticket_count\": \"1\", \"booking_fee\": \"1.0\"}", ok: true},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"seat_id": "B1", "ticket_type": "adult"}, {"seat_id": "B1", "ticket_type": "adult"}]}`, want: "{\"tickets_subtotal\": \"24.0\", \"concessions_subtotal\": \"0.0\", \"fees_total\": \"4.0\", \"tax_total\": \"2.7\", \"grand_total\": \"30.7\", \"ticket_count\": \"2\", \"booking_fee\": \"1.0\"}", ok: true},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S2", "seats": [{"seat_id": "B1", "ticket_type": "adult"}]}`, want: "Error: Show S2 is not available for booking (status=canceled)"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S3", "seats": [{"seat_id": "B1", "ticket_type": "adult"}]}`, want: "Error: Show S3 is not available for booking (status=completed)"},
		{name: "price_preview", args: `{"theater_id": "T2", "show_id": "S9", "seats": []}`, want: "Error: Auditorium AUD-X not found at theater T2"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"seat_id": "Z2", "ticket_type": "adult"}, {"seat_id": "Z1", "ticket_type": "adult"}, {"seat_id": "A1", "ticket_type": "adult"}]}`, want: "Error: Unknown seat ids: ['Z1', 'Z2']"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"seat_id": 5, "ticket_type": "adult"}, {"seat_id": 3.5, "ticket_type": "adult"}]}`, want: "Error: Unknown seat ids: [3.5, 5]"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"seat_id": "B3", "ticket_type": "adult"}, {"seat_id": "A2", "ticket_type": "adult"}, {"seat_id": "A3", "ticket_type": "adult"}]}`, want: "Error: Seats not available: ['A2', 'B3']"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"seat_id": "B1", "ticket_type": "student"}]}`, want: "Error: Unsupported ticket type student"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"seat_id": "B1"}]}`, want: "Error: 'ticket_type'"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"ticket_type": "adult"}]}`, want: "Error: 'seat_id'"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": ["B1"]}`, want: "Error: string indices must be integers, not 'str'"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [["B1"]]}`, want: "Error: list indices must be integers or slices, not str"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [7]}`, want: "Error: 'int' object is not subscriptable"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": null}`, want: "Error: 'NoneType' object is not iterable"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [{"seat_id": ["B1"], "ticket_type": "adult"}]}`, want: "Error: unhashable type: 'list'"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [], "concessions": [{"item_id": "C", "name": "Soda", "size": "M", "price_each": 2}]}`, want: "Error: 'quantity'"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [], "concessions": [{"item_id": "C", "name": "Soda", "size": "M", "quantity": "2.5", "price_each": 2}]}`, want: "Error: invalid literal for int() with base 10: '2.5'"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [], "concessions": [{"item_id": "C", "name": "Soda", "size": "M", "quantity": 2, "price_each": "two"}]}`, want: "Error: could not convert string to float: 'two'"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [], "concessions": [{"item_id": "C", "name": "Soda", "size": "M", "quantity": null, "price_each": 2}]}`, want: "Error: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [], "concessions": [{"item_id": "C", "name": "Soda", "quantity": 1, "price_each": 2}]}`, want: "Error: 'size'"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [], "concessions": 5}`, want: "Error: 'int' object is not iterable"},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1", "seats": [], "concessions": 0}`, want: "{\"tickets_subtotal\": \"0\", \"concessions_subtotal\": \"0.0\", \"fees_total\": \"1.0\", \"tax_total\": \"0.0\", \"grand_total\": \"1.0\", \"ticket_count\": \"0\", \"booking_fee\": \"1.0\"}", ok: true},
		{name: "price_preview", args: `{"theater_id": "T1", "show_id": "S1"}`, want: "Error: MovieTheaterTools.price_preview() missing 1 required positional argument: 'seats'"},
	})
}

// TestCreateBooking covers create_booking: payments must add up; a non-dict customer and bad special requests fail only when the booking is built; three new ids per session.
func TestCreateBooking(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "B1", "ticket_type": "adult"}, {"seat_id": "B2", "ticket_type": "child"}], "delivery_method": "e-ticket", "payments": [{"payment_id": "PAY-1", "amount": 20, "method": {"source": "card", "payment_method_id": "pm-9"}, "created_at": "24-05-15-15-00"}, {"payment_id": "PAY-2", "amount": "13.45", "method": {"source": "gift_card", "payment_method_id": "gc-1", "extra_info": {"last_four": "0001"}}, "created_at": "24-05-15-15-00"}], "concessions": [{"item_id": "CN-POP", "name": "Popcorn", "size": "L", "quantity": 1, "price_each": 5.5}], "special_requests": "Near the aisle"}`, want: "~\"seats\": [{\"seat_id\": \"B1\", \"ticket_type\": \"adult\", \"price\": 12.0, \"convenience_fee\": 1.5, \"tax\": 1.35}, {\"seat_id\": \"B2\", \"ticket_type\": \"child\", \"price\": 9.0, \"convenience_fee\": 1.5, \"tax\": 1.05}], \"concessions\": [{\"item_id\": \"CN-POP\", \"name\": \"Popcorn\", \"size\": \"L\", \"quantity\": 1, \"price_each\": 5.5, \"tax_each\": 0.55, \"total\": 6.05}], \"promotions_applied\": [], \"payment_history\": [{\"payment_id\": \"PAY-1\", \"amount\": 20.0, \"method\": {\"source\": \"card\", \"payment_method_id\": \"pm-9\", \"extra_info\": null}, \"created_at\": \"24-05-15-15-00\"}, {\"payment_id\": \"PAY-2\", \"amount\": 13.45, \"method\": {\"source\": \"gift_card\", \"payment_method_id\": \"gc-1\", \"extra_info\": {\"brand\": null, \"last_four\": \"0001\"}}, \"created_at\": \"24-05-15-15-00\"}], \"totals\": {\"tickets_subtotal\": 21.0, \"concessions_subtotal\": 5.5, \"fees_total\": 4.0, \"tax_total\": 2.95, \"grand_total\": 33.45, \"amount_paid\": 33.45, \"amount_due\": 0.0}, \"delivery\": {\"method\": \"e-ticket\", \"tickets\": [{\"ticket_id\": \"BKG001-TKT-001\", \"barcode\": \"BAR-BKG001-TKT-001\"}, {\"ticket_id\": \"BKG001-TKT-002\", \"barcode\": \"BAR-BKG001-TKT-002\"}]}, \"special_requests\": \"Near the aisle\"}", ok: true},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "B1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": [{"payment_id": "PAY-1", "amount": 15, "method": {"source": "card", "payment_method_id": "pm-9"}, "created_at": "24-05-15-15-00"}]}`, want: "Error: Payment amount does not add up, total price is 15.85, but paid 15.0"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "B1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": []}`, want: "Error: Payment amount does not add up, total price is 15.85, but paid 0"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "B1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": ["card"]}`, want: "Error: 'str' object has no attribute 'amount'"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "B1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": null}`, want: "Error: 'NoneType' object is not iterable"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S2", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "B1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": []}`, want: "Error: Show S2 is not available for booking (status=canceled)"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "A1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": []}`, want: "Error: Seats not available: ['A1']"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "Q1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": []}`, want: "Error: Unknown seat ids: ['Q1']"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "B1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": [{"payment_id": "PAY-1", "amount": 15.85, "method": {"source": "card", "payment_method_id": "pm-9"}, "created_at": "24-05-15-15-00"}], "special_requests": 7}`, want: "^Error: 1 validation error for Booking\n"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": "Lena Fischer", "seats": [{"seat_id": "B1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": [{"payment_id": "PAY-1", "amount": 15.85, "method": {"source": "card", "payment_method_id": "pm-9"}, "created_at": "24-05-15-15-00"}]}`, want: "^Error: 1 validation error for Booking\n"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": "Lena Fischer", "seats": [{"seat_id": "A1", "ticket_type": "adult"}], "delivery_method": "e-ticket", "payments": []}`, want: "Error: Seats not available: ['A1']"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [], "delivery_method": "e-ticket", "payments": []}`, want: "^Error: 1 validation error for Customer\n"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [], "delivery_method": "e-ticket", "payments": [{"payment_id": "PAY-1", "amount": 1, "method": {"source": "bitcoin", "payment_method_id": "pm-9"}, "created_at": "24-05-15-15-00"}]}`, want: "^Error: 1 validation error for BookingPayment\n"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "Lena", "last_name": "Fischer"}, "email": "lena@example.de", "phone": "+49 30 5550"}, "seats": [{"seat_id": "B1", "ticket_type": "adult"}], "delivery_method": "drone", "payments": [{"payment_id": "PAY-1", "amount": 15.85, "method": {"source": "card", "payment_method_id": "pm-9"}, "created_at": "24-05-15-15-00"}]}`, want: "^Error: 1 validation error for Delivery\n"},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "A", "last_name": "B"}, "email": "a@b.c", "phone": "1"}, "seats": [], "delivery_method": "kiosk", "payments": [{"payment_id": "P", "amount": 1, "method": {"source": "cash", "payment_method_id": "c"}, "created_at": "24-05-15-15-00"}]}`, want: "Error: Too many new bookings in this session", before: `[["create_booking", {"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "A", "last_name": "B"}, "email": "a@b.c", "phone": "1"}, "seats": [], "delivery_method": "kiosk", "payments": [{"payment_id": "P", "amount": 1, "method": {"source": "cash", "payment_method_id": "c"}, "created_at": "24-05-15-15-00"}]}], ["create_booking", {"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "A", "last_name": "B"}, "email": "a@b.c", "phone": "1"}, "seats": [], "delivery_method": "kiosk", "payments": [{"payment_id": "P", "amount": 1, "method": {"source": "cash", "payment_method_id": "c"}, "created_at": "24-05-15-15-00"}]}], ["create_booking", {"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "A", "last_name": "B"}, "email": "a@b.c", "phone": "1"}, "seats": [], "delivery_method": "kiosk", "payments": [{"payment_id": "P", "amount": 1, "method": {"source": "cash", "payment_method_id": "c"}, "created_at": "24-05-15-15-00"}]}]]`},
		{name: "create_booking", args: `{"theater_id": "T1", "show_id": "S1", "customer": {}, "seats": []}`, want: "Error: MovieTheaterTools.create_booking() missing 2 required positional arguments: 'delivery_method' and 'payments'"},
	})
}

// TestCancelBooking covers cancel_booking: canceled and refunded bookings come back unchanged.
func TestCancelBooking(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "cancel_booking", args: `{"booking_id": "B1"}`, want: "~\"seats\": [{\"seat_id\": \"A1\", \"ticket_type\": \"adult\", \"price\": 12.0, \"convenience_fee\": 1.5, \"tax\": 1.35}, {\"seat_id\": \"A2\", \"ticket_type\": \"child\", \"price\": 9.0, \"convenience_fee\": 1.5, \"tax\": 1.05}], \"concessions\": [], \"promotions_applied\": [], \"payment_history\": [{\"payment_id\": \"P1\", \"amount\": 27.4, \"method\": {\"source\": \"card\", \"payment_method_id\": \"pm-1\", \"extra_info\": {\"brand\": \"Visa\", \"last_four\": \"4242\"}}, \"created_at\": \"24-05-10-12-01\"}, {\"payment_id\": \"B1-refund\", \"amount\": -27.4, \"method\": {\"source\": \"cash\", \"payment_method_id\": \"refund\", \"extra_info\": null}, \"created_at\": \"24-05-15-15-00\"}], \"totals\": {\"tickets_subtotal\": 21.0, \"concessions_subtotal\": 0.0, \"fees_total\": 4.0, \"tax_total\": 2.4, \"grand_total\": 27.4, \"amount_paid\": 0.0, \"amount_due\": 27.4}, \"delivery\": {\"method\": \"e-ticket\", \"tickets\": [{\"ticket_id\": \"B1-T1\", \"barcode\": \"111\"}, {\"ticket_id\": \"B1-T2\", \"barcode\": \"112\"}]}, \"special_requests\": null}", ok: true},
		{name: "cancel_booking", args: `{"booking_id": "B2"}`, want: "~\"seats\": [{\"seat_id\": \"A3\", \"ticket_type\": \"adult\", \"price\": 12.0, \"convenience_fee\": 1.5, \"tax\": 1.35}], \"concessions\": [], \"promotions_applied\": [], \"payment_history\": [], \"totals\": {\"tickets_subtotal\": 12.0, \"concessions_subtotal\": 0.0, \"fees_total\": 2.5, \"tax_total\": 1.35, \"grand_total\": 15.85, \"amount_paid\": 0.0, \"amount_due\": 15.85}, \"delivery\": {\"method\": \"kiosk\", \"tickets\": []}, \"special_requests\": null}", ok: true},
		{name: "cancel_booking", args: `{"booking_id": "B3"}`, want: "~\"seats\": [{\"seat_id\": \"B2\", \"ticket_type\": \"senior\", \"price\": 10.0, \"convenience_fee\": 1.5, \"tax\": 1.15}], \"concessions\": [], \"promotions_applied\": [], \"payment_history\": [{\"payment_id\": \"P3\", \"amount\": 14.65, \"method\": {\"source\": \"wallet\", \"payment_method_id\": \"pm-3\", \"extra_info\": {\"brand\": \"Apple Pay\", \"last_four\": null}}, \"created_at\": \"24-05-11-10-01\"}, {\"payment_id\": \"B3-refund\", \"amount\": -14.65, \"method\": {\"source\": \"wallet\", \"payment_method_id\": \"pm-3\", \"extra_info\": null}, \"created_at\": \"24-05-12-10-00\"}], \"totals\": {\"tickets_subtotal\": 10.0, \"concessions_subtotal\": 0.0, \"fees_total\": 2.5, \"tax_total\": 1.15, \"grand_total\": 14.65, \"amount_paid\": 0.0, \"amount_due\": 14.65}, \"delivery\": {\"method\": \"e-ticket\", \"tickets\": []}, \"special_requests\": \"Aisle\"}", ok: true},
		{name: "cancel_booking", args: `{"booking_id": "B4"}`, want: "~\"seats\": [{\"seat_id\": \"A1\", \"ticket_type\": \"adult\", \"price\": 10.0, \"convenience_fee\": 1.5, \"tax\": 1.15}], \"concessions\": [], \"promotions_applied\": [], \"payment_history\": [{\"payment_id\": \"P4\", \"amount\": 13.65, \"method\": {\"source\": \"cash\", \"payment_method_id\": \"cash\", \"extra_info\": null}, \"created_at\": \"24-05-12-10-00\"}, {\"payment_id\": \"B4-refund\", \"amount\": -13.65, \"method\": {\"source\": \"cash\", \"payment_method_id\": \"refund\", \"extra_info\": null}, \"created_at\": \"24-05-15-15-00\"}], \"totals\": {\"tickets_subtotal\": 10.0, \"concessions_subtotal\": 0.0, \"fees_total\": 2.5, \"tax_total\": 1.15, \"grand_total\": 13.65, \"amount_paid\": 0.0, \"amount_due\": 13.65}, \"delivery\": {\"method\": \"box-office\", \"tickets\": [{\"ticket_id\": \"B4-T1\", \"barcode\": \"411\"}]}, \"special_requests\": null}", ok: true},
		{name: "cancel_booking", args: `{"booking_id": "B8"}`, want: "Error: Booking B8 not found"},
		{name: "cancel_booking", args: `{"booking_id": null}`, want: "Error: Booking None not found"},
	})
}

// TestUpdateBookingSeats covers update_booking_seats: a bad payment fails before any lookup; a higher total needs an exact payment, a lower one is refunded.
func TestUpdateBookingSeats(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "adult"}, {"seat_id": "A2", "ticket_type": "child"}]}`, want: "~\"seats\": [{\"seat_id\": \"A1\", \"ticket_type\": \"adult\", \"price\": 12.0, \"convenience_fee\": 1.5, \"tax\": 1.35}, {\"seat_id\": \"A2\", \"ticket_type\": \"child\", \"price\": 9.0, \"convenience_fee\": 1.5, \"tax\": 1.05}], \"concessions\": [], \"promotions_applied\": [], \"payment_history\": [{\"payment_id\": \"P1\", \"amount\": 27.4, \"method\": {\"source\": \"card\", \"payment_method_id\": \"pm-1\", \"extra_info\": {\"brand\": \"Visa\", \"last_four\": \"4242\"}}, \"created_at\": \"24-05-10-12-01\"}], \"totals\": {\"tickets_subtotal\": 21.0, \"concessions_subtotal\": 0.0, \"fees_total\": 4.0, \"tax_total\": 2.4, \"grand_total\": 27.4, \"amount_paid\": 27.4, \"amount_due\": 0.0}, \"delivery\": {\"method\": \"e-ticket\", \"tickets\": [{\"ticket_id\": \"B1-T1\", \"barcode\": \"111\"}, {\"ticket_id\": \"B1-T2\", \"barcode\": \"112\"}]}, \"special_requests\": null}", ok: true},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "adult"}]}`, want: "~\"seats\": [{\"seat_id\": \"A1\", \"ticket_type\": \"adult\", \"price\": 12.0, \"convenience_fee\": 1.5, \"tax\": 1.35}], \"concessions\": [], \"promotions_applied\": [], \"payment_history\": [{\"payment_id\": \"P1\", \"amount\": 27.4, \"method\": {\"source\": \"card\", \"payment_method_id\": \"pm-1\", \"extra_info\": {\"brand\": \"Visa\", \"last_four\": \"4242\"}}, \"created_at\": \"24-05-10-12-01\"}, {\"payment_id\": \"B1-adj-refund\", \"amount\": -11.55, \"method\": {\"source\": \"cash\", \"payment_method_id\": \"refund\", \"extra_info\": null}, \"created_at\": \"24-05-15-15-00\"}], \"totals\": {\"tickets_subtotal\": 12.0, \"concessions_subtotal\": 0.0, \"fees_total\": 2.5, \"tax_total\": 1.35, \"grand_total\": 15.85, \"amount_paid\": 15.85, \"amount_due\": 0.0}, \"delivery\": {\"method\": \"e-ticket\", \"tickets\": [{\"ticket_id\": \"B1-T1\", \"barcode\": \"111\"}, {\"ticket_id\": \"B1-T2\", \"barcode\": \"112\"}]}, \"special_requests\": null}", ok: true},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": []}`, want: "~\"seats\": [], \"concessions\": [], \"promotions_applied\": [], \"payment_history\": [{\"payment_id\": \"P1\", \"amount\": 27.4, \"method\": {\"source\": \"card\", \"payment_method_id\": \"pm-1\", \"extra_info\": {\"brand\": \"Visa\", \"last_four\": \"4242\"}}, \"created_at\": \"24-05-10-12-01\"}, {\"payment_id\": \"B1-adj-refund\", \"amount\": -26.4, \"method\": {\"source\": \"cash\", \"payment_method_id\": \"refund\", \"extra_info\": null}, \"created_at\": \"24-05-15-15-00\"}], \"totals\": {\"tickets_subtotal\": 0, \"concessions_subtotal\": 0.0, \"fees_total\": 1.0, \"tax_total\": 0.0, \"grand_total\": 1.0, \"amount_paid\": 1.0, \"amount_due\": 0.0}, \"delivery\": {\"method\": \"e-ticket\", \"tickets\": [{\"ticket_id\": \"B1-T1\", \"barcode\": \"111\"}, {\"ticket_id\": \"B1-T2\", \"barcode\": \"112\"}]}, \"special_requests\": null}", ok: true},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "adult"}, {"seat_id": "A2", "ticket_type": "adult"}]}`, want: "Error: Additional payment of 3.3 is required to complete the update"},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "adult"}, {"seat_id": "A2", "ticket_type": "adult"}], "payment": {"payment_id": "PAY-UP", "amount": 3, "method": {"source": "card", "payment_method_id": "pm-1"}, "created_at": "24-05-15-15-00"}}`, want: "Error: Additional payment of 3.3 is required to complete the update"},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "adult"}, {"seat_id": "A2", "ticket_type": "adult"}], "payment": {"payment_id": "PAY-UP", "amount": 3.3, "method": {"source": "card", "payment_method_id": "pm-1"}, "created_at": "24-05-15-15-00"}}`, want: "~\"seats\": [{\"seat_id\": \"A1\", \"ticket_type\": \"adult\", \"price\": 12.0, \"convenience_fee\": 1.5, \"tax\": 1.35}, {\"seat_id\": \"A2\", \"ticket_type\": \"adult\", \"price\": 12.0, \"convenience_fee\": 1.5, \"tax\": 1.35}], \"concessions\": [], \"promotions_applied\": [], \"payment_history\": [{\"payment_id\": \"P1\", \"amount\": 27.4, \"method\": {\"source\": \"card\", \"payment_method_id\": \"pm-1\", \"extra_info\": {\"brand\": \"Visa\", \"last_four\": \"4242\"}}, \"created_at\": \"24-05-10-12-01\"}, {\"payment_id\": \"PAY-UP\", \"amount\": 3.3, \"method\": {\"source\": \"card\", \"payment_method_id\": \"pm-1\", \"extra_info\": null}, \"created_at\": \"24-05-15-15-00\"}], \"totals\": {\"tickets_subtotal\": 24.0, \"concessions_subtotal\": 0.0, \"fees_total\": 4.0, \"tax_total\": 2.7, \"grand_total\": 30.7, \"amount_paid\": 30.7, \"amount_due\": 0.0}, \"delivery\": {\"method\": \"e-ticket\", \"tickets\": [{\"ticket_id\": \"B1-T1\", \"barcode\": \"111\"}, {\"ticket_id\": \"B1-T2\", \"barcode\": \"112\"}]}, \"special_requests\": null}", ok: true},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "adult"}, {"seat_id": "A2", "ticket_type": "adult"}], "payment": "card"}`, want: "Error: 'str' object has no attribute 'amount'"},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "adult"}, {"seat_id": "B3", "ticket_type": "adult"}]}`, want: "Error: Seats not available: ['B3']"},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "adult"}, {"seat_id": "Q9", "ticket_type": "adult"}]}`, want: "Error: Unknown seat ids: ['Q9']"},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "vip"}]}`, want: "Error: Unsupported ticket type vip"},
		{name: "update_booking_seats", args: `{"booking_id": "B2", "seats": [{"seat_id": "A3", "ticket_type": "adult"}]}`, want: "Error: Only confirmed bookings can be updated (status=pending)"},
		{name: "update_booking_seats", args: `{"booking_id": "B3", "seats": [{"seat_id": "B2", "ticket_type": "senior"}]}`, want: "Error: Only confirmed bookings can be updated (status=canceled)"},
		{name: "update_booking_seats", args: `{"booking_id": "B4", "seats": [{"seat_id": "A1", "ticket_type": "adult"}]}`, want: "Error: Show S2 is not bookable (status=canceled)"},
		{name: "update_booking_seats", args: `{"booking_id": "B6", "seats": [{"seat_id": "A1", "ticket_type": "adult"}]}`, want: "Error: Show S3 is not bookable (status=completed)"},
		{name: "update_booking_seats", args: `{"booking_id": "B5", "seats": [{"seat_id": "B3", "ticket_type": "senior"}]}`, want: "Error: Additional payment of 5.0 is required to complete the update"},
		{name: "update_booking_seats", args: `{"booking_id": "B8", "seats": []}`, want: "Error: Booking B8 not found"},
		{name: "update_booking_seats", args: `{"booking_id": "B8", "seats": [], "payment": {"payment_id": "X"}}`, want: "^Error: 3 validation errors for BookingPayment\n"},
		{name: "update_booking_seats", args: `{"booking_id": "B1", "seats": []}`, want: "~\"seats\": [], \"concessions\": [], \"promotions_applied\": [], \"payment_history\": [{\"payment_id\": \"P1\", \"amount\": 27.4, \"method\": {\"source\": \"card\", \"payment_method_id\": \"pm-1\", \"extra_info\": {\"brand\": \"Visa\", \"last_four\": \"4242\"}}, \"created_at\": \"24-05-10-12-01\"}, {\"payment_id\": \"B1-adj-refund\", \"amount\": -11.55, \"method\": {\"source\": \"cash\", \"payment_method_id\": \"refund\", \"extra_info\": null}, \"created_at\": \"24-05-15-15-00\"}, {\"payment_id\": \"B1-adj-refund\", \"amount\": -14.85, \"method\": {\"source\": \"cash\", \"payment_method_id\": \"refund\", \"extra_info\": null}, \"created_at\": \"24-05-15-15-00\"}], \"totals\": {\"tickets_subtotal\": 0, \"concessions_subtotal\": 0.0, \"fees_total\": 1.0, \"tax_total\": 0.0, \"grand_total\": 1.0, \"amount_paid\": 1.0, \"amount_due\": 0.0}, \"delivery\": {\"method\": \"e-ticket\", \"tickets\": [{\"ticket_id\": \"B1-T1\", \"barcode\": \"111\"}, {\"ticket_id\": \"B1-T2\", \"barcode\": \"112\"}]}, \"special_requests\": null}", ok: true, before: `[["update_booking_seats", {"booking_id": "B1", "seats": [{"seat_id": "A1", "ticket_type": "adult"}]}]]`},
		{name: "update_booking_seats", args: `{"booking_id": "B1"}`, want: "Error: MovieTheaterTools.update_booking_seats() missing 1 required positional argument: 'seats'"},
	})
}

func TestGenericTools(t *testing.T) {
	runCases(t, loadSmall(t), []toolCase{
		{name: "calculate", args: `{"expression": "380 * 34 / 5"}`, want: "2584.0", ok: true},
		{name: "calculate", args: `{"expression": "38.64 / 2"}`, want: "19.32", ok: true},
		{name: "calculate", args: `{"expression": "1..2"}`, want: "Error: invalid syntax (<string>, line 1)"},
		{name: "calculate", args: `{"expression": "abs(-3)"}`, want: "Error: Invalid characters in expression"},
		{name: "calculate", args: `{"expression": 7}`, want: "Error: 'int' object is not iterable"},
		{name: "calculate", args: `{"expression": ["1", "+"]}`, want: "Error: eval() arg 1 must be a string, bytes or code object"},
		{name: "calculate", args: `{"expression": [1]}`, want: "Error: 'in <string>' requires string as left operand, not int"},
		{name: "transfer_to_human_agents", args: `{"summary": "wants a refund for a completed show"}`, want: "Transfer successful", ok: true},
		{name: "transfer_to_human_agents", args: `{"summary": "x", "unexpected": null}`, want: "Error: MovieTheaterTools.transfer_to_human_agents() got an unexpected keyword argument 'unexpected'"},
		{name: "get_weather", args: `{}`, want: "Error: Tool 'get_weather' not found."},
	})
}

// Writes change the database as the reference does, and only through the fork.
func TestWriteEffects(t *testing.T) {
	db := loadSmall(t)
	before, _ := domains.Hash(db)
	env := domains.NewEnv(Domain, db, domains.DefaultNow)
	booking := func(id string) *Booking {
		t.Helper()
		b, ok := env.DB.(*DB).Bookings.Get(id)
		if !ok {
			t.Fatalf("booking %s missing", id)
		}
		return b
	}

	// A booking with no seat left keeps the int 0 the reference assigns.
	if r := call(t, env, "update_booking_seats", `{"booking_id": "B1", "seats": []}`); !r.OK() {
		t.Fatal(r.Content)
	}
	b := booking("B1")
	if b.Totals.TicketsSubtotal != int64(0) || b.Totals.GrandTotal != 1.0 || b.Totals.AmountPaid != 1.0 || len(b.PaymentHistory) != 2 {
		t.Errorf("after dropping every seat: totals %+v, %d payments", b.Totals, len(b.PaymentHistory))
	}
	if p := b.PaymentHistory[1]; p.PaymentID != "B1-adj-refund" || p.Amount != -26.4 || p.Method.Source != "cash" || p.Method.ExtraInfo != nil {
		t.Errorf("refund entry %+v", p)
	}
	if canon, _ := domains.Encode(env.DB, py.Canonical); !strings.Contains(string(canon), `"tickets_subtotal":0}`) {
		t.Errorf("canonical form does not keep the int 0")
	}
	if len(b.Delivery.Tickets) != 2 {
		t.Errorf("delivery tickets were regenerated: %d", len(b.Delivery.Tickets))
	}

	// Its seats are free again; B2's pending seat never was taken.
	if r := call(t, env, "get_seat_availability", `{"theater_id": "T1", "show_id": "S1"}`); r.Content != `{"available": ["A1", "A2", "A3", "B1", "B2"], "booked": ["B3"]}` {
		t.Errorf("availability after the update: %s", r.Content)
	}

	// Cancelling refunds what was paid and releases the seats.
	if r := call(t, env, "cancel_booking", `{"booking_id": "B5"}`); !r.OK() {
		t.Fatal(r.Content)
	}
	b = booking("B5")
	if b.Status != "canceled" || *b.CanceledAt != now || b.Totals.AmountPaid != 0 || b.Totals.AmountDue != 20.75 {
		t.Errorf("after cancel: status %s, totals %+v", b.Status, b.Totals)
	}
	if p := b.PaymentHistory[len(b.PaymentHistory)-1]; p.PaymentID != "B5-refund" || p.Amount != -20.75 || p.CreatedAt != now {
		t.Errorf("refund entry %+v", p)
	}

	// New bookings take BKG001 to BKG003 and hold their seats.
	create := `{"theater_id": "T1", "show_id": "S1", "customer": {"name": {"first_name": "A", "last_name": "B"}, "email": "a@b.c", "phone": "1"}, "seats": [{"seat_id": "B3", "ticket_type": "senior"}], "delivery_method": "kiosk", "payments": [{"payment_id": "P", "amount": 13.65, "method": {"source": "cash", "payment_method_id": "c"}, "created_at": "24-05-15-15-00"}]}`
	if r := call(t, env, "create_booking", create); !r.OK() || !strings.Contains(r.Content, `"booking_id": "BKG001"`) {
		t.Fatalf("create: %s", clip(r.Content))
	}
	if r := call(t, env, "create_booking", create); r.Content != "Error: Seats not available: ['B3']" {
		t.Errorf("second create on the same seat: %s", r.Content)
	}
	nb := booking("BKG001")
	if nb.Date != "24-06-01" || nb.MovieID != "M1" || nb.CreatedAt != now || nb.Customer.LoyaltyID != nil || len(nb.Delivery.Tickets) != 1 || nb.Delivery.Tickets[0].Barcode != "BAR-BKG001-TKT-001" {
		t.Errorf("new booking %+v", nb)
	}
	if keys := env.DB.(*DB).Bookings.Keys(); keys[len(keys)-1] != "BKG001" {
		t.Errorf("the new booking is not last: %v", keys)
	}

	if after, _ := domains.Hash(db); after != before {
		t.Errorf("calls on a fork changed the source database")
	}
}

// TestSchemasAcceptVectorCalls checks that every call that succeeds in the reference vectors
// fits its tool's JSON Schema, the quality gate generated calls go through.
func TestSchemasAcceptVectorCalls(t *testing.T) {
	path := filepath.Join(domaintest.ReferenceDir(t), Domain.Name, "vectors", "expected.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := py.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	calls, _ := v.(*py.Object).Get("calls")
	n := 0
	for _, c := range calls.([]any) {
		o := c.(*py.Object)
		if ok, _ := o.Get("ok"); ok != true {
			continue
		}
		name, _ := o.Get("name")
		args, _ := o.Get("arguments")
		if err := Domain.Tool(name.(string)).Validate(args.(*py.Object)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		n++
	}
	if n == 0 {
		t.Errorf("no successful call in %s", path)
	}
}
