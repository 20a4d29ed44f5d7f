package score

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// AnswerMatches reports whether a final answer matches a reference answer: both are
// normalized (LaTeX-light wrappers such as \boxed{} and $…$ removed, case and spacing
// folded, trailing punctuation dropped), then compared as numbers when both read as
// numbers (1,000 = 1000 = 1e3; 1/2 = 0.5; 50% = 0.5 only against 0.5 or 50%), else as text.
func AnswerMatches(got, want string) bool {
	g, w := Normalize(got), Normalize(want)
	if g == "" || w == "" {
		return false
	}
	if g == w {
		return true
	}
	gn, gok := number(g)
	wn, wok := number(w)
	if gok && wok {
		return gn == wn || math.Abs(gn-wn) <= 1e-6*math.Max(1, math.Max(math.Abs(gn), math.Abs(wn)))
	}
	return false
}

var (
	boxed    = regexp.MustCompile(`\\(?:boxed|fbox|text|mathrm|textbf|mathbf)\{`)
	spaces   = regexp.MustCompile(`\s+`)
	finalAns = regexp.MustCompile(`(?i)^(?:the\s+)?(?:final\s+)?answer\s*(?:is|:)\s*`)
)

// Normalize folds an answer to a canonical text: the last \boxed{…} if there is one,
// LaTeX wrappers and math delimiters removed, lower case, single spaces, no trailing period.
func Normalize(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, `\boxed{`); i >= 0 {
		if inner, ok := braced(s[i+len(`\boxed{`):]); ok {
			s = inner
		}
	}
	for {
		loc := boxed.FindStringIndex(s)
		if loc == nil {
			break
		}
		inner, ok := braced(s[loc[1]:])
		if !ok {
			break
		}
		s = s[:loc[0]] + inner + s[loc[1]+len(inner)+1:]
	}
	s = strings.NewReplacer(`\left`, "", `\right`, "", `\!`, "", `\,`, "", `\;`, "", `\ `, " ", "$", "", `\(`, "", `\)`, "", `\[`, "", `\]`, "", `\dfrac`, `\frac`, `\tfrac`, `\frac`).Replace(s)
	s = finalAns.ReplaceAllString(strings.TrimSpace(s), "")
	s = strings.ToLower(spaces.ReplaceAllString(strings.TrimSpace(s), " "))
	s = strings.TrimRightFunc(s, func(r rune) bool { return r == '.' || r == '!' || unicode.IsSpace(r) })
	return s
}

// braced returns the text up to the brace that closes an opened one.
func braced(s string) (string, bool) {
	depth := 1
	for i, r := range s {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[:i], true
			}
		}
	}
	return "", false
}

var frac = regexp.MustCompile(`^\\frac\{([^{}]+)\}\{([^{}]+)\}$`)

// number reads a normalized answer as a number: plain, with thousands separators, a
// fraction a/b or \frac{a}{b}, or a percentage (read as a fraction of 100).
func number(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if m := frac.FindStringSubmatch(s); m != nil {
		return ratio(m[1], m[2])
	}
	if a, b, ok := strings.Cut(s, "/"); ok {
		return ratio(a, b)
	}
	pct := strings.HasSuffix(s, "%") || strings.HasSuffix(s, `\%`)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "%"), `\`)
	s = strings.ReplaceAll(s, ",", "")
	s = strings.TrimSpace(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	if pct {
		f /= 100
	}
	return f, true
}

func ratio(a, b string) (float64, bool) {
	x, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || y == 0 {
		return 0, false
	}
	return x / y, true
}
