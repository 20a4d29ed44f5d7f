package weather

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

func TestISOFuzzTmp(t *testing.T) {
	data, err := os.ReadFile("/tmp/wx/iso.json")
	if err != nil {
		t.Skip()
	}
	var rows [][]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&rows); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, r := range rows {
		s := r[0].(string)
		st, ok := fromISOFormat(s)
		if r[1] == nil {
			if ok {
				bad++
				if bad < 30 {
					t.Errorf("%q: got valid %v, want invalid", s, st)
				}
			}
			continue
		}
		want, _ := r[2].(json.Number).Int64()
		if !ok || st.aware != r[1].(bool) || st.us != want {
			bad++
			if bad < 30 {
				t.Errorf("%q: got %v %v, want %v %v", s, st, ok, r[1], want)
			}
		}
	}
	t.Logf("%d rows, %d bad", len(rows), bad)
}
