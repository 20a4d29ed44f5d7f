package weather

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/domaintest"
	"github.com/toolscale/toolscale/domains/py"
)

const diffName = "wx"

func TestDiffTmp(t *testing.T) {
	data, err := os.ReadFile("/tmp/ref/"+diffName+"_calls.json")
	if err != nil {
		t.Skip()
	}
	calls, err := domains.ParseCalls(data)
	if err != nil {
		t.Fatal(err)
	}
	var src domains.DB
	if p := os.Getenv("DIFF_DB"); p != "" {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if src, err = domains.Decode(Domain, raw); err != nil {
			t.Fatal(err)
		}
	} else {
		src = domaintest.LoadReference(t, Domain)
	}
	env := domains.NewEnv(Domain, src, domains.DefaultNow)
	buf := []byte(`{"calls": [`)
	for i, c := range calls {
		r := env.Call(c.Name, c.Arguments)
		if i > 0 {
			buf = append(buf, ',')
		}
		if r.OK() {
			out, err := py.Marshal(r.Output, py.Output)
			if err != nil {
				t.Fatal(err)
			}
			buf = append(buf, `{"ok": true, "error": null, "output": `...)
			buf = append(buf, out...)
			buf = append(buf, '}')
		} else {
			e, _ := json.Marshal(r.Err.Error())
			buf = append(buf, `{"ok": false, "output": null, "error": `...)
			buf = append(buf, e...)
			buf = append(buf, '}')
		}
	}
	final, _ := domains.Encode(env.DB, py.Output)
	buf = append(buf, `], "final": `...)
	buf = append(buf, final...)
	buf = append(buf, '}')
	os.WriteFile("/tmp/ref/"+diffName+"_go.json", buf, 0o644)
}

func TestDumpGenTmp(t *testing.T) {
	p := os.Getenv("GEN_OUT")
	if p == "" {
		t.Skip()
	}
	db, err := Generate(domains.Rand(42, Domain.Name, 0, "db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := domains.Encode(db, py.File)
	os.WriteFile(p, out, 0o644)
}
