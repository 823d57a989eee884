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
    /// fit in 16 bytes. (Python's `struct.pack('16s', ...)` silently cuts a
    /// longer name, possibly in the middle of a character; we refuse.)
    pub fn pack(&self) -> Option<[u8; RECORD_LEN]> {
        let name = self.name.as_bytes();
        if name.len() > NAME_LEN {
            return None;
        }
        // Start from zeros: whatever the name does not fill is NUL padding.
        let mut buf = [0u8; RECORD_LEN];
        // `to_le_bytes` is the `<` of a struct format: least significant
        // byte first, whatever the machine's own byte order.
        buf[0..4].copy_from_slice(&self.id.to_le_bytes());
        buf[4..4 + name.len()].copy_from_slice(name);
        buf[20..24].copy_from_slice(&self.age.to_le_bytes());
        buf[24..28].copy_from_slice(&self.height.to_le_bytes());
        Some(buf)
    }

    /// Unpacks a record, or fails if its name is not UTF-8.
    pub fn unpack(buf: &[u8; RECORD_LEN]) -> Result<Student, std::str::Utf8Error> {
        // A slice of a fixed-size array has a known length, so `try_into`
        // to a `[u8; 4]` cannot fail here.
        let word = |at: usize| -> [u8; 4] { buf[at..at + 4].try_into().expect("4 bytes") };
        // The name is what comes before the NUL padding; a 16-byte name has
        // no padding at all.
        let field = &buf[4..4 + NAME_LEN];
        let end = field.iter().position(|&b| b == 0).unwrap_or(NAME_LEN);
        let name = std::str::from_utf8(&field[..end])?.to_string();
        Ok(Student {
            id: i32::from_le_bytes(word(0)),
            name,
            age: i32::from_le_bytes(word(20)),
            height: f32::from_le_bytes(word(24)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_like_pythons_struct() {
        // struct.pack('<i16sif', 1, b'Lily', 15, 1.66)
        let s = Student {
            id: 1,
            name: "Lily".into(),
            age: 15,
            height: 1.66,
        };
        let packed = s.pack().unwrap();
        assert_eq!(&packed[..8], b"\x01\0\0\0Lily");
        assert_eq!(&packed[20..24], b"\x0f\0\0\0");
        assert_eq!(Student::unpack(&packed).unwrap(), s);
    }

    #[test]
    fn a_name_of_sixteen_bytes_fits_and_seventeen_does_not() {
        let mut s = Student {
            id: -3,
            name: "李雷 Hanmeimei".into(),
            age: 20,
            height: 1.7,
        };
        assert_eq!(s.name.len(), 16);
        assert_eq!(Student::unpack(&s.pack().unwrap()).unwrap(), s);
        s.name.push('!');
        assert_eq!(s.pack(), None);
    }
}
