package kmswatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const cis = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || " +
	"($.eventName = ScheduleKeyDeletion)) }"

// examples are the bundled snapshots; the file name says the verdict
// (compliant, broken-*: FAIL, error-*: ERROR, manual-*: MANUAL).
func examples(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("../../examples/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

func expectedStatus(name string) Status {
	switch {
	case name == "compliant.json" || strings.HasPrefix(name, "compliant-"):
		return StatusPass
	case strings.HasPrefix(name, "broken-"):
		return StatusFail
	case strings.HasPrefix(name, "error-"):
		return StatusError
	case strings.HasPrefix(name, "manual-"):
		return StatusManual
	}
	return ""
}

func TestVersion(t *testing.T) {
	if v := Version(); v == "" || v[0] < '0' || v[0] > '9' {
		t.Fatalf("version %q", v)
	}
}

func TestEvaluateExamples(t *testing.T) {
	for name, facts := range examples(t) {
		report, err := Evaluate(facts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if report.Status != expectedStatus(name) || report.Schema != "kmswatch.report/v1" {
			t.Errorf("%s: %s %s, want %s", name, report.Schema, report.Status, expectedStatus(name))
		}
		if report.Status != StatusPass && len(report.Gaps)+len(report.Chains) == 0 {
			t.Errorf("%s: %s without a gap or a chain", name, report.Status)
		}
		if !json.Valid(report.JSON) {
			t.Errorf("%s: JSON is not kept", name)
		}
	}
}

func TestEvaluateControls(t *testing.T) {
	facts := examples(t)["compliant.json"]
	report, err := EvaluateControls(facts, "4.3,CloudWatch.7")
	if err != nil {
		t.Fatal(err)
	}
	if report.Status != StatusFail || len(report.Controls) != 2 {
		t.Fatalf("%s with %d controls, want FAIL with 2", report.Status, len(report.Controls))
	}
	root, kms := report.Controls[0], report.Controls[1]
	if root.Control != "4.3" || root.SecurityHub != "CloudWatch.1" || root.Status != StatusFail || root.CISVersions["v6.0.0"] != "5.3" {
		t.Errorf("root usage: %+v", root)
	}
	if kms.Control != "4.7" || kms.Status != StatusPass {
		t.Errorf("KMS: %+v", kms)
	}
	if _, err := EvaluateControls(facts, "4.99"); err == nil {
		t.Error("an unknown control is not an error")
	}
}

// The Go facts types carry every field the examples use, and what they
// marshal evaluates as the original document does.
func TestFactsTypesRoundTrip(t *testing.T) {
	for name, original := range examples(t) {
		var facts Facts
		dec := json.NewDecoder(bytes.NewReader(original))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&facts); err != nil {
			t.Fatalf("%s: a field the Go types lack: %v", name, err)
		}
		fromGo, err := EvaluateFacts(facts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		direct, _ := Evaluate(original)
		if !bytes.Equal(fromGo.JSON, direct.JSON) {
			t.Errorf("%s: the report differs after a Go round trip:\n%s\n%s", name, fromGo.JSON, direct.JSON)
		}
	}
}

// inventory is an account as a scanner knows it, with one threshold to vary.
func inventory(threshold float64) Facts {
	const account, region = "444455556666", "eu-west-1"
	group := "arn:aws:logs:eu-west-1:444455556666:log-group:org-trail"
	topic := "arn:aws:sns:eu-west-1:444455556666:secops"
	publish := `{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topic + `"}]}`
	return Facts{
		Schema: FactsSchema, AccountID: account, Region: region,
		Trails: []Trail{{Name: "main", TrailARN: "arn:aws:cloudtrail:eu-west-1:444455556666:trail/main",
			HomeRegion: region, IsMultiRegionTrail: true, CloudWatchLogsLogGroupARN: group + ":*",
			Status:         &TrailStatus{IsLogging: true},
			EventSelectors: &EventSelectors{EventSelectors: []EventSelector{{ReadWriteType: "All", IncludeManagementEvents: true}}}}},
		LogGroups: []LogGroup{{ARN: group, Exists: Bool(true), MetricFilters: []MetricFilter{{
			FilterName: "kms", LogGroupName: "org-trail", FilterPattern: cis,
			MetricTransformations: []MetricTransformation{{MetricName: "KmsKeyChanges", MetricNamespace: "Sec", MetricValue: "1"}}}}}},
		Alarms: []RegionAlarms{{Region: region, Alarms: []Alarm{{AlarmName: "kms", AlarmARN: "arn:aws:cloudwatch:eu-west-1:444455556666:alarm:kms",
			ActionsEnabled: true, AlarmActions: []string{topic}, Metric: &Metric{Namespace: "Sec", MetricName: "KmsKeyChanges"},
			Statistic: "Sum", Period: Int32(300), Threshold: Float64(threshold), ComparisonOperator: "GreaterThanOrEqualToThreshold",
			EvaluationPeriods: 1, TreatMissingData: "notBreaching"}}, CompositeAlarms: []CompositeAlarm{}}},
		Topics: []Topic{{TopicARN: topic, Exists: Bool(true), Attributes: &TopicAttributes{TopicARN: topic, Policy: publish},
			Subscriptions:          []Subscription{{SubscriptionARN: topic + ":6f1c", Protocol: "email", Endpoint: "secops@example.com"}},
			SubscriptionAttributes: []SubscriptionAttributes{{SubscriptionARN: topic + ":6f1c", PendingConfirmation: Bool(false)}}}},
	}
}

func TestEvaluateFactsFromAnInventory(t *testing.T) {
	report, err := EvaluateFacts(inventory(1))
	if err != nil || report.Status != StatusPass {
		t.Fatalf("%v %s: %s", err, report.Status, report.Summary)
	}
	report, _ = EvaluateFacts(inventory(2))
	if report.Status != StatusFail || !strings.Contains(string(report.JSON), "ALARM_DOES_NOT_FIRE_ON_ONE_EVENT") {
		t.Fatalf("threshold 2: %s %s", report.Status, report.JSON)
	}
}

// A nil list is a fact not read (ERROR); an empty one is read, and empty (FAIL).
func TestNilListsAreUnknownEmptyListsAreNone(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*Facts)
		want   Status
	}{
		{"filters not read", func(f *Facts) { f.LogGroups[0].MetricFilters = nil }, StatusError},
		{"no filter", func(f *Facts) { f.LogGroups[0].MetricFilters = []MetricFilter{} }, StatusFail},
		{"alarms not read", func(f *Facts) { f.Alarms[0].Alarms = nil }, StatusError},
		{"no alarm", func(f *Facts) { f.Alarms[0].Alarms = []Alarm{} }, StatusFail},
		{"subscriptions not read", func(f *Facts) { f.Topics[0].Subscriptions = nil }, StatusError},
		{"no subscription", func(f *Facts) { f.Topics[0].Subscriptions = []Subscription{} }, StatusFail},
		{"subscription attributes not read", func(f *Facts) { f.Topics[0].SubscriptionAttributes = nil }, StatusManual},
		{"composite alarms not read", func(f *Facts) {
			f.Alarms[0].CompositeAlarms = nil
			f.Topics[0].Subscriptions = []Subscription{}
		}, StatusManual},
	} {
		facts := inventory(1)
		c.change(&facts)
		report, err := EvaluateFacts(facts)
		if err != nil || report.Status != c.want {
			t.Errorf("%s: %v %s, want %s", c.name, err, report.Status, c.want)
		}
	}
}

func wantError(t *testing.T, err error, code string, returnCode int) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code || e.ReturnCode != returnCode {
		t.Fatalf("want %s (%d), got %#v", code, returnCode, err)
	}
	return e
}

func TestInvalidFacts(t *testing.T) {
	compliant := examples(t)["compliant.json"]
	_, err := Evaluate(compliant[:len(compliant)/2])
	wantError(t, err, "SNAPSHOT_INVALID", 2)
	_, err = Evaluate(nil)
	wantError(t, err, "SNAPSHOT_INVALID", 2)
	bad := bytes.Replace(compliant, []byte("111122223333"), []byte("\xff11122223333"), 1)
	_, err = Evaluate(bad)
	wantError(t, err, "INVALID_UTF8", 2)
	_, err = EvaluateFacts(Facts{Schema: "kmswatch.facts/v2", AccountID: "1"})
	wantError(t, err, "SNAPSHOT_INVALID", 2)
}

func TestPlan(t *testing.T) {
	all := examples(t)
	facts := all["broken-alarm-no-actions.json"]
	_, err := Plan(facts, PlanOptions{})
	wantError(t, err, "NO_SUBSCRIBER", 2)

	plan, err := Plan(facts, PlanOptions{Subscribe: "sqs:arn:aws:sqs:us-east-1:111122223333:alerts", TopicName: "scanner"})
	if err != nil || !plan.ReachesPass() || plan.Actions[0]["action"] != "create_topic" || plan.Actions[0]["name"] != "scanner" {
		t.Fatalf("%v %s", err, plan.JSON)
	}
	plan, err = Plan(all["broken-subscription-pending.json"], PlanOptions{})
	if err != nil || plan.PredictedStatus != StatusFail || plan.PredictedStatusOnceConfirmed != StatusPass ||
		!plan.ReachesPass() || len(plan.PendingConfirmation) != 1 {
		t.Fatalf("a pending subscription: %v %s", err, plan.JSON)
	}

	_, err = Plan(all["broken-trail-not-logging.json"], PlanOptions{Email: "secops@example.com"})
	e := wantError(t, err, "PREREQUISITE_MISSING", 1)
	if len(e.Gaps) == 0 || e.Gaps[0].Code != "TRAIL_NOT_LOGGING" {
		t.Fatalf("gaps %+v", e.Gaps)
	}
	_, err = Plan(facts, PlanOptions{Email: "not an address"})
	wantError(t, err, "OPTIONS_INVALID", 2)
}

func TestPatterns(t *testing.T) {
	_, err := CompilePattern("{ ($.eventName = DisableKey }")
	e := wantError(t, err, "PATTERN_INVALID", 2)
	if e.Offset == nil || *e.Offset != 28 {
		t.Fatalf("offset %v", e.Offset)
	}
	p := MustCompilePattern("{$.eventName=DisableKey}")
	defer p.Close()
	if p.Canonical() != `{ $.eventName = "DisableKey" }` || p.String() != "{$.eventName=DisableKey}" {
		t.Fatalf("canonical %q", p.Canonical())
	}
	if !p.MatchString(`{"eventName":"DisableKey"}`) || p.Match([]byte(`{"eventName":"Disable"}`)) {
		t.Fatal("DisableKey")
	}
	if p.Match([]byte("{\"eventName\":\"\xffDisableKey\"}")) || p.MatchString("") {
		t.Fatal("invalid UTF-8 and empty events match nothing here")
	}
	empty := MustCompilePattern("")
	if !empty.MatchString("") || !empty.Match(nil) {
		t.Fatal("the empty pattern matches every event")
	}
}

func TestClosedPatternPanics(t *testing.T) {
	p := MustCompilePattern("ERROR")
	p.Close()
	p.Close()
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	p.MatchString("ERROR")
}

type corpusEvent struct {
	line   []byte
	target bool
}

// corpus is the bundled KMS key lifecycle corpus as CloudWatch Logs lines;
// target: the CIS pattern must match (a KMS DisableKey or ScheduleKeyDeletion).
func corpus(t *testing.T) []corpusEvent {
	t.Helper()
	data, err := os.ReadFile("../../kmswatch-decisions/corpus/kms_key_lifecycle.json")
	if err != nil {
		t.Fatal(err)
	}
	var records []struct {
		Record json.RawMessage `json:"record"`
	}
	if err := json.Unmarshal(data, &records); err != nil {
		t.Fatal(err)
	}
	var out []corpusEvent
	for _, r := range records {
		var line bytes.Buffer
		if err := json.Compact(&line, r.Record); err != nil {
			t.Fatal(err)
		}
		var fields struct{ EventSource, EventName string }
		_ = json.Unmarshal(r.Record, &fields)
		target := fields.EventSource == "kms.amazonaws.com" &&
			(fields.EventName == "DisableKey" || fields.EventName == "ScheduleKeyDeletion")
		out = append(out, corpusEvent{line.Bytes(), target})
	}
	return out
}

func TestCorpus(t *testing.T) {
	p := MustCompilePattern(cis)
	targets := 0
	for i, e := range corpus(t) {
		if p.Match(e.line) != e.target {
			t.Errorf("corpus record %d: match %v, want %v", i, !e.target, e.target)
		}
		if e.target {
			targets++
		}
	}
	if targets == 0 {
		t.Fatal("no target record")
	}
}

// Many goroutines share one compiled pattern and evaluate at once; every
// answer equals the one-goroutine answer.
func TestConcurrentCalls(t *testing.T) {
	shared := MustCompilePattern(cis)
	events := corpus(t)
	all := examples(t)
	var wg sync.WaitGroup
	failures := make(chan string, 64)
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for round := 0; round < 10; round++ {
				for _, e := range events {
					if shared.Match(e.line) != e.target {
						failures <- "pattern answer changed under concurrency"
						return
					}
				}
				for name, facts := range all {
					report, err := Evaluate(facts)
					if err != nil || report.Status != expectedStatus(name) {
						failures <- name + ": verdict changed under concurrency"
						return
					}
				}
				if _, err := CompilePattern("{ $.a = %x% && $.b = %y% && $.c = %z% }"); err == nil {
					failures <- "a third regex compiled"
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
}
