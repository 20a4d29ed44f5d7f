package pipelines

import (
	"fmt"
	"strconv"
	"strings"

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
// question_id): the key under which a dropped row is left out of the shards. The id comes
// first, then a space, which sorts before every character of an id (see keyedLine).
func (a GTRef) rowKey() string { return fmt.Sprintf("%s %s:%d", a.ID, a.File, a.Line) }

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

// Kinds of spill partitions. A partition is named kind/NNNNN; every family has as many
// partitions as the run has shards.
const (
	kindRecords  = "records"  // record lines of shard NNNNN: drop key, tab, JSON
	kindRejected = "rejected" // rejected-record lines of rejected file NNNNN
	kindDrops    = "drops"    // drop keys of records of shard NNNNN to leave out
	kindDups     = "dups"     // task dedup lines, by a hash of the dedup key
	kindGTID     = "gtid"     // GeneralThought refs for the id pass, by a hash of the id
	kindGTText   = "gttext"   // refs left by the id pass, by a hash of the text key
	kindGTMix    = "gtmix"    // refs left after dedup and share, for the cap
)

// partName names partition i of a kind.
func partName(kind string, i int) string { return fmt.Sprintf("%s/%05d", kind, i) }

// splitPart returns the kind and number of a partition name.
func splitPart(part string) (kind string, i int, err error) {
	kind, num, ok := strings.Cut(part, "/")
	i, err = strconv.Atoi(num)
	if !ok || err != nil || i < 0 {
		return "", 0, fmt.Errorf("bad spill partition %q", part)
	}
	return kind, i, nil
}

// partOf is the partition of kind that holds key, among n.
func partOf(kind, key string, n int) string {
	return partName(kind, dataset.ShardOf(kind+"\x00"+key, n))
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
