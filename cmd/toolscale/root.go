package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	_ "github.com/toolscale/toolscale/domains/all" // every domain registers itself
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// newRootCmd builds the command tree with its own viper: a flag beats a TOOLSCALE_…
// environment variable, which beats the config file, which beats the default.
func newRootCmd() *cobra.Command {
	v := viper.New()
	root := &cobra.Command{
		Use:           "toolscale",
		Short:         "Synthesize ToolScale training data for tool-orchestration models",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return bindConfig(cmd, v)
		},
	}
	root.PersistentFlags().String("config", "", "YAML configuration file (every key can also be a flag or a TOOLSCALE_… variable)")
	root.AddCommand(newDomainsCmd(v), newEnvCmd(v), newTrainCmd(v), newPublishCmd(v), newValidateCmd(v), newGenerateCmd(v), newExportCmd(v))
	return root
}

// bindConfig reads the config file, if any, and binds the command's flags and the
// environment to v.
func bindConfig(cmd *cobra.Command, v *viper.Viper) error {
	v.SetEnvPrefix("TOOLSCALE")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_", ".", "_"))
	v.AutomaticEnv()
	if path, _ := cmd.Flags().GetString("config"); path != "" {
		v.SetConfigFile(path)
		if err := v.ReadInConfig(); err != nil {
			return fmt.Errorf("read config %s: %w", path, err)
		}
	}
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "config" || f.Name == "help" || err != nil {
			return
		}
		err = v.BindPFlag(configKey(f.Name), f)
	})
	return err
}

// configKey maps a flag name to its config key: --tasks-per-domain is tasks_per_domain.
func configKey(flag string) string { return strings.ReplaceAll(flag, "-", "_") }
