package py

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
)

// A SyntaxError reports malformed JSON at a line and column (both 1-based).
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Parse decodes one JSON document the way Python's json.loads does: integers stay ints,
// numbers with a fraction or exponent are floats, objects keep their key order.
func Parse(data []byte) (any, error) {
	p := parser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	v, err := p.value()
	if err != nil {
		return nil, p.wrap(err)
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, p.wrap(errors.New("unexpected data after the JSON value"))
	}
	return v, nil
}

type parser struct {
	data []byte
	dec  *json.Decoder
}

func (p *parser) wrap(err error) error {
	var se *SyntaxError
	if errors.As(err, &se) {
		return err
	}
	off := p.dec.InputOffset()
	var jse *json.SyntaxError
	if errors.As(err, &jse) {
		off = jse.Offset
	}
	msg := err.Error()
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		msg = "unexpected end of JSON input"
	}
	line, col := LineCol(p.data, off)
	return &SyntaxError{Line: line, Column: col, Msg: msg}
}

// LineCol converts a byte offset of data to a 1-based line and column.
func LineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	prefix := data[:off]
	line = 1 + bytes.Count(prefix, []byte{'\n'})
	col = int(off) - bytes.LastIndexByte(prefix, '\n')
	return line, col
}

func (p *parser) value() (any, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	return p.fromToken(tok)
}

func (p *parser) fromToken(tok json.Token) (any, error) {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &Object{vals: map[string]any{}}
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is not a string")
				}
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				o.Set(k, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			l := []any{}
			for p.dec.More() {
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
		return nil, fmt.Errorf("unexpected %q", rune(t))
	case json.Number:
		return ParseNumber(string(t))
	default:
		return t, nil // nil, bool, string
	}
}

// ParseNumber converts JSON number text to int64, *big.Int or float64 as Python would.
func ParseNumber(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		b, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("bad number %q", s)
		}
		return b, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, nil // Python gives inf as well
		}
		return nil, fmt.Errorf("bad number %q", s)
	}
	return f, nil
}
