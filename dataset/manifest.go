package dataset

import "encoding/json"

// ManifestName is the file that makes a dataset: written last, read first.
const ManifestName = "manifest.json"

// FormatVersion names the layout described by Manifest.
const FormatVersion = "toolscale.dataset/v1"

// A Manifest lists everything in a dataset. A reader trusts a dataset only through it.
type Manifest struct {
	Format       string          `json:"format"`
	ToolVersion  string          `json:"tool_version"`
	Seed         int64           `json:"seed"`
	Config       json.RawMessage `json:"config"`
	ConfigSHA256 string          `json:"config_sha256"`
	// Schemas maps each record type to the id of its JSON Schema.
	Schemas map[string]string `json:"schemas"`
	// Shards are the training-record shards, in shard order.
	Shards []File `json:"shards"`
	// Rejected are the rejected-record files.
	Rejected []File `json:"rejected"`
	// Files are the other outputs (τ² layout, databases, policies).
	Files  []File `json:"files"`
	Counts Counts `json:"counts"`
}

// A File is one file of a dataset, with what a reader checks.
type File struct {
	Path    string `json:"path"` // relative to the dataset root, with forward slashes
	Records int64  `json:"records,omitempty"`
	Bytes   int64  `json:"bytes"`
	SHA256  string `json:"sha256"`
}

// Counts account for every input: Read = Written + Rejected + Filtered.
type Counts struct {
	Read     int64 `json:"read"`
	Written  int64 `json:"written"`
	Rejected int64 `json:"rejected"`
	Filtered int64 `json:"filtered"`
	// ByDomain and BySource count written records.
	ByDomain map[string]int64 `json:"by_domain"`
	BySource map[string]int64 `json:"by_source"`
	// RejectedByReason and FilteredByReason count the records that were not written.
	RejectedByReason map[string]int64 `json:"rejected_by_reason"`
	FilteredByReason map[string]int64 `json:"filtered_by_reason"`
}
