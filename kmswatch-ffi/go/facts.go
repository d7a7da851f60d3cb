package kmswatch

// FactsSchema is the schema of the facts document this package writes.
const FactsSchema = "kmswatch.facts/v1"

// Facts is what kmswatch needs to know about one account: the
// kmswatch.facts/v1 document (`kmswatch snapshot` writes the same). Field
// names follow the AWS APIs in snake_case.
//
// A fact that could not be read is left unknown — a nil pointer, or a nil
// slice where the field is a list of what was read (LogGroup.MetricFilters,
// RegionAlarms.Alarms, RegionAlarms.CompositeAlarms, Topic.Subscriptions) —
// and the failed call goes in
// Errors. An empty, non-nil slice means "read, and there are none". kmswatch
// never treats an unknown fact as good news.
type Facts struct {
	Schema     string         `json:"schema"` // FactsSchema
	AccountID  string         `json:"account_id"`
	Region     string         `json:"region"` // the region whose DescribeTrails listed the trails
	CapturedAt string         `json:"captured_at,omitempty"`
	Trails     []Trail        `json:"trails,omitempty"`
	LogGroups  []LogGroup     `json:"log_groups,omitempty"`
	Alarms     []RegionAlarms `json:"alarms,omitempty"`
	Topics     []Topic        `json:"topics,omitempty"`
	Keys       []KeyFacts     `json:"keys,omitempty"` // the customer managed keys of those topics
	// EventRules are the EventBridge rules of the default event bus, by
	// region: read when the metric-filter chain does not pass (monitored_by).
	EventRules []RegionEventRules `json:"event_rules,omitempty"`
	// KeyRegions are the regions read for customer managed keys, when
	// accepted EventBridge monitoring needed them; nil: unknown.
	KeyRegions *KeyRegionFacts `json:"key_regions,omitempty"`
	Errors     []APIError      `json:"errors,omitempty"`
}

// KeyRegionFacts are the customer managed keys of each region read, and the
// opt-in regions not enabled (skipped).
type KeyRegionFacts struct {
	Regions []RegionKeyFacts `json:"regions"`
	Skipped []string         `json:"skipped,omitempty"`
}

// RegionKeyFacts are one region's customer managed key ARNs; nil (null):
// ListKeys (or a DescribeKey) failed there, empty: no key.
type RegionKeyFacts struct {
	Region              string   `json:"region"`
	CustomerManagedKeys []string `json:"customer_managed_keys"`
}

// RegionEventRules are the rules of one region's default event bus; Rules
// nil: not read.
type RegionEventRules struct {
	Region string      `json:"region"`
	Rules  []EventRule `json:"rules"`
}

// EventRule is an EventBridge rule as ListRules returns it, with its targets
// (ListTargetsByRule; nil: not read).
type EventRule struct {
	Name         string       `json:"name"`
	ARN          string       `json:"arn"`
	EventBusName string       `json:"event_bus_name,omitempty"` // "": default
	State        string       `json:"state,omitempty"`          // ENABLED, DISABLED...
	EventPattern string       `json:"event_pattern,omitempty"`  // JSON text
	Targets      []RuleTarget `json:"targets,omitempty"`
}

// RuleTarget is a target of an EventBridge rule; TransformsInput is true when
// it has Input, InputPath or InputTransformer.
type RuleTarget struct {
	ID              string `json:"id"`
	ARN             string `json:"arn"`
	TransformsInput bool   `json:"transforms_input,omitempty"`
}

// Trail is a trail as DescribeTrails returns it, with its status and selectors.
type Trail struct {
	Name                      string          `json:"name"`
	TrailARN                  string          `json:"trail_arn"`
	HomeRegion                string          `json:"home_region"`
	IsMultiRegionTrail        bool            `json:"is_multi_region_trail"`
	IsOrganizationTrail       bool            `json:"is_organization_trail"`
	CloudWatchLogsLogGroupARN string          `json:"cloud_watch_logs_log_group_arn,omitempty"`
	CloudWatchLogsRoleARN     string          `json:"cloud_watch_logs_role_arn,omitempty"`
	HasCustomEventSelectors   bool            `json:"has_custom_event_selectors"`
	Status                    *TrailStatus    `json:"status,omitempty"`          // GetTrailStatus
	EventSelectors            *EventSelectors `json:"event_selectors,omitempty"` // GetEventSelectors
}

// TrailStatus is the part of GetTrailStatus kmswatch reads.
type TrailStatus struct {
	IsLogging                         bool   `json:"is_logging"`
	LatestCloudWatchLogsDeliveryError string `json:"latest_cloud_watch_logs_delivery_error,omitempty"`
	LatestCloudWatchLogsDeliveryTime  string `json:"latest_cloud_watch_logs_delivery_time,omitempty"`
}

// EventSelectors is GetEventSelectors: classic or advanced selectors.
type EventSelectors struct {
	EventSelectors         []EventSelector         `json:"event_selectors,omitempty"`
	AdvancedEventSelectors []AdvancedEventSelector `json:"advanced_event_selectors,omitempty"`
}

// EventSelector is a classic event selector; ReadWriteType is All, ReadOnly or WriteOnly.
type EventSelector struct {
	ReadWriteType                 string   `json:"read_write_type"`
	IncludeManagementEvents       bool     `json:"include_management_events"`
	ExcludeManagementEventSources []string `json:"exclude_management_event_sources,omitempty"`
}

// AdvancedEventSelector is an advanced event selector.
type AdvancedEventSelector struct {
	Name           string          `json:"name,omitempty"`
	FieldSelectors []FieldSelector `json:"field_selectors"`
}

// FieldSelector is one field condition of an advanced event selector.
type FieldSelector struct {
	Field         string   `json:"field"`
	Equals        []string `json:"equals,omitempty"`
	NotEquals     []string `json:"not_equals,omitempty"`
	StartsWith    []string `json:"starts_with,omitempty"`
	NotStartsWith []string `json:"not_starts_with,omitempty"`
	EndsWith      []string `json:"ends_with,omitempty"`
	NotEndsWith   []string `json:"not_ends_with,omitempty"`
}

// LogGroup is a log group a trail delivers to, by ARN, with its metric filters.
type LogGroup struct {
	ARN           string         `json:"arn"`              // without the trailing ":*"
	Exists        *bool          `json:"exists,omitempty"` // nil: unknown
	MetricFilters []MetricFilter `json:"metric_filters"`   // nil: not read
}

// MetricFilter is a metric filter as DescribeMetricFilters returns it.
type MetricFilter struct {
	FilterName            string                 `json:"filter_name"`
	LogGroupName          string                 `json:"log_group_name"`
	FilterPattern         string                 `json:"filter_pattern"`
	MetricTransformations []MetricTransformation `json:"metric_transformations"`
}

// MetricTransformation is the metric a filter publishes.
type MetricTransformation struct {
	MetricName      string            `json:"metric_name"`
	MetricNamespace string            `json:"metric_namespace"`
	MetricValue     string            `json:"metric_value"`
	DefaultValue    *float64          `json:"default_value,omitempty"`
	Dimensions      map[string]string `json:"dimensions,omitempty"`
	Unit            string            `json:"unit,omitempty"`
}

// RegionAlarms are the alarms of one region on the metrics of interest.
type RegionAlarms struct {
	Region          string           `json:"region"`
	Alarms          []Alarm          `json:"alarms"`           // nil: not read
	CompositeAlarms []CompositeAlarm `json:"composite_alarms"` // nil: not read
	// ByMetric lists the metrics whose alarms were read with
	// DescribeAlarmsForMetric; nil: Alarms is the region's full listing.
	ByMetric []Metric `json:"by_metric,omitempty"`
	// ByNamePrefix lists the name prefixes whose metric alarms were listed
	// (DescribeAlarms with AlarmNamePrefix); Alarms holds them too.
	ByNamePrefix []string `json:"by_name_prefix,omitempty"`
}

// CompositeAlarm is a composite alarm as DescribeAlarms returns it.
type CompositeAlarm struct {
	AlarmName         string   `json:"alarm_name"`
	AlarmARN          string   `json:"alarm_arn"`
	ActionsEnabled    *bool    `json:"actions_enabled,omitempty"` // nil: unknown
	AlarmActions      []string `json:"alarm_actions,omitempty"`
	AlarmRule         string   `json:"alarm_rule"`
	ActionsSuppressor string   `json:"actions_suppressor,omitempty"`
	AlarmDescription  string   `json:"alarm_description,omitempty"`
	StateValue        string   `json:"state_value,omitempty"`
	// StateUpdatedTimestamp is when StateValue last changed (RFC 3339).
	StateUpdatedTimestamp string `json:"state_updated_timestamp,omitempty"`
}

// Alarm is a metric alarm as DescribeAlarms returns it.
type Alarm struct {
	AlarmName               string            `json:"alarm_name"`
	AlarmARN                string            `json:"alarm_arn"`
	ActionsEnabled          bool              `json:"actions_enabled"`
	AlarmActions            []string          `json:"alarm_actions,omitempty"`
	OKActions               []string          `json:"ok_actions,omitempty"`
	InsufficientDataActions []string          `json:"insufficient_data_actions,omitempty"`
	Metric                  *Metric           `json:"metric,omitempty"`
	Statistic               string            `json:"statistic,omitempty"`
	ExtendedStatistic       string            `json:"extended_statistic,omitempty"`
	Period                  *int32            `json:"period,omitempty"`
	Metrics                 []MetricDataQuery `json:"metrics,omitempty"`
	Threshold               *float64          `json:"threshold,omitempty"`
	ComparisonOperator      string            `json:"comparison_operator"`
	EvaluationPeriods       int32             `json:"evaluation_periods"`
	DatapointsToAlarm       *int32            `json:"datapoints_to_alarm,omitempty"`
	TreatMissingData        string            `json:"treat_missing_data,omitempty"`
	StateValue              string            `json:"state_value,omitempty"`
	Unit                    string            `json:"unit,omitempty"`
	AlarmDescription        string            `json:"alarm_description,omitempty"`
	Tags                    map[string]string `json:"tags,omitempty"`
	// StateUpdatedTimestamp is when StateValue last changed (RFC 3339).
	StateUpdatedTimestamp string `json:"state_updated_timestamp,omitempty"`
}

// Metric names a CloudWatch metric.
type Metric struct {
	Namespace  string            `json:"namespace"`
	MetricName string            `json:"metric_name"`
	Dimensions map[string]string `json:"dimensions,omitempty"`
}

// MetricDataQuery is one query of a metric-math alarm.
type MetricDataQuery struct {
	ID         string      `json:"id"`
	Expression string      `json:"expression,omitempty"`
	MetricStat *MetricStat `json:"metric_stat,omitempty"`
	ReturnData *bool       `json:"return_data,omitempty"`
	AccountID  string      `json:"account_id,omitempty"` // another account's metric
}

// MetricStat is the metric, period and statistic of a query.
type MetricStat struct {
	Metric Metric `json:"metric"`
	Period int32  `json:"period"`
	Stat   string `json:"stat"`
	Unit   string `json:"unit,omitempty"`
}

// Topic is an SNS topic an alarm notifies, with its subscriptions.
type Topic struct {
	TopicARN      string           `json:"topic_arn"`
	Exists        *bool            `json:"exists,omitempty"`     // nil: unknown
	Attributes    *TopicAttributes `json:"attributes,omitempty"` // GetTopicAttributes
	Subscriptions []Subscription   `json:"subscriptions"`        // nil: not read
	// The attributes of the confirmed subscriptions that were read; a confirmed
	// subscription without attributes here is unknown.
	SubscriptionAttributes []SubscriptionAttributes `json:"subscription_attributes,omitempty"`
}

// SubscriptionAttributes are what GetSubscriptionAttributes says about delivery.
type SubscriptionAttributes struct {
	SubscriptionARN     string `json:"subscription_arn"`
	PendingConfirmation *bool  `json:"pending_confirmation,omitempty"` // nil: unknown
	FilterPolicy        string `json:"filter_policy,omitempty"`
	FilterPolicyScope   string `json:"filter_policy_scope,omitempty"` // unset: MessageAttributes
}

// KeyFacts is a KMS key as a topic's KmsMasterKeyId names it, with what was
// read about it. A topic encrypted with a customer managed key that has none is
// MANUAL.
type KeyFacts struct {
	KeyID  string `json:"key_id"`           // as the topic names it: key id, key ARN, alias name or alias ARN
	Region string `json:"region"`           // the topic's region, where it was looked up
	Exists *bool  `json:"exists,omitempty"` // nil: unknown
	Key    *Key   `json:"key,omitempty"`    // DescribeKey
	Policy string `json:"policy,omitempty"` // GetKeyPolicy (default); "": not read
}

// Key is a KMS key as DescribeKey returns it.
type Key struct {
	KeyID      string `json:"key_id"`
	ARN        string `json:"arn"`
	KeyManager string `json:"key_manager,omitempty"` // AWS or CUSTOMER
	KeyState   string `json:"key_state,omitempty"`   // Enabled, Disabled, PendingDeletion...
	// DeletionDate is when a key pending deletion will be deleted (RFC 3339).
	DeletionDate string `json:"deletion_date,omitempty"`
	// PendingDeletionWindowInDays is the waiting period of a multi-Region
	// primary key in PendingReplicaDeletion.
	PendingDeletionWindowInDays *int32   `json:"pending_deletion_window_in_days,omitempty"`
	MultiRegion                 *bool    `json:"multi_region,omitempty"`
	MultiRegionKeyType          string   `json:"multi_region_key_type,omitempty"` // PRIMARY or REPLICA
	PrimaryKeyARN               string   `json:"primary_key_arn,omitempty"`
	ReplicaKeyARNs              []string `json:"replica_key_arns,omitempty"`
	Description                 string   `json:"description,omitempty"`
}

// TopicAttributes are the topic attributes kmswatch reads (a topic without
// its Policy is MANUAL: whether CloudWatch may publish is unknown).
type TopicAttributes struct {
	TopicARN       string `json:"topic_arn"`
	KMSMasterKeyID string `json:"kms_master_key_id,omitempty"`
	Policy         string `json:"policy,omitempty"`
}

// Subscription is one subscription; SubscriptionARN is "PendingConfirmation"
// until it is confirmed.
type Subscription struct {
	SubscriptionARN string `json:"subscription_arn"`
	Protocol        string `json:"protocol"`
	Endpoint        string `json:"endpoint"`
}

// APIError is a call that failed while gathering the facts. Kind is
// access_denied, not_found, throttling, invalid_request, limit_exceeded,
// transport or other.
type APIError struct {
	Operation string `json:"operation"`
	Region    string `json:"region,omitempty"`
	Resource  string `json:"resource,omitempty"`
	Kind      string `json:"kind"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Detail    string `json:"detail,omitempty"` // the chain of causes (transport failures)
}

// Bool is a convenience for the *bool fields of Facts.
func Bool(b bool) *bool { return &b }

// Float64 is a convenience for the *float64 fields of Facts.
func Float64(f float64) *float64 { return &f }

// Int32 is a convenience for the *int32 fields of Facts.
func Int32(i int32) *int32 { return &i }
