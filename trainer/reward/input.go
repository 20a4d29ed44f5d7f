package reward

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Errors an *InputError wraps; test for them with errors.Is.
var (
	ErrMissing     = errors.New("missing")
	ErrNegative    = errors.New("must not be negative")
	ErrNotFinite   = errors.New("must be a finite number")
	ErrOutcome     = errors.New("unknown outcome value")
	ErrDuplicateID = errors.New("duplicate id")
	ErrCount       = errors.New("tool call count must be a non-negative integer")
)

// An InputError reports a bad value in the reward input, by position.
type InputError struct {
	Group   int    // index in "groups"; -1 when not known
	Rollout int    // index in the group's "rollouts"; -1 when the error is about the group
	Field   string // JSON field, e.g. "cost" or "tool_calls.search-1"; empty for the whole element
	Err     error
}

// Error prints the position as a JSON path, e.g. "groups[3].rollouts[2].cost: must not be negative, got -1".
func (e *InputError) Error() string {
	var parts []string
	if e.Group >= 0 {
		parts = append(parts, fmt.Sprintf("groups[%d]", e.Group))
	}
	if e.Rollout >= 0 {
		parts = append(parts, fmt.Sprintf("rollouts[%d]", e.Rollout))
	}
	if e.Field != "" {
		parts = append(parts, e.Field)
	}
	if len(parts) == 0 {
		return e.Err.Error()
	}
	return strings.Join(parts, ".") + ": " + e.Err.Error()
}

func (e *InputError) Unwrap() error { return e.Err }

// atGroup sets the group index of an *InputError; other errors are returned as they are.
func atGroup(err error, group int) error {
	var ie *InputError
	if errors.As(err, &ie) {
		c := *ie
		c.Group = group
		return &c
	}
	return err
}

// validateGroup checks the values of a group that Compute relies on. When several values are
// bad it reports the first in rollout order, and within a map the smallest key.
func validateGroup(g Group) error {
	if g.ID == "" {
		return &InputError{Group: -1, Rollout: -1, Field: "id", Err: ErrMissing}
	}
	if k, err := firstBad(g.Preference, checkWeight); err != nil {
		return &InputError{Group: -1, Rollout: -1, Field: "preference." + k, Err: err}
	}
	var seen map[string]int
	for i, r := range g.Rollouts {
		if field, err := validateRollout(r); err != nil {
			return &InputError{Group: -1, Rollout: i, Field: field, Err: err}
		}
		if prev, dup := seen[r.ID]; dup {
			return &InputError{Group: -1, Rollout: i, Field: "id",
				Err: fmt.Errorf("%w %q (also rollouts[%d])", ErrDuplicateID, r.ID, prev)}
		}
		if seen == nil {
			seen = make(map[string]int, len(g.Rollouts))
		}
		seen[r.ID] = i
	}
	return nil
}

func validateRollout(r Rollout) (field string, err error) {
	if r.ID == "" {
		return "id", ErrMissing
	}
	if r.Outcome != 0 && r.Outcome != 1 {
		return "outcome", fmt.Errorf("%w %d, want 0 or 1", ErrOutcome, r.Outcome)
	}
	if err := checkAmount(r.Cost); err != nil {
		return "cost", err
	}
	if err := checkAmount(r.Latency); err != nil {
		return "latency", err
	}
	if k, err := firstBad(r.ToolCalls, checkCount); err != nil {
		return "tool_calls." + k, err
	}
	return "", nil
}

func checkWeight(w float64) error { return checkAmount(w) }

func checkAmount(x float64) error {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Errorf("%w, got %v", ErrNotFinite, x)
	case x < 0:
		return fmt.Errorf("%w, got %v", ErrNegative, x)
	}
	return nil
}

func checkCount(n int) error {
	if n < 0 {
		return fmt.Errorf("%w, got %d", ErrCount, n)
	}
	return nil
}

// firstBad returns the smallest key of m whose value check rejects, and the error. It sorts
// only when some value is bad, so that the common case does not allocate.
func firstBad[V any](m map[string]V, check func(V) error) (string, error) {
	bad := false
	for _, v := range m {
		if check(v) != nil {
			bad = true
			break
		}
	}
	if !bad {
		return "", nil
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := check(m[k]); err != nil {
			return k, err
		}
	}
	return "", nil
}

// The wire types mirror Input with every field optional, so that a missing field is told
// apart from a zero one.
type (
	wireInput struct {
		Groups *[]json.RawMessage `json:"groups"`
	}
	wireGroup struct {
		ID         *string                    `json:"id"`
		Preference map[string]json.RawMessage `json:"preference"`
		Rollouts   *[]json.RawMessage         `json:"rollouts"`
	}
	wireRollout struct {
		ID          *string                `json:"id"`
		Outcome     json.RawMessage        `json:"outcome"`
		ToolCalls   map[string]json.Number `json:"tool_calls"`
		Cost        *float64               `json:"cost"`
		Latency     *float64               `json:"latency"`
		ValidAnswer *bool                  `json:"valid_answer"`
		FormatOK    *bool                  `json:"format_ok"`
	}
)

// Decode reads an Input document. Every field is required except a rollout's tool_calls;
// unknown fields are ignored. A bad or missing value gives an *InputError naming the group,
// the rollout and the field; values are checked as Compute checks them.
func Decode(r io.Reader) (Input, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Input{}, fmt.Errorf("read reward input: %w", err)
	}
	var w wireInput
	if err := strictUnmarshal(data, &w); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return Input{}, fmt.Errorf("decode reward input at byte %d: %w", se.Offset, err)
		}
		return Input{}, fmt.Errorf("decode reward input: %w", typeError(err))
	}
	if w.Groups == nil {
		return Input{}, &InputError{Group: -1, Rollout: -1, Field: "groups", Err: ErrMissing}
	}
	in := Input{Groups: make([]Group, len(*w.Groups))}
	for gi, raw := range *w.Groups {
		g, err := decodeGroup(raw)
		if err != nil {
			return Input{}, atGroup(err, gi)
		}
		if err := validateGroup(g); err != nil {
			return Input{}, atGroup(err, gi)
		}
		in.Groups[gi] = g
	}
	return in, nil
}

// strictUnmarshal is json.Unmarshal that also rejects a null document.
func strictUnmarshal(data []byte, v any) error {
	if t := bytes.TrimSpace(data); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return errors.New("want a JSON object, got nothing")
	}
	return json.Unmarshal(data, v)
}

func decodeGroup(raw json.RawMessage) (Group, error) {
	gErr := func(field string, err error) error {
		return &InputError{Group: -1, Rollout: -1, Field: field, Err: err}
	}
	var w wireGroup
	if err := strictUnmarshal(raw, &w); err != nil {
		return Group{}, gErr(typeErrorField(err), typeError(err))
	}
	switch {
	case w.ID == nil:
		return Group{}, gErr("id", ErrMissing)
	case w.Preference == nil:
		return Group{}, gErr("preference", ErrMissing)
	case w.Rollouts == nil:
		return Group{}, gErr("rollouts", ErrMissing)
	}
	g := Group{ID: *w.ID, Preference: make(map[string]float64, len(w.Preference)), Rollouts: make([]Rollout, len(*w.Rollouts))}
	for _, k := range slices.Sorted(maps.Keys(w.Preference)) {
		raw := bytes.TrimSpace(w.Preference[k])
		x := parseNumber(string(raw))
		if math.IsNaN(x) {
			return Group{}, gErr("preference."+k, fmt.Errorf("got JSON %s, want a number", raw))
		}
		g.Preference[k] = x
	}
	for ri, raw := range *w.Rollouts {
		r, err := decodeRollout(raw)
		if err != nil {
			var ie *InputError
			if errors.As(err, &ie) {
				ie.Rollout = ri
			}
			return Group{}, err
		}
		g.Rollouts[ri] = r
	}
	return g, nil
}

func decodeRollout(raw json.RawMessage) (Rollout, error) {
	rErr := func(field string, err error) error {
		return &InputError{Group: -1, Rollout: -1, Field: field, Err: err}
	}
	var w wireRollout
	if err := strictUnmarshal(raw, &w); err != nil {
		return Rollout{}, rErr(typeErrorField(err), typeError(err))
	}
	switch {
	case w.ID == nil:
		return Rollout{}, rErr("id", ErrMissing)
	case w.Outcome == nil:
		return Rollout{}, rErr("outcome", ErrMissing)
	case w.Cost == nil:
		return Rollout{}, rErr("cost", ErrMissing)
	case w.Latency == nil:
		return Rollout{}, rErr("latency", ErrMissing)
	case w.ValidAnswer == nil:
		return Rollout{}, rErr("valid_answer", ErrMissing)
	case w.FormatOK == nil:
		return Rollout{}, rErr("format_ok", ErrMissing)
	}
	r := Rollout{ID: *w.ID, Cost: *w.Cost, Latency: *w.Latency, ValidAnswer: *w.ValidAnswer, FormatOK: *w.FormatOK}
	switch o := string(bytes.TrimSpace(w.Outcome)); parseNumber(o) {
	case 0:
		r.Outcome = 0
	case 1:
		r.Outcome = 1
	default:
		return Rollout{}, rErr("outcome", fmt.Errorf("%w %s, want 0 or 1", ErrOutcome, o))
	}
	if len(w.ToolCalls) > 0 {
		r.ToolCalls = make(map[string]int, len(w.ToolCalls))
		for _, a := range slices.Sorted(maps.Keys(w.ToolCalls)) {
			n := w.ToolCalls[a]
			x, err := strconv.ParseFloat(string(n), 64)
			if err != nil || x < 0 || x != math.Trunc(x) || x > math.MaxInt32 {
				return Rollout{}, rErr("tool_calls."+a, fmt.Errorf("%w, got %s", ErrCount, n))
			}
			r.ToolCalls[a] = int(x)
		}
	}
	return r, nil
}

// parseNumber returns the value of a JSON number, or NaN for anything else.
func parseNumber(s string) float64 {
	if s == "" || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) {
		return math.NaN()
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// typeErrorField returns the field a json.UnmarshalTypeError names, or "".
func typeErrorField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}

// typeError rephrases a json.UnmarshalTypeError without Go type names.
func typeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("got JSON %s, want %s", te.Value, jsonKind(te.Type.Kind().String()))
	}
	return err
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "float64", "int", "int64":
		return "a number"
	case "map", "struct", "ptr":
		return "an object"
	case "slice":
		return "an array"
	}
	return goKind
}
