package restaurant

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/pipelines/synth"
)

func TestZZDump(t *testing.T) {
	db, _ := Generate(domains.Rand(1, Domain.Name, 0, "db"), 1)
	opt := synth.Options{Seed: 1, Scale: 1, MaxDifficulty: 2, Now: domains.DefaultNow}
	var out []any
	for i := range int64(60) {
		tk, rej := synth.Synthesize(Domain, db, "db.json", fmt.Sprint(i), i, opt)
		if rej == nil {
			out = append(out, tk)
		}
	}
	b, _ := json.MarshalIndent(out, "", " ")
	os.WriteFile(os.Getenv("DUMP"), b, 0o644)
}
