package weather

import (
	"errors"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestIntents(t *testing.T) { domaintest.Intents(t, Domain, domaintest.IntentOptions{}) }

// TestIntentsStayWithSubject drafts each template once for a new caller and again for that
// caller and for callers of the other kind: a draft keeps its caller, members of the public
// record no verifications, anyone may ask about the weather, and a correction of a recorded
// verification follows only requests that changed nothing.
func TestIntentsStayWithSubject(t *testing.T) {
	db, err := Generate(domains.Rand(4, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	writes := func(calls []string) bool {
		for _, c := range calls {
			if Domain.Tool(c).Kind == domains.Write {
				return true
			}
		}
		return false
	}
	for _, in := range Domain.Intents {
		chained := 0
		for i := range int64(8) {
			dr, err := in.Draft(domains.Rand(4, Domain.Name, i, "first"), domains.NewEnv(Domain, db, domains.DefaultNow))
			if errors.Is(err, domains.ErrNoCandidate) {
				continue // a window with too many entries, say
			}
			if err != nil {
				t.Fatalf("%s: %v", in.Name, err)
			}
			var names []string
			for _, a := range dr.Actions {
				names = append(names, a.Name)
			}
			staff := writes(names)
			if want := map[bool]string{true: "staff/", false: "public/"}[staff]; !strings.HasPrefix(dr.Subject, want) {
				t.Errorf("%s: subject %q, want one starting with %s", in.Name, dr.Subject, want)
			}
			for _, subject := range []string{dr.Subject, "staff/Ada Okafor", "public/Ada Okafor", "Ada Okafor"} {
				// The next request sees what the first one changed, as in the evolve step.
				env := domains.NewEnv(Domain, db, domains.DefaultNow)
				for _, a := range dr.Actions {
					env.Exec(a.Name, a.Arguments)
				}
				env.Subject = subject
				changed, _ := domains.Touched(env.DB)
				again, err := in.Draft(domains.Rand(4, Domain.Name, i, "again"), env)
				want := strings.HasPrefix(subject, "staff/") || strings.HasPrefix(subject, "public/") && !staff
				if in.Name == "revise_verification" && len(changed) > 0 {
					want = false
				}
				switch {
				case want && errors.Is(err, domains.ErrNoCandidate):
				case want && err != nil:
					t.Errorf("%s for %s: %v", in.Name, subject, err)
				case want && again.Subject != subject:
					t.Errorf("%s: drafted for %s, want %s", in.Name, again.Subject, subject)
				case want:
					chained++
				case !want && !errors.Is(err, domains.ErrNoCandidate):
					t.Errorf("%s for %s: %v, want ErrNoCandidate", in.Name, subject, err)
				}
			}
		}
		if chained == 0 && in.Name != "revise_verification" {
			t.Errorf("%s: no draft for the subject of an earlier draft", in.Name)
		}
	}
}

func BenchmarkSynthesize(b *testing.B) { domaintest.BenchmarkSynthesize(b, Domain) }

func BenchmarkDraft(b *testing.B) { domaintest.BenchmarkDraft(b, Domain) }
