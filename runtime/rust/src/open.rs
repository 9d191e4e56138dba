//! Opening a table: what `ksym_open()` proves, in the same order and with the same reasons
//! (docs/FORMAT.md, "Validation"): the header, the layout the counts fix, the checksum, the
//! tokens, and the two indexes that the lookups' binary searches read. O(blocks); no record and
//! no name is decoded.

use crate::format::*;
use crate::read::{checksum, field_at, u16_at, u32_at};
use crate::{Error, Table};

fn corrupt<T>(reason: &'static str) -> Result<T, Error> {
    Err(Error::Corrupt(reason))
}

const LAYOUT: &str = "table layout does not match its counts";

/// The number of `per`-sized groups that hold `n` items.
fn groups(n: u32, per: u32) -> u32 {
    n / per + u32::from(n % per != 0)
}

/// Bytes of `count` bit-packed fields of `bits` bits.
fn packed_len(count: u32, bits: u32) -> u64 {
    (u64::from(count) * u64::from(bits) + 7) / 8
}

impl<'a> Table<'a> {
    /// The fixed header: magic, version, byte order, address size, and its fields.
    fn fields(blob: &'a [u8], count: u64) -> Result<Self, Error> {
        if blob.len() < HDR_SIZE as usize {
            return corrupt("placeholder smaller than the table header");
        }
        if blob[..4] != MAGIC {
            return if count == 0 {
                Err(Error::Unpatched)
            } else {
                corrupt("bad magic")
            };
        }
        if blob[HDR_VERSION] != VERSION {
            return Err(Error::Version);
        }
        let endian = blob[HDR_ENDIAN];
        if endian != ENDIAN_LITTLE && endian != ENDIAN_BIG {
            return corrupt("bad byte order field");
        }
        let addr_size = blob[HDR_ADDR_SIZE];
        if addr_size != 4 && addr_size != 8 {
            return corrupt("bad address size");
        }
        let big_endian = endian == ENDIAN_BIG;
        let flags = blob[HDR_FLAGS];
        let wide = flags & FLAG_WIDE != 0;
        let rd = |off| u32_at(blob, off, big_endian);
        let n = rd(HDR_COUNT);
        let nblocks = groups(n, BLOCK);
        let t = Table {
            blob,
            big_endian,
            addr_size: u32::from(addr_size),
            head_size: if wide { u32::from(addr_size) } else { 4 },
            off_size: if flags & FLAG_SHORT != 0 { 2 } else { 4 },
            base: if wide {
                0
            } else {
                field_at(blob, HDR_BASE, 8, big_endian)
            },
            count: n,
            nblocks,
            tree_leaves: nblocks.max(1).next_power_of_two(),
            nlit: u32::from(blob[HDR_NLIT]),
            ntok: u16_at(blob, HDR_NTOK, big_endian),
            nesc: u32::from(blob[HDR_NESC]),
            wide: crate::format::wide(u32::from(blob[HDR_NESC])),
            end_short: 0,
            end_long: 0,
            pad_shift: u32::from(blob[HDR_PAD_SHIFT]),
            perm_bits: u32::from(blob[HDR_PERM_BITS]),
            hint_bits: hint_bits(u32::from(blob[HDR_PERM_BITS])),
            blocks_off: rd(HDR_BLOCKS_OFF),
            tree_off: rd(HDR_TREE_OFF),
            records_off: rd(HDR_RECORDS_OFF),
            restarts_off: rd(HDR_RESTARTS_OFF),
            perm_off: rd(HDR_PERM_OFF),
            rec_names_off: 0,
            names_off: rd(HDR_NAMES_OFF),
            end: rd(HDR_END),
            flags,
        };
        if u64::from(t.count) != count {
            return corrupt("record count disagrees with NUM_KERNEL_SYMBOLS");
        }
        if flags & !(FLAG_TREE | FLAG_WIDE | FLAG_SHORT) != 0
            || t.pad_shift > 7
            || blob[HDR_SHIFTS..HDR_SHIFTS + MAX_TYPES]
                .iter()
                .any(|&s| s > 31)
            || t.base > t.addr_max()
            || t.nesc > MAX_ESC
            || t.ntok > MAX_TOKENS
            || t.nlit >= t.wide
            || t.nlit + t.ntok >= t.wide + 256 * t.nesc
        {
            return corrupt("bad header field");
        }
        Ok(t)
    }

    /// Every section where the counts put it, inside the placeholder, and the checksum.
    fn layout(&mut self) -> Result<(), Error> {
        let mut blocks_end =
            u64::from(HDR_TOKENS) + u64::from(pair_bytes(self.nesc) * self.ntok) + u64::from(self.nlit);
        if u64::from(self.blocks_off) != blocks_end
            || self.perm_bits != perm_bits(u64::from(self.count))
        {
            return corrupt(LAYOUT);
        }
        blocks_end += u64::from(self.nblocks) * u64::from(self.head_size + self.off_size);
        let mut tree_end = blocks_end;
        if self.flags & FLAG_TREE != 0 {
            if u64::from(self.tree_off) != blocks_end || self.nblocks == 0 {
                return corrupt(LAYOUT);
            }
            tree_end += u64::from(self.tree_leaves) * 2 * u64::from(self.head_size);
        } else if self.tree_off != 0 {
            return corrupt(LAYOUT);
        }
        let perm_off = u64::from(self.restarts_off)
            + u64::from(self.off_size) * u64::from(groups(self.count, RESTART));
        let perm_len = packed_len(self.count, self.perm_bits);
        let hint_len = packed_len(self.count, self.hint_bits);
        if u64::from(self.records_off) != tree_end
            || self.restarts_off < self.records_off
            || u64::from(self.perm_off) != perm_off
            || u64::from(self.names_off) != perm_off + hint_len + perm_len
            || self.end < self.names_off
        {
            return corrupt(LAYOUT);
        }
        if self.end as usize > self.blob.len() {
            return corrupt("table runs past the placeholder");
        }
        self.rec_names_off = (perm_off + hint_len) as u32;
        if checksum(&self.blob[..self.end as usize]) != self.rd32(HDR_CHECKSUM) {
            return corrupt("checksum mismatch");
        }
        Ok(())
    }

    /// The first token code in `from..=to` whose second code ends a name (as far as `end_short`
    /// and `end_long` say yet), or `to + 1`.
    fn first_ending(&self, from: u32, to: u32) -> u32 {
        (from..=to)
            .find(|&c| self.ends_entry(self.token(c - self.nlit - 1)[1]))
            .unwrap_or(to + 1)
    }

    /// Whether code `c` of a token is ready at this level: a literal, or a token in the previous
    /// level's set.
    fn code_ready(&self, ok: &[u32; 8], c: u32, level: u32) -> bool {
        let i = c.wrapping_sub(self.nlit + 1);
        c <= self.nlit || (level > 1 && ok[(i / 32) as usize] >> (i % 32) & 1 != 0)
    }

    /// With one-byte pairs (at most 255 tokens): every token at most TOKEN_DEPTH deep (level by
    /// level: the tokens of depth <= L are those built of literals and tokens of depth <= L - 1).
    /// With two-byte ones the readers check the depth as they descend, as the C runtime does.
    fn tokens_shallow(&self) -> bool {
        let mut ok = [0u32; 8];
        let mut covered = 0;
        let mut level = 1;
        while covered < self.ntok {
            let before = covered;
            if level > TOKEN_DEPTH as u32 {
                return false;
            }
            covered = 0;
            // Down the words: a token's codes are earlier tokens, in this word or lower ones, which
            // still hold the previous level.
            for w in (0..8u32).rev() {
                let mut bits = 0u32;
                let mut k = 0;
                while k < 32 && 32 * w + k < self.ntok {
                    let [a, b] = self.token(32 * w + k);
                    if self.code_ready(&ok, a, level) && self.code_ready(&ok, b, level) {
                        bits |= 1 << k;
                        covered += 1;
                    }
                    k += 1;
                }
                ok[w as usize] = bits;
            }
            if covered == before {
                return false;
            }
            level += 1;
        }
        true
    }

    /// The alphabet without a 0 (a name holds none); tokens: built only of literals, earlier
    /// tokens (so no expansion loops) and, last, the 0 that ends a name, so that nothing follows
    /// that 0 in any expansion, and in each width those that end in it after all the others
    /// (`end_short` and `end_long` the first); with one-byte pairs, nested at most TOKEN_DEPTH deep.
    fn tokens(&mut self) -> Result<(), Error> {
        if (1..=self.nlit).any(|c| self.literal(c) == 0) {
            return corrupt("alphabet holds a NUL byte");
        }
        for i in 0..self.ntok {
            let [a, b] = self.token(i);
            if a == 0 {
                return corrupt("token begins with a NUL byte");
            }
            // Its own code is nlit + 1 + i.
            if a > self.nlit + i || b > self.nlit + i {
                return corrupt("token refers to itself or a later token");
            }
        }
        if self.nesc == 0 && !self.tokens_shallow() {
            return corrupt("tokens nested too deep");
        }
        // The tokens that end in the name's 0 come last in each width, from the first whose
        // second code ends a name; which ones end in it follows by induction: a second code that
        // is 0 or one that does.
        let last = self.nlit + self.ntok;
        self.end_short = self.wide; // none yet: only the 0 ends a name
        self.end_long = u32::MAX;
        self.end_short = self.first_ending(self.nlit + 1, last.min(self.wide - 1));
        self.end_long = self.first_ending((self.nlit + 1).max(self.wide), last);
        for i in 0..self.ntok {
            let [a, b] = self.token(i);
            if self.ends_entry(a) {
                return corrupt("token continues past the end of a name");
            }
            if self.ends_entry(b) != self.ends_entry(self.nlit + 1 + i) {
                return corrupt("a token that ends a name comes before one that does not");
            }
        }
        Ok(())
    }

    /// The two indexes the binary searches read: block offsets growing from 0 inside the record
    /// stream, heads sorted and the first at base; restarts growing from 0 inside the name stream,
    /// each at an entry that shares nothing.
    fn indexes(&self) -> Result<(), Error> {
        let records = self.restarts_off - self.records_off;
        let names = self.end - self.names_off;
        let (mut prev, mut last) = (0u32, 0u64);
        for b in 0..self.nblocks {
            let head = self.block_head(b);
            let off = self.block_offset(b);
            if (b == 0 && off != 0) || off < prev || off >= records {
                return corrupt("block index offset out of place");
            }
            if !self.head_in_order(b, head, last) {
                return corrupt("block index is not sorted");
            }
            prev = off;
            last = head;
        }
        prev = 0;
        for r in 0..groups(self.count, RESTART) {
            let off = self.rd_off(self.restarts_off + self.off_size * r);
            if (r == 0 && off != 0) || off < prev || off >= names {
                return corrupt("name restart offset out of place");
            }
            if self.blob[(self.names_off + off) as usize] != 0 {
                return corrupt("front-coding prefix longer than the previous name");
            }
            prev = off;
        }
        Ok(())
    }

    /// Block `b`'s head is sorted after the previous block's start `last`, inside the address
    /// space, and the first one is at base (narrow heads).
    pub(crate) fn head_in_order(&self, b: u32, head: u64, last: u64) -> bool {
        !((b != 0 && head < last)
            || head < self.base
            || head > self.addr_max()
            || (b == 0 && self.flags & FLAG_WIDE == 0 && head != self.base))
    }

    /// Open the table in `blob` (the whole placeholder) with `count` symbols (the value of
    /// `NUM_KERNEL_SYMBOLS`): what the C runtime's `ksym_open()` checks, with the same reasons.
    pub fn open(blob: &'a [u8], count: u64) -> Result<Self, Error> {
        let mut t = Self::fields(blob, count)?;
        t.layout()?;
        t.tokens()?;
        t.indexes()?;
        Ok(t)
    }
}
