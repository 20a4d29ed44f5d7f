package restaurant

import (
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// Every reference patron has a single saved instrument, so no instrument change fits
		// it, and no placed ticket there can be swapped to a plate that is not served today:
		// two of the thirteen templates have no candidate, and one WRITE tool goes unused.
		ReferenceMinVerified: 0.8,
		ReferenceWrites:      5,
	})
}

// TestIntentsStayWithSubject: every patron a chained draft finds and every ticket it touches
// is the caller's.
func TestIntentsStayWithSubject(t *testing.T) {
	domaintest.IntentsStayWithSubject(t, Domain, domaintest.SubjectOptions{
		Unknown: "no-such-patron",
		ActsFor: func(env *domains.Env, a task.Call) any {
			guest, _ := a.Arguments.Get("guest_ref")
			switch a.Name {
			case "find_patron_ref_by_email", "find_patron_ref_by_name_zip":
				guest = env.Call(a.Name, a.Arguments).Output
			}
			if ref, ok := a.Arguments.Get("ticket_ref"); ok {
				if tk, found := db(env).ServiceTickets.Get(ref.(string)); found {
					guest = tk.GuestRef
				}
			}
			return guest
		},
	})
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }

func BenchmarkDraft(b *testing.B) { domaintest.BenchmarkDraft(b, Domain) }
