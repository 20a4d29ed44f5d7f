package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/publish"
)

func newPublishCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "publish DIR gs://BUCKET/PREFIX",
		Short: "Publish a dataset to GCS: every object verified, the manifest last",
		Long: "Uploads the files a dataset's manifest lists, in parallel, each verified by CRC32C and MD5 after\n" +
			"upload, and manifest.json last, so a reader never sees a partial dataset. A re-run uploads only what is\n" +
			"missing or different. Publishing a different dataset over an existing one needs --force.\n" +
			"Credentials come from Application Default Credentials; STORAGE_EMULATOR_HOST is honoured.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			progress := newProgressLine(cmd.ErrOrStderr())
			sum, err := publish.Publish(cmd.Context(), args[0], args[1], publish.Options{
				Parallel: v.GetInt("parallel"),
				Force:    v.GetBool("force"),
				Progress: progress.publish,
			})
			progress.end()
			fmt.Fprintf(cmd.OutOrStdout(), "%d objects (%d uploaded, %d already in place, %d stale deleted), %d bytes uploaded of %d, %.1f s\n",
				sum.Objects, sum.Uploaded, sum.Skipped, sum.Deleted, sum.Bytes, sum.TotalBytes, sum.Seconds)
			if err != nil {
				return fmt.Errorf("publish %s to %s: %w", args[0], args[1], err)
			}
			return nil
		},
	}
	cmd.Flags().Int("parallel", 8, "uploads in flight")
	cmd.Flags().Bool("force", false, "replace a different dataset at the destination")
	return cmd
}

func newValidateCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate PATH_OR_GS_URL",
		Short: "Check a dataset through its manifest: sizes, sha256, record schemas and counts",
		Long: "Reads manifest.json, checks every listed file's size and sha256, validates every record against its\n" +
			"JSON Schema, checks that each record sits in its shard in id order and that the counts add up\n" +
			"(read = written + rejected + filtered). Exits 0 only if everything holds; otherwise names the first\n" +
			"failures with file, line and field.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys, err := dataset.Open(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer fsys.Close()
			rep, err := dataset.Validate(cmd.Context(), fsys, &dataset.ValidateOptions{MaxProblems: v.GetInt("max_problems")})
			if err != nil {
				return fmt.Errorf("validate %s: %w", args[0], err)
			}
			if v.GetBool("json") {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else if err := rep.WriteText(cmd.OutOrStdout()); err != nil {
				return err
			}
			if !rep.OK() {
				return fmt.Errorf("%s is not a valid dataset: %d problems", args[0], rep.ProblemCount)
			}
			return nil
		},
	}
	cmd.Flags().Int("max-problems", 20, "problems to list")
	cmd.Flags().Bool("json", false, "print the report as JSON")
	return cmd
}

// progressLine shows progress on one terminal line, at most a few times a second.
type progressLine struct {
	w       io.Writer
	tty     bool
	last    time.Time
	started bool
}

func newProgressLine(w io.Writer) *progressLine {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressLine{w: w, tty: tty}
}

func (p *progressLine) publish(pr publish.Progress) {
	if !p.tty || pr.Step == publish.Checked {
		return
	}
	if time.Since(p.last) < 200*time.Millisecond && pr.Done != pr.Total {
		return
	}
	p.last, p.started = time.Now(), true
	fmt.Fprintf(p.w, "\r%d/%d objects, %.1f/%.1f MB  %-40.40s", pr.Done, pr.Total, float64(pr.DoneBytes)/1e6, float64(pr.TotalBytes)/1e6, pr.Path)
}

func (p *progressLine) end() {
	if p.started {
		fmt.Fprintln(p.w)
	}
}
