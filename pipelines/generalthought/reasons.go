package generalthought

// Reasons a row does not reach the output. The list is append-only: a reason keeps its name
// once published, since manifests count rows by it.
const (
	// Read stage: the row could not be decoded.

	// ReasonMalformedJSON: the line is not a JSON object (a syntax error, a truncated object,
	// or a value that is not an object).
	ReasonMalformedJSON = "malformed_json"
	// ReasonWrongType: a column holds a value of the wrong type, such as a string score, a
	// numeric question or a prev_messages that is not a list of {role, content}.
	ReasonWrongType = "wrong_type"
	// ReasonMissingQuestion: the question is absent, null, empty or only white space.
	ReasonMissingQuestion = "missing_question"
	// ReasonLineTooLong: a JSONL line is longer than the reader's limit (MaxLineBytes).
	ReasonLineTooLong = "line_too_long"

	// Filter stage: the row is well formed but not wanted (see Filter).

	// ReasonSourceNotAllowed: question_source is not in FilterConfig.Sources.
	ReasonSourceNotAllowed = "source_not_allowed"
	// ReasonTaskNotAllowed: task is not in FilterConfig.Tasks.
	ReasonTaskNotAllowed = "task_not_allowed"
	// ReasonEmptyReferenceAnswer: the reference answer is empty or only white space.
	ReasonEmptyReferenceAnswer = "empty_reference_answer"
	// ReasonQuestionTooShort: the question has fewer than MinQuestionChars characters.
	ReasonQuestionTooShort = "question_too_short"
	// ReasonQuestionTooLong: the question has more than MaxQuestionChars characters.
	ReasonQuestionTooLong = "question_too_long"
	// ReasonAnswerTooShort: the reference answer has fewer than MinAnswerChars characters.
	ReasonAnswerTooShort = "answer_too_short"
	// ReasonAnswerTooLong: the reference answer has more than MaxAnswerChars characters.
	ReasonAnswerTooLong = "answer_too_long"
	// ReasonOpenEnded: the question asks for an explanation or a discussion that a reference
	// answer cannot check (see FilterConfig.OpenEndedWords).
	ReasonOpenEnded = "open_ended"

	// Dedup stage: an earlier row (in file order, then row order) asks the same question.

	// ReasonDuplicateID: an earlier row has the same question_id.
	ReasonDuplicateID = "duplicate_question_id"
	// ReasonDuplicateText: an earlier row has the same normalized question text.
	ReasonDuplicateText = "duplicate_question_text"
)

// Stages of the merge at which a row can be dropped, as dataset.Rejected.Stage names them.
const (
	StageRead   = "read"
	StageFilter = "filter"
	StageDedup  = "dedup"
)

var reasons = []struct{ reason, stage string }{
	{ReasonMalformedJSON, StageRead},
	{ReasonWrongType, StageRead},
	{ReasonMissingQuestion, StageRead},
	{ReasonLineTooLong, StageRead},
	{ReasonSourceNotAllowed, StageFilter},
	{ReasonTaskNotAllowed, StageFilter},
	{ReasonEmptyReferenceAnswer, StageFilter},
	{ReasonQuestionTooShort, StageFilter},
	{ReasonQuestionTooLong, StageFilter},
	{ReasonAnswerTooShort, StageFilter},
	{ReasonAnswerTooLong, StageFilter},
	{ReasonOpenEnded, StageFilter},
	{ReasonDuplicateID, StageDedup},
	{ReasonDuplicateText, StageDedup},
}

// Reasons returns every reason in the order they were added.
func Reasons() []string {
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = r.reason
	}
	return out
}

// StageOf returns the stage that gives reason (StageRead, StageFilter or StageDedup), or ""
// for a reason this package does not give.
func StageOf(reason string) string {
	for _, r := range reasons {
		if r.reason == reason {
			return r.stage
		}
	}
	return ""
}
