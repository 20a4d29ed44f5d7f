package domains

import (
	"reflect"
	"testing"

	"github.com/toolscale/toolscale/domains/py"
)

type cloneLeaf struct {
	Name string
	N    int
}

type cloneRecord struct {
	ID     string
	Leaf   cloneLeaf // flat: copied as it is
	Ptr    *cloneLeaf
	Tags   []string
	Leaves []cloneLeaf
	Ptrs   []*cloneLeaf
	ByKey  map[string]*cloneLeaf
	Extra  *py.Object
	Any    any
	hidden string
}

func TestCloneIsDeep(t *testing.T) {
	orig := &cloneRecord{
		ID: "r", Leaf: cloneLeaf{"a", 1}, Ptr: &cloneLeaf{"b", 2}, Tags: []string{"x"},
		Leaves: []cloneLeaf{{"c", 3}}, Ptrs: []*cloneLeaf{{"d", 4}}, ByKey: map[string]*cloneLeaf{"k": {"e", 5}},
		Extra: py.NewObject("list", []any{"f"}), Any: []any{int64(6)}, hidden: "h",
	}
	c := Clone(orig)
	want := *orig
	want.hidden = ""
	if !reflect.DeepEqual(*c, want) {
		t.Fatalf("Clone = %+v, want %+v", *c, want)
	}
	c.Ptr.N, c.Tags[0], c.Leaves[0].N, c.Ptrs[0].N, c.ByKey["k"].N = 20, "y", 30, 40, 50
	l, _ := c.Extra.Get("list")
	l.([]any)[0] = "g"
	c.Any.([]any)[0] = int64(60)
	if orig.Ptr.N != 2 || orig.Tags[0] != "x" || orig.Leaves[0].N != 3 || orig.Ptrs[0].N != 4 || orig.ByKey["k"].N != 5 {
		t.Errorf("changing the clone changed the original: %+v", orig)
	}
	if l, _ := orig.Extra.Get("list"); l.([]any)[0] != "f" || orig.Any.([]any)[0] != int64(6) {
		t.Errorf("changing the clone's dict or interface changed the original")
	}
}
