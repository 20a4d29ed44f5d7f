package gtfake

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"

	"github.com/toolscale/toolscale/pipelines/generalthought"
)

// A Format is a file format GeneralThought is published in.
type Format int

const (
	JSONL     Format = iota // one JSON object per line
	GzipJSONL               // JSONL compressed with gzip
	Parquet                 // Parquet with the published column types, snappy-compressed
)

func (f Format) String() string {
	switch f {
	case JSONL:
		return "jsonl"
	case GzipJSONL:
		return "jsonl.gz"
	case Parquet:
		return "parquet"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// FormatOf returns the format a file name calls for: .parquet, .gz (gzip JSONL), or JSONL.
func FormatOf(path string) Format {
	switch {
	case strings.HasSuffix(path, ".parquet"):
		return Parquet
	case strings.HasSuffix(path, ".gz"):
		return GzipJSONL
	}
	return JSONL
}

// A Summary tells what a written file holds.
type Summary struct {
	Rows     int            // rows written (lines or Parquet rows)
	Kept     int            // rows the merge keeps (Item.Want is "")
	ByReason map[string]int // rows the merge drops, by reason (Item.Want)
	Bytes    int64          // bytes written
	// JSONBytes counts the bytes of the JSON lines before compression (JSONL formats only).
	JSONBytes int64
}

// WriteFile writes c's rows to path in the format its name calls for (see FormatOf).
func WriteFile(path string, c Config) (Summary, error) {
	f, err := os.Create(path)
	if err != nil {
		return Summary{}, err
	}
	sum, err := Write(f, FormatOf(path), c)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return Summary{}, fmt.Errorf("write %s: %w", path, err)
	}
	return sum, nil
}

// Write writes c's rows to w in format f.
func Write(w io.Writer, f Format, c Config) (Summary, error) {
	if err := c.Validate(); err != nil {
		return Summary{}, err
	}
	cw := &countWriter{w: w}
	sum := Summary{ByReason: map[string]int{}}
	var err error
	switch f {
	case JSONL:
		err = writeJSONL(cw, c, &sum)
	case GzipJSONL:
		zw, _ := gzip.NewWriterLevel(cw, gzip.BestSpeed)
		err = writeJSONL(zw, c, &sum)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	case Parquet:
		err = writeParquet(cw, c, &sum)
	default:
		err = fmt.Errorf("gtfake: unknown format %d", int(f))
	}
	sum.Bytes = cw.n
	return sum, err
}

func (s *Summary) add(it Item, f Format) {
	s.Rows++
	if why := it.Want(f); why != "" {
		s.ByReason[why]++
	} else {
		s.Kept++
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeJSONL(w io.Writer, c Config, sum *Summary) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	for it := range c.Items() {
		line, err := JSONLine(it)
		if err != nil {
			return err
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
		sum.JSONBytes += int64(len(line))
		sum.add(it, JSONL)
	}
	return bw.Flush()
}

// JSONLine returns the item as one JSONL line (without the newline), spoiled as its Kind
// and Variant say.
func JSONLine(it Item) ([]byte, error) {
	b, err := marshal(it.Row)
	if err != nil {
		return nil, err
	}
	switch it.Kind {
	case Malformed:
		switch it.Variant {
		case 0:
			return b[:len(b)/2], nil // cut short
		case 1:
			return append(b, '}'), nil // text after the object
		default:
			return bytes.ReplaceAll(b, []byte(`"`), []byte(`'`)), nil // a Python dict
		}
	case WrongType:
		switch it.Variant {
		case 0:
			return patch(b, "question", 42)
		case 1:
			return patch(b, "verifier_score", "high")
		case 2:
			return patch(b, "prev_messages", "none")
		default:
			return patch(b, "question_id", fmt.Sprintf("q-%d", 100000+it.Index))
		}
	case MissingQuestion:
		switch it.Variant {
		case 0:
			return patch(b, "question", deleteKey{})
		case 1:
			return patch(b, "question", nil)
		}
	case EmptyAnswer:
		if it.NullAnswer {
			return patch(b, "reference_answer", nil)
		}
	}
	return b, nil
}

type deleteKey struct{}

// patch sets (or with deleteKey removes) one key of a JSON object. Keys come out sorted.
func patch(obj []byte, key string, v any) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		return nil, err
	}
	if _, del := v.(deleteKey); del {
		delete(m, key)
	} else {
		raw, err := marshal(v)
		if err != nil {
			return nil, err
		}
		m[key] = raw
	}
	return marshal(m)
}

// marshal encodes v as the Python tools that publish the dataset do: no HTML escaping.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// pqRow has the published column types, all nullable, as pyarrow writes them.
type pqRow struct {
	QuestionID             *int64      `parquet:"question_id,optional"`
	QuestionURL            *string     `parquet:"question_url,optional"`
	Question               *string     `parquet:"question,optional"`
	ReferenceAnswer        *string     `parquet:"reference_answer,optional"`
	PrevMessages           []pqMessage `parquet:"prev_messages,optional,list"`
	ModelName              *string     `parquet:"model_name,optional"`
	ModelAnswer            *string     `parquet:"model_answer,optional"`
	ModelReasoning         *string     `parquet:"model_reasoning,optional"`
	Task                   *string     `parquet:"task,optional"`
	QuestionLicense        *string     `parquet:"question_license,optional"`
	QuestionSource         *string     `parquet:"question_source,optional"`
	CommunityAnswerScore   *float64    `parquet:"community_answer_score,optional"`
	CommunityQuestionScore *int64      `parquet:"community_question_score,optional"`
	VerifierScore          *float64    `parquet:"verifier_score,optional"`
}

type pqMessage struct {
	Content *string `parquet:"content,optional"`
	Role    *string `parquet:"role,optional"`
}

func strp(s string) *string { return &s }

// parquetRow converts an item; rows without a question (including Malformed and WrongType,
// which Parquet cannot express) get a null one, or the empty or blank text they carry.
func parquetRow(it Item) pqRow {
	r := it.Row
	p := pqRow{
		QuestionID:           r.QuestionID,
		QuestionURL:          strp(r.QuestionURL),
		Question:             strp(r.Question),
		ReferenceAnswer:      strp(r.ReferenceAnswer),
		ModelName:            strp(r.ModelName),
		ModelAnswer:          strp(r.ModelAnswer),
		ModelReasoning:       strp(r.ModelReasoning),
		Task:                 strp(r.Task),
		QuestionLicense:      strp(r.QuestionLicense),
		QuestionSource:       strp(r.QuestionSource),
		CommunityAnswerScore: r.CommunityAnswerScore,
		VerifierScore:        r.VerifierScore,
	}
	if r.CommunityQuestionScore != nil {
		v := int64(*r.CommunityQuestionScore)
		p.CommunityQuestionScore = &v
	}
	for _, m := range r.PrevMessages {
		p.PrevMessages = append(p.PrevMessages, pqMessage{Content: strp(m.Content), Role: strp(m.Role)})
	}
	switch {
	case it.Kind == Malformed || it.Kind == WrongType:
		p.Question = nil
	case it.Kind == MissingQuestion && it.Variant < 2:
		p.Question = nil
	case it.Kind == EmptyAnswer && it.NullAnswer:
		p.ReferenceAnswer = nil
	}
	return p
}

func writeParquet(w io.Writer, c Config, sum *Summary) error {
	group := c.RowsPerGroup
	if group == 0 {
		group = 5000
	}
	pw := parquet.NewGenericWriter[pqRow](w,
		parquet.Compression(&snappy.Codec{}),
		parquet.MaxRowsPerRowGroup(int64(group)),
		parquet.CreatedBy("gtfake", "", ""),
	)
	batch := make([]pqRow, 0, 128)
	flush := func() error {
		if _, err := pw.Write(batch); err != nil {
			return err
		}
		batch = batch[:0]
		return nil
	}
	for it := range c.Items() {
		batch = append(batch, parquetRow(it))
		sum.add(it, Parquet)
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return pw.Close()
}

// Check that Item's reasons are the reader's: a renamed constant breaks the build here.
var _ = []string{generalthought.ReasonMalformedJSON, generalthought.ReasonDuplicateText}
