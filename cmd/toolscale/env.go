package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

func newEnvCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Check, generate and run domain databases",
	}
	cmd.AddCommand(newEnvCheckCmd(v), newEnvGenerateCmd(v), newEnvRunCmd(v))
	return cmd
}

func newEnvCheckCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check --domain D --db FILE",
		Short: "Load a database in the domain's data model and print its record counts and hashes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, db, err := loadDB(v)
			if err != nil {
				return err
			}
			counts, err := domains.Counts(db)
			if err != nil {
				return err
			}
			h, err := domains.Hash(db)
			if err != nil {
				return err
			}
			return writeJSON(cmd.OutOrStdout(), struct {
				Domain string         `json:"domain"`
				Counts map[string]int `json:"counts"`
				SHA256 string         `json:"sha256"`
				Tau2   string         `json:"tau2_hash"`
			}{d.Name, counts, h.SHA256, h.Tau2})
		},
	}
	cmd.Flags().String("domain", "", "domain name (see `toolscale domains`)")
	cmd.Flags().String("db", "", "database file in the reference db.json layout")
	return cmd
}

func newEnvGenerateCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate --domain D --seed N [--scale K] --out FILE",
		Short: "Generate a new database; the same seed gives the same bytes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := domains.Lookup(v.GetString("domain"))
			if err != nil {
				return err
			}
			scale := v.GetInt("scale")
			if scale < 1 {
				return fmt.Errorf("--scale must be at least 1, got %d", scale)
			}
			db, err := d.Generate(domains.Rand(v.GetInt64("seed"), d.Name, 0, "db"), scale)
			if err != nil {
				return fmt.Errorf("generate %s database: %w", d.Name, err)
			}
			data, err := encodeDBFile(db)
			if err != nil {
				return err
			}
			out := v.GetString("out")
			if out == "" || out == "-" {
				_, err = cmd.OutOrStdout().Write(data)
				return err
			}
			if err := writeFileAtomic(out, data); err != nil {
				return err
			}
			counts, _ := domains.Counts(db)
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s: %s database, %v\n", out, d.Name, counts)
			return nil
		},
	}
	cmd.Flags().String("domain", "", "domain name")
	cmd.Flags().Int64("seed", 1, "random seed")
	cmd.Flags().Int("scale", 1, "size relative to the reference database")
	cmd.Flags().String("out", "", "output file (default: standard output)")
	return cmd
}

func newEnvRunCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run --domain D --db FILE --calls CALLS.json [--now T] [--out FILE]",
		Short: "Replay tool calls on a database as the reference environment does",
		Long: "Replays a JSON list of {\"name\", \"arguments\"} in order. Arguments are passed as given, without a\n" +
			"schema check; a failing call is recorded and the run goes on. Prints each call's outcome, the final\n" +
			"database and its hashes.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, db, err := loadDB(v)
			if err != nil {
				return err
			}
			path := v.GetString("calls")
			if path == "" {
				return fmt.Errorf("--calls is required")
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			calls, err := domains.ParseCalls(data)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			now, err := time.Parse(time.RFC3339, v.GetString("now"))
			if err != nil {
				return fmt.Errorf("--now: %w", err)
			}
			env := domains.NewEnv(d, db, now)
			steps := env.Replay(calls)
			h, err := domains.Hash(env.DB)
			if err != nil {
				return err
			}
			final, err := domains.Encode(env.DB, py.File)
			if err != nil {
				return err
			}
			report := struct {
				Calls   []domains.Step  `json:"calls"`
				FinalDB json.RawMessage `json:"final_db"`
				SHA256  string          `json:"final_db_sha256"`
				Tau2    string          `json:"tau2_hash"`
			}{steps, final, h.SHA256, h.Tau2}
			for i := range report.Calls {
				// Outputs are written as the tool returned them, not as Go would.
				raw, err := py.Marshal(report.Calls[i].Output, py.Output)
				if err != nil {
					return err
				}
				report.Calls[i].Output = json.RawMessage(raw)
			}
			w := cmd.OutOrStdout()
			if out := v.GetString("out"); out != "" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
				if err := writeJSON(w, report); err != nil {
					return err
				}
				return f.Close()
			}
			return writeJSON(w, report)
		},
	}
	cmd.Flags().String("domain", "", "domain name")
	cmd.Flags().String("db", "", "database file in the reference db.json layout")
	cmd.Flags().String("calls", "", "JSON list of {\"name\", \"arguments\"}")
	cmd.Flags().String("now", domains.DefaultNow.Format(time.RFC3339), "the frozen clock of the environment")
	cmd.Flags().String("out", "", "write the report here instead of standard output")
	return cmd
}

// loadDB reads --domain and --db.
func loadDB(v *viper.Viper) (*domains.Domain, domains.DB, error) {
	d, err := domains.Lookup(v.GetString("domain"))
	if err != nil {
		return nil, nil, err
	}
	path := v.GetString("db")
	if path == "" {
		return nil, nil, fmt.Errorf("--db is required")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	db, err := domains.Decode(d, data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, db, nil
}

// encodeDBFile writes a database as db.json files are laid out: keys in model order,
// two-space indent, raw UTF-8.
func encodeDBFile(db domains.DB) ([]byte, error) {
	compact, err := domains.Encode(db, py.File)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, compact, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeFileAtomic writes data to a temporary file beside path and renames it.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
