package dataset

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/bits"
	"slices"
	"strings"
)

// Layout of a dataset's folders.
const (
	ShardDir    = "shards"
	RejectedDir = "rejected"
)

// GzipLevel is the compression level of gzip shards. It is fixed so that the same records
// give the same bytes; changing it changes every gzip shard's sha256.
const GzipLevel = gzip.DefaultCompression

// ShardOf returns the shard, in [0, n), that holds the record with this id: the first 64 bits
// of the id's sha256, scaled to n (so every shard gets an equal share of ids, whatever n is).
// It panics if n < 1, which is a bug in the caller's configuration checks.
func ShardOf(id string, n int) int {
	if n < 1 {
		panic(fmt.Sprintf("dataset.ShardOf: %d shards", n))
	}
	sum := sha256.Sum256([]byte(id))
	hi, _ := bits.Mul64(binary.BigEndian.Uint64(sum[:8]), uint64(n))
	return int(hi)
}

// ShardPath returns the path of shard i of n, relative to the dataset root:
// "shards/records-00003-of-00016.jsonl", with ".gz" added when gz.
func ShardPath(i, n int, gz bool) string {
	p := fmt.Sprintf("%s/records-%05d-of-%05d.jsonl", ShardDir, i, n)
	if gz {
		p += ".gz"
	}
	return p
}

// RejectedPath returns the path of rejected-records file i of n, relative to the dataset
// root: "rejected/rejected-00000-of-00001.jsonl".
func RejectedPath(i, n int) string {
	return fmt.Sprintf("%s/rejected-%05d-of-%05d.jsonl", RejectedDir, i, n)
}

// IsGzip reports whether the file at path is gzip-compressed, as its name says.
func IsGzip(path string) bool { return strings.HasSuffix(path, ".gz") }

// WriteShard writes records as one shard to w: sorted by id, one JSON object per line, each
// line ending in "\n", gzip-compressed if gz. Each element of recs is one record encoded as
// JSON on a single line (json.Marshal output); its "id" must be a non-empty string, unique
// within recs. Records are not otherwise parsed (Validate checks them against their schema).
// recs is sorted in place.
//
// The result has Records, Bytes and SHA256 of what was written (the compressed bytes when
// gz); Path is left for the caller (see ShardPath). The same records give the same bytes:
// the gzip header carries no name and no time, and GzipLevel is fixed.
func WriteShard(w io.Writer, recs [][]byte, gz bool) (File, error) {
	type keyed struct {
		id  string
		rec []byte
	}
	ks := make([]keyed, len(recs))
	for i, r := range recs {
		id, err := recordID(r)
		if err != nil {
			return File{}, fmt.Errorf("record %d: %w", i, err)
		}
		ks[i] = keyed{id, r}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.id, b.id) })
	for i := 1; i < len(ks); i++ {
		if ks[i].id == ks[i-1].id {
			return File{}, fmt.Errorf("record id %q: %w", ks[i].id, ErrDuplicateID)
		}
	}
	for i := range ks {
		recs[i] = ks[i].rec
	}
	return WriteLines(w, recs, gz)
}

var errNoID = errors.New("missing or empty")

// recordID returns the "id" member of a JSON object, reading no further than it must: the
// encoding of Record puts it first.
func recordID(rec []byte) (string, error) {
	id, err := scanID(rec)
	if errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: truncated JSON", io.ErrUnexpectedEOF)
	}
	return id, err
}

func scanID(rec []byte) (string, error) {
	d := json.NewDecoder(bytes.NewReader(rec))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return "", errors.New("not a JSON object")
	}
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return "", err
		}
		if k == "id" {
			var id string
			if err := d.Decode(&id); err != nil {
				return "", fmt.Errorf("id: %w", err)
			}
			if id == "" {
				return "", fmt.Errorf("id: %w", errNoID)
			}
			return id, nil
		}
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("id: %w", errNoID)
}

// WriteRejected writes rejected records to w as JSON lines, sorted by source, domain, id,
// stage, reason, file, line and detail, so the same records give the same bytes whatever
// order they arrive in. The result is as WriteShard's (see RejectedPath for the path).
func WriteRejected(w io.Writer, recs []Rejected) (File, error) {
	sorted := slices.Clone(recs)
	slices.SortFunc(sorted, func(a, b Rejected) int {
		return cmp.Or(
			strings.Compare(a.Source, b.Source),
			strings.Compare(a.Domain, b.Domain),
			strings.Compare(a.ID, b.ID),
			strings.Compare(a.Stage, b.Stage),
			strings.Compare(a.Reason, b.Reason),
			strings.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			strings.Compare(a.Detail, b.Detail),
		)
	})
	lines := make([][]byte, len(sorted))
	for i, r := range sorted {
		b, err := json.Marshal(r)
		if err != nil {
			return File{}, fmt.Errorf("rejected record %d: %w", i, err)
		}
		lines[i] = b
	}
	return WriteLines(w, lines, false)
}

// WriteLines writes lines to w in the order given, each followed by "\n", gzip-compressed if
// gz, and returns Records, Bytes and SHA256 of what was written. A line must be non-empty and
// hold no newline.
func WriteLines(w io.Writer, lines [][]byte, gz bool) (File, error) {
	for i, l := range lines {
		if len(l) == 0 {
			return File{}, fmt.Errorf("line %d: empty", i+1)
		}
		if bytes.IndexByte(l, '\n') >= 0 {
			return File{}, fmt.Errorf("line %d: holds a newline; write compact JSON", i+1)
		}
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	hw := &hashWriter{w: bw, h: sha256.New()}
	var out io.Writer = hw
	var zw *gzip.Writer
	if gz {
		var err error
		if zw, err = gzip.NewWriterLevel(hw, GzipLevel); err != nil {
			return File{}, err
		}
		out = zw
	}
	nl := []byte{'\n'}
	for _, l := range lines {
		if _, err := out.Write(l); err != nil {
			return File{}, err
		}
		if _, err := out.Write(nl); err != nil {
			return File{}, err
		}
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return File{}, err
		}
	}
	if err := bw.Flush(); err != nil {
		return File{}, err
	}
	return File{Records: int64(len(lines)), Bytes: hw.n, SHA256: hex.EncodeToString(hw.h.Sum(nil))}, nil
}

// hashWriter counts and hashes what goes through it.
type hashWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}
