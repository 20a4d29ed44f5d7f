// Package publish copies a dataset folder to gs://bucket/prefix, verified object by object,
// so that readers of the bucket never see a partial dataset.
//
// # The rule
//
// A reader trusts a dataset only through its manifest.json, and every object that manifest
// lists must be present and match it whenever the manifest is visible. Publish keeps to that:
//
//  1. Before anything is uploaded, every local file is checked against the local manifest
//     (size and sha256): a corrupted local file stops the publish with nothing changed.
//  2. If the prefix holds a different dataset (another manifest.json), an unfinished publish
//     of a different dataset, or objects that no dataset accounts for, Publish refuses unless
//     Options.Force is set.
//  3. A marker, manifest.pending.json, holding the new manifest, is written; it identifies the
//     dataset being published, so that a re-run after an interruption knows it may resume.
//  4. When replacing a different dataset (Force), the old manifest.json is deleted first: from
//     then on a reader finds no dataset, never the old manifest beside new files.
//  5. The files are uploaded, Options.Parallel at a time. An object already holding the
//     same bytes (same size, CRC32C and MD5) is skipped. Each upload sends its CRC32C and MD5,
//     computed locally, for GCS to check, and the created object's checksums are compared
//     again with them.
//  6. manifest.json is uploaded last, only if no other publish created one meanwhile.
//  7. Only then are the objects under the prefix that the new manifest does not list deleted
//     (files of a replaced dataset, leftovers of interrupted runs), and the marker last.
//
// A reader therefore sees the old dataset whole, no dataset, or the new one whole. One
// caveat: a reader that loaded the old manifest before step 4 and reads a file overwritten in
// step 5 gets bytes that fail its sha256 check (dataset.Reader refuses them), never wrong
// records. After a successful Publish the prefix holds exactly manifest.json and the files it
// lists: the prefix belongs to the dataset.
//
// A re-run after an interruption finds the marker, uploads what is missing or different,
// and completes the steps above; object names are the dataset's paths, so nothing is
// duplicated. A re-run over a complete, identical dataset uploads nothing.
//
// # Credentials
//
// Without Options.Client, Publish uses Application Default Credentials, or the emulator named
// by STORAGE_EMULATOR_HOST. It prints and logs nothing; errors name objects, never
// credentials.
package publish

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/storage"
	"golang.org/x/sync/errgroup"
	"google.golang.org/api/iterator"

	"github.com/toolscale/toolscale/dataset"
)

// PendingName is the marker object of a publish in progress: it holds the manifest being
// published, and is deleted once that manifest and its files are in place.
const PendingName = "manifest.pending.json"

// ErrConflict: the destination holds something Publish will not replace without Force.
var ErrConflict = errors.New("destination holds another dataset")

// Options tune Publish. The zero value is ready to use.
type Options struct {
	// Parallel bounds the uploads (and local checks) in flight; 0 means 8.
	Parallel int
	// Force replaces a different dataset, an unfinished publish of a different dataset, or
	// objects that no manifest accounts for, all under the prefix.
	Force bool
	// Progress, if set, is called after each step, one call at a time.
	Progress func(Progress)
	// Client talks to GCS; nil means a client from Application Default Credentials (or
	// STORAGE_EMULATOR_HOST), closed when Publish returns.
	Client *storage.Client
}

// A Step is what happened to one file.
type Step string

// Steps reported through Options.Progress.
const (
	Checked  Step = "checked"  // the local file matches the local manifest
	Uploaded Step = "uploaded" // uploaded and verified
	Skipped  Step = "skipped"  // already in place with the same size, CRC32C and MD5
	Deleted  Step = "deleted"  // a stale object removed
)

// Progress reports one step of a publish.
type Progress struct {
	Step  Step
	Path  string // relative to the dataset root
	Bytes int64  // the file's size
	// Done of Total files are in place (uploaded or skipped), the manifest included;
	// DoneBytes of TotalBytes likewise. For Checked, they count the local checks.
	Done, Total           int
	DoneBytes, TotalBytes int64
}

// Summary says what a publish did.
type Summary struct {
	Objects    int     // objects of the published dataset, manifest included
	Uploaded   int     // objects this run uploaded
	Skipped    int     // objects already in place
	Deleted    int     // stale objects removed
	Bytes      int64   // bytes this run uploaded
	TotalBytes int64   // bytes of the dataset, manifest included
	Seconds    float64 // wall time of the run
}

// local is a file to publish with the checksums GCS keeps.
type local struct {
	dataset.File
	crc32c uint32
	md5    []byte
	data   []byte // for the manifest only: uploaded from memory
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Publish publishes the dataset in the local directory srcDir to dstURL, gs://bucket/prefix,
// following the rule in the package documentation. On error the Summary tells what was done.
func Publish(ctx context.Context, srcDir, dstURL string, opts Options) (Summary, error) {
	start := time.Now()
	var sum Summary
	done := func(err error) (Summary, error) {
		sum.Seconds = time.Since(start).Seconds()
		return sum, err
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 8
	}
	bucket, prefix, err := dataset.ParseGCSURL(dstURL)
	if err != nil {
		return done(err)
	}
	dst := "gs://" + bucket // for messages
	if prefix != "" {
		dst += "/" + prefix
	}
	rep := &reporter{fn: opts.Progress}

	// The local dataset, checked whole before anything is sent.
	rawManifest, m, err := readLocalManifest(ctx, srcDir)
	if err != nil {
		return done(err)
	}
	rep.checks = len(m.AllFiles())
	files, err := checkLocal(ctx, srcDir, m.AllFiles(), opts.Parallel, rep)
	if err != nil {
		return done(err)
	}
	man := local{File: dataset.File{Path: dataset.ManifestName, Bytes: int64(len(rawManifest))}, data: rawManifest}
	man.crc32c, man.md5 = crc32.Checksum(rawManifest, castagnoli), md5sum(rawManifest)
	sum.Objects = len(files) + 1
	sum.TotalBytes = man.Bytes
	for _, f := range files {
		sum.TotalBytes += f.Bytes
	}
	rep.start(sum.Objects, sum.TotalBytes)

	client := opts.Client
	if client == nil {
		if client, err = dataset.NewGCSClient(ctx); err != nil {
			return done(err)
		}
		defer client.Close()
	}
	d := &destination{bkt: client.Bucket(bucket), prefix: prefix, url: dst}

	// What the prefix holds now, and whether we may publish over it.
	remote, err := d.list(ctx)
	if err != nil {
		return done(err)
	}
	listed := map[string]bool{dataset.ManifestName: true}
	for _, f := range files {
		listed[f.Path] = true
	}
	same, err := d.sameBytes(ctx, remote[dataset.ManifestName], rawManifest)
	if err != nil {
		return done(err)
	}
	if !same {
		if err := d.mayReplace(ctx, remote, rawManifest, listed, opts.Force); err != nil {
			return done(err)
		}
		// Mark the publish, then hide any other dataset before touching its files.
		if err := d.put(ctx, PendingName, local{data: rawManifest, crc32c: man.crc32c, md5: man.md5, File: dataset.File{Bytes: man.Bytes}}, "", nil); err != nil {
			return done(err)
		}
		if old := remote[dataset.ManifestName]; old != nil {
			if err := d.obj(dataset.ManifestName).If(storage.Conditions{GenerationMatch: old.Generation}).Delete(ctx); err != nil {
				return done(fmt.Errorf("delete the replaced %s/%s: %w", dst, dataset.ManifestName, err))
			}
		}
	}

	// The files, a bounded number at a time.
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opts.Parallel)
	for _, f := range files {
		g.Go(func() error {
			if matches(remote[f.Path], f) {
				mu.Lock()
				sum.Skipped++
				mu.Unlock()
				rep.settled(Skipped, f.File)
				return nil
			}
			if err := d.put(gctx, f.Path, f, filepath.Join(srcDir, filepath.FromSlash(f.Path)), nil); err != nil {
				return err
			}
			mu.Lock()
			sum.Uploaded++
			sum.Bytes += f.Bytes
			mu.Unlock()
			rep.settled(Uploaded, f.File)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return done(err)
	}

	// The manifest, last, unless it is already there.
	if same {
		sum.Skipped++
		rep.settled(Skipped, man.File)
	} else {
		if err := d.put(ctx, dataset.ManifestName, man, "", &storage.Conditions{DoesNotExist: true}); err != nil {
			return done(err)
		}
		sum.Uploaded++
		sum.Bytes += man.Bytes
		rep.settled(Uploaded, man.File)
	}

	// Stale objects, now that the new manifest is visible; the marker last.
	now, err := d.list(ctx)
	if err != nil {
		return done(err)
	}
	for _, name := range slices.Sorted(maps.Keys(now)) {
		if listed[name] || name == PendingName {
			continue
		}
		if err := d.remove(ctx, name, now[name]); err != nil {
			return done(err)
		}
		sum.Deleted++
		rep.deleted(name, now[name].Size)
	}
	if a := now[PendingName]; a != nil {
		if err := d.remove(ctx, PendingName, a); err != nil {
			return done(err)
		}
	}
	return done(nil)
}

func md5sum(b []byte) []byte {
	s := md5.Sum(b)
	return s[:]
}

// readLocalManifest reads srcDir's manifest and checks that it is consistent.
func readLocalManifest(ctx context.Context, srcDir string) ([]byte, *dataset.Manifest, error) {
	src := dataset.OpenDir(srcDir)
	raw, err := dataset.ReadFile(ctx, src, dataset.ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("publish %s: %w: %w", srcDir, dataset.ErrNoManifest, err)
	}
	if err != nil {
		return nil, nil, err
	}
	m, err := dataset.DecodeManifest(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("publish %s: %w", srcDir, err)
	}
	if err := m.Check(); err != nil {
		return nil, nil, fmt.Errorf("publish %s: %w", srcDir, err)
	}
	for _, f := range m.AllFiles() {
		if f.Path == PendingName {
			return nil, nil, fmt.Errorf("publish %s: the manifest lists %s, the name publishing reserves for its marker", srcDir, PendingName)
		}
	}
	return raw, m, nil
}

// checkLocal reads every file, checks its size and sha256 against the manifest, and computes
// the CRC32C and MD5 that GCS will be asked to verify.
func checkLocal(ctx context.Context, srcDir string, files []dataset.File, parallel int, rep *reporter) ([]local, error) {
	out := make([]local, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallel)
	for i, f := range files {
		g.Go(func() error {
			p := filepath.Join(srcDir, filepath.FromSlash(f.Path))
			r, err := os.Open(p)
			if err != nil {
				return &dataset.FileError{Path: f.Path, Err: err}
			}
			defer r.Close()
			sh, mh, ch := sha256.New(), md5.New(), crc32.New(castagnoli)
			n, err := io.Copy(io.MultiWriter(sh, mh, ch), &ctxReader{gctx, r})
			if err != nil {
				return &dataset.FileError{Path: f.Path, Err: err}
			}
			if err := f.Verify(n, sh.Sum(nil)); err != nil {
				return fmt.Errorf("refusing to publish %s: %w", srcDir, &dataset.FileError{Path: f.Path, Err: err})
			}
			out[i] = local{File: f, crc32c: ch.Sum32(), md5: mh.Sum(nil)}
			rep.checked(f)
			return nil
		})
	}
	return out, g.Wait()
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// matches reports whether the object a already holds f's bytes.
func matches(a *storage.ObjectAttrs, f local) bool {
	return a != nil && a.Size == f.Bytes && a.CRC32C == f.crc32c && (len(a.MD5) == 0 || bytes.Equal(a.MD5, f.md5))
}

// destination is the bucket and prefix published to.
type destination struct {
	bkt    *storage.BucketHandle
	prefix string
	url    string
}

func (d *destination) name(rel string) string {
	if d.prefix == "" {
		return rel
	}
	return d.prefix + "/" + rel
}

func (d *destination) obj(rel string) *storage.ObjectHandle { return d.bkt.Object(d.name(rel)) }

// list returns the objects under the prefix by their path relative to it.
func (d *destination) list(ctx context.Context) (map[string]*storage.ObjectAttrs, error) {
	q := &storage.Query{}
	if d.prefix != "" {
		q.Prefix = d.prefix + "/"
	}
	if err := q.SetAttrSelection([]string{"Name", "Size", "CRC32C", "MD5", "Generation"}); err != nil {
		return nil, err
	}
	out := map[string]*storage.ObjectAttrs{}
	it := d.bkt.Objects(ctx, q)
	for {
		a, err := it.Next()
		if err == iterator.Done {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", d.url, err)
		}
		rel := a.Name[len(q.Prefix):]
		if rel == "" || strings.HasSuffix(rel, "/") {
			continue // a folder placeholder, not data
		}
		out[rel] = a
	}
}

// read returns the bytes of the object rel at generation a.Generation.
func (d *destination) read(ctx context.Context, rel string, a *storage.ObjectAttrs) ([]byte, error) {
	r, err := d.obj(rel).Generation(a.Generation).NewReader(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s/%s: %w", d.url, rel, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s/%s: %w", d.url, rel, err)
	}
	return b, nil
}

// sameBytes reports whether the object described by a (nil if absent) holds want.
func (d *destination) sameBytes(ctx context.Context, a *storage.ObjectAttrs, want []byte) (bool, error) {
	if a == nil || a.Size != int64(len(want)) {
		return false, nil
	}
	got, err := d.read(ctx, dataset.ManifestName, a)
	if err != nil {
		return false, err
	}
	return bytes.Equal(got, want), nil
}

// mayReplace returns an ErrConflict error unless force is set or the prefix holds nothing a
// publish of the dataset with manifest raw would wrongly replace.
func (d *destination) mayReplace(ctx context.Context, remote map[string]*storage.ObjectAttrs, raw []byte, listed map[string]bool, force bool) error {
	if force {
		return nil
	}
	if a := remote[dataset.ManifestName]; a != nil {
		return fmt.Errorf("%w: %s/%s differs from the manifest being published (%s); publish with force to replace it",
			ErrConflict, d.url, dataset.ManifestName, describe(ctx, d, a, raw))
	}
	if a := remote[PendingName]; a != nil {
		b, err := d.read(ctx, PendingName, a)
		if err != nil {
			return err
		}
		if bytes.Equal(b, raw) {
			return nil // our own unfinished publish: resume it
		}
		return fmt.Errorf("%w: %s holds an unfinished publish of a different dataset (%s); publish with force to replace it",
			ErrConflict, d.url, PendingName)
	}
	var foreign []string
	for name := range remote {
		if !listed[name] {
			foreign = append(foreign, name)
		}
	}
	if len(foreign) > 0 {
		slices.Sort(foreign)
		return fmt.Errorf("%w: %s holds %d objects that are not part of this dataset, such as %q, and no %s; publish with force to delete them",
			ErrConflict, d.url, len(foreign), foreign[0], dataset.ManifestName)
	}
	return nil
}

// describe says how the remote manifest a differs from raw, for the conflict message.
func describe(ctx context.Context, d *destination, a *storage.ObjectAttrs, raw []byte) string {
	b, err := d.read(ctx, dataset.ManifestName, a)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	short := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:6]) }
	there, here := "not a manifest", "?"
	if m, err := dataset.DecodeManifest(b); err == nil {
		there = fmt.Sprintf("%d records", m.Counts.Written)
	}
	if m, err := dataset.DecodeManifest(raw); err == nil {
		here = fmt.Sprintf("%d records", m.Counts.Written)
	}
	return fmt.Sprintf("there: sha256 %s…, %s; here: sha256 %s…, %s", short(b), there, short(raw), here)
}

// put uploads f to the object rel, from the file at path or from f.data, asks GCS to check
// its CRC32C and MD5, and compares the created object's with them. cond, if set, guards the
// write; otherwise the write is retried on transient errors, which is safe since the content
// is checked.
func (d *destination) put(ctx context.Context, rel string, f local, path string, cond *storage.Conditions) error {
	o := d.obj(rel)
	if cond != nil {
		o = o.If(*cond)
	} else {
		o = o.Retryer(storage.WithPolicy(storage.RetryAlways))
	}
	var src io.Reader = bytes.NewReader(f.data)
	if path != "" {
		r, err := os.Open(path)
		if err != nil {
			return &dataset.FileError{Path: rel, Err: err}
		}
		defer r.Close()
		src = r
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := o.NewWriter(wctx)
	w.ContentType = dataset.ContentType(rel)
	w.CRC32C, w.SendCRC32C = f.crc32c, true
	w.MD5 = f.md5
	if _, err := io.Copy(w, src); err != nil {
		cancel()
		w.Close()
		return fmt.Errorf("upload %s/%s: %w", d.url, rel, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("upload %s/%s: %w", d.url, rel, err)
	}
	a := w.Attrs()
	if a.Size != f.Bytes || a.CRC32C != f.crc32c || (len(a.MD5) > 0 && !bytes.Equal(a.MD5, f.md5)) {
		return fmt.Errorf("upload %s/%s: %w: the object has %d bytes, crc32c %08x, md5 %x; sent %d bytes, crc32c %08x, md5 %x",
			d.url, rel, dataset.ErrChecksum, a.Size, a.CRC32C, a.MD5, f.Bytes, f.crc32c, f.md5)
	}
	return nil
}

// remove deletes the object rel at the generation listed, so a newer one is never deleted.
func (d *destination) remove(ctx context.Context, rel string, a *storage.ObjectAttrs) error {
	err := d.obj(rel).If(storage.Conditions{GenerationMatch: a.Generation}).Delete(ctx)
	if err != nil && !errors.Is(err, storage.ErrObjectNotExist) {
		return fmt.Errorf("delete %s/%s: %w", d.url, rel, err)
	}
	return nil
}

// reporter serializes progress calls and keeps the running totals.
type reporter struct {
	fn                    func(Progress)
	mu                    sync.Mutex
	checks, nchecked      int
	done, total           int
	doneBytes, totalBytes int64
}

func (r *reporter) start(total int, totalBytes int64) {
	r.mu.Lock()
	r.total, r.totalBytes = total, totalBytes
	r.mu.Unlock()
}

func (r *reporter) call(p Progress) {
	if r.fn != nil {
		r.fn(p)
	}
}

func (r *reporter) checked(f dataset.File) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nchecked++
	r.call(Progress{Step: Checked, Path: f.Path, Bytes: f.Bytes, Done: r.nchecked, Total: r.checks})
}

func (r *reporter) settled(s Step, f dataset.File) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	r.doneBytes += f.Bytes
	r.call(Progress{Step: s, Path: f.Path, Bytes: f.Bytes, Done: r.done, Total: r.total, DoneBytes: r.doneBytes, TotalBytes: r.totalBytes})
}

func (r *reporter) deleted(path string, size int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.call(Progress{Step: Deleted, Path: path, Bytes: size, Done: r.done, Total: r.total, DoneBytes: r.doneBytes, TotalBytes: r.totalBytes})
}
