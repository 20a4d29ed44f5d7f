package dataset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"
)

// ParseGCSURL splits "gs://bucket/prefix/" into "bucket" and "prefix" (no slash at either
// end; "" for a whole bucket). A prefix with empty, "." or ".." elements is refused.
func ParseGCSURL(url string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(url, "gs://")
	if !ok {
		return "", "", fmt.Errorf("parse %q: not a gs:// URL", url)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	prefix = strings.TrimSuffix(prefix, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("parse %q: no bucket", url)
	}
	if prefix != "" && (!fs.ValidPath(prefix) || strings.Contains(prefix, `\`)) {
		return "", "", fmt.Errorf("parse %q: prefix %q has empty, \".\" or \"..\" elements", url, prefix)
	}
	return bucket, prefix, nil
}

// NewGCSClient makes a storage client from Application Default Credentials; when
// STORAGE_EMULATOR_HOST is set, the storage package talks to that emulator without
// credentials. Objects are read through the JSON API, which emulators serve whatever host
// name they are reached by (the XML API's path-style reads are not always routed by them).
func NewGCSClient(ctx context.Context) (*storage.Client, error) {
	c, err := storage.NewClient(ctx, storage.WithJSONReads())
	if err != nil {
		return nil, fmt.Errorf("gcs client: %w", err)
	}
	return c, nil
}

// OpenGCS returns the FS of gs://bucket/prefix through client, which the caller keeps and
// closes (the FS's Close leaves it open).
//
// Writes need no temporary object: a GCS object write is atomic. The object appears, or
// replaces the previous generation, only when the upload is finalized by the writer's Close;
// an upload abandoned before that (Abort cancels its context) leaves the name as it was. So
// Create writes straight to the final name, and "write to a temporary name, then rename" holds
// without a copy.
func OpenGCS(client *storage.Client, bucket, prefix string) FS {
	return &gcsFS{client: client, bucket: bucket, prefix: strings.Trim(prefix, "/")}
}

type gcsFS struct {
	client *storage.Client
	owned  bool
	bucket string
	prefix string // no slash at either end
}

func (g *gcsFS) String() string {
	if g.prefix == "" {
		return "gs://" + g.bucket
	}
	return "gs://" + g.bucket + "/" + g.prefix
}

func (g *gcsFS) Close() error {
	if g.owned {
		return g.client.Close()
	}
	return nil
}

func (g *gcsFS) object(name string) (*storage.ObjectHandle, error) {
	if err := checkPath(name); err != nil {
		return nil, err
	}
	return g.client.Bucket(g.bucket).Object(path.Join(g.prefix, name)), nil
}

// notExist turns the storage package's not-found error into one wrapping fs.ErrNotExist.
func (g *gcsFS) notExist(op, name string, err error) error {
	if errors.Is(err, storage.ErrObjectNotExist) || errors.Is(err, storage.ErrBucketNotExist) {
		return &fs.PathError{Op: op, Path: Join(g, name), Err: fs.ErrNotExist}
	}
	return &fs.PathError{Op: op, Path: Join(g, name), Err: err}
}

func (g *gcsFS) Create(ctx context.Context, name string) (FileWriter, error) {
	o, err := g.object(name)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	w := o.NewWriter(ctx)
	w.ContentType = ContentType(name)
	return &gcsWriter{w: w, cancel: cancel}, nil
}

// ContentType returns the media type a dataset file is stored with. Gzip shards are stored as
// application/gzip with no Content-Encoding, so that GCS never decompresses them in transit and
// their bytes stay the ones the manifest's sha256 covers.
func ContentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".gz"):
		return "application/gzip"
	case strings.HasSuffix(name, ".jsonl"):
		return "application/jsonl"
	case strings.HasSuffix(name, ".json"):
		return "application/json"
	}
	return "application/octet-stream"
}

type gcsWriter struct {
	w      *storage.Writer
	cancel context.CancelFunc
	done   bool
}

func (w *gcsWriter) Write(p []byte) (int, error) { return w.w.Write(p) }

func (w *gcsWriter) Close() error {
	if w.done {
		return nil
	}
	w.done = true
	err := w.w.Close()
	w.cancel()
	return err
}

func (w *gcsWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.cancel() // an upload whose context ends is never finalized
	w.w.Close()
	return nil
}

func (g *gcsFS) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	o, err := g.object(name)
	if err != nil {
		return nil, err
	}
	r, err := o.NewReader(ctx)
	if err != nil {
		return nil, g.notExist("open", name, err)
	}
	return r, nil
}

func (g *gcsFS) Stat(ctx context.Context, name string) (FileInfo, error) {
	o, err := g.object(name)
	if err != nil {
		return FileInfo{}, err
	}
	a, err := o.Attrs(ctx)
	if err != nil {
		return FileInfo{}, g.notExist("stat", name, err)
	}
	return FileInfo{Path: name, Size: a.Size}, nil
}

func (g *gcsFS) List(ctx context.Context) ([]FileInfo, error) {
	q := &storage.Query{}
	if g.prefix != "" {
		q.Prefix = g.prefix + "/"
	}
	if err := q.SetAttrSelection([]string{"Name", "Size"}); err != nil {
		return nil, err
	}
	var out []FileInfo
	it := g.client.Bucket(g.bucket).Objects(ctx, q)
	for {
		a, err := it.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", g, err)
		}
		rel := strings.TrimPrefix(a.Name, q.Prefix)
		if rel == "" || strings.HasSuffix(rel, "/") {
			continue // a folder placeholder
		}
		out = append(out, FileInfo{Path: rel, Size: a.Size})
	}
	slices.SortFunc(out, func(a, b FileInfo) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}
