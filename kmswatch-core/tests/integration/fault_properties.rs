//! Under any fault schedule, on every bundled scenario (`examples/*.json`, on
//! the in-memory backend): the check's verdict is the fault-free one or ERROR —
//! never PASS where the truth is FAIL, never FAIL where it is PASS — and
//! remediations interrupted by faults (each possibly half applied) leave no
//! duplicate filter, alarm, topic or subscription, and the next run without
//! faults reaches PASS with nothing left to do after it.

use crate::common;

use kmswatch_core::api::Services;
use kmswatch_core::check::{self, Facts, Status};
use kmswatch_core::layer::Faults;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::remediate::{self, RemediateOptions, Subscriber};
use kmswatch_core::scan::MemoryOrganization;
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

const QUEUE: &str = "arn:aws:sqs:us-east-1:111122223333:secops";

fn examples() -> Vec<(String, Facts)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut all: Vec<(String, Facts)> = std::fs::read_dir(&dir)
        .expect("examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, Facts::load(&p).expect("a bundled example loads"))
        })
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// A fault schedule: a seed and the probability of each transient fault.
#[derive(Debug, Clone, Copy)]
struct Schedule {
    seed: u64,
    throttling: f64,
    service_errors: f64,
    timeouts: f64,
    malformed: f64,
}

impl Schedule {
    fn faults(self) -> Faults {
        Faults::new()
            .seeded(self.seed)
            .throttling(self.throttling)
            .service_errors(self.service_errors)
            .timeouts(self.timeouts)
            .malformed(self.malformed)
    }
}

fn schedules() -> impl Strategy<Value = Schedule> {
    (
        any::<u64>(),
        0.0..0.3f64,
        0.0..0.2f64,
        0.0..0.2f64,
        0.0..0.2f64,
    )
        .prop_map(
            |(seed, throttling, service_errors, timeouts, malformed)| Schedule {
                seed,
                throttling,
                service_errors,
                timeouts,
                malformed,
            },
        )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn options() -> RemediateOptions {
    RemediateOptions {
        subscriber: Some(Subscriber::parse(&format!("sqs:{QUEUE}")).expect("subscriber")),
        ..RemediateOptions::default()
    }
}

/// None of kmswatch's resources, nor the queue's subscription, is there twice.
fn assert_no_duplicates(name: &str, world: &MemoryBackend, options: &RemediateOptions) {
    let counts = common::kmswatch_resources(&world.to_facts(), options, QUEUE);
    assert!(
        counts.iter().all(|n| *n <= 1),
        "{name}: [filters, alarms, topics, queue subscriptions] = {counts:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn faults_never_change_a_verdict_only_make_it_error(schedule in schedules()) {
        let rt = runtime();
        for (name, facts) in examples() {
            let truth = check::report(&facts).status;
            let world = Arc::new(MemoryBackend::from_facts(facts.clone()));
            let services = Services::new(world).layer(schedule.faults());
            let org = MemoryOrganization::of_linked(&facts);
            let chains = (!facts.linked.is_empty()).then(|| {
                check::LinkedChains::new(&org, MemoryOrganization::recorded_roles(&facts), Vec::new())
            });
            let outcome = rt.block_on(check::check_linked(&services, &facts.region, &check::Scope::check(), chains.as_ref()));
            let Ok((_, report)) = outcome else {
                // The account could not even be identified: no verdict at all.
                continue;
            };
            prop_assert!(
                report.status == truth || report.status == Status::Error,
                "{name}: {} under {schedule:?}, {truth} without faults",
                report.status
            );
        }
    }

    #[test]
    fn remediation_under_faults_converges_without_duplicates(schedule in schedules()) {
        let rt = runtime();
        let options = options();
        for (name, facts) in examples() {
            // Only the scenarios kmswatch remediates (fault-free) to PASS.
            let Ok(dry) = remediate::dry_run(&facts, &options) else { continue };
            if dry.plan.actions.is_empty() || !dry.reaches_pass() {
                continue;
            }
            let world = Arc::new(MemoryBackend::from_facts(facts.clone()));
            let faulty = Services::new(world.clone()).layer(schedule.faults());
            // Runs interrupted anywhere (each may have applied part of its plan)...
            for _ in 0..5 {
                let _ = rt.block_on(remediate::run(&faulty, &facts.region, &options, true));
                assert_no_duplicates(&name, &world, &options);
            }
            // ...then one run without faults finishes the job.
            let clean = Services::new(world.clone());
            let finished = rt.block_on(remediate::run(&clean, &facts.region, &options, true));
            let passed = matches!(&finished, Ok((_, Some(applied))) if applied.report_after.status == Status::Pass);
            prop_assert!(passed, "{}: the run after the faulty ones: {:?}", name, finished.err());
            // The account passes and a new plan changes nothing.
            let (after, report) = rt.block_on(check::check(&clean, &facts.region)).expect("check");
            prop_assert_eq!(report.status, Status::Pass, "{}", name);
            let again = remediate::dry_run(&after, &options);
            prop_assert!(again.is_ok_and(|r| r.plan.actions.is_empty()), "{}: a second plan still acts", name);
            assert_no_duplicates(&name, &world, &options);
        }
    }
}
