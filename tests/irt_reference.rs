//! labcert's IRT code against values computed independently with numpy/scipy
//! (tests/reference/irt_reference.py; quadrature over the real line, not labcert's grid).

use labcert::{Grid, ItemParams, Posterior, eap, mle, test_information};
use serde_json::Value;

fn reference() -> Value {
    let text = include_str!("reference/irt_reference.json");
    serde_json::from_str(text).expect("reference JSON")
}

#[track_caller]
fn assert_close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: got {actual}, expected {expected} (tolerance {tol})"
    );
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

fn pattern(entry: &Value) -> Vec<(ItemParams, bool)> {
    entry["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                ItemParams {
                    a: f(&i["a"]),
                    b: f(&i["b"]),
                    c: f(&i["c"]),
                },
                i["correct"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn probability_and_information_match_to_1e_4() {
    let r = reference();
    let points = r["point_values"].as_array().unwrap();
    assert!(points.len() >= 30);
    for p in points {
        let item = ItemParams {
            a: f(&p["a"]),
            b: f(&p["b"]),
            c: f(&p["c"]),
        };
        let theta = f(&p["theta"]);
        let what = format!("{item:?} at {theta}");
        assert_close(item.prob(theta), f(&p["prob"]), 1e-4, &format!("P {what}"));
        assert_close(item.info(theta), f(&p["info"]), 1e-4, &format!("I {what}"));
    }
}

#[test]
fn test_information_matches() {
    for e in reference()["estimates"].as_array().unwrap() {
        let items: Vec<ItemParams> = pattern(e).into_iter().map(|(i, _)| i).collect();
        assert_close(
            test_information(&items, 0.0),
            f(&e["test_info_at_0"]),
            1e-4,
            e["name"].as_str().unwrap(),
        );
    }
}

#[test]
fn eap_and_its_se_match_the_converged_integral_to_1e_3() {
    let grid = Grid::standard();
    for e in reference()["estimates"].as_array().unwrap() {
        let name = e["name"].as_str().unwrap();
        let est = eap(&pattern(e), &grid);
        assert_close(est.theta, f(&e["eap"]), 1e-3, &format!("EAP {name}"));
        assert_close(est.se, f(&e["eap_se"]), 1e-3, &format!("EAP SE {name}"));
    }
}

#[test]
fn a_grid_cut_at_4_misses_long_all_right_patterns() {
    // Why the default grid is [-6, 6]: on [-4, 4] the 100-item all-right estimate is
    // biased low by far more than the tolerance (exam-facts: up to 0.26 logits).
    let r = reference();
    let e = r["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "rasch_all_right_100")
        .unwrap();
    let narrow = Grid::new(-4.0, 4.0, 33, 0.0, 1.0);
    let est = eap(&pattern(e), &narrow);
    assert!(
        f(&e["eap"]) - est.theta > 0.1,
        "narrow grid gave {}",
        est.theta
    );
}

#[test]
fn pass_probability_matches_the_posterior_mass_above_the_cut() {
    let grid = Grid::standard();
    for e in reference()["estimates"].as_array().unwrap() {
        let name = e["name"].as_str().unwrap();
        let mut post = Posterior::new(&grid);
        for (item, correct) in pattern(e) {
            post.update(&item, correct);
        }
        for (cut, expected) in e["prob_above"].as_object().unwrap() {
            let cut: f64 = cut.parse().unwrap();
            assert_close(
                post.prob_above(cut),
                f(expected),
                1e-3,
                &format!("P(theta > {cut}) {name}"),
            );
        }
    }
}

#[test]
fn mle_matches_on_mixed_patterns_to_1e_3() {
    let mut checked = 0;
    for e in reference()["estimates"].as_array().unwrap() {
        let name = e["name"].as_str().unwrap();
        let est = mle(&pattern(e)).unwrap();
        match e.get("mle") {
            Some(expected) => {
                assert_close(est.theta, f(expected), 1e-3, &format!("MLE {name}"));
                assert_close(est.se, f(&e["mle_se"]), 1e-3, &format!("MLE SE {name}"));
                assert!(!est.at_bound, "{name}");
                checked += 1;
            }
            None => assert!(est.at_bound && est.theta.abs() == 6.0, "{name}: {est:?}"),
        }
    }
    assert!(checked >= 4);
}
