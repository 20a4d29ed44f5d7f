package pipelines

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
)

// WriteShards writes the shards and the rejected-records files from the spilled lines. It
// takes the PCollection<Segment> of every Spill and the PCollection<string> of the keys of
// records to leave out (duplicates, rows over a mixing cap: see keyedLine), and returns a PCollection<Part>: one per
// shard and one per rejected file, with the counts of what each holds.
//
// Shard i holds the records with dataset.ShardOf(id, n) == i, sorted by id, gzip-compressed
// when cfg.Gzip; it is written under a temporary name and renamed when complete. There are
// exactly n shards and n rejected files, empty ones included. A shard is assembled in
// memory: that, and the ids to leave out, is what a worker holds.
func WriteShards(s beam.Scope, cfg *Config, segments, drops beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.WriteShards")
	placeholders := make([]Segment, 0, 2*cfg.Shards)
	for i := range cfg.Shards {
		placeholders = append(placeholders, Segment{Part: recordsPart(i)}, Segment{Part: rejectedPart(i)})
	}
	all := beam.Flatten(s, segments, beam.CreateList(s, placeholders))
	grouped := beam.GroupByKey(s, beam.ParDo(s, keySegmentFn, all))
	return beam.ParDo(s, &writePartFn{Out: cfg.Out, Shards: cfg.Shards, Gzip: cfg.Gzip}, grouped, beam.SideInput{Input: drops})
}

func keySegmentFn(sg Segment) (string, Segment) { return sg.Part, sg }

type writePartFn struct {
	Out    string `json:"out"`
	Shards int    `json:"shards"`
	Gzip   bool   `json:"gzip"`

	st *store
}

func (f *writePartFn) Setup(ctx context.Context) error {
	st, err := openStore(ctx, f.Out)
	if err != nil {
		return err
	}
	f.st = st
	return nil
}

func (f *writePartFn) Teardown() error {
	if f.st != nil {
		return f.st.Close()
	}
	return nil
}

func (f *writePartFn) ProcessElement(ctx context.Context, part string, segs func(*Segment) bool, drops func(*string) bool, emit func(Part)) error {
	kind, num, ok := strings.Cut(part, "/")
	i, err := strconv.Atoi(num)
	if !ok || err != nil || i < 0 || i >= f.Shards {
		return fmt.Errorf("write shards: bad partition %q", part)
	}
	var all []Segment
	var sg Segment
	for segs(&sg) {
		if sg.Path != "" {
			all = append(all, sg)
		}
	}
	// Read in a fixed order; the lines are sorted anyway.
	slices.SortFunc(all, func(a, b Segment) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Offset, b.Offset))
	})
	var lines [][]byte
	for _, sg := range all {
		ls, err := readSegment(ctx, f.st, sg)
		if err != nil {
			return fmt.Errorf("write %s: %w", part, err)
		}
		lines = append(lines, ls...)
	}
	switch kind {
	case "records":
		skip := map[string]bool{}
		var id string
		for drops(&id) {
			skip[id] = true
		}
		p, err := f.writeShard(ctx, i, lines, skip)
		if err != nil {
			return err
		}
		emit(p)
	case "rejected":
		p, err := f.writeRejected(ctx, i, lines)
		if err != nil {
			return err
		}
		emit(p)
	default:
		return fmt.Errorf("write shards: bad partition %q", part)
	}
	return nil
}

// recordHead is what the sink reads of a record line.
type recordHead struct {
	ID     string `json:"id"`
	Domain string `json:"domain"`
	Source string `json:"source"`
}

func (f *writePartFn) writeShard(ctx context.Context, i int, lines [][]byte, skip map[string]bool) (Part, error) {
	path := dataset.ShardPath(i, f.Shards, f.Gzip)
	type keyed struct {
		head recordHead
		line []byte
	}
	recs := make([]keyed, 0, len(lines))
	for _, kl := range lines {
		key, l, ok := bytes.Cut(kl, []byte{'\t'})
		var h recordHead
		if !ok || json.Unmarshal(l, &h) != nil || h.ID == "" {
			return Part{}, fmt.Errorf("write %s: spilled record without a key or an id: %.80s", path, kl)
		}
		if skip[string(key)] {
			continue
		}
		if dataset.ShardOf(h.ID, f.Shards) != i {
			return Part{}, fmt.Errorf("write %s: record %s belongs to shard %d", path, h.ID, dataset.ShardOf(h.ID, f.Shards))
		}
		recs = append(recs, keyed{h, l})
	}
	slices.SortFunc(recs, func(a, b keyed) int { return strings.Compare(a.head.ID, b.head.ID) })
	sorted := make([][]byte, len(recs))
	domains, sources := map[string]int64{}, map[string]int64{}
	for j, r := range recs {
		if j > 0 && r.head.ID == recs[j-1].head.ID {
			return Part{}, fmt.Errorf("write %s: record id %q: %w", path, r.head.ID, dataset.ErrDuplicateID)
		}
		sorted[j] = r.line
		domains[r.head.Domain]++
		sources[r.head.Source]++
	}
	var file dataset.File
	err := dataset.WriteFile(ctx, f.st, path, func(w io.Writer) error {
		var err error
		file, err = dataset.WriteLines(w, sorted, f.Gzip)
		return err
	})
	if err != nil {
		return Part{}, err
	}
	file.Path = path
	return Part{Kind: partShard, Index: i, File: file, Counts: append(counts(countDomain, domains), counts(countSource, sources)...)}, nil
}

func (f *writePartFn) writeRejected(ctx context.Context, i int, lines [][]byte) (Part, error) {
	path := dataset.RejectedPath(i, f.Shards)
	recs := make([]dataset.Rejected, len(lines))
	for j, l := range lines {
		if err := json.Unmarshal(l, &recs[j]); err != nil {
			return Part{}, fmt.Errorf("write %s: spilled rejected record: %w", path, err)
		}
	}
	var file dataset.File
	err := dataset.WriteFile(ctx, f.st, path, func(w io.Writer) error {
		var err error
		file, err = dataset.WriteRejected(w, recs)
		return err
	})
	if err != nil {
		return Part{}, err
	}
	file.Path = path
	rejected, filtered := map[string]int64{}, map[string]int64{}
	for _, r := range recs {
		if isFiltered(r) {
			filtered[r.Reason]++
		} else {
			rejected[r.Reason]++
		}
	}
	return Part{Kind: partRejected, Index: i, File: file, Counts: append(counts(countRejected, rejected), counts(countFiltered, filtered)...)}, nil
}

// isFiltered tells records left out by choice (filters, mixing) from records rejected for a
// fault.
func isFiltered(r dataset.Rejected) bool { return r.Stage == stageFilter }

// stageFilter is the stage of records that filters and mixing leave out.
const stageFilter = "filter"

// counts turns a map of counts into Counts sorted by name.
func counts(kind string, m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Kind: kind, Name: k, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int { return strings.Compare(a.Name, b.Name) })
	return out
}
