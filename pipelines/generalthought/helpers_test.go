package generalthought_test

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"

	gt "github.com/toolscale/toolscale/pipelines/generalthought"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

// tally is what a merge of one or more files came to.
type tally struct {
	read     int // rows and row errors
	kept     int
	byReason map[string]int
	keptRows []gt.Row // kept rows, in order
}

// merge reads paths in order through o, rejects bad rows, filters with cfg and de-duplicates,
// as the merge does without Beam. It fails the test on a fatal error.
func merge(t testing.TB, o *gt.Opener, cfg gt.FilterConfig, paths ...string) tally {
	t.Helper()
	ctx := context.Background()
	f, err := gt.NewFilter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := gt.NewDeduper(cfg)
	res := tally{byReason: map[string]int{}}
	for _, p := range paths {
		r, err := o.Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for row, err := range gt.All(ctx, r) {
			res.read++
			if err != nil {
				var rerr *gt.RowError
				if !errors.As(err, &rerr) {
					t.Fatalf("fatal error after %d rows: %v", res.read-1, err)
				}
				res.byReason[rerr.Reason]++
				continue
			}
			if keep, why := f.Filter(row); !keep {
				res.byReason[why]++
				continue
			}
			if keep, why := d.Add(row); !keep {
				res.byReason[why]++
				continue
			}
			res.kept++
			res.keptRows = append(res.keptRows, row)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

// readAll reads one file to the end: its rows, its row errors, and the fatal error if any.
func readAll(t testing.TB, o *gt.Opener, path string) (rows []gt.Row, rowErrs []*gt.RowError, fatal error) {
	t.Helper()
	ctx := context.Background()
	r, err := o.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		row, err := r.Next(ctx)
		if err == io.EOF {
			return rows, rowErrs, nil
		}
		var rerr *gt.RowError
		switch {
		case errors.As(err, &rerr):
			rowErrs = append(rowErrs, rerr)
		case err != nil:
			return rows, rowErrs, err
		default:
			rows = append(rows, row)
		}
	}
}

func writeFixture(t testing.TB, dir, name string, c gtfake.Config) (string, gtfake.Summary) {
	t.Helper()
	path := filepath.Join(dir, name)
	sum, err := gtfake.WriteFile(path, c)
	if err != nil {
		t.Fatal(err)
	}
	return path, sum
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
