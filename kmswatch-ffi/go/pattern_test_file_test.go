package kmswatch

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
)

// The bundled JSON Lines file and gzip archive hold the same events.
func TestPatternTestFile(t *testing.T) {
	archives, err := filepath.Glob("../../examples/cloudtrail/*.json.gz")
	if err != nil || len(archives) != 1 {
		t.Fatalf("the bundled archive: %v %v", archives, err)
	}
	const disable = "{ $.eventName = DisableKey }"
	lines, err := PatternTestFile(disable, "../../examples/cloudtrail/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	archive, err := PatternTestFile(disable, archives[0])
	if err != nil {
		t.Fatal(err)
	}
	if lines.Schema != "kmswatch.pattern-test/v1" || lines.Files != 1 || lines.Matched == 0 ||
		int(lines.Matched) != len(lines.Matches) || len(archive.Matches) != len(lines.Matches) {
		t.Fatalf("lines %+v, archive %+v", lines, archive)
	}
	for i, m := range lines.Matches {
		var event struct{ EventName string }
		if err := json.Unmarshal(m.Event, &event); err != nil || event.EventName != "DisableKey" {
			t.Errorf("match %d: %s (%v)", i, m.Event, err)
		}
		if m.Line == 0 || m.Record != 0 || archive.Matches[i].Record != m.Line {
			t.Errorf("match %d: line %d, archive record %d", i, m.Line, archive.Matches[i].Record)
		}
	}
	none, err := PatternTestFile("{ $.eventName = NoSuchCall }", "../../examples/cloudtrail/events.jsonl")
	if err != nil || none.Matched != 0 || len(none.Matches) != 0 || none.Events == 0 {
		t.Fatalf("no match: %+v %v", none, err)
	}
}

func TestPatternTestFileErrors(t *testing.T) {
	for _, c := range []struct{ pattern, path, code string }{
		{"DisableKey", "../../examples/cloudtrail/no-such-file.json", "INPUT_UNREADABLE"},
		{"DisableKey", "../../examples/cloudtrail", "INPUT_UNREADABLE"},
		{"{ $.eventName = ", "../../examples/cloudtrail/events.jsonl", "PATTERN_INVALID"},
	} {
		_, err := PatternTestFile(c.pattern, c.path)
		var e *Error
		if !errors.As(err, &e) || e.Code != c.code {
			t.Errorf("%s on %s: %v, expected %s", c.pattern, c.path, err, c.code)
		}
	}
}
