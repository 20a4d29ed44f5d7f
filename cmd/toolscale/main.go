// Command toolscale synthesizes ToolScale-style training data for tool-orchestration models
// and serves it to GRPO trainers. Run `toolscale --help` for the commands.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

func main() {
	if isWorker(os.Args[1:]) {
		// A distributed runner started this binary again as a Beam worker, with Beam's own
		// flags: parse them and let Beam run the worker harness, which does not return.
		flag.Parse()
		beam.Init()
		fmt.Fprintln(os.Stderr, "toolscale: started as a Beam worker, but the harness returned")
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "toolscale:", err)
		os.Exit(1)
	}
}

// isWorker reports whether the arguments are those of a Beam worker launch (--worker).
func isWorker(args []string) bool {
	for _, a := range args {
		switch {
		case a == "--":
			return false
		case a == "-worker" || a == "--worker" || strings.HasPrefix(a, "-worker=true") || strings.HasPrefix(a, "--worker=true"):
			return true
		}
	}
	return false
}

// run is the program minus the process: tests call it with arguments and buffers.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return root.ExecuteContext(ctx)
}
