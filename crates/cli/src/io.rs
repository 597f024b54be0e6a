//! Reading a file or standard input, and writing output that ignores a
//! closed pipe (`| head`): shared by the subcommands.

use kmsplay_messages::{render, Lang};
use std::io::{Read, Write};
use std::process::ExitCode;

/// Reads `path`, or standard input for `-`.
pub fn read(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    }
}

/// Writes to standard output, ignoring a closed pipe.
pub fn write_out(s: &str) {
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

/// Writes to standard error, ignoring a closed pipe.
pub fn write_err(s: &str) {
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}

/// Reads `path` (standard input for `-`), or says it cannot and gives the
/// exit status 2.
pub fn read_input(path: &str, lang: Lang) -> Result<Vec<u8>, ExitCode> {
    read(path).map_err(|e| {
        write_err(&format!(
            "kmsplay: {}\n",
            render(
                lang,
                "cli.cannot-read",
                &[("file", path.to_string()), ("error", e.to_string())]
            )
        ));
        ExitCode::from(2)
    })
}
