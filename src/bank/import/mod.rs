//! Importers: GIFT (Moodle), Aiken and CSV question files into labcert banks.
//! (Being written: see src/cli/import.rs.)
