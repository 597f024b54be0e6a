//! Share links: the whole playground file in the URL fragment, deflated and
//! base64url-encoded. The fragment never leaves the browser (it is not sent
//! with HTTP requests), so sharing sends nothing to any server.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The fragment prefix of a shared playground.
pub const PREFIX: &str = "pg=";

/// The largest decompressed share we accept: well above a 32 KB policy
/// with its requests, well below what could hang the page.
const MAX_DECOMPRESSED: usize = 2 * 1024 * 1024;

/// Encodes a playground file's text for the fragment.
pub fn encode(text: &str) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// Why a share link could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareError {
    /// Not base64url.
    Encoding,
    /// Not deflate data, or too large.
    Compression,
    /// Not UTF-8 text.
    Text,
}

impl ShareError {
    /// Message id.
    pub fn message_id(self) -> &'static str {
        match self {
            ShareError::Encoding => "ui.share.invalid-encoding",
            ShareError::Compression => "ui.share.invalid-compression",
            ShareError::Text => "ui.share.invalid-text",
        }
    }
}

/// Decodes a fragment (with or without `#`); None when it holds no share.
pub fn decode(fragment: &str) -> Option<Result<String, ShareError>> {
    let data = fragment.trim_start_matches('#').strip_prefix(PREFIX)?;
    Some(decode_data(data))
}

fn decode_data(data: &str) -> Result<String, ShareError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(data.trim())
        .map_err(|_| ShareError::Encoding)?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_DECOMPRESSED)
        .map_err(|_| ShareError::Compression)?;
    String::from_utf8(raw).map_err(|_| ShareError::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = "{\"version\": 1, \"key\": {\"policy\": \"日本語 and 32 KB of \\\"text\\\"\"}}"
            .repeat(50);
        let link = encode(&text);
        assert!(link.len() < text.len(), "compressed");
        assert!(link
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"=-_".contains(&b)));
        assert_eq!(decode(&format!("#{link}")), Some(Ok(text)));
    }

    #[test]
    fn invalid_links_are_errors_not_panics() {
        assert_eq!(decode("#other=1"), None);
        assert_eq!(decode("#pg=!!!"), Some(Err(ShareError::Encoding)));
        assert_eq!(decode("#pg=AAAA"), Some(Err(ShareError::Compression)));
        let not_utf8 =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 6));
        assert_eq!(
            decode(&format!("#pg={not_utf8}")),
            Some(Err(ShareError::Text))
        );
    }

    #[test]
    fn a_bomb_is_refused() {
        let zeros = vec![b'a'; MAX_DECOMPRESSED + 10];
        let bomb = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&zeros, 9));
        assert_eq!(
            decode(&format!("pg={bomb}")),
            Some(Err(ShareError::Compression))
        );
    }
}
