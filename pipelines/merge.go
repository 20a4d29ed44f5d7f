package pipelines

import (
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
// It returns the records as PCollection<KV<string, []byte>> (shard partition, JSON line),
// the dropped rows as PCollection<dataset.Rejected>, a GTRef per record for the dedup
// passes (PCollection<GTRef>), and a tally of rows read per file (PCollection<Part>).
func ReadGeneralThought(s beam.Scope, cfg *Config, catalogue []byte) (lines, rejected, refs, tallies beam.PCollection) {
	s = s.Scope("pipelines.ReadGeneralThought")
	var matched []beam.PCollection
	for _, p := range cfg.GeneralThought.Paths {
		matched = append(matched, fileio.MatchFiles(s, p, fileio.MatchEmptyDisallow()))
	}
	files := fileio.ReadMatches(s, beam.Flatten(s, matched...), fileio.ReadUncompressed())
	fn := &readGTFn{Seed: cfg.Seed, Catalogue: string(catalogue), Shards: cfg.Shards, Filters: cfg.GeneralThought.Filters,
		Parallelism: cfg.Parallelism}
	return beam.ParDo4(s, fn, files)
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
	emit func(string, []byte), emitRej func(dataset.Rejected), emitRef func(GTRef), emitTally func(Part)) error {
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
			emitRef(o.ref)
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
	return gtOut{part: recordsPart(dataset.ShardOf(id, f.Shards)), line: keyedLine(ref.rowKey(), line), ref: ref}
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
// row in input order (file, then line) is kept. It takes a PCollection<GTRef> and returns the
// kept refs (PCollection<GTRef>), the ids of the others (PCollection<string>) and their
// rejections (PCollection<dataset.Rejected>). Only refs go through the shuffles.
func DedupGeneralThought(s beam.Scope, cfg *Config, refs beam.PCollection) (kept, drops, rejected beam.PCollection) {
	s = s.Scope("pipelines.DedupGeneralThought")
	kept, drops1, rej1 := beam.ParDo3(s, firstRefFn, beam.GroupByKey(s, beam.ParDo(s, keyByIDFn, refs)))
	if !cfg.GeneralThought.Filters.DedupByText {
		return kept, drops1, rej1
	}
	kept, drops2, rej2 := beam.ParDo3(s, firstRefFn, beam.GroupByKey(s, beam.ParDo(s, keyByTextFn, kept)))
	return kept, beam.Flatten(s, drops1, drops2), beam.Flatten(s, rej1, rej2)
}

func keyByIDFn(r GTRef) (string, GTRef)   { return "id:" + r.ID, r }
func keyByTextFn(r GTRef) (string, GTRef) { return r.TextKey, r }

func firstRefFn(key string, refs func(*GTRef) bool, keep func(GTRef), drop func(string), reject func(dataset.Rejected)) {
	var all []GTRef
	var r GTRef
	for refs(&r) {
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b GTRef) int {
		if a.before(b) {
			return -1
		}
		if b.before(a) {
			return 1
		}
		return 0
	})
	keep(all[0])
	for _, r := range all[1:] {
		reason := generalthought.ReasonDuplicateText
		if strings.HasPrefix(key, "id:") && r.HasQID {
			reason = generalthought.ReasonDuplicateID
		}
		drop(r.rowKey())
		reject(dataset.Rejected{ID: r.ID, Source: dataset.SourceGeneralThought, Domain: r.Domain,
			Stage: generalthought.StageDedup, Reason: reason, File: r.File, Line: r.Line,
			Detail: fmt.Sprintf("same question as %s:%d", all[0].File, all[0].Line)})
	}
}

// MixGeneralThought applies the mixing settings to the de-duplicated rows: a row is kept
// when a hash of its id falls within Share, and, with a Cap, when its id is among the Cap
// smallest ids kept by the share (an exact cap, computed by a combiner that holds Cap ids).
// It takes a PCollection<GTRef> and returns the ids left out (PCollection<string>) and their
// filtered records (PCollection<dataset.Rejected>).
func MixGeneralThought(s beam.Scope, cfg *Config, kept beam.PCollection) (drops, rejected beam.PCollection) {
	s = s.Scope("pipelines.MixGeneralThought")
	gt := cfg.GeneralThought
	kept, drops1, rej1 := beam.ParDo3(s, &shareFn{Share: gt.Share}, kept)
	if gt.Cap <= 0 {
		return drops1, rej1
	}
	ids := beam.ParDo(s, refIDFn, kept)
	smallest := top.Smallest(s, ids, gt.Cap, lessString)
	drops2, rej2 := beam.ParDo2(s, &capFn{Cap: gt.Cap}, kept, beam.SideInput{Input: smallest})
	return beam.Flatten(s, drops1, drops2), beam.Flatten(s, rej1, rej2)
}

func refIDFn(r GTRef) string      { return r.ID }
func lessString(a, b string) bool { return a < b }

type shareFn struct {
	Share float64 `json:"share"`
}

func (f *shareFn) ProcessElement(r GTRef, keep func(GTRef), drop func(string), reject func(dataset.Rejected)) {
	if f.Share >= 1 || unitHash(r.ID) < f.Share {
		keep(r)
		return
	}
	drop(r.rowKey())
	reject(dataset.Rejected{ID: r.ID, Source: dataset.SourceGeneralThought, Domain: r.Domain, Stage: stageFilter,
		Reason: ReasonMixShare, File: r.File, Line: r.Line})
}

// unitHash maps an id to [0, 1), uniformly.
func unitHash(id string) float64 {
	sum := sha256.Sum256([]byte("mix\x00" + id))
	return float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53)
}

type capFn struct {
	Cap int `json:"cap"`

	threshold *string // the largest id kept, or "" for no limit; the side input is the same for every element
}

func (f *capFn) ProcessElement(r GTRef, smallest []string, drop func(string), reject func(dataset.Rejected)) {
	if f.threshold == nil {
		t := ""
		if len(smallest) >= f.Cap {
			t = slices.Max(smallest)
		}
		f.threshold = &t
	}
	if *f.threshold == "" || r.ID <= *f.threshold {
		return
	}
	drop(r.rowKey())
	reject(dataset.Rejected{ID: r.ID, Source: dataset.SourceGeneralThought, Domain: r.Domain, Stage: stageFilter,
		Reason: ReasonMixCap, File: r.File, Line: r.Line, Detail: fmt.Sprintf("over the cap of %d records", f.Cap)})
}
