//! A value's structure as bytes, for hashing: what serde says of it (field names,
//! variants, lengths, scalars), each piece tagged and each length given, so two values
//! that differ give different bytes. Cheaper than JSON for a key: no escaping, no text
//! numbers; nothing ever reads it back.
//!
//! The encoding is prefix-free: every value starts with a tag byte, strings and bytes
//! carry their length, a sequence, map or struct is closed by a byte no value starts
//! with. Skipped fields (`skip_serializing_if`) keep the others' names, so they cannot
//! be confused; flattened structs are maps of named entries.

use serde::ser::{self, Serialize};

/// Where the bytes go: a buffer, or a hash fed from one ([`super::key_of_serialized`]).
/// Pieces are a few bytes each (a tag, a length, a name), millions of them per build:
/// no `io::Write`, whose `Result` and buffer checks cost more than the copy.
pub trait Sink {
    fn put(&mut self, bytes: &[u8]);
    fn byte(&mut self, b: u8);
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
    #[inline]
    fn byte(&mut self, b: u8) {
        self.push(b);
    }
}

/// Writes the structure of `value` to `out`.
pub fn write<S: Sink, T: Serialize + ?Sized>(out: &mut S, value: &T) -> Result<(), Error> {
    value.serialize(&mut Structure { out })
}

/// A value that cannot be serialised (a custom impl's error, or the writer's).
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

struct Structure<'w, W> {
    out: &'w mut W,
}

/// Closes a sequence, a tuple, a map or a struct: no value starts with it.
const END: u8 = b'.';

impl<W: Sink> Structure<'_, W> {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.out.put(bytes);
        Ok(())
    }
    #[inline(always)]
    fn tag(&mut self, tag: u8) -> Result<(), Error> {
        self.out.byte(tag);
        Ok(())
    }
    #[inline(always)]
    fn len(&mut self, n: u64) -> Result<(), Error> {
        // Lengths are short: most take one byte.
        if n < 0x80 {
            self.out.byte(n as u8);
        } else {
            self.out.put(super::varint(n, &mut [0; 10]));
        }
        Ok(())
    }
    #[inline]
    fn text(&mut self, tag: u8, s: &[u8]) -> Result<(), Error> {
        self.tag(tag)?;
        self.len(s.len() as u64)?;
        self.put(s)
    }
}

impl<'a, 'w, W: Sink> ser::Serializer for &'a mut Structure<'w, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.put(&[b'b', u8::from(v)])
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i128(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i128(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i128(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.serialize_i128(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.tag(b'i')?;
        self.put(&v.to_le_bytes())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u128(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u128(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u128(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.serialize_u128(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.tag(b'u')?;
        self.len(v as u64)?;
        self.len((v >> 64) as u64)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.tag(b'f')?;
        self.put(&v.to_bits().to_le_bytes())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        self.text(b'c', v.encode_utf8(&mut buf).as_bytes())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.text(b's', v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.text(b'y', v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.tag(b'n')
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.tag(b'S')?;
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.tag(b'U')
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.tag(b'U')
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.text(b'v', variant.as_bytes())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.text(b'V', variant.as_bytes())?;
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        opened(self, b'[')
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self, Error> {
        opened(self, b'(')
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self, Error> {
        opened(self, b'(')
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.text(b'T', variant.as_bytes())?;
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        opened(self, b'{')
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Error> {
        opened(self, b'{')
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.text(b'W', variant.as_bytes())?;
        Ok(self)
    }
}

/// A compound begun: its opening byte written, the serializer handed on for its parts.
fn opened<'a, 'b, W: Sink>(
    s: &'a mut Structure<'b, W>,
    bracket: u8,
) -> Result<&'a mut Structure<'b, W>, Error> {
    s.tag(bracket)?;
    Ok(s)
}

/// The compounds whose parts are values: each part as it is, then [`END`].
macro_rules! parts {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<W: Sink> ser::$trait for &mut Structure<'_, W> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                self.tag(END)
            }
        }
    )*};
}

parts!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The compounds whose parts are named fields: each name, its value, then [`END`].
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl<W: Sink> ser::$trait for &mut Structure<'_, W> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.text(b'k', key.as_bytes())?;
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                self.tag(END)
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

impl<W: Sink> ser::SerializeMap for &mut Structure<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Error> {
        self.tag(END)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn bytes<T: Serialize>(v: &T) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out, v).unwrap();
        out
    }

    #[derive(Serialize)]
    struct Skips {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<String>,
    }

    #[derive(Serialize)]
    struct Outer {
        #[serde(flatten)]
        inner: Skips,
        c: Vec<String>,
    }

    #[test]
    fn values_that_differ_give_different_bytes() {
        // A skipped field does not make its neighbour's value pass for its own.
        let one = Skips {
            a: Some("x".into()),
            b: None,
        };
        let other = Skips {
            a: None,
            b: Some("x".into()),
        };
        assert_ne!(bytes(&one), bytes(&other));
        // Where a sequence ends, and where a string ends, are part of the bytes.
        assert_ne!(bytes(&vec!["ab", "c"]), bytes(&vec!["a", "bc"]));
        assert_ne!(bytes(&(vec!["a"], "b")), bytes(&(vec!["a", "b"],)));
        assert_ne!(bytes(&Some("")), bytes(&None::<&str>));
        assert_ne!(bytes(&1u32), bytes(&1.0f64));
        // Flattened fields are named entries.
        let flat = |a: Option<&str>, c: &[&str]| Outer {
            inner: Skips {
                a: a.map(str::to_string),
                b: None,
            },
            c: c.iter().map(|s| s.to_string()).collect(),
        };
        assert_ne!(bytes(&flat(Some("x"), &[])), bytes(&flat(None, &["x"])));
        // The same value, the same bytes.
        assert_eq!(
            bytes(&flat(Some("x"), &["y"])),
            bytes(&flat(Some("x"), &["y"]))
        );
        let json = serde_json::json!({"titre": "CAP", "places": [12, 24.5, null]});
        assert_eq!(bytes(&json), bytes(&json.clone()));
        assert_ne!(bytes(&json), bytes(&serde_json::json!({"titre": "CAP"})));
    }
}
