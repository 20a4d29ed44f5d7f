// Package plan writes the description of a GRPO training run as YAML for a verl-style
// launcher: the model, the batch and rollout sizes, the optimizer and clipping settings, the
// data each rank reads (through `toolscale train feed`) and the reward settings.
//
// The keys outside the top-level "toolscale" section are verl's own (as ToolOrchestra's
// training script sets them), so a launcher can pass them to verl unchanged; "toolscale" holds
// what verl has no key for: the per-rank feed commands and the reward definition.
package plan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/trainer/reward"
)

// Config is what a run plan can be told. Zero values are not defaults: start from
// DefaultConfig and override fields.
type Config struct {
	// Model is the policy to train: a Hugging Face id or a local path.
	Model string `mapstructure:"model"`
	// Data is the dataset root, a local path or a gs:// URL, as `toolscale train feed --data` takes it.
	Data string `mapstructure:"data"`
	// Nodes and GPUsPerNode size the cluster.
	Nodes       int `mapstructure:"nodes"`
	GPUsPerNode int `mapstructure:"gpus_per_node"`
	// WorldSize is the number of ranks reading data; 0 means Nodes × GPUsPerNode.
	WorldSize int `mapstructure:"world_size"`
	// Seed seeds the feed's per-epoch shuffle.
	Seed int64 `mapstructure:"seed"`
	// Epochs is the number of passes over the data.
	Epochs int `mapstructure:"epochs"`
	// GroupSize is the number of rollouts per prompt (GRPO's group).
	GroupSize int `mapstructure:"group_size"`
	// PromptsPerStep is the number of prompts per training step.
	PromptsPerStep int `mapstructure:"prompts_per_step"`
	// LearningRate is the actor's learning rate.
	LearningRate float64 `mapstructure:"learning_rate"`
	// MaxPromptTokens and MaxResponseTokens bound the sequence lengths.
	MaxPromptTokens   int `mapstructure:"max_prompt_tokens"`
	MaxResponseTokens int `mapstructure:"max_response_tokens"`
	// ClipLow and ClipHigh bound the PPO ratio to [1 − ClipLow, 1 + ClipHigh].
	ClipLow  float64 `mapstructure:"clip_low"`
	ClipHigh float64 `mapstructure:"clip_high"`
	// KLCoef weighs the KL loss against the reference policy.
	KLCoef float64 `mapstructure:"kl_coef"`
	// KLLossType is verl's kl_loss_type ("mse", "low_var_kl", …).
	KLLossType string `mapstructure:"kl_loss_type"`
	// MaxTurns bounds the orchestrator's turns per rollout.
	MaxTurns int `mapstructure:"max_turns"`
	// Temperature is the rollout sampling temperature.
	Temperature float64 `mapstructure:"temperature"`
	// Command is how ranks invoke toolscale, e.g. "toolscale" or "/opt/bin/toolscale".
	Command string `mapstructure:"command"`
}

// DefaultConfig returns the settings of ToolOrchestra's GRPO run: Qwen3-8B, 8 rollouts per
// prompt, 16 prompts per step, learning rate 1e-6, prompts up to 24,000 tokens and responses
// up to 8,768, clip 0.2 / 0.28, KL 1e-4, 30 turns, one node of 8 GPUs.
func DefaultConfig() Config {
	return Config{
		Model:             "Qwen/Qwen3-8B",
		Data:              "./toolscale-out",
		Nodes:             1,
		GPUsPerNode:       8,
		Epochs:            1,
		GroupSize:         8,
		PromptsPerStep:    16,
		LearningRate:      1e-6,
		MaxPromptTokens:   24000,
		MaxResponseTokens: 8768,
		ClipLow:           0.2,
		ClipHigh:          0.28,
		KLCoef:            1e-4,
		KLLossType:        "mse",
		MaxTurns:          30,
		Temperature:       1.0,
		Command:           "toolscale",
	}
}

// ErrConfig is wrapped by every error Build returns for a bad Config.
var ErrConfig = errors.New("bad run configuration")

func (c Config) validate() error {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("%w: %s = %v, want %s", ErrConfig, field, v, want)
	}
	switch {
	case c.Model == "":
		return bad("model", `""`, "a model id or path")
	case c.Data == "":
		return bad("data", `""`, "a dataset path or gs:// URL")
	case c.Command == "":
		return bad("command", `""`, "the toolscale binary")
	case c.Nodes < 1:
		return bad("nodes", c.Nodes, "at least 1")
	case c.GPUsPerNode < 1:
		return bad("gpus_per_node", c.GPUsPerNode, "at least 1")
	case c.WorldSize < 0:
		return bad("world_size", c.WorldSize, "0 (one rank per GPU) or more")
	case c.Epochs < 1:
		return bad("epochs", c.Epochs, "at least 1")
	case c.GroupSize < reward.MinGroupSize:
		return bad("group_size", c.GroupSize, fmt.Sprintf("at least %d (advantages need a group)", reward.MinGroupSize))
	case c.PromptsPerStep < 1:
		return bad("prompts_per_step", c.PromptsPerStep, "at least 1")
	case !(c.LearningRate > 0):
		return bad("learning_rate", c.LearningRate, "more than 0")
	case c.MaxPromptTokens < 1:
		return bad("max_prompt_tokens", c.MaxPromptTokens, "at least 1")
	case c.MaxResponseTokens < 1:
		return bad("max_response_tokens", c.MaxResponseTokens, "at least 1")
	case !(c.ClipLow > 0 && c.ClipLow < 1):
		return bad("clip_low", c.ClipLow, "in (0, 1)")
	case !(c.ClipHigh > 0):
		return bad("clip_high", c.ClipHigh, "more than 0")
	case !(c.KLCoef >= 0):
		return bad("kl_coef", c.KLCoef, "0 or more")
	case c.MaxTurns < 1:
		return bad("max_turns", c.MaxTurns, "at least 1")
	case !(c.Temperature > 0):
		return bad("temperature", c.Temperature, "more than 0")
	}
	return nil
}

// A Float is a float64 that YAML 1.1 readers (PyYAML) also read as a number: it is always
// written with a decimal point, so 1e-6 is written 1.0e-06.
type Float float64

// MarshalYAML writes f as a !!float with a decimal point.
func (f Float) MarshalYAML() (any, error) {
	s := strconv.FormatFloat(float64(f), 'g', -1, 64)
	if !strings.ContainsAny(s, ".IN") { // not Inf or NaN, and no point yet
		if i := strings.IndexByte(s, 'e'); i >= 0 {
			s = s[:i] + ".0" + s[i:]
		} else {
			s += ".0"
		}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: s}, nil
}

// A Plan is the YAML document: verl's configuration groups, then toolscale's own section.
type Plan struct {
	Algorithm       Algorithm       `yaml:"algorithm"`
	Data            Data            `yaml:"data"`
	ActorRolloutRef ActorRolloutRef `yaml:"actor_rollout_ref"`
	Trainer         Trainer         `yaml:"trainer"`
	// MaxTurns is the turn limit as ToolOrchestra's recipe reads it (+max_turns).
	MaxTurns  int       `yaml:"max_turns"`
	Toolscale Toolscale `yaml:"toolscale"`
}

// Algorithm is verl's algorithm group.
type Algorithm struct {
	AdvEstimator       string       `yaml:"adv_estimator"`
	NormAdvByStdInGRPO bool         `yaml:"norm_adv_by_std_in_grpo"`
	UseKLInReward      bool         `yaml:"use_kl_in_reward"`
	KLCtrl             KLCtrl       `yaml:"kl_ctrl"`
	FilterGroups       FilterGroups `yaml:"filter_groups"`
}

// KLCtrl is verl's algorithm.kl_ctrl.
type KLCtrl struct {
	KLCoef Float `yaml:"kl_coef"`
}

// FilterGroups is verl's algorithm.filter_groups (DAPO's dynamic sampling).
type FilterGroups struct {
	Enable bool   `yaml:"enable"`
	Metric string `yaml:"metric"`
}

// Data is verl's data group.
type Data struct {
	TrainFiles        []string `yaml:"train_files"`
	TrainBatchSize    int      `yaml:"train_batch_size"`
	MaxPromptLength   int      `yaml:"max_prompt_length"`
	MaxResponseLength int      `yaml:"max_response_length"`
	Truncation        string   `yaml:"truncation"`
	Shuffle           bool     `yaml:"shuffle"`
	Seed              int64    `yaml:"seed"`
}

// ActorRolloutRef is verl's actor_rollout_ref group.
type ActorRolloutRef struct {
	Model   Model   `yaml:"model"`
	Actor   Actor   `yaml:"actor"`
	Rollout Rollout `yaml:"rollout"`
}

// Model names the policy.
type Model struct {
	Path string `yaml:"path"`
}

// Actor is verl's actor_rollout_ref.actor.
type Actor struct {
	Optim            Optim  `yaml:"optim"`
	PPOMiniBatchSize int    `yaml:"ppo_mini_batch_size"`
	PPOEpochs        int    `yaml:"ppo_epochs"`
	ClipRatioLow     Float  `yaml:"clip_ratio_low"`
	ClipRatioHigh    Float  `yaml:"clip_ratio_high"`
	UseKLLoss        bool   `yaml:"use_kl_loss"`
	KLLossCoef       Float  `yaml:"kl_loss_coef"`
	KLLossType       string `yaml:"kl_loss_type"`
	EntropyCoeff     Float  `yaml:"entropy_coeff"`
}

// Optim is the actor's optimizer.
type Optim struct {
	LR Float `yaml:"lr"`
}

// Rollout is verl's actor_rollout_ref.rollout.
type Rollout struct {
	N           int       `yaml:"n"`
	Temperature Float     `yaml:"temperature"`
	MultiTurn   MultiTurn `yaml:"multi_turn"`
}

// MultiTurn is verl's rollout.multi_turn.
type MultiTurn struct {
	Enable            bool `yaml:"enable"`
	MaxAssistantTurns int  `yaml:"max_assistant_turns"`
}

// Trainer is verl's trainer group.
type Trainer struct {
	NNodes       int `yaml:"nnodes"`
	NGPUsPerNode int `yaml:"n_gpus_per_node"`
	TotalEpochs  int `yaml:"total_epochs"`
}

// Toolscale is what verl has no key for.
type Toolscale struct {
	Data   Feed   `yaml:"data"`
	Reward Reward `yaml:"reward"`
}

// Feed says where each rank reads its records.
type Feed struct {
	Root      string `yaml:"root"`
	Manifest  string `yaml:"manifest"`
	WorldSize int    `yaml:"world_size"`
	Seed      int64  `yaml:"seed"`
	// EpochFlag and ResumeFlag are appended to a rank's command with the epoch and the number
	// of records it already consumed.
	EpochFlag  string `yaml:"epoch_flag"`
	ResumeFlag string `yaml:"resume_flag"`
	Ranks      []Rank `yaml:"ranks"`
}

// A Rank is one data rank and the command that streams its records as JSON lines.
type Rank struct {
	Rank    int      `yaml:"rank"`
	Command []string `yaml:"command,flow"`
}

// Reward is the reward and advantage definition of package reward, with the command that
// computes it.
type Reward struct {
	Command       []string `yaml:"command,flow"`
	Features      []string `yaml:"features"`
	Normalization string   `yaml:"normalization"`
	GroupSize     int      `yaml:"group_size"`
	MinGroupSize  int      `yaml:"min_group_size"`
	StdThreshold  Float    `yaml:"std_threshold"`
	Epsilon       Float    `yaml:"epsilon"`
	AdvantageClip Float    `yaml:"advantage_clip"`
	DropReasons   []string `yaml:"drop_reasons"`
}

// Build turns a Config into a Plan.
func Build(c Config) (Plan, error) {
	if err := c.validate(); err != nil {
		return Plan{}, err
	}
	world := c.WorldSize
	if world == 0 {
		world = c.Nodes * c.GPUsPerNode
	}
	feed := Feed{
		Root: c.Data, Manifest: joinPath(c.Data, dataset.ManifestName), WorldSize: world, Seed: c.Seed,
		EpochFlag: "--epoch", ResumeFlag: "--resume-from", Ranks: make([]Rank, world),
	}
	for r := range world {
		feed.Ranks[r] = Rank{Rank: r, Command: []string{c.Command, "train", "feed",
			"--data", c.Data, "--rank", strconv.Itoa(r), "--world-size", strconv.Itoa(world),
			"--seed", strconv.FormatInt(c.Seed, 10)}}
	}
	return Plan{
		Algorithm: Algorithm{
			AdvEstimator: "grpo", NormAdvByStdInGRPO: true, UseKLInReward: false,
			KLCtrl:       KLCtrl{KLCoef: Float(c.KLCoef)},
			FilterGroups: FilterGroups{Enable: true, Metric: "seq_reward"},
		},
		Data: Data{
			TrainFiles: []string{c.Data}, TrainBatchSize: c.PromptsPerStep,
			MaxPromptLength: c.MaxPromptTokens, MaxResponseLength: c.MaxResponseTokens,
			Truncation: "left", Shuffle: true, Seed: c.Seed,
		},
		ActorRolloutRef: ActorRolloutRef{
			Model: Model{Path: c.Model},
			Actor: Actor{
				Optim: Optim{LR: Float(c.LearningRate)}, PPOMiniBatchSize: c.PromptsPerStep, PPOEpochs: 1,
				ClipRatioLow: Float(c.ClipLow), ClipRatioHigh: Float(c.ClipHigh),
				UseKLLoss: true, KLLossCoef: Float(c.KLCoef), KLLossType: c.KLLossType,
			},
			Rollout: Rollout{N: c.GroupSize, Temperature: Float(c.Temperature),
				MultiTurn: MultiTurn{Enable: true, MaxAssistantTurns: c.MaxTurns}},
		},
		Trainer:  Trainer{NNodes: c.Nodes, NGPUsPerNode: c.GPUsPerNode, TotalEpochs: c.Epochs},
		MaxTurns: c.MaxTurns,
		Toolscale: Toolscale{
			Data: feed,
			Reward: Reward{
				Command:       []string{c.Command, "train", "reward"},
				Features:      []string{"tool_calls[alias] for each alias of the preference, sorted", "outcome", "-cost", "-latency"},
				Normalization: "min-max within the group, 0 where max = min; reward = features · preference if outcome = 1, else 0",
				GroupSize:     c.GroupSize, MinGroupSize: reward.MinGroupSize,
				StdThreshold: reward.StdThreshold, Epsilon: reward.Epsilon, AdvantageClip: reward.AdvantageClip,
				DropReasons: []string{reward.DropGroupSize, reward.DropGroupStd, reward.DropInvalidAnswer, reward.DropBadFormat},
			},
		},
	}, nil
}

// joinPath joins a dataset root (a path or a gs:// URL) and a file name with a forward slash.
func joinPath(root, name string) string {
	return strings.TrimSuffix(root, "/") + "/" + name
}

// Encode writes p as YAML, with a comment saying what wrote it.
func Encode(w io.Writer, p Plan) error {
	var doc yaml.Node
	if err := doc.Encode(p); err != nil {
		return fmt.Errorf("encode run plan: %w", err)
	}
	doc.HeadComment = "GRPO run plan written by toolscale train plan. Keys outside \"toolscale\" are verl's."
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("encode run plan: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("encode run plan: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write run plan: %w", err)
	}
	return nil
}

// Run builds the plan of cfg and writes it to out as YAML. It is `toolscale train plan`.
func Run(ctx context.Context, cfg Config, out io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := Build(cfg)
	if err != nil {
		return err
	}
	return Encode(out, p)
}
