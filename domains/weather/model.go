// Package weather is the weather environment: locations with climate normals, model
// forecasts with their verification records, and station observations, with the tools of
// the reference WeatherTools toolkit.
package weather

import "github.com/toolscale/toolscale/domains"

// DB is the weather database: three tables keyed by id, in db.json order.
type DB struct {
	Locations    *domains.Table[Location]    `json:"locations"`
	Forecasts    *domains.Table[Forecast]    `json:"forecasts"`
	Observations *domains.Table[Observation] `json:"observations"`
}

// A Location is a place with its climate normals and sun times. Its table key may differ
// from LocationID in the reference data.
type Location struct {
	LocationID       string                            `json:"location_id"`
	Name             Name                              `json:"name"`
	Coordinates      Coordinates                       `json:"coordinates"`
	Timezone         string                            `json:"timezone"`
	NearbyStationIDs []string                          `json:"nearby_station_ids"`
	ClimateNormals   domains.Map[*ClimateNormalsMonth] `json:"climate_normals"`
	SunTimes         domains.Map[*SunTimesEntry]       `json:"sun_times"`
}

// Name is a location's city, state and country.
type Name struct {
	City    string `json:"city"`
	State   string `json:"state"`
	Country string `json:"country"`
}

// Coordinates place a location on the globe.
type Coordinates struct {
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	ElevationM float64 `json:"elevation_m"`
}

// A ClimateNormalsMonth holds one month's long-term averages, keyed JAN…DEC.
type ClimateNormalsMonth struct {
	AvgHighC float64 `json:"avg_high_c"`
	AvgLowC  float64 `json:"avg_low_c"`
	PrecipMM float64 `json:"precip_mm"`
	SnowCM   float64 `json:"snow_cm"`
}

// A SunTimesEntry gives one date's sunrise and sunset in local time.
type SunTimesEntry struct {
	SunriseLocal     string `json:"sunrise_local"`
	SunsetLocal      string `json:"sunset_local"`
	DayLengthMinutes int64  `json:"day_length_minutes"`
}

// A Forecast is one model run for a location: hourly and daily entries and the
// verification of its days against what was observed.
type Forecast struct {
	ForecastID         string                          `json:"forecast_id"`
	LocationID         string                          `json:"location_id"`
	SourceModel        string                          `json:"source_model"`
	IssuedAtUTC        string                          `json:"issued_at_utc"`
	ValidFromUTC       string                          `json:"valid_from_utc"`
	ValidToUTC         string                          `json:"valid_to_utc"`
	Units              Units                           `json:"units"`
	Hourly             []HourlyForecastEntry           `json:"hourly" db:"default=[]"`
	Daily              []DailyForecastEntry            `json:"daily" db:"default=[]"`
	VerificationByDate domains.Map[*VerificationEntry] `json:"verification_by_date" db:"default={}"`
	AttachedAlertIDs   []string                        `json:"attached_alert_ids" db:"default=[]"`
}

// Units name the units of a forecast's values.
type Units struct {
	Temperature   string `json:"temperature"`
	WindSpeed     string `json:"wind_speed"`
	Precipitation string `json:"precipitation"`
	Pressure      string `json:"pressure"`
}

// Wind is an hourly entry's wind.
type Wind struct {
	SpeedKPH     float64 `json:"speed_kph"`
	GustKPH      float64 `json:"gust_kph"`
	DirectionDeg int64   `json:"direction_deg"`
}

// PrecipitationDetails is an hourly entry's precipitation.
type PrecipitationDetails struct {
	ProbabilityPct int64   `json:"probability_pct"`
	Type           string  `json:"type"`
	AmountMM       float64 `json:"amount_mm"`
}

// An HourlyForecastEntry is a forecast for one hour.
type HourlyForecastEntry struct {
	TimeUTC       string               `json:"time_utc"`
	Summary       string               `json:"summary"`
	TemperatureC  float64              `json:"temperature_c"`
	FeelsLikeC    float64              `json:"feels_like_c"`
	DewpointC     float64              `json:"dewpoint_c"`
	HumidityPct   int64                `json:"humidity_pct"`
	PressureHPA   float64              `json:"pressure_hpa"`
	Wind          Wind                 `json:"wind"`
	VisibilityKM  float64              `json:"visibility_km"`
	CloudCoverPct int64                `json:"cloud_cover_pct"`
	Precipitation PrecipitationDetails `json:"precipitation"`
	UVIndex       int64                `json:"uv_index"`
}

// DailyPrecip is a daily entry's precipitation.
type DailyPrecip struct {
	ProbabilityPct int64   `json:"probability_pct"`
	TotalMM        float64 `json:"total_mm"`
	SnowCM         float64 `json:"snow_cm"`
}

// A DailyForecastEntry is a forecast for one date.
type DailyForecastEntry struct {
	Date          string      `json:"date"`
	Summary       string      `json:"summary"`
	TempMinC      float64     `json:"temp_min_c"`
	TempMaxC      float64     `json:"temp_max_c"`
	Precipitation DailyPrecip `json:"precipitation"`
	WindMaxKPH    float64     `json:"wind_max_kph"`
	UVIndexMax    int64       `json:"uv_index_max"`
	SunriseLocal  string      `json:"sunrise_local"`
	SunsetLocal   string      `json:"sunset_local"`
}

// A VerificationEntry compares a forecast date with what was observed. Status is free
// text in the model; the tool accepts pending, verified and revised.
type VerificationEntry struct {
	Status         string  `json:"status"`
	ActualHighC    float64 `json:"actual_high_c"`
	ActualLowC     float64 `json:"actual_low_c"`
	ActualPrecipMM float64 `json:"actual_precip_mm"`
	Notes          string  `json:"notes" db:"default=\"\""`
}

// ObservationVariables are the values a station measured.
type ObservationVariables struct {
	TemperatureC     float64 `json:"temperature_c"`
	FeelsLikeC       float64 `json:"feels_like_c"`
	DewpointC        float64 `json:"dewpoint_c"`
	HumidityPct      int64   `json:"humidity_pct"`
	PressureHPA      float64 `json:"pressure_hpa"`
	WindSpeedKPH     float64 `json:"wind_speed_kph"`
	WindGustKPH      float64 `json:"wind_gust_kph"`
	WindDirectionDeg int64   `json:"wind_direction_deg"`
	Precip1hMM       float64 `json:"precip_1h_mm"`
	Precip24hMM      float64 `json:"precip_24h_mm"`
	SnowDepthCM      float64 `json:"snow_depth_cm"`
	VisibilityKM     float64 `json:"visibility_km"`
	UVIndex          int64   `json:"uv_index"`
	CloudCoverPct    int64   `json:"cloud_cover_pct"`
}

// A QCCheck is one quality-control test of an observation.
type QCCheck struct {
	Check   string `json:"check"`
	Result  string `json:"result"`
	Details string `json:"details"`
}

// QualityControl is an observation's overall flag and its checks.
type QualityControl struct {
	QCFlag string    `json:"qc_flag"`
	Checks []QCCheck `json:"checks" db:"default=[]"`
}

// An Observation is one station report for a location.
type Observation struct {
	ObservationID  string               `json:"observation_id"`
	StationID      string               `json:"station_id"`
	LocationID     *string              `json:"location_id" db:"optional"`
	TimestampUTC   string               `json:"timestamp_utc"`
	Variables      ObservationVariables `json:"variables"`
	QualityControl QualityControl       `json:"quality_control"`
	IngestedAtUTC  string               `json:"ingested_at_utc"`
}

// A LocationCode is one line of list_all_locations.
type LocationCode struct {
	LocationID string `json:"location_id"`
	Label      string `json:"label"`
}

func newDB() domains.DB { return &DB{} }
