//! Instructor tools: blueprint coverage, classical item analysis and Rasch calibration.
//! (Being written.)
