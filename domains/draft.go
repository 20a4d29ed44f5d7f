package domains

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/toolscale/toolscale/domains/py"
	"github.com/toolscale/toolscale/domains/task"
)

// Helpers for intent templates.

// A DraftFunc drafts a task from an environment: the Draft of an Intent.
type DraftFunc = func(r *rand.Rand, env *Env) (*task.Draft, error)

// Choose returns one of the phrasings, at random.
func Choose(r *rand.Rand, phrasings ...string) string { return phrasings[r.IntN(len(phrasings))] }

// OneOf returns a random element of a non-empty slice.
func OneOf[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// WithAside returns draft with one of asides, circumstances a caller mentions, added to the
// reason for call of each draft it makes, so that the wording of every request varies.
func WithAside(asides []string, draft DraftFunc) DraftFunc {
	return func(r *rand.Rand, env *Env) (*task.Draft, error) {
		d, err := draft(r, env)
		if err == nil {
			d.ReasonForCall += " " + OneOf(r, asides)
		}
		return d, err
	}
}

// NoCandidate is ErrNoCandidate with what the template looked for.
func NoCandidate(what string) error { return fmt.Errorf("%w: %s", ErrNoCandidate, what) }

// Money writes an amount as the tools print it, without a trailing ".0": "1500", "256.5".
func Money(x float64) string {
	x = py.Round(math.Abs(x), 2)
	if x == math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return py.FormatFloat(x)
}

// FirstRequest returns ErrNoCandidate when env drafts a later request of a caller (env has a
// subject) whose earlier requests changed something. Templates whose request could undo an
// earlier one (an unfreeze of the card just frozen, a correction of what was just entered)
// call it, so that they follow only questions.
func FirstRequest(env *Env) error {
	if env.Subject == "" {
		return nil
	}
	if refs, err := Touched(env.DB); err != nil || len(refs) > 0 {
		return ErrNoCandidate
	}
	return nil
}

// IsASCII reports whether s holds only ASCII characters.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
