//! Reading a file or standard input, and writing output that ignores a
//! closed pipe (`| head`): shared by the subcommands.

use std::io::{Read, Write};

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
