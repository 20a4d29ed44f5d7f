package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// runCmd runs the toolscale command in process and returns what it printed.
func runCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errb)
	err = root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func planValues(t *testing.T, out string) (lr float64, group int) {
	t.Helper()
	var p struct {
		ActorRolloutRef struct {
			Actor struct {
				Optim struct {
					LR float64 `yaml:"lr"`
				} `yaml:"optim"`
			} `yaml:"actor"`
			Rollout struct {
				N int `yaml:"n"`
			} `yaml:"rollout"`
		} `yaml:"actor_rollout_ref"`
	}
	if err := yaml.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("plan is not YAML: %v\n%s", err, out)
	}
	return p.ActorRolloutRef.Actor.Optim.LR, p.ActorRolloutRef.Rollout.N
}

// A flag beats the environment, which beats the config file, which beats the default.
func TestConfigPrecedence(t *testing.T) {
	cfg := filepath.Join("testdata", "plan.yaml")
	for _, tt := range []struct {
		name      string
		env       map[string]string
		args      []string
		lr        float64
		groupSize int
	}{
		{"default", nil, nil, 1e-6, 8},
		{"file", nil, []string{"--config", cfg}, 3e-6, 4},
		{"env over file", map[string]string{"TOOLSCALE_LEARNING_RATE": "5e-6"}, []string{"--config", cfg}, 5e-6, 4},
		{"flag over env", map[string]string{"TOOLSCALE_LEARNING_RATE": "5e-6", "TOOLSCALE_GROUP_SIZE": "16"}, []string{"--config", cfg, "--learning-rate", "7e-6"}, 7e-6, 16},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			out, _, err := runCmd(t, "", append([]string{"train", "plan"}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			lr, group := planValues(t, out)
			if lr != tt.lr || group != tt.groupSize {
				t.Errorf("lr %v, group size %d; want %v, %d", lr, group, tt.lr, tt.groupSize)
			}
		})
	}
}

func TestTrainReward(t *testing.T) {
	in := `{"groups": [{"id": "g", "preference": {"accuracy": 1}, "rollouts": [
		{"id": "a", "outcome": 1, "cost": 0.1, "latency": 1, "valid_answer": true, "format_ok": true},
		{"id": "b", "outcome": 0, "cost": 0.1, "latency": 1, "valid_answer": true, "format_ok": true}]}]}`
	out, _, err := runCmd(t, in, "train", "reward")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Groups []struct {
			Kept     bool
			Rollouts []struct {
				ID     string
				Reward float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Groups) != 1 || !got.Groups[0].Kept || got.Groups[0].Rollouts[0].Reward != 1 || got.Groups[0].Rollouts[1].Reward != 0 {
		t.Errorf("reward output: %s", out)
	}
	_, _, err = runCmd(t, `{"groups": [{"id": "g", "rollouts": [{"id": "a", "outcome": 2}]}]}`, "train", "reward")
	if err == nil || !strings.Contains(err.Error(), "standard input") {
		t.Errorf("bad input error = %v; want one naming the input", err)
	}
}

func TestTrainSimulate(t *testing.T) {
	png := filepath.Join(t.TempDir(), "shares.png")
	out, _, err := runCmd(t, "", "train", "simulate", "--steps", "3", "--preference", "accuracy=1,cost=0.5", "--png", png)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(out, "\n"); lines != 4 {
		t.Errorf("simulate printed %d lines; want a header and 3 steps:\n%s", lines, out)
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Errorf("no plot written: %v", err)
	}
	if _, _, err := runCmd(t, "", "train", "simulate", "--preference", "cost"); err == nil {
		t.Errorf("a malformed preference was accepted")
	}
}

func TestEnvErrors(t *testing.T) {
	dir := t.TempDir()
	truncated := filepath.Join(dir, "db.json")
	os.WriteFile(truncated, []byte(`{"clients": {"C1": `), 0o644)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"env", "check", "--domain", "banks", "--db", truncated}, `unknown domain "banks"`},
		{[]string{"env", "check", "--domain", "", "--db", truncated}, `unknown domain ""`},
		{[]string{"env", "generate", "--domain", "nope", "--seed", "1"}, `unknown domain "nope"`},
	} {
		_, _, err := runCmd(t, "", tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v; want %q", tt.args, err, tt.want)
		}
	}
}
