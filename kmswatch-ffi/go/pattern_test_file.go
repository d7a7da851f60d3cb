package kmswatch

/*
#include <stdlib.h>
#include "kmswatch.h"
*/
import "C"

import (
	"encoding/json"
	"runtime"
)

// LogMatch is one event of a log file that a pattern matched: the object
// `kmswatch pattern test --format json` prints. Line is set for JSON Lines,
// Record for CloudTrail archives and JSON documents (both 1-based).
type LogMatch struct {
	File   string          `json:"file"`
	Line   uint64          `json:"line,omitempty"`
	Record uint64          `json:"record,omitempty"`
	Event  json.RawMessage `json:"event"` // the event as JSON, or a JSON string
}

// LogSearch is the kmswatch.pattern-test/v1 summary of a search of one log
// file, with its matches in file order.
type LogSearch struct {
	Schema    string     `json:"schema"`
	Matched   uint64     `json:"matched"`
	Events    uint64     `json:"events"`
	Oversized uint64     `json:"oversized"` // events over 1 MiB, not matched
	Files     uint64     `json:"files"`
	Matches   []LogMatch `json:"matches"`
}

// PatternTestFile searches the log file at path (JSON Lines, pretty-printed
// events, JSON arrays, a CloudTrail archive; gzip or not) for the events
// pattern matches, as `kmswatch pattern test FILE --format json`. The error
// is an *Error for an invalid pattern (PATTERN_INVALID) or a file that cannot
// be read to its end (INPUT_UNREADABLE).
func PatternTestFile(pattern, path string) (LogSearch, error) {
	var out *C.char
	var n C.size_t
	code := int(C.kmswatch_pattern_test_file(stringChars(pattern), C.size_t(len(pattern)),
		stringChars(path), C.size_t(len(path)), &out, &n))
	runtime.KeepAlive(pattern)
	runtime.KeepAlive(path)
	var search LogSearch
	if err := readDocument(code, takeString(out, n), &search, "search result"); err != nil {
		return LogSearch{}, err
	}
	return search, nil
}
