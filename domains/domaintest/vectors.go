package domaintest

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// Vectors replays the reference vectors of domain d (VECTORS.md) and compares every call's
// ok, output, error and content, the final database and both hashes.
func Vectors(t *testing.T, d *domains.Domain) {
	dir := filepath.Join(ReferenceDir(t), d.Name, "vectors")
	calls, err := domains.ParseCalls(mustRead(t, filepath.Join(dir, "calls.json")))
	if err != nil {
		t.Fatal(err)
	}
	want := mustParse(t, mustRead(t, filepath.Join(dir, "expected.json"))).(*py.Object)
	db := LoadReference(t, d)
	before, err := domains.Hash(db)
	if err != nil {
		t.Fatal(err)
	}
	env := domains.NewEnv(d, db, domains.DefaultNow)
	steps := env.Replay(calls)
	wantCalls, _ := want.Get("calls")
	for i, wc := range wantCalls.([]any) {
		w := wc.(*py.Object)
		got := steps[i]
		wok, _ := w.Get("ok")
		wcontent, _ := w.Get("content")
		werr, _ := w.Get("error")
		prefix := got.Name + " #" + itoa(i)
		if got.OK != wok.(bool) {
			t.Errorf("%s: ok = %v, want %v\n got content: %s\nwant content: %s", prefix, got.OK, wok, got.Content, wcontent)
			continue
		}
		if !got.OK {
			if es, _ := werr.(string); isPydantic(es) {
				continue // only the failure itself must match (VECTORS.md)
			}
			if got.Content != wcontent.(string) {
				t.Errorf("%s: content\n got: %s\nwant: %s", prefix, got.Content, wcontent)
			}
			if *got.Error != werr.(string) {
				t.Errorf("%s: error\n got: %s\nwant: %s", prefix, *got.Error, werr)
			}
			continue
		}
		if got.Content != wcontent.(string) {
			t.Errorf("%s: content\n got: %s\nwant: %s", prefix, got.Content, wcontent)
		}
		out, err := py.Marshal(got.Output, py.Output)
		if err != nil {
			t.Errorf("%s: encode output: %v", prefix, err)
			continue
		}
		wout, _ := w.Get("output")
		if !Equal(mustParse(t, out), wout) {
			wb, _ := py.Marshal(wout, py.Output)
			t.Errorf("%s: output\n got: %s\nwant: %s", prefix, clip(out), clip(wb))
		}
	}
	h, err := domains.Hash(env.DB)
	if err != nil {
		t.Fatal(err)
	}
	if wantFinal, ok := want.Get("final_db"); ok {
		out, err := domains.Encode(env.DB, py.File)
		if err != nil {
			t.Fatal(err)
		}
		if !Equal(mustParse(t, out), wantFinal) {
			t.Errorf("final database differs from the reference's")
		}
	}
	if w, _ := want.Get("final_db_sha256"); h.SHA256 != w {
		t.Errorf("final_db_sha256 = %s, want %s", h.SHA256, w)
	}
	if w, _ := want.Get("tau2_db_hash"); h.Tau2 != w {
		t.Errorf("tau2_db_hash = %s, want %s", h.Tau2, w)
	}
	// The environment worked on a fork: the loaded database must be untouched.
	after, err := domains.Hash(db)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("replay changed the source database (a tool changed a record without Mut)")
	}
	canon, _ := domains.Encode(env.DB, py.Canonical)
	if sum := sha256.Sum256(canon); hex.EncodeToString(sum[:]) != h.SHA256 {
		t.Errorf("Hash and Encode disagree")
	}
}

func isPydantic(msg string) bool {
	first, _, _ := strings.Cut(msg, "\n")
	return strings.Contains(first, "validation error") && strings.Contains(first, " for ")
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
