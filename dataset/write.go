package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/toolscale/toolscale/schemas"
)

// WriteOptions say how WriteDataset lays a dataset out.
type WriteOptions struct {
	Shards      int  // number of shards; 0 means 1
	Gzip        bool // gzip the shards
	Seed        int64
	ToolVersion string
	Config      json.RawMessage // recorded with its ConfigDigest
	// FilterStages are the Rejected.Stage values that count as filtered rather than
	// rejected; nil means "filter" and "dedup".
	FilterStages []string
	// Files are other outputs to write and list, by path.
	Files map[string][]byte
}

// WriteDataset writes a complete dataset to fsys without Beam: the records in opts.Shards
// shards (by ShardOf, sorted by id), the rejected records in one rejected file, the other
// files, and the manifest last. Every input counts as read. It suits small datasets, tools
// and tests; pipelines write the same layout at scale.
func WriteDataset(ctx context.Context, fsys FS, recs []Record, rejected []Rejected, opts *WriteOptions) (*Manifest, error) {
	var o WriteOptions
	if opts != nil {
		o = *opts
	}
	if o.Shards <= 0 {
		o.Shards = 1
	}
	if o.FilterStages == nil {
		o.FilterStages = []string{"filter", "dedup"}
	}
	m := &Manifest{
		Format: FormatVersion, ToolVersion: o.ToolVersion, Seed: o.Seed, Config: o.Config,
		Schemas: map[string]string{},
		Counts: Counts{ByDomain: map[string]int64{}, BySource: map[string]int64{},
			RejectedByReason: map[string]int64{}, FilteredByReason: map[string]int64{}},
	}
	if len(o.Config) > 0 {
		d, err := ConfigDigest(o.Config)
		if err != nil {
			return nil, err
		}
		m.ConfigSHA256 = d
	}
	for _, name := range []string{"record", "rejected"} {
		ref, err := schemas.Ref(name)
		if err != nil {
			return nil, err
		}
		m.Schemas[name] = ref
	}

	lines := make([][][]byte, o.Shards)
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("record %s: %w", r.ID, err)
		}
		s := ShardOf(r.ID, o.Shards)
		lines[s] = append(lines[s], b)
		m.Counts.ByDomain[r.Domain]++
		m.Counts.BySource[r.Source]++
	}
	write := func(path string, fn func(w io.Writer) (File, error)) (File, error) {
		var f File
		err := WriteFile(ctx, fsys, path, func(w io.Writer) error {
			var err error
			f, err = fn(w)
			return err
		})
		f.Path = path
		return f, err
	}
	for i := range o.Shards {
		f, err := write(ShardPath(i, o.Shards, o.Gzip), func(w io.Writer) (File, error) { return WriteShard(w, lines[i], o.Gzip) })
		if err != nil {
			return nil, err
		}
		m.Shards = append(m.Shards, f)
	}
	m.Counts.Written = int64(len(recs))

	for _, r := range rejected {
		if slices.Contains(o.FilterStages, r.Stage) {
			m.Counts.Filtered++
			m.Counts.FilteredByReason[r.Reason]++
		} else {
			m.Counts.Rejected++
			m.Counts.RejectedByReason[r.Reason]++
		}
	}
	f, err := write(RejectedPath(0, 1), func(w io.Writer) (File, error) { return WriteRejected(w, rejected) })
	if err != nil {
		return nil, err
	}
	m.Rejected = []File{f}
	m.Counts.Read = m.Counts.Written + m.Counts.Rejected + m.Counts.Filtered

	for _, path := range slices.Sorted(maps.Keys(o.Files)) {
		f, err := write(path, func(w io.Writer) (File, error) {
			hw := &hashWriter{w: w, h: sha256.New()}
			if _, err := hw.Write(o.Files[path]); err != nil {
				return File{}, err
			}
			return File{Bytes: hw.n, SHA256: hex.EncodeToString(hw.h.Sum(nil))}, nil
		})
		if err != nil {
			return nil, err
		}
		m.Files = append(m.Files, f)
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	return m, WriteManifest(ctx, fsys, m)
}
