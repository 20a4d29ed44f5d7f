package pipelines

import (
	"bytes"
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/pipelines/synth"
)

// dupLine is how Synthesize spills a verified task for Dedup: its dedup key, id and domain.
func dupLine(key, id, domain string) []byte { return []byte(key + "\t" + id + "\t" + domain) }

// Dedup finds tasks that repeat another: same domain, golden actions and instructions
// (synth.DedupKey). Of each group the task with the smallest id is kept. It takes the
// PCollection<Segment> of the spills, reads the dups partitions (Synthesize spills each
// verified task's dedup key to the partition its key hashes to, so a group never spans two
// partitions), and returns a PCollection<Segment> of the spilled drop keys and rejections
// of the others. Only segments go through the shuffle: the keys themselves stay on storage,
// and a worker holds one partition of them.
func Dedup(s beam.Scope, cfg *Config, segments beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.Dedup")
	drops, rejected := beam.ParDo2(s, &dedupFn{Out: cfg.Out, Shards: cfg.Shards}, groupParts(s, kindDups, segments))
	return beam.Flatten(s, Spill(s, cfg.Out, drops), Spill(s, cfg.Out, RejectedLines(s, cfg, rejected)))
}

type dedupFn struct {
	Out    string `json:"out"`
	Shards int    `json:"shards"`

	st *store
}

func (f *dedupFn) Setup(ctx context.Context) (err error) {
	f.st, err = openStore(ctx, f.Out)
	return err
}

func (f *dedupFn) Teardown() error { return closeStore(f.st) }

func (f *dedupFn) ProcessElement(ctx context.Context, part string, segs func(*Segment) bool, drop func(string, []byte), reject func(dataset.Rejected)) error {
	// Lines sort by key, then id (see dupLine), so each group arrives whole, smallest id first.
	var firstKey []byte
	var firstID string
	err := streamPart(ctx, f.st, part, segs, func(l []byte) error {
		fields := bytes.Split(l, []byte{'\t'})
		if len(fields) != 3 {
			return fmt.Errorf("bad line %q", l)
		}
		if firstID != "" && bytes.Equal(fields[0], firstKey) {
			id := string(fields[1])
			if id == firstID {
				return nil // the same task delivered twice is one task
			}
			drop(partName(kindDrops, dataset.ShardOf(id, f.Shards)), []byte(id))
			reject(dataset.Rejected{ID: id, Source: dataset.SourceToolScale, Domain: string(fields[2]), Stage: "dedup",
				Reason: synth.ReasonDuplicate, Detail: "same domain, golden actions and instructions as " + firstID})
			return nil
		}
		firstKey, firstID = append(firstKey[:0], fields[0]...), string(fields[1])
		return nil
	})
	if err != nil {
		return fmt.Errorf("dedup %s: %w", part, err)
	}
	return nil
}
