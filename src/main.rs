//! The command line: parses arguments, runs the pipeline, prints diagnostics
//! and picks the exit code. All the work is in the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use glossator::{BuildOptions, BuildReport, build};

#[derive(Parser)]
#[command(
    name = "glossator",
    version,
    about = "Builds an annotated reading edition into a static site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the edition into a folder of HTML pages.
    Build {
        #[command(flatten)]
        common: Common,
        /// Output folder (default: ROOT/site).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Theme name: a folder under ROOT/themes/, or the built-in `default`.
        #[arg(long, default_value = "default")]
        theme: String,
        /// The site's public URL; only used for canonical links.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Validate everything `build` validates, writing nothing.
    Check {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value = "default")]
        theme: String,
    },
    /// Build, serve over HTTP, rebuild on change and reload open pages.
    #[cfg(feature = "serve")]
    Serve(glossator::serve::ServeArgs),
}

#[derive(Args)]
struct Common {
    /// The edition folder, the one that holds `content/`.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
}

fn main() -> ExitCode {
    // A panic is caught per page and reported as an error naming the page;
    // the default hook would add a raw backtrace hint to the output.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("internal error{location}: this is a bug in glossator");
    }));
    let cli = Cli::parse();
    let (opts, verb) = match cli.command {
        Command::Build {
            common,
            out,
            theme,
            base_url,
        } => (
            BuildOptions {
                root: common.root,
                out,
                theme,
                base_url,
                strict: common.strict,
                write: true,
            },
            "built",
        ),
        #[cfg(feature = "serve")]
        Command::Serve(args) => {
            return glossator::serve::run(args).map_or_else(
                |e| {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                },
                |()| ExitCode::SUCCESS,
            );
        }
        Command::Check { common, theme } => (
            BuildOptions {
                root: common.root,
                out: None,
                theme,
                base_url: None,
                strict: common.strict,
                write: false,
            },
            "checked",
        ),
    };
    let report = build(&opts);
    print_report(&report, verb)
}

fn print_report(report: &BuildReport, verb: &str) -> ExitCode {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in &report.diagnostics.items {
        eprintln!("{}", d.render(color));
    }
    if report.failed() {
        eprintln!(
            "error: build failed with {} error{}; the previous output was left untouched",
            report.diagnostics.error_count(),
            if report.diagnostics.error_count() == 1 {
                ""
            } else {
                "s"
            }
        );
        return ExitCode::from(1);
    }
    println!("{}", report.summary(verb));
    ExitCode::SUCCESS
}
