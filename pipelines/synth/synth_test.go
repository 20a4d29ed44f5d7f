package synth

import (
	"slices"
	"testing"

	"github.com/toolscale/toolscale/domains"
	_ "github.com/toolscale/toolscale/domains/bank"
	"github.com/toolscale/toolscale/domains/task"
)

func TestJoinNew(t *testing.T) {
	for _, tt := range []struct{ a, b, want string }{
		{"", "You are Ann. Your email is a@b.c.", "You are Ann. Your email is a@b.c."},
		{"You are Ann. Your email is a@b.c.", "Your email is a@b.c. The amount is 12.50 EUR.",
			"You are Ann. Your email is a@b.c. The amount is 12.50 EUR."},
		{"You know the id.", "You know the id.", "You know the id."},
		{"Is it open? Yes!", "Is it open? No", "Is it open? Yes! No"},
	} {
		if got := joinNew(tt.a, tt.b); got != tt.want {
			t.Errorf("joinNew(%q, %q) = %q; want %q", tt.a, tt.b, got, tt.want)
		}
	}
	if got := sentences("Pay 1.5 EUR. Then stop.  Done"); !slices.Equal(got, []string{"Pay 1.5 EUR.", "Then stop.", "Done"}) {
		t.Errorf("sentences = %q", got)
	}
}

func TestDropRepeatedReads(t *testing.T) {
	d, err := domains.Lookup("bank")
	if err != nil {
		t.Skip("bank is not registered")
	}
	find := task.NewCall("find_client_id_by_email", "email", "a@b.c")
	other := task.NewCall("find_client_id_by_email", "email", "x@y.z")
	freeze := task.NewCall("freeze_card", "card_id", "CARD-1")
	calc := task.NewCall("calculate", "expression", "1 + 1")
	got := dropRepeatedReads(d, []task.Call{find, other, calc, find, freeze, find, find, calc})
	want := []task.Call{find, other, calc, freeze, find, calc}
	if !slices.EqualFunc(got, want, func(a, b task.Call) bool { return a.Name == b.Name && a.Arguments == b.Arguments }) {
		var names []string
		for _, c := range got {
			names = append(names, c.Name)
		}
		t.Errorf("dropRepeatedReads kept %v; want a READ dropped only where it repeats one since the last WRITE", names)
	}
}
