package dataset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
)

// ReadVerified reads file f of the dataset in fsys whole and returns its bytes, as stored
// (still compressed for a .gz shard), only if their size and sha256 are the ones f lists;
// otherwise the error is a *FileError naming f.Path and wrapping ErrChecksum. The file is held
// in memory: a shard must fit.
func ReadVerified(ctx context.Context, fsys FS, f File) ([]byte, error) {
	r, err := fsys.Open(ctx, f.Path)
	if err != nil {
		return nil, &FileError{Path: f.Path, Err: err}
	}
	defer r.Close()
	var buf bytes.Buffer
	buf.Grow(int(min(max(f.Bytes, 0), 64<<20)) + 1)
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(&buf, h), io.LimitReader(r, max(f.Bytes, 0)+1))
	if err != nil {
		return nil, &FileError{Path: f.Path, Err: fmt.Errorf("read: %w", err)}
	}
	if err := f.Verify(n, h.Sum(nil)); err != nil {
		return nil, &FileError{Path: f.Path, Err: err}
	}
	return buf.Bytes(), nil
}

// Verify compares the size and sha256 digest of a file's bytes with what f lists, and returns
// an error wrapping ErrChecksum if they differ. A reader that stops after f.Bytes+1 bytes
// passes n = f.Bytes+1 for a longer file, reported as "more than" f.Bytes.
func (f File) Verify(n int64, sum []byte) error {
	if n > f.Bytes {
		return fmt.Errorf("%w: size is more than the %d bytes the manifest lists", ErrChecksum, f.Bytes)
	}
	if n < f.Bytes {
		return fmt.Errorf("%w: size is %d bytes, the manifest lists %d", ErrChecksum, n, f.Bytes)
	}
	if got := hex.EncodeToString(sum); got != f.SHA256 {
		return fmt.Errorf("%w: sha256 is %s, the manifest lists %s", ErrChecksum, got, f.SHA256)
	}
	return nil
}

// A Line is one line of a dataset file, without its newline.
type Line struct {
	N    int64  // 1-based
	Data []byte // valid until the next iteration
}

// Lines iterates over the lines of data, the bytes of the dataset file at path (gzip-decoded
// first if path ends in ".gz"). Every line must be non-empty and end in "\n"; a break of that
// rule or of the gzip stream ends the iteration with a *FileError naming path and the line.
func Lines(path string, data []byte) iter.Seq2[Line, error] {
	return func(yield func(Line, error) bool) {
		fail := func(n int64, err error) { yield(Line{}, &FileError{Path: path, Line: n, Err: err}) }
		if !IsGzip(path) {
			var n int64
			for len(data) > 0 {
				n++
				i := bytes.IndexByte(data, '\n')
				if i < 0 {
					fail(n, errors.New("no newline at the end of the last line"))
					return
				}
				if i == 0 {
					fail(n, errors.New("empty line"))
					return
				}
				if !yield(Line{N: n, Data: data[:i]}, nil) {
					return
				}
				data = data[i+1:]
			}
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			fail(0, fmt.Errorf("gzip: %w", err))
			return
		}
		br := bufio.NewReaderSize(zr, 256<<10)
		var long []byte
		for n := int64(1); ; n++ {
			b, err := br.ReadSlice('\n')
			if err == bufio.ErrBufferFull {
				long = append(long[:0], b...)
				for err == bufio.ErrBufferFull {
					b, err = br.ReadSlice('\n')
					long = append(long, b...)
				}
				b = long
			}
			switch {
			case err == io.EOF && len(b) == 0:
				return
			case err == io.EOF:
				fail(n, errors.New("no newline at the end of the last line"))
				return
			case err != nil:
				fail(n, fmt.Errorf("gzip: %w", err))
				return
			case len(b) == 1:
				fail(n, errors.New("empty line"))
				return
			}
			if !yield(Line{N: n, Data: b[:len(b)-1]}, nil) {
				return
			}
		}
	}
}

// A Reader reads the records of a dataset through its manifest. Each shard is read whole and
// its size and sha256 checked before any of its records is yielded, so a consumer never sees
// a record of a corrupted or substituted shard.
type Reader struct {
	fsys FS
	m    *Manifest
}

// NewReader reads the manifest of the dataset in fsys and checks it (Manifest.Check).
func NewReader(ctx context.Context, fsys FS) (*Reader, error) {
	m, err := ReadManifest(ctx, fsys)
	if err != nil {
		return nil, err
	}
	if err := m.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", fsys, err)
	}
	return &Reader{fsys: fsys, m: m}, nil
}

// Manifest returns the dataset's manifest; the caller must not change it.
func (r *Reader) Manifest() *Manifest { return r.m }

// Records iterates over the records of every shard, in shard order, each shard sorted by id.
// The iteration stops at the first error, which names the shard (and line) at fault.
func (r *Reader) Records(ctx context.Context) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for i := range r.m.Shards {
			for rec, err := range r.ShardRecords(ctx, i) {
				if !yield(rec, err) || err != nil {
					return
				}
			}
		}
	}
}

// ShardRecords iterates over the records of shard i, sorted by id, after checking the shard.
// It also checks that the shard holds as many records as the manifest lists.
func (r *Reader) ShardRecords(ctx context.Context, i int) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		if i < 0 || i >= len(r.m.Shards) {
			yield(Record{}, fmt.Errorf("shard %d of %d: no such shard", i, len(r.m.Shards)))
			return
		}
		f := r.m.Shards[i]
		data, err := ReadVerified(ctx, r.fsys, f)
		if err != nil {
			yield(Record{}, err)
			return
		}
		var n int64
		for l, err := range Lines(f.Path, data) {
			if err != nil {
				yield(Record{}, err)
				return
			}
			if err := ctx.Err(); err != nil {
				yield(Record{}, err)
				return
			}
			var rec Record
			if err := json.Unmarshal(l.Data, &rec); err != nil {
				yield(Record{}, &FileError{Path: f.Path, Line: l.N, Err: err})
				return
			}
			n++
			if !yield(rec, nil) {
				return
			}
		}
		if n != f.Records {
			yield(Record{}, &FileError{Path: f.Path, Err: fmt.Errorf("holds %d records, the manifest lists %d", n, f.Records)})
		}
	}
}
