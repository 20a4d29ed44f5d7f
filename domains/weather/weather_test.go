package weather

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

func TestDomain(t *testing.T) { domaintest.Run(t, Domain) }

// stampText writes a stamp as an ISO text: the UTC instant with a Z for aware values.
func stampText(s stamp) string {
	days := s.us / 86400e6
	t := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days-1)).Add(time.Duration(s.us%86400e6) * time.Microsecond)
	out := t.Format("2006-01-02T15:04:05.999999")
	if s.aware {
		out += "Z"
	}
	return out
}

// TestFromISOFormat checks the parser against results recorded with CPython 3.11's
// datetime.fromisoformat ("" means it raises).
func TestFromISOFormat(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2025-09-03T12:00:00+00:00", "2025-09-03T12:00:00Z"},
		{"2025-09-03", "2025-09-03T00:00:00"},
		{"2025-09-03T12", "2025-09-03T12:00:00"},
		{"20250903T1200+00:00", "2025-09-03T12:00:00Z"},
		{"2025-W36-3T12:30", "2025-09-03T12:30:00"},
		{"2025W363", "2025-09-03T00:00:00"},
		{"2025-09-03 12:00:00.123456-05:30", "2025-09-03T17:30:00.123456Z"},
		{"2025-09-03T12:00:00,5+01", "2025-09-03T11:00:00.5Z"},
		{"2025-09-03T12:30:45:67", "2025-09-03T12:30:45.67"},
		{"2025-09-03T12:00:00.+00:00", "2025-09-03T12:00:00Z"},
		{"2025-09-03T12+05:99", "2025-09-03T05:21:00Z"},
		{"2025-09-03é12:00", "2025-09-03T12:00:00"},
		{"2025-09-03T12:00:00+00:00:00.5", "2025-09-03T12:00:00Z"}, // zero whole seconds: UTC
		{"2020-W53-5", "2021-01-01T00:00:00"},
		{"2024-02-29T23:59:59.9999999", "2024-02-29T23:59:59.999999"},
		{"2025-09-03T12:00:00+23:59", "2025-09-02T12:01:00Z"},
		{"2025-09-03x12", "2025-09-03T12:00:00"},
		{"2021-W53-1", ""},
		{"2025-09-03T24:00:00", ""},
		{"2025-09-03T", ""},
		{"not-a-time", ""},
		{"bad+00:00", ""},
		{"2025-13-45T00:00:00+00:00", ""},
		{"2025-02-29", ""},
		{"2025-09-03T12:0", ""},
		{"2025-09-03T12:00:00+24:00", ""},
		{"0000-01-01", ""},
		{"2025-09", ""},
		{"2025-09-03T12:00:00 ", ""},
		{"2025-09-03T12:00:00+00:00x", ""},
		{"", ""},
	} {
		got, ok := fromISOFormat(tt.in)
		switch {
		case tt.want == "" && ok:
			t.Errorf("fromISOFormat(%q) = %s; want an error", tt.in, stampText(got))
		case tt.want != "" && !ok:
			t.Errorf("fromISOFormat(%q) failed; want %s", tt.in, tt.want)
		case ok && stampText(got) != tt.want:
			t.Errorf("fromISOFormat(%q) = %s; want %s", tt.in, stampText(got), tt.want)
		}
	}
}

func TestParseUTC(t *testing.T) {
	for _, tt := range []struct {
		in      any
		want    string
		wantErr string
	}{
		{"2025-09-03T12:00:00Z", "2025-09-03T12:00:00Z", ""},
		{"badZ", "", "Invalid UTC datetime format: bad+00:00"},
		{"", "", "Invalid UTC datetime format: "},
		{int64(5), "", "'int' object has no attribute 'endswith'"},
		{nil, "", "'NoneType' object has no attribute 'endswith'"},
		{[]any{"2025-09-03"}, "", "'list' object has no attribute 'endswith'"},
	} {
		got, err := parseUTC(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("parseUTC(%v) = %v; want error %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || stampText(got) != tt.want {
			t.Errorf("parseUTC(%v) = %s, %v; want %s", tt.in, stampText(got), err, tt.want)
		}
	}
	a, _ := parseUTC("2025-09-03T12:00:00")
	b, _ := parseUTC("2025-09-03T12:00:00Z")
	if _, err := a.compare(b); err == nil || err.Error() != "can't compare offset-naive and offset-aware datetimes" {
		t.Errorf("naive vs aware compare: %v", err)
	}
}

// fixture is a small handmade database: location K2's inner id differs from its key, L3
// has neither forecasts nor observations, the three forecasts of L1 overlap (F2 is the
// newest, F3 an ECMWF run with one hour written with an offset), and two observations
// of L1 share a timestamp.
const fixture = `{
 "locations": {
  "L1": {"location_id": "L1", "name": {"city": "Boston", "state": "MA", "country": "USA"},
         "coordinates": {"lat": 42.36, "lon": -71.06, "elevation_m": 43}, "timezone": "America/New_York",
         "nearby_station_ids": ["KBOS"], "climate_normals": {"JAN": {"avg_high_c": 2, "avg_low_c": -5.5, "precip_mm": 94, "snow_cm": 30}},
         "sun_times": {"2025-09-03": {"sunrise_local": "06:11", "sunset_local": "19:14", "day_length_minutes": 783}}},
  "K2": {"location_id": "L9", "name": {"city": "Denver", "state": "CO", "country": "US"},
         "coordinates": {"lat": 39.74, "lon": -104.99, "elevation_m": 1609}, "timezone": "America/Denver",
         "nearby_station_ids": [], "climate_normals": {}, "sun_times": {}},
  "L3": {"location_id": "L3", "name": {"city": "Miami", "state": "FL", "country": "United States"},
         "coordinates": {"lat": 25.76, "lon": -80.19, "elevation_m": 2}, "timezone": "America/New_York",
         "nearby_station_ids": ["KMIA"], "climate_normals": {}, "sun_times": {}}
 },
 "forecasts": {
  "F1": {"forecast_id": "F1", "location_id": "L1", "source_model": "GFS", "issued_at_utc": "2025-09-03T06:00:00Z",
         "valid_from_utc": "2025-09-03T07:00:00Z", "valid_to_utc": "2025-09-05T00:00:00Z",
         "units": {"temperature": "C", "wind_speed": "kph", "precipitation": "mm", "pressure": "hPa"},
         "hourly": [` + hourJSON + `, ` + hourJSON + `, ` + hourJSON + `],
         "daily": [` + dayJSON + `, ` + dayJSON + `],
         "verification_by_date": {"2025-09-02": {"status": "verified", "actual_high_c": 24, "actual_low_c": 17, "actual_precip_mm": 0, "notes": "dry"},
                                  "2025-09-03": {"status": "pending", "actual_high_c": 0, "actual_low_c": 0, "actual_precip_mm": 0}}},
  "F2": {"forecast_id": "F2", "location_id": "L1", "source_model": "GFS", "issued_at_utc": "2025-09-03T12:00:00Z",
         "valid_from_utc": "2025-09-03T12:00:00Z", "valid_to_utc": "2025-09-06T00:00:00Z",
         "units": {"temperature": "C", "wind_speed": "kph", "precipitation": "mm", "pressure": "hPa"},
         "hourly": [` + hourJSON + `, ` + hourJSON + `], "daily": [` + dayJSON + `]},
  "F3": {"forecast_id": "F3", "location_id": "L1", "source_model": "ECMWF", "issued_at_utc": "2025-09-02T18:00:00Z",
         "valid_from_utc": "2025-09-03T00:00:00Z", "valid_to_utc": "2025-09-04T00:00:00Z",
         "units": {"temperature": "C", "wind_speed": "kph", "precipitation": "mm", "pressure": "hPa"},
         "hourly": [` + hourJSON + `, ` + hourJSON + `], "daily": [` + dayJSON + `, ` + dayJSON + `]}
 },
 "observations": {
  "O1": ` + obsJSON + `,
  "O2": ` + obsJSON + `,
  "O3": ` + obsJSON + `
 }
}`

const (
	hourJSON = `{"time_utc": "T", "summary": "S", "temperature_c": 18, "feels_like_c": 18, "dewpoint_c": 16, "humidity_pct": 88,
		"pressure_hpa": 1016, "wind": {"speed_kph": 8, "gust_kph": 15, "direction_deg": 240}, "visibility_km": 16, "cloud_cover_pct": 45,
		"precipitation": {"probability_pct": 10, "type": "none", "amount_mm": 0}, "uv_index": 0}`
	dayJSON = `{"date": "D", "summary": "S", "temp_min_c": 17, "temp_max_c": 25, "precipitation": {"probability_pct": 40, "total_mm": 2.5, "snow_cm": 0},
		"wind_max_kph": 30, "uv_index_max": 6, "sunrise_local": "06:12", "sunset_local": "19:12"}`
	obsJSON = `{"observation_id": "O", "station_id": "KBOS", "location_id": "L1", "timestamp_utc": "T",
		"variables": {"temperature_c": 22, "feels_like_c": 22, "dewpoint_c": 16, "humidity_pct": 70, "pressure_hpa": 1015.1, "wind_speed_kph": 18,
		"wind_gust_kph": 30, "wind_direction_deg": 260, "precip_1h_mm": 0, "precip_24h_mm": 0.8, "snow_depth_cm": 0, "visibility_km": 16,
		"uv_index": 4, "cloud_cover_pct": 25}, "quality_control": {"qc_flag": "passed", "checks": []}, "ingested_at_utc": "T"}`
)

// fixtureDB fills the placeholders of the fixture: the hours, dates and observation
// fields that the tests reason about.
func fixtureDB(t *testing.T) domains.DB {
	t.Helper()
	src := fixture
	for _, v := range []string{
		// F1 hourly, daily
		"2025-09-03T07:00:00Z", "2025-09-03T08:00:00Z", "2025-09-03T13:00:00Z", "2025-09-03", "2025-09-04",
		// F2 hourly, daily
		"2025-09-03T08:00:00Z", "2025-09-03T14:00:00Z", "2025-09-04",
		// F3 hourly, daily
		"2025-09-03T09:00:00+00:00", "2025-09-03T08:00:00Z", "2025-09-04", "2025-09-05",
	} {
		key := `"time_utc": "T"`
		repl := `"time_utc": "` + v + `"`
		if len(v) == 10 {
			key, repl = `"date": "D"`, `"date": "`+v+`"`
		}
		src = strings.Replace(src, key, repl, 1)
	}
	for _, o := range [][3]string{
		{"O1", "2025-09-03T12:00:00Z", "passed"},
		{"O2", "2025-09-03T12:00:00Z", "suspect"},
		{"O3", "2025-09-03T01:00:00Z", "passed"},
	} {
		src = strings.Replace(src, `"observation_id": "O", "station_id": "KBOS", "location_id": "L1", "timestamp_utc": "T"`,
			fmt.Sprintf(`"observation_id": %q, "station_id": "KBOS", "location_id": "L1", "timestamp_utc": %q`, o[0], o[1]), 1)
		src = strings.Replace(src, `"qc_flag": "passed", "checks": []}, "ingested_at_utc": "T"`,
			fmt.Sprintf(`"qc_flag": %q, "checks": []}, "ingested_at_utc": %q`, o[2], o[1]), 1)
	}
	db, err := domains.Decode(Domain, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// call runs one tool with arguments given as JSON.
func call(t *testing.T, env *domains.Env, name, args string) domains.Result {
	t.Helper()
	v, err := py.Parse([]byte(args))
	if err != nil {
		t.Fatalf("%s: bad arguments %s: %v", name, args, err)
	}
	return env.Call(name, v.(*py.Object))
}

// summary names what a successful result holds: the ids of records, the times or dates of
// entries, the labels of locations.
func summary(out any) string {
	var parts []string
	switch x := out.(type) {
	case []*LocationCode:
		for _, l := range x {
			parts = append(parts, l.LocationID+"="+l.Label)
		}
	case []*Forecast:
		for _, f := range x {
			parts = append(parts, f.ForecastID)
		}
	case []*HourlyForecastEntry:
		for _, h := range x {
			parts = append(parts, h.TimeUTC)
		}
	case []*DailyForecastEntry:
		for _, d := range x {
			parts = append(parts, d.Date)
		}
	case []*Observation:
		for _, o := range x {
			parts = append(parts, o.ObservationID)
		}
	case *Location:
		return "location " + x.LocationID
	case *Forecast:
		return "forecast " + x.ForecastID
	case *Observation:
		return "observation " + x.ObservationID
	case string:
		return x
	default:
		return fmt.Sprintf("%T", out)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func TestReadTools(t *testing.T) {
	db := fixtureDB(t)
	for _, tt := range []struct {
		tool, args string
		want       string // summary of the output, or "Error: …"
	}{
		{"list_all_locations", `{}`, "[L1=Boston, MA, USA L9=Denver, CO, US L3=Miami, FL, United States]"},
		{"list_all_locations", `{"country": "USA"}`, "Error: WeatherTools.list_all_locations() got an unexpected keyword argument 'country'"},

		{"get_location_details", `{"location_id": "K2"}`, "location L9"},
		{"get_location_details", `{"location_id": "L9"}`, "Error: Location L9 not found"},
		{"get_location_details", `{"location_id": 5.0}`, "Error: Location 5.0 not found"},
		{"get_location_details", `{"location_id": ["L1"]}`, "Error: unhashable type: 'list'"},
		{"get_location_details", `{}`, "Error: WeatherTools.get_location_details() missing 1 required positional argument: 'location_id'"},

		{"get_forecast_details", `{"forecast_id": "F2"}`, "forecast F2"},
		{"get_forecast_details", `{"forecast_id": null}`, "Error: Forecast None not found"},
		{"get_forecast_details", `{"forecast_id": {"id": "F2"}}`, "Error: unhashable type: 'dict'"},

		{"search_forecasts", `{"location_id": "L1"}`, "[F2 F1 F3]"},
		{"search_forecasts", `{"location_id": "L1", "source_model": "ECMWF"}`, "[F3]"},
		{"search_forecasts", `{"location_id": "L1", "source_model": "ecmwf"}`, "[]"},
		{"search_forecasts", `{"location_id": "L1", "source_model": ""}`, "[F2 F1 F3]"},
		{"search_forecasts", `{"location_id": "L1", "source_model": 1}`, "[]"},
		{"search_forecasts", `{"location_id": "L1", "valid_from_utc": "2025-09-05T00:00:00Z", "valid_to_utc": "2025-09-07T00:00:00Z"}`, "[F2 F1]"},
		{"search_forecasts", `{"location_id": "L1", "valid_from_utc": "2025-09-05T00:00:00Z"}`, "[F2 F1 F3]"},
		{"search_forecasts", `{"location_id": "L1", "valid_from_utc": "2025-09-03T00:00:00-05:00", "valid_to_utc": "2025-09-03T01:00:00-05:00"}`, "[F3]"},
		{"search_forecasts", `{"location_id": "L1", "valid_from_utc": "badZ", "valid_to_utc": "2025-09-07T00:00:00Z"}`, "Error: Invalid UTC datetime format: bad+00:00"},
		{"search_forecasts", `{"location_id": "L1", "valid_from_utc": "2025-09-03T00:00:00", "valid_to_utc": "2025-09-07T00:00:00"}`, "Error: can't compare offset-naive and offset-aware datetimes"},
		{"search_forecasts", `{"location_id": "L3", "valid_from_utc": "not a time", "valid_to_utc": "x"}`, "[]"},
		{"search_forecasts", `{"location_id": "L1", "valid_from_utc": 7, "valid_to_utc": "2025-09-07T00:00:00Z"}`, "Error: 'int' object has no attribute 'endswith'"},
		{"search_forecasts", `{"location_id": "K2"}`, "[]"},
		{"search_forecasts", `{"location_id": "nowhere"}`, "Error: Location nowhere not found"},

		// F2 (newest) wins 08:00; F3's 09:00 is written with an offset; sorted by instant.
		{"get_hourly_forecast_window", `{"location_id": "L1", "start_utc": "2025-09-03T00:00:00Z", "end_utc": "2025-09-03T23:00:00Z"}`,
			"[2025-09-03T07:00:00Z 2025-09-03T08:00:00Z 2025-09-03T09:00:00+00:00 2025-09-03T13:00:00Z 2025-09-03T14:00:00Z]"},
		{"get_hourly_forecast_window", `{"location_id": "L1", "start_utc": "2025-09-03T08:00:00Z", "end_utc": "2025-09-03T09:00:00+00:00", "source_model": "GFS"}`,
			"[2025-09-03T08:00:00Z]"},
		{"get_hourly_forecast_window", `{"location_id": "L1", "start_utc": "2025-09-03T09:00:00Z", "end_utc": "2025-09-03T08:00:00Z"}`, "Error: start_utc must be <= end_utc"},
		{"get_hourly_forecast_window", `{"location_id": "L1", "start_utc": "2025-09-03T07:00:00", "end_utc": "2025-09-03T08:00:00Z"}`, "Error: can't compare offset-naive and offset-aware datetimes"},
		{"get_hourly_forecast_window", `{"location_id": "L1", "start_utc": "2025-09-03T07:00:00", "end_utc": "2025-09-03T08:00:00"}`, "Error: can't compare offset-naive and offset-aware datetimes"},
		{"get_hourly_forecast_window", `{"location_id": "L3", "start_utc": "2025-09-03T07:00:00", "end_utc": "2025-09-03T08:00:00"}`, "[]"},
		{"get_hourly_forecast_window", `{"location_id": "L1", "start_utc": "soon", "end_utc": "2025-09-03T08:00:00Z"}`, "Error: Invalid UTC datetime format: soon"},
		{"get_hourly_forecast_window", `{"location_id": "L1", "start_utc": "2025-09-03T08:00:00Z", "end_utc": null}`, "Error: 'NoneType' object has no attribute 'endswith'"},
		{"get_hourly_forecast_window", `{"location_id": "L0", "start_utc": "soon", "end_utc": "later"}`, "Error: Location L0 not found"},
		{"get_hourly_forecast_window", `{"location_id": "L1", "start_utc": "2025-09-03T08:00:00Z"}`, "Error: WeatherTools.get_hourly_forecast_window() missing 1 required positional argument: 'end_utc'"},

		// F2 wins 2025-09-04 over F1 and F3; F3 alone gives 2025-09-05.
		{"get_daily_forecast_range", `{"location_id": "L1", "start_date": "2025-09-01", "end_date": "2025-09-30"}`, "[2025-09-03 2025-09-04 2025-09-05]"},
		{"get_daily_forecast_range", `{"location_id": "L1", "start_date": "2025-09-04", "end_date": "2025-09-04", "source_model": "ECMWF"}`, "[2025-09-04]"},
		{"get_daily_forecast_range", `{"location_id": "L1", "start_date": "2025-09-04", "end_date": "2025-9-1"}`, "[2025-09-04 2025-09-05]"},
		{"get_daily_forecast_range", `{"location_id": "L1", "start_date": "2025-09-05", "end_date": "2025-09-04"}`, "Error: start_date must be <= end_date"},
		{"get_daily_forecast_range", `{"location_id": "L1", "start_date": 20250903, "end_date": "2025-09-04"}`, "Error: '>' not supported between instances of 'int' and 'str'"},
		{"get_daily_forecast_range", `{"location_id": "L1", "start_date": 1, "end_date": 2}`, "Error: '<' not supported between instances of 'str' and 'int'"},
		{"get_daily_forecast_range", `{"location_id": "L3", "start_date": 1, "end_date": 2.5}`, "[]"},
		{"get_daily_forecast_range", `{"location_id": "L1", "start_date": null, "end_date": null}`, "Error: '>' not supported between instances of 'NoneType' and 'NoneType'"},
		{"get_daily_forecast_range", `{"location_id": 65, "start_date": "a", "end_date": "b"}`, "Error: Location 65 not found"},

		// O1 and O2 share a time: table order decides.
		{"get_current_conditions", `{"location_id": "L1"}`, "observation O1"},
		{"get_current_conditions", `{"location_id": "L3"}`, "Error: No observations found for location L3"},
		{"get_current_conditions", `{"location_id": "K2"}`, "Error: No observations found for location K2"},
		{"get_current_conditions", `{"location_id": true}`, "Error: Location True not found"},

		{"get_observations", `{"location_id": "L1", "start_utc": "2025-09-03T00:00:00Z", "end_utc": "2025-09-03T23:59:59Z"}`, "[O3 O1 O2]"},
		{"get_observations", `{"location_id": "L1", "start_utc": "2025-09-03T00:00:00Z", "end_utc": "2025-09-03T23:59:59Z", "qc_filter": "suspect"}`, "[O2]"},
		{"get_observations", `{"location_id": "L1", "start_utc": "2025-09-03T12:00:00Z", "end_utc": "2025-09-03T12:00:00Z", "qc_filter": ""}`, "[O1 O2]"},
		{"get_observations", `{"location_id": "L1", "start_utc": "2025-09-03T02:00:00+01:00", "end_utc": "2025-09-03T02:00:00+01:00"}`, "[O3]"},
		{"get_observations", `{"location_id": "L1", "start_utc": "2025-09-04T00:00:00Z", "end_utc": "2025-09-03T00:00:00Z"}`, "Error: start_utc must be <= end_utc"},
		{"get_observations", `{"location_id": "L1", "start_utc": "2025-09-03 noon", "end_utc": "2025-09-03T13:00:00Z"}`, "Error: Invalid UTC datetime format: 2025-09-03 noon"},
		{"get_observations", `{"location_id": "L1", "start_utc": "2025-09-03", "end_utc": "2025-09-04"}`, "Error: can't compare offset-naive and offset-aware datetimes"},
		{"get_observations", `{"location_id": "L3", "start_utc": "2025-09-03", "end_utc": "2025-09-04"}`, "[]"},
		{"get_observations", `{"location_id": "L9", "start_utc": "2025-09-03", "end_utc": "2025-09-04"}`, "Error: Location L9 not found"},

		{"calculate", `{"expression": 5}`, "Error: 'int' object is not iterable"},
		{"calculate", `{"expression": null}`, "Error: 'NoneType' object is not iterable"},
		{"calculate", `{"expression": ["12", "+", "3"]}`, "Error: eval() arg 1 must be a string, bytes or code object"},
		{"calculate", `{"expression": {"1": 0}}`, "Error: eval() arg 1 must be a string, bytes or code object"},
		{"calculate", `{"expression": ["a", 2]}`, "Error: Invalid characters in expression"},
		{"calculate", `{"expression": ["1", 2]}`, "Error: 'in <string>' requires string as left operand, not int"},
		{"transfer_to_human_agents", `{"summary": "wants a refund"}`, "Transfer successful"},
		{"transfer_to_human_agents", `{"summary": 3}`, "Transfer successful"},
		{"transfer_to_human_agents", `{}`, "Error: WeatherTools.transfer_to_human_agents() missing 1 required positional argument: 'summary'"},
		{"get_weather", `{}`, "Error: Tool 'get_weather' not found."},
	} {
		r := call(t, domains.NewEnv(Domain, db, domains.DefaultNow), tt.tool, tt.args)
		got := r.Content
		if r.OK() {
			got = summary(r.Output)
		}
		if got != tt.want {
			t.Errorf("%s(%s) = %s; want %s", tt.tool, tt.args, got, tt.want)
		}
	}
	h, _ := domains.Hash(db)
	if h2, _ := domains.Hash(fixtureDB(t)); h != h2 {
		t.Errorf("read tools changed the database")
	}
}

func TestVerifyForecastForDate(t *testing.T) {
	db := fixtureDB(t)
	for _, tt := range []struct {
		name, args string
		want       string // Error: …, or F1's dates after the call = the new entry (prefixed by its date when not last)
	}{
		{"new date goes last", `{"forecast_id": "F1", "date": "2025-09-05", "actual_high_c": 25, "actual_low_c": 18.5, "actual_precip_mm": 0}`,
			`2025-09-02,2025-09-03,2025-09-05={"status": "verified", "actual_high_c": 25.0, "actual_low_c": 18.5, "actual_precip_mm": 0.0, "notes": ""}`},
		{"existing date replaced in place", `{"forecast_id": "F1", "date": "2025-09-02", "actual_high_c": "30", "actual_low_c": true, "actual_precip_mm": " 1.5 ", "notes": "late report", "status": "revised"}`,
			`2025-09-02,2025-09-03=2025-09-02:{"status": "revised", "actual_high_c": 30.0, "actual_low_c": 1.0, "actual_precip_mm": 1.5, "notes": "late report"}`},
		{"any date text", `{"forecast_id": "F1", "date": "someday", "actual_high_c": 1, "actual_low_c": 1, "actual_precip_mm": 1, "status": "pending"}`,
			`2025-09-02,2025-09-03,someday={"status": "pending", "actual_high_c": 1.0, "actual_low_c": 1.0, "actual_precip_mm": 1.0, "notes": ""}`},
		{"int date is a key", `{"forecast_id": "F1", "date": 5, "actual_high_c": 1, "actual_low_c": 1, "actual_precip_mm": 1}`,
			`2025-09-02,2025-09-03,5={"status": "verified", "actual_high_c": 1.0, "actual_low_c": 1.0, "actual_precip_mm": 1.0, "notes": ""}`},
		{"bad status", `{"forecast_id": "F1", "date": "2025-09-03", "actual_high_c": 1, "actual_low_c": 1, "actual_precip_mm": 1, "status": "final"}`,
			"Error: Invalid status"},
		{"status checked before the forecast", `{"forecast_id": "nope", "date": "2025-09-03", "actual_high_c": 1, "actual_low_c": 1, "actual_precip_mm": 1, "status": "Verified"}`,
			"Error: Invalid status"},
		{"unhashable status", `{"forecast_id": "F1", "date": "2025-09-03", "actual_high_c": 1, "actual_low_c": 1, "actual_precip_mm": 1, "status": ["verified"]}`,
			"Error: unhashable type: 'list'"},
		{"unknown forecast", `{"forecast_id": "nope", "date": "2025-09-03", "actual_high_c": 1, "actual_low_c": 1, "actual_precip_mm": 1}`,
			"Error: Forecast nope not found"},
		{"int forecast id", `{"forecast_id": 51, "date": "2025-09-03", "actual_high_c": 1, "actual_low_c": 1, "actual_precip_mm": 1}`,
			"Error: Forecast 51 not found"},
		{"bad number", `{"forecast_id": "F1", "date": "2025-09-03", "actual_high_c": "warm", "actual_low_c": 1, "actual_precip_mm": 1}`,
			"Error: 1 validation error for VerificationEntry"},
		{"null notes", `{"forecast_id": "F1", "date": "2025-09-03", "actual_high_c": 1, "actual_low_c": 1, "actual_precip_mm": 1, "notes": null}`,
			"Error: 1 validation error for VerificationEntry"},
		{"model error before the date", `{"forecast_id": "F1", "date": ["x"], "actual_high_c": null, "actual_low_c": 1, "actual_precip_mm": 1}`,
			"Error: 1 validation error for VerificationEntry"},
		{"unhashable date", `{"forecast_id": "F1", "date": ["x"], "actual_high_c": 1, "actual_low_c": 1, "actual_precip_mm": 1}`,
			"Error: unhashable type: 'list'"},
		{"missing argument", `{"forecast_id": "F1", "date": "2025-09-03", "actual_high_c": 1, "actual_low_c": 1}`,
			"Error: WeatherTools.verify_forecast_for_date() missing 1 required positional argument: 'actual_precip_mm'"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := domains.NewEnv(Domain, db, domains.DefaultNow)
			r := call(t, env, "verify_forecast_for_date", tt.args)
			f, _ := env.DB.(*DB).Forecasts.Get("F1")
			if !r.OK() {
				if !strings.HasPrefix(r.Content, tt.want) || !strings.HasPrefix(tt.want, "Error: ") {
					t.Errorf("content %q; want %q", r.Content, tt.want)
				}
				if f.VerificationByDate.Len() != 2 {
					t.Errorf("a failed call changed the forecast: %v", f.VerificationByDate.Keys())
				}
				return
			}
			if r.Output != any(f) {
				t.Errorf("output is not the updated forecast")
			}
			keys := f.VerificationByDate.Keys()
			show := keys[len(keys)-1]
			if strings.Contains(tt.want, "=2025-09-02:") {
				show = "2025-09-02"
			}
			v, _ := f.VerificationByDate.Get(show)
			enc, _ := py.Marshal(v, py.Dumps)
			got := strings.Join(keys, ",") + "=" + string(enc)
			if show != keys[len(keys)-1] {
				got = strings.Join(keys, ",") + "=" + show + ":" + string(enc)
			}
			if got != tt.want {
				t.Errorf("verification_by_date = %s; want %s", got, tt.want)
			}
		})
	}
	if orig, _ := db.(*DB).Forecasts.Get("F1"); orig.VerificationByDate.Len() != 2 {
		t.Errorf("calls changed the source database")
	}
}

// TestGenerated checks what tasks rely on in generated databases: every status, flag
// and model occurs, the write tool succeeds, and the read tools work on every location.
func TestGenerated(t *testing.T) {
	db, err := Generate(domains.Rand(7, "weather", 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	w := db.(*DB)
	seen := map[string]bool{}
	for f := range w.Forecasts.Values() {
		seen[f.SourceModel] = true
		for v := range f.VerificationByDate.Values() {
			seen[v.Status] = true
		}
		if _, ok := w.Locations.Get(f.LocationID); !ok {
			t.Errorf("forecast %s: unknown location %s", f.ForecastID, f.LocationID)
		}
	}
	for o := range w.Observations.Values() {
		seen[o.QualityControl.QCFlag] = true
		if _, ok := w.Locations.Get(*o.LocationID); !ok {
			t.Errorf("observation %s: unknown location %s", o.ObservationID, *o.LocationID)
		}
	}
	for _, want := range []string{"GFS", "ECMWF", "pending", "verified", "revised", "passed", "suspect", "failed"} {
		if !seen[want] {
			t.Errorf("no %s in the generated database", want)
		}
	}
	env := domains.NewEnv(Domain, db, domains.DefaultNow)
	fid := w.Forecasts.Keys()[0]
	if r := call(t, env, "verify_forecast_for_date", `{"forecast_id": "`+fid+`", "date": "2025-09-03", "actual_high_c": 25, "actual_low_c": 18.5, "actual_precip_mm": 0, "notes": "ok"}`); !r.OK() {
		t.Errorf("verify_forecast_for_date on %s: %s", fid, r.Content)
	}
	merged, noObs := false, false
	for _, id := range w.Locations.Keys() {
		for _, c := range []struct{ tool, args string }{
			{"get_location_details", `{"location_id": "` + id + `"}`},
			{"search_forecasts", `{"location_id": "` + id + `", "valid_from_utc": "2025-09-03T00:00:00Z", "valid_to_utc": "2025-09-06T00:00:00Z"}`},
			{"get_hourly_forecast_window", `{"location_id": "` + id + `", "start_utc": "2025-09-03T00:00:00Z", "end_utc": "2025-09-04T00:00:00Z"}`},
			{"get_daily_forecast_range", `{"location_id": "` + id + `", "start_date": "2025-09-03", "end_date": "2025-09-07"}`},
			{"get_observations", `{"location_id": "` + id + `", "start_utc": "2025-09-03T00:00:00Z", "end_utc": "2025-09-03T23:59:59Z"}`},
		} {
			if r := call(t, env, c.tool, c.args); !r.OK() {
				t.Errorf("%s(%s): %s", c.tool, c.args, r.Content)
			}
		}
		if r := call(t, env, "get_current_conditions", `{"location_id": "`+id+`"}`); !r.OK() {
			noObs = true
		}
		if r := call(t, env, "search_forecasts", `{"location_id": "`+id+`"}`); len(r.Output.([]*Forecast)) > 1 {
			merged = true
		}
	}
	if !merged || !noObs {
		t.Errorf("generated database lacks a location with two forecasts (%v) or one without observations (%v)", merged, noObs)
	}
}

func BenchmarkVectors(b *testing.B) {
	dir := domaintest.ReferenceDir(b)
	db := domaintest.LoadReference(b, Domain)
	calls, err := domains.ParseCalls(mustRead(b, dir+"/weather/vectors/calls.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		env.Replay(calls)
		if _, err := domains.Hash(env.DB); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replays/s")
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Generate(domains.Rand(int64(i), "weather", 0, "db"), 1); err != nil {
			b.Fatal(err)
		}
	}
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// TestSchemas checks that every parameter has a description, whole (a comma in a tag
// would cut it short), and that the schemas accept a well-formed call of each tool.
func TestSchemas(t *testing.T) {
	for _, tool := range Domain.Tools {
		s, err := tool.Schema()
		if err != nil {
			t.Fatal(err)
		}
		for pair := s.Properties.Oldest(); pair != nil; pair = pair.Next() {
			p := pair.Value
			desc := p.Description
			for _, alt := range p.OneOf {
				if alt.Description != "" {
					desc = alt.Description
				}
			}
			if !strings.HasSuffix(desc, ".") {
				t.Errorf("%s.%s: description %q is missing or cut", tool.Name, pair.Key, desc)
			}
		}
	}
	for _, tt := range []struct {
		tool, args string
		ok         bool
	}{
		{"verify_forecast_for_date", `{"forecast_id": "65", "date": "2025-09-03", "actual_high_c": 25, "actual_low_c": 18.5, "actual_precip_mm": 0, "status": "verified"}`, true},
		{"verify_forecast_for_date", `{"forecast_id": "65", "date": "2025-09-03", "actual_high_c": 25, "actual_low_c": 18.5, "actual_precip_mm": 0, "status": "final"}`, false},
		{"search_forecasts", `{"location_id": "47", "source_model": "ECMWF", "valid_from_utc": null}`, true},
		{"get_observations", `{"location_id": "47", "start_utc": "2025-09-03T00:00:00Z"}`, false},
	} {
		v, err := py.Parse([]byte(tt.args))
		if err != nil {
			t.Fatal(err)
		}
		if err := Domain.Tool(tt.tool).Validate(v.(*py.Object)); (err == nil) != tt.ok {
			t.Errorf("Validate %s(%s) = %v; want ok %v", tt.tool, tt.args, err, tt.ok)
		}
	}
}
