package generalthought

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// stdDecode is the reference: encoding/json into a Row, with errors classified as the
// reader classifies them.
func stdDecode(b []byte) (Row, string, string) {
	var row Row
	err := json.Unmarshal(b, &row)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return row, "", ""
	case errors.As(err, &te):
		return Row{}, ReasonWrongType, te.Field
	default:
		return Row{}, ReasonMalformedJSON, ""
	}
}

func fastDecode(b []byte) (Row, string, string) {
	var row Row
	err := decodeRow(b, &row, nil)
	var te *jsonTypeError
	switch {
	case err == nil:
		return row, "", ""
	case errors.As(err, &te):
		return Row{}, ReasonWrongType, te.field
	default:
		return Row{}, ReasonMalformedJSON, ""
	}
}

// repeatsMessages reports whether a valid object has prev_messages twice, where
// encoding/json merges the lists and decodeRow keeps the last.
func repeatsMessages(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	n := 0
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		if k, _ := t.(string); strings.EqualFold(k, "prev_messages") {
			n++
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
	}
	return n > 1
}

var jsonSeeds = []string{
	`{}`,
	`{"question_id": 1, "question": "Compute 2+2.", "reference_answer": "4"}`,
	`{"question_id": -0, "question_url": null, "question": "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00", "prev_messages": [{"role": "user", "content": "hi"}, null, {"ROLE": "x", "extra": {"a": [1, 2, {"b": null}]}}]}`,
	`{"question": "x", "question": null, "Question": "y", "QUESTION_ID": 5}`,
	`{"question": "a\ud800b\ud800\u0041\udc00"}`,
	"{\"question\": \"bad \xff\xfe utf8 \xe2\x82\"}",
	`{"question": "x", "verifier_score": 1e999}`,
	`{"question": "x", "verifier_score": "1"}`,
	`{"question": 1, "x": [}`,
	`{"question_id": 1.5}`,
	`{"question_id": 1e3}`,
	`{"question_id": 99999999999999999999}`,
	`{"prev_messages": [1]}`,
	`{"prev_messages": {"a": 1}}`,
	`{"prev_messages": [{"role": 1}], "question": 2}`,
	`{"prev_messages": []}`,
	`{"prev_messages": null, "community_answer_score": -1.5e-3, "community_question_score": 0, "verifier_score": null}`,
	`{"question": "x"}}`,
	`{"question": "x",}`,
	`{"question": "cut`,
	`{"question": "ctrl` + "\x01" + `"}`,
	`{"question": "esc \q"}`,
	`{"question": "\u12G4"}`,
	`{"a": tru}`,
	`{"a": [1 2]}`,
	`{"a": 01}`,
	`{"a": -}`,
	`{"a": 1.}`,
	`{"a": 1e}`,
	`{'question': 'x'}`,
	`{"task": true, "question": false}`,
	`{"prev_messages": [{"role": "a"}], "prev_messages": [{"content": "b"}]}`,
	`{"a":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
	`{"a":` + strings.Repeat("[", 9998) + strings.Repeat("]", 9998) + `}`,
}

func TestDecodeRowMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonSeeds {
		compareDecoders(t, []byte(s))
	}
}

func FuzzDecodeRow(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 || b[0] != '{' {
			return // the reader rejects these before decoding
		}
		compareDecoders(t, b)
	})
}

func compareDecoders(t *testing.T, b []byte) {
	t.Helper()
	if repeatsMessages(b) || bytes.Contains(b, []byte("NaN")) || bytes.Contains(b, []byte("Infinity")) {
		return // documented differences
	}
	wantRow, wantReason, wantField := stdDecode(b)
	gotRow, gotReason, gotField := fastDecode(b)
	if gotReason != wantReason || gotField != wantField {
		t.Fatalf("decode %q: %q %q; encoding/json says %q %q", b, gotReason, gotField, wantReason, wantField)
	}
	if !reflect.DeepEqual(gotRow, wantRow) {
		t.Fatalf("decode %q:\n got %+v\nwant %+v", b, gotRow, wantRow)
	}
}

// Python's json module writes NaN for a missing float; decodeRow reads it as null.
func TestDecodeRowPythonConstants(t *testing.T) {
	for _, tt := range []struct {
		in            string
		reason, field string
	}{
		{`{"question": "q", "verifier_score": NaN, "community_answer_score": NaN, "question_id": NaN}`, "", ""},
		{`{"question": "q", "extra": [NaN, Infinity, -Infinity, {"x": NaN}]}`, "", ""},
		{`{"question": "q", "verifier_score": Infinity}`, ReasonWrongType, "verifier_score"},
		{`{"question": "q", "community_question_score": -Infinity}`, ReasonWrongType, "community_question_score"},
		{`{"question": "q", "question_id": Infinity}`, ReasonWrongType, "question_id"},
		{`{"question": NaN}`, ReasonWrongType, "question"},
		{`{"question": "q", "verifier_score": Nan}`, ReasonMalformedJSON, ""},
		{`{"question": "q", "verifier_score": -Inf}`, ReasonMalformedJSON, ""},
	} {
		row, reason, field := fastDecode([]byte(tt.in))
		if reason != tt.reason || field != tt.field {
			t.Errorf("decode %s: %q %q; want %q %q", tt.in, reason, field, tt.reason, tt.field)
		}
		if reason == "" && (row.VerifierScore != nil || row.QuestionID != nil || row.Question != "q") {
			t.Errorf("decode %s: %+v; want NaN read as null", tt.in, row)
		}
	}
}

func TestIndexControl(t *testing.T) {
	for n := range 40 {
		b := bytes.Repeat([]byte{'a'}, n)
		if got := indexControl(b); got != -1 {
			t.Errorf("indexControl(%d × 'a') = %d; want -1", n, got)
		}
		for k := range n {
			for _, c := range []byte{0x00, 0x1f, '\n'} {
				b := bytes.Repeat([]byte{0x20}, n)
				b[k] = c
				if k+1 < n {
					b[k+1] = 0x01 // a later one does not count
				}
				if got := indexControl(b); got != k {
					t.Errorf("indexControl with %#x at %d of %d = %d", c, k, n, got)
				}
			}
		}
	}
	if got := indexControl([]byte("\xff\x80\x7f ~\xc3\xa9 tail of text")); got != -1 {
		t.Errorf("indexControl of high bytes = %d; want -1", got)
	}
}
