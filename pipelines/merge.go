package pipelines

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/top"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/pipelines/configure"
	"github.com/toolscale/toolscale/pipelines/generalthought"
)

// Reasons of the GeneralThought merge beyond those of package generalthought.
const (
	// ReasonFileError: a file could not be read to its end (a cut gzip stream, a broken
	// Parquet page); the rows before the fault are kept, the fault is one rejected entry.
	ReasonFileError = "file_error"
	// ReasonMixShare: the row is outside the configured share of GeneralThought rows.
	ReasonMixShare = "mix_share"
	// ReasonMixCap: the row is over the configured cap of GeneralThought records.
	ReasonMixCap = "mix_cap"
)

// ReadGeneralThought reads the GeneralThought-430K files of cfg.GeneralThought.Paths (each a
// file or glob, local or gs://) with fileio.MatchFiles and ReadMatches, then streams each
// file with the generalthought reader, which decompresses gzip itself. Rows that do not
// decode are rejected (stage read), rows the filters drop are filtered (stage filter), and
// each kept row becomes a qa record with a tool configuration drawn like a task's.
//
// It returns the spilled records, rejections and refs for DedupGeneralThought
// (PCollection<Segment>), and a tally of the rows read per file (PCollection<Part>).
func ReadGeneralThought(s beam.Scope, cfg *Config, catalogue []byte) (segments, tallies beam.PCollection) {
	s = s.Scope("pipelines.ReadGeneralThought")
	var matched []beam.PCollection
	for _, p := range cfg.GeneralThought.Paths {
		matched = append(matched, fileio.MatchFiles(s, p, fileio.MatchEmptyDisallow()))
	}
	files := fileio.ReadMatches(s, beam.Flatten(s, matched...), fileio.ReadUncompressed())
	fn := &readGTFn{Seed: cfg.Seed, Catalogue: string(catalogue), Shards: cfg.Shards, Filters: cfg.GeneralThought.Filters,
		Parallelism: cfg.Parallelism}
	lines, rejected, tallies := beam.ParDo3(s, fn, files)
	return beam.Flatten(s, Spill(s, cfg.Out, lines), Spill(s, cfg.Out, RejectedLines(s, cfg, rejected))), tallies
}

type readGTFn struct {
	Seed        int64                       `json:"seed"`
	Catalogue   string                      `json:"catalogue"`
	Shards      int                         `json:"shards"`
	Filters     generalthought.FilterConfig `json:"filters"`
	Parallelism int                         `json:"parallelism"`

	cat    *configure.Catalogue
	filter *generalthought.Filter
}

func (f *readGTFn) Setup() error {
	cat, err := configure.Parse([]byte(f.Catalogue), "catalogue")
	if err != nil {
		return err
	}
	filter, err := generalthought.NewFilter(f.Filters)
	if err != nil {
		return err
	}
	f.cat, f.filter = cat, filter
	return nil
}

func (f *readGTFn) ProcessElement(ctx context.Context, file fileio.ReadableFile,
	emit func(string, []byte), emitRej func(dataset.Rejected), emitTally func(Part)) error {
	path := file.Metadata.Path
	r, err := generalthought.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("generalthought: %w", err)
	}
	defer r.Close()
	// One goroutine reads the file, a few make the records, this one emits them in order.
	fatal := false
	next := func() (gtItem, bool, error) {
		if fatal {
			return gtItem{}, false, nil
		}
		row, err := r.Next(ctx)
		if err == io.EOF {
			return gtItem{}, false, nil
		}
		var rowErr *generalthought.RowError
		if err != nil && !errors.As(err, &rowErr) {
			if ctx.Err() != nil {
				return gtItem{}, false, ctx.Err()
			}
			fatal = true
		}
		return gtItem{row: row, err: err}, true, nil
	}
	var read int64
	err = inOrder(ctx, f.Parallelism, 4*batchSize, next, func(it gtItem) gtOut { return f.item(path, it) }, func(o gtOut) error {
		read++
		progress.rows.Add(1)
		switch {
		case o.err != nil:
			return o.err
		case o.rej != nil:
			emitRej(*o.rej)
		default:
			emit(o.part, o.line)
			emit(partOf(kindGTID, o.ref.ID, f.Shards), refLine(o.ref.ID, o.ref))
		}
		return nil
	})
	if err != nil {
		return err
	}
	emitTally(Part{Kind: partRead, Counts: []Count{{Kind: countSource, Name: dataset.SourceGeneralThought, N: read}}})
	return nil
}

// A gtItem is what the reader gave: a row, or the error in its place.
type gtItem struct {
	row generalthought.Row
	err error
}

// A gtOut is what became of a row: a record line and its ref, or a rejection.
type gtOut struct {
	part string
	line []byte
	ref  GTRef
	rej  *dataset.Rejected
	err  error
}

// item turns one reader item into a record or a rejection.
func (f *readGTFn) item(path string, it gtItem) gtOut {
	var rowErr *generalthought.RowError
	switch {
	case errors.As(it.err, &rowErr):
		return gtOut{rej: &dataset.Rejected{Source: dataset.SourceGeneralThought, Stage: generalthought.StageRead,
			Reason: rowErr.Reason, Detail: rowErr.Error(), File: path, Line: rowErr.Row}}
	case it.err != nil:
		// The file cannot be read further: the rows before are kept, the rest is this one entry.
		return gtOut{rej: &dataset.Rejected{Source: dataset.SourceGeneralThought, Stage: generalthought.StageRead,
			Reason: ReasonFileError, Detail: it.err.Error(), File: path, Line: it.row.Line}}
	}
	return f.row(it.row)
}

// row filters one row and makes its record.
func (f *readGTFn) row(row generalthought.Row) gtOut {
	index := gtIndex(row)
	id := dataset.RecordID(f.Seed, dataset.SourceGeneralThought, index)
	domain := gtDomain(row)
	if keep, reason := f.filter.Filter(row); !keep {
		return gtOut{rej: &dataset.Rejected{ID: id, Source: dataset.SourceGeneralThought, Domain: domain, Stage: stageFilter,
			Reason: reason, File: row.File, Line: row.Line}}
	}
	example, err := json.Marshal(row)
	if err != nil {
		return gtOut{err: fmt.Errorf("%s:%d: encode row: %w", row.File, row.Line, err)}
	}
	license := row.QuestionLicense
	if license == "" {
		license = "unknown"
	}
	rec := dataset.Record{
		ID:       id,
		Index:    index,
		Category: dataset.CategoryQA,
		Domain:   domain,
		Source:   dataset.SourceGeneralThought,
		License:  license,
		Problem:  row.Question,
		Answer:   row.ReferenceAnswer,
		Example:  example,
	}
	f.cat.Sample(domains.Rand(f.Seed, dataset.SourceGeneralThought, index, "configure")).Apply(&rec)
	line, rej, err := encodeRecord(&rec)
	if err != nil {
		return gtOut{err: err}
	}
	if rej != nil {
		rej.File, rej.Line = row.File, row.Line
		return gtOut{rej: rej}
	}
	ref := GTRef{ID: id, Domain: domain, File: row.File, Line: row.Line, HasQID: row.QuestionID != nil}
	if f.Filters.DedupByText {
		ref.TextKey = generalthought.DedupKey(generalthought.ByText, row)
	}
	return gtOut{part: partName(kindRecords, dataset.ShardOf(id, f.Shards)), line: keyedLine(ref.rowKey(), &rec, line), ref: ref}
}

// gtIndex is a row's record index: its question_id, or for a row without one a negative
// number derived from its normalized question, so that ids stay stable whatever the file
// they are read from.
func gtIndex(row generalthought.Row) int64 {
	if row.QuestionID != nil {
		return *row.QuestionID
	}
	sum := sha256.Sum256([]byte(generalthought.NormalizeQuestion(row.Question)))
	return -int64(binary.BigEndian.Uint64(sum[:8])>>2) - 1
}

// gtDomain is the record domain of a row: its task, or "unknown".
func gtDomain(row generalthought.Row) string {
	if t := strings.TrimSpace(row.Task); t != "" {
		return t
	}
	return "unknown"
}

// DedupGeneralThought drops repeated questions: first rows that share a record id (that is,
// a question_id, or the normalized text of a row without one), then, when
// Filters.DedupByText, rows that share a normalized question text. In each group the first
// row in input order (file, then line) is kept. It takes the PCollection<Segment> of
// ReadGeneralThought and returns a PCollection<Segment> of the spilled drop keys and
// rejections, and the rows kept (PCollection<GTRef>). Like Dedup, each pass reads its refs
// from spill partitions, so that only segments go through the shuffles.
func DedupGeneralThought(s beam.Scope, cfg *Config, segments beam.PCollection) (spilled, kept beam.PCollection) {
	s = s.Scope("pipelines.DedupGeneralThought")
	byText := cfg.GeneralThought.Filters.DedupByText
	pass := func(kind, then string, segs beam.PCollection) (beam.PCollection, beam.PCollection) {
		fn := &gtPassFn{Out: cfg.Out, Shards: cfg.Shards, Kind: kind, Then: then}
		lines, rejected, kept := beam.ParDo3(s, fn, groupParts(s, kind, segs))
		return beam.Flatten(s, Spill(s, cfg.Out, lines), Spill(s, cfg.Out, RejectedLines(s, cfg, rejected))), kept
	}
	if !byText {
		return pass(kindGTID, "", segments)
	}
	spilled1, _ := pass(kindGTID, kindGTText, segments)
	spilled2, kept := pass(kindGTText, "", spilled1)
	return beam.Flatten(s, spilled1, spilled2), kept
}

// gtPassFn is one dedup pass over a partition of refs: by id (Kind gtid) or by text key
// (Kind gttext). The first ref of each group goes on to the partitions of Then, or is
// emitted when Then is empty.
type gtPassFn struct {
	Out    string `json:"out"`
	Shards int    `json:"shards"`
	Kind   string `json:"kind"`
	Then   string `json:"then"`

	st *store
}

func (f *gtPassFn) Setup(ctx context.Context) (err error) {
	f.st, err = openStore(ctx, f.Out)
	return err
}

func (f *gtPassFn) Teardown() error { return closeStore(f.st) }

func (f *gtPassFn) ProcessElement(ctx context.Context, part string, segs func(*Segment) bool,
	emit func(string, []byte), reject func(dataset.Rejected), keep func(GTRef)) error {
	// Ref lines sort by key, then input order (see refLine), so each group arrives whole and
	// its first line is the row to keep: one group at a time is held.
	var first GTRef
	var firstKey []byte
	have := false // whether first holds a group's first ref
	finish := func() error {
		if !have {
			return nil
		}
		if f.Then == "" {
			keep(first)
			return nil
		}
		k := key2(f.Then, first)
		emit(partOf(f.Then, k, f.Shards), refLine(k, first))
		return nil
	}
	err := streamPart(ctx, f.st, part, segs, func(l []byte) error {
		key, r, err := parseRefLine(l)
		if err != nil {
			return err
		}
		if have && bytes.Equal(key, firstKey) {
			reason := generalthought.ReasonDuplicateText
			if f.Kind == kindGTID && r.HasQID {
				reason = generalthought.ReasonDuplicateID
			}
			emit(partName(kindDrops, dataset.ShardOf(r.ID, f.Shards)), []byte(r.rowKey()))
			reject(dataset.Rejected{ID: r.ID, Source: dataset.SourceGeneralThought, Domain: r.Domain,
				Stage: generalthought.StageDedup, Reason: reason, File: r.File, Line: r.Line,
				Detail: fmt.Sprintf("same question as %s:%d", first.File, first.Line)})
			return nil
		}
		if err := finish(); err != nil {
			return err
		}
		first, firstKey, have = r, append(firstKey[:0], key...), true
		return nil
	})
	if err != nil {
		return fmt.Errorf("generalthought dedup %s: %w", part, err)
	}
	return finish()
}

// refLine is how a ref is spilled for a dedup pass: its key, where it was read (file, then
// zero-padded line, so that byte order is input order) and its JSON. Spill sorts lines, so a
// partition's lines merge in key order, each key's rows in input order.
func refLine(key string, r GTRef) []byte {
	js, _ := json.Marshal(r) // a GTRef always encodes
	return fmt.Appendf(nil, "%s\x00%s\x00%020d\t%s", key, r.File, r.Line, js)
}

// parseRefLine undoes refLine.
func parseRefLine(l []byte) (key []byte, r GTRef, err error) {
	key, rest, ok := bytes.Cut(l, []byte{0})
	_, js, ok2 := bytes.Cut(rest, []byte{'\t'})
	if !ok || !ok2 {
		return nil, r, fmt.Errorf("bad ref line %.80q", l)
	}
	if err := json.Unmarshal(js, &r); err != nil {
		return nil, r, fmt.Errorf("bad ref line %.80q: %w", l, err)
	}
	return key, r, nil
}

// key2 is the key by which a ref is partitioned for the pass of kind.
func key2(kind string, r GTRef) string {
	if kind == kindGTText {
		return r.TextKey
	}
	return r.ID
}

// MixGeneralThought applies the mixing settings to the rows dedup kept: a row is kept when
// a hash of its id falls within Share, and, with a Cap, when its id is among the Cap smallest
// ids kept by the share (an exact cap: a combiner finds the Cap smallest ids holding no more
// than Cap of them, and the rows are checked against it partition by partition). It takes a
// PCollection<GTRef> and returns a PCollection<Segment> of the spilled drop keys and the
// filtered rows' records.
func MixGeneralThought(s beam.Scope, cfg *Config, kept beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.MixGeneralThought")
	gt := cfg.GeneralThought
	lines, rejected, kept := beam.ParDo3(s, &shareFn{Share: gt.Share, Shards: cfg.Shards, Capped: gt.Cap > 0}, kept)
	spilled := []beam.PCollection{Spill(s, cfg.Out, lines), Spill(s, cfg.Out, RejectedLines(s, cfg, rejected))}
	if gt.Cap > 0 {
		smallest := top.Smallest(s, beam.ParDo(s, refIDFn, kept), gt.Cap, lessString)
		fn := &capFn{Out: cfg.Out, Shards: cfg.Shards, Cap: gt.Cap}
		drops, rejected := beam.ParDo2(s, fn, groupParts(s, kindGTMix, beam.Flatten(s, spilled...)), beam.SideInput{Input: smallest})
		spilled = append(spilled, Spill(s, cfg.Out, drops), Spill(s, cfg.Out, RejectedLines(s, cfg, rejected)))
	}
	return beam.Flatten(s, spilled...)
}

func refIDFn(r GTRef) string      { return r.ID }
func lessString(a, b string) bool { return a < b }

// shareFn keeps the rows within the share; with a cap, it spills them for capFn.
type shareFn struct {
	Share  float64 `json:"share"`
	Shards int     `json:"shards"`
	Capped bool    `json:"capped"`
}

func (f *shareFn) ProcessElement(r GTRef, emit func(string, []byte), reject func(dataset.Rejected), keep func(GTRef)) error {
	if f.Share < 1 && unitHash(r.ID) >= f.Share {
		emit(partName(kindDrops, dataset.ShardOf(r.ID, f.Shards)), []byte(r.rowKey()))
		reject(dataset.Rejected{ID: r.ID, Source: dataset.SourceGeneralThought, Domain: r.Domain, Stage: stageFilter,
			Reason: ReasonMixShare, File: r.File, Line: r.Line})
		return nil
	}
	if !f.Capped {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	emit(partOf(kindGTMix, r.ID, f.Shards), b)
	keep(r)
	return nil
}

// unitHash maps an id to [0, 1), uniformly.
func unitHash(id string) float64 {
	sum := sha256.Sum256([]byte("mix\x00" + id))
	return float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53)
}

// capFn leaves out the rows of a partition whose ids are above the cap's threshold.
type capFn struct {
	Out    string `json:"out"`
	Shards int    `json:"shards"`
	Cap    int    `json:"cap"`

	st *store
}

func (f *capFn) Setup(ctx context.Context) (err error) {
	f.st, err = openStore(ctx, f.Out)
	return err
}

func (f *capFn) Teardown() error { return closeStore(f.st) }

func (f *capFn) ProcessElement(ctx context.Context, part string, segs func(*Segment) bool, smallest []string,
	drop func(string, []byte), reject func(dataset.Rejected)) error {
	if len(smallest) < f.Cap {
		return nil // fewer rows than the cap: all stay
	}
	threshold := slices.Max(smallest)
	err := streamPart(ctx, f.st, part, segs, func(l []byte) error {
		var r GTRef
		if err := json.Unmarshal(l, &r); err != nil {
			return fmt.Errorf("bad ref line %.80q: %w", l, err)
		}
		if r.ID <= threshold {
			return nil
		}
		drop(partName(kindDrops, dataset.ShardOf(r.ID, f.Shards)), []byte(r.rowKey()))
		reject(dataset.Rejected{ID: r.ID, Source: dataset.SourceGeneralThought, Domain: r.Domain, Stage: stageFilter,
			Reason: ReasonMixCap, File: r.File, Line: r.Line, Detail: fmt.Sprintf("over the cap of %d records", f.Cap)})
		return nil
	})
	if err != nil {
		return fmt.Errorf("generalthought cap %s: %w", part, err)
	}
	return nil
}
