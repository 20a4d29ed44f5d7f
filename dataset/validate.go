package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/toolscale/toolscale/schemas"
)

// ValidateOptions tune Validate; nil means the defaults.
type ValidateOptions struct {
	// MaxProblems is how many problems the report keeps (all are counted); 0 means 20.
	MaxProblems int
	// Parallel is how many files are checked at once; 0 means 4.
	Parallel int
}

// A Report is what Validate found.
type Report struct {
	Root     string    `json:"root"`               // the dataset, as FS.String gives it
	Manifest *Manifest `json:"-"`                  // nil if it could not be read
	Files    int       `json:"files"`              // files checked, manifest included
	Bytes    int64     `json:"bytes"`              // bytes checked
	Records  int64     `json:"records"`            // shard lines validated
	Rejected int64     `json:"rejected"`           // rejected-file lines validated
	Problems []Problem `json:"problems,omitempty"` // the first failures, in manifest order
	// ProblemCount counts every failure, including those beyond Problems.
	ProblemCount int `json:"problem_count"`
	// Warnings do not fail the dataset: files the manifest does not list, schema versions
	// that differ from this build's, counts left unchecked because files were unreadable.
	Warnings []Problem `json:"warnings,omitempty"`
}

// OK reports whether the dataset passed every check.
func (r *Report) OK() bool { return r.ProblemCount == 0 }

// WriteText writes the report for a terminal: a summary line, the problems kept, then the
// warnings.
func (r *Report) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s: %d files, %d bytes, %d records, %d rejected records\n", r.Root, r.Files, r.Bytes, r.Records, r.Rejected)
	if r.OK() {
		b.WriteString("OK\n")
	} else {
		fmt.Fprintf(&b, "INVALID: %d problems", r.ProblemCount)
		if len(r.Problems) < r.ProblemCount {
			fmt.Fprintf(&b, " (the first %d follow)", len(r.Problems))
		}
		b.WriteString("\n")
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "  %s\n", p)
		}
	}
	for _, p := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", p)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// problemList keeps the first max problems and counts them all.
type problemList struct {
	max   int
	kept  []Problem
	count int
}

func (l *problemList) add(p Problem) {
	l.count++
	if len(l.kept) < l.max {
		l.kept = append(l.kept, p)
	}
}

// Validate checks the dataset in fsys through its manifest and returns what it found:
//
//   - the manifest is valid against schemas "manifest" and consistent (Manifest.Check);
//   - every file it lists exists with the listed size and sha256;
//   - every line of every shard and rejected file is a JSON object valid against schema
//     "record" or "rejected"; each shard holds the records the manifest lists, sorted by id
//     with no duplicates, each in the shard ShardOf assigns it;
//   - the counts by domain, source and reason are those of the records themselves.
//
// A file whose size or sha256 is wrong is not read further. Files in the folder that the
// manifest does not list are warnings. Everything wrong with the dataset, a missing manifest
// included, is a problem in the report; the error is for a check that could not run (an I/O
// failure other than a missing file, a cancelled ctx).
func Validate(ctx context.Context, fsys FS, opts *ValidateOptions) (*Report, error) {
	var o ValidateOptions
	if opts != nil {
		o = *opts
	}
	if o.MaxProblems <= 0 {
		o.MaxProblems = 20
	}
	if o.Parallel <= 0 {
		o.Parallel = 4
	}
	rep := &Report{Root: fsys.String()}
	probs := &problemList{max: o.MaxProblems}
	finish := func() (*Report, error) {
		rep.Problems, rep.ProblemCount = probs.kept, probs.count
		return rep, nil
	}

	raw, err := ReadFile(ctx, fsys, ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		probs.add(Problem{File: ManifestName, Reason: fmt.Sprintf("%v: %s does not exist", ErrNoManifest, Join(fsys, ManifestName))})
		return finish()
	}
	if err != nil {
		return nil, err
	}
	rep.Files, rep.Bytes = 1, int64(len(raw))
	vs, err := schemas.ValidateJSON("manifest", raw)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		probs.add(Problem{File: ManifestName, Field: v.Field, Reason: v.Reason})
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		if len(vs) == 0 {
			probs.add(Problem{File: ManifestName, Reason: err.Error()})
		}
		return finish()
	}
	rep.Manifest = &m
	for _, p := range m.problems() {
		probs.add(p)
	}
	for _, name := range []string{"record", "rejected"} {
		ref, err := schemas.Ref(name)
		if err != nil {
			return nil, err
		}
		if got := m.Schemas[name]; got != "" && got != ref {
			rep.Warnings = append(rep.Warnings, Problem{File: ManifestName, Field: "schemas." + name,
				Reason: fmt.Sprintf("the dataset was written with %s; validated against %s", got, ref)})
		}
	}

	// Check the files, a few at a time; merge their results in manifest order.
	recordSchema, err := schemas.Validator("record")
	if err != nil {
		return nil, err
	}
	rejectedSchema, err := schemas.Validator("rejected")
	if err != nil {
		return nil, err
	}
	type job struct {
		f      File
		kind   int // shardFile, rejectedFile or otherFile
		shard  int
		schema *jsonschema.Schema
	}
	var jobs []job
	for i, f := range m.Shards {
		jobs = append(jobs, job{f, shardFile, i, recordSchema})
	}
	for _, f := range m.Rejected {
		jobs = append(jobs, job{f, rejectedFile, 0, rejectedSchema})
	}
	for _, f := range m.Files {
		jobs = append(jobs, job{f, otherFile, 0, nil})
	}
	results := make([]*fileResult, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, o.Parallel)
	var wg sync.WaitGroup
	for i, j := range jobs {
		if checkPath(j.f.Path) != nil {
			results[i] = &fileResult{problems: problemList{max: o.MaxProblems}} // Check reported it
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i], errs[i] = checkFile(ctx, fsys, j.f, j.kind, j.shard, len(m.Shards), j.schema, o.MaxProblems)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	complete := true
	byDomain, bySource, byReason := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for i, r := range results {
		rep.Files++
		rep.Bytes += r.bytes
		for _, p := range r.problems.kept {
			probs.add(p)
		}
		probs.count += r.problems.count - len(r.problems.kept)
		if jobs[i].kind == otherFile {
			continue
		}
		if !r.complete {
			complete = false
		}
		if jobs[i].kind == shardFile {
			rep.Records += r.lines
		} else {
			rep.Rejected += r.lines
		}
		addCounts(byDomain, r.byDomain)
		addCounts(bySource, r.bySource)
		addCounts(byReason, r.byReason)
	}
	if complete {
		c := m.Counts
		wantReason := maps.Clone(c.RejectedByReason)
		if wantReason == nil {
			wantReason = map[string]int64{}
		}
		addCounts(wantReason, c.FilteredByReason)
		for _, cmp := range []struct {
			field, held string
			want, got   map[string]int64
		}{
			{"counts.by_domain", "shards", c.ByDomain, byDomain},
			{"counts.by_source", "shards", c.BySource, bySource},
			{"counts.rejected_by_reason + counts.filtered_by_reason", "rejected files", wantReason, byReason},
		} {
			keys := slices.Sorted(maps.Keys(cmp.want))
			for k := range maps.Keys(cmp.got) {
				if _, ok := cmp.want[k]; !ok {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			for _, k := range keys {
				if cmp.want[k] != cmp.got[k] {
					probs.add(Problem{File: ManifestName, Field: cmp.field + "." + k,
						Reason: fmt.Sprintf("the manifest counts %d, the %s hold %d", cmp.want[k], cmp.held, cmp.got[k])})
				}
			}
		}
	} else {
		rep.Warnings = append(rep.Warnings, Problem{File: ManifestName, Field: "counts",
			Reason: "not compared with the records: some shard or rejected file could not be read whole"})
	}

	listed := map[string]bool{ManifestName: true}
	for _, f := range m.AllFiles() {
		listed[f.Path] = true
	}
	all, err := fsys.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, fi := range all {
		if !listed[fi.Path] {
			rep.Warnings = append(rep.Warnings, Problem{File: fi.Path, Reason: "not listed in the manifest"})
		}
	}
	return finish()
}

func addCounts(dst, src map[string]int64) {
	for k, v := range src {
		dst[k] += v
	}
}

const (
	shardFile = iota
	rejectedFile
	otherFile
)

// fileResult is what checking one file found.
type fileResult struct {
	problems problemList
	bytes    int64
	lines    int64
	complete bool // every line was read and its counts taken
	byDomain map[string]int64
	bySource map[string]int64
	byReason map[string]int64
}

// checkFile checks one file the manifest lists. kind says what its lines hold; shard is its
// index among n shards.
func checkFile(ctx context.Context, fsys FS, f File, kind, shard, n int, schema *jsonschema.Schema, maxProblems int) (*fileResult, error) {
	res := &fileResult{problems: problemList{max: maxProblems}, byDomain: map[string]int64{}, bySource: map[string]int64{}, byReason: map[string]int64{}}
	bad := func(line int64, field, format string, args ...any) {
		res.problems.add(Problem{File: f.Path, Line: line, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	r, err := fsys.Open(ctx, f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		bad(0, "", "missing: listed in the manifest, not in %s", fsys)
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var buf bytes.Buffer
	var sink io.Writer = io.Discard
	if kind != otherFile {
		sink = &buf
	}
	h := sha256.New()
	nb, err := io.Copy(io.MultiWriter(sink, h), io.LimitReader(r, max(f.Bytes, 0)+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Join(fsys, f.Path), err)
	}
	res.bytes = nb
	if err := f.Verify(nb, h.Sum(nil)); err != nil {
		bad(0, "", "%v", err)
		return res, nil
	}
	if kind == otherFile {
		return res, nil
	}

	prevID, decoded := "", true
	for l, err := range Lines(f.Path, buf.Bytes()) {
		if err != nil {
			var fe *FileError
			if errors.As(err, &fe) {
				bad(fe.Line, "", "%v", fe.Err)
			} else {
				bad(0, "", "%v", err)
			}
			return res, nil
		}
		if l.N%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		res.lines++
		d := json.NewDecoder(bytes.NewReader(l.Data))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			bad(l.N, "", "invalid JSON: %v", err)
			decoded = false
			continue
		}
		if d.More() {
			bad(l.N, "", "invalid JSON: data after the object")
			decoded = false
			continue
		}
		for _, viol := range schemas.Violations(schema.Validate(v)) {
			bad(l.N, viol.Field, "%s", viol.Reason)
		}
		obj, _ := v.(map[string]any)
		str := func(k string) string { s, _ := obj[k].(string); return s }
		if kind == rejectedFile {
			res.byReason[str("reason")]++
			continue
		}
		id := str("id")
		res.byDomain[str("domain")]++
		res.bySource[str("source")]++
		if id == "" {
			continue // the schema check reported it
		}
		if prevID != "" && id <= prevID {
			bad(l.N, "id", "%q is not after %q: a shard is sorted by id, with no duplicates", id, prevID)
		}
		prevID = id
		if s := ShardOf(id, n); s != shard {
			bad(l.N, "id", "%q belongs in shard %d of %d, not %d", id, s, n, shard)
		}
	}
	if res.lines != f.Records {
		bad(0, "", "holds %d records, the manifest lists %d", res.lines, f.Records)
	}
	res.complete = decoded
	return res, nil
}
