package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/trainer/export"
)

func newExportCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export --in DIR_OR_GS_URL --format " + strings.Join(export.Formats(), "|") + " --out DIR [--split train|test|all]",
		Short: "Convert a dataset into the files a trainer reads: verl Parquet, ToolOrchestra data.jsonl or τ² task files",
		Long: "Reads the dataset only through its manifest, one shard at a time, refusing a shard whose size or sha256\n" +
			"differs from the manifest's, and writes:\n" +
			"  verl           <split>-00000.parquet, … one Parquet file per shard (data_source, prompt, ability,\n" +
			"                 reward_model, extra_info), all with the same schema;\n" +
			"  toolorchestra  data.jsonl, one ToolOrchestra training example per line;\n" +
			"  tau2           <domain>/tasks.json with the func_call records' τ² tasks sorted by id, and the\n" +
			"                 domain's databases and policy.md from the dataset's tau2/<domain>/.\n" +
			"Records keep their ids in every format. Each file is written under a temporary name and renamed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			inURL, outURL, format := v.GetString("in"), v.GetString("out"), v.GetString("format")
			switch {
			case inURL == "":
				return fmt.Errorf("--in is required")
			case outURL == "":
				return fmt.Errorf("--out is required")
			case format == "":
				return fmt.Errorf("--format is required (%s)", strings.Join(export.Formats(), ", "))
			}
			ctx := cmd.Context()
			in, err := dataset.Open(ctx, inURL)
			if err != nil {
				return err
			}
			defer in.Close()
			out, err := dataset.Open(ctx, outURL)
			if err != nil {
				return err
			}
			defer out.Close()
			sum, err := export.Export(ctx, in, out, format, &export.Options{Split: v.GetString("split"), ToolVersion: version})
			if err != nil {
				return fmt.Errorf("export %s: %w", inURL, err)
			}
			w := cmd.OutOrStdout()
			for _, f := range sum.Files {
				records := ""
				if f.Records > 0 {
					records = fmt.Sprintf("%d records, ", f.Records)
				}
				fmt.Fprintf(w, "wrote %s: %s%d bytes, sha256 %s\n", dataset.Join(out, f.Path), records, f.Bytes, f.SHA256)
			}
			fmt.Fprintf(w, "exported %d of %d records (%s, split %s)", sum.Written, sum.Read, sum.Format, sum.Split)
			for _, k := range sortedKeys(sum.Skipped) {
				fmt.Fprintf(w, "; skipped %d by %s", sum.Skipped[k], k)
			}
			fmt.Fprintln(w)
			return nil
		},
	}
	f := cmd.Flags()
	f.String("in", "", "dataset folder or gs://bucket/prefix")
	f.String("format", "", "output format: "+strings.Join(export.Formats(), ", "))
	f.String("out", "", "output folder (or gs://bucket/prefix)")
	f.String("split", export.SplitAll, "records to export: train, test or all")
	return cmd
}
