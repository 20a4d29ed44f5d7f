package generalthought

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Read buffer of each Parquet column chunk: small for local files (the OS caches), large for
// gs:// so that a row group costs few range requests.
const (
	localReadBuffer  = 256 << 10
	remoteReadBuffer = 2 << 20
	parquetBatch     = 32 // rows decoded per ReadRows call
)

// field identifies what a Parquet leaf column holds.
type field int8

const (
	fQuestionID field = iota
	fQuestionURL
	fQuestion
	fReferenceAnswer
	fModelName
	fModelAnswer
	fModelReasoning
	fTask
	fQuestionLicense
	fQuestionSource
	fCommunityAnswerScore
	fCommunityQuestionScore
	fVerifierScore
	fMessagesJSON   // prev_messages stored as a JSON string
	fMessageRole    // prev_messages.<list>.role
	fMessageContent // prev_messages.<list>.content

	fNone field = -1 // a column the Row does not hold
)

// numScalars counts the flat columns, fQuestionID to fVerifierScore.
const numScalars = int(fVerifierScore) + 1

// scalarNames are the names of the flat columns, indexed by field.
var scalarNames = [numScalars]string{
	"question_id", "question_url", "question", "reference_answer", "model_name", "model_answer",
	"model_reasoning", "task", "question_license", "question_source", "community_answer_score",
	"community_question_score", "verifier_score",
}

func (f field) name() string {
	switch {
	case f >= 0 && int(f) < numScalars:
		return scalarNames[f]
	case f == fMessagesJSON:
		return "prev_messages"
	case f == fMessageRole:
		return "prev_messages.role"
	case f == fMessageContent:
		return "prev_messages.content"
	}
	return "?"
}

func (f field) numeric() bool {
	return f == fQuestionID || f == fCommunityAnswerScore || f == fCommunityQuestionScore || f == fVerifierScore
}

// parquetReader reads a Parquet file row group by row group, a batch of rows at a time, so
// that memory holds the pages being decoded and no more.
type parquetReader struct {
	file      string
	f         *parquet.File
	close     func() error
	leaf      []field // by leaf column index
	existsDef []int   // for list leaves: the definition level at which an element exists
	groups    []parquet.RowGroup
	group     int
	rows      parquet.Rows // of groups[group-1]; nil between groups
	buf       []parquet.Row
	n, i      int
	row       int64 // rows returned so far
	done      bool
	roles     []string
	contents  []string
}

func newParquetReader(file string, ra io.ReaderAt, size int64, close func() error, remote bool) (*parquetReader, error) {
	var tail [4]byte
	if size < 12 {
		return nil, fmt.Errorf("open %s: Parquet file of %d bytes has no footer: %w", file, size, ErrTruncated)
	}
	if _, err := ra.ReadAt(tail[:], size-4); err != nil && err != io.EOF {
		return nil, fmt.Errorf("open %s: read footer: %w", file, err)
	}
	if string(tail[:]) != "PAR1" {
		return nil, fmt.Errorf("open %s: Parquet file does not end with \"PAR1\" (cut short?): %w", file, ErrTruncated)
	}
	bufSize := localReadBuffer
	if remote {
		bufSize = remoteReadBuffer
	}
	f, err := parquet.OpenFile(ra, size,
		parquet.SkipPageIndex(true),
		parquet.SkipBloomFilters(true),
		parquet.ReadBufferSize(bufSize),
	)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	p := &parquetReader{file: file, f: f, close: close, groups: f.RowGroups()}
	if err := p.mapColumns(); err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	p.buf = make([]parquet.Row, parquetBatch)
	return p, nil
}

// mapColumns finds the published columns among the file's leaf columns and checks that
// their types can be read. Columns the Row does not know are ignored; a missing column
// reads as null, except the question, which is required.
func (p *parquetReader) mapColumns() error {
	schema := p.f.Schema()
	paths := schema.Columns()
	p.leaf = make([]field, len(paths))
	p.existsDef = make([]int, len(paths))
	haveQuestion := false
	for i, path := range paths {
		p.leaf[i] = fNone
		leaf, ok := schema.Lookup(path...)
		if !ok {
			continue
		}
		if path[0] == "prev_messages" {
			switch {
			case len(path) == 1:
				if k := leaf.Node.Type().Kind(); k != parquet.ByteArray {
					return fmt.Errorf("column prev_messages has type %s; want a list of {role, content} or a JSON string", k)
				}
				p.leaf[i] = fMessagesJSON
			case path[len(path)-1] == "role" || path[len(path)-1] == "content":
				if leaf.MaxRepetitionLevel != 1 {
					return fmt.Errorf("column %s is repeated %d times; want a list of {role, content}",
						strings.Join(path, "."), leaf.MaxRepetitionLevel)
				}
				p.leaf[i] = fMessageContent
				if path[len(path)-1] == "role" {
					p.leaf[i] = fMessageRole
				}
				p.existsDef[i] = listElementLevel(schema, path)
			}
			continue
		}
		if len(path) != 1 {
			continue
		}
		f := fieldByName(path[0])
		if f == fNone {
			continue
		}
		if leaf.MaxRepetitionLevel != 0 {
			return fmt.Errorf("column %s is repeated; want one value per row", path[0])
		}
		k := leaf.Node.Type().Kind()
		switch {
		case f == fQuestion && k != parquet.ByteArray:
			return fmt.Errorf("column question has type %s; want a string", k)
		case f.numeric() && !(k == parquet.Int32 || k == parquet.Int64 || k == parquet.Float ||
			k == parquet.Double || k == parquet.ByteArray):
			return fmt.Errorf("column %s has type %s; want a number", path[0], k)
		}
		p.leaf[i] = f
		haveQuestion = haveQuestion || f == fQuestion
	}
	if !haveQuestion {
		return errors.New("no question column")
	}
	return nil
}

func fieldByName(name string) field {
	for i, n := range scalarNames {
		if n == name {
			return field(i)
		}
	}
	return fNone
}

// listElementLevel returns the definition level at which the repeated node on path is
// present, that is, at which the list has an element.
func listElementLevel(schema *parquet.Schema, path []string) int {
	var node parquet.Node = schema
	level := 0
	for _, name := range path {
		var child parquet.Node
		for _, fd := range node.Fields() {
			if fd.Name() == name {
				child = fd
				break
			}
		}
		if child == nil {
			break
		}
		if child.Optional() || child.Repeated() {
			level++
		}
		if child.Repeated() {
			return level
		}
		node = child
	}
	return level
}

func (p *parquetReader) Close() error {
	if p.rows != nil {
		p.rows.Close()
		p.rows = nil
	}
	return p.close()
}

func (p *parquetReader) Next(ctx context.Context) (Row, error) {
	for p.i >= p.n {
		if err := ctx.Err(); err != nil {
			return Row{}, err
		}
		if p.done {
			return Row{}, io.EOF
		}
		if err := p.fill(); err != nil {
			p.done = true
			if err == io.EOF {
				return Row{}, io.EOF
			}
			return Row{}, err
		}
	}
	prow := p.buf[p.i]
	p.i++
	p.row++
	return p.decode(prow)
}

// fill reads the next batch of rows, moving on to the next row group when one ends.
func (p *parquetReader) fill() error {
	p.i, p.n = 0, 0
	for p.n == 0 {
		if p.rows == nil {
			if p.group == len(p.groups) {
				return io.EOF
			}
			p.rows = p.groups[p.group].Rows()
			p.group++
		}
		n, err := p.rows.ReadRows(p.buf)
		p.n = n
		if err == io.EOF {
			p.rows.Close()
			p.rows = nil
		} else if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = fmt.Errorf("%w: %w", ErrTruncated, err)
			}
			return fmt.Errorf("%s: read row group %d after row %d: %w", p.file, p.group, p.row, err)
		}
	}
	return nil
}

func (p *parquetReader) decode(prow parquet.Row) (Row, error) {
	row := Row{File: p.file, Line: p.row}
	p.roles, p.contents = p.roles[:0], p.contents[:0]
	hasList := false
	for _, v := range prow {
		c := v.Column()
		if c < 0 || c >= len(p.leaf) {
			continue
		}
		f := p.leaf[c]
		var err error
		switch f {
		case fNone:
		case fMessageRole, fMessageContent:
			hasList = true
			if v.DefinitionLevel() < p.existsDef[c] {
				continue // a null or empty list
			}
			s := valueString(v)
			if f == fMessageRole {
				p.roles = append(p.roles, s)
			} else {
				p.contents = append(p.contents, s)
			}
		case fMessagesJSON:
			s := strings.TrimSpace(valueString(v))
			if s != "" && s != "null" {
				if err := json.Unmarshal([]byte(s), &row.PrevMessages); err != nil {
					return Row{}, &RowError{File: p.file, Row: p.row, Field: "prev_messages", Reason: ReasonWrongType,
						Err: fmt.Errorf("want a JSON list of {role, content}: %v", err)}
				}
			}
		case fQuestionID:
			row.QuestionID, err = valueInt(v)
		case fCommunityAnswerScore:
			row.CommunityAnswerScore, err = valueFloat(v)
		case fCommunityQuestionScore:
			row.CommunityQuestionScore, err = valueFloat(v)
		case fVerifierScore:
			row.VerifierScore, err = valueFloat(v)
		default:
			*row.stringField(f) = valueString(v)
		}
		if err != nil {
			return Row{}, &RowError{File: p.file, Row: p.row, Field: f.name(), Reason: ReasonWrongType, Err: err}
		}
	}
	if hasList {
		if len(p.roles) != len(p.contents) {
			return Row{}, &RowError{File: p.file, Row: p.row, Field: "prev_messages", Reason: ReasonWrongType,
				Err: fmt.Errorf("%d roles for %d contents", len(p.roles), len(p.contents))}
		}
		if len(p.roles) > 0 {
			row.PrevMessages = make([]Message, len(p.roles))
			for i := range p.roles {
				row.PrevMessages[i] = Message{Role: p.roles[i], Content: p.contents[i]}
			}
		}
	}
	if err := checkQuestion(&row); err != nil {
		return Row{}, err
	}
	return row, nil
}

// stringField returns the address of the string column f.
func (r *Row) stringField(f field) *string {
	switch f {
	case fQuestionURL:
		return &r.QuestionURL
	case fQuestion:
		return &r.Question
	case fReferenceAnswer:
		return &r.ReferenceAnswer
	case fModelName:
		return &r.ModelName
	case fModelAnswer:
		return &r.ModelAnswer
	case fModelReasoning:
		return &r.ModelReasoning
	case fTask:
		return &r.Task
	case fQuestionLicense:
		return &r.QuestionLicense
	case fQuestionSource:
		return &r.QuestionSource
	}
	panic(fmt.Sprintf("generalthought: field %d is not a string column", f)) // a bug in mapColumns
}

// valueString reads a string column leniently: null is "", numbers and booleans are
// formatted, and invalid UTF-8 is replaced as encoding/json does for JSONL.
func valueString(v parquet.Value) string {
	if v.IsNull() {
		return ""
	}
	switch v.Kind() {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return validUTF8(v.ByteArray())
	case parquet.Boolean:
		return strconv.FormatBool(v.Boolean())
	case parquet.Int32:
		return strconv.FormatInt(int64(v.Int32()), 10)
	case parquet.Int64:
		return strconv.FormatInt(v.Int64(), 10)
	case parquet.Float:
		return strconv.FormatFloat(float64(v.Float()), 'g', -1, 32)
	case parquet.Double:
		return strconv.FormatFloat(v.Double(), 'g', -1, 64)
	}
	return v.String()
}

// valueFloat reads a score: null, NaN and an empty string are nil.
func valueFloat(v parquet.Value) (*float64, error) {
	if v.IsNull() {
		return nil, nil
	}
	var f float64
	switch v.Kind() {
	case parquet.Int32:
		f = float64(v.Int32())
	case parquet.Int64:
		f = float64(v.Int64())
	case parquet.Float:
		f = float64(v.Float())
	case parquet.Double:
		f = v.Double()
	case parquet.ByteArray:
		s := strings.TrimSpace(string(v.ByteArray()))
		if s == "" {
			return nil, nil
		}
		var err error
		if f, err = strconv.ParseFloat(s, 64); err != nil {
			return nil, fmt.Errorf("got %q, want a number", s)
		}
	default:
		return nil, fmt.Errorf("got %s, want a number", v.Kind())
	}
	if math.IsNaN(f) {
		return nil, nil
	}
	return &f, nil
}

// valueInt reads question_id: an integer, a float with an integral value, or a string of
// digits; null, NaN and an empty string are nil.
func valueInt(v parquet.Value) (*int64, error) {
	if v.IsNull() {
		return nil, nil
	}
	var n int64
	switch v.Kind() {
	case parquet.Int32:
		n = int64(v.Int32())
	case parquet.Int64:
		n = v.Int64()
	case parquet.Float, parquet.Double:
		f := v.Double()
		if v.Kind() == parquet.Float {
			f = float64(v.Float())
		}
		if math.IsNaN(f) {
			return nil, nil
		}
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, fmt.Errorf("got %v, want an integer", f)
		}
		n = int64(f)
	case parquet.ByteArray:
		s := strings.TrimSpace(string(v.ByteArray()))
		if s == "" {
			return nil, nil
		}
		var err error
		if n, err = strconv.ParseInt(s, 10, 64); err != nil {
			return nil, fmt.Errorf("got %q, want an integer", s)
		}
	default:
		return nil, fmt.Errorf("got %s, want an integer", v.Kind())
	}
	return &n, nil
}
