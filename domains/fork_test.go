package domains

import (
	"testing"

	"github.com/toolscale/toolscale/domains/py"
)

// TestForkOfChangedTable checks that forking a database a tool already changed gives a
// fork that later changes of the original do not reach.
func TestForkOfChangedTable(t *testing.T) {
	db, err := Decode(toy, []byte(toyJSON))
	if err != nil {
		t.Fatal(err)
	}
	env := NewEnv(toy, db, DefaultNow)
	call := func(account string) {
		args, _ := py.Parse([]byte(`{"client_id": "C1", "account_id": "` + account + `", "reason": "x"}`))
		if r := env.Call("freeze_account", args.(*py.Object)); !r.OK() {
			t.Fatal(r.Err)
		}
	}
	call("A1")
	child := Fork(env.DB)
	before, _ := Hash(child)
	call("A2")
	if after, _ := Hash(child); after != before {
		t.Errorf("a change made to the original after Fork reached the fork")
	}
	if h, _ := Hash(env.DB); h == before {
		t.Errorf("the original did not change")
	}
}

// A fork of a changed fork still lists the parent's changes as touched, and hashes like a
// full encoding of its records.
func TestForkKeepsChanges(t *testing.T) {
	db, err := Decode(toy, []byte(toyJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := Freeze(db); err != nil {
		t.Fatal(err)
	}
	env := NewEnv(toy, db, DefaultNow)
	args, _ := py.Parse([]byte(`{"client_id": "C1", "account_id": "A1", "reason": "x"}`))
	if r := env.Call("freeze_account", args.(*py.Object)); !r.OK() {
		t.Fatal(r.Err)
	}
	want, err := Touched(env.DB)
	if err != nil || len(want) == 0 {
		t.Fatalf("Touched(parent) = %v, %v", want, err)
	}
	child := Fork(env.DB)
	got, err := Touched(child)
	if err != nil || len(got) != len(want) || got[0] != want[0] {
		t.Errorf("Touched(fork of a changed fork) = %v, %v; want %v", got, err, want)
	}
	h, err := Hash(child)
	if err != nil {
		t.Fatal(err)
	}
	if full, _ := hashFull(child); h != full {
		t.Errorf("hash of the fork %v, full encoding %v", h, full)
	}
}
