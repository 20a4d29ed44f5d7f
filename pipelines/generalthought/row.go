// Package generalthought reads GeneralThought-430K as it is published (Parquet, JSONL, gzip
// JSONL; local files or gs:// objects), one row at a time, and filters and de-duplicates its
// rows. It imports no Beam: a pipeline calls Open and Next from a DoFn per file, and Filter,
// DedupKey or a Deduper per row.
//
// Every row that does not reach the output has a stable reason from the list in reasons.go:
// the reader reports bad rows as *RowError values and goes on with the next row, Filter names
// the per-row filter that dropped a row, and the dedup helpers name the duplicate kind.
package generalthought

import (
	"fmt"
)

// A Row is one row of GeneralThought-430K, with its 14 published columns.
//
// The published Parquet files type question_id and community_question_score as int64 and the
// other scores as float64; the numeric columns may be null (or NaN, as pandas writes a
// missing float), so they are pointers here. community_question_score is a float64 because
// pandas turns an integer column with nulls into float64: both read the same. A null string
// column reads as "". Only the question is required.
type Row struct {
	QuestionID             *int64    `json:"question_id"`
	QuestionURL            string    `json:"question_url"`
	Question               string    `json:"question"`
	ReferenceAnswer        string    `json:"reference_answer"`
	PrevMessages           []Message `json:"prev_messages"`
	ModelName              string    `json:"model_name"`
	ModelAnswer            string    `json:"model_answer"`
	ModelReasoning         string    `json:"model_reasoning"`
	Task                   string    `json:"task"`
	QuestionLicense        string    `json:"question_license"`
	QuestionSource         string    `json:"question_source"`
	CommunityAnswerScore   *float64  `json:"community_answer_score"`
	CommunityQuestionScore *float64  `json:"community_question_score"`
	VerifierScore          *float64  `json:"verifier_score"`

	// File is the path the row was read from, as given to Open.
	File string `json:"-"`
	// Line is the row's 1-based line in a JSONL file or 1-based row in a Parquet file: the
	// number a RowError would give as Row.
	Line int64 `json:"-"`
}

// A Message is one entry of a row's prev_messages: an earlier turn of the conversation.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// A RowError reports a row the reader could not turn into a Row. The reader has consumed the
// row and goes on with the next one when Next is called again.
type RowError struct {
	File   string // the path as given to Open
	Row    int64  // 1-based line (JSONL) or row (Parquet)
	Field  string // the column at fault, such as "question" or "prev_messages.role"; "" for the whole row
	Reason string // one of the Reason constants of the read stage
	Err    error  // the detail, when there is more to say than the reason
}

func (e *RowError) Error() string {
	where := fmt.Sprintf("%s:%d", e.File, e.Row)
	if e.Field != "" {
		where += ": " + e.Field
	}
	if e.Err == nil {
		return where + ": " + e.Reason
	}
	return where + ": " + e.Reason + ": " + e.Err.Error()
}

func (e *RowError) Unwrap() error { return e.Err }
