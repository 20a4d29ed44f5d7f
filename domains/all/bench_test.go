package all

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

// TestEveryDomainRegistered checks that the ten domains are here.
func TestEveryDomainRegistered(t *testing.T) {
	want := []string{"bank", "basketball", "ecommerce", "medicine", "movie", "railway", "restaurant", "school", "travel", "weather"}
	got := domains.Names()
	if len(got) != len(want) {
		t.Fatalf("registered %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("registered %v; want %v", got, want)
		}
	}
}

// BenchmarkHashReference hashes each reference database from scratch: both encodings of
// every record, as a task that changed the first record would pay without checkpoints.
func BenchmarkHashReference(b *testing.B) {
	for _, name := range domains.Names() {
		d, _ := domains.Lookup(name)
		b.Run(name, func(b *testing.B) {
			db := domaintest.LoadReference(b, d)
			size := 0
			for b.Loop() {
				c, err := domains.Encode(db, py.Canonical)
				if err != nil {
					b.Fatal(err)
				}
				t, err := domains.Encode(db, py.Tau2)
				if err != nil {
					b.Fatal(err)
				}
				size = len(c) + len(t)
			}
			b.SetBytes(int64(size))
		})
	}
}

// BenchmarkToolCalls replays each domain's reference vectors without hashing: tool calls
// per second, including argument binding and content serialisation.
func BenchmarkToolCalls(b *testing.B) {
	for _, name := range domains.Names() {
		d, _ := domains.Lookup(name)
		b.Run(name, func(b *testing.B) {
			db := domaintest.LoadReference(b, d)
			data, err := os.ReadFile(filepath.Join(domaintest.ReferenceDir(b), name, "vectors", "calls.json"))
			if err != nil {
				b.Fatal(err)
			}
			calls, err := domains.ParseCalls(data)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				domains.NewEnv(d, db, domains.DefaultNow).Replay(calls)
			}
			b.ReportMetric(float64(b.N*len(calls))/b.Elapsed().Seconds(), "calls/s")
		})
	}
}
