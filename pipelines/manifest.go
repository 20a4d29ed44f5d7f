package pipelines

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/schemas"
)

// WriteManifest writes manifest.json once every other file is written: it takes the Parts
// of every writer and every tally of inputs read (PCollection<Part>, flattened from parts),
// removes the spill files and any file an earlier run left in shards/, rejected/ or tau2/
// that this run does not list, checks that the counts add up (read = written + rejected +
// filtered), and writes the manifest. It returns a PCollection<string> holding the
// manifest's path.
func WriteManifest(s beam.Scope, cfg *Config, meta ManifestMeta, parts ...beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.WriteManifest")
	all := beam.Flatten(s, parts...)
	one := beam.GroupByKey(s, beam.ParDo(s, keyZeroFn, all))
	return beam.ParDo(s, &writeManifestFn{Out: cfg.Out, Shards: cfg.Shards, Meta: meta}, one)
}

// ManifestMeta is what the manifest says about the run itself.
type ManifestMeta struct {
	ToolVersion string          `json:"tool_version"`
	Seed        int64           `json:"seed"`
	Config      json.RawMessage `json:"config"`
}

type writeManifestFn struct {
	Out    string       `json:"out"`
	Shards int          `json:"shards"`
	Meta   ManifestMeta `json:"meta"`

	st *store
}

func (f *writeManifestFn) Setup(ctx context.Context) error {
	st, err := openStore(ctx, f.Out)
	if err != nil {
		return err
	}
	f.st = st
	return nil
}

func (f *writeManifestFn) Teardown() error {
	if f.st != nil {
		return f.st.Close()
	}
	return nil
}

func (f *writeManifestFn) ProcessElement(ctx context.Context, _ int, parts func(*Part) bool, emit func(string)) error {
	m, err := f.manifest(parts)
	if err != nil {
		return err
	}
	if err := f.clean(ctx, m); err != nil {
		return err
	}
	if err := dataset.WriteManifest(ctx, f.st, m); err != nil {
		return err
	}
	emit(dataset.ManifestName)
	return nil
}

// manifest sums the parts into the manifest and checks it.
func (f *writeManifestFn) manifest(parts func(*Part) bool) (*dataset.Manifest, error) {
	digest, err := dataset.ConfigDigest(f.Meta.Config)
	if err != nil {
		return nil, err
	}
	m := &dataset.Manifest{
		Format:       dataset.FormatVersion,
		ToolVersion:  f.Meta.ToolVersion,
		Seed:         f.Meta.Seed,
		Config:       f.Meta.Config,
		ConfigSHA256: digest,
		Schemas:      map[string]string{},
		Shards:       make([]dataset.File, f.Shards),
		Rejected:     make([]dataset.File, f.Shards),
	}
	for _, name := range []string{"record", "rejected", "manifest"} {
		ref, err := schemas.Ref(name)
		if err != nil {
			return nil, err
		}
		m.Schemas[name] = ref
	}
	c := &m.Counts
	c.ByDomain, c.BySource = map[string]int64{}, map[string]int64{}
	c.RejectedByReason, c.FilteredByReason = map[string]int64{}, map[string]int64{}
	seenShard := make([]bool, f.Shards)
	seenRejected := make([]bool, f.Shards)
	var p Part
	for parts(&p) {
		switch p.Kind {
		case partShard:
			if p.Index < 0 || p.Index >= f.Shards || seenShard[p.Index] {
				return nil, fmt.Errorf("manifest: shard %d reported twice or out of range", p.Index)
			}
			seenShard[p.Index] = true
			m.Shards[p.Index] = p.File
		case partRejected:
			if p.Index < 0 || p.Index >= f.Shards || seenRejected[p.Index] {
				return nil, fmt.Errorf("manifest: rejected file %d reported twice or out of range", p.Index)
			}
			seenRejected[p.Index] = true
			m.Rejected[p.Index] = p.File
		case partFile:
			m.Files = append(m.Files, p.File)
		case partRead:
		default:
			return nil, fmt.Errorf("manifest: unknown part kind %q", p.Kind)
		}
		for _, n := range p.Counts {
			switch n.Kind {
			case countDomain:
				c.ByDomain[n.Name] += n.N
			case countSource:
				if p.Kind == partRead {
					c.Read += n.N
				} else {
					c.BySource[n.Name] += n.N
					c.Written += n.N
				}
			case countRejected:
				c.RejectedByReason[n.Name] += n.N
				c.Rejected += n.N
			case countFiltered:
				c.FilteredByReason[n.Name] += n.N
				c.Filtered += n.N
			default:
				return nil, fmt.Errorf("manifest: unknown count kind %q", n.Kind)
			}
		}
	}
	for i := range f.Shards {
		if !seenShard[i] || !seenRejected[i] {
			return nil, fmt.Errorf("manifest: shard or rejected file %d was not written", i)
		}
	}
	slices.SortFunc(m.Files, func(a, b dataset.File) int { return strings.Compare(a.Path, b.Path) })
	if err := m.Check(); err != nil {
		return nil, fmt.Errorf("manifest does not add up: %w", err)
	}
	b, err := m.Encode()
	if err != nil {
		return nil, err
	}
	vs, err := schemas.ValidateJSON("manifest", b)
	if err != nil {
		return nil, err
	}
	if len(vs) > 0 {
		return nil, fmt.Errorf("manifest does not fit its schema: %s", violations(vs))
	}
	return m, nil
}

// clean removes the spill files, and files of an earlier run in the folders this run writes
// that the manifest does not list.
func (f *writeManifestFn) clean(ctx context.Context, m *dataset.Manifest) error {
	if err := f.st.removeAll(ctx, spillDir); err != nil {
		return fmt.Errorf("remove spill files: %w", err)
	}
	listed := map[string]bool{}
	for _, file := range m.AllFiles() {
		listed[file.Path] = true
	}
	files, err := f.st.List(ctx)
	if err != nil {
		return err
	}
	for _, file := range files {
		stale := !listed[file.Path] &&
			(under(file.Path, dataset.ShardDir) || under(file.Path, dataset.RejectedDir) || under(file.Path, Tau2Dir))
		if stale {
			if err := f.st.remove(ctx, file.Path); err != nil {
				return fmt.Errorf("remove stale file: %w", err)
			}
		}
	}
	return nil
}
