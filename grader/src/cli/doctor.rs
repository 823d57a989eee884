//! `grader doctor`: the sandbox layers this machine allows, the
//! toolchain, the course's dependencies and the limits in force.
use std::io::Write;

use grader::builder;
use grader::text::Lang;
use grader::toolchain::Toolchain;

use super::options::SandboxArgs;

pub(crate) fn doctor(args: SandboxArgs, lang: Lang) -> anyhow::Result<()> {
    use grader::text::{fmt, get};
    let status = args.init();
    let mut out = std::io::stdout().lock();
    let grader_name = format!("socklings grader {}", grader::VERSION);
    writeln!(
        out,
        "{}",
        fmt(lang, "doctor-title", &[("grader", grader_name.into())])
    )?;
    for (name, layer) in status.layers() {
        let state = get(
            lang,
            if layer.is_active() {
                "doctor-active"
            } else {
                "doctor-unavailable"
            },
        );
        writeln!(
            out,
            "  {name:<11} {} {}",
            pad(&state, 12),
            layer.detail_in(lang)
        )?;
    }
    toolchain(lang, &mut out)?;
    writeln!(out, "{}", get(lang, "doctor-limits"))?;
    for line in limits(lang, status) {
        writeln!(out, "  {line}")?;
    }
    writeln!(
        out,
        "{}",
        fmt(
            lang,
            "doctor-build",
            &[("secs", builder::BUILD_TIMEOUT.as_secs().into())]
        )
    )?;
    writeln!(out, "{}", test_budget(lang))?;
    let strict = if status.all_active() {
        "doctor-strict-ok"
    } else {
        "doctor-strict-refused"
    };
    writeln!(out, "{}", get(lang, strict))?;
    grader::sandbox::cleanup();
    Ok(())
}

/// The toolchain found, and whether the course's dependencies are in
/// cargo's cache.
fn toolchain(lang: Lang, out: &mut dyn Write) -> anyhow::Result<()> {
    use grader::text::fmt;
    match Toolchain::locate() {
        Ok(t) => {
            let found = fmt(
                lang,
                "doctor-toolchain",
                &[
                    ("cargo", t.cargo.display().to_string().into()),
                    ("rustc", t.rustc.display().to_string().into()),
                    ("home", t.cargo_home.display().to_string().into()),
                ],
            );
            writeln!(out, "{found}")?;
            let course = grader::manifest::Course::builtin()?;
            let allowed = &course.course.allowed_dependencies;
            let line = match t.dependencies(grader::toolchain::COURSE_LOCK, allowed) {
                Ok((all, missing)) if missing.is_empty() => {
                    fmt(lang, "doctor-deps-all", &[("count", all.len().into())])
                }
                Ok((_, missing)) => {
                    let names: Vec<String> = missing.iter().map(|p| p.to_string()).collect();
                    fmt(
                        lang,
                        "doctor-deps-missing",
                        &[("names", names.join(", ").into())],
                    )
                }
                Err(e) => fmt(
                    lang,
                    "doctor-deps-error",
                    &[("error", e.to_string().into())],
                ),
            };
            writeln!(out, "{line}")?;
        }
        Err(e) => writeln!(
            out,
            "{}",
            fmt(
                lang,
                "doctor-toolchain-error",
                &[("error", e.to_string().into())]
            )
        )?,
    }
    Ok(())
}

/// How many tests run at once, and against which CPU the spare time is
/// measured (the CPUs this process may run on, or its CPU quota).
fn test_budget(lang: Lang) -> String {
    use grader::admission::{self, load, quota::Quota};
    use grader::text::fmt;
    let cores = admission::cores();
    let measure = match Quota::find() {
        Some(q) => fmt(
            lang,
            "doctor-measure-quota",
            &[
                ("group", q.group.display().to_string().into()),
                ("quota", q.cores.to_string().into()),
            ],
        ),
        None => {
            let cpus = load::allowed_cpus().unwrap_or_default();
            fmt(
                lang,
                "doctor-measure-cpus",
                &[
                    ("cpus", load::cpu_list(&cpus).into()),
                    ("count", cpus.len().into()),
                ],
            )
        }
    };
    fmt(
        lang,
        "doctor-tests",
        &[
            ("base", (cores * admission::WAITING_PER_CORE).into()),
            ("per", admission::WAITING_PER_CORE.into()),
            ("cores", cores.into()),
            ("most", (cores * admission::MOST_PER_CORE).into()),
            ("measure", measure.into()),
        ],
    )
}

/// The limits of each student process, a line each.
fn limits(lang: Lang, status: &grader::sandbox::Status) -> Vec<String> {
    use grader::text::{fmt, get, Arg};
    let l = grader::sandbox::Limits::default();
    let size = |n: u64| Arg::Bytes(n);
    vec![
        fmt(
            lang,
            "doctor-wall",
            &[("secs", grader::harness::DEFAULT_TIMEOUT.as_secs().into())],
        ),
        get(lang, "doctor-cpu"),
        fmt(lang, "doctor-memory", &[("size", size(l.address_space))]),
        fmt(lang, "doctor-file-size", &[("size", size(l.file_size))]),
        fmt(lang, "doctor-open-files", &[("count", l.open_files.into())]),
        fmt(
            lang,
            "doctor-output",
            &[("size", size(grader::process::DEFAULT_OUTPUT_CAP as u64))],
        ),
        if !status.processes.is_active() {
            get(lang, "doctor-processes-none")
        } else {
            let whom = if nix::unistd::geteuid().is_root() {
                "doctor-processes-per-test"
            } else {
                "doctor-processes-all"
            };
            fmt(
                lang,
                "doctor-processes",
                &[
                    ("count", grader::sandbox::PROCESS_LIMIT.into()),
                    ("whom", get(lang, whom).into()),
                ],
            )
        },
    ]
}

/// `text` padded with spaces to `columns` terminal columns (a Chinese
/// character takes two).
fn pad(text: &str, columns: usize) -> String {
    let width = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(columns.saturating_sub(width)))
}
