//! The few parts of the FlatBuffers wire format a `.tflite` file needs: tables with vtables,
//! vectors, scalars and byte strings, every read bounds-checked.
//!
//! The models are compiled into the library, so a bad file is a bad build, not user input; the
//! checks are there so that a mistake in that build is a typed error at load and never a panic
//! or a read past the buffer.

use crate::ModelError;

/// A table: its position in the buffer and the position of its vtable.
#[derive(Clone, Copy)]
pub(super) struct Table<'a> {
    buf: &'a [u8],
    at: usize,
    vtable: usize,
    vtable_len: usize,
}

fn read<const N: usize>(buf: &[u8], at: usize) -> Result<[u8; N], ModelError> {
    at.checked_add(N)
        .and_then(|end| buf.get(at..end))
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| ModelError::new(format!("read of {N} bytes at {at} outside the file")))
}

fn u32_at(buf: &[u8], at: usize) -> Result<u32, ModelError> {
    read::<4>(buf, at).map(u32::from_le_bytes)
}

fn u16_at(buf: &[u8], at: usize) -> Result<u16, ModelError> {
    read::<2>(buf, at).map(u16::from_le_bytes)
}

/// Follows the unsigned offset stored at `at` (FlatBuffers offsets point forward from where they are stored).
fn follow(buf: &[u8], at: usize) -> Result<usize, ModelError> {
    let offset = u32_at(buf, at)? as usize;
    at.checked_add(offset)
        .filter(|target| *target < buf.len())
        .ok_or_else(|| ModelError::new(format!("offset at {at} points outside the file")))
}

impl<'a> Table<'a> {
    /// The root table of a buffer.
    pub(super) fn root(buf: &'a [u8]) -> Result<Self, ModelError> {
        Self::at(buf, follow(buf, 0)?)
    }

    fn at(buf: &'a [u8], at: usize) -> Result<Self, ModelError> {
        let back = i32::from_le_bytes(read::<4>(buf, at)?);
        // The vtable is at `at - back`; a position outside the file is an error, not a wrap.
        let vtable = usize::try_from(at as i64 - i64::from(back))
            .map_err(|_| ModelError::new(format!("vtable of the table at {at} before the file")))?;
        let vtable_len = usize::from(u16_at(buf, vtable)?);
        Ok(Self { buf, at, vtable, vtable_len })
    }

    /// Where field `slot` is stored, if present.
    fn field(&self, slot: usize) -> Result<Option<usize>, ModelError> {
        let entry = 4 + 2 * slot;
        if entry + 2 > self.vtable_len {
            return Ok(None);
        }
        let offset = u16_at(self.buf, self.vtable + entry)?;
        Ok((offset != 0).then(|| self.at + usize::from(offset)))
    }

    /// A `u8`-sized scalar field, or `default`.
    pub(super) fn u8(&self, slot: usize, default: u8) -> Result<u8, ModelError> {
        match self.field(slot)? {
            Some(at) => read::<1>(self.buf, at).map(|[b]| b),
            None => Ok(default),
        }
    }

    /// An `i32` or `u32` scalar field, or `default`.
    pub(super) fn i32(&self, slot: usize, default: i32) -> Result<i32, ModelError> {
        match self.field(slot)? {
            Some(at) => read::<4>(self.buf, at).map(i32::from_le_bytes),
            None => Ok(default),
        }
    }

    /// A sub-table field.
    pub(super) fn table(&self, slot: usize) -> Result<Option<Table<'a>>, ModelError> {
        match self.field(slot)? {
            Some(at) => Self::at(self.buf, follow(self.buf, at)?).map(Some),
            None => Ok(None),
        }
    }

    /// A vector field: its element count and where the first element is.
    fn vector(&self, slot: usize, element_size: usize) -> Result<Option<(usize, usize)>, ModelError> {
        let Some(at) = self.field(slot)? else { return Ok(None) };
        let start = follow(self.buf, at)?;
        let len = u32_at(self.buf, start)? as usize;
        let first = start + 4;
        let end = len.checked_mul(element_size).and_then(|bytes| first.checked_add(bytes));
        match end {
            Some(end) if end <= self.buf.len() => Ok(Some((len, first))),
            _ => Err(ModelError::new(format!("vector at {start} runs past the file"))),
        }
    }

    /// A vector of tables (empty when absent).
    pub(super) fn tables(&self, slot: usize) -> Result<Vec<Table<'a>>, ModelError> {
        let Some((len, first)) = self.vector(slot, 4)? else { return Ok(Vec::new()) };
        (0..len).map(|i| Self::at(self.buf, follow(self.buf, first + 4 * i)?)).collect()
    }

    /// A vector of `i32` (empty when absent).
    pub(super) fn i32s(&self, slot: usize) -> Result<Vec<i32>, ModelError> {
        let Some((len, first)) = self.vector(slot, 4)? else { return Ok(Vec::new()) };
        (0..len).map(|i| read::<4>(self.buf, first + 4 * i).map(i32::from_le_bytes)).collect()
    }

    /// A vector of `u16` (empty when absent).
    pub(super) fn u16s(&self, slot: usize) -> Result<Vec<u16>, ModelError> {
        let Some((len, first)) = self.vector(slot, 2)? else { return Ok(Vec::new()) };
        (0..len).map(|i| u16_at(self.buf, first + 2 * i)).collect()
    }

    /// A vector of bytes, borrowed (empty when absent).
    pub(super) fn bytes(&self, slot: usize) -> Result<&'a [u8], ModelError> {
        let Some((len, first)) = self.vector(slot, 1)? else { return Ok(&[]) };
        Ok(&self.buf[first..first + len])
    }
}
