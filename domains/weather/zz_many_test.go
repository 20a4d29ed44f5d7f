package weather

import (
	"testing"

	"github.com/toolscale/toolscale/domains"
)

func TestZZMany(t *testing.T) {
	for seed := int64(10); seed < 22; seed++ {
		db, err := Generate(domains.Rand(seed, Domain.Name, 0, "db"), 1)
		if err != nil {
			t.Fatal(err)
		}
		tasks, rej := synthesizeAll(t, db, seed, 300)
		t.Logf("seed %d: %d verified; %s", seed, len(tasks), rejectionSummary(rej))
	}
}
