package kmswatch

/*
#include <stdlib.h>
#include "kmswatch.h"
*/
import "C"

import "runtime"

// Pattern is a compiled CloudWatch Logs filter pattern. It is immutable:
// any number of goroutines may call its methods at once. Close frees it
// early; otherwise the garbage collector does.
type Pattern struct {
	p      *C.kmswatch_pattern
	source string
}

// CompilePattern compiles a filter pattern; an invalid one gives an *Error
// with Code PATTERN_INVALID and the byte Offset of the problem.
func CompilePattern(pattern string) (*Pattern, error) {
	var errDoc *C.char
	p := C.kmswatch_pattern_new(stringChars(pattern), C.size_t(len(pattern)), &errDoc)
	runtime.KeepAlive(pattern)
	if p == nil {
		document := C.GoString(errDoc)
		C.kmswatch_free_string(errDoc)
		return nil, errorDocument(codeInvalidInput, []byte(document))
	}
	compiled := &Pattern{p: p, source: pattern}
	runtime.SetFinalizer(compiled, (*Pattern).Close)
	return compiled, nil
}

// MustCompilePattern is CompilePattern for patterns known to be valid; it
// panics on an invalid one.
func MustCompilePattern(pattern string) *Pattern {
	p, err := CompilePattern(pattern)
	if err != nil {
		panic(err)
	}
	return p
}

// String is the text the pattern was compiled from.
func (p *Pattern) String() string { return p.source }

// Canonical is the canonical form: two spellings of one pattern have the same.
func (p *Pattern) Canonical() string {
	s := C.kmswatch_pattern_canonical(p.live())
	runtime.KeepAlive(p)
	defer C.kmswatch_free_string(s)
	return C.GoString(s)
}

// MatchString reports whether the pattern matches one raw log event (a
// CloudTrail record as CloudWatch Logs receives it is one JSON line). An
// event that is not valid UTF-8 matches nothing.
func (p *Pattern) MatchString(event string) bool {
	m := C.kmswatch_pattern_matches(p.live(), stringChars(event), C.size_t(len(event)))
	runtime.KeepAlive(p)
	runtime.KeepAlive(event)
	return m == 1
}

// Match is MatchString for an event held as bytes.
func (p *Pattern) Match(event []byte) bool {
	m := C.kmswatch_pattern_matches(p.live(), bytesData(event), C.size_t(len(event)))
	runtime.KeepAlive(p)
	runtime.KeepAlive(event)
	return m == 1
}

// Close frees the compiled pattern; no goroutine may be using it. Using a
// closed pattern panics. Close is idempotent.
func (p *Pattern) Close() {
	if p.p != nil {
		C.kmswatch_pattern_free(p.p)
		p.p = nil
		runtime.SetFinalizer(p, nil)
	}
}

func (p *Pattern) live() *C.kmswatch_pattern {
	if p.p == nil {
		panic("kmswatch: use of a closed Pattern")
	}
	return p.p
}
