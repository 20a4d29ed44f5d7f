package generalthought_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	gt "github.com/toolscale/toolscale/pipelines/generalthought"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

func TestNormalizeQuestion(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"  What is 2+2?  ", "what is 2+2"},
		{"WHAT\tis\n\n2+2 ?!", "what is 2+2"},
		{"\u201cWhat is 2+2?\u201d...", "what is 2+2"},
		{"Hello,world;  again: yes.", "hello world again yes"},
		{"Compute 3.5 + 1,000.", "compute 3.5 + 1,000"},
		{"Compute 35 + 1000.", "compute 35 + 1000"},
		{"x-1, a/b, a*b, f(x) = [1] {2} 50% #3 a_b", "x-1 a/b a*b f(x) = [1] {2} 50% #3 a_b"},
		{"Ünïcode ÄND Σ", "ünïcode änd σ"},
		{"...", ""},
	} {
		if got := gt.NormalizeQuestion(tt.in); got != tt.want {
			t.Errorf("NormalizeQuestion(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestDedupKey(t *testing.T) {
	id := int64(42)
	a := gt.Row{QuestionID: &id, Question: "What is 2+2?"}
	b := gt.Row{Question: "  what IS 2+2 "}
	c := gt.Row{Question: "What is 2-2?"}
	if got := gt.DedupKey(gt.ByID, a); got != "id:42" {
		t.Errorf("DedupKey(ByID) = %q; want id:42", got)
	}
	if got := gt.DedupKey(gt.ByID, b); got != "" {
		t.Errorf("DedupKey(ByID) of a row without id = %q; want \"\"", got)
	}
	ka, kb, kc := gt.DedupKey(gt.ByText, a), gt.DedupKey(gt.ByText, b), gt.DedupKey(gt.ByText, c)
	if ka != kb || ka == kc || len(ka) != len("text:")+32 {
		t.Errorf("text keys %q %q %q: want the first two equal, the third different, 128 bits each", ka, kb, kc)
	}
	if gt.ByID.Reason() != gt.ReasonDuplicateID || gt.ByText.Reason() != gt.ReasonDuplicateText {
		t.Error("DedupBy.Reason does not match the reason constants")
	}
}

func TestDeduper(t *testing.T) {
	ids := []int64{1, 2, 3}
	rows := []gt.Row{
		{QuestionID: &ids[0], Question: "What is 2+2?"},
		{QuestionID: &ids[0], Question: "Another text, same id."},
		{QuestionID: &ids[1], Question: "what is 2+2"},
		{Question: "WHAT IS 2+2?"},
		{Question: "No id, new text."},
		{QuestionID: &ids[2], Question: "no id new text"},
	}
	for _, tt := range []struct {
		byID, byText bool
		want         []string
	}{
		{true, true, []string{"", gt.ReasonDuplicateID, gt.ReasonDuplicateText, gt.ReasonDuplicateText, "", gt.ReasonDuplicateText}},
		{true, false, []string{"", gt.ReasonDuplicateID, "", "", "", ""}},
		{false, true, []string{"", "", gt.ReasonDuplicateText, gt.ReasonDuplicateText, "", gt.ReasonDuplicateText}},
		{false, false, []string{"", "", "", "", "", ""}},
	} {
		d := gt.NewDeduper(gt.FilterConfig{DedupByID: tt.byID, DedupByText: tt.byText})
		var got []string
		for _, r := range rows {
			keep, why := d.Add(r)
			if keep != (why == "") {
				t.Errorf("Add = %v, %q: keep and reason disagree", keep, why)
			}
			got = append(got, why)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("byID %v byText %v: reasons %q; want %q", tt.byID, tt.byText, got, tt.want)
		}
	}
}

// Two GroupByKey passes keyed by DedupKey, keeping the first row of each group by Prefer,
// keep the same rows as a Deduper reading the rows in order, whatever order they arrive in.
func TestDedupPassesMatchDeduper(t *testing.T) {
	c := gtfake.Default(4, 3000)
	c.Compact, c.DuplicateShare = true, 0.3
	var rows []gt.Row
	for it := range c.Items() {
		r := it.Row
		r.File, r.Line = []string{"a.parquet", "b.jsonl.gz"}[it.Index%2], int64(it.Index/2+1)
		if it.Index%7 == 0 {
			r.QuestionID = nil // some rows have no id
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b gt.Row) int { // input order: by file, then line
		if gt.Prefer(a, b) {
			return -1
		}
		return 1
	})
	d := gt.NewDeduper(gt.DefaultFilterConfig())
	want := map[string]string{}
	for _, r := range rows {
		_, why := d.Add(r)
		want[pos(r)] = why
	}

	shuffled := slices.Clone(rows)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	got := map[string]string{}
	survivors := shuffled
	for _, by := range []gt.DedupBy{gt.ByID, gt.ByText} {
		groups := map[string][]gt.Row{}
		var next []gt.Row
		for _, r := range survivors {
			k := gt.DedupKey(by, r)
			if k == "" {
				next = append(next, r)
				continue
			}
			groups[k] = append(groups[k], r)
		}
		for _, g := range groups {
			first := g[0]
			for _, r := range g[1:] {
				if gt.Prefer(r, first) {
					first = r
				}
			}
			for _, r := range g {
				if pos(r) != pos(first) {
					got[pos(r)] = by.Reason()
				}
			}
			next = append(next, first)
		}
		survivors = next
	}
	for _, r := range survivors {
		got[pos(r)] = ""
	}
	dups := 0
	for k, w := range want {
		if got[k] != w {
			t.Errorf("row %s: passes say %q; Deduper says %q", k, got[k], w)
		}
		if w != "" {
			dups++
		}
	}
	if dups < 500 {
		t.Errorf("only %d duplicates among %d rows: the test proves little", dups, len(rows))
	}
}

func pos(r gt.Row) string { return fmt.Sprintf("%s:%d", r.File, r.Line) }
