package pipelines

import (
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/pipelines/synth"
)

// Dedup finds tasks that repeat another: same domain, golden actions and instructions
// (synth.DedupKey). Of each group the task with the smallest id is kept. It takes a
// PCollection<KV<string, DupRef>> and returns the ids of the others (PCollection<string>),
// which WriteShards leaves out, and their rejections (PCollection<dataset.Rejected>). Only
// keys and ids go through the shuffle.
func Dedup(s beam.Scope, keys beam.PCollection) (drops, rejected beam.PCollection) {
	s = s.Scope("pipelines.Dedup")
	return beam.ParDo2(s, dedupFn, beam.GroupByKey(s, keys))
}

func dedupFn(_ string, refs func(*DupRef) bool, drop func(string), reject func(dataset.Rejected)) {
	var all []DupRef
	var r DupRef
	for refs(&r) {
		all = append(all, r)
	}
	if len(all) < 2 {
		return
	}
	slices.SortFunc(all, func(a, b DupRef) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range all[1:] {
		if r.ID == all[0].ID {
			continue // the same task delivered twice is one task
		}
		drop(r.ID)
		reject(dataset.Rejected{ID: r.ID, Source: dataset.SourceToolScale, Domain: r.Domain, Stage: "dedup",
			Reason: synth.ReasonDuplicate, Detail: "same domain, golden actions and instructions as " + all[0].ID})
	}
}
