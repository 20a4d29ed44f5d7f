package railway

import (
	"fmt"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// The reference prices its fares freely and holds no regular members, so
		// cancel_first_class and refuse_compensation (a known class, a regular member) find
		// nothing there: two templates of 24, some 8% of the tasks.
		ReferenceMinVerified: 0.85,
	})
}

// TestIntentsSubject checks that a template drafted for a subject drafts for that user
// alone, touching only their reservations, or has nothing for them.
func TestIntentsSubject(t *testing.T) {
	domaintest.IntentsForSubject(t, Domain, func(db domains.DB) []string {
		var ids []string
		for id := range db.(*DB).Users.All() {
			ids = append(ids, id)
			if len(ids) == 8 {
				break
			}
		}
		return ids
	}, func(db domains.DB, id string, a task.Call) string {
		if v, ok := a.Arguments.Get("user_id"); ok && v != id {
			return fmt.Sprintf("%s for user %v", a.Name, v)
		}
		if v, ok := a.Arguments.Get("reservation_id"); ok {
			if res, found := db.(*DB).Reservations.Get(v.(string)); !found || res.UserID != id {
				return fmt.Sprintf("%s on reservation %v of another user", a.Name, v)
			}
		}
		return ""
	})
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }
