package domains

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// bigToy returns a frozen toy database with n clients, large enough for many checkpoints.
func bigToy(t testing.TB, n int) DB {
	db := &toyDB{Clients: &Table[toyClient]{}}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("C%05d", (i*7919)%n)
		c := &toyClient{ID: id, Name: "Zoë " + id, Born: "1990-01-01", Age: int64(i % 90), Tags: []string{"a"}}
		for j := 0; j < 3; j++ {
			aid := fmt.Sprintf("%s-A%d", id, j)
			c.Accounts.Set(aid, &toyAccount{ID: aid, Status: "active", Balance: float64(i*j) + 0.5})
		}
		db.Clients.Put(id, c)
	}
	if err := Freeze(db); err != nil {
		t.Fatal(err)
	}
	return db
}

// The checkpointed hash of a fork must equal the hash of its whole encoding, wherever the
// fork changed, added or deleted records.
func TestCheckpointedHash(t *testing.T) {
	base := bigToy(t, 600)
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 60; trial++ {
		db := Fork(base).(*toyDB)
		for k := 0; k < 1+r.IntN(4); k++ {
			id := fmt.Sprintf("C%05d", r.IntN(650))
			switch r.IntN(3) {
			case 0:
				if c, ok := db.Clients.Mut(id); ok {
					c.Age++
				}
			case 1:
				db.Clients.Put(id, &toyClient{ID: id, Name: "new", Tags: []string{}})
			case 2:
				db.Clients.Delete(id)
			}
		}
		got, err := Hash(db)
		if err != nil {
			t.Fatal(err)
		}
		want, err := hashFull(db)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("trial %d: checkpointed hash %v, full hash %v", trial, got, want)
		}
	}
	if got, _ := Hash(Fork(base)); got != mustFull(t, base) {
		t.Errorf("unchanged fork hash differs")
	}
}

func mustFull(t testing.TB, db DB) Hashes {
	h, err := hashFull(db)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func BenchmarkHashFork(b *testing.B) {
	base := bigToy(b, 3000)
	db := Fork(base).(*toyDB)
	c, _ := db.Clients.Mut("C01500")
	c.Age++
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Hash(db); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHashFull(b *testing.B) {
	base := bigToy(b, 3000)
	db := Fork(base).(*toyDB)
	c, _ := db.Clients.Mut("C01500")
	c.Age++
	b.ReportAllocs()
	for b.Loop() {
		if _, err := hashFull(db); err != nil {
			b.Fatal(err)
		}
	}
}
