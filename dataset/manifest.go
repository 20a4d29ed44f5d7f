package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strconv"
)

// ManifestName is the file that makes a dataset: written last, read first.
const ManifestName = "manifest.json"

// FormatVersion names the layout described by Manifest.
const FormatVersion = "toolscale.dataset/v1"

// A Manifest lists everything in a dataset. A reader trusts a dataset only through it.
type Manifest struct {
	Format       string          `json:"format"`
	ToolVersion  string          `json:"tool_version"`
	Seed         int64           `json:"seed"`
	Config       json.RawMessage `json:"config"`
	ConfigSHA256 string          `json:"config_sha256"`
	// Schemas maps each record type to the id of its JSON Schema.
	Schemas map[string]string `json:"schemas"`
	// Shards are the training-record shards, in shard order.
	Shards []File `json:"shards"`
	// Rejected are the rejected-record files.
	Rejected []File `json:"rejected"`
	// Files are the other outputs (τ² layout, databases, policies).
	Files  []File `json:"files"`
	Counts Counts `json:"counts"`
}

// A File is one file of a dataset, with what a reader checks.
type File struct {
	Path    string `json:"path"` // relative to the dataset root, with forward slashes
	Records int64  `json:"records,omitempty"`
	Bytes   int64  `json:"bytes"`
	SHA256  string `json:"sha256"`
}

// Counts account for every input: Read = Written + Rejected + Filtered.
type Counts struct {
	Read     int64 `json:"read"`
	Written  int64 `json:"written"`
	Rejected int64 `json:"rejected"`
	Filtered int64 `json:"filtered"`
	// ByDomain and BySource count written records.
	ByDomain map[string]int64 `json:"by_domain"`
	BySource map[string]int64 `json:"by_source"`
	// RejectedByReason and FilteredByReason count the records that were not written.
	RejectedByReason map[string]int64 `json:"rejected_by_reason"`
	FilteredByReason map[string]int64 `json:"filtered_by_reason"`
}

// Encode returns the manifest's canonical JSON: fields in struct order, map keys sorted (as
// encoding/json sorts them), two-space indentation, a final newline, and empty lists and maps
// written as [] and {} rather than null. The same manifest always gives the same bytes.
func (m *Manifest) Encode() ([]byte, error) {
	c := *m
	c.Schemas = orEmpty(c.Schemas)
	c.Shards = orEmptySlice(c.Shards)
	c.Rejected = orEmptySlice(c.Rejected)
	c.Files = orEmptySlice(c.Files)
	c.Counts.ByDomain = orEmpty(c.Counts.ByDomain)
	c.Counts.BySource = orEmpty(c.Counts.BySource)
	c.Counts.RejectedByReason = orEmpty(c.Counts.RejectedByReason)
	c.Counts.FilteredByReason = orEmpty(c.Counts.FilteredByReason)
	if len(c.Config) == 0 {
		c.Config = json.RawMessage("null")
	}
	b, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return append(b, '\n'), nil
}

func orEmpty[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}

func orEmptySlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ConfigDigest returns the value of Manifest.ConfigSHA256 for config: the hex sha256 of its
// compact JSON (json.Compact), so whitespace does not change it.
func ConfigDigest(config json.RawMessage) (string, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, config); err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:]), nil
}

// DecodeManifest decodes a manifest and checks that it is of this FormatVersion. It does not
// check the manifest's consistency: see Check.
func DecodeManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decode %s: %w", ManifestName, err)
	}
	if m.Format != FormatVersion {
		return nil, fmt.Errorf("decode %s: format %q, want %q", ManifestName, m.Format, FormatVersion)
	}
	return &m, nil
}

// ReadManifest reads and decodes the manifest of the dataset in fsys. A missing manifest gives
// an error wrapping both ErrNoManifest and io/fs.ErrNotExist.
func ReadManifest(ctx context.Context, fsys FS) (*Manifest, error) {
	b, err := ReadFile(ctx, fsys, ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s: %w", ErrNoManifest, fsys, err)
	}
	if err != nil {
		return nil, err
	}
	m, err := DecodeManifest(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fsys, err)
	}
	return m, nil
}

// WriteManifest writes m, canonically encoded, as the manifest of the dataset in fsys. Write it
// after every file it lists: a dataset exists from the moment its manifest does.
func WriteManifest(ctx context.Context, fsys FS, m *Manifest) error {
	b, err := m.Encode()
	if err != nil {
		return err
	}
	return WriteFile(ctx, fsys, ManifestName, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// AllFiles returns every file the manifest lists: shards, then rejected files, then the others.
func (m *Manifest) AllFiles() []File {
	all := make([]File, 0, len(m.Shards)+len(m.Rejected)+len(m.Files))
	all = append(all, m.Shards...)
	all = append(all, m.Rejected...)
	return append(all, m.Files...)
}

// Check reports whether the manifest is consistent with itself; the error joins one
// *FileError (Path "manifest.json", wrapping ErrInconsistent) per problem. It checks that:
//
//   - Format is FormatVersion, and ConfigSHA256 is ConfigDigest(Config) when Config is set;
//   - counts are not negative and Read = Written + Rejected + Filtered;
//   - the records of the shards, the counts by domain and the counts by source each add up to
//     Written; the rejected reasons add up to Rejected and the filtered reasons to Filtered;
//   - the rejected files hold every record not written: their records add up to
//     Rejected + Filtered (Rejected.Stage tells rejected from filtered records);
//   - Shards lists every shard i of n = len(Shards) in order, named ShardPath(i, n, gz) with
//     the same gz for all (empty shards included); Rejected lists RejectedPath(i, n) likewise;
//   - every path is valid, relative, listed once and not manifest.json, with a non-negative
//     size and a sha256 of 64 lower-case hex digits.
func (m *Manifest) Check() error {
	ps := m.problems()
	if len(ps) == 0 {
		return nil
	}
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = &FileError{Path: ManifestName, Field: p.Field, Err: fmt.Errorf("%w: %s", ErrInconsistent, p.Reason)}
	}
	return errors.Join(errs...)
}

// problems lists what Check finds wrong, as Problems of manifest.json.
func (m *Manifest) problems() []Problem {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{File: ManifestName, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if m.Format != FormatVersion {
		add("format", "is %q, want %q", m.Format, FormatVersion)
	}
	if len(m.Config) > 0 && string(m.Config) != "null" {
		if d, err := ConfigDigest(m.Config); err != nil {
			add("config", "%v", err)
		} else if d != m.ConfigSHA256 {
			add("config_sha256", "is %q, but the config's digest is %q", m.ConfigSHA256, d)
		}
	}
	c := m.Counts
	for _, f := range []struct {
		name string
		n    int64
	}{{"counts.read", c.Read}, {"counts.written", c.Written}, {"counts.rejected", c.Rejected}, {"counts.filtered", c.Filtered}} {
		if f.n < 0 {
			add(f.name, "is negative (%d)", f.n)
		}
	}
	if c.Read != c.Written+c.Rejected+c.Filtered {
		add("counts.read", "read %d ≠ written %d + rejected %d + filtered %d = %d",
			c.Read, c.Written, c.Rejected, c.Filtered, c.Written+c.Rejected+c.Filtered)
	}
	var shardRecords, rejectedRecords int64
	for _, f := range m.Shards {
		shardRecords += f.Records
	}
	for _, f := range m.Rejected {
		rejectedRecords += f.Records
	}
	if shardRecords != c.Written {
		add("shards", "records add up to %d, but counts.written is %d", shardRecords, c.Written)
	}
	if rejectedRecords != c.Rejected+c.Filtered {
		add("rejected", "records add up to %d, but counts.rejected + counts.filtered is %d", rejectedRecords, c.Rejected+c.Filtered)
	}
	for _, s := range []struct {
		field string
		m     map[string]int64
		want  int64
		what  string
	}{
		{"counts.by_domain", c.ByDomain, c.Written, "counts.written"},
		{"counts.by_source", c.BySource, c.Written, "counts.written"},
		{"counts.rejected_by_reason", c.RejectedByReason, c.Rejected, "counts.rejected"},
		{"counts.filtered_by_reason", c.FilteredByReason, c.Filtered, "counts.filtered"},
	} {
		var sum int64
		for _, k := range slices.Sorted(maps.Keys(s.m)) {
			if s.m[k] < 0 {
				add(s.field+"."+k, "is negative (%d)", s.m[k])
			}
			sum += s.m[k]
		}
		if sum != s.want {
			add(s.field, "adds up to %d, but %s is %d", sum, s.what, s.want)
		}
	}

	gz := len(m.Shards) > 0 && IsGzip(m.Shards[0].Path)
	for i, f := range m.Shards {
		if want := ShardPath(i, len(m.Shards), gz); f.Path != want {
			add(fmt.Sprintf("shards[%d].path", i), "is %q, want %q", f.Path, want)
		}
	}
	for i, f := range m.Rejected {
		if want := RejectedPath(i, len(m.Rejected)); f.Path != want {
			add(fmt.Sprintf("rejected[%d].path", i), "is %q, want %q", f.Path, want)
		}
	}
	seen := map[string]string{}
	for _, l := range []struct {
		name  string
		files []File
	}{{"shards", m.Shards}, {"rejected", m.Rejected}, {"files", m.Files}} {
		for i, f := range l.files {
			field := fmt.Sprintf("%s[%d]", l.name, i)
			switch {
			case checkPath(f.Path) != nil:
				add(field+".path", "%q is not a clean relative path", f.Path)
			case f.Path == ManifestName:
				add(field+".path", "lists the manifest itself")
			case seen[f.Path] != "":
				add(field+".path", "%q is also %s", f.Path, seen[f.Path])
			default:
				seen[f.Path] = field
			}
			if f.Bytes < 0 {
				add(field+".bytes", "is negative (%d)", f.Bytes)
			}
			if f.Records < 0 {
				add(field+".records", "is negative (%d)", f.Records)
			}
			if !isSHA256(f.SHA256) {
				add(field+".sha256", "%q is not 64 lower-case hex digits", f.SHA256)
			}
		}
	}
	return ps
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// A Problem is one thing wrong with a dataset, at a place in one of its files.
type Problem struct {
	File   string `json:"file"`            // relative to the dataset root
	Line   int64  `json:"line,omitempty"`  // 1-based; 0 for the whole file
	Field  string `json:"field,omitempty"` // as "tools[2].kind"
	Reason string `json:"reason"`
}

// String formats p as "file:line: field: reason", leaving out what is unset.
func (p Problem) String() string {
	s := p.File
	if p.Line > 0 {
		s += ":" + strconv.FormatInt(p.Line, 10)
	}
	if p.Field != "" {
		s += ": " + p.Field
	}
	return s + ": " + p.Reason
}
