//! The table format, version 6: the constants of `runtime/include/ksym/format.h`, which is the one
//! definition of the layout (`docs/FORMAT.md` explains it). Keep the two in step.

pub const MAGIC: [u8; 4] = *b"KSYM";
pub const VERSION: u8 = 6;

// Header byte offsets. Single bytes need no byte order; the rest are u32 in the table's order.
pub const HDR_VERSION: usize = 4;
pub const HDR_ENDIAN: usize = 5;
pub const HDR_ADDR_SIZE: usize = 6;
pub const HDR_FLAGS: usize = 7;
pub const HDR_COUNT: u32 = 8;
pub const HDR_CHECKSUM: u32 = 12;
pub const HDR_NLIT: usize = 16;
/// Escape bytes: codes from `wide(nesc)` on take two bytes in the name stream.
pub const HDR_NESC: usize = 17;
pub const HDR_PAD_SHIFT: usize = 18;
pub const HDR_PERM_BITS: usize = 19;
pub const HDR_BLOCKS_OFF: u32 = 20;
pub const HDR_TREE_OFF: u32 = 24;
pub const HDR_RECORDS_OFF: u32 = 28;
pub const HDR_RESTARTS_OFF: u32 = 32;
pub const HDR_PERM_OFF: u32 = 36;
pub const HDR_NAMES_OFF: u32 = 40;
pub const HDR_END: u32 = 44;
pub const HDR_BASE: u32 = 48;
/// The number of tokens, a u16.
pub const HDR_NTOK: u32 = 56;
pub const HDR_TYPES: usize = 58;
pub const MAX_TYPES: usize = 32;
/// Each type's size shift: a record's size is its varint shifted left by its type's (at most 31).
pub const HDR_SHIFTS: usize = HDR_TYPES + MAX_TYPES;
pub const HDR_TOKENS: u32 = (HDR_SHIFTS + MAX_TYPES) as u32;
/// The fixed part of the header, before the tokens.
pub const HDR_SIZE: u32 = HDR_TOKENS;

pub const ENDIAN_LITTLE: u8 = 1;
pub const ENDIAN_BIG: u8 = 2;

/// The block index has a max-end tree (a symbol reaches past a later block's start).
pub const FLAG_TREE: u8 = 0x01;
/// Block heads are whole addresses: the symbols span 4 GiB or more.
pub const FLAG_WIDE: u8 = 0x02;
/// Block offsets and name restarts are u16: the record and name streams are each under 64 KiB.
pub const FLAG_SHORT: u8 = 0x04;

/// Records per block of the address stream.
pub const BLOCK: u32 = 16;
pub const NAME_GROUP_SHIFT: u32 = 5;
/// Records a name hint points into.
pub const NAME_GROUP: u32 = 1 << NAME_GROUP_SHIFT;
/// Names per front-coding restart.
pub const RESTART: u32 = 16;

/// A record's code byte: the type letter's index (low five bits) and how the start follows the
/// previous record (top three bits): the same start, 1..6 the previous end plus 0..5 pad units,
/// or a varint delta.
pub const fn code_type(c: u32) -> u32 {
    c & 0x1f
}
pub const fn code_start(c: u32) -> u32 {
    c >> 5
}
pub const START_SAME: u32 = 0;
pub const START_DELTA: u32 = 7;

/// Tokens nest at most this deep.
pub const TOKEN_DEPTH: usize = 16;
/// At most this many tokens, and this many escape bytes.
pub const MAX_TOKENS: u32 = 1024;
pub const MAX_ESC: u32 = 4;

/// The first two-byte name code: 256 without escape bytes (every code one byte). A code at or
/// above it is an escape byte `e` and a byte `x`: `wide + (e - wide) * 256 + x`.
pub const fn wide(nesc: u32) -> u32 {
    256 - nesc
}

/// Bytes of a token pair: two 8-bit codes, or with escapes two 12-bit ones in 3 bytes.
pub const fn pair_bytes(nesc: u32) -> u32 {
    if nesc == 0 {
        2
    } else {
        3
    }
}

/// The checksum: FNV-1a's 64-bit constants, applied to 8-byte little-endian words.
pub const SUM_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
pub const SUM_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Bits of a permutation field for `count` records: `ceil(log2(count))`, at least 1.
pub fn perm_bits(count: u64) -> u32 {
    if count <= 1 {
        return 1;
    }
    let top = count - 1;
    if top > u64::from(u32::MAX) {
        return 32;
    }
    (64 - top.leading_zeros()).max(1)
}

/// Bits of a name hint (the record's group): `perm_bits` less the group's, or 0 (one group).
pub fn hint_bits(perm_bits: u32) -> u32 {
    perm_bits.saturating_sub(NAME_GROUP_SHIFT)
}

/// The end of `[start, start + size)`, saturated at `addr_max` (the top of the address space).
pub fn end_of(start: u64, size: u64, addr_max: u64) -> u64 {
    if size > addr_max - start {
        addr_max
    } else {
        start + size
    }
}

/// Whether a record whose end (from [`end_of`]) is `end` reaches `addr`; an end saturated at
/// `addr_max` reaches `addr_max` too.
pub fn reaches(end: u64, addr: u64, addr_max: u64) -> bool {
    end > addr || end == addr_max
}

/// The rule that decides [`FLAG_TREE`] (format.h's `struct ksym_reach`): a block's first record
/// must not start before the end of any record before it, unless that record is one of its
/// aliases in an earlier block.
pub struct Reach {
    reach: u64,
    group_reach: u64,
    pub last: u64,
    addr_max: u64,
    n: u32,
}

impl Reach {
    pub fn new(addr_max: u64) -> Self {
        Reach {
            reach: 0,
            group_reach: 0,
            last: 0,
            addr_max,
            n: 0,
        }
    }

    /// Feed the next record in table order; true when it opens a block (not the first) and a
    /// record before it reaches past its start.
    pub fn next(&mut self, start: u64, end: u64) -> bool {
        let before = if start > self.last {
            self.reach
        } else {
            self.group_reach
        };
        let past = self.n % BLOCK == 0 && self.n != 0 && reaches(before, start, self.addr_max);
        if self.n == 0 || start != self.last {
            self.group_reach = self.reach;
        }
        if end > self.reach {
            self.reach = end;
        }
        self.last = start;
        self.n += 1;
        past
    }
}
