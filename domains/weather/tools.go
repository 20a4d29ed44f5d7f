package weather

import (
	_ "embed"
	"errors"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/calc"
	"github.com/toolscale/toolscale/domains/py"
)

//go:embed policy.md
var policy string

// Domain is the weather domain, registered as "weather".
var Domain = &domains.Domain{
	Name:     "weather",
	Toolkit:  "WeatherTools",
	NewDB:    newDB,
	Policy:   policy,
	Generate: Generate,
	Intents:  intents,
	Tools: []*domains.Tool{
		{Name: "list_all_locations", Kind: domains.Read, Params: noParams{}, Fn: listAllLocations,
			Description: "List every available location with a \"city, state, country\" label."},
		{Name: "get_location_details", Kind: domains.Read, Params: locationParams{}, Fn: getLocationDetails,
			Description: "Get a location's details: name, coordinates, timezone, nearby stations, monthly climate normals and sun times."},
		{Name: "get_forecast_details", Kind: domains.Read, Params: forecastParams{}, Fn: getForecastDetails,
			Description: "Get a forecast by its id: model, issue time, validity window, hourly and daily entries and verification records."},
		{Name: "search_forecasts", Kind: domains.Read, Params: searchForecastsParams{}, Fn: searchForecasts,
			Description: "Search a location's forecasts, optionally only those whose validity overlaps a UTC window and those of one source model; most recently issued first."},
		{Name: "get_hourly_forecast_window", Kind: domains.Read, Params: hourlyParams{}, Fn: getHourlyForecastWindow,
			Description: "Get a location's hourly forecast entries between two UTC times (inclusive). Overlapping forecasts are merged; the most recently issued one wins for each hour."},
		{Name: "get_daily_forecast_range", Kind: domains.Read, Params: dailyParams{}, Fn: getDailyForecastRange,
			Description: "Get a location's daily forecast entries between two dates (YYYY-MM-DD, inclusive). The most recently issued forecast wins for each date."},
		{Name: "get_current_conditions", Kind: domains.Read, Params: locationParams{}, Fn: getCurrentConditions,
			Description: "Get the most recent station observation for a location."},
		{Name: "get_observations", Kind: domains.Read, Params: observationsParams{}, Fn: getObservations,
			Description: "Get a location's station observations between two UTC times (inclusive), optionally with one quality-control flag, oldest first."},
		{Name: "verify_forecast_for_date", Kind: domains.Write, Params: verifyParams{}, Fn: verifyForecastForDate,
			Description: "Record or replace the verification of a forecast for one date: observed high, low and precipitation, notes and status (pending, verified or revised)."},
		{Name: "calculate", Kind: domains.Generic, Params: calculateParams{}, Fn: calculate,
			Description: "Calculate the result of an arithmetic expression and return it rounded to two decimals."},
		{Name: "transfer_to_human_agents", Kind: domains.Generic, Params: transferParams{}, Fn: transferToHuman,
			Description: "Transfer the user to a human agent with a summary of the issue. Only when the user asks for a human or the request cannot be handled with the available tools."},
	},
}

func init() { domains.Register(Domain) }

type noParams struct{}

type locationParams struct {
	LocationID string `json:"location_id" jsonschema:"description=The location id."`
}

type forecastParams struct {
	ForecastID string `json:"forecast_id" jsonschema:"description=The forecast id."`
}

type searchForecastsParams struct {
	LocationID   string  `json:"location_id" jsonschema:"description=The location id."`
	ValidFromUTC *string `json:"valid_from_utc,omitempty" jsonschema:"nullable,description=Inclusive start of the wanted validity window in ISO-8601 UTC. Used only together with valid_to_utc."`
	ValidToUTC   *string `json:"valid_to_utc,omitempty" jsonschema:"nullable,description=Inclusive end of the wanted validity window in ISO-8601 UTC. Used only together with valid_from_utc."`
	SourceModel  *string `json:"source_model,omitempty" jsonschema:"nullable,description=Keep only forecasts of this model such as GFS or ECMWF (case-sensitive)."`
}

type hourlyParams struct {
	LocationID  string  `json:"location_id" jsonschema:"description=The location id."`
	StartUTC    string  `json:"start_utc" jsonschema:"description=Inclusive start time in ISO-8601 UTC such as 2025-09-03T08:00:00Z."`
	EndUTC      string  `json:"end_utc" jsonschema:"description=Inclusive end time (ISO-8601 UTC)."`
	SourceModel *string `json:"source_model,omitempty" jsonschema:"nullable,description=Keep only forecasts of this model such as GFS or ECMWF."`
}

type dailyParams struct {
	LocationID  string  `json:"location_id" jsonschema:"description=The location id."`
	StartDate   string  `json:"start_date" jsonschema:"description=First date (YYYY-MM-DD) inclusive."`
	EndDate     string  `json:"end_date" jsonschema:"description=Last date (YYYY-MM-DD) inclusive."`
	SourceModel *string `json:"source_model,omitempty" jsonschema:"nullable,description=Keep only forecasts of this model such as GFS or ECMWF."`
}

type observationsParams struct {
	LocationID string  `json:"location_id" jsonschema:"description=The location id."`
	StartUTC   string  `json:"start_utc" jsonschema:"description=Inclusive start time (ISO-8601 UTC)."`
	EndUTC     string  `json:"end_utc" jsonschema:"description=Inclusive end time (ISO-8601 UTC)."`
	QCFilter   *string `json:"qc_filter,omitempty" jsonschema:"nullable,description=Keep only observations with this quality-control flag: passed or suspect or failed."`
}

type verifyParams struct {
	ForecastID     string  `json:"forecast_id" jsonschema:"description=The forecast id."`
	Date           string  `json:"date" jsonschema:"description=The verified date (YYYY-MM-DD)."`
	ActualHighC    float64 `json:"actual_high_c" jsonschema:"description=Observed high temperature in °C."`
	ActualLowC     float64 `json:"actual_low_c" jsonschema:"description=Observed low temperature in °C."`
	ActualPrecipMM float64 `json:"actual_precip_mm" jsonschema:"description=Observed precipitation total in mm."`
	Notes          string  `json:"notes,omitempty" jsonschema:"default=,description=Free-form notes."`
	Status         string  `json:"status,omitempty" jsonschema:"default=verified,enum=pending,enum=verified,enum=revised,description=Verification status."`
}

type calculateParams struct {
	Expression string `json:"expression" jsonschema:"description=Arithmetic expression with digits and + - * / ( ) . and spaces."`
}

type transferParams struct {
	Summary string `json:"summary" jsonschema:"description=Short summary of the user's issue for the human agent."`
}

func db(e *domains.Env) *DB { return e.DB.(*DB) }

// getLocation is the toolkit's _get_location: a lookup by table key.
func getLocation(e *domains.Env, id any) (*Location, error) {
	k, ok, err := dictKey(id)
	if err != nil {
		return nil, err
	}
	if ok {
		if l, found := db(e).Locations.Get(k); found {
			return l, nil
		}
	}
	return nil, errors.New("Location " + py.Str(id) + " not found")
}

// getForecast is the toolkit's _get_forecast: a lookup by table key.
func getForecast(e *domains.Env, id any) (string, *Forecast, error) {
	k, ok, err := dictKey(id)
	if err != nil {
		return "", nil, err
	}
	if ok {
		if f, found := db(e).Forecasts.Get(k); found {
			return k, f, nil
		}
	}
	return "", nil, errors.New("Forecast " + py.Str(id) + " not found")
}

func listAllLocations(e *domains.Env, _ domains.Args) (any, error) {
	out := []*LocationCode{}
	for l := range db(e).Locations.Values() {
		// The inner location_id is listed, which is not always the table key (a reference quirk).
		out = append(out, &LocationCode{LocationID: l.LocationID, Label: l.Name.City + ", " + l.Name.State + ", " + l.Name.Country})
	}
	return out, nil
}

func getLocationDetails(e *domains.Env, a domains.Args) (any, error) {
	return getLocation(e, a["location_id"])
}

func getForecastDetails(e *domains.Env, a domains.Args) (any, error) {
	_, f, err := getForecast(e, a["forecast_id"])
	return f, err
}

// keyed pairs a record with its sort key.
type keyed[T any] struct {
	key stamp
	rec T
}

// sortStable sorts by key as Python's list.sort(key=…, reverse=…) does: stably (ties keep
// their order, also when reversed), failing on a naive/aware mix.
func sortStable[T any](items []keyed[T], reverse bool) error {
	var err error
	slices.SortStableFunc(items, func(a, b keyed[T]) int {
		c, e := a.key.compare(b.key)
		if e != nil && err == nil {
			err = e
		}
		if reverse {
			return -c
		}
		return c
	})
	return err
}

// search is search_forecasts: the candidates of a location, filtered, newest issue first.
func search(e *domains.Env, locationID, validFrom, validTo, sourceModel any) ([]*Forecast, error) {
	if _, err := getLocation(e, locationID); err != nil {
		return nil, err
	}
	loc := locationID.(string) // only str keys exist
	var found []keyed[*Forecast]
	for f := range db(e).Forecasts.Values() {
		if f.LocationID != loc {
			continue
		}
		if truthy(sourceModel) && !equal(f.SourceModel, sourceModel) {
			continue
		}
		if truthy(validFrom) && truthy(validTo) {
			ok, err := overlap(f.ValidFromUTC, f.ValidToUTC, validFrom, validTo)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		found = append(found, keyed[*Forecast]{rec: f})
	}
	// The sort keys are computed first, in list order, then compared.
	for i := range found {
		k, err := parseUTC(found[i].rec.IssuedAtUTC)
		if err != nil {
			return nil, err
		}
		found[i].key = k
	}
	if err := sortStable(found, true); err != nil {
		return nil, err
	}
	out := make([]*Forecast, len(found))
	for i, f := range found {
		out[i] = f.rec
	}
	return out, nil
}

// overlap is _time_ranges_overlap: max(a0, b0) <= min(a1, b1), parsing a0, a1, b0, b1 in
// that order.
func overlap(a0s, a1s string, b0v, b1v any) (bool, error) {
	var ts [4]stamp
	for i, v := range []any{a0s, a1s, b0v, b1v} {
		t, err := parseUTC(v)
		if err != nil {
			return false, err
		}
		ts[i] = t
	}
	a0, a1, b0, b1 := ts[0], ts[1], ts[2], ts[3]
	// max() compares the second item with the first; min() likewise.
	hi := a0
	if c, err := b0.compare(a0); err != nil {
		return false, err
	} else if c > 0 {
		hi = b0
	}
	lo := a1
	if c, err := b1.compare(a1); err != nil {
		return false, err
	} else if c < 0 {
		lo = b1
	}
	c, err := hi.compare(lo)
	return c <= 0, err
}

func searchForecasts(e *domains.Env, a domains.Args) (any, error) {
	out, err := search(e, a["location_id"], a["valid_from_utc"], a["valid_to_utc"], a["source_model"])
	if err != nil {
		return nil, err
	}
	return out, nil
}

// window parses and checks a start/end pair of UTC times.
func window(start, end any) (stamp, stamp, error) {
	s, err := parseUTC(start)
	if err != nil {
		return stamp{}, stamp{}, err
	}
	t, err := parseUTC(end)
	if err != nil {
		return stamp{}, stamp{}, err
	}
	c, err := s.compare(t)
	if err != nil {
		return stamp{}, stamp{}, err
	}
	if c > 0 {
		return stamp{}, stamp{}, errors.New("start_utc must be <= end_utc")
	}
	return s, t, nil
}

// within reports start <= t <= end as `t < start or t > end` is negated, failing on a
// naive/aware mix in the order Python evaluates.
func within(t, start, end stamp) (bool, error) {
	c, err := t.compare(start)
	if err != nil {
		return false, err
	}
	if c < 0 {
		return false, nil
	}
	c, err = t.compare(end)
	if err != nil {
		return false, err
	}
	return c <= 0, nil
}

func getHourlyForecastWindow(e *domains.Env, a domains.Args) (any, error) {
	if _, err := getLocation(e, a["location_id"]); err != nil {
		return nil, err
	}
	start, end, err := window(a["start_utc"], a["end_utc"])
	if err != nil {
		return nil, err
	}
	cands, err := search(e, a["location_id"], a["start_utc"], a["end_utc"], a["source_model"])
	if err != nil {
		return nil, err
	}
	// Slots are keyed by the raw time text, in first-insertion order; a later forecast
	// replaces an entry only when it was issued strictly later.
	type slot struct {
		issued stamp
		entry  *HourlyForecastEntry
	}
	var order []string
	slots := map[string]*slot{}
	for _, f := range cands {
		issued, err := parseUTC(f.IssuedAtUTC)
		if err != nil {
			return nil, err
		}
		for i := range f.Hourly {
			h := &f.Hourly[i]
			t, err := parseUTC(h.TimeUTC)
			if err != nil {
				return nil, err
			}
			if in, err := within(t, start, end); err != nil {
				return nil, err
			} else if !in {
				continue
			}
			cur, ok := slots[h.TimeUTC]
			if !ok {
				order = append(order, h.TimeUTC)
				slots[h.TimeUTC] = &slot{issued, h}
				continue
			}
			if c, err := issued.compare(cur.issued); err != nil {
				return nil, err
			} else if c > 0 {
				*cur = slot{issued, h}
			}
		}
	}
	merged := make([]keyed[*HourlyForecastEntry], len(order))
	for i, k := range order {
		merged[i].rec = slots[k].entry
		if merged[i].key, err = parseUTC(merged[i].rec.TimeUTC); err != nil {
			return nil, err
		}
	}
	if err := sortStable(merged, false); err != nil {
		return nil, err
	}
	out := make([]*HourlyForecastEntry, len(merged))
	for i, m := range merged {
		out[i] = m.rec
	}
	return out, nil
}

func getDailyForecastRange(e *domains.Env, a domains.Args) (any, error) {
	if _, err := getLocation(e, a["location_id"]); err != nil {
		return nil, err
	}
	start, end := a["start_date"], a["end_date"]
	// Dates are compared as whatever was passed, not parsed.
	if after, err := compare(">", start, end); err != nil {
		return nil, err
	} else if after {
		return nil, errors.New("start_date must be <= end_date")
	}
	cands, err := search(e, a["location_id"], nil, nil, a["source_model"])
	if err != nil {
		return nil, err
	}
	type day struct {
		issued stamp
		entry  *DailyForecastEntry
	}
	days := map[string]*day{}
	var dates []string
	for _, f := range cands {
		issued, err := parseUTC(f.IssuedAtUTC)
		if err != nil {
			return nil, err
		}
		for i := range f.Daily {
			d := &f.Daily[i]
			if before, err := compare("<", d.Date, start); err != nil {
				return nil, err
			} else if before {
				continue
			}
			if after, err := compare(">", d.Date, end); err != nil {
				return nil, err
			} else if after {
				continue
			}
			cur, ok := days[d.Date]
			if !ok {
				dates = append(dates, d.Date)
				days[d.Date] = &day{issued, d}
				continue
			}
			if c, err := issued.compare(cur.issued); err != nil {
				return nil, err
			} else if c > 0 {
				*cur = day{issued, d}
			}
		}
	}
	slices.Sort(dates)
	out := make([]*DailyForecastEntry, len(dates))
	for i, d := range dates {
		out[i] = days[d].entry
	}
	return out, nil
}

// observationsOf returns the observations whose location_id equals id, in table order.
func observationsOf(e *domains.Env, id string) []*Observation {
	var out []*Observation
	for o := range db(e).Observations.Values() {
		if o.LocationID != nil && *o.LocationID == id {
			out = append(out, o)
		}
	}
	return out
}

func getCurrentConditions(e *domains.Env, a domains.Args) (any, error) {
	if _, err := getLocation(e, a["location_id"]); err != nil {
		return nil, err
	}
	id := a["location_id"].(string)
	obs := observationsOf(e, id)
	if len(obs) == 0 {
		return nil, errors.New("No observations found for location " + id)
	}
	cands := make([]keyed[*Observation], len(obs))
	for i, o := range obs {
		k, err := parseUTC(o.TimestampUTC)
		if err != nil {
			return nil, err
		}
		cands[i] = keyed[*Observation]{k, o}
	}
	// Newest first, stable: equal timestamps keep table order.
	if err := sortStable(cands, true); err != nil {
		return nil, err
	}
	return cands[0].rec, nil
}

func getObservations(e *domains.Env, a domains.Args) (any, error) {
	if _, err := getLocation(e, a["location_id"]); err != nil {
		return nil, err
	}
	start, end, err := window(a["start_utc"], a["end_utc"])
	if err != nil {
		return nil, err
	}
	qc := a["qc_filter"]
	var kept []keyed[*Observation]
	for _, o := range observationsOf(e, a["location_id"].(string)) {
		t, err := parseUTC(o.TimestampUTC)
		if err != nil {
			return nil, err
		}
		if in, err := within(t, start, end); err != nil {
			return nil, err
		} else if !in {
			continue
		}
		if truthy(qc) && !equal(o.QualityControl.QCFlag, qc) {
			continue
		}
		kept = append(kept, keyed[*Observation]{t, o})
	}
	if err := sortStable(kept, false); err != nil {
		return nil, err
	}
	out := make([]*Observation, len(kept))
	for i, k := range kept {
		out[i] = k.rec
	}
	return out, nil
}

var statuses = []string{"pending", "verified", "revised"}

func verifyForecastForDate(e *domains.Env, a domains.Args) (any, error) {
	// The status is checked before the forecast exists (set membership: lists and dicts
	// are unhashable).
	status := a["status"]
	if _, _, err := dictKey(status); err != nil {
		return nil, err
	}
	if s, ok := status.(string); !ok || !slices.Contains(statuses, s) {
		return nil, errors.New("Invalid status")
	}
	key, _, err := getForecast(e, a["forecast_id"])
	if err != nil {
		return nil, err
	}
	entry, err := domains.Build[VerificationEntry](py.NewObject(
		"status", status,
		"actual_high_c", a["actual_high_c"],
		"actual_low_c", a["actual_low_c"],
		"actual_precip_mm", a["actual_precip_mm"],
		"notes", a["notes"],
	))
	if err != nil {
		return nil, err
	}
	date, err := jsonKey(a["date"])
	if err != nil {
		return nil, err
	}
	f, _ := db(e).Forecasts.Mut(key)
	// An existing date is overwritten in place; a new one goes last. The date is not checked.
	f.VerificationByDate.Set(date, entry)
	return f, nil
}

// jsonKey returns the text a dict key of any hashable type has once json.dumps writes it.
func jsonKey(v any) (string, error) {
	if _, _, err := dictKey(v); err != nil {
		return "", err
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case nil:
		return "null", nil
	case bool:
		if x {
			return "true", nil
		}
		return "false", nil
	case float64:
		out, err := py.Marshal(x, py.Dumps)
		return string(out), err
	}
	return py.Str(v), nil
}

// allowedChars are the characters calculate accepts.
const allowedChars = "0123456789+-*/(). "

// calculate checks `all(char in allowedChars for char in expression)` and then evaluates a
// str with calc. Other values fail as Python fails on them: numbers and None are not
// iterable; a list or dict is walked (each item a substring test, so "12" passes) and then
// refused by eval().
func calculate(_ *domains.Env, a domains.Args) (any, error) {
	expr := a["expression"]
	if s, ok := expr.(string); ok {
		return calc.Evaluate(s)
	}
	var items []any
	switch x := expr.(type) {
	case []any:
		items = x
	case *py.Object:
		for _, k := range x.Keys() {
			items = append(items, k)
		}
	default:
		return nil, errors.New("'" + py.TypeName(expr) + "' object is not iterable")
	}
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, errors.New("'in <string>' requires string as left operand, not " + py.TypeName(it))
		}
		if !strings.Contains(allowedChars, s) {
			return nil, errors.New("Invalid characters in expression")
		}
	}
	return nil, errors.New("eval() arg 1 must be a string, bytes or code object")
}

func transferToHuman(_ *domains.Env, _ domains.Args) (any, error) {
	return "Transfer successful", nil
}
