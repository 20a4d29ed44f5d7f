package dataset

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// An FS is the folder that holds a dataset: a local directory or a gs://bucket/prefix. Paths
// are relative to the root, with forward slashes ("shards/records-00000-of-00004.jsonl"), and
// must satisfy io/fs.ValidPath. Missing files give errors wrapping io/fs.ErrNotExist.
type FS interface {
	// Create starts writing the file name. Nothing appears under name until the writer's
	// Close succeeds, and an existing file stays intact until then; Abort discards what was
	// written. ctx must stay live until Close or Abort.
	Create(ctx context.Context, name string) (FileWriter, error)
	// Open opens the file name for reading.
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	// Stat describes the file name.
	Stat(ctx context.Context, name string) (FileInfo, error)
	// List describes every file under the root, sorted by path.
	List(ctx context.Context) ([]FileInfo, error)
	// String returns the root as the user would write it: a directory or gs://bucket/prefix.
	String() string
	// Close releases what the FS holds (a GCS client that Open made).
	Close() error
}

// A FileWriter writes one file of an FS; see FS.Create.
type FileWriter interface {
	io.Writer
	// Close completes the file and makes it visible under its name.
	Close() error
	// Abort discards the file; the name keeps what it held before. Abort after Close does
	// nothing.
	Abort() error
}

// FileInfo describes one file of an FS.
type FileInfo struct {
	Path string // relative to the root, with forward slashes
	Size int64
}

// Open opens the dataset folder at url: "gs://bucket/prefix" (or "gs://bucket") through
// cloud.google.com/go/storage with Application Default Credentials, or honouring
// STORAGE_EMULATOR_HOST; "file:///abs/dir" or a plain path for a local directory. The
// caller closes the FS.
func Open(ctx context.Context, url string) (FS, error) {
	switch {
	case strings.HasPrefix(url, "gs://"):
		bucket, prefix, err := ParseGCSURL(url)
		if err != nil {
			return nil, err
		}
		client, err := NewGCSClient(ctx)
		if err != nil {
			return nil, err
		}
		return &gcsFS{client: client, owned: true, bucket: bucket, prefix: prefix}, nil
	case strings.HasPrefix(url, "file://"):
		return OpenDir(strings.TrimPrefix(url, "file://")), nil
	case strings.Contains(url, "://"):
		return nil, fmt.Errorf("open dataset %s: unsupported scheme (want gs:// or a local path)", url)
	case url == "":
		return nil, fmt.Errorf("open dataset: empty path")
	}
	return OpenDir(url), nil
}

// WriteFile writes the file name of fsys with what write produces, all or nothing: if write
// fails, nothing appears under name.
func WriteFile(ctx context.Context, fsys FS, name string, write func(w io.Writer) error) error {
	w, err := fsys.Create(ctx, name)
	if err != nil {
		return err
	}
	if err := write(w); err != nil {
		w.Abort()
		return fmt.Errorf("write %s: %w", Join(fsys, name), err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", Join(fsys, name), err)
	}
	return nil
}

// ReadFile reads the whole file name of fsys, with no checks.
func ReadFile(ctx context.Context, fsys FS, name string) ([]byte, error) {
	r, err := fsys.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Join(fsys, name), err)
	}
	return b, nil
}

// Join returns the full name of file name of fsys, for messages: "gs://b/p/manifest.json".
func Join(fsys FS, name string) string {
	root := fsys.String()
	if root == "" || strings.HasSuffix(root, "/") {
		return root + name
	}
	return root + "/" + name
}

// checkPath rejects a path that could leave the dataset root or is not in its canonical form.
func checkPath(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, `\`) {
		return &fs.PathError{Op: "use", Path: name, Err: fs.ErrInvalid}
	}
	return nil
}
