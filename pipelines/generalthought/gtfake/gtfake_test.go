package gtfake_test

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"testing"
	"unicode/utf8"

	gt "github.com/toolscale/toolscale/pipelines/generalthought"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

func TestDeterministic(t *testing.T) {
	c := gtfake.Default(1, 400)
	for _, f := range []gtfake.Format{gtfake.JSONL, gtfake.GzipJSONL, gtfake.Parquet} {
		var a, b bytes.Buffer
		if _, err := gtfake.Write(&a, f, c); err != nil {
			t.Fatal(err)
		}
		if _, err := gtfake.Write(&b, f, c); err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(a.Bytes()) != sha256.Sum256(b.Bytes()) {
			t.Errorf("%s: two writes differ", f)
		}
		var other bytes.Buffer
		gtfake.Write(&other, f, gtfake.Default(2, 400))
		if bytes.Equal(a.Bytes(), other.Bytes()) {
			t.Errorf("%s: seeds 1 and 2 give the same bytes", f)
		}
	}
	// A row is the same made alone or in sequence.
	var seq []gtfake.Item
	for it := range c.Items() {
		seq = append(seq, it)
	}
	for _, i := range []int{0, 57, 399} {
		a, b := c.Item(i), seq[i]
		la, _ := gtfake.JSONLine(a)
		lb, _ := gtfake.JSONLine(b)
		if a.Kind != b.Kind || !bytes.Equal(la, lb) {
			t.Errorf("Item(%d) differs from the %dth item of Items", i, i)
		}
	}
}

// Parts of one dataset are slices of the whole.
func TestParts(t *testing.T) {
	whole := gtfake.Default(6, 300)
	part := whole
	part.First, part.Rows = 120, 60
	i := part.First
	for it := range part.Items() {
		w := whole.Item(i)
		a, _ := gtfake.JSONLine(it)
		b, _ := gtfake.JSONLine(w)
		if it.Index != i || !bytes.Equal(a, b) {
			t.Fatalf("part item %d differs from the whole's", i)
		}
		i++
	}
	if i != 180 {
		t.Errorf("part yielded %d items; want 60", i-120)
	}
}

func TestSharesAndShapes(t *testing.T) {
	c := gtfake.Default(3, 4000)
	count := map[gtfake.Kind]int{}
	for it := range c.Items() {
		count[it.Kind]++
		if it.Kind != gtfake.Good {
			continue
		}
		r := it.Row
		if n := utf8.RuneCountInString(r.Question); n < 50 || n > 2300 {
			t.Errorf("row %d: question of %d characters", it.Index, n)
		}
		if n := len(r.ModelReasoning); n < 1000 || n > 21000 {
			t.Errorf("row %d: reasoning of %d bytes", it.Index, n)
		}
		if r.QuestionID == nil || r.ReferenceAnswer == "" || r.QuestionLicense == "" || r.QuestionSource == "" || r.Task == "" || r.ModelName == "" {
			t.Errorf("row %d lacks a column: %+v", it.Index, r)
		}
	}
	for k, share := range map[gtfake.Kind]float64{
		gtfake.Malformed: c.BadShare / 3, gtfake.MissingQuestion: c.BadShare / 3, gtfake.OpenEnded: c.OpenEndedShare,
		gtfake.DuplicateID: c.DuplicateShare / 2, gtfake.DuplicateText: c.DuplicateShare / 2, gtfake.EmptyAnswer: c.EmptyAnswerShare,
	} {
		want := share * float64(c.Rows)
		if got := float64(count[k]); got < want/2 || got > want*2 {
			t.Errorf("%s: %v rows; want about %v", k, got, want)
		}
	}

	compact := gtfake.Default(3, 200)
	compact.Compact = true
	var buf bytes.Buffer
	sum, err := gtfake.Write(&buf, gtfake.JSONL, compact)
	if err != nil {
		t.Fatal(err)
	}
	if per := sum.JSONBytes / int64(sum.Rows); per < 200 || per > 900 {
		t.Errorf("compact rows average %d bytes; want about 500", per)
	}
	if sum.Kept+sumOf(sum.ByReason) != sum.Rows {
		t.Errorf("summary %+v does not add up", sum)
	}
}

// Each spoiled line is spoiled the way its kind says.
func TestSpoiledLines(t *testing.T) {
	c := gtfake.Default(5, 3000)
	seen := map[string]bool{}
	for it := range c.Items() {
		line, err := gtfake.JSONLine(it)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.ContainsRune(line, '\n') {
			t.Fatalf("row %d: line holds a newline", it.Index)
		}
		want := it.Want(gtfake.JSONL)
		if want == gt.ReasonMalformedJSON || want == gt.ReasonWrongType || want == gt.ReasonMissingQuestion {
			seen[want+"/"+string(rune('0'+it.Variant))] = true
		}
	}
	if len(seen) != 3+4+4 {
		t.Errorf("variants seen: %v; want every variant of every bad kind", seen)
	}
	if gtfake.FormatOf("x.parquet") != gtfake.Parquet || gtfake.FormatOf("x.json.gz") != gtfake.GzipJSONL || gtfake.FormatOf("x.jsonl") != gtfake.JSONL {
		t.Error("FormatOf misreads a name")
	}
	if err := (gtfake.Config{Rows: 1, BadShare: 0.7, DuplicateShare: 0.7}).Validate(); err == nil || !strings.Contains(err.Error(), "more than 1") {
		t.Errorf("Validate of shares over 1 = %v", err)
	}
}

func sumOf(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
