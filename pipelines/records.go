package pipelines

import (
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
	return beam.ParDo2(s, &configureFn{Seed: cfg.Seed, Catalogue: string(catalogue), Shards: cfg.Shards}, tasks)
}

type configureFn struct {
	Seed      int64  `json:"seed"`
	Catalogue string `json:"catalogue"` // the catalogue's YAML
	Shards    int    `json:"shards"`

	cat *configure.Catalogue
}

func (f *configureFn) Setup() error {
	cat, err := configure.Parse([]byte(f.Catalogue), "catalogue")
	if err != nil {
		return err
	}
	f.cat = cat
	return nil
}

func (f *configureFn) ProcessElement(t VerifiedTask, emit func(string, []byte), emitRej func(dataset.Rejected)) error {
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
	if err != nil {
		return err
	}
	if rej != nil {
		emitRej(*rej)
		return nil
	}
	emit(recordsPart(dataset.ShardOf(rec.ID, f.Shards)), keyedLine(rec.ID, line))
	return nil
}

// keyedLine is how a record is spilled: the key by which it can be left out (see
// WriteShards), a tab, and the record's JSON line, which holds no raw tab.
func keyedLine(key string, line []byte) []byte {
	out := make([]byte, 0, len(key)+1+len(line))
	out = append(out, key...)
	out = append(out, '\t')
	return append(out, line...)
}

// encodeRecord encodes a record as its shard line and checks it against the record schema.
// A record that does not fit is returned as a rejection.
func encodeRecord(rec *dataset.Record) ([]byte, *dataset.Rejected, error) {
	line, err := json.Marshal(rec)
	if err != nil {
		return nil, &dataset.Rejected{ID: rec.ID, Source: rec.Source, Domain: rec.Domain, Stage: "configure",
			Reason: ReasonSchema, Detail: "encode: " + err.Error()}, nil
	}
	vs, err := schemas.ValidateJSON("record", line)
	if err != nil {
		return nil, nil, fmt.Errorf("record schema: %w", err)
	}
	if len(vs) > 0 {
		return nil, &dataset.Rejected{ID: rec.ID, Source: rec.Source, Domain: rec.Domain, Stage: "configure",
			Reason: ReasonSchema, Detail: violations(vs)}, nil
	}
	return line, nil, nil
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
func RejectedLines(s beam.Scope, shards int, rejected beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.RejectedLines")
	return beam.ParDo(s, &rejectedLineFn{Shards: shards}, rejected)
}

type rejectedLineFn struct {
	Shards int `json:"shards"`
}

func (f *rejectedLineFn) ProcessElement(_ context.Context, r dataset.Rejected, emit func(string, []byte)) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode rejected record %s: %w", r.ID, err)
	}
	vs, err := schemas.ValidateJSON("rejected", line)
	if err != nil {
		return fmt.Errorf("rejected schema: %w", err)
	}
	if len(vs) > 0 {
		// Rejected records are built here, not read: one that does not fit is a bug.
		return fmt.Errorf("rejected record %s does not fit its schema: %s", line, violations(vs))
	}
	key := r.ID
	if key == "" {
		key = fmt.Sprintf("%s:%d", r.File, r.Line)
	}
	emit(rejectedPart(dataset.ShardOf(r.Source+"\x00"+key, f.Shards)), line)
	return nil
}
