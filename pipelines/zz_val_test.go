package pipelines

import (
	"encoding/json"
	"os"
	"bufio"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/schemas"
)

func BenchmarkZZValidate(b *testing.B) {
	f, _ := os.Open("/tmp/tsdebug/shards/records-00000-of-00004.jsonl")
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	sc.Scan()
	line := sc.Bytes()
	var r dataset.Record
	json.Unmarshal(line, &r)
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			schemas.ValidateJSON("record", line)
		}
	})
	r2 := r
	r2.Example = json.RawMessage("{}")
	b.Run("noexample", func(b *testing.B) {
		for b.Loop() {
			l, _ := json.Marshal(&r2)
			schemas.ValidateJSON("record", l)
		}
	})
	b.Run("marshal", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(&r)
		}
	})
	b.Logf("%d bytes", len(line))
}
