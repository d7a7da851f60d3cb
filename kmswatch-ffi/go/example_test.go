package kmswatch_test

import (
	"fmt"

	kmswatch "github.com/kmswatch/kmswatch/kmswatch-ffi/go"
)

// scannedTrail is how a scanner might hold a trail, in its own types.
type scannedTrail struct {
	Name, ARN, Region, LogGroupARN, ReadWrite string
	MultiRegion, Logging, Management          bool
	Filters                                   map[string]string // filter name -> pattern
}

// inv is what the scanner already knows about an account.
var inv = struct {
	Account, Region string
	Trails          []scannedTrail
}{Account: "111122223333", Region: "us-east-1", Trails: []scannedTrail{{
	Name: "main", ARN: "arn:aws:cloudtrail:us-east-1:111122223333:trail/main", Region: "us-east-1",
	LogGroupARN: "arn:aws:logs:us-east-1:111122223333:log-group:trail-logs", ReadWrite: "All",
	MultiRegion: true, Logging: true, Management: true,
	Filters: map[string]string{"kms": "{ $.eventSource = kms.amazonaws.com && " +
		"($.eventName = DisableKey || $.eventName = ScheduleKeyDeletion) }"},
}}}

// A scanner fills the facts from its own inventory and asks for the verdict.
func ExampleEvaluateFacts() {
	facts := kmswatch.Facts{Schema: kmswatch.FactsSchema, AccountID: inv.Account, Region: inv.Region}
	for _, t := range inv.Trails {
		selectors := []kmswatch.EventSelector{{ReadWriteType: t.ReadWrite, IncludeManagementEvents: t.Management}}
		facts.Trails = append(facts.Trails, kmswatch.Trail{Name: t.Name, TrailARN: t.ARN, HomeRegion: t.Region,
			IsMultiRegionTrail: t.MultiRegion, CloudWatchLogsLogGroupARN: t.LogGroupARN,
			Status: &kmswatch.TrailStatus{IsLogging: t.Logging}, EventSelectors: &kmswatch.EventSelectors{EventSelectors: selectors}})
		group := kmswatch.LogGroup{ARN: t.LogGroupARN, Exists: kmswatch.Bool(true), MetricFilters: []kmswatch.MetricFilter{}}
		for name, pattern := range t.Filters {
			metric := []kmswatch.MetricTransformation{{MetricName: name, MetricNamespace: "scanner", MetricValue: "1"}}
			group.MetricFilters = append(group.MetricFilters, kmswatch.MetricFilter{FilterName: name, FilterPattern: pattern, MetricTransformations: metric})
		}
		facts.LogGroups = append(facts.LogGroups, group)
	}
	facts.Alarms = []kmswatch.RegionAlarms{{Region: inv.Region, Alarms: []kmswatch.Alarm{}}} // read, and none
	report, err := kmswatch.EvaluateFacts(facts)
	if err != nil {
		panic(err) // a *kmswatch.Error: the facts are invalid
	}
	filter := report.Chains[0].MetricFilters[0]
	fmt.Println(report.Status, filter.Catches, filter.Gaps[0].Code)
	// Output: FAIL [DisableKey ScheduleKeyDeletion] ALARM_MISSING
}
