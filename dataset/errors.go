package dataset

import (
	"errors"
	"fmt"
	"strconv"
)

// Errors callers can test for with errors.Is.
var (
	// ErrNoManifest: the dataset has no manifest.json (never written, or not yet).
	ErrNoManifest = errors.New("no manifest")
	// ErrChecksum: a file's size or sha256 differs from what the manifest lists.
	ErrChecksum = errors.New("checksum mismatch")
	// ErrDuplicateID: two records of a shard have the same id.
	ErrDuplicateID = errors.New("duplicate record id")
	// ErrInconsistent: a manifest contradicts itself (see Manifest.Check).
	ErrInconsistent = errors.New("inconsistent manifest")
)

// A FileError reports a problem at a place in a dataset file.
type FileError struct {
	Path  string // the file, relative to the dataset root
	Line  int64  // 1-based; 0 for the whole file
	Field string // the record field, as "tools[2].kind"; "" for the whole line
	Err   error
}

func (e *FileError) Error() string {
	s := e.Path
	if e.Line > 0 {
		s += ":" + strconv.FormatInt(e.Line, 10)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return fmt.Sprintf("%s: %v", s, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }
