//! One measurement of the student's tree: build (working around exercises that do not compile)
//! and run the selected tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;

use crate::compile::{self, Diagnostic};
use crate::manifest::Manifest;
use crate::shadow;
use crate::testrun::{self, TestRun};

/// What a measurement found.
#[derive(Debug, Default)]
pub struct Measurement {
    /// The test results (empty if nothing could be built).
    pub run: TestRun,
    /// Exercises that do not compile, by id, with their errors; their tests were not run.
    pub broken: BTreeMap<String, Vec<Diagnostic>>,
    /// Errors that belong to no single exercise: when present, no test ran.
    pub blocking: Vec<Diagnostic>,
    /// cargo's own errors when the build failed without a rustc error (a broken Cargo.toml, say).
    pub cargo_errors: String,
}

impl Measurement {
    /// Whether anything stopped every test from running.
    pub fn blocked(&self) -> bool {
        !self.blocking.is_empty() || !self.cargo_errors.is_empty()
    }
}

/// Builds the student's exercises and runs the tests `select` picks, each stopped after `timeout`.
///
/// If the build fails and every error belongs to an exercise, that exercise's module is taken from
/// its solution in the shadow tree (see [`shadow`]) and the build is retried, until it succeeds or
/// an error belongs to no exercise. A parse error can hide another file's type errors, hence the
/// loop; it ends because each round adds at least one exercise.
pub fn measure(
    root: &Path,
    manifest: &Manifest,
    select: &(dyn Fn(&str) -> bool + Sync),
    timeout: Duration,
    announce: bool,
) -> Result<Measurement> {
    let mut measurement = Measurement::default();
    let label = |text| announce.then_some(text);
    let mut build = compile::build(root, &[], label("the exercises"))?;
    while !build.success {
        let mut fresh: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        let mut blocking = Vec::new();
        for error in &build.errors {
            match shadow::attribute(root, manifest, error) {
                Some(exercise) if !measurement.broken.contains_key(&exercise.id) => {
                    fresh
                        .entry(exercise.id.clone())
                        .or_default()
                        .push(error.clone());
                }
                _ => blocking.push(error.clone()),
            }
        }
        if build.errors.is_empty() {
            measurement.cargo_errors = if build.cargo_errors.is_empty() {
                "cargo failed without saying why".to_owned()
            } else {
                build.cargo_errors
            };
            return Ok(measurement);
        }
        if !blocking.is_empty() || fresh.is_empty() || !shadow::supported(root) {
            measurement.blocking = build.errors;
            return Ok(measurement);
        }
        if announce {
            let ids: Vec<&str> = fresh.keys().map(String::as_str).collect();
            println!(
                "{} {} not compile; building the other exercises without {}...",
                ids.join(", "),
                if ids.len() == 1 { "does" } else { "do" },
                if ids.len() == 1 { "it" } else { "them" },
            );
        }
        measurement.broken.extend(fresh);
        let replace: BTreeMap<String, PathBuf> = measurement
            .broken
            .keys()
            .filter_map(|id| manifest.find(id).ok())
            .map(|e| (e.id.clone(), e.solution_path()))
            .collect();
        shadow::write(root, manifest, &replace)?;
        build = compile::build(root, &[shadow::FEATURE], label("the other exercises"))?;
    }
    let broken_prefixes: Vec<String> = measurement
        .broken
        .keys()
        .filter_map(|id| manifest.find(id).ok())
        .map(|e| e.test_prefix())
        .collect();
    let chosen = |name: &str| select(name) && !broken_prefixes.iter().any(|p| name.starts_with(p));
    measurement.run = testrun::run(&testrun::Plan {
        root,
        binaries: &build.binaries,
        select: &chosen,
        timeout,
        announce,
    })?;
    Ok(measurement)
}
