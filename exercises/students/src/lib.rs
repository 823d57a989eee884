//! The student record both programs share: the notes' `struct.Struct('i16sif')`
//! written out by hand. A record is 28 bytes, every field little-endian:
//!
//! | bytes  | field    | type                                    |
//! |--------|----------|-----------------------------------------|
//! | 0..4   | `id`     | `i32`                                   |
//! | 4..20  | `name`   | 16 bytes of UTF-8, padded with NUL (0)  |
//! | 20..24 | `age`    | `i32`                                   |
//! | 24..28 | `height` | `f32`                                   |
//!
//! Both programs `use students::{Student, RECORD_LEN}`: the format is
//! written once, so the sender and the receiver cannot disagree about it.

/// The size of a packed record, and so of every valid datagram.
pub const RECORD_LEN: usize = 28;

/// The room for the name inside a record, in bytes (not characters).
pub const NAME_LEN: usize = 16;

/// One student.
#[derive(Debug, Clone, PartialEq)]
pub struct Student {
    /// The student's number.
    pub id: i32,
    /// The name, at most [`NAME_LEN`] bytes of UTF-8.
    pub name: String,
    /// The age in years.
    pub age: i32,
    /// The height in metres.
    pub height: f32,
}

impl Student {
    /// Packs the record into its 28 bytes, or `None` if the name does not
    /// fit in 16 bytes.
    pub fn pack(&self) -> Option<[u8; RECORD_LEN]> {
        // TODO: start from 28 zero bytes; put each field's little-endian
        // bytes (`to_le_bytes`) at its place and the name's bytes at 4..;
        // the zeros left after the name are its NUL padding.
        todo!("pack {self:?}")
    }

    /// Unpacks a record, or fails if its name is not UTF-8.
    pub fn unpack(buf: &[u8; RECORD_LEN]) -> Result<Student, std::str::Utf8Error> {
        // TODO: read each number back with `from_le_bytes`; the name is the
        // bytes of 4..20 before the NUL padding (a 16-byte name has none),
        // decoded with `std::str::from_utf8`.
        todo!("unpack {buf:?}")
    }
}
