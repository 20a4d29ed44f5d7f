package generalthought_test

import (
	"strings"
	"testing"

	gt "github.com/toolscale/toolscale/pipelines/generalthought"
)

func TestFilter(t *testing.T) {
	cfg := gt.DefaultFilterConfig()
	cfg.Sources = []string{"natural_reasoning", "OpenR1-Math"}
	cfg.Tasks = []string{"Mathematics", "physics"}
	cfg.MaxQuestionChars, cfg.MaxAnswerChars, cfg.MinAnswerChars = 200, 50, 1
	f, err := gt.NewFilter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base := gt.Row{Question: "Compute the sum of 2 and 3.", ReferenceAnswer: "5", Task: "Mathematics", QuestionSource: "natural_reasoning"}
	for _, tt := range []struct {
		name string
		edit func(*gt.Row)
		want string
	}{
		{"kept", func(*gt.Row) {}, ""},
		{"allow-lists ignore case", func(r *gt.Row) { r.Task, r.QuestionSource = "PHYSICS", " openr1-math " }, ""},
		{"source", func(r *gt.Row) { r.QuestionSource = "NuminaMath" }, gt.ReasonSourceNotAllowed},
		{"no source", func(r *gt.Row) { r.QuestionSource = "" }, gt.ReasonSourceNotAllowed},
		{"task", func(r *gt.Row) { r.Task = "Biology" }, gt.ReasonTaskNotAllowed},
		{"empty answer", func(r *gt.Row) { r.ReferenceAnswer = " \n" }, gt.ReasonEmptyReferenceAnswer},
		{"short question", func(r *gt.Row) { r.Question = "  2+3?   " }, gt.ReasonQuestionTooShort},
		{"long question", func(r *gt.Row) { r.Question = "Compute " + strings.Repeat("1+", 100) + "1." }, gt.ReasonQuestionTooLong},
		{"question length counts characters", func(r *gt.Row) { r.Question = "Compute " + strings.Repeat("é", 150) + "." }, ""},
		{"long answer", func(r *gt.Row) { r.ReferenceAnswer = strings.Repeat("5", 51) }, gt.ReasonAnswerTooLong},
		{"open-ended first sentence", func(r *gt.Row) { r.Question = "Explain why the sum of 2 and 3 is 5. Use words." }, gt.ReasonOpenEnded},
		{"open-ended last sentence", func(r *gt.Row) { r.Question = "Ice floats on water. Why does it float?" }, gt.ReasonOpenEnded},
		{"source before open-ended", func(r *gt.Row) { r.Question, r.QuestionSource = "Why?? Because.", "x" }, gt.ReasonSourceNotAllowed},
	} {
		row := base
		tt.edit(&row)
		keep, why := f.Filter(row)
		if keep != (tt.want == "") || why != tt.want {
			t.Errorf("%s: Filter = %v, %q; want %q", tt.name, keep, why, tt.want)
		}
	}

	// The zero configuration keeps everything.
	zero, err := gt.NewFilter(gt.FilterConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if keep, why := zero.Filter(gt.Row{Question: "Why?"}); !keep {
		t.Errorf("zero config dropped a row: %s", why)
	}
	// A short reference answer makes an open-ended wording checkable, when asked to.
	cfg = gt.DefaultFilterConfig()
	cfg.CheckableAnswerChars = 10
	f, _ = gt.NewFilter(cfg)
	if keep, why := f.Filter(gt.Row{Question: "Compare 2^10 and 10^3. Which is larger?", ReferenceAnswer: "2^10"}); !keep {
		t.Errorf("short answer: dropped for %s", why)
	}
	if keep, _ := f.Filter(gt.Row{Question: "Compare 2^10 and 10^3. Which is larger?", ReferenceAnswer: "2^10 is larger, by 24"}); keep {
		t.Error("long answer to an open-ended question kept")
	}
}

func TestOpenEnded(t *testing.T) {
	f, err := gt.NewFilter(gt.DefaultFilterConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q    string
		want bool
	}{
		{"Explain why the sky is blue.", true},
		{"explain: the sky", true},
		{"Please describe the water cycle.", true},
		{"Can you discuss the causes of inflation?", true},
		{"(a) Compare mitosis and meiosis.", true},
		{"1. Contrast the two theories", true},
		{"Comment on the following statement: prices rise.", true},
		{"What do you think of this proof?", true},
		{"A block slides down a ramp of angle 30°. Why does it speed up?", true},
		{"A block slides down a ramp. Why does it speed up? Explain your answer.", true},
		{"Compute 3.5 + 2. Explain your reasoning.", false},
		{"Find x such that 2x = 6.\nShow your work.", false},
		{"What is 2+2?", false},
		{"Evaluate the integral of x from 0 to 1.", false},
		{"Determine why-not: compute 1+1.", false},
		{"The word explain appears here. Compute 2+2.", false},
		{"A comparison of prices: find the larger of 3 and 4.", false},
		{"", false},
	} {
		if got := f.OpenEnded(tt.q); got != tt.want {
			t.Errorf("OpenEnded(%q) = %v; want %v", tt.q, got, tt.want)
		}
	}
}

func TestFilterConfigValidate(t *testing.T) {
	for _, tt := range []struct {
		edit func(*gt.FilterConfig)
		want string // "" when valid
	}{
		{func(*gt.FilterConfig) {}, ""},
		{func(c *gt.FilterConfig) { c.MinQuestionChars, c.MaxQuestionChars = 100, 50 }, "min_question_chars 100 is above max_question_chars 50"},
		{func(c *gt.FilterConfig) { c.MinQuestionChars, c.MaxQuestionChars = 100, 0 }, ""}, // no maximum
		{func(c *gt.FilterConfig) { c.MaxAnswerChars = -1 }, "answer length limits must not be negative"},
		{func(c *gt.FilterConfig) { c.OpenEndedWords = append(c.OpenEndedWords, " ? ") }, `has no word`},
		{func(c *gt.FilterConfig) { c.Sources = []string{"a", " "} }, "sources[1] is empty"},
		{func(c *gt.FilterConfig) { c.CheckableAnswerChars = -3 }, "checkable_answer_chars -3 is negative"},
	} {
		cfg := gt.DefaultFilterConfig()
		tt.edit(&cfg)
		_, err := gt.NewFilter(cfg)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("NewFilter: %v", err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("NewFilter error %v; want %q", err, tt.want)
		}
	}
}

func TestReasons(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range gt.Reasons() {
		if seen[r] {
			t.Errorf("reason %q listed twice", r)
		}
		seen[r] = true
		if gt.StageOf(r) == "" {
			t.Errorf("reason %q has no stage", r)
		}
	}
	if got := gt.StageOf(gt.ReasonOpenEnded); got != gt.StageFilter {
		t.Errorf("StageOf(open_ended) = %q; want filter", got)
	}
	if got := gt.StageOf("nope"); got != "" {
		t.Errorf("StageOf(nope) = %q; want \"\"", got)
	}
	// Published reasons keep their place: new ones go at the end.
	want := []string{"malformed_json", "wrong_type", "missing_question", "line_too_long", "source_not_allowed",
		"task_not_allowed", "empty_reference_answer", "question_too_short", "question_too_long",
		"answer_too_short", "answer_too_long", "open_ended", "duplicate_question_id", "duplicate_question_text"}
	got := gt.Reasons()
	if len(got) < len(want) {
		t.Fatalf("Reasons() = %v; lost some of %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Reasons()[%d] = %q; want %q", i, got[i], want[i])
		}
	}
}
