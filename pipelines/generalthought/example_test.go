package generalthought_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	gt "github.com/toolscale/toolscale/pipelines/generalthought"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

// Reading, filtering and de-duplicating files without Beam. In a pipeline, the loop over
// one file's rows is the body of a DoFn, and the Deduper is replaced by GroupByKey passes
// keyed with DedupKey.
func Example() {
	dir, _ := os.MkdirTemp("", "gt")
	defer os.RemoveAll(dir)
	part := gtfake.Default(1, 500) // two parts of one generated dataset
	gtfake.WriteFile(filepath.Join(dir, "part-0.jsonl.gz"), part)
	part.First = 500
	gtfake.WriteFile(filepath.Join(dir, "part-1.parquet"), part)

	ctx := context.Background()
	cfg := gt.DefaultFilterConfig()
	filter, err := gt.NewFilter(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	dedup := gt.NewDeduper(cfg)
	paths, err := gt.Glob(ctx, filepath.Join(dir, "part-*"))
	if err != nil {
		fmt.Println(err)
		return
	}
	read, kept, dropped := 0, 0, map[string]int{}
	for _, path := range paths {
		r, err := gt.Open(ctx, path)
		if err != nil {
			fmt.Println(err)
			return
		}
		for row, err := range gt.All(ctx, r) {
			read++
			var rowErr *gt.RowError
			switch {
			case errors.As(err, &rowErr):
				dropped[rowErr.Reason]++ // to the rejected output, with rowErr.File and rowErr.Row
				continue
			case err != nil:
				fmt.Println(err) // the file cannot be read further
				return
			}
			if ok, reason := filter.Filter(row); !ok {
				dropped[reason]++
				continue
			}
			if ok, reason := dedup.Add(row); !ok {
				dropped[reason]++
				continue
			}
			kept++
		}
		r.Close()
	}
	fmt.Println("read", read, "kept", kept)
	for _, reason := range gt.Reasons() {
		if n := dropped[reason]; n > 0 {
			fmt.Println(gt.StageOf(reason), reason, n)
		}
	}
	// Output:
	// read 1000 kept 844
	// read malformed_json 4
	// read wrong_type 2
	// read missing_question 20
	// filter empty_reference_answer 21
	// filter open_ended 42
	// dedup duplicate_question_id 33
	// dedup duplicate_question_text 34
}
