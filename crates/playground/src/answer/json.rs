//! Compact JSON text of any answer, byte for byte what `serde_json`'s
//! compact writer gives, but with the engine's string writer
//! (`kmsplay_json::write_string`), which copies runs of plain characters
//! at once where `serde_json` looks at every byte: answers are mostly
//! sentences, and escaping them was a fifth of `Playground.decide`.
//!
//! A `serde::Serializer` for what answers hold: strings, whole numbers,
//! booleans, options, lists, maps, structs and enums. Floating-point
//! numbers are refused (no answer has one; writing them as `serde_json`
//! does would need its number formatter).

use serde::ser::{self, Serialize};
use std::fmt;

/// Why an answer could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    #[inline]
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }
}

/// `value` as compact JSON text, in a buffer of `capacity` bytes to start.
pub fn to_string<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Result<String, Error> {
    let mut w = Writer {
        out: String::with_capacity(capacity),
    };
    value.serialize(&mut w)?;
    Ok(w.out)
}

struct Writer {
    out: String,
}

impl Writer {
    #[inline(always)]
    fn number(&mut self, n: u64) {
        if n < 10 {
            // Most numbers in an answer are indexes: one digit.
            self.out.push(char::from(b'0' + n as u8));
        } else {
            self.digits(n);
        }
    }

    /// A number of two digits or more.
    #[inline(never)]
    fn digits(&mut self, n: u64) {
        self.out.push_str(itoa::Buffer::new().format(n));
    }

    #[inline]
    fn signed(&mut self, n: i64) {
        if n < 0 {
            self.out.push('-');
        }
        self.number(n.unsigned_abs());
    }
}

/// A list, map or struct being written: whether an element came yet.
struct Compound<'w> {
    w: &'w mut Writer,
    first: bool,
    /// `}` after the object, and a second `}` for an enum variant's
    /// wrapping object.
    close: &'static str,
}

impl Compound<'_> {
    #[inline(always)]
    fn comma(&mut self) {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
    }

    /// A struct field's name: a Rust identifier (or a `serde` rename of
    /// one), so there is nothing to escape.
    #[inline(always)]
    fn key(&mut self, key: &'static str) {
        debug_assert!(key.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'));
        if self.first {
            self.first = false;
            self.w.out.push('"');
        } else {
            self.w.out.push_str(",\"");
        }
        self.w.out.push_str(key);
        self.w.out.push_str("\":");
    }
}

impl<'w> ser::Serializer for &'w mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w>;
    type SerializeTuple = Compound<'w>;
    type SerializeTupleStruct = Compound<'w>;
    type SerializeTupleVariant = Compound<'w>;
    type SerializeMap = Compound<'w>;
    type SerializeStruct = Compound<'w>;
    type SerializeStructVariant = Compound<'w>;

    #[inline(always)]
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    #[inline]
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.signed(v.into());
        Ok(())
    }
    #[inline]
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.signed(v.into());
        Ok(())
    }
    #[inline]
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.signed(v.into());
        Ok(())
    }
    #[inline]
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.signed(v);
        Ok(())
    }
    #[inline]
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.number(v.into());
        Ok(())
    }
    #[inline]
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.number(v.into());
        Ok(())
    }
    #[inline(always)]
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.number(v.into());
        Ok(())
    }
    #[inline(always)]
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.number(v);
        Ok(())
    }
    #[inline]
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(Error("answers hold no floating-point numbers".into()))
    }
    #[inline]
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(Error("answers hold no floating-point numbers".into()))
    }
    #[inline]
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut buf))
    }
    #[inline(always)]
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        kmsplay_json::write_string(v, &mut self.out);
        Ok(())
    }
    #[inline]
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    #[inline(always)]
    fn serialize_none(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    #[inline(always)]
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    #[inline]
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    #[inline]
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }
    #[inline]
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        // A variant's name is a word of the engine (a Rust identifier, a
        // code such as `allowed-by-key-policy`): nothing to escape, copied
        // as it is. `serde_json` writes it as a string: the same text.
        debug_assert_eq!(
            kmsplay_json::plain_prefix_len(variant.as_bytes()),
            variant.len()
        );
        self.out.push('"');
        self.out.push_str(variant);
        self.out.push('"');
        Ok(())
    }
    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    #[inline]
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.out.push('{');
        kmsplay_json::write_string(variant, &mut self.out);
        self.out.push(':');
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    #[inline]
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'w>, Error> {
        self.out.push('[');
        Ok(Compound {
            w: self,
            first: true,
            close: "]",
        })
    }
    #[inline]
    fn serialize_tuple(self, len: usize) -> Result<Compound<'w>, Error> {
        self.serialize_seq(Some(len))
    }
    #[inline]
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'w>, Error> {
        self.serialize_seq(Some(len))
    }
    #[inline]
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w>, Error> {
        self.out.push('{');
        kmsplay_json::write_string(variant, &mut self.out);
        self.out.push_str(":[");
        Ok(Compound {
            w: self,
            first: true,
            close: "]}",
        })
    }
    #[inline]
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'w>, Error> {
        self.out.push('{');
        Ok(Compound {
            w: self,
            first: true,
            close: "}",
        })
    }
    #[inline]
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'w>, Error> {
        self.serialize_map(Some(len))
    }
    #[inline]
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w>, Error> {
        self.out.push('{');
        kmsplay_json::write_string(variant, &mut self.out);
        self.out.push_str(":{");
        Ok(Compound {
            w: self,
            first: true,
            close: "}}",
        })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline(always)]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.w)
    }
    #[inline(always)]
    fn end(self) -> Result<(), Error> {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline(always)]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    #[inline(always)]
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    #[inline(always)]
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    #[inline(always)]
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(MapKey(&mut *self.w))
    }
    #[inline]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.w.out.push(':');
        value.serialize(&mut *self.w)
    }
    #[inline(always)]
    fn end(self) -> Result<(), Error> {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.key(key);
        value.serialize(&mut *self.w)
    }
    #[inline(always)]
    fn end(self) -> Result<(), Error> {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    #[inline(always)]
    fn end(self) -> Result<(), Error> {
        ser::SerializeStruct::end(self)
    }
}

/// A map key: JSON keys are strings, so a number is written quoted, as
/// `serde_json` does.
struct MapKey<'w>(&'w mut Writer);

impl MapKey<'_> {
    #[inline]
    fn quoted(self, n: impl fmt::Display) -> Result<(), Error> {
        kmsplay_json::write_string(&n.to_string(), &mut self.0.out);
        Ok(())
    }
}

fn key_must_be_a_string() -> Error {
    Error("a map key must be a string".into())
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    #[inline(always)]
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        kmsplay_json::write_string(v, &mut self.0.out);
        Ok(())
    }
    #[inline]
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut buf))
    }
    #[inline]
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    #[inline(always)]
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(v)
    }
    #[inline]
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.quoted(v)
    }
    #[inline]
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.quoted(v)
    }
    #[inline]
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.quoted(v)
    }
    #[inline]
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.quoted(v)
    }
    #[inline]
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.quoted(v)
    }
    #[inline]
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.quoted(v)
    }
    #[inline(always)]
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.quoted(v)
    }
    #[inline(always)]
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.quoted(v)
    }
    #[inline]
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    #[inline(always)]
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    #[inline(always)]
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }
    #[inline]
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Tagged {
        One { n: usize, s: &'static str },
        Two,
    }

    #[derive(Serialize)]
    enum Plain {
        Unit,
        New(u8),
        Tuple(u8, bool),
        Struct { a: i32 },
    }

    #[derive(Serialize)]
    struct Everything {
        text: String,
        tricky: &'static str,
        none: Option<u32>,
        some: Option<i64>,
        list: Vec<u64>,
        empty: Vec<String>,
        map: BTreeMap<u32, &'static str>,
        tagged: Vec<Tagged>,
        plain: Vec<Plain>,
        tuple: (char, bool),
        unit: (),
    }

    /// The same bytes as `serde_json::to_string`, for every kind of value
    /// an answer can hold.
    #[test]
    fn writes_what_serde_json_writes() {
        let value = Everything {
            text: "a sentence, «日本語» too ✓".into(),
            tricky: "q\"uote\\ line\nbreak\ttab\r \u{1}\u{1f}\u{7f} </script>",
            none: None,
            some: Some(-42),
            list: vec![0, 7, u64::MAX],
            empty: vec![],
            map: [(3, "three"), (10, "ten")].into_iter().collect(),
            tagged: vec![Tagged::One { n: 2, s: "x" }, Tagged::Two],
            plain: vec![
                Plain::Unit,
                Plain::New(1),
                Plain::Tuple(2, false),
                Plain::Struct { a: i32::MIN },
            ],
            tuple: ('é', true),
            unit: (),
        };
        assert_eq!(
            to_string(&value, 0).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
    }

    #[test]
    fn floats_are_refused() {
        assert!(to_string(&1.5f64, 0).is_err());
        let mut m = BTreeMap::new();
        m.insert(vec![1u8], 1u8);
        assert!(to_string(&m, 0).is_err());
    }
}
