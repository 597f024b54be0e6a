//! The page's words: every text it shows comes from the message
//! catalogues through these two (`crate::t`, `crate::tp`).

use kmsplay_messages::Lang;

/// Renders message `id` in `lang`: the only way the page shows words.
pub fn t(lang: Lang, id: &str) -> String {
    kmsplay_messages::text(lang, id)
}

/// Renders message `id` with parameters.
pub fn tp(lang: Lang, id: &str, params: &[(&str, String)]) -> String {
    kmsplay_messages::render(lang, id, params)
}
