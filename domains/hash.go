package domains

import (
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/internal/sha256x2"
)

// Hashing a fork after a task costs little because the hash stream of its frozen base is
// checkpointed: the sha256 state is saved every checkpointBytes of the stream, at record
// boundaries. A fork's hash resumes from the last checkpoint before its first changed
// record and streams only the rest; an unchanged fork costs nothing.
const checkpointBytes = 16 << 10

// A checkpoint is the hash state before record rec of the table at position tab of the
// sorted table order.
type checkpoint struct {
	tab, rec int
	state    []byte
}

type baseHashes struct {
	once  sync.Once
	err   error
	final [2][]byte // digests of the unchanged base: Canonical, Tau2
	marks [2][]checkpoint
}

// Hash returns both hashes of db.
func Hash(db DB) (Hashes, error) {
	names, tables, err := tablesOf(db)
	if err != nil {
		return Hashes{}, err
	}
	order := sortedOrder(names)
	key, ok := frozenKey(tables)
	if !ok {
		return hashFull(db)
	}
	v, _ := tables[order[0]].hashCache().LoadOrStore(key, &baseHashes{})
	bh := v.(*baseHashes)
	bh.once.Do(func() {
		// The checkpoints are of the bases, not of whichever fork asked first.
		bases := make([]table, len(tables))
		for i, t := range tables {
			bases[i] = t.baseView()
		}
		bh.err = bh.build(names, bases, order)
	})
	if bh.err != nil {
		return Hashes{}, bh.err
	}
	tab, rec, dirty := firstChange(tables, order)
	if !dirty {
		return Hashes{SHA256: hex.EncodeToString(bh.final[0]), Tau2: hex.EncodeToString(bh.final[1])}, nil
	}
	// Each style's stream from the last checkpoint at or before the first change. The two
	// are made side by side, a chunk of each at a time, and hashed together: two streams
	// hash faster at once than one after the other, and a chunk is still in cache when it
	// is hashed.
	var marks [2]checkpoint
	for s := range marks {
		ms := bh.marks[s]
		i := sort.Search(len(ms), func(i int) bool {
			m := ms[i]
			return m.tab > tab || m.tab == tab && m.rec > rec
		}) - 1
		marks[s] = ms[i]
	}
	p, heads, err := sha256x2.NewPair(marks[0].state, marks[1].state)
	if err != nil {
		return Hashes{}, err
	}
	var next [2]func() ([]byte, bool)
	var errs [2]error
	for s, style := range []py.Style{py.Canonical, py.Tau2} {
		m := marks[s]
		pull, stop := iter.Pull(func(yield func([]byte) bool) {
			c := newChunker(heads[s], yield)
			defer c.release()
			if err := stream(c, names, tables, order, style, m.tab, m.rec, true, nil); err != nil {
				if err != errStopped {
					errs[s] = err
				}
				return
			}
			c.last()
		})
		defer stop()
		next[s] = pull
	}
	for {
		a, okA := next[0]()
		b, okB := next[1]()
		if !okA && !okB {
			break
		}
		p.Write(a, b)
	}
	for _, err := range errs {
		if err != nil {
			return Hashes{}, err
		}
	}
	canon, tau2, err := p.Sum()
	if err != nil {
		return Hashes{}, err
	}
	return Hashes{SHA256: hex.EncodeToString(canon[:]), Tau2: hex.EncodeToString(tau2[:])}, nil
}

// chunkBytes is about how much of a stream Hash makes before hashing it.
const chunkBytes = 64 << 10

var (
	chunkBufs  = sync.Pool{New: func() any { b := make([]byte, 0, chunkBytes+2*checkpointBytes); return &b }}
	errStopped = errors.New("stopped")
)

// A chunker is the io.Writer a stream writes to in Hash: it yields the stream in chunks of
// whole sha256 blocks, the last chunk excepted.
type chunker struct {
	bp    *[]byte
	buf   []byte
	yield func([]byte) bool
}

func newChunker(head []byte, yield func([]byte) bool) *chunker {
	bp := chunkBufs.Get().(*[]byte)
	return &chunker{bp: bp, buf: append((*bp)[:0], head...), yield: yield}
}

func (c *chunker) Write(p []byte) (int, error) {
	c.buf = append(c.buf, p...)
	if len(c.buf) >= chunkBytes {
		n := len(c.buf) / 64 * 64
		if !c.yield(c.buf[:n]) {
			return 0, errStopped
		}
		c.buf = append(c.buf[:0], c.buf[n:]...)
	}
	return len(p), nil
}

// last yields what is left.
func (c *chunker) last() { c.yield(c.buf) }

func (c *chunker) release() {
	*c.bp = c.buf[:0]
	chunkBufs.Put(c.bp)
}

// hashFull hashes a database that is not frozen by encoding it whole.
func hashFull(db DB) (Hashes, error) {
	c, err := Encode(db, py.Canonical)
	if err != nil {
		return Hashes{}, err
	}
	t, err := Encode(db, py.Tau2)
	if err != nil {
		return Hashes{}, err
	}
	cs, ts := sha256.Sum256(c), sha256.Sum256(t)
	return Hashes{SHA256: hex.EncodeToString(cs[:]), Tau2: hex.EncodeToString(ts[:])}, nil
}

func (bh *baseHashes) build(names []string, tables []table, order []int) error {
	for s, style := range []py.Style{py.Canonical, py.Tau2} {
		h := sha256.New()
		err := stream(h, names, tables, order, style, 0, 0, false, func(tab, rec int) error {
			st, err := h.(encoding.BinaryMarshaler).MarshalBinary()
			if err != nil {
				return err
			}
			bh.marks[s] = append(bh.marks[s], checkpoint{tab, rec, st})
			return nil
		})
		if err != nil {
			return err
		}
		bh.final[s] = h.Sum(nil)
	}
	return nil
}

func sortedOrder(names []string) []int {
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	return order
}

// frozenKey identifies the set of frozen bases db's tables share, or reports that some
// table has no frozen base.
func frozenKey(tables []table) (string, bool) {
	var b strings.Builder
	for _, t := range tables {
		p, ok := t.frozenBase()
		if !ok {
			return "", false
		}
		fmt.Fprintf(&b, "%p;", p)
	}
	return b.String(), true
}

// firstChange returns the position (table in sorted order, record in sorted key order) of
// the first record that differs from the base, if any.
func firstChange(tables []table, order []int) (tab, rec int, dirty bool) {
	for pos, ti := range order {
		if r, ok := tables[ti].firstChanged(); ok {
			return pos, r, true
		}
	}
	return 0, 0, false
}

// streamBufs holds stream's buffers: hashing a fork would otherwise allocate one per task.
var streamBufs = sync.Pool{New: func() any { b := make([]byte, 0, 2*checkpointBytes); return &b }}

// stream writes the sorted-key encoding of the database in style s to h (a hash, or a
// buffer that Hash hashes), exactly as Encode writes it. A resumed stream starts at record rec of the table at position tab of order,
// with h holding the state of a checkpoint taken there. With mark set, it is called at the
// start of every table and at record boundaries every checkpointBytes, with the hash state
// flushed.
func stream(h io.Writer, names []string, tables []table, order []int, s py.Style, tab, rec int, resume bool, mark func(tab, rec int) error) error {
	sep, colon := ",", ":"
	if s == py.Tau2 {
		sep, colon = ", ", ": "
	}
	bp := streamBufs.Get().(*[]byte)
	buf := (*bp)[:0]
	defer func() {
		*bp = buf[:0]
		streamBufs.Put(bp)
	}()
	flush := func() {
		h.Write(buf)
		buf = buf[:0]
	}
	if !resume {
		buf = append(buf, '{')
	}
	pending := 0
	for pos := tab; pos < len(order); pos++ {
		t := tables[order[pos]]
		start := 0
		if pos == tab {
			start = rec
		}
		// A resumed stream's state already holds the header of the table it resumes in.
		if !(resume && pos == tab) {
			if pos > 0 {
				buf = append(buf, sep...)
			}
			buf = py.AppendQuote(buf, names[order[pos]], s == py.Tau2)
			buf = append(buf, colon...)
			buf = append(buf, '{')
			if mark != nil {
				flush()
				if err := mark(pos, 0); err != nil {
					return err
				}
				pending = 0
			}
		}
		err := t.eachEntry(start, s, func(i int, k string, e []byte) error {
			if mark != nil && pending >= checkpointBytes && i > 0 {
				flush()
				if err := mark(pos, i); err != nil {
					return err
				}
				pending = 0
			}
			before := len(buf)
			if i > 0 {
				buf = append(buf, sep...)
			}
			if e != nil {
				// A cached entry goes to h as it is, not through buf.
				pending += len(buf) - before + len(e)
				flush()
				h.Write(e)
				return nil
			}
			buf = py.AppendQuote(buf, k, s == py.Tau2)
			buf = append(buf, colon...)
			var err error
			if buf, err = t.appendRecord(buf, k, s); err != nil {
				return fmt.Errorf("encode table %s: %w", names[order[pos]], err)
			}
			pending += len(buf) - before
			if len(buf) >= checkpointBytes {
				flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		buf = append(buf, '}')
	}
	buf = append(buf, '}')
	flush()
	return nil
}
