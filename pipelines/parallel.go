package pipelines

import (
	"context"
	"runtime"
)

// inOrder runs work on each input that next yields, on up to workers goroutines (0 means
// GOMAXPROCS), and calls emit on the calling goroutine with the results in input order, at
// most window inputs being in flight. next runs on a goroutine of its own; it returns false
// after the last input. inOrder returns the first error of next or emit, or ctx's.
//
// DoFns use it for CPU-bound work: a runner gives a DoFn one goroutine per bundle, and the
// in-process runner puts a whole stage in one bundle, so without it a run would use one core.
// Emitting in input order keeps every output independent of the scheduling.
func inOrder[I, O any](ctx context.Context, workers, window int, next func() (I, bool, error), work func(I) O, emit func(O) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		in  I
		out chan O
	}
	jobs := make(chan job)
	order := make(chan chan O, window)
	done, fed := make(chan struct{}), make(chan struct{})
	defer func() {
		close(done)
		<-fed // next is not called once inOrder has returned
	}()
	var nextErr error
	go func() {
		defer close(fed)
		defer close(order)
		defer close(jobs)
		for {
			in, ok, err := next()
			if err != nil {
				nextErr = err
				return
			}
			if !ok {
				return
			}
			out := make(chan O, 1)
			select {
			case order <- out:
			case <-done:
				return
			}
			select {
			case jobs <- job{in, out}:
			case <-done:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for j := range jobs {
				j.out <- work(j.in)
			}
		}()
	}
	for out := range order {
		var o O
		select {
		case o = <-out:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := emit(o); err != nil {
			return err
		}
	}
	return nextErr // written before order was closed
}

// sliceNext returns a next function for inOrder over the elements of s.
func sliceNext[T any](s []T) func() (T, bool, error) {
	i := 0
	return func() (T, bool, error) {
		if i == len(s) {
			var zero T
			return zero, false, nil
		}
		i++
		return s[i-1], true, nil
	}
}

// batchSize is how many elements a batching DoFn gathers before it processes them in
// parallel.
const batchSize = 128
