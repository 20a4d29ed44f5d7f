package movie

import (
	"os"
	"strconv"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

// TestZZDiff compares a replay with the transcribed reference's (temporary, not committed).
func TestZZDiff(t *testing.T) {
	dbPath, callsPath, expPath := os.Getenv("DIFF_DB"), os.Getenv("DIFF_CALLS"), os.Getenv("DIFF_EXP")
	if dbPath == "" {
		t.Skip()
	}
	raw, _ := os.ReadFile(dbPath)
	db, err := domains.Decode(Domain, raw)
	if err != nil {
		t.Fatal(err)
	}
	craw, _ := os.ReadFile(callsPath)
	calls, err := domains.ParseCalls(craw)
	if err != nil {
		t.Fatal(err)
	}
	eraw, _ := os.ReadFile(expPath)
	wantV, _ := py.Parse(eraw)
	want := wantV.(*py.Object)
	env := domains.NewEnv(Domain, db, domains.DefaultNow)
	steps := env.Replay(calls)
	wc, _ := want.Get("calls")
	fails := 0
	for i, w := range wc.([]any) {
		wo := w.(*py.Object)
		got := steps[i]
		wok, _ := wo.Get("ok")
		wcontent, _ := wo.Get("content")
		werr, _ := wo.Get("error")
		if got.OK != wok.(bool) {
			t.Errorf("#%d %s %s: ok %v want %v\n got %.300s\nwant %.300s", i, got.Name, mustJSON(got.Arguments), got.OK, wok, got.Content, wcontent)
			fails++
			continue
		}
		if !got.OK {
			es, _ := werr.(string)
			if len(es) > 0 && (contains(es, " validation error")) {
				continue
			}
		}
		if got.Content != wcontent.(string) {
			t.Errorf("#%d %s %s: content\n got %.400s\nwant %.400s", i, got.Name, mustJSON(got.Arguments), got.Content, wcontent)
			fails++
			continue
		}
		if got.OK {
			out, _ := py.Marshal(got.Output, py.Output)
			gv, _ := py.Parse(out)
			wout, _ := wo.Get("output")
			if !domaintest.Equal(gv, wout) {
				t.Errorf("#%d %s: output differs\n got %.300s", i, got.Name, out)
				fails++
			}
		}
		if fails > 20 {
			t.Fatal("too many")
		}
	}
	h, _ := domains.Hash(env.DB)
	if w, _ := want.Get("final_db_sha256"); h.SHA256 != w {
		t.Errorf("final_db_sha256 differs")
	}
	if w, _ := want.Get("tau2_db_hash"); h.Tau2 != w {
		t.Errorf("tau2 hash differs")
	}
	t.Logf("%d calls compared", len(steps))
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func mustJSON(o *py.Object) string {
	b, _ := py.Marshal(o, py.Output)
	return string(b)
}

// TestZZEncode writes a generated database for the differential runs.
func TestZZEncode(t *testing.T) {
	p := os.Getenv("GEN_OUT")
	if p == "" {
		t.Skip()
	}
	seed, _ := strconv.Atoi(os.Getenv("GEN_SEED"))
	db, err := Domain.Generate(domains.Rand(int64(seed), Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := domains.Encode(db, py.File)
	os.WriteFile(p, out, 0o644)
}
