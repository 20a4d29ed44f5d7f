package ecommerce

import (
	"fmt"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/task"
)

func TestIntents(t *testing.T) {
	domaintest.Intents(t, Domain, domaintest.IntentOptions{
		// The reference holds no pending order, no order with a return or exchange
		// requested and one credit card per account: six templates of 15 find nothing
		// there, and only three WRITE tools (address, return, exchange) have a record.
		ReferenceMinVerified: 0.55,
		ReferenceWrites:      3,
	})
}

// TestIntentsSubject checks that a template drafted for a subject drafts for that account
// alone, without identifying the caller again and touching only their orders, or has
// nothing for them.
func TestIntentsSubject(t *testing.T) {
	domaintest.IntentsForSubject(t, Domain, func(db domains.DB) []string {
		var keys []string
		for k := range db.(*DB).Accounts.All() {
			keys = append(keys, k)
			if len(keys) == 8 {
				break
			}
		}
		return keys
	}, func(db domains.DB, key string, a task.Call) string {
		switch a.Name {
		case "find_account_key_by_email", "find_account_key_by_name_zip":
			return "identifies the caller again with " + a.Name
		}
		if v, ok := a.Arguments.Get("account_key"); ok && v != key {
			return fmt.Sprintf("%s on account %v", a.Name, v)
		}
		if v, ok := a.Arguments.Get("sale_ref"); ok {
			if s, found := db.(*DB).Sales.Get(v.(string)); !found || s.AccountKey != key {
				return fmt.Sprintf("%s on order %v of another account", a.Name, v)
			}
		}
		return ""
	})
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }
