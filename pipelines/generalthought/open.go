package generalthought

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"
)

// DefaultMaxLineBytes is the longest JSONL line the reader accepts by default. Real rows
// reach a few hundred kilobytes (long reasoning traces); a longer line is reported as a
// RowError with ReasonLineTooLong and skipped.
const DefaultMaxLineBytes = 64 << 20

// Errors callers may test with errors.Is.
var (
	// ErrNoMatch: a Glob pattern matched no file.
	ErrNoMatch = errors.New("no file matches")
	// ErrTruncated: a file ends in the middle of its data (a cut gzip stream or Parquet file).
	ErrTruncated = errors.New("truncated input")
)

// A RowReader reads the rows of one file in order.
type RowReader interface {
	// Next returns the next row. It returns io.EOF after the last row. A *RowError reports a
	// bad row that was skipped: call Next again for the one after it. Any other error is
	// fatal for the file (it cannot be read further) and names the file and the last row read.
	Next(ctx context.Context) (Row, error)
	// Close releases the file. It is safe to call more than once.
	Close() error
}

// All returns an iterator over the rows and row errors of r, as Next gives them; a fatal
// error is yielded last, and io.EOF is not yielded.
func All(ctx context.Context, r RowReader) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for {
			row, err := r.Next(ctx)
			if err == io.EOF {
				return
			}
			if !yield(row, err) {
				return
			}
			var rerr *RowError
			if err != nil && !errors.As(err, &rerr) {
				return
			}
		}
	}
}

// An Opener opens GeneralThought files. The zero Opener is ready to use.
type Opener struct {
	// Storage is the client used for gs:// paths. When nil, each Open or Glob of a gs:// path
	// makes its own client with storage.NewClient, which honours STORAGE_EMULATOR_HOST; it
	// reads through the JSON API, which emulators such as fake-gcs-server serve on their own
	// address (the default XML API reads need the emulator to answer as storage.googleapis.com).
	Storage *storage.Client
	// MaxLineBytes bounds a JSONL line; 0 means DefaultMaxLineBytes.
	MaxLineBytes int
}

// Open opens one file with the zero Opener.
func Open(ctx context.Context, path string) (RowReader, error) {
	return (&Opener{}).Open(ctx, path)
}

// Glob expands a pattern with the zero Opener.
func Glob(ctx context.Context, pattern string) ([]string, error) {
	return (&Opener{}).Glob(ctx, pattern)
}

// Open opens the file at path, a local path or gs://bucket/object, and returns a reader of
// its rows. The format comes from the first bytes: "PAR1" is Parquet, the gzip magic is gzip
// JSONL, anything else is JSONL. A path ending in .parquet that is not Parquet is an error;
// a .gz path that is not gzip is read as plain JSONL, as Cloud Storage serves objects stored
// with Content-Encoding: gzip already decompressed. Memory stays bounded whatever the size
// of the file: JSONL is streamed line by line, Parquet page by page.
func (o *Opener) Open(ctx context.Context, path string) (RowReader, error) {
	src, err := o.openSource(ctx, path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(src.stream, 1<<20)
	magic, err := br.Peek(4)
	if err != nil && err != io.EOF {
		src.close()
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	switch {
	case bytes.Equal(magic, []byte("PAR1")):
		ra, size, err := src.readerAt()
		if err != nil {
			src.close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		r, err := newParquetReader(path, ra, size, src.close, src.remote)
		if err != nil {
			src.close()
			return nil, err
		}
		return r, nil
	case isParquetName(path):
		src.close()
		return nil, fmt.Errorf("open %s: not a Parquet file (first bytes %q, want \"PAR1\")", path, magic)
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			src.close()
			return nil, fmt.Errorf("open %s: gzip: %w", path, err)
		}
		return newJSONLReader(path, zr, true, o.maxLine(), func() error {
			zr.Close()
			return src.close()
		}), nil
	default:
		return newJSONLReader(path, br, false, o.maxLine(), src.close), nil
	}
}

func (o *Opener) maxLine() int {
	if o.MaxLineBytes > 0 {
		return o.MaxLineBytes
	}
	return DefaultMaxLineBytes
}

func isParquetName(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	return ext == ".parquet" || ext == ".pq"
}

// A source is an opened file: a stream from its start, and a way to get random access to it
// for Parquet.
type source struct {
	stream   io.Reader
	readerAt func() (io.ReaderAt, int64, error)
	close    func() error
	remote   bool
}

func (o *Opener) openSource(ctx context.Context, p string) (*source, error) {
	bucket, object, ok, err := splitGS(p)
	if err != nil {
		return nil, err
	}
	if !ok {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		return &source{
			stream: f,
			readerAt: func() (io.ReaderAt, int64, error) {
				st, err := f.Stat()
				if err != nil {
					return nil, 0, err
				}
				return f, st.Size(), nil
			},
			close: onceCloser(f.Close),
		}, nil
	}
	client, release, err := o.client(ctx)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	obj := client.Bucket(bucket).Object(object)
	r, err := obj.NewReader(ctx)
	if err != nil {
		release()
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	src := &source{stream: r, remote: true}
	closeStream := onceCloser(r.Close)
	src.close = onceCloser(func() error {
		err := closeStream()
		release()
		return err
	})
	src.readerAt = func() (io.ReaderAt, int64, error) {
		size, gen := r.Attrs.Size, r.Attrs.Generation
		if err := closeStream(); err != nil {
			return nil, 0, err
		}
		// Pin the generation so that a concurrent overwrite cannot mix two objects.
		return &gcsReaderAt{ctx: ctx, obj: obj.Generation(gen), size: size}, size, nil
	}
	return src, nil
}

// client returns the Opener's client, or a new one and the function that closes it.
func (o *Opener) client(ctx context.Context) (*storage.Client, func(), error) {
	if o.Storage != nil {
		return o.Storage, func() {}, nil
	}
	c, err := storage.NewClient(ctx, storage.WithJSONReads())
	if err != nil {
		return nil, nil, err
	}
	return c, func() { c.Close() }, nil
}

// splitGS splits gs://bucket/object; ok is false for a local path.
func splitGS(p string) (bucket, object string, ok bool, err error) {
	rest, found := strings.CutPrefix(p, "gs://")
	if !found {
		return "", "", false, nil
	}
	bucket, object, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", false, fmt.Errorf("bad path %q: want gs://bucket/object", p)
	}
	return bucket, object, true, nil
}

func onceCloser(f func() error) func() error {
	done := false
	var err error
	return func() error {
		if !done {
			done = true
			err = f()
		}
		return err
	}
}

// gcsReaderAt reads ranges of one object generation. Parquet reads each column chunk through
// its own buffer (remoteReadBuffer), so a row group costs a few range requests per column.
type gcsReaderAt struct {
	ctx  context.Context // the context of Open: the reader lives as long as that call's result
	obj  *storage.ObjectHandle
	size int64
}

func (g *gcsReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= g.size {
		return 0, io.EOF
	}
	n := int64(len(p))
	if rest := g.size - off; n > rest {
		n = rest
	}
	r, err := g.obj.NewRangeReader(g.ctx, off, n)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	got, err := io.ReadFull(r, p[:n])
	if err != nil {
		return got, err
	}
	if got < len(p) {
		return got, io.EOF
	}
	return got, nil
}

// Glob expands pattern into the sorted list of files it matches, with an error wrapping
// ErrNoMatch when there is none. A local pattern follows filepath.Match (directories are left
// out); gs://bucket/pattern lists the objects under the pattern's literal prefix and keeps
// those whose name matches it by path.Match, so "*" does not cross a "/". A pattern without
// metacharacters names one file, which must exist.
func (o *Opener) Glob(ctx context.Context, pattern string) ([]string, error) {
	bucket, objPattern, ok, err := splitGS(pattern)
	if err != nil {
		return nil, err
	}
	var out []string
	if !ok {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			return nil, fmt.Errorf("glob %s: %w", pattern, err)
		}
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && !st.IsDir() {
				out = append(out, m)
			}
		}
	} else {
		if _, err := path.Match(objPattern, ""); err != nil {
			return nil, fmt.Errorf("glob %s: %w", pattern, err)
		}
		client, release, err := o.client(ctx)
		if err != nil {
			return nil, fmt.Errorf("glob %s: %w", pattern, err)
		}
		defer release()
		prefix := objPattern
		if i := strings.IndexAny(objPattern, `*?[\`); i >= 0 {
			prefix = objPattern[:i]
		}
		it := client.Bucket(bucket).Objects(ctx, &storage.Query{Prefix: prefix})
		for {
			attrs, err := it.Next()
			if err == iterator.Done {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("glob %s: list gs://%s/%s: %w", pattern, bucket, prefix, err)
			}
			if strings.HasSuffix(attrs.Name, "/") {
				continue // a folder placeholder
			}
			if m, _ := path.Match(objPattern, attrs.Name); m {
				out = append(out, "gs://"+bucket+"/"+attrs.Name)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("glob %s: %w", pattern, ErrNoMatch)
	}
	slices.Sort(out)
	return out, nil
}
