package generalthought_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	gt "github.com/toolscale/toolscale/pipelines/generalthought"
)

// looseRow types columns as other writers do: ids and counts as floats with NaN for null
// (pandas), a score as text, prev_messages as a JSON string, and an index column.
type looseRow struct {
	QuestionID             *float64 `parquet:"question_id,optional"`
	Question               *string  `parquet:"question,optional"`
	ReferenceAnswer        *string  `parquet:"reference_answer,optional"`
	PrevMessages           *string  `parquet:"prev_messages,optional"`
	CommunityAnswerScore   *string  `parquet:"community_answer_score,optional"`
	CommunityQuestionScore *float64 `parquet:"community_question_score,optional"`
	VerifierScore          *int32   `parquet:"verifier_score,optional"`
	Index                  int64    `parquet:"__index_level_0__"`
}

func writeParquet[T any](t *testing.T, path string, rows []T) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestParquetLenientTypes(t *testing.T) {
	s := func(v string) *string { return &v }
	f := func(v float64) *float64 { return &v }
	i := func(v int64) *int64 { return &v }
	nan := math.NaN()
	one := int32(1)
	rows := []looseRow{
		{QuestionID: f(1), Question: s("Compute 1+1."), ReferenceAnswer: s("2"), PrevMessages: s(`[{"role": "user", "content": "hi"}]`),
			CommunityAnswerScore: s(" 0.5 "), CommunityQuestionScore: f(nan), VerifierScore: &one},
		{QuestionID: f(nan), Question: s("Compute 2+2."), PrevMessages: s("null"), CommunityAnswerScore: s(""), CommunityQuestionScore: f(3)},
		{QuestionID: f(2.5), Question: s("Compute 3+3.")},
		{QuestionID: f(4), Question: s("Compute 4+4."), CommunityAnswerScore: s("high")},
		{QuestionID: f(5), Question: s("Compute 5+5."), PrevMessages: s("nope")},
		{QuestionID: f(6)},
		{QuestionID: f(7), Question: s("Compute \xff7.")},
	}
	path := filepath.Join(t.TempDir(), "loose.parquet")
	writeParquet(t, path, rows)
	got, errs, fatal := readAll(t, &gt.Opener{}, path)
	if fatal != nil {
		t.Fatal(fatal)
	}
	want := []gt.Row{
		{QuestionID: i(1), Question: "Compute 1+1.", ReferenceAnswer: "2", PrevMessages: []gt.Message{{Role: "user", Content: "hi"}},
			CommunityAnswerScore: f(0.5), VerifierScore: f(1), File: path, Line: 1},
		{Question: "Compute 2+2.", CommunityQuestionScore: f(3), File: path, Line: 2},
		{QuestionID: i(7), Question: "Compute \uFFFD7.", File: path, Line: 7},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n got %+v\nwant %+v", got, want)
	}
	var gotErrs []string
	for _, e := range errs {
		gotErrs = append(gotErrs, fmt.Sprintf("%d %s %s", e.Row, e.Field, e.Reason))
	}
	wantErrs := []string{"3 question_id wrong_type", "4 community_answer_score wrong_type",
		"5 prev_messages wrong_type", "6 question missing_question"}
	if !reflect.DeepEqual(gotErrs, wantErrs) {
		t.Errorf("row errors:\n got %q\nwant %q", gotErrs, wantErrs)
	}
}

func TestParquetBadSchema(t *testing.T) {
	dir := t.TempDir()
	type noQuestion struct {
		QuestionID int64 `parquet:"question_id"`
	}
	type intQuestion struct {
		Question int64 `parquet:"question"`
	}
	type boolScore struct {
		Question      string `parquet:"question"`
		VerifierScore bool   `parquet:"verifier_score"`
	}
	for _, tt := range []struct {
		name, want string
		write      func(string)
	}{
		{"noq.parquet", "no question column", func(p string) { writeParquet(t, p, []noQuestion{{1}}) }},
		{"intq.parquet", "column question has type INT64; want a string", func(p string) { writeParquet(t, p, []intQuestion{{1}}) }},
		{"bool.parquet", "column verifier_score has type BOOLEAN; want a number", func(p string) { writeParquet(t, p, []boolScore{{"q", true}}) }},
	} {
		path := filepath.Join(dir, tt.name)
		tt.write(path)
		_, err := gt.Open(context.Background(), path)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: Open error %v; want one naming the file and saying %q", tt.name, err, tt.want)
		}
	}
}
