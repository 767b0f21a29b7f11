//! Server-rendered resources, read in the browser the way server functions read their answers.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// JSON like Leptos' default resource codec, but decoded with `serde_json::from_slice` as the
/// server functions' `Json` codec does (the default decodes with `from_str`). One reader means
/// one copy of every answer type's deserializer in the WebAssembly instead of two.
///
/// Encoded in ASCII, every other character as a `\u` escape of its UTF-16 code units (`中` is
/// `\u4e2d`): Leptos writes each resource into the page as a JavaScript string with Rust's
/// `{:?}`, which goes over runs of ASCII quickly but looks every other character up in
/// Unicode's printable tables one by one. On a board page, mostly Chinese text, that look-up
/// was about 7 % of the server's CPU.
pub struct SliceJson;

impl<T: Serialize> Encoder<T> for SliceJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, serde_json::Error> {
        let mut out = Vec::with_capacity(256);
        val.serialize(&mut serde_json::Serializer::with_formatter(
            &mut out,
            AsciiFormatter,
        ))?;
        String::from_utf8(out).map_err(serde::ser::Error::custom)
    }
}

/// serde_json's compact formatter, writing every character outside ASCII in a string as a
/// `\u` escape of four hex digits (two, a surrogate pair, above U+FFFF).
struct AsciiFormatter;

impl serde_json::ser::Formatter for AsciiFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let bytes = fragment.as_bytes();
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if c.is_ascii() {
                continue;
            }
            writer.write_all(&bytes[start..at])?;
            let mut units = [0u16; 2];
            for &unit in c.encode_utf16(&mut units).iter() {
                let digit = |shift: u16| HEX[usize::from((unit >> shift) & 0xf)];
                writer.write_all(&[b'\\', b'u', digit(12), digit(8), digit(4), digit(0)])?;
            }
            start = at + c.len_utf8();
        }
        writer.write_all(&bytes[start..])
    }
}

impl<T: DeserializeOwned> Decoder<T> for SliceJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A resource loaded by a server function.
pub type ServerResource<T> = Resource<T, SliceJson>;

/// [`Resource::new_blocking`] with [`SliceJson`].
#[track_caller]
pub fn blocking_resource<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> ServerResource<T>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_encoded_in_ascii_and_read_back_unchanged() {
        let value = serde_json::json!({
            "title": "关于2026年\"国庆\"假期值班的通知 — ok 🎉",
            "lines": ["收文登记\n", "a\\b", "\u{2028}", ""],
            "n": 3,
        });
        let encoded = <SliceJson as Encoder<serde_json::Value>>::encode(&value).expect("encoded");
        assert!(encoded.is_ascii(), "{encoded}");
        assert!(encoded.contains("\\u5173\\u4e8e"), "{encoded}");
        assert!(
            encoded.contains("\\ud83c\\udf89"),
            "a surrogate pair: {encoded}"
        );
        let decoded: serde_json::Value =
            <SliceJson as Decoder<serde_json::Value>>::decode(&encoded).expect("decoded");
        assert_eq!(decoded, value);
        assert_eq!(
            <SliceJson as Encoder<&str>>::encode(&"plain").expect("encoded"),
            "\"plain\""
        );
    }
}
