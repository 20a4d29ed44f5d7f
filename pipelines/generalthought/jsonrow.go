package generalthought

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file decodes one JSONL line into a Row without reflection, in a single pass. It
// accepts and rejects exactly what encoding/json's Unmarshal into a Row does (a fuzz test
// compares the two), with two documented differences. When prev_messages appears twice in a
// line, the last one wins whole (encoding/json merges the second list into the first).
// Keys match field names exactly or, failing that, without regard to case; unknown keys are
// skipped; null leaves a string empty and a number or a list nil.
//
// Beyond JSON, it accepts the NaN, Infinity and -Infinity that Python's json module writes
// for float values: NaN in a numeric column reads as null (as pandas means it), an infinite
// score is a wrong type, and in unknown keys all three are skipped.

// maxJSONDepth is encoding/json's limit on nested arrays and objects.
const maxJSONDepth = 10000

// jsonSyntaxError is a line that is not valid JSON.
type jsonSyntaxError struct {
	msg string
	off int // byte offset in the line
}

func (e *jsonSyntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.off) }

// jsonTypeError is a value of the wrong JSON type for its field.
type jsonTypeError struct {
	field string // such as "question" or "prev_messages.role"
	got   string // "string", "number 1.5", "bool", "array", "object"
	want  string // "a string", "a number", "an integer", "an array", "an object"
}

func (e *jsonTypeError) Error() string { return fmt.Sprintf("got JSON %s, want %s", e.got, e.want) }

type rowDecoder struct {
	b       []byte
	i       int
	depth   int
	typeErr *jsonTypeError // the first one; decoding goes on to find syntax errors
	scratch []byte
}

// decodeRow decodes b, a line starting with '{', into row. It returns a *jsonSyntaxError or
// a *jsonTypeError. scratch, when not nil, holds a buffer kept from one call to the next.
func decodeRow(b []byte, row *Row, scratch *[]byte) error {
	d := rowDecoder{b: b}
	if scratch != nil {
		d.scratch = *scratch
		defer func() { *scratch = d.scratch }()
	}
	if err := d.object(func(key []byte) error { return d.rowField(key, row) }); err != nil {
		return err
	}
	d.ws()
	if d.i < len(d.b) {
		return d.syntax(fmt.Sprintf("invalid character %s after top-level value", quoteChar(d.b[d.i])))
	}
	if d.typeErr != nil {
		return d.typeErr
	}
	return nil
}

func (d *rowDecoder) syntax(msg string) error { return &jsonSyntaxError{msg: msg, off: d.i} }

func (d *rowDecoder) unexpectedEnd() error {
	return &jsonSyntaxError{msg: "unexpected end of JSON input", off: len(d.b)}
}

func (d *rowDecoder) badChar(context string) error {
	if d.i >= len(d.b) {
		return d.unexpectedEnd()
	}
	return d.syntax(fmt.Sprintf("invalid character %s %s", quoteChar(d.b[d.i]), context))
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c < 0x20 || c >= 0x7f:
		return fmt.Sprintf("%q", rune(c))
	}
	return "'" + string(rune(c)) + "'"
}

func (d *rowDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *rowDecoder) mismatch(field, got, want string) {
	if d.typeErr == nil {
		d.typeErr = &jsonTypeError{field: field, got: got, want: want}
	}
}

// push and pop count nesting as encoding/json does.
func (d *rowDecoder) push() error {
	d.depth++
	if d.depth > maxJSONDepth {
		return d.syntax("exceeded max depth")
	}
	return nil
}

// object parses an object at d.i, calling field for each key with d.i at its value; field
// must consume the value.
func (d *rowDecoder) object(field func(key []byte) error) error {
	d.ws()
	if d.i >= len(d.b) {
		return d.unexpectedEnd()
	}
	if d.b[d.i] != '{' {
		return d.badChar("looking for beginning of value")
	}
	if err := d.push(); err != nil {
		return err
	}
	d.i++
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		d.depth--
		return nil
	}
	for {
		d.ws()
		if d.i >= len(d.b) {
			return d.unexpectedEnd()
		}
		if d.b[d.i] != '"' {
			return d.badChar("looking for beginning of object key string")
		}
		key, err := d.stringBytes()
		if err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.b) {
			return d.unexpectedEnd()
		}
		if d.b[d.i] != ':' {
			return d.badChar("after object key")
		}
		d.i++
		d.ws()
		if err := field(key); err != nil {
			return err
		}
		d.ws()
		if d.i >= len(d.b) {
			return d.unexpectedEnd()
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			d.depth--
			return nil
		default:
			return d.badChar("after object key:value pair")
		}
	}
}

// Row fields, in the order of Row.
var rowKeys = []string{"question_id", "question_url", "question", "reference_answer", "prev_messages",
	"model_name", "model_answer", "model_reasoning", "task", "question_license", "question_source",
	"community_answer_score", "community_question_score", "verifier_score"}

// matchKey returns the index in keys of key, matched exactly or else without regard to case.
func matchKey(key []byte, keys []string) int {
	for i, k := range keys {
		if string(key) == k {
			return i
		}
	}
	for i, k := range keys {
		if bytes.EqualFold(key, []byte(k)) {
			return i
		}
	}
	return -1
}

func (d *rowDecoder) rowField(key []byte, row *Row) error {
	switch matchKey(key, rowKeys) {
	case 0:
		return d.intField("question_id", &row.QuestionID)
	case 1:
		return d.stringField("question_url", &row.QuestionURL)
	case 2:
		return d.stringField("question", &row.Question)
	case 3:
		return d.stringField("reference_answer", &row.ReferenceAnswer)
	case 4:
		return d.messages(&row.PrevMessages)
	case 5:
		return d.stringField("model_name", &row.ModelName)
	case 6:
		return d.stringField("model_answer", &row.ModelAnswer)
	case 7:
		return d.stringField("model_reasoning", &row.ModelReasoning)
	case 8:
		return d.stringField("task", &row.Task)
	case 9:
		return d.stringField("question_license", &row.QuestionLicense)
	case 10:
		return d.stringField("question_source", &row.QuestionSource)
	case 11:
		return d.floatField("community_answer_score", &row.CommunityAnswerScore)
	case 12:
		return d.floatField("community_question_score", &row.CommunityQuestionScore)
	case 13:
		return d.floatField("verifier_score", &row.VerifierScore)
	}
	return d.skip()
}

var messageKeys = []string{"role", "content"}

// messages decodes prev_messages: null, or an array of objects (or nulls).
func (d *rowDecoder) messages(dst *[]Message) error {
	if d.i >= len(d.b) {
		return d.unexpectedEnd()
	}
	switch d.b[d.i] {
	case 'n':
		*dst = nil
		return d.literal("null")
	case '[':
	default:
		return d.wrongType("prev_messages", "an array")
	}
	if err := d.push(); err != nil {
		return err
	}
	d.i++
	msgs := []Message{}
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		d.depth--
		*dst = msgs
		return nil
	}
	for {
		d.ws()
		if d.i >= len(d.b) {
			return d.unexpectedEnd()
		}
		var m Message
		switch d.b[d.i] {
		case '{':
			err := d.object(func(key []byte) error {
				switch matchKey(key, messageKeys) {
				case 0:
					return d.stringField("prev_messages.role", &m.Role)
				case 1:
					return d.stringField("prev_messages.content", &m.Content)
				}
				return d.skip()
			})
			if err != nil {
				return err
			}
		case 'n':
			if err := d.literal("null"); err != nil {
				return err
			}
		default:
			if err := d.wrongType("prev_messages", "an object"); err != nil {
				return err
			}
		}
		msgs = append(msgs, m)
		d.ws()
		if d.i >= len(d.b) {
			return d.unexpectedEnd()
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			d.depth--
			*dst = msgs
			return nil
		default:
			return d.badChar("after array element")
		}
	}
}

// wrongType skips the value at d.i, recording that field wanted another type.
func (d *rowDecoder) wrongType(field, want string) error {
	got := "?"
	if d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			got = "string"
		case c == '{':
			got = "object"
		case c == '[':
			got = "array"
		case c == 't' || c == 'f':
			got = "bool"
		case c == '-' || c >= '0' && c <= '9' || c == 'N' || c == 'I':
			got = "number"
		}
	}
	if err := d.skip(); err != nil {
		return err
	}
	d.mismatch(field, got, want)
	return nil
}

func (d *rowDecoder) stringField(field string, dst *string) error {
	if d.i >= len(d.b) {
		return d.unexpectedEnd()
	}
	switch d.b[d.i] {
	case '"':
		s, err := d.stringBytes()
		if err != nil {
			return err
		}
		*dst = string(s)
		return nil
	case 'n':
		return d.literal("null")
	}
	return d.wrongType(field, "a string")
}

func (d *rowDecoder) floatField(field string, dst **float64) error {
	if d.i >= len(d.b) {
		return d.unexpectedEnd()
	}
	if lit, ok, err := d.pythonConstant(); ok || err != nil {
		if err == nil && lit == "NaN" {
			*dst = nil
		} else if err == nil {
			d.mismatch(field, "number "+lit, "a number")
		}
		return err
	}
	switch c := d.b[d.i]; {
	case c == 'n':
		*dst = nil
		return d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		lit, err := d.number()
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(string(lit), 64)
		if err != nil {
			d.mismatch(field, "number "+string(lit), "a number")
			return nil
		}
		*dst = &f
		return nil
	}
	return d.wrongType(field, "a number")
}

func (d *rowDecoder) intField(field string, dst **int64) error {
	if d.i >= len(d.b) {
		return d.unexpectedEnd()
	}
	if lit, ok, err := d.pythonConstant(); ok || err != nil {
		if err == nil && lit == "NaN" {
			*dst = nil
		} else if err == nil {
			d.mismatch(field, "number "+lit, "an integer")
		}
		return err
	}
	switch c := d.b[d.i]; {
	case c == 'n':
		*dst = nil
		return d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		lit, err := d.number()
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(string(lit), 10, 64)
		if err != nil {
			d.mismatch(field, "number "+string(lit), "an integer")
			return nil
		}
		*dst = &n
		return nil
	}
	return d.wrongType(field, "an integer")
}

// pythonConstant consumes NaN, Infinity or -Infinity at d.i; ok is false, and nothing is
// consumed, when none starts there.
func (d *rowDecoder) pythonConstant() (lit string, ok bool, err error) {
	switch {
	case d.b[d.i] == 'N':
		lit = "NaN"
	case d.b[d.i] == 'I':
		lit = "Infinity"
	case d.b[d.i] == '-' && d.i+1 < len(d.b) && d.b[d.i+1] == 'I':
		lit = "-Infinity"
	default:
		return "", false, nil
	}
	return lit, true, d.literal(lit)
}

// literal consumes the literal word (true, false, null).
func (d *rowDecoder) literal(word string) error {
	for k := 0; k < len(word); k++ {
		if d.i >= len(d.b) {
			return d.unexpectedEnd()
		}
		if d.b[d.i] != word[k] {
			return d.badChar("in literal " + word + " (expecting " + quoteChar(word[k]) + ")")
		}
		d.i++
	}
	return nil
}

// number consumes a number by JSON's grammar and returns its text.
func (d *rowDecoder) number() ([]byte, error) {
	start := d.i
	if d.b[d.i] == '-' {
		d.i++
	}
	if d.i >= len(d.b) {
		return nil, d.unexpectedEnd()
	}
	switch c := d.b[d.i]; {
	case c == '0':
		d.i++
	case c >= '1' && c <= '9':
		d.digits()
	default:
		return nil, d.badChar("in numeric literal")
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		if d.i >= len(d.b) {
			return nil, d.unexpectedEnd()
		}
		if !isDigit(d.b[d.i]) {
			return nil, d.badChar("after decimal point in numeric literal")
		}
		d.digits()
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if d.i >= len(d.b) {
			return nil, d.unexpectedEnd()
		}
		if !isDigit(d.b[d.i]) {
			return nil, d.badChar("in exponent of numeric literal")
		}
		d.digits()
	}
	return d.b[start:d.i], nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (d *rowDecoder) digits() {
	for d.i < len(d.b) && isDigit(d.b[d.i]) {
		d.i++
	}
}

// skip consumes any value.
func (d *rowDecoder) skip() error {
	if d.i >= len(d.b) {
		return d.unexpectedEnd()
	}
	switch c := d.b[d.i]; {
	case c == '"':
		_, err := d.stringBytes()
		return err
	case c == '{':
		return d.object(func([]byte) error { return d.skip() })
	case c == '[':
		if err := d.push(); err != nil {
			return err
		}
		d.i++
		d.ws()
		if d.i < len(d.b) && d.b[d.i] == ']' {
			d.i++
			d.depth--
			return nil
		}
		for {
			d.ws()
			if err := d.skip(); err != nil {
				return err
			}
			d.ws()
			if d.i >= len(d.b) {
				return d.unexpectedEnd()
			}
			switch d.b[d.i] {
			case ',':
				d.i++
			case ']':
				d.i++
				d.depth--
				return nil
			default:
				return d.badChar("after array element")
			}
		}
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	}
	if _, ok, err := d.pythonConstant(); ok || err != nil {
		return err
	}
	if c := d.b[d.i]; c == '-' || isDigit(c) {
		_, err := d.number()
		return err
	}
	return d.badChar("looking for beginning of value")
}

// stringBytes consumes a string at d.i and returns its decoded bytes, valid until the next
// call. Invalid UTF-8 and lone surrogates become U+FFFD, one per bad byte, as in encoding/json.
func (d *rowDecoder) stringBytes() ([]byte, error) {
	start := d.i + 1
	rest := d.b[start:]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		end = len(rest)
	}
	seg := rest[:end]
	if bytes.IndexByte(seg, '\\') < 0 {
		if k := indexControl(seg); k >= 0 {
			d.i = start + k
			return nil, d.syntax(fmt.Sprintf("invalid character %s in string literal", quoteChar(seg[k])))
		}
		if end == len(rest) {
			return nil, d.unexpectedEnd()
		}
		d.i = start + end + 1
		if utf8.Valid(seg) {
			return seg, nil
		}
		d.scratch = appendValidUTF8(d.scratch[:0], seg)
		return d.scratch, nil
	}
	return d.stringSlow(start)
}

// stringSlow decodes a string with escapes, from the byte after its opening quote.
func (d *rowDecoder) stringSlow(start int) ([]byte, error) {
	out := d.scratch[:0]
	i := start
	quote := -1 // the index of the next '"' at or after i, once known
	for {
		// Copy the run up to the next quote or backslash, checking for control characters.
		if quote < i {
			quote = bytes.IndexByte(d.b[i:], '"')
			if quote < 0 {
				quote = len(d.b)
			} else {
				quote += i
			}
		}
		j := quote
		if k := bytes.IndexByte(d.b[i:quote], '\\'); k >= 0 {
			j = i + k
		}
		run := d.b[i:j]
		if k := indexControl(run); k >= 0 {
			d.i = i + k
			d.scratch = out
			return nil, d.syntax(fmt.Sprintf("invalid character %s in string literal", quoteChar(run[k])))
		}
		if utf8.Valid(run) {
			out = append(out, run...)
		} else {
			out = appendValidUTF8(out, run)
		}
		i = j
		if i >= len(d.b) {
			d.scratch = out
			return nil, d.unexpectedEnd()
		}
		if d.b[i] == '"' {
			d.i = i + 1
			d.scratch = out
			return out, nil
		}
		// A backslash.
		i++
		if i >= len(d.b) {
			d.scratch = out
			return nil, d.unexpectedEnd()
		}
		switch d.b[i] {
		case '"', '\\', '/':
			out = append(out, d.b[i])
			i++
		case 'b':
			out = append(out, '\b')
			i++
		case 'f':
			out = append(out, '\f')
			i++
		case 'n':
			out = append(out, '\n')
			i++
		case 'r':
			out = append(out, '\r')
			i++
		case 't':
			out = append(out, '\t')
			i++
		case 'u':
			r, ok := d.hex4(i + 1)
			if !ok {
				d.scratch = out
				return nil, d.hexError(i + 1)
			}
			i += 5
			if utf16.IsSurrogate(r) {
				if i+1 < len(d.b) && d.b[i] == '\\' && d.b[i+1] == 'u' {
					if r2, ok := d.hex4(i + 2); ok {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							out = utf8.AppendRune(out, dec)
							i += 6
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			d.i = i
			d.scratch = out
			return nil, d.syntax(fmt.Sprintf("invalid character %s in string escape code", quoteChar(d.b[i])))
		}
	}
}

// indexControl returns the index of the first byte below 0x20 in b, or -1. It tests eight
// bytes at a time.
func indexControl(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	k := 0
	for ; k+8 <= len(b); k += 8 {
		x := binary.LittleEndian.Uint64(b[k:])
		// A byte below 0x20 borrows in x - 0x20 per byte and has its high bit clear in x.
		if (x-ones*0x20)&^x&highs != 0 {
			break
		}
	}
	for ; k < len(b); k++ {
		if b[k] < 0x20 {
			return k
		}
	}
	return -1
}

// hex4 reads four hex digits at k.
func (d *rowDecoder) hex4(k int) (rune, bool) {
	if k+4 > len(d.b) {
		return 0, false
	}
	var r rune
	for _, c := range d.b[k : k+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func (d *rowDecoder) hexError(k int) error {
	for n := 0; n < 4; n++ {
		if k+n >= len(d.b) {
			return d.unexpectedEnd()
		}
		c := d.b[k+n]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			d.i = k + n
			return d.syntax(fmt.Sprintf("invalid character %s in \\u hexadecimal character escape", quoteChar(c)))
		}
	}
	return d.unexpectedEnd()
}

// appendValidUTF8 appends s, each byte of an invalid UTF-8 sequence replaced by U+FFFD.
func appendValidUTF8(dst, s []byte) []byte {
	for len(s) > 0 {
		// Copy the longest valid prefix at once.
		n := 0
		for n < len(s) {
			if s[n] < utf8.RuneSelf {
				n++
				continue
			}
			r, size := utf8.DecodeRune(s[n:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			n += size
		}
		dst = append(dst, s[:n]...)
		s = s[n:]
		if len(s) > 0 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
			s = s[1:]
		}
	}
	return dst
}

// validUTF8 returns s with each byte of an invalid sequence replaced by U+FFFD.
func validUTF8(s []byte) string {
	if utf8.Valid(s) {
		return string(s)
	}
	return string(appendValidUTF8(nil, s))
}
