// Package task holds the τ²-bench Task format that toolscale's tasks are written in, and the
// Draft that a domain's intent templates fill in before a task is verified.
package task

import (
	"github.com/toolscale/toolscale/domains/py"
)

// A Task is a τ²-bench task. Fields toolscale adds live under Toolscale; τ²-style
// evaluators ignore them.
type Task struct {
	ID                 string             `json:"id"`
	Description        *Description       `json:"description"`
	UserScenario       UserScenario       `json:"user_scenario"`
	Ticket             *string            `json:"ticket"`
	InitialState       *InitialState      `json:"initial_state"`
	EvaluationCriteria EvaluationCriteria `json:"evaluation_criteria"`
	Toolscale          *Extension         `json:"toolscale,omitempty"`
}

// Description says what the task is for.
type Description struct {
	Purpose          string  `json:"purpose"`
	RelevantPolicies *string `json:"relevant_policies"`
	Notes            *string `json:"notes"`
}

// UserScenario is what the simulated user knows and wants.
type UserScenario struct {
	Persona      string       `json:"persona"`
	Instructions Instructions `json:"instructions"`
}

// Instructions are τ²'s StructuredUserInstructions.
type Instructions struct {
	Domain           string `json:"domain"`
	ReasonForCall    string `json:"reason_for_call"`
	KnownInfo        string `json:"known_info"`
	UnknownInfo      string `json:"unknown_info"`
	TaskInstructions string `json:"task_instructions"`
}

// InitialState is τ²'s optional initial state; toolscale tasks start from their database
// file and leave it null.
type InitialState struct {
	InitializationData    any   `json:"initialization_data"`
	InitializationActions []any `json:"initialization_actions"`
	MessageHistory        []any `json:"message_history"`
}

// EvaluationCriteria say how a run of the task is scored.
type EvaluationCriteria struct {
	Actions         []Action `json:"actions"`
	CommunicateInfo []string `json:"communicate_info"`
	NLAssertions    []string `json:"nl_assertions"`
	RewardBasis     []string `json:"reward_basis"`
}

// An Action is one golden tool call. Arguments hold only the tool's own parameters.
type Action struct {
	ActionID  string     `json:"action_id"`
	Requestor string     `json:"requestor" jsonschema:"enum=assistant,enum=user"`
	Name      string     `json:"name"`
	Arguments *py.Object `json:"arguments"`
	Info      *string    `json:"info"`
}

// Extension is what toolscale records about a task beyond τ²'s fields.
type Extension struct {
	// DB is the database file the task runs on, relative to the domain's τ² folder.
	DB string `json:"db"`
	// Intent names the template (and, for evolved tasks, the chain of templates).
	Intent     string `json:"intent"`
	Difficulty int    `json:"difficulty"`
	// Expected are the hashes of the database after the golden actions.
	Expected Hashes `json:"expected"`
}

// Hashes of a database: toolscale's canonical sha256 and the reference's tau2 hash.
type Hashes struct {
	SHA256 string `json:"sha256"`
	Tau2   string `json:"tau2_hash"`
}

// A Draft is what an intent template produces from an environment: the task before it is
// given an id, evolved and verified.
type Draft struct {
	Intent string
	// Subject names who the caller is (a client id, an email). An evolve step chains only
	// drafts of the same non-empty subject, so that a harder task is still one caller's.
	Subject          string
	Purpose          string
	Persona          string
	ReasonForCall    string
	KnownInfo        string
	UnknownInfo      string
	TaskInstructions string
	// Actions are the golden calls, in order, with only each tool's own parameters.
	Actions []Call
	// CommunicateInfo are facts the agent must tell the user (exact strings from tool outputs).
	CommunicateInfo []string
	// NLAssertions are statements a judge checks against the conversation.
	NLAssertions []string
}

// A Call is a golden tool call.
type Call struct {
	Name      string
	Arguments *py.Object
}

// NewCall is a golden call of tool name with arguments given as key, value pairs.
func NewCall(name string, kv ...any) Call { return Call{Name: name, Arguments: py.NewObject(kv...)} }
