package weather

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/toolscale/toolscale/domains"
)

// A city is the climate sketch the generator draws locations from: position, timezone,
// stations and the January and July normals that the monthly table interpolates.
type city struct {
	name, state      string
	lat, lon, elev   float64
	tz               string
	utcOffset        int  // standard time, hours
	dst              bool // observes daylight saving time
	stations         []string
	janHi, janLo     float64
	julHi, julLo     float64
	precipMM, snowCM float64 // yearly totals
}

var cities = []city{
	{"Boston", "MA", 42.3601, -71.0589, 43, "America/New_York", -5, true, []string{"KBOS", "KOWD", "KBED", "KBVY"}, 2.0, -5.5, 28.3, 18.9, 1120, 110},
	{"New York", "NY", 40.7128, -74.006, 10, "America/New_York", -5, true, []string{"KNYC", "KLGA", "KJFK", "KEWR"}, 4.0, -2.5, 29.5, 21.5, 1200, 70},
	{"Philadelphia", "PA", 39.9526, -75.1652, 12, "America/New_York", -5, true, []string{"KPHL", "KPNE", "KTTN"}, 5.0, -2.5, 31.0, 21.5, 1060, 55},
	{"Washington", "DC", 38.9072, -77.0369, 22, "America/New_York", -5, true, []string{"KDCA", "KIAD", "KBWI", "KADW"}, 7.0, -1.0, 31.5, 22.5, 1050, 35},
	{"Baltimore", "MD", 39.2904, -76.6122, 45, "America/New_York", -5, true, []string{"KBWI", "KDMH", "KMTN"}, 6.0, -3.0, 31.5, 20.5, 1070, 50},
	{"Pittsburgh", "PA", 40.4406, -79.9959, 230, "America/New_York", -5, true, []string{"KPIT", "KAGC", "KBTP"}, 2.0, -6.0, 28.5, 17.0, 990, 105},
	{"Cleveland", "OH", 41.4993, -81.6944, 199, "America/New_York", -5, true, []string{"KCLE", "KBKL", "KCGF"}, 1.5, -6.0, 28.0, 17.5, 990, 170},
	{"Columbus", "OH", 39.9612, -82.9988, 275, "America/New_York", -5, true, []string{"KCMH", "KOSU", "KLCK"}, 3.0, -5.5, 29.5, 18.5, 1030, 65},
	{"Cincinnati", "OH", 39.1031, -84.512, 147, "America/New_York", -5, true, []string{"KCVG", "KLUK", "KHAO"}, 4.5, -4.5, 30.5, 19.0, 1070, 55},
	{"Detroit", "MI", 42.3314, -83.0458, 190, "America/Detroit", -5, true, []string{"KDTW", "KDET", "KYIP"}, 0.0, -7.0, 28.5, 17.5, 850, 110},
	{"Charlotte", "NC", 35.2271, -80.8431, 229, "America/New_York", -5, true, []string{"KCLT", "KJQF", "KEQY"}, 10.5, -0.5, 32.0, 21.0, 1080, 10},
	{"Raleigh", "NC", 35.7796, -78.6382, 96, "America/New_York", -5, true, []string{"KRDU", "KTTA", "KLHZ"}, 10.5, -1.0, 32.0, 20.5, 1120, 15},
	{"Atlanta", "GA", 33.749, -84.388, 320, "America/New_York", -5, true, []string{"KATL", "KPDK", "KFTY", "KRYY"}, 12.0, 1.5, 32.0, 22.0, 1270, 5},
	{"Jacksonville", "FL", 30.3322, -81.6557, 5, "America/New_York", -5, true, []string{"KJAX", "KCRG", "KNIP"}, 18.5, 5.5, 33.0, 23.0, 1330, 0},
	{"Orlando", "FL", 28.5383, -81.3792, 25, "America/New_York", -5, true, []string{"KMCO", "KORL", "KSFB"}, 22.0, 9.5, 33.0, 23.5, 1300, 0},
	{"Tampa", "FL", 27.9506, -82.4572, 14, "America/New_York", -5, true, []string{"KTPA", "KTPF", "KPIE"}, 21.5, 11.0, 32.5, 24.5, 1180, 0},
	{"Miami", "FL", 25.7617, -80.1918, 2, "America/New_York", -5, true, []string{"KMIA", "KOPF", "KTMB", "KHWO"}, 24.5, 16.0, 32.0, 25.5, 1570, 0},
	{"Chicago", "IL", 41.8781, -87.6298, 181, "America/Chicago", -6, true, []string{"KORD", "KMDW", "KPWK", "KDPA"}, 0.0, -8.0, 29.0, 19.5, 960, 95},
	{"Milwaukee", "WI", 43.0389, -87.9065, 188, "America/Chicago", -6, true, []string{"KMKE", "KMWC", "KUES"}, -1.5, -9.5, 27.0, 18.0, 880, 120},
	{"Minneapolis", "MN", 44.9778, -93.265, 264, "America/Chicago", -6, true, []string{"KMSP", "KMIC", "KSTP"}, -6.0, -15.0, 28.5, 18.5, 780, 130},
	{"St. Louis", "MO", 38.627, -90.1994, 142, "America/Chicago", -6, true, []string{"KSTL", "KCPS", "KSUS"}, 4.5, -5.0, 32.0, 22.0, 1050, 45},
	{"Kansas City", "MO", 39.0997, -94.5786, 277, "America/Chicago", -6, true, []string{"KMCI", "KMKC", "KOJC"}, 3.5, -6.5, 32.0, 21.0, 1000, 45},
	{"Omaha", "NE", 41.2565, -95.9345, 332, "America/Chicago", -6, true, []string{"KOMA", "KMLE", "KOFF"}, 1.0, -10.0, 31.0, 20.0, 780, 70},
	{"Memphis", "TN", 35.1495, -90.049, 103, "America/Chicago", -6, true, []string{"KMEM", "KNQA", "KOLV"}, 9.5, 0.5, 33.5, 23.5, 1370, 8},
	{"Nashville", "TN", 36.1627, -86.7816, 169, "America/Chicago", -6, true, []string{"KBNA", "KJWN", "KMQY"}, 8.5, -2.0, 32.0, 21.0, 1220, 15},
	{"New Orleans", "LA", 29.9511, -90.0715, 2, "America/Chicago", -6, true, []string{"KMSY", "KNEW", "KNBG"}, 17.0, 7.5, 33.0, 24.5, 1600, 0},
	{"Houston", "TX", 29.7604, -95.3698, 15, "America/Chicago", -6, true, []string{"KIAH", "KHOU", "KEFD", "KDWH"}, 17.5, 6.5, 34.5, 23.5, 1260, 0},
	{"Dallas", "TX", 32.7767, -96.797, 131, "America/Chicago", -6, true, []string{"KDFW", "KDAL", "KADS", "KRBD"}, 14.0, 3.0, 36.0, 24.5, 960, 3},
	{"Fort Worth", "TX", 32.7555, -97.3308, 199, "America/Chicago", -6, true, []string{"KFTW", "KAFW", "KNFW"}, 14.0, 2.5, 35.5, 23.5, 920, 3},
	{"Austin", "TX", 30.2672, -97.7431, 149, "America/Chicago", -6, true, []string{"KAUS", "KATT", "KEDC"}, 16.5, 4.5, 35.5, 23.0, 860, 0},
	{"San Antonio", "TX", 29.4241, -98.4936, 198, "America/Chicago", -6, true, []string{"KSAT", "KSSF", "KSKF"}, 17.5, 5.0, 35.5, 23.5, 830, 0},
	{"Oklahoma City", "OK", 35.4676, -97.5164, 366, "America/Chicago", -6, true, []string{"KOKC", "KPWA", "KTIK"}, 9.5, -2.5, 34.0, 22.0, 930, 20},
	{"Denver", "CO", 39.7392, -104.9903, 1609, "America/Denver", -7, true, []string{"KDEN", "KBKF", "KAPA", "KBJC"}, 7.0, -7.5, 31.5, 15.5, 370, 140},
	{"Boulder", "CO", 40.015, -105.2705, 1655, "America/Denver", -7, true, []string{"KBDU", "KBJC", "KLMO"}, 7.5, -6.5, 30.5, 15.0, 520, 220},
	{"Albuquerque", "NM", 35.0844, -106.6504, 1619, "America/Denver", -7, true, []string{"KABQ", "KAEG", "KDMN"}, 10.0, -4.0, 33.5, 19.5, 240, 25},
	{"El Paso", "TX", 31.7619, -106.485, 1140, "America/Denver", -7, true, []string{"KELP", "KBIF", "KSPL"}, 14.5, 0.5, 35.5, 22.5, 230, 10},
	{"Salt Lake City", "UT", 40.7608, -111.891, 1288, "America/Denver", -7, true, []string{"KSLC", "KU42", "KHIF"}, 3.0, -6.0, 34.0, 20.0, 410, 140},
	{"Phoenix", "AZ", 33.4484, -112.074, 331, "America/Phoenix", -7, false, []string{"KPHX", "KDVT", "KSDL", "KIWA"}, 19.5, 8.0, 41.5, 29.0, 200, 0},
	{"Tucson", "AZ", 32.2226, -110.9747, 728, "America/Phoenix", -7, false, []string{"KTUS", "KDMA", "KRYN"}, 19.5, 4.5, 38.5, 24.5, 300, 0},
	{"Las Vegas", "NV", 36.1699, -115.1398, 610, "America/Los_Angeles", -8, true, []string{"KLAS", "KVGT", "KHND", "KLSV", "KDRA"}, 14.5, 3.0, 40.5, 27.0, 110, 0},
	{"Los Angeles", "CA", 34.0522, -118.2437, 89, "America/Los_Angeles", -8, true, []string{"KCQT", "KLAX", "KBUR", "KSMO", "KHHR"}, 20.0, 9.0, 29.0, 18.5, 360, 0},
	{"San Diego", "CA", 32.7157, -117.1611, 19, "America/Los_Angeles", -8, true, []string{"KSAN", "KMYF", "KNKX"}, 19.5, 9.5, 25.5, 18.5, 260, 0},
	{"San Francisco", "CA", 37.7749, -122.4194, 16, "America/Los_Angeles", -8, true, []string{"KSFO", "KOAK", "KHAF"}, 14.5, 7.5, 20.5, 12.5, 600, 0},
	{"San Jose", "CA", 37.3382, -121.8863, 25, "America/Los_Angeles", -8, true, []string{"KSJC", "KRHV", "KPAO"}, 15.5, 4.5, 28.5, 14.5, 390, 0},
	{"Sacramento", "CA", 38.5816, -121.4944, 9, "America/Los_Angeles", -8, true, []string{"KSAC", "KSMF", "KMCC"}, 13.5, 3.5, 34.0, 15.5, 470, 0},
	{"Fresno", "CA", 36.7378, -119.7871, 94, "America/Los_Angeles", -8, true, []string{"KFAT", "KFCH", "KMAE"}, 13.5, 3.0, 37.0, 21.0, 290, 0},
	{"Portland", "OR", 45.5152, -122.6784, 15, "America/Los_Angeles", -8, true, []string{"KPDX", "KTTD", "KHIO"}, 8.5, 2.0, 28.5, 14.5, 920, 10},
	{"Seattle", "WA", 47.6062, -122.3321, 56, "America/Los_Angeles", -8, true, []string{"KSEA", "KBFI", "KRNT", "KPAE"}, 8.5, 2.5, 26.0, 14.0, 950, 15},
	{"Honolulu", "HI", 21.3069, -157.8583, 6, "Pacific/Honolulu", -10, false, []string{"PHNL", "PHJR", "PHIK"}, 27.0, 19.5, 31.0, 23.5, 430, 0},
	{"Indianapolis", "IN", 39.7684, -86.1581, 218, "America/Indiana/Indianapolis", -5, true, []string{"KIND", "KEYE", "KTYQ"}, 2.0, -6.5, 29.5, 18.5, 1070, 65},
	{"Louisville", "KY", 38.2527, -85.7585, 142, "America/Kentucky/Louisville", -5, true, []string{"KSDF", "KLOU", "KJVY"}, 6.0, -3.5, 31.5, 21.0, 1150, 30},
}

var (
	monthKeys   = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	sunDates    = []string{"2025-03-20", "2025-06-21", "2025-09-03", "2025-12-15", "2025-12-21"}
	dryHourly   = []string{"Clear", "Mostly clear", "Sunny", "Mostly sunny", "Partly cloudy", "Partly sunny", "Mostly cloudy", "Increasing clouds"}
	wetHourly   = []string{"Isolated showers", "Chance of showers", "Scattered thunderstorms", "Light rain", "Thunderstorms likely", "Partly cloudy with a stray shower"}
	dryDaily    = []string{"Sunny and warm", "Mostly sunny", "Mostly sunny and pleasant", "Partly cloudy", "Sunny and pleasant", "Clear and dry", "Partly to mostly cloudy", "Hot and dry"}
	wetDaily    = []string{"Mostly cloudy with scattered showers", "Hot and humid with scattered afternoon thunderstorms", "Periods of rain", "Partly cloudy with a few afternoon showers", "Showers and thunderstorms likely"}
	verifyNotes = []string{"Clear and dry as forecast.", "Light showers in the evening.", "Within 1C of forecast; dry as expected.", "High ran warmer than forecast.", "Thunderstorm totals higher than forecast.", "Low slightly cooler than forecast."}
	pendingNote = []string{"", "Awaiting official observations.", "Awaiting end-of-day reports."}
	countries   = []string{"USA", "USA", "USA", "USA", "USA", "USA", "US", "US", "United States"}
)

// Generate builds a weather database from r: about 59 locations, 58 forecasts and 60
// observations per unit of scale, dated early September 2025 like the reference. Most
// locations have one forecast and one observation; some have two of either (overlapping
// forecasts to merge, observations sharing a timestamp), some none; every verification
// status and quality-control flag occurs.
func Generate(r *rand.Rand, scale int) (domains.DB, error) {
	if scale < 1 {
		return nil, fmt.Errorf("weather: scale %d, want at least 1", scale)
	}
	g := &generator{r: r, db: &DB{
		Locations:    &domains.Table[Location]{},
		Forecasts:    &domains.Table[Forecast]{},
		Observations: &domains.Table[Observation]{},
	}}
	n := 59 * scale
	next := 45
	for i := 0; i < n; i++ {
		c := cities[r.IntN(len(cities))]
		var id string
		if r.IntN(7) == 0 {
			id = fmt.Sprintf("loc_%s_%03d", slug(c.name), i+1)
		} else {
			id = strconv.Itoa(next)
			next++
		}
		g.location(id, c)
		// Forecasts: none for a few locations, two overlapping runs for some.
		switch k := r.IntN(40); {
		case k == 0:
		case k < 3:
			g.forecast(id, c, "GFS", 0)
			g.forecast(id, c, []string{"GFS", "ECMWF"}[r.IntN(2)], 1)
		default:
			model := "GFS"
			if i%12 == 5 {
				model = "ECMWF"
			}
			g.forecast(id, c, model, 0)
		}
		// Observations: none for a few, two (sometimes at the same time) for some.
		switch k := r.IntN(40); {
		case k == 0:
		case k < 3:
			t := g.obsTime()
			g.observation(id, c, t)
			if r.IntN(2) == 0 {
				t = g.obsTime()
			}
			g.observation(id, c, t)
		default:
			g.observation(id, c, g.obsTime())
		}
	}
	if err := domains.Freeze(g.db); err != nil {
		return nil, err
	}
	return g.db, nil
}

type generator struct {
	r  *rand.Rand
	db *DB
	// counters that make every status and flag occur
	nObs, nVerified int
}

func slug(s string) string {
	s = strings.ToLower(strings.NewReplacer(".", "", " ", "_").Replace(s))
	return s
}

// round1 rounds to one decimal, giving the double Python prints with one digit.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// jitter returns x moved by up to ±d.
func (g *generator) jitter(x, d float64) float64 { return x + (g.r.Float64()*2-1)*d }

// normal returns the climate normal of month m (0 = January) between the January and
// July values.
func normal(jan, jul float64, m int) float64 {
	return jan + (jul-jan)*(1-math.Cos(2*math.Pi*float64(m)/12))/2
}

func (g *generator) location(id string, c city) {
	l := &Location{
		LocationID: id,
		Name:       Name{City: c.name, State: c.state, Country: countries[g.r.IntN(len(countries))]},
		Coordinates: Coordinates{
			Lat:        math.Round(g.jitter(c.lat, 0.05)*1e4) / 1e4,
			Lon:        math.Round(g.jitter(c.lon, 0.05)*1e4) / 1e4,
			ElevationM: math.Round(g.jitter(c.elev, c.elev/10+2)),
		},
		Timezone: c.tz,
	}
	st := c.stations[:2+g.r.IntN(len(c.stations)-1)]
	l.NearbyStationIDs = append([]string(nil), st...)
	for m, key := range monthKeys {
		precip := c.precipMM / 12 * (0.7 + 0.6*g.r.Float64())
		snow := 0.0
		lo := normal(c.janLo, c.julLo, m)
		if lo < 0 {
			snow = c.snowCM * (-lo) / 40 * (0.7 + 0.6*g.r.Float64())
		}
		l.ClimateNormals.Set(key, &ClimateNormalsMonth{
			AvgHighC: round1(g.jitter(normal(c.janHi, c.julHi, m), 0.4)),
			AvgLowC:  round1(g.jitter(lo, 0.4)),
			PrecipMM: math.Round(precip),
			SnowCM:   round1(snow),
		})
	}
	first := g.r.IntN(len(sunDates) - 1)
	for k := 0; k < 2+g.r.IntN(2) && first+k < len(sunDates); k++ {
		date := sunDates[first+k]
		rise, set := sunTimes(c, date)
		l.SunTimes.Set(date, &SunTimesEntry{
			SunriseLocal:     clock(rise),
			SunsetLocal:      clock(set),
			DayLengthMinutes: int64(set - rise),
		})
	}
	g.db.Locations.Put(id, l)
}

// sunTimes estimates sunrise and sunset in local minutes after midnight.
func sunTimes(c city, date string) (rise, set int) {
	day := map[string]int{"2025-03-20": 79, "2025-06-21": 172, "2025-09-03": 246, "2025-12-15": 349, "2025-12-21": 355}[date]
	decl := 23.44 * math.Sin(2*math.Pi*float64(day-81)/365) * math.Pi / 180
	lat := c.lat * math.Pi / 180
	h := math.Acos(math.Max(-1, math.Min(1, -math.Tan(lat)*math.Tan(decl))))
	half := h * 180 / math.Pi * 4 // minutes
	offset := c.utcOffset
	if c.dst && day > 70 && day < 308 {
		offset++
	}
	noon := 720 + 4*(float64(offset)*15-c.lon)
	return int(math.Round(noon - half)), int(math.Round(noon + half))
}

func clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// diurnal returns, for a local hour, where the temperature sits between the daily low
// (about 03:00) and high (15:00), and the strength of the sun (0 at night, 1 at noon).
func diurnal(local int) (warmth, sun float64) {
	warmth = 0.5 + 0.5*math.Cos(2*math.Pi*float64(local-15)/24)
	sun = math.Max(0, math.Sin(math.Pi*float64(local-6)/12))
	return warmth, sun
}

func utc(day, hour int) string { return fmt.Sprintf("2025-09-%02dT%02d:00:00Z", day, hour) }

func (g *generator) forecast(locID string, c city, model string, run int) {
	// Runs are six hours apart; a second run for a location is the later one.
	issuedHour := []int{-6, 0, 6, 12}[g.r.IntN(3)] + 6*run
	issuedDay := 3
	if issuedHour < 0 {
		issuedDay, issuedHour = 2, issuedHour+24
	}
	fromHour := issuedHour + g.r.IntN(3)
	fromDay := issuedDay
	if fromDay == 2 {
		fromDay, fromHour = 3, 0
	}
	days := 2 + g.r.IntN(2)
	toHour := []int{0, 12}[g.r.IntN(2)]
	id := locID
	if run > 0 || !isDigits(locID) {
		id = fmt.Sprintf("fcst_%s_20250903_%s", locID, strings.ToLower(model))
		if run > 0 {
			id = fmt.Sprintf("%s_%02dz", id, issuedHour)
		}
	}
	f := &Forecast{
		ForecastID:   id,
		LocationID:   locID,
		SourceModel:  model,
		IssuedAtUTC:  utc(issuedDay, issuedHour),
		ValidFromUTC: utc(fromDay, fromHour),
		ValidToUTC:   utc(fromDay+days, toHour),
		Units:        Units{Temperature: "C", WindSpeed: "kph", Precipitation: "mm", Pressure: "hPa"},
	}
	sepHi, sepLo := normal(c.janHi, c.julHi, 8), normal(c.janLo, c.julLo, 8)
	wet := g.r.IntN(3) == 0
	for k := 0; k < 3+g.r.IntN(6) && fromHour+k < 24; k++ {
		hour := fromHour + k
		local := (hour + c.utcOffset + 24 + 1) % 24
		warmth, sun := diurnal(local)
		temp := round1(g.jitter(sepLo+(sepHi-sepLo)*warmth, 0.8))
		dew := round1(temp - 3 - 8*g.r.Float64())
		hum := int64(math.Round(100 * math.Exp(17.62*dew/(243.12+dew)-17.62*temp/(243.12+temp))))
		e := HourlyForecastEntry{
			TimeUTC:       utc(fromDay, hour),
			Summary:       dryHourly[g.r.IntN(len(dryHourly))],
			TemperatureC:  temp,
			FeelsLikeC:    round1(temp + math.Max(0, temp-26)*0.3*float64(hum)/60),
			DewpointC:     dew,
			HumidityPct:   hum,
			PressureHPA:   round1(g.jitter(1014, 6)),
			Wind:          Wind{SpeedKPH: float64(5 + g.r.IntN(20))},
			VisibilityKM:  16.0,
			CloudCoverPct: int64(5 * g.r.IntN(19)),
			Precipitation: PrecipitationDetails{ProbabilityPct: int64(5 * g.r.IntN(4)), Type: "none"},
			UVIndex:       int64(math.Round(9 * sun * (0.6 + 0.4*g.r.Float64()))),
		}
		e.Wind.GustKPH = e.Wind.SpeedKPH + float64(4+g.r.IntN(12))
		e.Wind.DirectionDeg = int64(10 * g.r.IntN(36))
		if wet && g.r.IntN(2) == 0 {
			e.Summary = wetHourly[g.r.IntN(len(wetHourly))]
			e.Precipitation = PrecipitationDetails{ProbabilityPct: int64(30 + 10*g.r.IntN(6)), Type: "rain", AmountMM: round1(0.1 + 4*g.r.Float64())}
			e.VisibilityKM = round1(6 + 8*g.r.Float64())
			e.CloudCoverPct = int64(60 + 5*g.r.IntN(8))
		}
		f.Hourly = append(f.Hourly, e)
	}
	rise, set := sunTimes(c, "2025-09-03")
	for k := 0; k <= days && k < 5; k++ {
		d := DailyForecastEntry{
			Date:          fmt.Sprintf("2025-09-%02d", fromDay+k),
			Summary:       dryDaily[g.r.IntN(len(dryDaily))],
			TempMinC:      round1(g.jitter(sepLo, 2)),
			TempMaxC:      round1(g.jitter(sepHi, 2)),
			Precipitation: DailyPrecip{ProbabilityPct: int64(10 * g.r.IntN(3))},
			WindMaxKPH:    float64(15 + g.r.IntN(25)),
			UVIndexMax:    int64(4 + g.r.IntN(6)),
			SunriseLocal:  clock(rise + k),
			SunsetLocal:   clock(set - 2*k),
		}
		if wet && g.r.IntN(2) == 0 {
			d.Summary = wetDaily[g.r.IntN(len(wetDaily))]
			d.Precipitation = DailyPrecip{ProbabilityPct: int64(30 + 10*g.r.IntN(6)), TotalMM: round1(0.5 + 12*g.r.Float64())}
		}
		f.Daily = append(f.Daily, d)
	}
	// Verification: earlier days verified (now and then revised), the issue day pending.
	for _, day := range []int{1, 2, 3}[g.r.IntN(3):] {
		date := fmt.Sprintf("2025-09-%02d", day)
		v := &VerificationEntry{Status: "pending", Notes: pendingNote[g.r.IntN(len(pendingNote))]}
		if day < issuedDay || (day == issuedDay && g.r.IntN(4) == 0) {
			v = &VerificationEntry{
				Status:         "verified",
				ActualHighC:    round1(g.jitter(sepHi, 2.5)),
				ActualLowC:     round1(g.jitter(sepLo, 2.5)),
				ActualPrecipMM: round1(math.Max(0, g.jitter(0.5, 3))),
				Notes:          verifyNotes[g.r.IntN(len(verifyNotes))],
			}
			if g.nVerified%10 == 4 {
				v.Status = "revised"
				v.Notes = "Revised after late station reports."
			}
			g.nVerified++
		}
		f.VerificationByDate.Set(date, v)
	}
	for k, n := 0, g.r.IntN(5)-2; k < n; k++ {
		f.AttachedAlertIDs = append(f.AttachedAlertIDs, fmt.Sprintf("alert_%s_%d", slug(c.name), k+1))
	}
	g.db.Forecasts.Put(id, f)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// obsTime returns an observation time on 2025-09-03 (minutes past midnight UTC).
func (g *generator) obsTime() int {
	return 60*g.r.IntN(24) + []int{0, 0, 0, 5, 15, 30, 53}[g.r.IntN(7)]
}

func (g *generator) observation(locID string, c city, minute int) {
	station := c.stations[g.r.IntN(len(c.stations))]
	ts := fmt.Sprintf("2025-09-03T%02d:%02d:00Z", minute/60, minute%60)
	id := fmt.Sprintf("obs_%s_20250903T%02d%02dZ", strings.ToLower(station), minute/60, minute%60)
	if isDigits(locID) {
		id = locID
	}
	base := id
	for n := 2; ; n++ {
		if _, taken := g.db.Observations.Get(id); !taken {
			break
		}
		id = fmt.Sprintf("%s_%d", base, n)
	}
	sepHi, sepLo := normal(c.janHi, c.julHi, 8), normal(c.janLo, c.julLo, 8)
	local := (minute/60 + c.utcOffset + 24 + 1) % 24
	warmth, sun := diurnal(local)
	temp := round1(g.jitter(sepLo+(sepHi-sepLo)*warmth, 1))
	dew := round1(temp - 2 - 9*g.r.Float64())
	speed := float64(3 + g.r.IntN(22))
	o := &Observation{
		ObservationID: id,
		StationID:     station,
		LocationID:    &locID,
		TimestampUTC:  ts,
		Variables: ObservationVariables{
			TemperatureC:     temp,
			FeelsLikeC:       round1(temp + math.Max(0, temp-27)*0.25),
			DewpointC:        dew,
			HumidityPct:      int64(math.Round(100 * math.Exp(17.62*dew/(243.12+dew)-17.62*temp/(243.12+temp)))),
			PressureHPA:      round1(g.jitter(1014, 6)),
			WindSpeedKPH:     speed,
			WindGustKPH:      speed + float64(3+g.r.IntN(12)),
			WindDirectionDeg: int64(10 * g.r.IntN(36)),
			Precip1hMM:       0,
			Precip24hMM:      round1(math.Max(0, g.jitter(0, 3))),
			VisibilityKM:     16.0,
			UVIndex:          int64(math.Round(9 * sun * (0.5 + 0.5*g.r.Float64()))),
			CloudCoverPct:    int64(5 * g.r.IntN(21)),
		},
		IngestedAtUTC: fmt.Sprintf("2025-09-03T%02d:%02d:%02dZ", minute/60, minute%60+1+g.r.IntN(5), 10*g.r.IntN(6)),
	}
	// Every twentieth observation failed quality control, two in twenty are suspect.
	flag := "passed"
	switch g.nObs % 20 {
	case 7:
		flag = "failed"
	case 3, 15:
		flag = "suspect"
	}
	g.nObs++
	checks := []QCCheck{{"range", "passed", "All variables within climatological bounds"}}
	switch flag {
	case "suspect":
		checks = append(checks, QCCheck{"spike", "suspect", "Temperature jumped more than 5C within an hour"})
	case "failed":
		checks = append(checks, QCCheck{"consistency", "failed", "Dewpoint above temperature"})
	default:
		checks = append(checks, QCCheck{"spike", "passed", "No abrupt changes detected in last 3 hours"})
	}
	o.QualityControl = QualityControl{QCFlag: flag, Checks: checks}
	g.db.Observations.Put(id, o)
}
