//! Bounds-checked reading of the blob: fields in the table's byte order, a cursor that flags a
//! read past its end instead of making it, LEB128 varints, and the checksum.

use crate::format::{HDR_CHECKSUM, SUM_BASIS, SUM_PRIME};

/// A u32 at `off` of `blob`, big- or little-endian; 0 where the blob ends first (callers read
/// only inside the layout that open checked).
pub fn u32_at(blob: &[u8], off: u32, big_endian: bool) -> u32 {
    let off = off as usize;
    match blob.get(off..off + 4) {
        Some(b) => {
            let b = [b[0], b[1], b[2], b[3]];
            if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        }
        None => 0,
    }
}

/// A u16 at `off` of `blob`, big- or little-endian; 0 where the blob ends first.
pub fn u16_at(blob: &[u8], off: u32, big_endian: bool) -> u32 {
    let off = off as usize;
    match blob.get(off..off + 2) {
        Some(b) => u32::from(if big_endian {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        }),
        None => 0,
    }
}

/// A field of `n` bytes (4 or 8) at `off`.
pub fn field_at(blob: &[u8], off: u32, n: u32, big_endian: bool) -> u64 {
    if n != 8 {
        return u64::from(u32_at(blob, off, big_endian));
    }
    let first = u64::from(u32_at(blob, off, big_endian));
    let second = u64::from(u32_at(blob, off + 4, big_endian));
    if big_endian {
        first << 32 | second
    } else {
        second << 32 | first
    }
}

/// A read position inside `[off, end)` of the blob; `bad` is set instead of reading past `end`.
#[derive(Clone, Copy)]
pub struct Cursor<'a> {
    pub blob: &'a [u8],
    pub off: u32,
    pub end: u32,
    pub bad: bool,
}

impl<'a> Cursor<'a> {
    pub fn new(blob: &'a [u8], off: u32, end: u32) -> Self {
        Cursor {
            blob,
            off,
            end,
            bad: false,
        }
    }

    pub fn byte(&mut self) -> u32 {
        if self.off >= self.end {
            self.bad = true;
            return 0;
        }
        let b = self.blob.get(self.off as usize).copied();
        self.off += 1;
        match b {
            Some(b) => u32::from(b),
            None => {
                self.bad = true;
                0
            }
        }
    }

    /// A LEB128 varint of at most `max_bytes` bytes (7 bits a byte, low bits first).
    pub fn varint(&mut self, max_bytes: u32) -> u64 {
        let mut v = 0u64;
        for i in 0..max_bytes {
            let b = self.byte();
            let shift = 7 * i;
            if shift < 64 {
                v |= u64::from(b & 0x7f) << shift;
            }
            if b & 0x80 == 0 {
                return v;
            }
        }
        self.bad = true;
        0
    }
}

/// The checksum of a table's bytes in use (`blob`), the header's checksum field read as 0:
/// FNV-1a's constants on 8-byte little-endian words, then the remaining bytes, folded to 32 bits.
/// Every step is invertible, so any single changed byte changes it.
pub fn checksum(data: &[u8]) -> u32 {
    let mut h = SUM_BASIS;
    let mut words = data.chunks_exact(8);
    for (i, w) in (&mut words).enumerate() {
        let mut w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        if i * 8 == HDR_CHECKSUM as usize - 4 {
            w &= 0xffff_ffff; // the checksum field reads as 0
        }
        h = (h ^ w).wrapping_mul(SUM_PRIME);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(SUM_PRIME);
    }
    (h ^ h >> 32) as u32
}
