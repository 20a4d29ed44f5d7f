// Package dataset defines the records toolscale writes and the on-disk layout that holds them:
// shards, the manifest, and the rejected-records output. It imports neither Beam nor cobra,
// so that trainers and publishers can read datasets with it alone.
package dataset

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
)

// Categories of training records, as ToolOrchestra's trainer names them.
const (
	CategoryFuncCall = "func_call" // a τ²-bench task solved with tool calls
	CategoryQA       = "qa"        // a question with a reference answer
)

// Sources of records.
const (
	SourceToolScale      = "toolscale"
	SourceGeneralThought = "generalthought"
)

// A Record is one training example: the canonical line of a shard.
type Record struct {
	// ID is stable across runs and formats: see RecordID.
	ID string `json:"id"`
	// Index is the record's position within its source and domain.
	Index int64 `json:"index"`
	// Category is CategoryFuncCall or CategoryQA.
	Category string `json:"category" jsonschema:"enum=func_call,enum=qa"`
	// Domain is the τ² domain of a func_call record, or the task family of a qa record.
	Domain string `json:"domain"`
	// Source is SourceToolScale or SourceGeneralThought.
	Source string `json:"source"`
	// License is the licence of the record's content.
	License string `json:"license"`
	// Split is "train" or "test"; test records use held-out price schedules.
	Split string `json:"split" jsonschema:"enum=train,enum=test"`
	// Difficulty is 0 for a base task and grows with each evolve step.
	Difficulty int `json:"difficulty"`
	// Problem is the text given to the orchestrator.
	Problem string `json:"problem"`
	// Answer is the reference answer (qa) or the expected outcome summary (func_call).
	Answer string `json:"answer"`
	// Tools lists the orchestration tools offered for this record.
	Tools []Tool `json:"tools"`
	// ModelMapping maps each model alias among Tools to the concrete model behind it.
	ModelMapping map[string]string `json:"model_mapping"`
	// ToolPricing gives each tool alias its price schedule and latency.
	ToolPricing map[string]Pricing `json:"tool_pricing"`
	// PrefVec holds one weight per tool alias, then "accuracy", "cost" and "latency".
	PrefVec map[string]float64 `json:"pref_vec"`
	// PrefInstruction says in words what PrefVec says in numbers.
	PrefInstruction string `json:"pref_instruction"`
	// Example is the τ²-bench Task of a func_call record, or the source row of a qa record.
	Example json.RawMessage `json:"example"`
}

// A Tool is one orchestration tool offered to the orchestrator.
type Tool struct {
	// Alias is the name the orchestrator calls, such as "search-1" or "expert-3".
	Alias string `json:"alias"`
	// Kind is "basic", "specialized" or "generalist".
	Kind string `json:"kind" jsonschema:"enum=basic,enum=specialized,enum=generalist"`
	// Description tells the orchestrator what the tool does.
	Description string `json:"description"`
}

// Pricing is what one call of a tool costs and how long it takes.
type Pricing struct {
	Provider         string  `json:"provider"`
	InputPerMillion  float64 `json:"input_per_million"`  // $ per million input tokens
	OutputPerMillion float64 `json:"output_per_million"` // $ per million output tokens
	PerCall          float64 `json:"per_call"`           // $ per call
	PerSecond        float64 `json:"per_second"`         // $ per second of run time
	LatencySeconds   float64 `json:"latency_seconds"`    // sampled latency of one call
}

// RecordID derives a record's stable id from the seed, the domain (or source) and the index.
// The same three values always give the same id; ids of different inputs differ.
func RecordID(seed int64, domain string, index int64) string {
	h := sha256.New()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(seed))
	binary.BigEndian.PutUint64(b[8:], uint64(index))
	h.Write(b[:])
	h.Write([]byte(domain))
	return domain + "-" + hex.EncodeToString(h.Sum(nil)[:10])
}

// A Rejected record is an input that did not reach a shard, with where and why.
type Rejected struct {
	ID     string `json:"id,omitempty"`
	Source string `json:"source"`
	Domain string `json:"domain,omitempty"`
	Stage  string `json:"stage"`  // the pipeline stage that rejected it: synthesize, verify, read, filter, dedup, …
	Reason string `json:"reason"` // a short stable reason, counted in the manifest
	Detail string `json:"detail,omitempty"`
	File   string `json:"file,omitempty"` // for read errors: the input file
	Line   int64  `json:"line,omitempty"` // 1-based line or row
}
