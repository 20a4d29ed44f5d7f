package domains

import (
	"testing"

	"github.com/toolscale/toolscale/domains/py"
)

// FuzzDecode feeds arbitrary bytes to the database decoder: it must return a database or an
// error, never panic, and a database it accepts must encode and decode to the same hashes.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(toyJSON))
	f.Add([]byte(`{"clients": {}}`))
	f.Add([]byte(`{"clients": {"C1": {"client_id": "C1", "name": "x", "date-of-birth": "", "age": "7", "accounts": {"A": {"id": "A", "status": "active", "balance": "1e3"}}}}}`))
	f.Add([]byte(`{"clients": {"C1": {"client_id": 1}}}`))
	f.Add([]byte(`[1, 2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		db, err := Decode(toy, data)
		if err != nil {
			return
		}
		h1, err := Hash(db)
		if err != nil {
			t.Fatalf("hash of an accepted database: %v", err)
		}
		out, err := Encode(db, py.File)
		if err != nil {
			t.Fatalf("encode of an accepted database: %v", err)
		}
		db2, err := Decode(toy, out)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", out, err)
		}
		if h2, _ := Hash(db2); h1 != h2 {
			t.Fatalf("hashes differ after a round trip of %s", data)
		}
	})
}
