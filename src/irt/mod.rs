//! Item response theory: response models, information and ability estimation.
//!
//! Pure mathematics with no I/O and no knowledge of banks or exams: `model` holds the
//! 1PL/2PL/3PL response and information functions, `estimate` the EAP and MLE ability
//! estimators. Every formula is tested against values computed independently with
//! numpy/scipy (`tests/reference/irt_reference.py`, output in
//! `tests/reference/irt_reference.json`).

pub mod estimate;
pub mod model;

pub use estimate::{Estimate, Estimator, Grid, Posterior, eap, mle};
pub use model::{ItemParams, info_bound, logistic, normal_cdf, test_information};
