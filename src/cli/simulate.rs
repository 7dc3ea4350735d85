//! `labcert simulate`: simulated candidates through the real exam code.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::Style;
use crate::cat::Pool;
use crate::exam::simulate::{calibrate_exposure, simulate_with};
use crate::exit::Failure;
use crate::settings::Settings;
use crate::ui::progress;

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A shipped exam style
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        conflicts_with = "blueprint",
        required_unless_present = "blueprint"
    )]
    style: Option<Style>,
    /// Your own blueprint file
    #[arg(long, value_name = "FILE")]
    blueprint: Option<PathBuf>,
    /// How many simulated candidates
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = super::at_least_one)]
    examinees: usize,
    /// Find Sympson-Hetter exposure parameters for the blueprint's max_exposure (0.25 when
    /// it sets none) by repeated simulation, simulate with them, and keep them for exams
    /// on these banks
    #[arg(long)]
    calibrate_exposure: bool,
}

/// The target maximum exposure when a blueprint sets none.
const DEFAULT_MAX_EXPOSURE: f64 = 0.25;

/// Fewer simulated candidates than this finish too fast to need a progress bar.
const WORTH_A_BAR: u64 = 500;

pub fn run(settings: &Settings, args: SimulateArgs) -> anyhow::Result<()> {
    let library = super::load_library(settings)?;
    let (bp, _) = super::chosen_blueprint(args.style, args.blueprint.as_deref())?;
    let library = super::library_for(library, &bp)?;
    let items: Vec<&crate::bank::Item> = library
        .items()
        .filter(|(_, i)| bp.admits(i))
        .map(|(_, i)| i)
        .collect();
    let mut pool = Pool::new(items.iter().map(|i| (i.irt, i.area)));
    pool.set_enemies(crate::exam::session::enemy_pairs(items.iter().copied()));
    if pool.is_empty() {
        return Err(
            Failure::Problem(format!("no loaded item fits the blueprint {}", bp.id)).into(),
        );
    }
    let seed = settings.seed.unwrap_or_else(rand::random);
    let bar = progress::bar(
        settings.quiet,
        args.examinees as u64,
        WORTH_A_BAR,
        "simulating candidates",
    );
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let r = if args.calibrate_exposure && bp.is_adaptive() {
        let target = bp.max_exposure.unwrap_or(DEFAULT_MAX_EXPOSURE);
        bar.set_message("finding exposure parameters");
        bar.set_length(0);
        let params = calibrate_exposure(&bp, &pool, args.examinees, seed, target, threads, &bar);
        // Exams on these banks use what was found (the same key as `labcert exam`).
        if settings.data_dir.is_some() {
            let key = crate::exam::simulate::exposure_key(&bp, items.iter().copied());
            let kept = super::open_store(settings).and_then(|(store, _)| {
                Ok(store.save_exposure_parameters(&key, target, &params.k)?)
            });
            if let Err(e) = kept {
                eprintln!(
                    "{}: the exposure parameters were not kept for exams: {e:#}",
                    crate::ui::warning_word()
                );
            }
        }
        bar.set_position(0);
        bar.set_length(args.examinees as u64);
        let (mut r, _) = simulate_with(
            &bp,
            &pool,
            args.examinees,
            seed,
            threads,
            Some(&params.k),
            &bar,
        );
        r.exposure_control = Some(params.control);
        r
    } else {
        simulate_with(&bp, &pool, args.examinees, seed, threads, None, &bar).0
    };
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    if settings.json {
        serde_json::to_writer_pretty(&mut out, &r)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "Simulated {} candidates (true ability ~ N(0,1)) on {} from {} items; seed {seed}.",
        r.examinees, bp.name, r.pool_size
    )?;
    writeln!(out, "Mean length:               {:.1} items", r.mean_length)?;
    let d = &r.length_distribution;
    if d.min != d.max {
        writeln!(
            out,
            "Length spread:             min {}, quartiles {} / {} / {}, max {}",
            d.min, d.q1, d.median, d.q3, d.max
        )?;
        let bins: Vec<String> = d
            .bins
            .iter()
            .map(|b| {
                let share = 100.0 * b.simulees as f64 / r.examinees.max(1) as f64;
                if b.from == b.to {
                    format!("{} {share:.0}%", b.from)
                } else {
                    format!("{}-{} {share:.0}%", b.from, b.to)
                }
            })
            .collect();
        writeln!(
            out,
            "{}",
            crate::ui::text::wrap_hanging(
                &format!("Lengths:                   {}", bins.join(", ")),
                80,
                "",
                "                           "
            )
        )?;
    }
    writeln!(out, "RMSE of final estimate:    {:.3} logits", r.rmse)?;
    writeln!(out, "Bias:                      {:+.3} logits", r.bias)?;
    writeln!(out, "Mean standard error:       {:.3} logits", r.mean_se)?;
    writeln!(
        out,
        "Pass/fail accuracy:        {:.1}% (false pass {:.1}%, false fail {:.1}%)",
        r.classification_accuracy * 100.0,
        r.false_pass_rate * 100.0,
        r.false_fail_rate * 100.0
    )?;
    writeln!(
        out,
        "Item exposure:             max {:.1}%, mean {:.1}%, never used {:.1}% of the pool",
        r.max_exposure * 100.0,
        r.mean_exposure * 100.0,
        r.never_used * 100.0
    )?;
    writeln!(
        out,
        "Overlap:                   {:.1}% of items shared by two candidates' exams, on average",
        r.overlap_rate * 100.0
    )?;
    writeln!(
        out,
        "Pass probability:          calibration error (ECE) {:.3} over {} groups of predicted probability",
        r.pass_calibration.ece,
        r.pass_calibration.groups.len()
    )?;
    if let Some(c) = &r.exposure_control {
        writeln!(
            out,
            "Exposure control:          Sympson-Hetter, target {:.0}%: {} limited, parameters found in {} rounds",
            c.target * 100.0,
            crate::ui::text::plural(c.items_limited, "item"),
            c.rounds
        )?;
    }
    writeln!(
        out,
        "Blueprint met:             {:.1}% of exams (mean worst area miss {:.2} items)",
        r.blueprint_conformity * 100.0,
        r.mean_area_deviation
    )?;
    writeln!(
        out,
        "Time:                      {:.2} s on {} thread(s)",
        r.seconds, r.threads
    )?;
    Ok(())
}
