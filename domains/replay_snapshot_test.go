package domains

import (
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains/py"
)

// TestReplaySnapshotsOutputs checks that a step keeps the output as it was returned, even
// when a later call of the same replay changes the record it points to.
func TestReplaySnapshotsOutputs(t *testing.T) {
	db, err := Decode(toy, []byte(toyJSON))
	if err != nil {
		t.Fatal(err)
	}
	calls, err := ParseCalls([]byte(`[
		{"name": "freeze_account", "arguments": {"client_id": "C1", "account_id": "A1", "reason": "x"}},
		{"name": "get_client", "arguments": {"client_id": "C1"}},
		{"name": "freeze_account", "arguments": {"client_id": "C1", "account_id": "A2", "reason": "y"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	steps := NewEnv(toy, db, DefaultNow).Replay(calls)
	out, err := py.Marshal(steps[1].Output, py.Output)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"A2":{"id":"A2","status":"active"`) {
		t.Errorf("step 1 output shows a later change: %s", out)
	}
}

func TestCloneNilInterface(t *testing.T) {
	var v any
	if got := Clone(v); got != nil {
		t.Errorf("Clone(nil any) = %v; want nil", got)
	}
}
