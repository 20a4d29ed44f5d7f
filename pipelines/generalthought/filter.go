package generalthought

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FilterConfig selects the rows worth merging. Its zero value keeps every row; start from
// DefaultFilterConfig. Lengths count characters (Unicode code points) of the text with
// leading and trailing white space removed; a maximum of 0 means no limit.
type FilterConfig struct {
	// RequireReferenceAnswer drops rows whose reference answer is empty.
	RequireReferenceAnswer bool `yaml:"require_reference_answer" mapstructure:"require_reference_answer" json:"require_reference_answer"`
	// DropOpenEnded drops questions whose first or last sentence starts with one of
	// OpenEndedWords (after "please", "can you" and the like), such as "Explain why …" or
	// "… Why does the pressure drop?": a reference answer cannot check an explanation.
	DropOpenEnded bool `yaml:"drop_open_ended" mapstructure:"drop_open_ended" json:"drop_open_ended"`
	// OpenEndedWords are the words and phrases ("comment on") that open an open-ended ask.
	// Matching ignores case and punctuation.
	OpenEndedWords []string `yaml:"open_ended_words" mapstructure:"open_ended_words" json:"open_ended_words"`
	// OpenEndedIgnore are sentences that do not count as the ask, such as "Explain your
	// answer." after a computation: the sentence before them is the last one.
	OpenEndedIgnore []string `yaml:"open_ended_ignore" mapstructure:"open_ended_ignore" json:"open_ended_ignore"`
	// CheckableAnswerChars keeps a question that reads as open-ended when its reference
	// answer has at most this many characters (a short answer can be checked); 0 turns
	// this off.
	CheckableAnswerChars int `yaml:"checkable_answer_chars" mapstructure:"checkable_answer_chars" json:"checkable_answer_chars"`

	MinQuestionChars int `yaml:"min_question_chars" mapstructure:"min_question_chars" json:"min_question_chars"`
	MaxQuestionChars int `yaml:"max_question_chars" mapstructure:"max_question_chars" json:"max_question_chars"`
	MinAnswerChars   int `yaml:"min_answer_chars" mapstructure:"min_answer_chars" json:"min_answer_chars"`
	MaxAnswerChars   int `yaml:"max_answer_chars" mapstructure:"max_answer_chars" json:"max_answer_chars"`

	// Sources and Tasks are allow-lists of question_source and task values, compared
	// without regard to case; an empty list allows every value.
	Sources []string `yaml:"sources" mapstructure:"sources" json:"sources"`
	Tasks   []string `yaml:"tasks" mapstructure:"tasks" json:"tasks"`

	// DedupByID keeps the first row of each question_id; DedupByText keeps the first row
	// of each normalized question text (see NormalizeQuestion). Filter does not apply
	// them: use DedupKey in a pipeline or a Deduper, after Filter.
	DedupByID   bool `yaml:"dedup_by_id" mapstructure:"dedup_by_id" json:"dedup_by_id"`
	DedupByText bool `yaml:"dedup_by_text" mapstructure:"dedup_by_text" json:"dedup_by_text"`
}

// DefaultFilterConfig returns the configuration the merge uses unless told otherwise.
func DefaultFilterConfig() FilterConfig {
	return FilterConfig{
		RequireReferenceAnswer: true,
		DropOpenEnded:          true,
		OpenEndedWords: []string{
			"explain", "discuss", "describe", "compare", "contrast", "why", "elaborate",
			"justify", "summarize", "summarise", "outline", "critique", "reflect",
			"comment on", "what do you think", "what are your thoughts", "in your opinion",
		},
		OpenEndedIgnore: []string{
			"explain your answer", "explain your reasoning", "explain your steps",
			"justify your answer", "show your work",
		},
		MinQuestionChars: 10,
		MaxQuestionChars: 8000,
		MinAnswerChars:   1,
		MaxAnswerChars:   2000,
		DedupByID:        true,
		DedupByText:      true,
	}
}

// Validate reports a configuration that cannot be applied.
func (c FilterConfig) Validate() error {
	var errs []error
	for _, l := range []struct {
		name     string
		min, max int
	}{
		{"question", c.MinQuestionChars, c.MaxQuestionChars},
		{"answer", c.MinAnswerChars, c.MaxAnswerChars},
	} {
		if l.min < 0 || l.max < 0 {
			errs = append(errs, fmt.Errorf("%s length limits must not be negative (min %d, max %d)", l.name, l.min, l.max))
		} else if l.max > 0 && l.min > l.max {
			errs = append(errs, fmt.Errorf("min_%s_chars %d is above max_%s_chars %d", l.name, l.min, l.name, l.max))
		}
	}
	if c.CheckableAnswerChars < 0 {
		errs = append(errs, fmt.Errorf("checkable_answer_chars %d is negative", c.CheckableAnswerChars))
	}
	for i, w := range c.OpenEndedWords {
		if len(words(w)) == 0 {
			errs = append(errs, fmt.Errorf("open_ended_words[%d] %q has no word", i, w))
		}
	}
	for i, w := range c.OpenEndedIgnore {
		if len(words(w)) == 0 {
			errs = append(errs, fmt.Errorf("open_ended_ignore[%d] %q has no word", i, w))
		}
	}
	for i, s := range c.Sources {
		if strings.TrimSpace(s) == "" {
			errs = append(errs, fmt.Errorf("sources[%d] is empty", i))
		}
	}
	for i, s := range c.Tasks {
		if strings.TrimSpace(s) == "" {
			errs = append(errs, fmt.Errorf("tasks[%d] is empty", i))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("generalthought filter: %w", err)
	}
	return nil
}

// A Filter applies the per-row filters of a FilterConfig. It is safe for concurrent use.
type Filter struct {
	cfg       FilterConfig
	sources   map[string]bool // lower-cased; nil allows all
	tasks     map[string]bool
	openEnded [][]string
	ignore    [][]string
}

// NewFilter checks cfg and prepares its word lists.
func NewFilter(cfg FilterConfig) (*Filter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	f := &Filter{cfg: cfg, sources: lowerSet(cfg.Sources), tasks: lowerSet(cfg.Tasks)}
	for _, w := range cfg.OpenEndedWords {
		f.openEnded = append(f.openEnded, words(w))
	}
	for _, w := range cfg.OpenEndedIgnore {
		f.ignore = append(f.ignore, words(w))
	}
	return f, nil
}

func lowerSet(list []string) map[string]bool {
	if len(list) == 0 {
		return nil
	}
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[strings.ToLower(strings.TrimSpace(s))] = true
	}
	return m
}

// Filter reports whether row passes the per-row filters, and when it does not, the reason
// of the first one that drops it, checked in this order: source, task, empty reference
// answer, question length, answer length, open-ended question.
func (f *Filter) Filter(row Row) (keep bool, reason string) {
	if f.sources != nil && !f.sources[strings.ToLower(strings.TrimSpace(row.QuestionSource))] {
		return false, ReasonSourceNotAllowed
	}
	if f.tasks != nil && !f.tasks[strings.ToLower(strings.TrimSpace(row.Task))] {
		return false, ReasonTaskNotAllowed
	}
	answer := strings.TrimSpace(row.ReferenceAnswer)
	if f.cfg.RequireReferenceAnswer && answer == "" {
		return false, ReasonEmptyReferenceAnswer
	}
	q := utf8.RuneCountInString(strings.TrimSpace(row.Question))
	if q < f.cfg.MinQuestionChars {
		return false, ReasonQuestionTooShort
	}
	if f.cfg.MaxQuestionChars > 0 && q > f.cfg.MaxQuestionChars {
		return false, ReasonQuestionTooLong
	}
	a := utf8.RuneCountInString(answer)
	if a < f.cfg.MinAnswerChars {
		return false, ReasonAnswerTooShort
	}
	if f.cfg.MaxAnswerChars > 0 && a > f.cfg.MaxAnswerChars {
		return false, ReasonAnswerTooLong
	}
	if f.cfg.DropOpenEnded && f.OpenEnded(row.Question) &&
		(f.cfg.CheckableAnswerChars == 0 || a > f.cfg.CheckableAnswerChars) {
		return false, ReasonOpenEnded
	}
	return true, ""
}

// politePrefixes are skipped at the start of a sentence before matching an open-ended word.
var politePrefixes = [][]string{
	{"please"}, {"kindly"}, {"briefly"}, {"now"}, {"also"}, {"then"},
	{"can", "you"}, {"could", "you"}, {"would", "you"}, {"will", "you"},
}

// OpenEnded reports whether the first or the last sentence of question (sentences matching
// OpenEndedIgnore left out) starts with one of OpenEndedWords.
func (f *Filter) OpenEnded(question string) bool {
	var buf [32][2]int
	spans := sentenceSpans(question, buf[:0])
	ask := func(k int) ([]string, bool) {
		s := trimLead(leadWords(question[spans[k][0]:spans[k][1]]))
		if len(s) == 0 || !hasWord(s) || startsWithAny(s, f.ignore) {
			return nil, false
		}
		return s, true
	}
	first := -1
	for k := range spans {
		if s, ok := ask(k); ok {
			if startsWithAny(s, f.openEnded) {
				return true
			}
			first = k
			break
		}
	}
	if first < 0 {
		return false
	}
	for k := len(spans) - 1; k > first; k-- {
		if s, ok := ask(k); ok {
			return startsWithAny(s, f.openEnded)
		}
	}
	return false
}

// trimLead drops enumeration marks ("1", "a", "iv" of "(a)", "1.") and polite prefixes.
func trimLead(s []string) []string {
	for len(s) > 0 {
		if isMark(s[0]) {
			s = s[1:]
			continue
		}
		trimmed := false
		for _, p := range politePrefixes {
			if hasPrefixWords(s, p) {
				s = s[len(p):]
				trimmed = true
				break
			}
		}
		if !trimmed {
			return s
		}
	}
	return s
}

func isMark(w string) bool {
	if utf8.RuneCountInString(w) == 1 {
		return true
	}
	switch w {
	case "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "q":
		return true
	}
	return strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}

// hasWord reports whether s has a word of two letters or more.
func hasWord(s []string) bool {
	return slices.ContainsFunc(s, func(w string) bool {
		n := 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				n++
			}
		}
		return n >= 2
	})
}

func startsWithAny(s []string, phrases [][]string) bool {
	for _, p := range phrases {
		if hasPrefixWords(s, p) {
			return true
		}
	}
	return false
}

func hasPrefixWords(s, p []string) bool {
	return len(p) > 0 && len(s) >= len(p) && slices.Equal(s[:len(p)], p)
}

// maxSentenceWords bounds the words kept from a sentence: phrases are matched at the start.
const maxSentenceWords = 8

// sentenceSpans appends the byte ranges of text's sentences to spans. A sentence ends at "?",
// "!", ";", a line break, or a "." or ":" followed by white space or the end (so "3.5" does
// not end one).
func sentenceSpans(text string, spans [][2]int) [][2]int {
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '?', '!', ';', '\n':
		case '.', ':':
			if i+1 < len(text) {
				next, _ := utf8.DecodeRuneInString(text[i+1:])
				if !unicode.IsSpace(next) {
					continue
				}
			}
		default:
			continue
		}
		if i > start {
			spans = append(spans, [2]int{start, i})
		}
		start = i + 1
	}
	if start < len(text) {
		spans = append(spans, [2]int{start, len(text)})
	}
	return spans
}

// leadWords returns the first words of a sentence, lower-cased. A word is a run of letters,
// digits and inner apostrophes.
func leadWords(s string) []string {
	var out []string
	var word []byte
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '\'' || r == '’') && len(word) > 0:
			if r == '’' {
				r = '\''
			}
			word = utf8.AppendRune(word, unicode.ToLower(r))
		case len(word) > 0:
			out = append(out, string(word))
			word = word[:0]
			if len(out) == maxSentenceWords {
				return out
			}
		}
	}
	if len(word) > 0 {
		out = append(out, string(word))
	}
	return out
}

// words splits a phrase of the configuration into words as sentences are split.
func words(phrase string) []string {
	var all []string
	for _, sp := range sentenceSpans(phrase, nil) {
		all = append(all, leadWords(phrase[sp[0]:sp[1]])...)
	}
	return all
}
