package pipelines

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/pipelines/configure"
	"github.com/toolscale/toolscale/schemas"
)

// Reasons for records that fail their JSON Schema at the pipeline's edge: a bug in a
// template or in the record builder, kept out of the dataset and counted.
const ReasonSchema = "schema_invalid"

// Configure gives each verified task its tool configuration and preferences, drawn from the
// catalogue with the stream (seed, domain, index, "configure"), and makes its training
// record. It takes a PCollection<VerifiedTask> and returns the records as
// PCollection<KV<string, []byte>> (shard partition, JSON line), and the records that do not
// validate against the record schema as PCollection<dataset.Rejected>.
func Configure(s beam.Scope, cfg *Config, catalogue []byte, tasks beam.PCollection) (lines, rejected beam.PCollection) {
	s = s.Scope("pipelines.Configure")
	fn := &configureFn{Seed: cfg.Seed, Catalogue: string(catalogue), Shards: cfg.Shards, Parallelism: cfg.Parallelism}
	return beam.ParDo2(s, fn, tasks)
}

// configureFn gathers a bundle's tasks in batches and makes their records on several
// goroutines (sampling, encoding and schema validation cost as much as synthesis), emitting
// them in arrival order.
type configureFn struct {
	Seed        int64  `json:"seed"`
	Catalogue   string `json:"catalogue"` // the catalogue's YAML
	Shards      int    `json:"shards"`
	Parallelism int    `json:"parallelism"`

	cat   *configure.Catalogue
	batch []VerifiedTask
}

func (f *configureFn) Setup() error {
	cat, err := configure.Parse([]byte(f.Catalogue), "catalogue")
	if err != nil {
		return err
	}
	f.cat = cat
	return nil
}

func (f *configureFn) StartBundle(_ context.Context, _ func(string, []byte), _ func(dataset.Rejected)) {
	f.batch = f.batch[:0]
}

func (f *configureFn) ProcessElement(ctx context.Context, t VerifiedTask, emit func(string, []byte), emitRej func(dataset.Rejected)) error {
	f.batch = append(f.batch, t)
	if len(f.batch) < batchSize {
		return nil
	}
	return f.flush(ctx, emit, emitRej)
}

func (f *configureFn) FinishBundle(ctx context.Context, emit func(string, []byte), emitRej func(dataset.Rejected)) error {
	return f.flush(ctx, emit, emitRej)
}

// configured is a record line or its rejection.
type configured struct {
	part string
	line []byte
	rej  *dataset.Rejected
	err  error
}

func (f *configureFn) flush(ctx context.Context, emit func(string, []byte), emitRej func(dataset.Rejected)) error {
	if len(f.batch) == 0 {
		return nil
	}
	err := inOrder(ctx, f.Parallelism, len(f.batch), sliceNext(f.batch), f.record, func(c configured) error {
		switch {
		case c.err != nil:
			return c.err
		case c.rej != nil:
			emitRej(*c.rej)
		default:
			emit(c.part, c.line)
		}
		return nil
	})
	f.batch = f.batch[:0]
	return err
}

// record makes the training record of a verified task.
func (f *configureFn) record(t VerifiedTask) configured {
	rec := dataset.Record{
		ID:         t.ID,
		Index:      t.Index,
		Category:   dataset.CategoryFuncCall,
		Domain:     t.Domain,
		Source:     dataset.SourceToolScale,
		License:    LicenseToolScale,
		Difficulty: t.Difficulty,
		Problem:    t.Problem,
		Answer:     t.Answer,
		Example:    json.RawMessage(t.Task),
	}
	f.cat.Sample(domains.Rand(f.Seed, t.Domain, t.Index, "configure")).Apply(&rec)
	line, rej, err := encodeRecord(&rec)
	if err != nil || rej != nil {
		return configured{rej: rej, err: err}
	}
	return configured{part: partName(kindRecords, dataset.ShardOf(rec.ID, f.Shards)), line: keyedLine(rec.ID, &rec, line)}
}

// keyedLine is how a record is spilled: the key by which it can be left out (its id, or
// for a GeneralThought row its id, a space and where the row was read), its domain and
// source, and its JSON line, separated by tabs. Ids hold neither spaces nor tabs, which sort
// before every character of an id, so spilled record lines sort by record id.
func keyedLine(key string, rec *dataset.Record, line []byte) []byte {
	out := make([]byte, 0, len(key)+len(rec.Domain)+len(rec.Source)+3+len(line))
	out = append(out, key...)
	out = append(out, '\t')
	out = append(out, rec.Domain...)
	out = append(out, '\t')
	out = append(out, rec.Source...)
	out = append(out, '\t')
	return append(out, line...)
}

// splitKeyedLine undoes keyedLine.
func splitKeyedLine(kl []byte) (key, id, domain, source string, line []byte, err error) {
	f := bytes.SplitN(kl, []byte{'\t'}, 4)
	if len(f) != 4 || len(f[0]) == 0 {
		return "", "", "", "", nil, fmt.Errorf("bad spilled record line %.80q", kl)
	}
	key = string(f[0])
	id, _, _ = strings.Cut(key, " ")
	return key, id, string(f[1]), string(f[2]), f[3], nil
}

// encodeRecord encodes a record as its shard line and checks it against the record schema
// (see checkRecord). A record that does not fit is returned as a rejection.
func encodeRecord(rec *dataset.Record) ([]byte, *dataset.Rejected, error) {
	reject := func(detail string) *dataset.Rejected {
		return &dataset.Rejected{ID: rec.ID, Source: rec.Source, Domain: rec.Domain, Stage: "configure",
			Reason: ReasonSchema, Detail: detail}
	}
	line, err := marshalRecord(rec)
	if err != nil {
		return nil, reject("encode: " + err.Error()), nil
	}
	if rulesOfRecordSchema().plain {
		if bad := checkRecord(rec); bad != "" {
			return nil, reject(bad), nil
		}
		return line, nil, nil
	}
	vs, err := schemas.ValidateJSON("record", line)
	if err != nil {
		return nil, nil, fmt.Errorf("record schema: %w", err)
	}
	if len(vs) > 0 {
		return nil, reject(violations(vs)), nil
	}
	return line, nil, nil
}

// marshalRecord is json.Marshal(rec) for a record whose Example is compact JSON as
// json.Marshal writes it, which both producers' examples are: the example is spliced in
// after the rest is marshalled, sparing encoding/json a second pass over its bytes. Example
// is the record's last field.
func marshalRecord(rec *dataset.Record) ([]byte, error) {
	ex := rec.Example
	if len(ex) == 0 {
		return json.Marshal(rec)
	}
	rec.Example = json.RawMessage("0")
	head, err := json.Marshal(rec)
	rec.Example = ex
	if err != nil {
		return nil, err
	}
	head, ok := bytes.CutSuffix(head, []byte(`"example":0}`))
	if !ok {
		return nil, fmt.Errorf("example is not the record's last field")
	}
	line := make([]byte, 0, len(head)+len(`"example":`)+len(ex)+1)
	line = append(line, head...)
	line = append(line, `"example":`...)
	line = append(line, ex...)
	return append(line, '}'), nil
}

func violations(vs []schemas.Violation) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return strings.Join(s, "; ")
}

// RejectedLines encodes rejected records as lines of the rejected-records files, checked
// against the rejected schema. It takes a PCollection<dataset.Rejected> and returns a
// PCollection<KV<string, []byte>> of (rejected partition, JSON line).
func RejectedLines(s beam.Scope, cfg *Config, rejected beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.RejectedLines")
	return beam.ParDo(s, &rejectedLineFn{Shards: cfg.Shards, Parallelism: cfg.Parallelism}, rejected)
}

// rejectedLineFn encodes and validates rejected records in batches on several goroutines,
// emitting them in arrival order.
type rejectedLineFn struct {
	Shards      int `json:"shards"`
	Parallelism int `json:"parallelism"`

	batch []dataset.Rejected
}

func (f *rejectedLineFn) StartBundle(_ context.Context, _ func(string, []byte)) {
	f.batch = f.batch[:0]
}

func (f *rejectedLineFn) ProcessElement(ctx context.Context, r dataset.Rejected, emit func(string, []byte)) error {
	f.batch = append(f.batch, r)
	if len(f.batch) < batchSize {
		return nil
	}
	return f.flush(ctx, emit)
}

func (f *rejectedLineFn) FinishBundle(ctx context.Context, emit func(string, []byte)) error {
	return f.flush(ctx, emit)
}

func (f *rejectedLineFn) flush(ctx context.Context, emit func(string, []byte)) error {
	if len(f.batch) == 0 {
		return nil
	}
	err := inOrder(ctx, f.Parallelism, len(f.batch), sliceNext(f.batch), f.line, func(c configured) error {
		if c.err != nil {
			return c.err
		}
		emit(c.part, c.line)
		return nil
	})
	f.batch = f.batch[:0]
	return err
}

// line encodes one rejected record and checks it against the rejected schema.
func (f *rejectedLineFn) line(r dataset.Rejected) configured {
	line, err := json.Marshal(r)
	if err != nil {
		return configured{err: fmt.Errorf("encode rejected record %s: %w", r.ID, err)}
	}
	vs, err := schemas.ValidateJSON("rejected", line)
	if err != nil {
		return configured{err: fmt.Errorf("rejected schema: %w", err)}
	}
	if len(vs) > 0 {
		// Rejected records are built here, not read: one that does not fit is a bug.
		return configured{err: fmt.Errorf("rejected record %s does not fit its schema: %s", line, violations(vs))}
	}
	key := r.ID
	if key == "" {
		key = fmt.Sprintf("%s:%d", r.File, r.Line)
	}
	return configured{part: partName(kindRejected, dataset.ShardOf(r.Source+"\x00"+key, f.Shards)), line: line}
}
