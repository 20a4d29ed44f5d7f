package synth

import (
	"slices"
	"testing"
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
