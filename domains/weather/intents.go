package weather

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// intents are the weather service's task templates: read-only questions whose answers the
// agent must pass on, forecast verifications (the one WRITE tool), a calculation, and a
// profile request the policy says cannot be served.
var intents = []*domains.Intent{
	{Name: "locations_for_city", Draft: domains.WithAside(asides, draftLocationsForCity)},
	{Name: "current_conditions", Draft: domains.WithAside(asides, draftCurrentConditions)},
	{Name: "hourly_window", Draft: domains.WithAside(asides, draftHourlyWindow)},
	{Name: "daily_forecast", Draft: domains.WithAside(asides, draftDailyForecast)},
	{Name: "temperature_spread", Draft: domains.WithAside(asides, draftTemperatureSpread)},
	{Name: "observations_window", Draft: domains.WithAside(asides, draftObservationsWindow)},
	{Name: "forecasts_by_model", Draft: domains.WithAside(asides, draftForecastsByModel)},
	{Name: "climate_normal", Draft: domains.WithAside(asides, draftClimateNormal)},
	{Name: "sun_times", Draft: domains.WithAside(asides, draftSunTimes)},
	{Name: "location_profile", Draft: domains.WithAside(asides, draftLocationProfile)},
	{Name: "verify_forecast", Draft: domains.WithAside(asides, draftVerifyForecast)},
	{Name: "revise_verification", Draft: domains.WithAside(asides, draftReviseVerification)},
	{Name: "verify_two_dates", Draft: domains.WithAside(asides, draftVerifyTwoDates)},
	{Name: "verify_and_compare", Draft: domains.WithAside(asides, draftVerifyAndCompare)},
	{Name: "refuse_profile_change", Draft: domains.WithAside(asides, draftRefuseProfileChange)},
}

// asides are circumstances a user mentions; they vary the wording of every request.
var asides = []string{
	"You are calling from your desk.", "You only have a couple of minutes.",
	"A colleague recommended the service.", "You use the service every week.",
	"You prefer the phone to the website.", "You are writing the numbers down as you go.",
	"You are on a short break.", "This is your first time using the service.",
	"You are comparing several sources today.", "You tried the website but it was slow.",
	"You are calling from the car, parked.", "You need the figures for a report due today.",
}

var (
	givenNames  = []string{"Maya", "Daniel", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Kevin", "Sofia", "Jamal", "Hannah", "Luis", "Grace", "Owen", "Nina", "Ravi", "Chloe", "Andre", "Yuki", "Fatima"}
	familyNames = []string{"Brooks", "Nguyen", "Patel", "Hernandez", "Kowalski", "O'Brien", "Schmidt", "Okafor", "Rossi", "Johnson", "Kim", "Delgado", "Fischer", "Walker", "Haddad", "Lindqvist", "Morales", "Chen", "Baptiste", "Murphy"}
	askers      = []string{
		"an event planner organising an outdoor wedding", "a hobby meteorologist", "a high-school science teacher",
		"a cyclist planning a long ride", "a local newspaper reporter", "a farmer deciding when to harvest",
		"a parent planning a school field trip", "a photographer chasing good light", "a marathon organiser",
		"a retired engineer who follows the weather closely",
	}
	verifiers = []string{
		"a forecast verification analyst at a regional weather office", "a meteorology graduate student running a verification study",
		"a volunteer weather observer who reports to the service", "a quality-control technician of the observation network",
	}
	manners = []string{
		"speaks briefly and to the point", "is friendly and a little talkative", "is precise and double-checks numbers",
		"is in a hurry", "is polite and patient", "asks one thing at a time",
	}
)

// A caller is who phones the service. The service keeps no user records, so a caller is
// known by the name they give: the subject of their drafts is that name after the kind of
// caller, "public/" for a member of the public or "staff/" for someone who verifies
// forecasts, so that the requests chained for one caller are all ones they would make.
type caller struct {
	subject string
	persona string
}

// callerOf returns the caller of a draft: env's subject when it has one, else a new caller
// with one of roles (verifiers when staff is set). A draft for staff only fails with
// ErrNoCandidate for a member of the public; anyone may ask about the weather.
func callerOf(r *rand.Rand, env *domains.Env, roles []string, staff bool) (caller, error) {
	if env.Subject == "" {
		kind := "public"
		if staff {
			kind = "staff"
		}
		name := domains.OneOf(r, givenNames) + " " + domains.OneOf(r, familyNames)
		return caller{kind + "/" + name, fmt.Sprintf("%s, %s, %s.", name, domains.OneOf(r, roles), domains.OneOf(r, manners))}, nil
	}
	kind, name, _ := strings.Cut(env.Subject, "/")
	switch {
	case kind == "staff":
		roles = verifiers
	case kind != "public" || staff:
		return caller{}, domains.ErrNoCandidate
	}
	return caller{env.Subject, fmt.Sprintf("%s, %s, %s.", name, domains.OneOf(r, roles), domains.OneOf(r, manners))}, nil
}

func num(x float64) string { return py.FormatFloat(x) }

func label(l *Location) string { return l.Name.City + ", " + l.Name.State + ", " + l.Name.Country }

// place is how a user names a location: by its id, or by its label when list_all_locations
// lets the agent find the id.
type place struct {
	key   string // table key, which the tools take
	loc   *Location
	known string      // what the user says about it
	find  []task.Call // the calls that find its id
	name  string      // a short name for the text
}

// locate describes location key for the user; a unique label whose listed id is the key may
// be given instead of the id.
func locate(r *rand.Rand, db *DB, key string) place {
	l, _ := db.Locations.Get(key)
	p := place{key: key, loc: l, name: l.Name.City}
	n := 0
	for o := range db.Locations.Values() {
		if label(o) == label(l) {
			n++
		}
	}
	if n == 1 && l.LocationID == key && r.IntN(2) == 0 {
		p.known = fmt.Sprintf("You want the weather service's location %q; you do not know its location id.", label(l))
		p.find = []task.Call{task.NewCall("list_all_locations")}
		return p
	}
	p.known = domains.Choose(r,
		fmt.Sprintf("The location id of %s is %s.", l.Name.City, key),
		fmt.Sprintf("You looked it up earlier: %s, %s has location id %s.", l.Name.City, l.Name.State, key),
		fmt.Sprintf("The service lists %s under location id %s.", l.Name.City, key),
	)
	return p
}

func userRules(r *rand.Rand) string {
	return domains.Choose(r,
		"Do not ask for advice on what to do; you only want the data.",
		"Do not volunteer details the agent has not asked for.",
		"Keep the conversation short.",
		"Thank the agent once you have the figures.",
		"Ask the agent to repeat the numbers if they are not stated clearly.",
	)
}

// ---- read-only intents ----

func draftLocationsForCity(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, askers, false)
	if err != nil {
		return nil, err
	}
	db := db(env)
	byCity := map[string][]*Location{}
	var cities []string
	for l := range db.Locations.Values() {
		if _, seen := byCity[l.Name.City]; !seen {
			cities = append(cities, l.Name.City)
		}
		byCity[l.Name.City] = append(byCity[l.Name.City], l)
	}
	cities = slices.DeleteFunc(cities, func(c string) bool { return len(byCity[c]) > 3 })
	if len(cities) == 0 {
		return nil, domains.ErrNoCandidate
	}
	city := domains.OneOf(r, cities)
	var ids []string
	for _, l := range byCity[city] {
		ids = append(ids, l.LocationID)
	}
	several := ""
	if len(ids) > 1 {
		several = " If there is more than one, you want all of them."
	}
	return &task.Draft{
		Intent:  "locations_for_city",
		Purpose: "List the service's locations and tell the user the location id(s) of a city.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know whether the service covers %s and under which location id.", city),
			fmt.Sprintf("You need the location id the service uses for %s so you can look it up later.", city),
			fmt.Sprintf("You are setting up a spreadsheet and need the service's location id(s) for %s.", city),
		),
		KnownInfo:        fmt.Sprintf("The city is %s, %s.", city, byCity[city][0].Name.State),
		UnknownInfo:      "You do not know the service's location ids.",
		TaskInstructions: "Ask for the location id(s) of the city." + several + " " + userRules(r),
		Actions:          []task.Call{task.NewCall("list_all_locations")},
		CommunicateInfo:  ids,
		NLAssertions: []string{
			fmt.Sprintf("The agent tells the user the location id(s) listed for %s: %s.", city, strings.Join(ids, ", ")),
		},
	}, nil
}

// locationsWith returns the keys of the locations for which ok holds, in table order.
func locationsWith(db *DB, ok func(key string, l *Location) bool) []string {
	var keys []string
	for k, l := range db.Locations.All() {
		if ok(k, l) {
			keys = append(keys, k)
		}
	}
	return keys
}

func draftCurrentConditions(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return draftConditions(r, env, false)
}

func draftRefuseProfileChange(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	return draftConditions(r, env, true)
}

// draftConditions asks for the current conditions at a location; with profile set, the user
// also asks for a profile change that no tool supports.
func draftConditions(r *rand.Rand, env *domains.Env, profile bool) (*task.Draft, error) {
	c, err := callerOf(r, env, askers, false)
	if err != nil {
		return nil, err
	}
	db := db(env)
	keys := locationsWith(db, func(k string, _ *Location) bool { return len(observationsOf(env, k)) > 0 })
	if len(keys) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := locate(r, db, domains.OneOf(r, keys))
	get := task.NewCall("get_current_conditions", "location_id", p.key)
	res := env.Call(get.Name, get.Arguments)
	o, _ := res.Output.(*Observation)
	if !res.OK() || o == nil {
		return nil, domains.ErrNoCandidate
	}
	temp, hum := num(o.Variables.TemperatureC), fmt.Sprint(o.Variables.HumidityPct)
	d := &task.Draft{
		Intent:      "current_conditions",
		Purpose:     "Report the latest observed temperature and humidity at a location.",
		Subject:     c.subject,
		Persona:     c.persona,
		KnownInfo:   p.known,
		UnknownInfo: "You do not know the current conditions.",
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know the current temperature and humidity in %s.", p.name),
			fmt.Sprintf("You are about to head out in %s and want the latest observed temperature and humidity.", p.name),
			fmt.Sprintf("You want the most recent station report for %s: temperature and humidity.", p.name),
		),
		TaskInstructions: domains.Choose(r,
			"Ask for the temperature first, then the humidity.",
			"Ask for both values at once.",
			"Ask which station the report comes from if the agent does not say.",
		) + " " + userRules(r),
		Actions:         append(slicesClone(p.find), get),
		CommunicateInfo: []string{temp, hum},
		NLAssertions: []string{
			fmt.Sprintf("The agent reports a temperature of %s °C and a humidity of %s%% for %s.", temp, hum, p.name),
		},
	}
	if profile {
		want := domains.OneOf(r, []struct{ ask, what string }{
			{fmt.Sprintf("add %s to your saved locations", p.name), "saved location"},
			{"upgrade your membership to the premium plan", "membership upgrade"},
			{fmt.Sprintf("subscribe you to severe-weather alerts for %s", p.name), "alert subscription"},
			{"change the email address on your profile", "profile change"},
		})
		d.Intent = "refuse_profile_change"
		d.Purpose = "Serve a weather question but decline a profile request (" + want.what + ") that no tool supports."
		d.ReasonForCall = fmt.Sprintf("You want the service to %s, and you also want the current temperature and humidity in %s.", want.ask, p.name)
		d.KnownInfo += domains.Choose(r, " Your user id is u-"+fmt.Sprint(10000+r.IntN(90000))+".", " You have had an account with the service for two years.")
		d.TaskInstructions = "Ask for the profile change first. If the agent says it cannot do it, accept that, and do not ask for a human. Then ask for the weather. " + userRules(r)
		d.NLAssertions = []string{
			"The agent does not claim to have made the profile change and explains that it cannot handle it.",
			fmt.Sprintf("The agent reports the current temperature %s °C in %s.", temp, p.name),
		}
	}
	return d, nil
}

func slicesClone(c []task.Call) []task.Call { return append([]task.Call(nil), c...) }

// withHourly returns (location key, forecast) pairs of forecasts that have hourly entries.
func forecastsOf(db *DB, ok func(f *Forecast) bool) []*Forecast {
	var out []*Forecast
	for f := range db.Forecasts.Values() {
		if _, found := db.Locations.Get(f.LocationID); found && ok(f) {
			out = append(out, f)
		}
	}
	return out
}

func hhmm(ts string) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	return t.UTC().Format("15:04") + " UTC on " + t.UTC().Format("2 January")
}

func draftHourlyWindow(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, askers, false)
	if err != nil {
		return nil, err
	}
	db := db(env)
	fs := forecastsOf(db, func(f *Forecast) bool { return len(f.Hourly) > 0 })
	if len(fs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	f := domains.OneOf(r, fs)
	i := r.IntN(len(f.Hourly))
	j := min(len(f.Hourly)-1, i+r.IntN(3))
	start, end := f.Hourly[i].TimeUTC, f.Hourly[j].TimeUTC
	p := locate(r, db, f.LocationID)
	get := task.NewCall("get_hourly_forecast_window", "location_id", p.key, "start_utc", start, "end_utc", end)
	res := env.Call(get.Name, get.Arguments)
	entries, _ := res.Output.([]*HourlyForecastEntry)
	if !res.OK() || len(entries) == 0 || len(entries) > 3 {
		return nil, domains.ErrNoCandidate
	}
	var info, said []string
	for _, e := range entries {
		t := num(e.TemperatureC)
		if !slices.Contains(info, t) {
			info = append(info, t)
		}
		said = append(said, fmt.Sprintf("%s °C at %s", t, e.TimeUTC))
	}
	window := fmt.Sprintf("from %s to %s", start, end)
	if start == end {
		window = "for " + start
	}
	return &task.Draft{
		Intent:  "hourly_window",
		Purpose: "Give the forecast temperatures of a location for a window of hours.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want the hourly forecast temperatures in %s %s.", p.name, window),
			fmt.Sprintf("You are planning an outdoor activity in %s around %s and want the forecast temperature hour by hour.", p.name, hhmm(start)),
			fmt.Sprintf("You need the forecast temperature in %s for each hour %s.", p.name, window),
		),
		KnownInfo:   p.known + fmt.Sprintf(" The window, in UTC, is %s.", window),
		UnknownInfo: "You do not know which forecast model the service uses.",
		TaskInstructions: domains.Choose(r,
			"Give the times in UTC exactly as in your known information.",
			"If the agent asks for the time zone, say the times are UTC.",
		) + " " + userRules(r),
		Actions:         append(slicesClone(p.find), get),
		CommunicateInfo: info,
		NLAssertions: []string{
			fmt.Sprintf("The agent reports the forecast temperatures %s.", strings.Join(said, ", ")),
		},
	}, nil
}

// dailyPick chooses a forecast date of a location and reads its merged daily entry.
func dailyPick(r *rand.Rand, env *domains.Env) (place, string, task.Call, *DailyForecastEntry, error) {
	db := db(env)
	fs := forecastsOf(db, func(f *Forecast) bool { return len(f.Daily) > 0 })
	if len(fs) == 0 {
		return place{}, "", task.Call{}, nil, domains.ErrNoCandidate
	}
	f := domains.OneOf(r, fs)
	date := domains.OneOf(r, f.Daily).Date
	p := locate(r, db, f.LocationID)
	get := task.NewCall("get_daily_forecast_range", "location_id", p.key, "start_date", date, "end_date", date)
	res := env.Call(get.Name, get.Arguments)
	entries, _ := res.Output.([]*DailyForecastEntry)
	if !res.OK() || len(entries) != 1 {
		return place{}, "", task.Call{}, nil, domains.ErrNoCandidate
	}
	return p, date, get, entries[0], nil
}

func longDate(date string) string {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	return t.Format("Monday 2 January 2006")
}

func draftDailyForecast(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, askers, false)
	if err != nil {
		return nil, err
	}
	p, date, get, e, err := dailyPick(r, env)
	if err != nil {
		return nil, err
	}
	lo, hi, pop := num(e.TempMinC), num(e.TempMaxC), fmt.Sprint(e.Precipitation.ProbabilityPct)
	return &task.Draft{
		Intent:  "daily_forecast",
		Purpose: "Give the forecast low, high and chance of precipitation of a location for one date.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want the forecast for %s on %s: low, high and chance of rain.", p.name, longDate(date)),
			fmt.Sprintf("You have an event in %s on %s and want the forecast minimum and maximum temperature and the chance of precipitation.", p.name, date),
			fmt.Sprintf("You are checking the daily forecast for %s on %s.", p.name, date),
		),
		KnownInfo:   p.known + fmt.Sprintf(" The date is %s.", date),
		UnknownInfo: "You do not know the forecast.",
		TaskInstructions: domains.Choose(r,
			"Ask for the low and the high, then for the chance of precipitation.",
			"Ask for all three numbers together.",
		) + " " + userRules(r),
		Actions:         append(slicesClone(p.find), get),
		CommunicateInfo: []string{lo, hi},
		NLAssertions: []string{
			fmt.Sprintf("The agent reports a forecast low of %s °C, a high of %s °C and a precipitation chance of %s%% for %s.", lo, hi, pop, date),
		},
	}, nil
}

func draftTemperatureSpread(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, askers, false)
	if err != nil {
		return nil, err
	}
	p, date, get, e, err := dailyPick(r, env)
	if err != nil {
		return nil, err
	}
	operand := func(x float64) string {
		if x < 0 {
			return "(" + num(x) + ")"
		}
		return num(x)
	}
	calc := task.NewCall("calculate", "expression", operand(e.TempMaxC)+" - "+operand(e.TempMinC))
	res := env.Call(calc.Name, calc.Arguments)
	spread, ok := res.Output.(string)
	if !res.OK() || !ok {
		return nil, domains.ErrNoCandidate
	}
	return &task.Draft{
		Intent:  "temperature_spread",
		Purpose: "Compute the difference between the forecast high and low of a location for one date.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know how big the swing between the forecast high and low in %s is on %s.", p.name, date),
			fmt.Sprintf("You are comparing day and night temperatures in %s and want the forecast high minus the low for %s.", p.name, date),
		),
		KnownInfo:   p.known + fmt.Sprintf(" The date is %s.", date),
		UnknownInfo: "You do not know the forecast high and low.",
		TaskInstructions: domains.Choose(r,
			"Ask for the difference between the high and the low in degrees Celsius.",
			"Ask for the high, the low and the difference between them.",
		) + " " + userRules(r),
		Actions:         append(slicesClone(p.find), get, calc),
		CommunicateInfo: []string{spread},
		NLAssertions: []string{
			fmt.Sprintf("The agent uses the calculate tool and reports a difference of %s °C between the high (%s °C) and the low (%s °C).", spread, num(e.TempMaxC), num(e.TempMinC)),
		},
	}, nil
}

const isoZ = "2006-01-02T15:04:05Z"

func draftObservationsWindow(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, askers, false)
	if err != nil {
		return nil, err
	}
	db := db(env)
	type cand struct {
		key string
		o   *Observation
		t   time.Time
	}
	var cands []cand
	for o := range db.Observations.Values() {
		if o.LocationID == nil {
			continue
		}
		if _, ok := db.Locations.Get(*o.LocationID); !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339, o.TimestampUTC)
		if err != nil || !strings.HasSuffix(o.TimestampUTC, "Z") {
			continue
		}
		cands = append(cands, cand{*o.LocationID, o, t})
	}
	if len(cands) == 0 {
		return nil, domains.ErrNoCandidate
	}
	x := domains.OneOf(r, cands)
	before := time.Duration(r.IntN(4)) * 30 * time.Minute
	after := time.Duration(1+r.IntN(4)) * 30 * time.Minute
	start, end := x.t.Add(-before).Format(isoZ), x.t.Add(after).Format(isoZ)
	p := locate(r, db, x.key)
	args := []any{"location_id", p.key, "start_utc", start, "end_utc", end}
	qc := ""
	if r.IntN(2) == 0 {
		args = append(args, "qc_filter", x.o.QualityControl.QCFlag)
		qc = fmt.Sprintf(" You only want observations whose quality-control flag is %q.", x.o.QualityControl.QCFlag)
	}
	get := task.NewCall("get_observations", args...)
	res := env.Call(get.Name, get.Arguments)
	obs, _ := res.Output.([]*Observation)
	if !res.OK() || len(obs) == 0 || len(obs) > 3 {
		return nil, domains.ErrNoCandidate
	}
	var info, said []string
	for _, o := range obs {
		t := num(o.Variables.TemperatureC)
		for _, s := range []string{o.StationID, t} {
			if !slices.Contains(info, s) {
				info = append(info, s)
			}
		}
		said = append(said, fmt.Sprintf("%s °C at station %s (%s)", t, o.StationID, o.TimestampUTC))
	}
	return &task.Draft{
		Intent:  "observations_window",
		Purpose: "List the station observations of a location within a time window, optionally by quality flag.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want the station observations for %s between %s and %s.", p.name, start, end),
			fmt.Sprintf("You are checking what the stations near %s measured between %s and %s.", p.name, start, end),
		),
		KnownInfo:   p.known + fmt.Sprintf(" Window: %s to %s (UTC).", start, end) + qc,
		UnknownInfo: "You do not know which stations report for the location.",
		TaskInstructions: domains.Choose(r,
			"Ask for the temperature and the station of each observation.",
			"Ask which stations reported and what temperature each measured.",
		) + " " + userRules(r),
		Actions:         append(slicesClone(p.find), get),
		CommunicateInfo: info,
		NLAssertions: []string{
			"The agent reports the observations: " + strings.Join(said, "; ") + ".",
		},
	}, nil
}

func draftForecastsByModel(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, append([]string{"a meteorology student comparing weather models"}, askers...), false)
	if err != nil {
		return nil, err
	}
	db := db(env)
	fs := forecastsOf(db, func(*Forecast) bool { return true })
	if len(fs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	f := domains.OneOf(r, fs)
	p := locate(r, db, f.LocationID)
	get := task.NewCall("search_forecasts", "location_id", p.key, "source_model", f.SourceModel)
	res := env.Call(get.Name, get.Arguments)
	found, _ := res.Output.([]*Forecast)
	if !res.OK() || len(found) == 0 || len(found) > 3 {
		return nil, domains.ErrNoCandidate
	}
	var ids []string
	for _, x := range found {
		ids = append(ids, x.ForecastID)
	}
	return &task.Draft{
		Intent:  "forecasts_by_model",
		Purpose: "Find a location's forecasts from one source model and report their ids and issue time.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know which %s forecasts the service has for %s and when the latest was issued.", f.SourceModel, p.name),
			fmt.Sprintf("You are comparing models and need the ids of the %s forecasts for %s, with the issue time of the newest.", f.SourceModel, p.name),
		),
		KnownInfo:   p.known + fmt.Sprintf(" The model is %s.", f.SourceModel),
		UnknownInfo: "You do not know the forecast ids.",
		TaskInstructions: domains.Choose(r,
			"Ask for the forecast ids and the issue time of the most recent one.",
			"Ask for the ids first, then when the newest one was issued.",
		) + " " + userRules(r),
		Actions:         append(slicesClone(p.find), get),
		CommunicateInfo: append(ids, found[0].IssuedAtUTC),
		NLAssertions: []string{
			fmt.Sprintf("The agent lists the %s forecast id(s) %s and says the newest was issued at %s.", f.SourceModel, strings.Join(ids, ", "), found[0].IssuedAtUTC),
		},
	}, nil
}

var monthNames = map[string]string{"JAN": "January", "FEB": "February", "MAR": "March", "APR": "April", "MAY": "May", "JUN": "June",
	"JUL": "July", "AUG": "August", "SEP": "September", "OCT": "October", "NOV": "November", "DEC": "December"}

func draftClimateNormal(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, append([]string{"someone thinking of moving to a new city", "a travel blogger"}, askers...), false)
	if err != nil {
		return nil, err
	}
	db := db(env)
	keys := locationsWith(db, func(_ string, l *Location) bool { return l.ClimateNormals.Len() > 0 })
	if len(keys) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := locate(r, db, domains.OneOf(r, keys))
	month := domains.OneOf(r, p.loc.ClimateNormals.Keys())
	m, _ := p.loc.ClimateNormals.Get(month)
	name := monthNames[month]
	if name == "" {
		name = month
	}
	hi, lo := num(m.AvgHighC), num(m.AvgLowC)
	info := []string{hi, lo}
	extra, said := "", ""
	if r.IntN(2) == 0 {
		info = append(info, num(m.PrecipMM))
		extra = " and the average precipitation"
		said = fmt.Sprintf(" and %s mm of precipitation", num(m.PrecipMM))
	}
	return &task.Draft{
		Intent:  "climate_normal",
		Purpose: "Report a location's climate normals for one month.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know how warm %s usually is in %s: the average high and low%s.", p.name, name, extra),
			fmt.Sprintf("You are planning a trip to %s in %s and want the climate averages: high, low%s.", p.name, name, extra),
		),
		KnownInfo:   p.known + fmt.Sprintf(" The month is %s.", name),
		UnknownInfo: "You do not know the climate normals.",
		TaskInstructions: domains.Choose(r,
			"You want long-term averages, not a forecast.",
			"If the agent offers a forecast, say you want the monthly averages instead.",
		) + " " + userRules(r),
		Actions:         append(slicesClone(p.find), task.NewCall("get_location_details", "location_id", p.key)),
		CommunicateInfo: info,
		NLAssertions: []string{
			fmt.Sprintf("The agent reports an average high of %s °C and an average low of %s °C%s for %s in %s.", hi, lo, said, p.name, name),
		},
	}, nil
}

func draftSunTimes(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, askers, false)
	if err != nil {
		return nil, err
	}
	db := db(env)
	keys := locationsWith(db, func(_ string, l *Location) bool { return l.SunTimes.Len() > 0 })
	if len(keys) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := locate(r, db, domains.OneOf(r, keys))
	date := domains.OneOf(r, p.loc.SunTimes.Keys())
	s, _ := p.loc.SunTimes.Get(date)
	return &task.Draft{
		Intent:  "sun_times",
		Purpose: "Report the local sunrise and sunset times of a location on a date.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want the sunrise and sunset times in %s on %s.", p.name, longDate(date)),
			fmt.Sprintf("You are planning a photo shoot in %s on %s and need to know when the sun rises and sets.", p.name, date),
		),
		KnownInfo:   p.known + fmt.Sprintf(" The date is %s.", date),
		UnknownInfo: "You do not know the sun times.",
		TaskInstructions: domains.Choose(r,
			"Ask for local times.",
			"Ask for sunrise first, then sunset; ask also how long the day is if the agent knows.",
		) + " " + userRules(r),
		Actions:         append(slicesClone(p.find), task.NewCall("get_location_details", "location_id", p.key)),
		CommunicateInfo: []string{s.SunriseLocal, s.SunsetLocal},
		NLAssertions: []string{
			fmt.Sprintf("The agent says that on %s the sun rises at %s and sets at %s local time in %s.", date, s.SunriseLocal, s.SunsetLocal, p.name),
		},
	}, nil
}

func draftLocationProfile(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, append([]string{"a developer building a small weather dashboard"}, askers...), false)
	if err != nil {
		return nil, err
	}
	db := db(env)
	keys := locationsWith(db, func(_ string, l *Location) bool { return len(l.NearbyStationIDs) > 0 && len(l.NearbyStationIDs) <= 5 })
	if len(keys) == 0 {
		return nil, domains.ErrNoCandidate
	}
	p := locate(r, db, domains.OneOf(r, keys))
	info := append([]string{p.loc.Timezone}, p.loc.NearbyStationIDs...)
	return &task.Draft{
		Intent:  "location_profile",
		Purpose: "Report a location's timezone and nearby observation stations.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to know which time zone the service uses for %s and which weather stations are near it.", p.name),
			fmt.Sprintf("You need the station ids near %s and the location's time zone for your own records.", p.name),
		),
		KnownInfo:   p.known,
		UnknownInfo: "You do not know the station ids or the time zone name the service uses.",
		TaskInstructions: domains.Choose(r,
			"Ask for every nearby station id.",
			"Ask for the time zone first, then the list of stations.",
		) + " " + userRules(r),
		Actions:         append(slicesClone(p.find), task.NewCall("get_location_details", "location_id", p.key)),
		CommunicateInfo: info,
		NLAssertions: []string{
			fmt.Sprintf("The agent reports the time zone %s and the nearby stations %s.", p.loc.Timezone, strings.Join(p.loc.NearbyStationIDs, ", ")),
		},
	}, nil
}

// ---- forecast verification ----

var (
	observedNotes = []string{
		"Dry all day; sea breeze in the afternoon.", "Scattered showers in the late afternoon.",
		"High ran warmer than forecast.", "Low slightly cooler than forecast.",
		"Within 1C of forecast; dry as expected.", "Thunderstorm totals higher than forecast.",
		"Morning fog, then sunny.", "Gusty winds behind a cold front.",
	}
	revisedNotes = []string{
		"Revised after late station reports.", "Corrected after the official climate summary.",
		"Revised: precipitation gauge reading corrected.", "Updated with quality-controlled station data.",
	}
)

// verifiable is a forecast date that can be verified: one the forecast covers or already
// records.
type verifiable struct {
	f    *Forecast
	key  string // forecast table key
	date string
	prev *VerificationEntry // the current record for the date, if any
	day  *DailyForecastEntry
}

// verifiables lists the forecast dates whose current record has one of the statuses (""
// means a covered date with no record yet).
func verifiables(db *DB, statuses ...string) []verifiable {
	var out []verifiable
	for key, f := range db.Forecasts.All() {
		days := map[string]*DailyForecastEntry{}
		for i := range f.Daily {
			days[f.Daily[i].Date] = &f.Daily[i]
		}
		for _, date := range f.VerificationByDate.Keys() {
			v, _ := f.VerificationByDate.Get(date)
			if slices.Contains(statuses, v.Status) {
				out = append(out, verifiable{f, key, date, v, days[date]})
			}
		}
		if slices.Contains(statuses, "") {
			for i := range f.Daily {
				if _, done := f.VerificationByDate.Get(f.Daily[i].Date); !done {
					out = append(out, verifiable{f, key, f.Daily[i].Date, nil, &f.Daily[i]})
				}
			}
		}
	}
	return out
}

// observed makes up plausible observed values for a forecast date: near the forecast when
// there is one, else near the previous record or the location's September normals.
func observed(r *rand.Rand, db *DB, v verifiable) (hi, lo, precip float64) {
	switch {
	case v.day != nil:
		hi, lo = v.day.TempMaxC, v.day.TempMinC
	case v.prev != nil && v.prev.Status != "pending":
		hi, lo = v.prev.ActualHighC, v.prev.ActualLowC
	default:
		hi, lo = 25, 15
		if l, ok := db.Locations.Get(v.f.LocationID); ok {
			if m, ok := l.ClimateNormals.Get("SEP"); ok {
				hi, lo = m.AvgHighC, m.AvgLowC
			}
		}
	}
	half := func(x float64) float64 { return math.Round(x*2) / 2 }
	hi = half(hi + float64(r.IntN(7)-3)*0.5)
	lo = half(lo + float64(r.IntN(7)-3)*0.5)
	if lo > hi {
		hi, lo = lo, hi
	}
	if r.IntN(2) == 0 {
		precip = float64(r.IntN(60)) / 10
	}
	return hi, lo, precip
}

func verifyCall(v verifiable, hi, lo, precip float64, notes, status string) task.Call {
	return task.NewCall("verify_forecast_for_date", "forecast_id", v.key, "date", v.date, "actual_high_c", hi,
		"actual_low_c", lo, "actual_precip_mm", precip, "notes", notes, "status", status)
}

func readBack(r *rand.Rand) string {
	return domains.Choose(r,
		"When the agent reads the values back, check them and answer \"yes\".",
		"Confirm with a clear yes once the agent has repeated every value.",
		"If the agent asks for confirmation, say yes.",
	)
}

func draftVerifyForecast(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, verifiers, true)
	if err != nil {
		return nil, err
	}
	db := db(env)
	vs := verifiables(db, "", "pending")
	if len(vs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	v := domains.OneOf(r, vs)
	hi, lo, precip := observed(r, db, v)
	notes := domains.OneOf(r, observedNotes)
	return &task.Draft{
		Intent:  "verify_forecast",
		Purpose: "Record the observed high, low and precipitation as the verification of a forecast date, after read-back and confirmation.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want to record the verification of forecast %s for %s with what was actually observed.", v.key, v.date),
			fmt.Sprintf("The observations for %s are in, and you want forecast %s marked as verified with them.", v.date, v.key),
			fmt.Sprintf("You are closing out %s and need the verification of forecast %s entered.", v.date, v.key),
		),
		KnownInfo: fmt.Sprintf("Forecast id: %s. Date: %s. Observed high %s °C, low %s °C, precipitation %s mm. Notes: %q. Status: verified.",
			v.key, v.date, num(hi), num(lo), num(precip), notes),
		UnknownInfo: "You do not know what the forecast predicted for that date.",
		TaskInstructions: domains.Choose(r,
			"Give the values when the agent asks for them.",
			"Give all values in one message.",
			"Give the forecast id and date first, then the observed values.",
		) + " " + readBack(r),
		Actions: []task.Call{
			task.NewCall("get_forecast_details", "forecast_id", v.key),
			verifyCall(v, hi, lo, precip, notes, "verified"),
		},
		NLAssertions: []string{
			"The agent reads back the forecast id, date, observed values, notes and status and waits for an explicit yes before recording.",
		},
	}, nil
}

// draftReviseVerification drafts a correction of a recorded verification. It follows only
// questions: a caller does not correct what they just entered.
func draftReviseVerification(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	if err := domains.FirstRequest(env); err != nil {
		return nil, err
	}
	c, err := callerOf(r, env, verifiers, true)
	if err != nil {
		return nil, err
	}
	db := db(env)
	vs := verifiables(db, "verified", "revised")
	if len(vs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	v := domains.OneOf(r, vs)
	hi, lo, precip := observed(r, db, v)
	if hi == v.prev.ActualHighC && lo == v.prev.ActualLowC {
		hi += 0.5
	}
	notes := domains.OneOf(r, revisedNotes)
	return &task.Draft{
		Intent:  "revise_verification",
		Purpose: "Replace an existing forecast verification with corrected observed values and status revised.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("The verification recorded for forecast %s on %s is wrong; you have corrected observations and want it revised.", v.key, v.date),
			fmt.Sprintf("Late station reports changed the observed values for %s; the verification of forecast %s must be revised.", v.date, v.key),
		),
		KnownInfo: fmt.Sprintf("Forecast id: %s. Date: %s. Corrected values: high %s °C, low %s °C, precipitation %s mm. Notes: %q. The status should be revised.",
			v.key, v.date, num(hi), num(lo), num(precip), notes),
		UnknownInfo: "You do not remember exactly what was recorded before.",
		TaskInstructions: domains.Choose(r,
			"Ask the agent what is currently recorded before giving the corrections.",
			"Give the corrected values straight away.",
		) + " " + readBack(r),
		Actions: []task.Call{
			task.NewCall("get_forecast_details", "forecast_id", v.key),
			verifyCall(v, hi, lo, precip, notes, "revised"),
		},
		NLAssertions: []string{
			fmt.Sprintf("The agent confirms the corrected values for %s with the user before replacing the verification.", v.date),
			"The agent records the status as revised.",
		},
	}, nil
}

func draftVerifyTwoDates(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, verifiers, true)
	if err != nil {
		return nil, err
	}
	db := db(env)
	byForecast := map[string][]verifiable{}
	var keys []string
	for _, v := range verifiables(db, "", "pending") {
		if _, seen := byForecast[v.key]; !seen {
			keys = append(keys, v.key)
		}
		byForecast[v.key] = append(byForecast[v.key], v)
	}
	keys = slices.DeleteFunc(keys, func(k string) bool { return len(byForecast[k]) < 2 })
	if len(keys) == 0 {
		return nil, domains.ErrNoCandidate
	}
	vs := byForecast[domains.OneOf(r, keys)]
	i := r.IntN(len(vs))
	j := (i + 1 + r.IntN(len(vs)-1)) % len(vs)
	a, b := vs[min(i, j)], vs[max(i, j)]
	ahi, alo, ap := observed(r, db, a)
	bhi, blo, bp := observed(r, db, b)
	an, bn := domains.OneOf(r, observedNotes), domains.OneOf(r, observedNotes)
	return &task.Draft{
		Intent:  "verify_two_dates",
		Purpose: "Record the verification of one forecast for two dates, each confirmed before it is written.",
		Subject: c.subject,
		Persona: c.persona,
		ReasonForCall: domains.Choose(r,
			fmt.Sprintf("You want forecast %s verified for both %s and %s.", a.key, a.date, b.date),
			fmt.Sprintf("You have observations for %s and %s and want both recorded as verifications of forecast %s.", a.date, b.date, a.key),
		),
		KnownInfo: fmt.Sprintf("Forecast id: %s. %s: high %s °C, low %s °C, precipitation %s mm, notes %q. %s: high %s °C, low %s °C, precipitation %s mm, notes %q. Both with status verified.",
			a.key, a.date, num(ahi), num(alo), num(ap), an, b.date, num(bhi), num(blo), num(bp), bn),
		UnknownInfo:      "You do not know what the forecast predicted.",
		TaskInstructions: fmt.Sprintf("Give the values for %s first, then those for %s. ", a.date, b.date) + readBack(r),
		Actions: []task.Call{
			task.NewCall("get_forecast_details", "forecast_id", a.key),
			verifyCall(a, ahi, alo, ap, an, "verified"),
			verifyCall(b, bhi, blo, bp, bn, "verified"),
		},
		NLAssertions: []string{
			"The agent confirms the values of each date with the user before recording it.",
			fmt.Sprintf("The agent records verifications for both %s and %s.", a.date, b.date),
		},
	}, nil
}

func draftVerifyAndCompare(r *rand.Rand, env *domains.Env) (*task.Draft, error) {
	c, err := callerOf(r, env, verifiers, true)
	if err != nil {
		return nil, err
	}
	db := db(env)
	vs := slices.DeleteFunc(verifiables(db, "", "pending"), func(v verifiable) bool { return v.day == nil })
	if len(vs) == 0 {
		return nil, domains.ErrNoCandidate
	}
	v := domains.OneOf(r, vs)
	hi, lo, precip := observed(r, db, v)
	notes := domains.OneOf(r, observedNotes)
	operand := func(x float64) string {
		if x < 0 {
			return "(" + num(x) + ")"
		}
		return num(x)
	}
	calc := task.NewCall("calculate", "expression", operand(hi)+" - "+operand(v.day.TempMaxC))
	res := env.Call(calc.Name, calc.Arguments)
	diff, ok := res.Output.(string)
	if !res.OK() || !ok {
		return nil, domains.ErrNoCandidate
	}
	return &task.Draft{
		Intent:        "verify_and_compare",
		Purpose:       "Record a forecast verification, then compute how far the observed high was from the forecast high.",
		Subject:       c.subject,
		Persona:       c.persona,
		ReasonForCall: fmt.Sprintf("You want to record the verification of forecast %s for %s and learn how far off its forecast high was.", v.key, v.date),
		KnownInfo: fmt.Sprintf("Forecast id: %s. Date: %s. Observed high %s °C, low %s °C, precipitation %s mm. Notes: %q. Status: verified.",
			v.key, v.date, num(hi), num(lo), num(precip), notes),
		UnknownInfo: "You do not know the forecast high for that date.",
		TaskInstructions: "First have the verification recorded. " + readBack(r) +
			" Then ask for the observed high minus the forecast high, in °C.",
		Actions: []task.Call{
			task.NewCall("get_forecast_details", "forecast_id", v.key),
			verifyCall(v, hi, lo, precip, notes, "verified"),
			calc,
		},
		CommunicateInfo: []string{diff},
		NLAssertions: []string{
			"The agent waits for the user's explicit confirmation before recording the verification.",
			fmt.Sprintf("The agent reports that the observed high differs from the forecast high (%s °C) by %s °C.", num(v.day.TempMaxC), diff),
		},
	}, nil
}
