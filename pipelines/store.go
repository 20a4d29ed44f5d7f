package pipelines

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"

	"github.com/toolscale/toolscale/dataset"
)

// spillDir is the folder, inside the dataset folder, that holds spill files while a run
// lasts. It is removed before the manifest is written.
const spillDir = ".toolscale-spill"

// A store is the dataset folder with what the pipeline needs beyond dataset.FS: reading a
// byte range of a file, and removing files.
type store struct {
	dataset.FS
	dir    string          // local directory, when not on GCS
	gcs    *storage.Client // when on GCS
	bucket string
	prefix string // without a trailing slash; "" for the bucket's root
}

// openStore opens the dataset folder at out: a local directory (or file:///dir) or
// gs://bucket/prefix.
func openStore(ctx context.Context, out string) (*store, error) {
	if strings.HasPrefix(out, "gs://") {
		bucket, prefix, err := dataset.ParseGCSURL(out)
		if err != nil {
			return nil, err
		}
		client, err := dataset.NewGCSClient(ctx)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", out, err)
		}
		prefix = strings.Trim(prefix, "/")
		return &store{FS: dataset.OpenGCS(client, bucket, prefix), gcs: client, bucket: bucket, prefix: prefix}, nil
	}
	fsys, err := dataset.Open(ctx, out)
	if err != nil {
		return nil, err
	}
	return &store{FS: fsys, dir: strings.TrimPrefix(out, "file://")}, nil
}

func (s *store) Close() error {
	err := s.FS.Close()
	if s.gcs != nil {
		if cerr := s.gcs.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (s *store) object(name string) string {
	if s.prefix == "" {
		return name
	}
	return s.prefix + "/" + name
}

// readRange returns n bytes of the file name from offset off.
func (s *store) readRange(ctx context.Context, name string, off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	if s.gcs != nil {
		r, err := s.gcs.Bucket(s.bucket).Object(s.object(name)).NewRangeReader(ctx, off, n)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", dataset.Join(s, name), err)
		}
		defer r.Close()
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("read %s at %d: %w", dataset.Join(s, name), off, err)
		}
		return buf, nil
	}
	f, err := os.Open(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("read %s at %d: %w", f.Name(), off, err)
	}
	return buf, nil
}

// openRange streams n bytes of the file name from offset off.
func (s *store) openRange(ctx context.Context, name string, off, n int64) (io.ReadCloser, error) {
	if s.gcs != nil {
		r, err := s.gcs.Bucket(s.bucket).Object(s.object(name)).NewRangeReader(ctx, off, n)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", dataset.Join(s, name), err)
		}
		return r, nil
	}
	f, err := os.Open(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, off, n), f}, nil
}

// remove removes the file name; a missing file is not an error.
func (s *store) remove(ctx context.Context, name string) error {
	if s.gcs != nil {
		err := s.gcs.Bucket(s.bucket).Object(s.object(name)).Delete(ctx)
		if err != nil && !errors.Is(err, storage.ErrObjectNotExist) {
			return fmt.Errorf("remove %s: %w", dataset.Join(s, name), err)
		}
		return nil
	}
	err := os.Remove(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// removeAll removes the folder dir and everything under it.
func (s *store) removeAll(ctx context.Context, dir string) error {
	if s.gcs == nil {
		return os.RemoveAll(filepath.Join(s.dir, filepath.FromSlash(dir)))
	}
	it := s.gcs.Bucket(s.bucket).Objects(ctx, &storage.Query{Prefix: s.object(dir) + "/"})
	for {
		attrs, err := it.Next()
		if err == iterator.Done {
			return nil
		}
		if err != nil {
			return fmt.Errorf("list %s: %w", dataset.Join(s, dir), err)
		}
		if err := s.gcs.Bucket(s.bucket).Object(attrs.Name).Delete(ctx); err != nil && !errors.Is(err, storage.ErrObjectNotExist) {
			return fmt.Errorf("remove gs://%s/%s: %w", s.bucket, attrs.Name, err)
		}
	}
}

// under reports whether the relative path name is inside the folder dir.
func under(name, dir string) bool {
	return strings.HasPrefix(name, dir+"/") && path.Clean(name) == name
}
