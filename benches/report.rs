//! Benchmark of attribute diffs and report emitters, as ratios against references measured in
//! the same run:
//!   - `diff::compare` on large resources (a 2,000-column BigQuery schema and a 500-statement IAM
//!     policy held as JSON strings, 2,000 plain attributes), against parsing both sides and
//!     comparing them with `serde_json::Value ==`, the least any structural comparison must do;
//!   - each report format for 10,000 findings, against `serde_json::to_string` of the report.
//!
//! Run: `cargo bench --bench report` (release profile). Prints one line per measurement.
#![allow(clippy::disallowed_macros)] // a benchmark reports on stdout

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tfrecon::diff::{compare, Against, DiffOptions};
use tfrecon::findings::{Finding, Kind, Report};
use tfrecon::report::{self, Format};

/// Best of `rounds` runs of `f`: the least disturbed by the other processes on the machine.
fn best(rounds: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn resource(variant: usize) -> Value {
    let schema: Vec<Value> = (0..2000)
        .map(|i| {
            let ty = if i == 1000 && variant == 1 { "BIGNUMERIC" } else { "NUMERIC" };
            json!({"name": format!("col_{i}"), "type": ty, "mode": "NULLABLE", "description": format!("column {i}")})
        })
        .collect();
    let statements: Vec<Value> = (0..500)
        .map(|i| {
            let mut s = json!({"Sid": format!("S{i}"), "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": format!("arn:aws:s3:::b{i}/*")});
            if variant == 1 {
                // The same policy as a service returns it: single values as strings.
                s["Action"] = json!(["s3:ListBucket", "s3:GetObject"]);
                s["Resource"] = json!([format!("arn:aws:s3:::b{i}/*")]);
            }
            s
        })
        .collect();
    let mut attrs = serde_json::Map::new();
    for i in 0..2000 {
        let v = if i == 7 && variant == 1 {
            "changed".to_string()
        } else {
            format!("value-{i}")
        };
        attrs.insert(format!("attr_{i}"), json!(v));
    }
    attrs.insert(
        "labels".into(),
        json!({"env": if variant == 1 { "dev" } else { "prod" }}),
    );
    attrs.insert(
        "schema".into(),
        json!(serde_json::to_string(&schema).unwrap()),
    );
    attrs.insert(
        "policy".into(),
        json!(
            serde_json::to_string(&json!({"Version": "2012-10-17", "Statement": statements}))
                .unwrap()
        ),
    );
    Value::Object(attrs)
}

fn report_of(n: usize) -> Report {
    let diff = compare(&resource(0), &resource(1), &{
        let mut o = DiffOptions::new(Against::State);
        o.json_attributes = vec!["schema".into(), "policy".into()];
        o
    });
    let kinds = [
        Kind::Untracked,
        Kind::Drifted,
        Kind::Unmanaged,
        Kind::Missing,
    ];
    let findings: Vec<Finding> = (0..n)
        .map(|i| {
            let kind = kinds[i % kinds.len()];
            let mut f = Finding::new(kind);
            let a = format!("module.m[\"k{i}\"].google_storage_bucket.b[{i}]")
                .parse()
                .unwrap();
            if kind == Kind::Unmanaged {
                f.suggested_address = Some(a);
            } else {
                f.address = Some(a);
            }
            f.tf_type = Some("google_storage_bucket".into());
            f.import_id = Some(format!("project/bucket-{i}"));
            if kind == Kind::Drifted && i % 100 == 1 {
                f.diff = Some(diff.clone());
            }
            f
        })
        .collect();
    Report::new(
        findings,
        &BTreeMap::from([(Kind::InSync, 5)]),
        0,
        vec![],
        None,
    )
}

fn main() {
    let (e, l) = (resource(0), resource(1));
    let mut opts = DiffOptions::new(Against::State);
    opts.json_attributes = vec!["schema".into(), "policy".into()];
    let d = compare(&e, &l, &opts);
    assert_eq!(
        d.changes.len(),
        3,
        "attr_7, labels and the schema column differ"
    );

    let reference = best(10, || {
        let parse = |v: &Value| -> (Value, Value) {
            (
                serde_json::from_str(v["schema"].as_str().unwrap()).unwrap(),
                serde_json::from_str(v["policy"].as_str().unwrap()).unwrap(),
            )
        };
        black_box(parse(&e) == parse(&l) && e == l);
    });
    let ours = best(10, || {
        black_box(compare(&e, &l, &opts));
    });
    println!(
        "diff::compare, 2,000 attributes + 2,000-column schema + 500-statement policy: {:.2} ms; \
         parse + Value== reference {:.2} ms; ratio {:.2}",
        ours.as_secs_f64() * 1e3,
        reference.as_secs_f64() * 1e3,
        ours.as_secs_f64() / reference.as_secs_f64()
    );

    let r = report_of(10_000);
    let reference = best(5, || {
        black_box(serde_json::to_string(&r).unwrap());
    });
    println!(
        "reference serde_json::to_string of a 10,000-finding report: {:.2} ms",
        reference.as_secs_f64() * 1e3
    );
    for (name, format) in [
        ("text", Format::Text),
        ("json", Format::Json),
        ("markdown", Format::Markdown),
        ("sarif", Format::Sarif),
    ] {
        let t = best(5, || {
            let mut out = Vec::with_capacity(1 << 24);
            report::write(&r, format, false, &mut out).unwrap();
            black_box(out);
        });
        println!(
            "report {name:<8} 10,000 findings: {:8.2} ms, ratio to reference {:.2}",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() / reference.as_secs_f64()
        );
    }
}
