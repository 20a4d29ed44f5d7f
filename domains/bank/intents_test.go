package bank

import (
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// The reference database has no client with accounts in two currencies, so
		// refuse_cross_currency never fits it; the other writes all appear.
		ReferenceMinVerified: 0.8,
		ReferenceWrites:      8,
	})
}

// TestIntentsStayWithSubject: every client id a chained draft passes to a tool, or finds by
// email, is the caller's; status changes follow only requests that changed nothing.
func TestIntentsStayWithSubject(t *testing.T) {
	domaintest.IntentsStayWithSubject(t, Domain, domaintest.SubjectOptions{
		FirstOnly: []string{"freeze_lost_card", "unfreeze_found_card", "freeze_account", "unfreeze_account"},
		Unknown:   "no-such-client",
		ActsFor: func(env *domains.Env, a task.Call) any {
			id, _ := a.Arguments.Get("client_id")
			if a.Name == "find_client_id_by_email" {
				id = env.Call(a.Name, a.Arguments).Output
			}
			return id
		},
	})
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }

func BenchmarkDraft(b *testing.B) { domaintest.BenchmarkDraft(b, Domain) }
