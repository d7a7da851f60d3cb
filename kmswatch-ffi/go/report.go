package kmswatch

import "encoding/json"

// Status is a verdict: PASS, FAIL, ERROR or MANUAL.
type Status string

// The verdicts.
const (
	// StatusPass: a KMS key disable or deletion reaches a human.
	StatusPass Status = "PASS"
	// StatusFail: not monitored, and every gap is known.
	StatusFail Status = "FAIL"
	// StatusError: a needed fact is unknown; the answer could change the verdict.
	StatusError Status = "ERROR"
	// StatusManual: the chain runs through resources the facts cannot show
	// (an organization trail's log group in another account).
	StatusManual Status = "MANUAL"
)

// ExitCode is the exit code of `kmswatch check` for the verdict: 0 PASS,
// 1 FAIL, 3 ERROR or MANUAL.
func (s Status) ExitCode() int {
	switch s {
	case StatusPass:
		return 0
	case StatusFail:
		return 1
	default:
		return 3
	}
}

// Report is the kmswatch.report/v1 document (`kmswatch check --format json`).
type Report struct {
	Schema     string          `json:"schema"`
	Status     Status          `json:"status"`
	Summary    string          `json:"summary"`
	AccountID  string          `json:"account_id"`
	Region     string          `json:"region"`
	Chains     []Chain         `json:"chains"` // one per trail
	Gaps       []Gap           `json:"gaps"`   // gaps that belong to no chain
	CISPattern CISPatternCheck `json:"cis_pattern"`
	Warnings   []Gap           `json:"warnings"`
	APICalls   *uint64         `json:"api_calls"` // nil for a report on a snapshot
	Version    string          `json:"kmswatch_version"`
	// GeneratedAt is when the report was made (RFC 3339); empty from
	// kmswatch_evaluate, which is pure.
	GeneratedAt string `json:"generated_at"`
	CapturedAt  string `json:"captured_at,omitempty"`
	// Controls has a verdict per CIS monitoring control asked for
	// (EvaluateControls); empty when only the KMS control was.
	Controls []ControlVerdict `json:"controls,omitempty"`
	// JSON is the document as libkmswatch returned it.
	JSON json.RawMessage `json:"-"`
}

// ControlVerdict is one CIS monitoring control's verdict: Control is its CIS
// v1.4.0 number ("4.3"), SecurityHub its Security Hub id ("CloudWatch.1",
// empty for 4.15), CISVersions its number in each CIS version.
type ControlVerdict struct {
	Control       string            `json:"control"`
	SecurityHub   string            `json:"security_hub,omitempty"`
	CISVersions   map[string]string `json:"cis_versions"`
	Title         string            `json:"title"`
	Status        Status            `json:"status"`
	Summary       string            `json:"summary"`
	Gaps          []Gap             `json:"gaps"`
	MetricFilters []string          `json:"metric_filters"`
}

// Gap is one thing wrong (or unknown) with a link of a chain. Code is stable
// (TRAIL_NOT_LOGGING, PATTERN_MISSES:ScheduleKeyDeletion, ...); Severity is
// fail, error, manual or warning.
type Gap struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Resource string `json:"resource,omitempty"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
}

// Chain is one trail's monitoring chain: trail, log group, filters, alarms, topics.
type Chain struct {
	Status        Status       `json:"status"`
	TrailARN      string       `json:"trail_arn"`
	TrailName     string       `json:"trail_name"`
	HomeRegion    string       `json:"home_region"`
	LogGroupARN   string       `json:"log_group_arn,omitempty"`
	MetricFilters []FilterLink `json:"metric_filters"`
	Gaps          []Gap        `json:"gaps"`
}

// FilterLink is a metric filter that catches a target event, and its alarms.
type FilterLink struct {
	Status           Status      `json:"status"`
	FilterName       string      `json:"filter_name"`
	FilterPattern    string      `json:"filter_pattern"`
	CanonicalPattern string      `json:"canonical_pattern,omitempty"`
	Catches          []string    `json:"catches"`
	Misses           []string    `json:"misses"`
	Metric           *Metric     `json:"metric,omitempty"`
	Alarms           []AlarmLink `json:"alarms"`
	Gaps             []Gap       `json:"gaps"`
}

// AlarmLink is an alarm on a filter's metric, and the topics it notifies.
type AlarmLink struct {
	Status    Status      `json:"status"`
	AlarmName string      `json:"alarm_name"`
	AlarmARN  string      `json:"alarm_arn"`
	Topics    []TopicLink `json:"topics"`
	Gaps      []Gap       `json:"gaps"`
}

// TopicLink is a topic an alarm notifies.
type TopicLink struct {
	Status                 Status `json:"status"`
	TopicARN               string `json:"topic_arn"`
	ConfirmedSubscriptions *int   `json:"confirmed_subscriptions,omitempty"`
	Gaps                   []Gap  `json:"gaps"`
}

// CISPatternCheck says whether a filter on a passing chain has the exact CIS
// pattern text, which Security Hub CloudWatch.7 compares.
type CISPatternCheck struct {
	Exact   bool     `json:"exact"`
	Filters []string `json:"filters"`
	Message string   `json:"message"`
}

// Remediation is the kmswatch.plan/v1 document of a dry run
// (`kmswatch remediate --snapshot FILE --format json`).
type Remediation struct {
	Schema       string `json:"schema"`
	AccountID    string `json:"account_id"`
	Region       string `json:"region"`
	StatusBefore Status `json:"status_before"`
	TrailARN     string `json:"trail_arn,omitempty"`
	LogGroupARN  string `json:"log_group_arn,omitempty"`
	// Actions are the writes in dependency order; each has an "action" key
	// (create_topic, merge_topic_policy, subscribe, put_metric_filter,
	// put_metric_alarm) and its settings.
	Actions             []map[string]any      `json:"actions"`
	Unchanged           []string              `json:"unchanged"`
	PendingConfirmation []PendingSubscription `json:"pending_confirmation"`
	Notes               []string              `json:"notes"`
	Diff                []string              `json:"diff"`
	PredictedStatus     Status                `json:"predicted_status"`
	// PredictedStatusOnceConfirmed is set when a subscription awaits confirmation.
	PredictedStatusOnceConfirmed Status `json:"predicted_status_once_confirmed,omitempty"`
	// JSON is the document as libkmswatch returned it.
	JSON json.RawMessage `json:"-"`
}

// ReachesPass reports whether applying the plan makes the account pass, now
// or once the pending subscriptions are confirmed.
func (r Remediation) ReachesPass() bool {
	return r.PredictedStatus == StatusPass || r.PredictedStatusOnceConfirmed == StatusPass
}

// PendingSubscription is a subscription that must be confirmed before the account passes.
type PendingSubscription struct {
	TopicARN      string `json:"topic_arn"`
	Protocol      string `json:"protocol"`
	Endpoint      string `json:"endpoint"`
	CreatedByPlan bool   `json:"created_by_plan"`
}
