package pipelines

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/pipelines/synth"
)

// Tau2Dir is the folder of the τ²-bench layout: tau2/<domain>/{db_000.json…, tasks.json,
// policy.md}, so the tasks run unchanged in τ²-style evaluators.
const Tau2Dir = "tau2"

// An EnvItem names one environment of a domain.
type EnvItem struct {
	Domain string
	Env    int
}

// WriteEnvironments writes each domain's databases (tau2/<domain>/db_000.json, …, in the
// reference db.json layout) and its policy (policy.md). It returns a PCollection<Part> with
// one file Part per file written.
//
// The files are written once the PCollection after is complete (it is read as a side input
// and otherwise unused): the run passes the shards, so that the files are written beside
// tasks.json, whose single writer leaves cores idle, and not at the start, where they would
// hold back the synthesis.
func WriteEnvironments(s beam.Scope, cfg *Config, after beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.WriteEnvironments")
	var items []EnvItem
	for _, d := range cfg.Domains {
		for k := range cfg.EnvsPerDomain {
			items = append(items, EnvItem{Domain: d, Env: k})
		}
	}
	fn := &writeEnvFn{Out: cfg.Out, Seed: cfg.Seed, Scale: cfg.Scale}
	return beam.ParDo(s, fn, beam.CreateList(s, items), beam.SideInput{Input: after})
}

type writeEnvFn struct {
	Out   string `json:"out"`
	Seed  int64  `json:"seed"`
	Scale int    `json:"scale"`

	st *store
}

func (f *writeEnvFn) Setup(ctx context.Context) error {
	st, err := openStore(ctx, f.Out)
	if err != nil {
		return err
	}
	f.st = st
	return nil
}

func (f *writeEnvFn) Teardown() error {
	if f.st != nil {
		return f.st.Close()
	}
	return nil
}

func (f *writeEnvFn) ProcessElement(ctx context.Context, it EnvItem, _ func(*Part) bool, emit func(Part)) error {
	d, err := domains.Lookup(it.Domain)
	if err != nil {
		return fmt.Errorf("write environments: %w", err)
	}
	dir := Tau2Dir + "/" + d.Name + "/"
	if it.Env == 0 {
		p, err := writeBytes(ctx, f.st, dir+"policy.md", []byte(d.Policy))
		if err != nil {
			return err
		}
		emit(p)
	}
	db, err := envs.Get(d, f.Seed, it.Env, f.Scale)
	if err != nil {
		// Every task of this environment is rejected with the reason "environment"; there
		// is no database to write.
		return nil
	}
	b, err := domains.Encode(db, py.File)
	if err != nil {
		return fmt.Errorf("write %s%s: %w", dir, synth.DBFile(it.Env), err)
	}
	p, err := writeBytes(ctx, f.st, dir+synth.DBFile(it.Env), b)
	if err != nil {
		return err
	}
	emit(p)
	return nil
}

// writeBytes writes a whole file and returns its Part.
func writeBytes(ctx context.Context, st *store, name string, b []byte) (Part, error) {
	err := dataset.WriteFile(ctx, st, name, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		return Part{}, err
	}
	sum := sha256.Sum256(b)
	return Part{Kind: partFile, File: dataset.File{Path: name, Bytes: int64(len(b)), SHA256: hex.EncodeToString(sum[:])}}, nil
}

// WriteTau2Tasks writes each domain's tasks.json: the τ² tasks of the written func_call
// records, sorted by id, as a JSON array with one task per line. It takes the shard Parts of
// WriteShards (PCollection<Part>) and reads the shards back, merging them by id, so it holds
// one line per shard in memory. It returns a PCollection<Part> of the files written.
func WriteTau2Tasks(s beam.Scope, cfg *Config, shards beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.WriteTau2Tasks")
	one := beam.GroupByKey(s, beam.ParDo(s, keyZeroFn, shards))
	return beam.ParDo(s, &writeTasksFn{Out: cfg.Out, Domains: cfg.Domains}, one)
}

func keyZeroFn(p Part) (int, Part) { return 0, p }

type writeTasksFn struct {
	Out     string   `json:"out"`
	Domains []string `json:"domains"`

	st *store
}

func (f *writeTasksFn) Setup(ctx context.Context) error {
	st, err := openStore(ctx, f.Out)
	if err != nil {
		return err
	}
	f.st = st
	return nil
}

func (f *writeTasksFn) Teardown() error {
	if f.st != nil {
		return f.st.Close()
	}
	return nil
}

// taskHead is what tasks.json needs of a record line.
type taskHead struct {
	ID, Category, Domain string
	Example              []byte
}

// readTaskHead reads a record line's id, category, domain and example, without decoding the
// rest. It stops at the category of a record that is not a task, most of a merged dataset.
func readTaskHead(line []byte) (taskHead, error) {
	var t taskHead
	var err error
	scanErr := topFields(line, func(key string, val []byte) bool {
		switch key {
		case "id":
			t.ID, err = jsonString(val)
		case "category":
			t.Category, err = jsonString(val)
			if t.Category != dataset.CategoryFuncCall {
				return false
			}
		case "domain":
			t.Domain, err = jsonString(val)
		case "example":
			t.Example = val
		}
		return err == nil
	})
	switch {
	case scanErr != nil:
		return t, scanErr
	case err != nil:
		return t, err
	case t.Category == dataset.CategoryFuncCall && t.Example == nil:
		return t, fmt.Errorf("record %s has no example", t.ID)
	}
	return t, nil
}

func (f *writeTasksFn) ProcessElement(ctx context.Context, _ int, parts func(*Part) bool, emit func(Part)) error {
	var shards []dataset.File
	var p Part
	for parts(&p) {
		if p.Kind == partShard {
			shards = append(shards, p.File)
		}
	}
	slices.SortFunc(shards, func(a, b dataset.File) int { return cmpString(a.Path, b.Path) })

	// One writer per domain, all open while the shards are merged by id.
	type out struct {
		w     dataset.FileWriter
		bw    *bufio.Writer
		h     *hashCounter
		tasks int64
	}
	outs := map[string]*out{}
	defer func() {
		for _, o := range outs {
			o.w.Abort()
		}
	}()
	for _, d := range f.Domains {
		w, err := f.st.Create(ctx, Tau2Dir+"/"+d+"/tasks.json")
		if err != nil {
			return err
		}
		h := &hashCounter{w: w, h: sha256.New()}
		o := &out{w: w, h: h, bw: bufio.NewWriterSize(h, 256<<10)}
		o.bw.WriteString("[")
		outs[d] = o
	}
	err := mergeShards(ctx, f.st, shards, func(line []byte) error {
		t, err := readTaskHead(line)
		if err != nil {
			return fmt.Errorf("read record: %w", err)
		}
		if t.Category != dataset.CategoryFuncCall {
			return nil
		}
		o := outs[t.Domain]
		if o == nil {
			return fmt.Errorf("record %s: domain %q is not one of this run's", t.ID, t.Domain)
		}
		if o.tasks > 0 {
			o.bw.WriteString(",")
		}
		o.bw.WriteString("\n")
		o.bw.Write(t.Example)
		o.tasks++
		return nil
	})
	if err != nil {
		return fmt.Errorf("write tasks.json: %w", err)
	}
	for _, d := range f.Domains {
		o := outs[d]
		if o.tasks > 0 {
			o.bw.WriteString("\n")
		}
		o.bw.WriteString("]\n")
		if err := o.bw.Flush(); err != nil {
			return fmt.Errorf("write %s: %w", dataset.Join(f.st, Tau2Dir+"/"+d+"/tasks.json"), err)
		}
		if err := o.w.Close(); err != nil {
			return fmt.Errorf("write %s: %w", dataset.Join(f.st, Tau2Dir+"/"+d+"/tasks.json"), err)
		}
		emit(Part{Kind: partFile, File: dataset.File{Path: Tau2Dir + "/" + d + "/tasks.json", Records: o.tasks,
			Bytes: o.h.n, SHA256: hex.EncodeToString(o.h.h.Sum(nil))}})
	}
	return nil
}

// mergeShards calls fn with every line of the shards in id order. Each shard is sorted by
// id, so a heap of one line per shard gives the global order.
func mergeShards(ctx context.Context, st *store, shards []dataset.File, fn func(line []byte) error) error {
	h := &lineHeap{}
	for _, sh := range shards {
		r, err := openShard(ctx, st, sh.Path)
		if err != nil {
			return err
		}
		defer r.Close()
		c := &cursor{r: r, path: sh.Path}
		if ok, err := c.next(); err != nil {
			return err
		} else if ok {
			heap.Push(h, c)
		}
	}
	for h.Len() > 0 {
		c := (*h)[0]
		if err := fn(c.line); err != nil {
			return fmt.Errorf("%s:%d: %w", c.path, c.n, err)
		}
		ok, err := c.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}
	return nil
}

// A shardReader streams the lines of one shard, decompressing a gzip shard.
type shardReader struct {
	*bufio.Reader
	closers []io.Closer
}

func (r *shardReader) Close() error {
	var err error
	for i := len(r.closers) - 1; i >= 0; i-- {
		if cerr := r.closers[i].Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func openShard(ctx context.Context, st *store, path string) (*shardReader, error) {
	rc, err := st.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	r := &shardReader{closers: []io.Closer{rc}}
	var src io.Reader = rc
	if dataset.IsGzip(path) {
		zr, err := gzip.NewReader(rc)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("read %s: %w", dataset.Join(st, path), err)
		}
		r.closers = append(r.closers, zr)
		src = zr
	}
	r.Reader = bufio.NewReaderSize(src, 256<<10)
	return r, nil
}

// A cursor is one shard's current line and its id.
type cursor struct {
	r    *shardReader
	path string
	line []byte
	id   string
	n    int64
}

func (c *cursor) next() (bool, error) {
	line, err := c.r.ReadBytes('\n')
	if err == io.EOF && len(line) == 0 {
		return false, nil
	}
	if err != nil && err != io.EOF {
		return false, fmt.Errorf("read %s: %w", c.path, err)
	}
	c.n++
	c.line = bytes.TrimSuffix(line, []byte("\n"))
	id, err := lineID(c.line)
	if err != nil {
		return false, fmt.Errorf("%s:%d: %w", c.path, c.n, err)
	}
	c.id = id
	return true, nil
}

// lineID reads the "id" of a record line, which json.Marshal writes first.
func lineID(line []byte) (id string, err error) {
	found := false
	scanErr := topFields(line, func(key string, val []byte) bool {
		if key == "id" {
			id, err = jsonString(val)
			found = true
		}
		return !found
	})
	switch {
	case scanErr != nil:
		return "", scanErr
	case err != nil:
		return "", err
	case !found:
		return "", fmt.Errorf("no id")
	}
	return id, nil
}

type lineHeap []*cursor

func (h lineHeap) Len() int           { return len(h) }
func (h lineHeap) Less(i, j int) bool { return h[i].id < h[j].id }
func (h lineHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *lineHeap) Push(x any)        { *h = append(*h, x.(*cursor)) }
func (h *lineHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// hashCounter counts and hashes what is written through it.
type hashCounter struct {
	w io.Writer
	h interface {
		io.Writer
		Sum([]byte) []byte
	}
	n int64
}

func (c *hashCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
