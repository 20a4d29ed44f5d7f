package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/toolscale/toolscale/trainer/plan"
	"github.com/toolscale/toolscale/trainer/reward"
	"github.com/toolscale/toolscale/trainer/simulate"
)

func newTrainCmd(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "train",
		Short: "The GRPO trainer stage: feed workers, score rollouts, rewards, run plans, a CPU simulation",
	}
	cmd.AddCommand(newRewardCmd(v), newPlanCmd(v), newSimulateCmd(v))
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
