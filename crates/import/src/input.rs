//! From an input's bytes to its text: the size limits, gzip (as S3 stores
//! CloudTrail log files), UTF-8.

use crate::types::{ImportError, MAX_INPUT_BYTES, MAX_TEXT_BYTES};
use std::io::Read;

/// The text of an input, decompressed when it was gzip.
pub(crate) struct Text {
    /// The text (a byte-order mark removed).
    pub text: String,
    /// Whether it came out of gzip.
    pub gzip: bool,
}

/// Reads an input's bytes as text, refusing past the limits.
pub(crate) fn text_of(name: &str, bytes: &[u8]) -> Result<Text, ImportError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImportError::new("import.error.too-large", name)
            .with("size", bytes.len().to_string())
            .with("max", MAX_INPUT_BYTES.to_string()));
    }
    let gzip = bytes.starts_with(&[0x1f, 0x8b]);
    let raw: std::borrow::Cow<'_, [u8]> = if gzip {
        inflate(name, bytes)?.into()
    } else {
        bytes.into()
    };
    let body = raw.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(&raw);
    match std::str::from_utf8(body) {
        Ok(t) => Ok(Text {
            text: t.to_string(),
            gzip,
        }),
        Err(e) => {
            let at = e.valid_up_to();
            let valid = std::str::from_utf8(&body[..at]).unwrap_or_default();
            Err(ImportError::new("import.error.not-utf8", name).at(valid, at, at + 1))
        }
    }
}

/// Inflates gzip members one chunk at a time, and stops as soon as the text
/// passes [`MAX_TEXT_BYTES`]: a small file that inflates to gigabytes (a
/// gzip bomb) costs at most the limit, never all of it.
fn inflate(name: &str, bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    let mut decoder = flate2::read::MultiGzDecoder::new(bytes);
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(MAX_TEXT_BYTES));
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match decoder.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => {
                if out.len() + n > MAX_TEXT_BYTES {
                    return Err(ImportError::new("import.error.gzip-too-large", name)
                        .with("max", MAX_TEXT_BYTES.to_string()));
                }
                out.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Err(ImportError::new("import.error.gzip-truncated", name)
                    .with("size", out.len().to_string()));
            }
            Err(e) => {
                return Err(ImportError::new("import.error.gzip-invalid", name)
                    .with("error", e.to_string()));
            }
        }
    }
}
