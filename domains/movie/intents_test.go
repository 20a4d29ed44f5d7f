package movie

import (
	"fmt"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// Every show of the reference is scheduled, so cancel_canceled_show_compensation
		// and completed_show_transfer find nothing there: two templates of 16, some 12% of
		// the tasks.
		ReferenceMinVerified: 0.85,
	})
}

// TestIntentsSubject checks that a template drafted for a subject drafts for that customer
// alone, touching only their bookings, or has nothing for them.
func TestIntentsSubject(t *testing.T) {
	domaintest.IntentsForSubject(t, Domain, func(db domains.DB) []string {
		var emails []string
		for b := range db.(*DB).Bookings.Values() {
			emails = append(emails, b.Customer.Email)
			if len(emails) == 8 {
				break
			}
		}
		return emails
	}, func(db domains.DB, email string, a task.Call) string {
		if v, ok := a.Arguments.Get("booking_id"); ok {
			if b, found := db.(*DB).Bookings.Get(v.(string)); !found || b.Customer.Email != email {
				return fmt.Sprintf("%s on booking %v of another customer", a.Name, v)
			}
		}
		if a.Name == "transfer_to_human_agents" {
			return "hands a later request over to a human agent"
		}
		return ""
	})
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }
