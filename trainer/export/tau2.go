package export

import (
	"bufio"
	"bytes"
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains/task"
)

// Tau2Dir is the dataset folder that holds each domain's τ² files: tau2/<domain>/.
const Tau2Dir = "tau2"

// Tau2TasksFile is the name of a domain's task list, in the dataset and in the export.
const Tau2TasksFile = "tasks.json"

// exportTau2 writes <domain>/tasks.json for each domain with func_call records in the split,
// its tasks sorted by id, and copies the domain's other files from tau2/<domain>/.
//
// Shards are sorted by id but hold ids of every domain; to sort each domain's tasks without
// holding them, the first pass writes each shard's tasks to a sorted run file in a temporary
// folder, and the second merges the runs by id.
func exportTau2(ctx context.Context, r *dataset.Reader, in, out dataset.FS, o *Options, s *Summary) error {
	tmp, err := os.MkdirTemp(o.TempDir, "toolscale-tau2-")
	if err != nil {
		return fmt.Errorf("tau2 export: %w", err)
	}
	defer os.RemoveAll(tmp)

	domains := map[string]int64{}
	var runs []string
	for i := range r.Manifest().Shards {
		run := filepath.Join(tmp, fmt.Sprintf("run-%05d", i))
		n, err := writeRun(ctx, r, i, run, o, s, domains)
		if err != nil {
			return err
		}
		if n > 0 {
			runs = append(runs, run)
		}
	}

	names := slices.Sorted(maps.Keys(domains))
	files, err := mergeRuns(ctx, runs, out, names)
	if err != nil {
		return err
	}
	for _, f := range files {
		s.Written += f.Records
	}
	s.Files = append(s.Files, files...)

	// Copy each exported domain's databases and policy, verified against the manifest.
	m := r.Manifest()
	for _, d := range names {
		dir := Tau2Dir + "/" + d + "/"
		for _, f := range m.Files {
			rest, ok := strings.CutPrefix(f.Path, dir)
			if !ok || rest == Tau2TasksFile {
				continue
			}
			c, err := copyVerified(ctx, in, out, f, d+"/"+rest)
			if err != nil {
				return err
			}
			s.Files = append(s.Files, c)
		}
	}
	return nil
}

// writeRun writes the τ² tasks of shard i's func_call records in the split to the run file
// at path, one "id\tdomain\ttask" line each, in the shard's order (by id). It returns how
// many it wrote and adds them to domains.
func writeRun(ctx context.Context, r *dataset.Reader, i int, path string, o *Options, s *Summary, domains map[string]int64) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("tau2 export: %w", err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 256<<10)
	var n int64
	var buf bytes.Buffer
	err = shardRecords(ctx, r, i, func(rec *dataset.Record) (string, error) {
		s.Read++
		if !o.keep(rec, s) {
			return "", nil
		}
		if rec.Category != dataset.CategoryFuncCall {
			s.Skipped[SkipCategory]++
			return "", nil
		}
		if err := checkDomain(rec.Domain); err != nil {
			return "domain", err
		}
		if strings.ContainsAny(rec.ID, "\t\n") {
			return "id", fmt.Errorf("%q holds a tab or a newline", rec.ID)
		}
		var t task.Task
		if err := json.Unmarshal(rec.Example, &t); err != nil {
			return "example", fmt.Errorf("not a τ² task: %w", err)
		}
		if t.ID != rec.ID {
			return "example.id", fmt.Errorf("%q is not the record's id %q", t.ID, rec.ID)
		}
		buf.Reset()
		if err := json.Compact(&buf, rec.Example); err != nil {
			return "example", err
		}
		bw.WriteString(rec.ID)
		bw.WriteByte('\t')
		bw.WriteString(rec.Domain)
		bw.WriteByte('\t')
		bw.Write(buf.Bytes())
		if err := bw.WriteByte('\n'); err != nil {
			return "", fmt.Errorf("tau2 export: %w", err)
		}
		domains[rec.Domain]++
		n++
		return "", nil
	})
	if err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, fmt.Errorf("tau2 export: %w", err)
	}
	return n, f.Close()
}

// checkDomain accepts a domain name that is one clean path element.
func checkDomain(d string) error {
	if d == "" || d == "." || d == ".." || strings.ContainsAny(d, "/\\\t\n") {
		return fmt.Errorf("%q cannot name a folder", d)
	}
	return nil
}

// mergeRuns merges the run files by id into <domain>/tasks.json for each of domains: a JSON
// list, one task a line, as the dataset's own tasks.json.
func mergeRuns(ctx context.Context, runs []string, out dataset.FS, domains []string) ([]dataset.File, error) {
	type sink struct {
		w     *fileWriter
		bw    *bufio.Writer
		tasks int64
	}
	sinks := map[string]*sink{}
	defer func() {
		for _, k := range slices.Sorted(maps.Keys(sinks)) {
			sinks[k].w.abort()
		}
	}()
	for _, d := range domains {
		w, err := create(ctx, out, d+"/"+Tau2TasksFile)
		if err != nil {
			return nil, err
		}
		sk := &sink{w: w, bw: bufio.NewWriterSize(w, 256<<10)}
		sk.bw.WriteString("[")
		sinks[d] = sk
	}

	h := &runHeap{}
	for _, path := range runs {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("tau2 export: %w", err)
		}
		defer f.Close()
		c := &runCursor{r: bufio.NewReaderSize(f, 256<<10), path: path}
		if ok, err := c.next(); err != nil {
			return nil, err
		} else if ok {
			heap.Push(h, c)
		}
	}
	var last string
	for h.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := (*h)[0]
		if c.id == last {
			return nil, fmt.Errorf("record id %q: %w (in two shards)", c.id, dataset.ErrDuplicateID)
		}
		last = c.id
		sk := sinks[c.domain]
		if sk.tasks > 0 {
			sk.bw.WriteString(",")
		}
		sk.bw.WriteString("\n")
		sk.bw.Write(c.task)
		sk.tasks++
		ok, err := c.next()
		if err != nil {
			return nil, err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}

	var files []dataset.File
	for _, d := range domains {
		sk := sinks[d]
		if sk.tasks > 0 {
			sk.bw.WriteString("\n")
		}
		sk.bw.WriteString("]\n")
		if err := sk.bw.Flush(); err != nil {
			return nil, fmt.Errorf("write %s: %w", dataset.Join(out, sk.w.path), err)
		}
		f, err := sk.w.close(sk.tasks)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// A runCursor is the current line of one run file.
type runCursor struct {
	r          *bufio.Reader
	path       string
	line       []byte
	id, domain string
	task       []byte
}

func (c *runCursor) next() (bool, error) {
	line, err := c.r.ReadBytes('\n')
	if err == io.EOF && len(line) == 0 {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("tau2 export: read %s: %w", c.path, err)
	}
	id, rest, ok1 := bytes.Cut(line[:len(line)-1], []byte{'\t'})
	domain, t, ok2 := bytes.Cut(rest, []byte{'\t'})
	if !ok1 || !ok2 {
		return false, fmt.Errorf("tau2 export: %s: %w", c.path, errors.New("malformed run line"))
	}
	c.line, c.id, c.domain, c.task = line, string(id), string(domain), t
	return true, nil
}

type runHeap []*runCursor

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return h[i].id < h[j].id }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runCursor)) }
func (h *runHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}
