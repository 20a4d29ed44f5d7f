package generalthought

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A DedupBy names one de-duplication pass. The passes run after Filter, ByID first, then
// ByText on the rows ByID kept; in each, the first row in file order (see Prefer) is kept.
type DedupBy int

const (
	ByID   DedupBy = iota // same question_id
	ByText                // same NormalizeQuestion text
)

// Reason returns the reason given to the rows a pass drops.
func (d DedupBy) Reason() string {
	if d == ByID {
		return ReasonDuplicateID
	}
	return ReasonDuplicateText
}

func (d DedupBy) String() string {
	if d == ByID {
		return "id"
	}
	return "text"
}

// DedupKey returns the key under which the pass d groups row, for a GroupByKey: rows with
// the same key are duplicates, and all but the first (by Prefer) are dropped with d.Reason().
// It returns "" when row has no key for the pass (a null question_id): such a row is no
// one's duplicate in that pass. Text keys are a 128-bit hash of the normalized question, so
// a key is short whatever the question's length.
func DedupKey(d DedupBy, row Row) string {
	if d == ByID {
		if row.QuestionID == nil {
			return ""
		}
		return "id:" + strconv.FormatInt(*row.QuestionID, 10)
	}
	h := textHash(row.Question)
	return "text:" + hex.EncodeToString(h[:])
}

func textHash(question string) [16]byte {
	var buf [1024]byte
	sum := sha256.Sum256(appendNormalized(buf[:0], question))
	return [16]byte(sum[:16])
}

// Prefer reports whether a comes before b in input order: by File, then by Line. Listing
// files with Glob (sorted) and reading each in order visits rows in this order, so the row a
// Deduper keeps is the one a GroupByKey pass keeps when it picks the first row by Prefer.
func Prefer(a, b Row) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Line < b.Line
}

// A Deduper drops repeated questions from a stream of rows in input order, without Beam.
// It remembers 8 bytes per question_id and 16 per question text. It is not safe for
// concurrent use.
type Deduper struct {
	byID, byText bool
	ids          map[int64]struct{}
	texts        map[[16]byte]struct{}
}

// NewDeduper returns a Deduper applying cfg.DedupByID and cfg.DedupByText.
func NewDeduper(cfg FilterConfig) *Deduper {
	return &Deduper{
		byID:   cfg.DedupByID,
		byText: cfg.DedupByText,
		ids:    make(map[int64]struct{}),
		texts:  make(map[[16]byte]struct{}),
	}
}

// Add reports whether row asks a question no earlier row asked, and if it does not, the
// reason. A row dropped by id does not register its text, as in the two Beam passes.
func (d *Deduper) Add(row Row) (keep bool, reason string) {
	if d.byID && row.QuestionID != nil {
		if _, seen := d.ids[*row.QuestionID]; seen {
			return false, ReasonDuplicateID
		}
		d.ids[*row.QuestionID] = struct{}{}
	}
	if d.byText {
		h := textHash(row.Question)
		if _, seen := d.texts[h]; seen {
			return false, ReasonDuplicateText
		}
		d.texts[h] = struct{}{}
	}
	return true, ""
}

// keptPunct are punctuation marks that carry meaning in math and code, kept by
// NormalizeQuestion: "x-1" and "x1", or "a/b" and "a*b", are different questions.
const keptPunct = `-/*()[]{}%#&@\_`

// NormalizeQuestion returns the text by which questions are compared: lower-cased, with
// prose punctuation (.,;:!?'" and the like) removed, white space collapsed to single spaces
// and trimmed. Marks that matter in formulas (keptPunct) stay, and so do "." and "," between
// two digits 0-9 ("3.5" is not "35").
func NormalizeQuestion(q string) string {
	return string(appendNormalized(nil, q))
}

// ASCII classes for appendNormalized.
const (
	asciiKeep  = iota // a character of the text
	asciiSpace        // a separator
	asciiPunct        // prose punctuation: a separator, except "." and "," between digits
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range rune(utf8.RuneSelf) {
		switch {
		case unicode.IsSpace(c):
			t[c] = asciiSpace
		case unicode.IsPunct(c) && !strings.ContainsRune(keptPunct, c):
			t[c] = asciiPunct
		}
	}
	return t
}()

func appendNormalized(dst []byte, q string) []byte {
	base := len(dst)
	space := false // a separator is pending
	var prev rune
	for i := 0; i < len(q); {
		var r rune
		var size int
		var sep bool
		if c := q[i]; c < utf8.RuneSelf {
			r, size = rune(c), 1
			switch asciiClass[c] {
			case asciiSpace:
				sep = true
			case asciiPunct:
				sep = !((c == '.' || c == ',') && isDigit(byte(prev)) && prev < utf8.RuneSelf &&
					i+1 < len(q) && isDigit(q[i+1]))
			default:
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if space {
					dst = append(dst, ' ')
					space = false
				}
				dst = append(dst, c)
				prev = r
				i++
				continue
			}
		} else {
			r, size = utf8.DecodeRuneInString(q[i:])
			sep = unicode.IsSpace(r) || unicode.IsPunct(r) && !strings.ContainsRune(keptPunct, r)
		}
		prev = r
		i += size
		if sep {
			space = len(dst) > base
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}
