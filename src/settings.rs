//! The global options, resolved once into plain values every command shares.
//!
//! `cli` parses arguments; this module turns them into [`Settings`]: the data directory
//! (option, `LABCERT_DATA_DIR`, or the platform's data directory), the profile name, and
//! the banks to load (shipped, `--bank`, and the folders listed in
//! `<data dir>/config.ron`). Commands never look at raw arguments.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::bank::{LoadRequest, MAX_BANK_FILE_BYTES};
use crate::doc::decode::{Cx, valid_id};
use crate::doc::diagnostic::{Sources, render_to_string};
use crate::ui::ColorMode;

/// The config file's name inside the data directory.
pub const CONFIG_FILE: &str = "config.ron";

/// The global options as given, before resolving.
#[derive(Debug, Clone, Default)]
pub struct GlobalOptions {
    pub data_dir: Option<PathBuf>,
    pub profile: String,
    pub banks: Vec<PathBuf>,
    pub no_builtin: bool,
    pub seed: Option<u64>,
    pub json: bool,
    pub color: ColorMode,
    pub quiet: bool,
    pub no_pager: bool,
}

/// What every command works from.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where progress and the config file live; `None` when no option, variable or
    /// platform directory gives one (only commands that store progress then fail).
    pub data_dir: Option<PathBuf>,
    pub profile: String,
    /// The shipped banks plus `--bank` paths plus config-file folders.
    pub banks: LoadRequest,
    pub seed: Option<u64>,
    pub json: bool,
    pub color: ColorMode,
    /// No progress bars (`--quiet`); they are drawn only on a terminal anyway.
    pub quiet: bool,
    /// Never page long output (`--no-pager`); it is paged only on a terminal anyway.
    pub no_pager: bool,
}

#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("\"{0}\" is not a usable profile name (use letters, digits, `-`, `_` or `.`)")]
    BadProfile(String),
    #[error(
        "LABCERT_NOW=\"{0}\" is not a time; write it as RFC 3339, e.g. 2026-12-01T09:00:00Z, or unset it"
    )]
    BadNow(String),
    #[error("cannot read the config file: {0}")]
    ConfigRead(crate::files::ReadError),
    #[error("the config file has problems:\n{rendered}")]
    ConfigInvalid { rendered: String },
}

/// Resolves the global options, reading the config file if there is one.
pub fn resolve(opts: GlobalOptions) -> Result<Settings, SettingsError> {
    if !valid_id(&opts.profile) {
        return Err(SettingsError::BadProfile(opts.profile));
    }
    if let Some(now) = std::env::var_os("LABCERT_NOW") {
        let text = now.to_string_lossy();
        if text.parse::<jiff::Timestamp>().is_err() {
            return Err(SettingsError::BadNow(text.into_owned()));
        }
    }
    let data_dir = opts.data_dir.or_else(|| {
        directories::ProjectDirs::from("", "", "labcert").map(|d| d.data_dir().to_path_buf())
    });
    let (config_paths, config_file) = match &data_dir {
        Some(dir) => {
            let listed = config_banks(dir)?;
            let file = (!listed.is_empty()).then(|| dir.join(CONFIG_FILE));
            (listed, file)
        }
        None => (Vec::new(), None),
    };
    Ok(Settings {
        data_dir,
        profile: opts.profile,
        banks: LoadRequest {
            builtin: !opts.no_builtin,
            paths: opts.banks,
            config_paths,
            config_file,
            only_report: None,
            full_check: false,
            strict: false,
            progress: indicatif::ProgressBar::hidden(),
        },
        seed: opts.seed,
        json: opts.json,
        color: opts.color,
        quiet: opts.quiet,
        no_pager: opts.no_pager,
    })
}

/// The bank folders listed in `<data dir>/config.ron`, resolved against the data dir.
///
/// ```ron
/// Config(banks: ["/home/me/class-banks", "extra/hematology.ron"])
/// ```
fn config_banks(data_dir: &Path) -> Result<Vec<PathBuf>, SettingsError> {
    use crate::files::ReadError;
    let path = data_dir.join(CONFIG_FILE);
    let text = match crate::files::read_text(&path, MAX_BANK_FILE_BYTES, "a config file") {
        Ok(text) => text,
        Err(ReadError::NotFound { .. }) => return Ok(Vec::new()),
        Err(source) => return Err(SettingsError::ConfigRead(source)),
    };
    parse_config(data_dir, &path.display().to_string(), text)
}

/// Reads the text of a config file named `name` in `data_dir`.
pub(crate) fn parse_config(
    data_dir: &Path,
    name: &str,
    text: String,
) -> Result<Vec<PathBuf>, SettingsError> {
    let mut sources = Sources::new();
    let file = sources.add(name.to_string(), text);
    let mut diags = Vec::new();
    let mut banks = Vec::new();
    {
        let mut cx = Cx::new(file, &mut diags);
        match crate::doc::ron::parse(sources.text(file)) {
            Ok(root) => {
                if let Some(mut s) = cx.structure(&root, "Config", "the config") {
                    if let Some(list) = s.optional("banks").and_then(|n| cx.string_list(n)) {
                        for (p, span) in list {
                            let full = data_dir.join(&p);
                            let same_as_data_dir = crate::files::identity(&full)
                                .is_some_and(|id| crate::files::identity(data_dir) == Some(id));
                            if p.trim().is_empty() || same_as_data_dir {
                                cx.error(
                                    "bad-bank-path",
                                    span,
                                    if p.trim().is_empty() {
                                        "an empty bank path".to_string()
                                    } else {
                                        format!("\"{p}\" is the data directory itself")
                                    },
                                    "name a bank file or a folder of bank files",
                                );
                            } else {
                                banks.push(full);
                            }
                        }
                    }
                    s.finish(&mut cx, &["banks"]);
                }
            }
            Err(e) => {
                let d = crate::bank::Diagnostic::error("syntax", file, e.message)
                    .at(e.span, "here")
                    .hint_opt(e.hint);
                cx.push(d);
            }
        }
    }
    if diags.iter().any(|d| d.is_error()) {
        return Err(SettingsError::ConfigInvalid {
            rendered: render_to_string(&sources, &diags),
        });
    }
    Ok(banks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(dir: &Path) -> GlobalOptions {
        GlobalOptions {
            data_dir: Some(dir.to_path_buf()),
            profile: "default".into(),
            ..Default::default()
        }
    }

    #[test]
    fn config_folders_are_added_relative_to_the_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "Config(banks: [\"class\"])").unwrap();
        let s = resolve(opts(dir.path())).unwrap();
        assert_eq!(s.banks.config_paths, vec![dir.path().join("class")]);
        assert_eq!(s.banks.config_file, Some(dir.path().join(CONFIG_FILE)));
        assert!(s.banks.builtin);
    }

    #[test]
    fn a_bad_config_is_reported_with_its_location() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "Config(bank: [])").unwrap();
        let err = resolve(opts(dir.path())).unwrap_err().to_string();
        assert!(
            err.contains("unknown field `bank`") && err.contains("config.ron:1:8"),
            "{err}"
        );
        assert!(err.contains("did you mean `banks`"), "{err}");
    }

    #[test]
    fn profile_names_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let mut o = opts(dir.path());
        o.profile = "../etc".into();
        assert!(matches!(resolve(o), Err(SettingsError::BadProfile(_))));
    }
}
