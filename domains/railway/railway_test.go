package railway

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
)

func TestDomain(t *testing.T) { domaintest.Run(t, Domain) }

// BenchmarkReplayVectors replays the reference call sequence on a fresh fork of the
// reference database and hashes the result, as verifying one task does.
func BenchmarkReplayVectors(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(domaintest.ReferenceDir(b), "railway", "vectors", "calls.json"))
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
		env := domains.NewEnv(Domain, db, domains.DefaultNow)
		env.Replay(calls)
		if _, err := domains.Hash(env.DB); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(calls))/b.Elapsed().Seconds(), "calls/s")
}
