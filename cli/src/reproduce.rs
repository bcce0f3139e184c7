//! `glasslayer reproduce paper|mnist` — the paper's experiment and its MNIST counterpart, written
//! as a markdown table, a CSV of every run and an SVG plot.
//!
//! ```text
//! glasslayer reproduce paper [--images 20] [--hidden 350,500,750,900,1000] \
//!     [--periods none,16,9,4,2] [--simplex-images 5] [--out docs/attack]
//! glasslayer reproduce mnist [--images 20] [--hidden 16,32,64,128,256,392,784] \
//!     [--methods paper,minsum,tv,stacked,gradient] [--out docs/attack]
//! ```
//!
//! - `paper`: CIFAR-10 grayscale 32×32, `W1 ~ N(0, 1)` (one draw per image, shared by every
//!   period and nested over h), the authors' feasibility LP solved with the interior-point method
//!   (its analytic-centre solution) and, on the first `--simplex-images` images, with the simplex
//!   (a vertex); then the same grid for `tv`. Infeasible runs are counted, not scored.
//! - `mnist`: MNIST training digits from index 0, the trained `W1`, median PSNR per method and h.
//!
//! Files: `<out>/<name>.md`, `<out>/<name>.csv`, `<out>/<name>.svg` (and `<out>/paper-tv.svg`).

use crate::attack::{self, median, progress, Dataset, Objective, Weights};
use anyhow::{bail, Context};
use glasslayer::attack::AttackKind;
use glasslayer::attack::{smoothness, SolveStatus};
use std::fmt::Write as _;
use std::path::PathBuf;

#[path = "reproduce_cnn.rs"]
pub mod cnn;
#[path = "reproduce_leak.rs"]
pub mod leaks;

/// Which experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// The paper's CIFAR-10 grid (MSE vs h per smoothness period; IPM and simplex; TV).
    Paper,
    /// PSNR vs h on MNIST with trained weights, for every method.
    Mnist,
    /// What still leaks under the mitigations (issue 13): writes `docs/leak/`.
    Leaks,
}

/// Arguments of `glasslayer reproduce`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// paper | mnist
    #[arg(value_enum)]
    target: Target,
    /// Images per grid cell.
    #[arg(long, default_value_t = 20)]
    images: usize,
    /// Hidden sizes (comma-separated); default: the experiment's grid.
    #[arg(long, value_delimiter = ',')]
    hidden: Option<Vec<usize>>,
    /// Smoothness periods of `paper` (comma-separated, `none` for no smoothness rows).
    #[arg(long, value_delimiter = ',', default_value = "none,16,9,4,2")]
    periods: Vec<String>,
    /// Images per cell also solved with the simplex (`paper`; the simplex is slow at large h).
    #[arg(long, default_value_t = 5)]
    simplex_images: usize,
    /// Skip the TV grid of `paper`.
    #[arg(long)]
    no_tv: bool,
    /// Methods of `mnist` (comma-separated).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "paper,minsum,tv,stacked,gradient"
    )]
    methods: Vec<String>,
    /// Training digits of `leaks` (the client's data set).
    #[arg(long, default_value_t = 2000)]
    samples: usize,
    /// Output folder (default: docs/attack; docs/leak for `leaks`).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// One run of the grid.
struct Row {
    method: String,
    solver: String,
    hidden: usize,
    period: String,
    index: usize,
    status: SolveStatus,
    mse: Option<f64>,
    psnr: Option<f64>,
    ssim: Option<f64>,
    ms: f64,
}

fn base_args(
    dataset: Dataset,
    weights: Weights,
    hidden: usize,
    method: AttackKind,
) -> attack::Args {
    attack::Args {
        dataset,
        weights,
        hidden,
        method,
        period: None,
        t: 25.0,
        lambda: glasslayer::attack::DEFAULT_TV_LAMBDA,
        epochs: 2,
        objective: Objective::Minsum,
        batch: 1,
        start: 0,
        samples: 1,
        solver: "ipm".into(),
        round_z: None,
        seed: 1,
        view: None,
        json: false,
    }
}

fn parse_period(p: &str) -> anyhow::Result<Option<usize>> {
    match p.trim() {
        "none" | "" => Ok(None),
        s => {
            let v: usize = s.parse().with_context(|| format!("bad period `{s}`"))?;
            if v == 0 {
                bail!("period must be ≥ 1");
            }
            Ok(Some(v))
        }
    }
}

fn period_name(p: Option<usize>) -> String {
    p.map_or("none".into(), |p| p.to_string())
}

fn csv(rows: &[Row]) -> String {
    let mut s = String::from("method,solver,hidden,period,index,status,mse,psnr,ssim,ms\n");
    let f = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6e}"));
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{:.1}",
            r.method,
            r.solver,
            r.hidden,
            r.period,
            r.index,
            r.status.as_str(),
            f(r.mse),
            f(r.psnr),
            f(r.ssim),
            r.ms
        );
    }
    s
}

fn run_cell(
    args: &attack::Args,
    method: &str,
    period: &str,
    rows: &mut Vec<Row>,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<()> {
    let outcomes = attack::run_attack(args, |_| bar.inc(1))?;
    if bar.is_hidden() {
        // not a terminal (a log file): one line per cell instead of the bar
        let s = attack::Summary::of(&outcomes);
        eprintln!(
            "{method} h={} period={period} solver={}: {}/{} solved, mean MSE {}, median PSNR {}",
            args.hidden,
            args.solver,
            s.samples - s.failures,
            s.samples,
            fmt(s.mse_mean, 5),
            fmt(s.psnr_median, 1)
        );
    }
    for o in outcomes {
        rows.push(Row {
            method: method.into(),
            solver: args.solver.clone(),
            hidden: args.hidden,
            period: period.into(),
            index: o.index,
            status: o.status,
            mse: o.quality.map(|q| q.mse),
            psnr: o.quality.map(|q| q.psnr),
            ssim: o.quality.map(|q| q.ssim),
            ms: o.ms,
        });
    }
    Ok(())
}

/// Cell statistics: (mean MSE over solved, solved, total, median PSNR, median ms).
fn stats<'a>(
    rows: impl Iterator<Item = &'a Row>,
) -> (Option<f64>, usize, usize, Option<f64>, Option<f64>) {
    let rows: Vec<&Row> = rows.collect();
    let mses: Vec<f64> = rows.iter().filter_map(|r| r.mse).collect();
    let solved = rows
        .iter()
        .filter(|r| r.status == SolveStatus::Solved)
        .count();
    let mean = (!mses.is_empty()).then(|| mses.iter().sum::<f64>() / mses.len() as f64);
    (
        mean,
        solved,
        rows.len(),
        median(rows.iter().filter_map(|r| r.psnr).collect()),
        median(rows.iter().map(|r| r.ms).collect()),
    )
}

fn fmt(v: Option<f64>, prec: usize) -> String {
    v.map_or("—".into(), |v| format!("{v:.prec$}"))
}

fn write_outputs(
    out: &PathBuf,
    name: &str,
    md: &str,
    rows: &[Row],
    svgs: &[(String, String)],
) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    std::fs::write(out.join(format!("{name}.md")), md)?;
    std::fs::write(out.join(format!("{name}.csv")), csv(rows))?;
    for (file, svg) in svgs {
        std::fs::write(out.join(file), svg)?;
    }
    eprintln!(
        "wrote {}/{name}.md, {name}.csv and {}",
        out.display(),
        svgs.iter()
            .map(|s| s.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

fn paper(args: &Args) -> anyhow::Result<()> {
    let hidden = args
        .hidden
        .clone()
        .unwrap_or_else(|| vec![350, 500, 750, 900, 1000]);
    let periods: Vec<Option<usize>> = args
        .periods
        .iter()
        .map(|p| parse_period(p))
        .collect::<anyhow::Result<_>>()?;
    let k = args.images;
    let ks = args.simplex_images.min(k);
    let total =
        hidden.len() * periods.len() * (k + ks) + if args.no_tv { 0 } else { hidden.len() * k };
    let bar = progress(total as u64, "reproduce paper");
    let mut rows = Vec::new();
    for &h in &hidden {
        for &p in &periods {
            let mut a = base_args(Dataset::Cifar10, Weights::Random, h, AttackKind::Paper);
            a.period = p;
            a.samples = k;
            run_cell(&a, "paper", &period_name(p), &mut rows, &bar)?;
            if ks > 0 {
                a.samples = ks;
                a.solver = "simplex".into();
                run_cell(&a, "paper", &period_name(p), &mut rows, &bar)?;
            }
        }
        if !args.no_tv {
            let mut a = base_args(Dataset::Cifar10, Weights::Random, h, AttackKind::Tv);
            a.samples = k;
            run_cell(&a, "tv", "-", &mut rows, &bar)?;
        }
    }
    bar.finish_and_clear();

    // markdown
    let mut md = String::new();
    let _ = writeln!(
        md,
        "CIFAR-10 test images 0–{} in grayscale (32×32, n = 1024), `W1 ~ N(0, 1)`, pixels 0..255, \
         smoothness threshold t = 25. MSE on [0, 1] pixels, mean over the runs that were solved; \
         `solved` counts the runs whose LP was feasible (the rest were proved infeasible and are \
         not scored). Interior point = the analytic centre of the feasible set; simplex = a vertex \
         (first {ks} images).\n",
        k.saturating_sub(1)
    );
    let _ = writeln!(md, "| h | period | rows | MSE (interior point) | solved | MSE (simplex) | solved | ms (IP, median) |");
    let _ = writeln!(md, "|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &h in &hidden {
        for &p in &periods {
            let pn = period_name(p);
            let ipm = stats(rows.iter().filter(|r| {
                r.method == "paper" && r.solver == "ipm" && r.hidden == h && r.period == pn
            }));
            let spx = stats(rows.iter().filter(|r| {
                r.method == "paper" && r.solver == "simplex" && r.hidden == h && r.period == pn
            }));
            let nrows = p.map_or(0, |p| smoothness::paper_rows(32, 32, p).len());
            let _ = writeln!(
                md,
                "| {h} | {pn} | {nrows} ({:.0} %) | {} | {}/{} | {} | {}/{} | {} |",
                100.0 * nrows as f64 / 1024.0,
                fmt(ipm.0, 4),
                ipm.1,
                ipm.2,
                fmt(spx.0, 4),
                spx.1,
                spx.2,
                fmt(ipm.4, 0)
            );
        }
    }
    if !args.no_tv {
        let _ = writeln!(
            md,
            "\nThe same images and `W1` with the TV attack (λ = {}):\n",
            glasslayer::attack::DEFAULT_TV_LAMBDA
        );
        let _ = writeln!(
            md,
            "| h | MSE (TV) | PSNR median (dB) | solved | ms (median) |"
        );
        let _ = writeln!(md, "|---:|---:|---:|---:|---:|");
        for &h in &hidden {
            let s = stats(rows.iter().filter(|r| r.method == "tv" && r.hidden == h));
            let _ = writeln!(
                md,
                "| {h} | {} | {} | {}/{} | {} |",
                fmt(s.0, 4),
                fmt(s.3, 1),
                s.1,
                s.2,
                fmt(s.4, 0)
            );
        }
    }

    // plot: MSE vs h per period (interior point), simplex dashed, TV
    let mut series = Vec::new();
    for &p in &periods {
        let pn = period_name(p);
        let pts = hidden
            .iter()
            .map(|&h| {
                (
                    h as f64,
                    stats(rows.iter().filter(|r| {
                        r.method == "paper" && r.solver == "ipm" && r.hidden == h && r.period == pn
                    }))
                    .0,
                )
            })
            .collect();
        series.push(Series {
            name: format!("IP, period {pn}"),
            points: pts,
            dashed: false,
        });
    }
    if ks > 0 {
        for &p in periods.iter().take(1) {
            let pn = period_name(p);
            let pts = hidden
                .iter()
                .map(|&h| {
                    (
                        h as f64,
                        stats(rows.iter().filter(|r| {
                            r.method == "paper"
                                && r.solver == "simplex"
                                && r.hidden == h
                                && r.period == pn
                        }))
                        .0,
                    )
                })
                .collect();
            series.push(Series {
                name: format!("simplex, period {pn}"),
                points: pts,
                dashed: true,
            });
        }
    }
    if !args.no_tv {
        let pts = hidden
            .iter()
            .map(|&h| {
                (
                    h as f64,
                    stats(rows.iter().filter(|r| r.method == "tv" && r.hidden == h)).0,
                )
            })
            .collect();
        series.push(Series {
            name: "TV (ours)".into(),
            points: pts,
            dashed: false,
        });
    }
    let svg = line_chart(&Chart {
        title: "Paper's LP on CIFAR-10 gray: MSE vs hidden units",
        x_label: "hidden units h (equations)",
        y_label: "MSE (mean, solved runs)",
        log_x: false,
        log_y: true,
        series: &series,
    });
    write_outputs(
        &attack_out(args),
        "paper",
        &md,
        &rows,
        &[("paper.svg".into(), svg)],
    )
}

fn mnist(args: &Args) -> anyhow::Result<()> {
    let hidden = args
        .hidden
        .clone()
        .unwrap_or_else(|| glasslayer::data::models_file::HIDDEN_SIZES.to_vec());
    let mut methods = Vec::new();
    for m in &args.methods {
        methods.push(m.trim().parse::<AttackKind>()?);
    }
    let name = AttackKind::name;
    let k = args.images;
    let bar = progress((hidden.len() * methods.len() * k) as u64, "reproduce mnist");
    let mut rows = Vec::new();
    for &h in &hidden {
        for &m in &methods {
            let mut a = base_args(Dataset::Mnist, Weights::Trained, h, m);
            a.samples = k;
            run_cell(&a, name(m), "-", &mut rows, &bar)?;
        }
    }
    bar.finish_and_clear();
    let mut md = String::new();
    let _ = writeln!(
        md,
        "MNIST training digits 0–{}, `W1` of a 784-h-10 ReLU MLP trained for 2 epochs (SGD, lr 0.1, \
         batch 64). Median PSNR in dB (100 = exact to float precision; `solved` runs only), \
         median solve time in ms. `paper` = feasibility LP without smoothness rows (interior point), \
         `stacked` = `minsum` over the equations of epochs 1 and 2, `gradient` = read from the \
         decrypted dW1 of a batch-1 SGD step (does not depend on h beyond δ1 ≠ 0).\n",
        k.saturating_sub(1)
    );
    let _ = write!(md, "| h |");
    for &m in &methods {
        let _ = write!(md, " {} PSNR | ms |", name(m));
    }
    let _ = writeln!(md);
    let _ = write!(md, "|---:|");
    for _ in &methods {
        let _ = write!(md, "---:|---:|");
    }
    let _ = writeln!(md);
    for &h in &hidden {
        let _ = write!(md, "| {h} |");
        for &m in &methods {
            let s = stats(rows.iter().filter(|r| r.method == name(m) && r.hidden == h));
            let fail = if s.1 < s.2 {
                format!(" ({} failed)", s.2 - s.1)
            } else {
                String::new()
            };
            let _ = write!(md, " {}{fail} | {} |", fmt(s.3, 1), fmt(s.4, 0));
        }
        let _ = writeln!(md);
    }
    let series: Vec<Series> = methods
        .iter()
        .map(|&m| Series {
            name: name(m).into(),
            points: hidden
                .iter()
                .map(|&h| {
                    (
                        h as f64,
                        stats(rows.iter().filter(|r| r.method == name(m) && r.hidden == h)).3,
                    )
                })
                .collect(),
            dashed: m == AttackKind::Gradient,
        })
        .collect();
    let svg = line_chart(&Chart {
        title: "Reconstruction of MNIST training digits from trained W1",
        x_label: "hidden units h (equations per sample)",
        y_label: "median PSNR (dB)",
        log_x: true,
        log_y: false,
        series: &series,
    });
    write_outputs(
        &attack_out(args),
        "mnist",
        &md,
        &rows,
        &[("mnist.svg".into(), svg)],
    )
}

fn attack_out(args: &Args) -> PathBuf {
    args.out
        .clone()
        .unwrap_or_else(|| PathBuf::from("docs/attack"))
}

/// Entry point of `glasslayer reproduce`.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.target {
        Target::Paper => paper(&args),
        Target::Mnist => mnist(&args),
        Target::Leaks => leaks::run(
            args.images,
            args.samples,
            &args
                .out
                .clone()
                .unwrap_or_else(|| PathBuf::from("docs/leak")),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// A tiny SVG line-chart writer.

/// One line of a chart (`None` points break the line).
pub struct Series {
    name: String,
    points: Vec<(f64, Option<f64>)>,
    dashed: bool,
}

/// A chart.
pub struct Chart<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    log_x: bool,
    log_y: bool,
    series: &'a [Series],
}

const PALETTE: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Render an SVG line chart (640×400) with axes, ticks and a legend.
pub fn line_chart(c: &Chart) -> String {
    let (w, h) = (640.0, 400.0);
    let (l, r, t, b) = (70.0, 170.0, 40.0, 50.0);
    let tx = |v: f64| if c.log_x { v.max(1e-300).log10() } else { v };
    let ty = |v: f64| if c.log_y { v.max(1e-300).log10() } else { v };
    let xs: Vec<f64> = c
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| tx(p.0)))
        .collect();
    let ys: Vec<f64> = c
        .series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|p| p.1.map(ty)))
        .filter(|v| v.is_finite())
        .collect();
    let range = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if hi - lo < 1e-12 {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo, hi)
        }
    };
    let (x0, x1) = range(&xs);
    let (mut y0, mut y1) = range(&ys);
    if c.log_y {
        y0 = y0.floor();
        y1 = y1.ceil();
    } else {
        let pad = 0.05 * (y1 - y0);
        y0 = (y0 - pad).min(0.0);
        y1 += pad;
    }
    let xpad = 0.03 * (x1 - x0);
    let (x0, x1) = (x0 - xpad, x1 + xpad);
    let px = |v: f64| l + (tx(v) - x0) / (x1 - x0) * (w - l - r);
    let py = |v: f64| h - b - (ty(v) - y0) / (y1 - y0) * (h - t - b);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="14" font-weight="bold">{}</text>"#,
        (w - r + l) / 2.0,
        esc(c.title)
    );
    // axes
    let _ = writeln!(
        s,
        r##"<path d="M{l} {t} V{} H{}" fill="none" stroke="#333"/>"##,
        h - b,
        w - r
    );
    // x ticks: the data's x values
    let mut xt: Vec<f64> = c
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .collect();
    xt.sort_by(f64::total_cmp);
    xt.dedup();
    for v in xt {
        let x = px(v);
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}" stroke="#333"/><text x="{x:.1}" y="{}" text-anchor="middle">{v}</text>"##,
            h - b,
            h - b + 5.0,
            h - b + 18.0
        );
    }
    // y ticks
    let yt: Vec<f64> = if c.log_y {
        (y0 as i32..=y1 as i32).map(|e| 10f64.powi(e)).collect()
    } else {
        let step = nice_step((y1 - y0) / 5.0);
        let mut v = (y0 / step).ceil() * step;
        let mut out = Vec::new();
        while v <= y1 + 1e-9 {
            out.push(v);
            v += step;
        }
        out
    };
    for v in yt {
        let y = py(v);
        let label = if c.log_y {
            format!("1e{}", v.log10().round() as i32)
        } else {
            format!("{v}")
        };
        let _ = writeln!(
            s,
            r##"<line x1="{}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{label}</text>"##,
            l,
            w - r,
            l - 6.0,
            y + 4.0
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        (w - r + l) / 2.0,
        h - 12.0,
        esc(c.x_label)
    );
    let _ = writeln!(
        s,
        r#"<text transform="translate(16 {}) rotate(-90)" text-anchor="middle">{}</text>"#,
        (h - b + t) / 2.0,
        esc(c.y_label)
    );
    // series
    for (i, ser) in c.series.iter().enumerate() {
        let col = PALETTE[i % PALETTE.len()];
        let dash = if ser.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let mut d = String::new();
        let mut pen = false;
        for &(x, y) in &ser.points {
            match y.filter(|v| ty(*v).is_finite()) {
                Some(y) => {
                    let _ = write!(
                        d,
                        "{}{:.1} {:.1} ",
                        if pen { "L" } else { "M" },
                        px(x),
                        py(y)
                    );
                    pen = true;
                }
                None => pen = false,
            }
        }
        let _ = writeln!(
            s,
            r#"<path d="{}" fill="none" stroke="{col}" stroke-width="2"{dash}/>"#,
            d.trim()
        );
        for &(x, y) in &ser.points {
            if let Some(y) = y.filter(|v| ty(*v).is_finite()) {
                let _ = writeln!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{col}"/>"#,
                    px(x),
                    py(y)
                );
            }
        }
        let ly = t + 10.0 + 18.0 * i as f64;
        let _ = writeln!(
            s,
            r#"<line x1="{}" y1="{ly}" x2="{}" y2="{ly}" stroke="{col}" stroke-width="2"{dash}/><text x="{}" y="{}">{}</text>"#,
            w - r + 12.0,
            w - r + 36.0,
            w - r + 42.0,
            ly + 4.0,
            esc(&ser.name)
        );
    }
    s.push_str("</svg>\n");
    s
}

fn nice_step(raw: f64) -> f64 {
    if !(raw > 0.0 && raw.is_finite()) {
        return 1.0;
    }
    let e = 10f64.powf(raw.log10().floor());
    let f = raw / e;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * e
}
