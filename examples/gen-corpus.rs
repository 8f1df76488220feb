//! Writes the benchmark corpus (benches/corpus/mod.rs) to disk, for measuring the command line.
//!
//!   cargo run --release --example gen-corpus -- 10000 corpus.yaml   one multi-document file
//!   cargo run --release --example gen-corpus -- 1000 --files DIR     one file per object
//!   cargo run --release --example gen-corpus -- cluster big.yaml      the `targets` snapshot

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen-corpus N FILE | gen-corpus N --files DIR | gen-corpus cluster FILE";
    if let [what, file] = &args[..]
        && what == "cluster"
    {
        return finish(std::fs::write(file, corpus::cluster()));
    }
    let Some(count) = args.first().and_then(|n| n.parse::<usize>().ok()) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let result = match &args[1..] {
        [file] => std::fs::write(file, corpus::one_file(count)),
        [flag, dir] if flag == "--files" => write_files(count, Path::new(dir)),
        _ => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    finish(result)
}

fn finish(result: std::io::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-corpus: {e}");
            ExitCode::from(2)
        }
    }
}

fn write_files(count: usize, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("agent.yaml"), corpus::agent())?;
    for i in 0..count {
        std::fs::write(
            dir.join(format!("podmonitor-{i:05}.yaml")),
            corpus::pod_monitor(i),
        )?;
    }
    Ok(())
}
