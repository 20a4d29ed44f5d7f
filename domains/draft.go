package domains

import (
	"math/rand/v2"

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
