package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/trainer/cost"
	"github.com/toolscale/toolscale/trainer/feed"
	"github.com/toolscale/toolscale/trainer/plan"
	"github.com/toolscale/toolscale/trainer/reward"
	"github.com/toolscale/toolscale/trainer/score"
	"github.com/toolscale/toolscale/trainer/simulate"
)

func newTrainCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "train",
		Short: "The GRPO trainer stage: feed workers, score rollouts, rewards, run plans, a CPU simulation",
	}
	cmd.AddCommand(newFeedCmd(v), newScoreCmd(v), newRewardCmd(v), newPlanCmd(v), newSimulateCmd(v))
	return cmd
}

func newFeedCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "feed --data PATH_OR_GS_URL --rank R --world-size W [--epoch E] [--seed S] [--resume-from N]",
		Short: "Stream one rank's records of a dataset as JSON lines, for a GPU worker reading a pipe",
		Long: "Ranks are disjoint and together cover every record exactly once per epoch, in an order shuffled\n" +
			"deterministically per (seed, epoch). Records are read only through the manifest; a shard whose size\n" +
			"or sha256 differs from the manifest's is refused with its name. --resume-from N skips the N records\n" +
			"of this rank's part already consumed in this epoch.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			data := v.GetString("data")
			if data == "" {
				return fmt.Errorf("--data is required")
			}
			fsys, err := dataset.Open(cmd.Context(), data)
			if err != nil {
				return err
			}
			defer fsys.Close()
			w := bufio.NewWriterSize(cmd.OutOrStdout(), 1<<20)
			n, err := feed.Write(cmd.Context(), fsys, feed.Options{
				Rank:       v.GetInt("rank"),
				WorldSize:  v.GetInt("world_size"),
				Epoch:      v.GetInt("epoch"),
				Seed:       v.GetInt64("seed"),
				ResumeFrom: v.GetInt64("resume_from"),
			}, w)
			if ferr := w.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				return fmt.Errorf("feed %s after %d records: %w", data, n, err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.String("data", "", "dataset folder or gs://bucket/prefix")
	f.Int("rank", 0, "this worker's rank")
	f.Int("world-size", 1, "number of ranks")
	f.Int("epoch", 0, "epoch (each has its own order)")
	f.Int64("seed", 0, "shuffle seed")
	f.Int64("resume-from", 0, "records of this rank's part already consumed")
	return cmd
}

func newScoreCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "score --record RECORD.json --trajectory TRAJECTORY.json [--data DIR | --db FILE]",
		Short: "Score one rollout: the outcome and each check behind it",
		Long: "For a func_call record, replays the trajectory's domain tool calls and the golden actions on the\n" +
			"task's database and checks that the databases match, that every communicate_info item appears in an\n" +
			"assistant message, and that every record the golden actions touch is touched. For a qa record,\n" +
			"compares the final answer with the reference. Steps that call the record's orchestration tools are\n" +
			"costed with its prices. The database comes from --db, or from the dataset at --data\n" +
			"(tau2/<domain>/<file the task names>).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			recPath, trPath := v.GetString("record"), v.GetString("trajectory")
			if recPath == "" || trPath == "" {
				return fmt.Errorf("--record and --trajectory are required")
			}
			data, err := os.ReadFile(recPath)
			if err != nil {
				return err
			}
			var rec dataset.Record
			if err := json.Unmarshal(data, &rec); err != nil {
				return fmt.Errorf("%s: %w", recPath, err)
			}
			f, err := os.Open(trPath)
			if err != nil {
				return err
			}
			defer f.Close()
			tr, err := cost.DecodeTrajectory(f)
			if err != nil {
				return fmt.Errorf("%s: %w", trPath, err)
			}
			now, err := time.Parse(time.RFC3339, v.GetString("now"))
			if err != nil {
				return fmt.Errorf("--now: %w", err)
			}
			dbPath, root := v.GetString("db"), v.GetString("data")
			load := func(d *domains.Domain, file string) (domains.DB, error) {
				path := dbPath
				if path == "" {
					if root == "" {
						return nil, fmt.Errorf("the task runs on %s: give --db or --data", file)
					}
					path = filepath.Join(root, "tau2", d.Name, file)
				}
				raw, err := os.ReadFile(path)
				if err != nil {
					return nil, err
				}
				db, err := domains.Decode(d, raw)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", path, err)
				}
				return db, nil
			}
			res, err := score.Score(&rec, tr, load, now)
			if err != nil {
				return err
			}
			return writeJSON(cmd.OutOrStdout(), res)
		},
	}
	f := cmd.Flags()
	f.String("record", "", "a training record (one line of a shard)")
	f.String("trajectory", "", "the rollout: {\"steps\": [{\"alias\", \"arguments\", …}], \"messages\", \"final_answer\"}")
	f.String("data", "", "dataset folder holding the task's database under tau2/")
	f.String("db", "", "the task's database file (instead of --data)")
	f.String("now", domains.DefaultNow.Format(time.RFC3339), "the frozen clock of the environment")
	return cmd
}

func newRewardCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reward --in GROUPS.json",
		Short: "Compute rewards and GRPO advantages of rollout groups, as the paper defines them",
		Long: "Reads {\"groups\": [{\"id\", \"preference\", \"rollouts\": [...]}]} and prints each rollout's reward,\n" +
			"advantage and whether it is kept. Features are the calls of each tool alias named in the preference,\n" +
			"the outcome, −cost and −latency, min-max normalized within the group; the reward is their weighted sum\n" +
			"when the outcome is 1, else 0; advantage = (R − mean) / (std + 1e-6), clipped to ±3.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, name, err := openInput(cmd, v.GetString("in"))
			if err != nil {
				return err
			}
			defer in.Close()
			if err := reward.Run(cmd.Context(), in, cmd.OutOrStdout()); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		},
	}
	cmd.Flags().String("in", "-", "rollout groups as JSON (- for standard input)")
	return cmd
}

func newPlanCmd(v *viper.Viper) *cobra.Command {
	def := plan.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Write the GRPO run description (YAML) for a verl-style launcher",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := plan.DefaultConfig()
			if err := v.Unmarshal(&cfg); err != nil {
				return err
			}
			return withOutput(cmd, v.GetString("out"), func(w io.Writer) error {
				return plan.Run(cmd.Context(), cfg, w)
			})
		},
	}
	f := cmd.Flags()
	f.String("model", def.Model, "policy model: a Hugging Face id or a local path")
	f.String("data", def.Data, "dataset root (folder or gs:// URL)")
	f.Int("nodes", def.Nodes, "training nodes")
	f.Int("gpus-per-node", def.GPUsPerNode, "GPUs per node")
	f.Int("world-size", def.WorldSize, "ranks reading data (0: nodes × GPUs per node)")
	f.Int64("seed", def.Seed, "seed of the feed's per-epoch shuffle")
	f.Int("epochs", def.Epochs, "passes over the data")
	f.Int("group-size", def.GroupSize, "rollouts per prompt")
	f.Int("prompts-per-step", def.PromptsPerStep, "prompts per training step")
	f.Float64("learning-rate", def.LearningRate, "actor learning rate")
	f.Int("max-prompt-tokens", def.MaxPromptTokens, "maximum prompt length in tokens")
	f.Int("max-response-tokens", def.MaxResponseTokens, "maximum response length in tokens")
	f.Float64("clip-low", def.ClipLow, "PPO ratio clip below 1")
	f.Float64("clip-high", def.ClipHigh, "PPO ratio clip above 1")
	f.Float64("kl-coef", def.KLCoef, "KL loss coefficient")
	f.String("kl-loss-type", def.KLLossType, "verl kl_loss_type")
	f.Int("max-turns", def.MaxTurns, "orchestrator turns per rollout")
	f.Float64("temperature", def.Temperature, "rollout sampling temperature")
	f.String("command", def.Command, "how ranks invoke toolscale")
	f.String("out", "", "write the YAML here instead of standard output")
	return cmd
}

func newSimulateCmd(v *viper.Viper) *cobra.Command {
	def := simulate.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Train a small softmax tool-choice policy on CPU with the GRPO rewards, and plot tool shares",
		Long: "Simulates orchestration RL: a softmax policy over tool aliases with simulated accuracy, cost and\n" +
			"latency, trained with the same reward and advantage code as real runs. With an outcome-only\n" +
			"preference the policy drifts to the strongest, dearest model; with a cost preference to cheaper ones.\n" +
			"Writes a CSV of tool-call shares per step and a PNG plot.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := simulate.DefaultConfig()
			cfg.Seed = uint64(v.GetInt64("seed"))
			cfg.Steps = v.GetInt("steps")
			pref, err := parsePreference(v.GetString("preference"))
			if err != nil {
				return err
			}
			cfg.Preference = pref
			csvPath, pngPath := v.GetString("csv"), v.GetString("png")
			var png io.Writer
			if pngPath != "" {
				f, err := os.Create(pngPath)
				if err != nil {
					return err
				}
				defer f.Close()
				png = f
			}
			if err := withOutput(cmd, csvPath, func(w io.Writer) error {
				return simulate.Run(cmd.Context(), cfg, w, png)
			}); err != nil {
				return err
			}
			if f, ok := png.(*os.File); ok {
				if err := f.Close(); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s\n", pngPath)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Int64("seed", int64(def.Seed), "random seed")
	f.Int("steps", def.Steps, "training steps")
	f.String("preference", "accuracy=1", "preference weights: alias=w,…,accuracy=w,cost=w,latency=w")
	f.String("csv", "", "write the table of tool-call shares per step here (default: standard output)")
	f.String("png", "tool-shares.png", "write the plot here (empty: no plot)")
	return cmd
}

// parsePreference reads "accuracy=1,cost=0.5" into weights.
func parsePreference(s string) (map[string]float64, error) {
	pref := map[string]float64{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("--preference: %q is not name=weight", part)
		}
		w, err := strconv.ParseFloat(val, 64)
		if err != nil || w < 0 {
			return nil, fmt.Errorf("--preference: weight of %s: %q is not a number >= 0", k, val)
		}
		pref[strings.TrimSpace(k)] = w
	}
	if len(pref) == 0 {
		return nil, fmt.Errorf("--preference: no weights given")
	}
	return pref, nil
}

// openInput opens path, or standard input for "-".
func openInput(cmd *cobra.Command, path string) (io.ReadCloser, string, error) {
	if path == "" || path == "-" {
		return io.NopCloser(cmd.InOrStdin()), "standard input", nil
	}
	f, err := os.Open(path)
	return f, path, err
}

// withOutput runs write on the file at path (written whole, then renamed) or on standard
// output when path is empty.
func withOutput(cmd *cobra.Command, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(cmd.OutOrStdout())
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
