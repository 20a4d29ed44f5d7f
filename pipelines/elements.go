package pipelines

import (
	"fmt"

	"github.com/toolscale/toolscale/dataset"
)

// A WorkItem is a slice of one domain's tasks that share an environment: the tasks of index
// Slot*Envs + Env for Slot in [Lo, Hi), where Envs is the run's EnvsPerDomain.
type WorkItem struct {
	Domain string
	Env    int
	Lo, Hi int64
}

// A VerifiedTask is a task that passed verification, with what its record needs.
type VerifiedTask struct {
	ID         string
	Domain     string
	Index      int64
	Difficulty int
	Problem    string // what the user asks
	Answer     string // what must be communicated, or the expected outcome
	Task       []byte // the τ² task as JSON
}

// A DupRef names a task under its dedup key.
type DupRef struct {
	ID     string
	Domain string
}

// A GTRef names a GeneralThought row that passed the filters, for de-duplication and mixing.
type GTRef struct {
	ID      string
	Domain  string
	File    string
	Line    int64
	HasQID  bool   // the row has a question_id (its id derives from it)
	TextKey string // generalthought.DedupKey(ByText, row); empty when text dedup is off
}

// rowKey identifies the row's record among records of the same id (rows that share a
// question_id): the key under which a dropped row is left out of the shards.
func (a GTRef) rowKey() string { return fmt.Sprintf("%s@%s:%d", a.ID, a.File, a.Line) }

// before reports whether a comes first in input order (file, then line), as
// generalthought.Prefer orders rows; the id breaks ties.
func (a GTRef) before(b GTRef) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.ID < b.ID
}

// A Segment is a run of lines of one partition in a spill file: Length bytes from Offset,
// holding Lines lines. A Segment with no Path stands for a partition that must be written
// even when nothing was spilled to it.
type Segment struct {
	Part   string
	Path   string
	Offset int64
	Length int64
	Lines  int64
}

// Kinds of Part.
const (
	partShard    = "shard"
	partRejected = "rejected"
	partFile     = "file"
	partRead     = "read"
)

// Kinds of Count.
const (
	countDomain   = "domain"
	countSource   = "source"
	countRejected = "rejected"
	countFiltered = "filtered"
	countRead     = "read"
)

// A Part is one piece of what the manifest lists: a written file with the counts of what it
// holds, or a tally of inputs read.
type Part struct {
	Kind   string // shard, rejected, file or read
	Index  int    // the shard or rejected-file number
	File   dataset.File
	Counts []Count
}

// A Count is the number of records of one kind and name: written records by domain or
// source, records not written by reason, inputs read by source.
type Count struct {
	Kind string
	Name string
	N    int64
}

// Partition keys of spilled lines: one per shard and one per rejected-records file.
func recordsPart(i int) string  { return fmt.Sprintf("records/%05d", i) }
func rejectedPart(i int) string { return fmt.Sprintf("rejected/%05d", i) }
