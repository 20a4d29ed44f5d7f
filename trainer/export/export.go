// Package export converts a toolscale dataset into the files trainers read: verl's Parquet
// columns, ToolOrchestra's data.jsonl, and τ²-bench's per-domain task files.
//
// The dataset is read only through its manifest: each shard is read whole, its size and sha256
// checked against the manifest, and only then converted, one shard at a time, so memory stays
// bounded by one shard whatever the dataset's size. Every output file is written under a
// temporary name and renamed once complete (see dataset.FS), and the same dataset and options
// always give the same bytes.
//
// Formats:
//
//	verl           <split>-00000.parquet … one Parquet file per input shard, one schema for all
//	toolorchestra  data.jsonl, one ToolOrchestra training example per line
//	tau2           <domain>/tasks.json for each domain with func_call records in the split (their
//	               τ² tasks, sorted by id), with the domain's databases and policy.md copied
//	               from the dataset's tau2/<domain>/
//
// A record keeps its id in every format: extra_info.id (verl), id (toolorchestra), the task's
// id (tau2).
package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/toolscale/toolscale/dataset"
)

// Formats an export can write.
const (
	FormatVerl          = "verl"
	FormatToolOrchestra = "toolorchestra"
	FormatTau2          = "tau2"
)

// Formats returns the names of the export formats, sorted.
func Formats() []string { return []string{FormatTau2, FormatToolOrchestra, FormatVerl} }

// SplitAll selects every record whatever its split; "train" and "test" select one split.
const SplitAll = "all"

// Reasons a record read from the dataset is not exported, as Summary.Skipped counts them.
const (
	SkipSplit    = "split"    // the record's split is not the one asked for
	SkipCategory = "category" // the format takes no record of this category (tau2: qa records)
)

// ErrUnknownFormat is returned for a format that is not one of Formats.
var ErrUnknownFormat = errors.New("unknown export format")

// Options tune an export; nil means the defaults.
type Options struct {
	// Split is "train", "test" or SplitAll; "" means SplitAll.
	Split string
	// ToolVersion is recorded in the Parquet files' created_by ("toolscale version …");
	// "" means "dev".
	ToolVersion string
	// TempDir holds the tau2 export's sort files while it runs; "" means os.TempDir().
	TempDir string
}

// A Summary says what an export read and wrote. Read = Written + the sum of Skipped.
type Summary struct {
	Format  string           `json:"format"`
	Split   string           `json:"split"`
	Read    int64            `json:"read"`    // records read from the dataset
	Written int64            `json:"written"` // records exported
	Skipped map[string]int64 `json:"skipped"` // records not exported, by reason (SkipSplit, SkipCategory)
	// Files are the files written, relative to the output folder, in the order written:
	// Records is the number of records each holds (0 for copied files).
	Files []dataset.File `json:"files"`
}

// Export reads the dataset in `in` through its manifest and writes it in format to `out`.
// It stops at the first error; an error about a record or a shard is a *dataset.FileError
// naming the shard (and the line of the record), and a shard whose size or sha256 differs
// from the manifest's gives an error wrapping dataset.ErrChecksum before any of its records
// is converted. Files written before the error stay; the file being written is discarded.
func Export(ctx context.Context, in, out dataset.FS, format string, opts *Options) (*Summary, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Split == "" {
		o.Split = SplitAll
	}
	if o.ToolVersion == "" {
		o.ToolVersion = "dev"
	}
	switch o.Split {
	case SplitAll, "train", "test":
	default:
		return nil, fmt.Errorf("split %q: want train, test or %s", o.Split, SplitAll)
	}
	if !slices.Contains(Formats(), format) {
		return nil, fmt.Errorf("%w %q (want %s)", ErrUnknownFormat, format, strings.Join(Formats(), ", "))
	}
	if sameRoot(in.String(), out.String()) {
		return nil, fmt.Errorf("export to %s: the output folder is the dataset itself", out)
	}
	r, err := dataset.NewReader(ctx, in)
	if err != nil {
		return nil, err
	}
	s := &Summary{Format: format, Split: o.Split, Skipped: map[string]int64{}}
	switch format {
	case FormatVerl:
		err = exportVerl(ctx, r, out, &o, s)
	case FormatToolOrchestra:
		err = exportToolOrchestra(ctx, r, out, &o, s)
	case FormatTau2:
		err = exportTau2(ctx, r, in, out, &o, s)
	}
	if err != nil {
		return s, err
	}
	var skipped int64
	for _, k := range slices.Sorted(maps.Keys(s.Skipped)) {
		skipped += s.Skipped[k]
	}
	if s.Read != s.Written+skipped {
		// A bug in this package, not bad input: every record read is written or skipped.
		return s, fmt.Errorf("export %s: read %d records, wrote %d and skipped %d", format, s.Read, s.Written, skipped)
	}
	return s, nil
}

// sameRoot reports whether two dataset roots name the same folder.
func sameRoot(a, b string) bool {
	clean := func(s string) string {
		if strings.Contains(s, "://") {
			return strings.TrimSuffix(s, "/")
		}
		return filepath.Clean(s)
	}
	return clean(a) == clean(b)
}

// keep reports whether rec is in the split the options select, and counts it as skipped
// when it is not.
func (o *Options) keep(rec *dataset.Record, s *Summary) bool {
	if o.Split != SplitAll && rec.Split != o.Split {
		s.Skipped[SkipSplit]++
		return false
	}
	return true
}

// shardRecords iterates over the records of shard i with their line numbers, and turns an
// error of the conversion into a *dataset.FileError naming the shard, the line and the field.
func shardRecords(ctx context.Context, r *dataset.Reader, i int, fn func(rec *dataset.Record) (field string, err error)) error {
	path := r.Manifest().Shards[i].Path
	var line int64
	for rec, err := range r.ShardRecords(ctx, i) {
		if err != nil {
			return err
		}
		line++
		if field, err := fn(&rec); err != nil {
			var fe *dataset.FileError
			if errors.As(err, &fe) {
				return err
			}
			return &dataset.FileError{Path: path, Line: line, Field: field, Err: err}
		}
	}
	return nil
}

// A fileWriter writes one output file through FS.Create, counting and hashing its bytes.
type fileWriter struct {
	w    dataset.FileWriter
	h    hash.Hash
	n    int64
	path string
	out  dataset.FS
}

func create(ctx context.Context, out dataset.FS, path string) (*fileWriter, error) {
	w, err := out.Create(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", dataset.Join(out, path), err)
	}
	return &fileWriter{w: w, h: sha256.New(), path: path, out: out}, nil
}

func (f *fileWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	f.h.Write(p[:n])
	f.n += int64(n)
	return n, err
}

// close completes the file and returns its entry for Summary.Files.
func (f *fileWriter) close(records int64) (dataset.File, error) {
	if err := f.w.Close(); err != nil {
		return dataset.File{}, fmt.Errorf("write %s: %w", dataset.Join(f.out, f.path), err)
	}
	return dataset.File{Path: f.path, Records: records, Bytes: f.n, SHA256: hex.EncodeToString(f.h.Sum(nil))}, nil
}

// abort discards the file; it does nothing after close.
func (f *fileWriter) abort() { f.w.Abort() }

// copyVerified copies file f of the dataset in `in` to path in `out`, streaming it, and
// keeps the copy only if its size and sha256 are the ones the manifest lists.
func copyVerified(ctx context.Context, in, out dataset.FS, f dataset.File, path string) (dataset.File, error) {
	r, err := in.Open(ctx, f.Path)
	if err != nil {
		return dataset.File{}, &dataset.FileError{Path: f.Path, Err: err}
	}
	defer r.Close()
	w, err := create(ctx, out, path)
	if err != nil {
		return dataset.File{}, err
	}
	defer w.abort()
	n, err := io.Copy(w, io.LimitReader(r, max(f.Bytes, 0)+1))
	if err != nil {
		return dataset.File{}, &dataset.FileError{Path: f.Path, Err: fmt.Errorf("copy to %s: %w", dataset.Join(out, path), err)}
	}
	if err := f.Verify(n, w.h.Sum(nil)); err != nil {
		return dataset.File{}, &dataset.FileError{Path: f.Path, Err: err}
	}
	return w.close(0)
}
