// Package kmswatch is the Go face of libkmswatch: is disabling or scheduling
// deletion of a KMS customer managed key in an AWS account monitored (CIS AWS
// Foundations 4.7, Security Hub CloudWatch.7)?
//
// A scanner that has its own inventory fills a [Facts] value (the
// kmswatch.facts/v1 document `kmswatch snapshot` writes) and calls
// [EvaluateFacts] or [Evaluate]; [Plan] gives the remediation; [CompilePattern]
// is the CloudWatch Logs filter-pattern engine, and [PatternTestFile] runs a
// pattern over a log file. Every function is safe for
// concurrent use, and one compiled [Pattern] may be shared by goroutines.
//
// The package links against libkmswatch, built with
// `cargo build --release -p kmswatch-ffi`; by default from the workspace's
// target/release directory (set CGO_LDFLAGS=-L<dir> for another one).
package kmswatch

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#cgo LDFLAGS: -L${SRCDIR}/../../target/release -Wl,-rpath,${SRCDIR}/../../target/release -lkmswatch
#include <stdlib.h>
#include "kmswatch.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"runtime"
	"unsafe"
)

// codeInvalidInput is what the C functions return for invalid input; the
// other codes are verdicts, read from the documents instead.
const codeInvalidInput = int(C.KMSWATCH_INVALID_INPUT)

// Version is the version of the linked libkmswatch.
func Version() string {
	return C.GoString(C.kmswatch_version())
}

// Error is a kmswatch.error/v1 document: invalid input (ReturnCode 2), or a
// plan kmswatch refuses (1: a trail prerequisite is missing, a name conflict,
// the filter limit; 3: a fact the plan needs is unknown).
type Error struct {
	// ReturnCode is what the C function returned.
	ReturnCode int `json:"-"`
	// Code is stable: INVALID_ARGUMENT, INVALID_UTF8, SNAPSHOT_INVALID,
	// OPTIONS_INVALID, PATTERN_INVALID, PREREQUISITE_MISSING, FACTS_INCOMPLETE,
	// CONFLICT, FILTER_LIMIT, NO_SUBSCRIBER, NOT_PASS_AFTER_PREVIEW, API_ERROR,
	// INPUT_UNREADABLE, PANIC.
	Code string `json:"code"`
	// Message says what is wrong and what to do.
	Message string `json:"message"`
	// Offset is the byte offset into the pattern, for PATTERN_INVALID.
	Offset *int `json:"offset,omitempty"`
	// Gaps explain PREREQUISITE_MISSING and FACTS_INCOMPLETE.
	Gaps []Gap `json:"gaps,omitempty"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("kmswatch: %s: %s", e.Code, e.Message)
}

// errorDocument reads a kmswatch.error/v1 document.
func errorDocument(returnCode int, document []byte) error {
	var doc struct {
		Schema string `json:"schema"`
		Error  Error  `json:"error"`
	}
	if err := json.Unmarshal(document, &doc); err != nil || doc.Schema != "kmswatch.error/v1" {
		return fmt.Errorf("kmswatch: unreadable answer (code %d): %s", returnCode, document)
	}
	doc.Error.ReturnCode = returnCode
	return &doc.Error
}

// bytesData points at the bytes of b; a pointer to a zero byte when b is
// empty, since C must not receive NULL for an empty input.
func bytesData(b []byte) *C.char {
	if len(b) == 0 {
		return (*C.char)(unsafe.Pointer(&zero))
	}
	return (*C.char)(unsafe.Pointer(&b[0]))
}

var zero byte

// stringChars is bytesData for a string, without copying it.
func stringChars(s string) *C.char {
	if len(s) == 0 {
		return (*C.char)(unsafe.Pointer(&zero))
	}
	return (*C.char)(stringData(s))
}

// takeString copies a string libkmswatch returned and frees it.
func takeString(s *C.char, n C.size_t) []byte {
	if s == nil {
		return nil
	}
	defer C.kmswatch_free_string(s)
	return C.GoBytes(unsafe.Pointer(s), C.int(n))
}

// Evaluate evaluates a kmswatch.facts/v1 document. FAIL, ERROR and MANUAL
// are verdicts in Report.Status, not errors; the error is an *Error for
// invalid input (malformed JSON, another schema, an inconsistent document).
func Evaluate(facts []byte) (Report, error) {
	var out *C.char
	var n C.size_t
	code := int(C.kmswatch_evaluate(bytesData(facts), C.size_t(len(facts)), &out, &n))
	runtime.KeepAlive(facts)
	return readReport(code, takeString(out, n))
}

// readReport reads the report document a C function returned.
func readReport(code int, document []byte) (Report, error) {
	var report Report
	if err := readDocument(code, document, &report, "report"); err != nil {
		return Report{}, err
	}
	report.JSON = document
	return report, nil
}

// EvaluateControls evaluates a kmswatch.facts/v1 document for the CIS
// CloudWatch monitoring controls named in controls (comma-separated ids:
// "4.3,CloudWatch.7", or "cis" for all fifteen; "" for the KMS control).
// Report.Controls has a verdict per control and Report.Status is the worst
// of them; an unknown id is an *Error.
func EvaluateControls(facts []byte, controls string) (Report, error) {
	var out *C.char
	var n C.size_t
	ids := []byte(controls)
	code := int(C.kmswatch_evaluate_controls(bytesData(facts), C.size_t(len(facts)), bytesData(ids), C.size_t(len(ids)), &out, &n))
	runtime.KeepAlive(facts)
	runtime.KeepAlive(ids)
	return readReport(code, takeString(out, n))
}

// readDocument reads what a C function returned into v: an *Error for
// invalid input, else the document.
func readDocument(code int, document []byte, v interface{}, what string) error {
	if code == codeInvalidInput {
		return errorDocument(code, document)
	}
	if err := json.Unmarshal(document, v); err != nil {
		return fmt.Errorf("kmswatch: unreadable %s: %w", what, err)
	}
	return nil
}

// EvaluateFacts evaluates facts gathered by the caller.
func EvaluateFacts(facts Facts) (Report, error) {
	document, err := json.Marshal(facts)
	if err != nil {
		return Report{}, err
	}
	return Evaluate(document)
}

// PlanOptions are the keyword arguments of the Python kmswatch.plan(); the
// zero value keeps kmswatch's defaults.
type PlanOptions struct {
	Email           string            `json:"email,omitempty"`
	Subscribe       string            `json:"subscribe,omitempty"` // PROTOCOL:ENDPOINT
	TopicARN        string            `json:"topic_arn,omitempty"`
	FilterName      string            `json:"filter_name,omitempty"`
	AlarmName       string            `json:"alarm_name,omitempty"`
	TopicName       string            `json:"topic_name,omitempty"`
	MetricNamespace string            `json:"metric_namespace,omitempty"`
	MetricName      string            `json:"metric_name,omitempty"`
	Tags            map[string]string `json:"tags,omitempty"`
	Adopt           bool              `json:"adopt,omitempty"`
}

// Plan is the dry run of `kmswatch remediate` on a facts document: the
// actions that make the account pass and the verdict they would give.
// Nothing is written. A plan that does not reach PASS is returned without an
// error (see Remediation.ReachesPass); the error is an *Error when the input
// is invalid or kmswatch will not remediate as things are.
func Plan(facts []byte, options PlanOptions) (Remediation, error) {
	opts, err := json.Marshal(options)
	if err != nil {
		return Remediation{}, err
	}
	var out *C.char
	var n C.size_t
	code := int(C.kmswatch_plan(bytesData(facts), C.size_t(len(facts)),
		bytesData(opts), C.size_t(len(opts)), &out, &n))
	runtime.KeepAlive(facts)
	runtime.KeepAlive(opts)
	document := takeString(out, n)
	var plan Remediation
	if err := json.Unmarshal(document, &plan); err != nil || plan.Schema != "kmswatch.plan/v1" {
		return Remediation{}, errorDocument(code, document)
	}
	plan.JSON = document
	return plan, nil
}
