package weather

import (
	"errors"
	"time"
	"unicode/utf8"

	"github.com/toolscale/toolscale/domains/py"
)

// A stamp is a Python datetime reduced to what the tools do with it: order it. Aware values
// hold their UTC instant, naive ones their wall time, both in microseconds from
// 0001-01-01T00:00:00.
type stamp struct {
	us    int64
	aware bool
}

// errNaiveAware is CPython's TypeError for ordering a naive and an aware datetime.
var errNaiveAware = errors.New("can't compare offset-naive and offset-aware datetimes")

// compare orders two stamps as Python's datetime comparison does.
func (a stamp) compare(b stamp) (int, error) {
	if a.aware != b.aware {
		return 0, errNaiveAware
	}
	switch {
	case a.us < b.us:
		return -1, nil
	case a.us > b.us:
		return 1, nil
	}
	return 0, nil
}

// parseUTC is the toolkit's timestamp parser: a trailing "Z" becomes "+00:00", then
// datetime.fromisoformat applies. The error shows the rewritten text (a reference quirk:
// "badZ" is reported as "bad+00:00"). A value that is not a str fails on .endswith.
func parseUTC(v any) (stamp, error) {
	ts, ok := v.(string)
	if !ok {
		return stamp{}, errors.New("'" + py.TypeName(v) + "' object has no attribute 'endswith'")
	}
	if len(ts) > 0 && ts[len(ts)-1] == 'Z' {
		ts = ts[:len(ts)-1] + "+00:00"
	}
	st, ok := fromISOFormat(ts)
	if !ok {
		return stamp{}, errors.New("Invalid UTC datetime format: " + ts)
	}
	return st, nil
}

// fromISOFormat ports CPython 3.11's datetime.fromisoformat (Modules/_datetimemodule.c)
// byte for byte: its separator guessing, its lenient time grammar (any single separator
// character, "HH", "HHMM", "," for ".", up to 6 fraction digits kept and more skipped,
// "±HH[:MM[:SS[.f]]]" offsets with unchecked minutes) and the range checks of the
// datetime and timezone constructors. It reports false where Python raises.
func fromISOFormat(s string) (stamp, bool) {
	if utf8.RuneCountInString(s) < 7 {
		return stamp{}, false
	}
	sep := isoSeparator(s)
	if sep < 0 {
		return stamp{}, false // "YYYY-Www-": the day digit is missing
	}
	year, month, day, ok := isoDate(s, sep)
	if !ok {
		return stamp{}, false
	}
	var t isoClock
	rv := 0
	if len(s) > sep {
		// The separator may be any character: its UTF-8 width is read from its lead byte.
		start := sep + 1
		switch c := s[sep]; {
		case c < 0x80:
		case c&0xf0 == 0xe0:
			start = sep + 3
		case c&0xf0 == 0xf0:
			start = sep + 4
		default:
			start = sep + 2
		}
		if start > len(s) {
			return stamp{}, false
		}
		if t, rv = isoTime(s, start, len(s)); rv < 0 {
			return stamp{}, false
		}
	}
	offset := int64(0)
	if rv == 1 && t.tzOffset != 0 {
		// An offset of zero whole seconds is UTC: its microseconds are dropped (a CPython quirk).
		offset = int64(t.tzOffset)*1e6 + int64(t.tzMicro)
		if offset <= -86400e6 || offset >= 86400e6 {
			return stamp{}, false // timezone offset not strictly within ±24h
		}
	}
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
		t.hour > 23 || t.minute > 59 || t.second > 59 {
		return stamp{}, false
	}
	secs := (ordinal(year, month, day)*86400 + int64(t.hour)*3600 + int64(t.minute)*60 + int64(t.second))
	return stamp{us: secs*1e6 + int64(t.micro) - offset, aware: rv == 1}, true
}

// at reads byte i of s, or the NUL terminator a C string has past its end.
func at(s string, i int) byte {
	if i >= 0 && i < len(s) {
		return s[i]
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digits parses n decimal digits of s at p, returning the value and the next position.
func digits(s string, p, n int) (int, int, bool) {
	v := 0
	for i := 0; i < n; i++ {
		c := at(s, p)
		p++
		if !isDigit(c) {
			return 0, p, false
		}
		v = v*10 + int(c-'0')
	}
	return v, p, true
}

// isoSeparator finds where the date ends, as _find_isoformat_datetime_separator does.
func isoSeparator(s string) int {
	n := len(s)
	if n == 7 {
		return 7
	}
	if at(s, 4) == '-' {
		if at(s, 5) != 'W' {
			return 10 // YYYY-MM-DD
		}
		if n < 8 {
			return -1
		}
		if n > 8 && at(s, 8) == '-' {
			if n == 9 {
				return -1
			}
			if n > 10 && isDigit(at(s, 10)) {
				return 8 // YYYY-Www-HH…: a hyphen separator wins over a digit one
			}
			return 10 // YYYY-Www-D
		}
		return 8 // YYYY-Www
	}
	if at(s, 4) == 'W' {
		idx := 7
		for ; idx < n; idx++ {
			if !isDigit(s[idx]) {
				break
			}
		}
		if idx < 9 {
			return idx
		}
		if idx%2 == 0 {
			return 7
		}
		return 8
	}
	return 8 // YYYYMMDD
}

// isoDate parses the date part, which ends at sep (only the week form looks at sep).
func isoDate(s string, sep int) (year, month, day int, ok bool) {
	year, p, ok := digits(s, 0, 4)
	if !ok {
		return 0, 0, 0, false
	}
	usesSep := at(s, p) == '-'
	if usesSep {
		p++
	}
	if at(s, p) == 'W' {
		p++
		week, isoDay := 0, 0
		if week, p, ok = digits(s, p, 2); !ok {
			return 0, 0, 0, false
		}
		if p < sep {
			if usesSep {
				c := at(s, p)
				p++
				if c != '-' {
					return 0, 0, 0, false
				}
			}
			if isoDay, _, ok = digits(s, p, 1); !ok {
				return 0, 0, 0, false
			}
		} else {
			isoDay = 1
		}
		return isoWeekDate(year, week, isoDay)
	}
	if month, p, ok = digits(s, p, 2); !ok {
		return 0, 0, 0, false
	}
	if usesSep {
		c := at(s, p)
		p++
		if c != '-' {
			return 0, 0, 0, false
		}
	}
	if day, _, ok = digits(s, p, 2); !ok {
		return 0, 0, 0, false
	}
	return year, month, day, true
}

// isoWeekDate converts an ISO year, week and weekday to a calendar date (iso_to_ymd).
func isoWeekDate(isoYear, week, isoDay int) (int, int, int, bool) {
	if isoYear < 1 || isoYear > 9999 {
		return 0, 0, 0, false
	}
	first := ordinal(isoYear, 1, 1)
	firstWeekday := int((first + 6) % 7) // 0 = Monday
	if week <= 0 || week >= 53 {
		if week != 53 || !(firstWeekday == 3 || (firstWeekday == 2 && isLeap(isoYear))) {
			return 0, 0, 0, false
		}
	}
	if isoDay <= 0 || isoDay >= 8 {
		return 0, 0, 0, false
	}
	monday := first - int64(firstWeekday)
	if firstWeekday > 3 {
		monday += 7
	}
	d := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(monday-1)+(week-1)*7+isoDay-1)
	return d.Year(), int(d.Month()), d.Day(), true
}

// isoClock is the time part: wall clock and offset.
type isoClock struct {
	hour, minute, second, micro int
	tzOffset, tzMicro           int // seconds and microseconds, signed
}

// isoTime parses s[start:end] (parse_isoformat_time): 0 without an offset, 1 with one,
// negative on failure.
func isoTime(s string, start, end int) (isoClock, int) {
	var c isoClock
	tz := start
	for {
		if b := at(s, tz); b == 'Z' || b == '+' || b == '-' {
			break
		}
		tz++
		if tz >= end {
			break
		}
	}
	var rv int
	c.hour, c.minute, c.second, c.micro, rv = isoHMSF(s, start, tz)
	if rv < 0 {
		return c, rv
	}
	if tz == end {
		if rv == 1 {
			return c, -5 // trailing characters and no offset
		}
		return c, 0
	}
	if at(s, tz) == 'Z' {
		if at(s, tz+1) != 0 {
			return c, -5
		}
		return c, 1
	}
	sign := 1
	if at(s, tz) == '-' {
		sign = -1
	}
	h, m, sec, us, rv := isoHMSF(s, tz+1, end)
	c.tzOffset = sign * (h*3600 + m*60 + sec)
	c.tzMicro = sign * us
	if rv != 0 {
		return c, -5
	}
	return c, 1
}

// isoHMSF parses [HH[:?MM[:?SS]]][.,ffffff…] between p and end (parse_hh_mm_ss_ff): 0 when
// the text ends there, 1 when something other than the end of the string follows.
func isoHMSF(s string, p, end int) (hour, minute, second, micro, rv int) {
	var vals [3]int
	hasSep := true
	for i := 0; i < 3; i++ {
		v, np, ok := digits(s, p, 2)
		if !ok {
			return 0, 0, 0, 0, -3
		}
		vals[i] = v
		p = np
		c := at(s, p)
		p++
		if i == 0 {
			hasSep = c == ':'
		}
		if p >= end {
			if c != 0 {
				return vals[0], vals[1], vals[2], 0, 1
			}
			return vals[0], vals[1], vals[2], 0, 0
		}
		if hasSep && c == ':' {
			continue
		}
		if c == '.' || c == ',' {
			break
		}
		if !hasSep {
			p--
			continue
		}
		return 0, 0, 0, 0, -4
	}
	n := end - p
	if n > 6 {
		n = 6
	}
	us, np, ok := digits(s, p, n)
	if !ok {
		return 0, 0, 0, 0, -3
	}
	p = np
	for i := n; i < 6; i++ {
		us *= 10
	}
	for isDigit(at(s, p)) {
		p++ // digits past the sixth are dropped
	}
	if at(s, p) != 0 {
		return vals[0], vals[1], vals[2], us, 1
	}
	return vals[0], vals[1], vals[2], us, 0
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// ordinal is the proleptic Gregorian ordinal of a date, 0001-01-01 being 1.
func ordinal(y, m, d int) int64 {
	y1 := int64(y - 1)
	n := y1*365 + y1/4 - y1/100 + y1/400
	for mm := 1; mm < m; mm++ {
		n += int64(daysInMonth(y, mm))
	}
	return n + int64(d)
}
