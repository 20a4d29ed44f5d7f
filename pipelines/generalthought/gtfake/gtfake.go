// Package gtfake generates GeneralThought-430K-shaped data for tests and benchmarks: rows
// with realistic lengths and values, and a chosen share of bad rows, duplicates, open-ended
// prompts and empty answers, written as JSONL, gzip JSONL or Parquet. The same Config gives
// the same bytes. Each generated Item knows the reason the generalthought reader, Filter
// (with DefaultFilterConfig) and Deduper give it, so tests can check counts by reason.
package gtfake

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/toolscale/toolscale/pipelines/generalthought"
)

// A Kind is what a generated row is made to be.
type Kind int

const (
	Good            Kind = iota // a row the merge keeps
	Malformed                   // a JSONL line that is not a JSON object
	WrongType                   // a column of the wrong JSON type
	MissingQuestion             // no question: absent, null, empty or blank
	OpenEnded                   // an "explain / describe / why" prompt
	EmptyAnswer                 // no reference answer
	DuplicateID                 // the question_id of an earlier good row (another model's answer)
	DuplicateText               // an earlier good row's question, recased and repunctuated, under a new id
	numKinds
)

var kindNames = [numKinds]string{"good", "malformed", "wrong_type", "missing_question", "open_ended",
	"empty_answer", "duplicate_id", "duplicate_text"}

func (k Kind) String() string {
	if k >= 0 && k < numKinds {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Config says what to generate. Shares are fractions of Rows; what they leave is Good.
type Config struct {
	Seed uint64
	// First is the index of the first row. The parts of one dataset share a Seed and follow
	// each other: part k of n rows has First = k*n. Ids and questions are unique across
	// parts, and duplicates may repeat a row of an earlier part.
	First int
	Rows  int
	// BadShare is split evenly between Malformed, WrongType and MissingQuestion.
	BadShare float64
	// DuplicateShare is split evenly between DuplicateID and DuplicateText.
	DuplicateShare   float64
	OpenEndedShare   float64
	EmptyAnswerShare float64
	// Compact makes short rows (about 500 bytes of JSON): questions of one sentence, a line
	// of reasoning. Otherwise questions have 50–2,000 characters and reasoning 1–20 KB.
	Compact bool
	// RowsPerGroup is the Parquet row group size; 0 means 5,000.
	RowsPerGroup int
}

// Default returns a Config with a few percent of every kind of trouble.
func Default(seed uint64, rows int) Config {
	return Config{Seed: seed, Rows: rows, BadShare: 0.03, DuplicateShare: 0.06, OpenEndedShare: 0.04,
		EmptyAnswerShare: 0.02}
}

// Validate reports shares out of range.
func (c Config) Validate() error {
	for _, s := range []float64{c.BadShare, c.DuplicateShare, c.OpenEndedShare, c.EmptyAnswerShare} {
		if s < 0 || s > 1 {
			return fmt.Errorf("gtfake: share %v out of [0, 1]", s)
		}
	}
	if sum := c.BadShare + c.DuplicateShare + c.OpenEndedShare + c.EmptyAnswerShare; sum > 1 {
		return fmt.Errorf("gtfake: shares add up to %v, more than 1", sum)
	}
	if c.First < 0 || c.Rows < 0 || c.RowsPerGroup < 0 {
		return fmt.Errorf("gtfake: negative size (first %d, rows %d, rows per group %d)", c.First, c.Rows, c.RowsPerGroup)
	}
	return nil
}

// An Item is one generated row and what it was made to be.
type Item struct {
	Index   int // 0-based across parts; the row's line or row number in its file is Index-First+1
	Kind    Kind
	Variant int // which flavour of its Kind (how a question is missing, which field has the wrong type, …)
	// Row holds the values. For bad kinds it holds the good row the writer spoils.
	Row generalthought.Row
	// NullAnswer writes an EmptyAnswer row's reference_answer as null rather than "".
	NullAnswer bool
}

// Variants per bad kind.
const (
	malformedVariants = 3 // cut short; text after the object; a Python dict
	wrongTypeVariants = 4 // numeric question; string verifier_score; string prev_messages; string question_id
	missingVariants   = 4 // key absent; null; ""; white space
)

// Want returns the reason with which the generalthought reader, a Filter with
// DefaultFilterConfig and a Deduper (applied in that order to rows in file order) drop the
// item when written in format f, or "" when they keep it. Parquet has one type per column,
// so Malformed and WrongType rows are written there with a null question.
func (it Item) Want(f Format) string {
	switch it.Kind {
	case Malformed:
		if f == Parquet {
			return generalthought.ReasonMissingQuestion
		}
		return generalthought.ReasonMalformedJSON
	case WrongType:
		if f == Parquet {
			return generalthought.ReasonMissingQuestion
		}
		return generalthought.ReasonWrongType
	case MissingQuestion:
		return generalthought.ReasonMissingQuestion
	case OpenEnded:
		return generalthought.ReasonOpenEnded
	case EmptyAnswer:
		return generalthought.ReasonEmptyReferenceAnswer
	case DuplicateID:
		return generalthought.ReasonDuplicateID
	case DuplicateText:
		return generalthought.ReasonDuplicateText
	}
	return ""
}

// Items returns the c.Rows items from c.First on, in order.
func (c Config) Items() iter.Seq[Item] {
	return func(yield func(Item) bool) {
		for i := c.First; i < c.First+c.Rows; i++ {
			if !yield(c.Item(i)) {
				return
			}
		}
	}
}

// rng returns the random stream of row i for one purpose; rows do not share state, so any
// row can be made alone.
func (c Config) rng(i int, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(c.Seed^0x9e3779b97f4a7c15, uint64(i)<<4|stream))
}

const (
	streamKind = iota
	streamContent
	streamDup
)

// rawKind is the kind drawn for row i, before a duplicate finds (or fails to find) its
// earlier good row.
func (c Config) rawKind(i int) (Kind, int) {
	r := c.rng(i, streamKind)
	u := r.Float64()
	variant := r.IntN(1 << 16)
	k := Good
	for _, s := range []struct {
		share float64
		kind  Kind
	}{
		{c.BadShare / 3, Malformed}, {c.BadShare / 3, WrongType}, {c.BadShare / 3, MissingQuestion},
		{c.DuplicateShare / 2, DuplicateID}, {c.DuplicateShare / 2, DuplicateText},
		{c.OpenEndedShare, OpenEnded}, {c.EmptyAnswerShare, EmptyAnswer},
	} {
		if u < s.share {
			k = s.kind
			break
		}
		u -= s.share
	}
	return k, variant
}

// Item returns row i (counted from the start of the dataset, not from First).
func (c Config) Item(i int) Item {
	kind, variant := c.rawKind(i)
	it := Item{Index: i, Kind: kind}
	r := c.rng(i, streamContent)
	switch kind {
	case DuplicateID, DuplicateText:
		j, ok := c.earlierGood(i)
		if !ok {
			it.Kind = Good
			it.Row = c.goodRow(i, r)
			return it
		}
		target := c.goodRow(j, c.rng(j, streamContent))
		it.Row = c.goodRow(i, r) // another model, another answer
		if kind == DuplicateID {
			it.Row.QuestionID = target.QuestionID
			it.Row.QuestionURL = target.QuestionURL
			it.Row.Question = target.Question
			it.Row.ReferenceAnswer = target.ReferenceAnswer
		} else {
			it.Variant = variant % 3
			it.Row.Question = respell(target.Question, it.Variant)
			it.Row.ReferenceAnswer = target.ReferenceAnswer
		}
	case Malformed:
		it.Variant = variant % malformedVariants
		it.Row = c.goodRow(i, r)
	case WrongType:
		it.Variant = variant % wrongTypeVariants
		it.Row = c.goodRow(i, r)
	case MissingQuestion:
		it.Variant = variant % missingVariants
		it.Row = c.goodRow(i, r)
		it.Row.Question = []string{"", "", "", " \t\n "}[it.Variant]
	case OpenEnded:
		it.Variant = variant % len(openEndedAsks)
		it.Row = c.goodRow(i, r)
		it.Row.Question = c.openEndedQuestion(i, r, it.Variant)
		it.Row.ReferenceAnswer = prose(r, 200+r.IntN(1300))
	case EmptyAnswer:
		it.Variant = variant % 3
		it.Row = c.goodRow(i, r)
		it.Row.ReferenceAnswer = []string{"", "  ", ""}[it.Variant]
		it.NullAnswer = it.Variant == 2
	default:
		it.Row = c.goodRow(i, r)
	}
	return it
}

// earlierGood picks a row before i whose drawn kind is Good.
func (c Config) earlierGood(i int) (int, bool) {
	if i == 0 {
		return 0, false
	}
	start := c.rng(i, streamDup).IntN(i)
	for j := start; j >= 0; j-- {
		if k, _ := c.rawKind(j); k == Good {
			return j, true
		}
	}
	for j := start + 1; j < i; j++ {
		if k, _ := c.rawKind(j); k == Good {
			return j, true
		}
	}
	return 0, false
}

// respell changes case, spacing and prose punctuation, but not the normalized text.
func respell(q string, variant int) string {
	switch variant {
	case 0:
		return strings.ToUpper(q)
	case 1:
		return "  " + strings.ReplaceAll(q, " ", " \t ") + " ?!"
	default:
		return "\u201c" + strings.ToLower(q) + "\u201d..."
	}
}

var (
	tasks    = []string{"Mathematics", "Physics", "Chemistry", "Computer Science", "Economics", "Engineering", "Biology"}
	sources  = []string{"natural_reasoning", "OpenR1-Math", "NuminaMath", "General/VNet", "Open-Reasoner-Zero"}
	licenses = []string{"CC BY 4.0", "MIT", "Apache 2.0", "CC BY-SA 4.0", "CC BY-NC 4.0"}
	models   = []string{"DeepSeek/DeepSeek-R1", "DeepSeek/DeepSeek-R1-Zero", "open-thoughts/OpenThinker-32B",
		"GAIR-NLP/LIMO", "NousResearch/DeepHermes-3-Llama-3-8B-Preview", "agentica-org/DeepScaleR-1.5B-Preview"}
	starts = []string{"The", "A", "Consider", "Suppose", "In", "Given", "Recall", "Assume", "Each", "One"}
	vocab  = strings.Fields(`system value energy particle function sequence matrix sample
		interval reaction market price rate velocity mass field circuit current
		graph vertex edge probability set element integer prime polynomial root
		triangle circle angle surface volume density pressure temperature model
		process algorithm input output memory signal frequency wave length time
		cell protein population growth cost supply demand equilibrium constant
		measured observed constant small large linear uniform random discrete
		continuous finite positive negative initial final total average maximum`)
	thinking = []string{"Okay, so", "Let me", "Wait,", "Hmm,", "So", "First,", "Then", "Alternatively,",
		"Let me check:", "That means", "Now", "Therefore"}
)

// goodRow makes row i as a good row: a unique question_id and a unique question (its ask
// holds the number 1000+i) that passes DefaultFilterConfig.
func (c Config) goodRow(i int, r *rand.Rand) generalthought.Row {
	id := int64(100000 + i)
	ask, answer := askFor(i, r)
	question := ask
	if !c.Compact {
		question = context(r, 50+int(1950*sq(r.Float64()))-len(ask)) + ask
	}
	row := generalthought.Row{
		QuestionID:      &id,
		QuestionURL:     fmt.Sprintf("https://gr.inc/question/%s-%d", slug(ask), id),
		Question:        question,
		ReferenceAnswer: answer,
		ModelName:       pick(r, models),
		Task:            pick(r, tasks),
		QuestionLicense: pick(r, licenses),
		QuestionSource:  pick(r, sources),
	}
	if c.Compact {
		row.ModelReasoning = "Okay, so compute it directly; the result is " + answer + "."
		row.ModelAnswer = "\\boxed{" + answer + "}"
	} else {
		row.ModelReasoning = reasoning(r, 1024+int(19*1024*sq(r.Float64())))
		row.ModelAnswer = prose(r, 80+r.IntN(500)) + " The answer is \\boxed{" + answer + "}."
		switch n := r.IntN(20); {
		case n == 0:
			row.PrevMessages = []generalthought.Message{{Role: "system", Content: "You are a helpful assistant."}}
		case n == 1:
			row.PrevMessages = []generalthought.Message{
				{Role: "user", Content: prose(r, 40+r.IntN(200))},
				{Role: "assistant", Content: prose(r, 40+r.IntN(300))},
			}
		case n < 10:
			row.PrevMessages = []generalthought.Message{}
		}
	}
	if r.IntN(10) < 3 {
		v := float64(r.IntN(2))
		row.CommunityAnswerScore = &v
	}
	if r.IntN(10) < 3 {
		v := float64(r.IntN(12) - 2)
		row.CommunityQuestionScore = &v
	}
	if r.IntN(10) < 8 {
		v := []float64{0, 1, 1, 0.5}[r.IntN(4)]
		row.VerifierScore = &v
	}
	return row
}

func sq(x float64) float64 { return x * x }

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// askFor returns a checkable question about n = 1000+i and its answer.
func askFor(i int, r *rand.Rand) (ask, answer string) {
	n := 1000 + i
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("Compute the sum of all integers from 1 to %d.", n), strconv.Itoa(n * (n + 1) / 2)
	case 1:
		m := 3 + r.IntN(40)
		return fmt.Sprintf("Find the remainder when %d^2 is divided by %d.", n, m), strconv.Itoa(n * n % m)
	case 2:
		t := 2 + r.IntN(9)
		return fmt.Sprintf("A car accelerates uniformly from rest to %d m/s in %d s. What is its acceleration in m/s^2?", n, t),
			strconv.FormatFloat(float64(n)/float64(t), 'f', 2, 64)
	case 3:
		bits := 0
		for v := n; v > 0; v >>= 1 {
			bits++
		}
		return fmt.Sprintf("How many bits are needed to write the integer %d in binary?", n), strconv.Itoa(bits)
	case 4:
		p := 10 + r.IntN(90)
		return fmt.Sprintf("A price rises from %d to %d dollars. Determine the increase as a fraction of the old price.", n, n+p),
			fmt.Sprintf("\\frac{%d}{%d}", p, n)
	default:
		g := 18 * (1 + r.IntN(9))
		return fmt.Sprintf("Calculate the number of moles in %d.%d g of water, taking 18 g/mol as its molar mass.", g, n),
			fmt.Sprintf("%d.%d/18", g, n)
	}
}

var openEndedAsks = []string{
	"Explain why the %s changes when the %s grows (case %d).",
	"Describe how a %s relates to its %s in example %d.",
	"Why does the %s depend on the %s in setting %d?",
	"Compare the %s and the %s of system %d.",
	"Discuss the role of the %s in the %s of study %d.",
}

func (c Config) openEndedQuestion(i int, r *rand.Rand, variant int) string {
	ask := fmt.Sprintf(openEndedAsks[variant], pick(r, vocab), pick(r, vocab), 1000+i)
	if c.Compact {
		return ask
	}
	ctx := context(r, r.IntN(600))
	if variant%2 == 0 {
		return ctx + ask // the ask is the last sentence
	}
	return ask + " " + ctx // the ask is the first sentence
}

// context returns sentences of about n characters that open no ask, each followed by a space.
func context(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(pick(r, starts))
		for range 5 + r.IntN(12) {
			b.WriteByte(' ')
			b.WriteString(pick(r, vocab))
		}
		b.WriteString(". ")
	}
	return b.String()
}

// prose returns about n characters of sentences.
func prose(r *rand.Rand, n int) string {
	s := strings.TrimSpace(context(r, n))
	return s
}

// reasoning returns about n bytes of a reasoning trace.
func reasoning(r *rand.Rand, n int) string {
	var b strings.Builder
	b.Grow(n + 64)
	for b.Len() < n {
		b.WriteString(pick(r, thinking))
		for range 6 + r.IntN(20) {
			b.WriteByte(' ')
			b.WriteString(pick(r, vocab))
		}
		if r.IntN(4) == 0 {
			fmt.Fprintf(&b, " = %d", r.IntN(100000))
		}
		b.WriteString(".")
		if r.IntN(5) == 0 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func slug(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.Trim(w, ".,?!^:")
		if w == "" || b.Len() > 40 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
	}
	return b.String()
}
