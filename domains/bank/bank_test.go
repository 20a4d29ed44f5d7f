package bank

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestDomain(t *testing.T) { domaintest.Run(t, Domain) }

// BenchmarkReplayVectors replays the 91 reference vector calls on a fork of the reference
// database and hashes the result, as verifying a task does.
func BenchmarkReplayVectors(b *testing.B) {
	dir := domaintest.ReferenceDir(b)
	data, err := os.ReadFile(filepath.Join(dir, "bank", "vectors", "calls.json"))
	if err != nil {
		b.Fatal(err)
	}
	calls, err := domains.ParseCalls(data)
	if err != nil {
		b.Fatal(err)
	}
	db := domaintest.LoadReference(b, Domain)
	b.ReportAllocs()
	for b.Loop() {
		e := domains.NewEnv(Domain, db, domains.DefaultNow)
		e.Replay(calls)
		if _, err := domains.Hash(e.DB); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replays/s")
}
