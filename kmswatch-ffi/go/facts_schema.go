package kmswatch

// The structs of the facts document (Facts and what it holds) are generated
// into facts.go from its JSON Schema by tests/tools/go_types.py.
//
// A fact that could not be read is left unknown — a nil pointer, or a nil
// slice where the field is a list of what was read (LogGroup.MetricFilters,
// RegionAlarms.Alarms, RegionAlarms.CompositeAlarms, Topic.Subscriptions),
// written as null — and the failed call goes in Facts.Errors. An empty,
// non-nil slice means "read, and there are none". kmswatch never treats an
// unknown fact as good news.

// FactsSchema is the schema of the facts document this package writes.
const FactsSchema = "kmswatch.facts/v1"

// Bool is a convenience for the *bool fields of Facts.
func Bool(b bool) *bool { return &b }

// Float64 is a convenience for the *float64 fields of Facts.
func Float64(f float64) *float64 { return &f }

// Int32 is a convenience for the *int32 fields of Facts.
func Int32(i int32) *int32 { return &i }
