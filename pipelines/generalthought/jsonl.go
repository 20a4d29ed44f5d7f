package generalthought

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonlReader reads one JSON object per line. Blank lines are skipped (they still count in
// line numbers).
type jsonlReader struct {
	file    string
	r       *bufio.Reader
	gzipped bool
	max     int
	close   func() error
	line    int64
	buf     []byte
	scratch []byte // for decoding strings with escapes
	done    bool
}

func newJSONLReader(file string, r io.Reader, gzipped bool, max int, close func() error) *jsonlReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<20)
	}
	return &jsonlReader{file: file, r: br, gzipped: gzipped, max: max, close: close}
}

func (j *jsonlReader) Close() error { return j.close() }

func (j *jsonlReader) Next(ctx context.Context) (Row, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Row{}, err
		}
		if j.done {
			return Row{}, io.EOF
		}
		line, tooLong, err := j.readLine()
		if err != nil {
			j.done = true
			if err == io.EOF {
				return Row{}, io.EOF
			}
			return Row{}, j.fatal(err)
		}
		j.line++
		if tooLong {
			return Row{}, &RowError{File: j.file, Row: j.line, Reason: ReasonLineTooLong,
				Err: fmt.Errorf("line longer than %d bytes", j.max)}
		}
		if j.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF")) // a byte order mark
		}
		line = bytes.Trim(line, " \t\r\n")
		if len(line) == 0 {
			continue
		}
		return decodeJSONRow(j.file, j.line, line, &j.scratch)
	}
}

// fatal describes an error that stops the file.
func (j *jsonlReader) fatal(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		what := "file"
		if j.gzipped {
			what = "gzip stream"
		}
		return fmt.Errorf("%s: %s ends early after line %d: %w: %w", j.file, what, j.line, ErrTruncated, err)
	}
	return fmt.Errorf("%s: read after line %d: %w", j.file, j.line, err)
}

// readLine returns the next line without its end of line; it returns io.EOF only when no
// byte is left. A line longer than j.max is consumed and reported with tooLong set. The
// returned slice is valid until the next call.
func (j *jsonlReader) readLine() (line []byte, tooLong bool, err error) {
	j.buf = j.buf[:0]
	first := true
	for {
		frag, err := j.r.ReadSlice('\n')
		if first && err == nil {
			// The whole line is in the bufio buffer: no copy.
			if len(frag)-1 > j.max {
				return nil, true, nil
			}
			return trimEOL(frag), false, nil
		}
		first = false
		if !tooLong {
			if len(j.buf)+len(frag) > j.max+1 {
				tooLong = true
				j.buf = j.buf[:0]
			} else {
				j.buf = append(j.buf, frag...)
			}
		}
		switch err {
		case nil:
			if !tooLong && len(j.buf)-1 > j.max {
				tooLong = true
			}
			return trimEOL(j.buf), tooLong, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(j.buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			if !tooLong && len(j.buf) > j.max {
				tooLong = true
			}
			return trimEOL(j.buf), tooLong, nil
		default:
			return nil, false, err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// decodeJSONRow decodes one line (see decodeRow). Unknown keys are ignored; null values read
// as zero values.
func decodeJSONRow(file string, line int64, b []byte, scratch *[]byte) (Row, error) {
	if b[0] != '{' {
		return Row{}, &RowError{File: file, Row: line, Reason: ReasonMalformedJSON,
			Err: fmt.Errorf("want a JSON object, got %s", describeJSONStart(b))}
	}
	var row Row
	if err := decodeRow(b, &row, scratch); err != nil {
		if te, ok := err.(*jsonTypeError); ok {
			return Row{}, &RowError{File: file, Row: line, Field: te.field, Reason: ReasonWrongType, Err: te}
		}
		return Row{}, &RowError{File: file, Row: line, Reason: ReasonMalformedJSON, Err: err}
	}
	row.File, row.Line = file, line
	if err := checkQuestion(&row); err != nil {
		return Row{}, err
	}
	return row, nil
}

// checkQuestion reports a missing, empty or blank question.
func checkQuestion(row *Row) error {
	if strings.TrimSpace(row.Question) == "" {
		detail := "absent, null or empty"
		if row.Question != "" {
			detail = "only white space"
		}
		return &RowError{File: row.File, Row: row.Line, Field: "question", Reason: ReasonMissingQuestion,
			Err: errors.New(detail)}
	}
	return nil
}

func describeJSONStart(b []byte) string {
	switch c := b[0]; {
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 'n':
		return "null"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	default:
		return fmt.Sprintf("%q", string(b[:min(len(b), 16)]))
	}
}
