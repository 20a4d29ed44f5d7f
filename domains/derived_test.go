package domains

import (
	"strings"
	"testing"
)

func TestDerived(t *testing.T) {
	base := bigToy(t, 20)
	builds := 0
	count := func(db DB) func() *int {
		return func() *int {
			builds++
			n := db.(*toyDB).Clients.Len()
			return &n
		}
	}
	a, b := Fork(base), Fork(base)
	ra, okA := Derived(a, "count", count(a))
	rb, okB := Derived(b, "count", count(b))
	if !okA || !okB || ra != rb || builds != 1 || *ra != 20 {
		t.Errorf("two unchanged forks: results %p and %p, %d builds; want one shared result", ra, rb, builds)
	}
	if ro, _ := Derived(base, "other", count(base)); ro == ra || builds != 2 {
		t.Errorf("another name shared the first one's result")
	}
	changed := Fork(base).(*toyDB)
	changed.Clients.Put("new", &toyClient{ID: "new"})
	if _, ok := Derived(changed, "count", count(changed)); ok || builds != 2 {
		t.Errorf("a changed fork: ok = %v after %d builds; want false without a build", ok, builds)
	}
	loose := &toyDB{Clients: &Table[toyClient]{}}
	loose.Clients.Put("x", &toyClient{ID: "x"})
	if _, ok := Derived(loose, "count", count(loose)); ok || builds != 2 {
		t.Errorf("a database that is not frozen: ok = %v after %d builds; want false without a build", ok, builds)
	}
}

func TestSameLower(t *testing.T) {
	for _, c := range [][2]string{{"A@x.io", "a@X.IO"}, {"a@x.io", "a@x.io "}, {"Zoë@x", "ZOË@X"}, {"ς@x", "σ@x"}, {"K@x", "\u212a@x"}, {"", ""}} {
		if got, want := sameLower(c[0], c[1]), strings.ToLower(c[0]) == strings.ToLower(c[1]); got != want {
			t.Errorf("sameLower(%q, %q) = %v, want %v", c[0], c[1], got, want)
		}
	}
}

// UniqueLower answers the same from its shared index (an unchanged fork) and from a scan (a
// changed one).
func TestUniqueLower(t *testing.T) {
	base := bigToy(t, 30)
	changed := Fork(base).(*toyDB)
	changed.Clients.Put("extra", &toyClient{ID: "extra", Name: "zoë c00007"})
	for _, db := range []*toyDB{Fork(base).(*toyDB), changed} {
		name := func(c *toyClient) string { return c.Name }
		if !UniqueLower(db, "names", db.Clients.Values(), name, "ZOË C00003") {
			t.Errorf("a name one client has is not unique")
		}
		if UniqueLower(db, "names", db.Clients.Values(), name, "nobody") {
			t.Errorf("a name no client has is unique")
		}
	}
	if UniqueLower(changed, "names", changed.Clients.Values(), func(c *toyClient) string { return c.Name }, "Zoë C00007") {
		t.Errorf("a name two clients share (in lower case) is unique")
	}
}
