//! The address order: records in blocks of 16, the block index, the max-end tree, and the lookup
//! of an address (`ksym_lookup_addr()`'s algorithm, so both runtimes give the same answer on any
//! table that open accepted; docs/FORMAT.md, "Lookups").

use crate::format::*;
use crate::read::Cursor;
use crate::{Symbol, Table};

/// A record as decoded: its start, size and type index.
#[derive(Clone, Copy)]
pub(crate) struct Rec {
    pub start: u64,
    pub size: u64,
    pub kind: u32,
}

impl Rec {
    pub fn contains(&self, addr: u64) -> bool {
        addr.wrapping_sub(self.start) < self.size
    }
}

impl<'a> Table<'a> {
    fn block_entry(&self, b: u32) -> u32 {
        self.blocks_off + b * (self.head_size + self.off_size)
    }

    /// Block `b`'s first start less base (the whole start with wide heads).
    pub(crate) fn block_rel_head(&self, b: u32) -> u64 {
        self.field(self.block_entry(b), self.head_size)
    }

    pub(crate) fn block_head(&self, b: u32) -> u64 {
        self.base.wrapping_add(self.block_rel_head(b))
    }

    pub(crate) fn block_offset(&self, b: u32) -> u32 {
        self.rd_off(self.block_entry(b) + self.head_size)
    }

    pub(crate) fn block_len(&self, b: u32) -> u32 {
        (self.count - b * BLOCK).min(BLOCK)
    }

    /// A cursor on block `b`'s records, and a record ready for its first one.
    pub(crate) fn block_start(&self, b: u32) -> (Cursor<'a>, Rec) {
        let c = Cursor::new(
            self.blob,
            self.records_off + self.block_offset(b),
            self.restarts_off,
        );
        (
            c,
            Rec {
                start: self.block_head(b),
                size: 0,
                kind: 0,
            },
        )
    }

    /// Decode the next record into `r`, which holds the previous one (or, for a block's first
    /// record, the block's head as its start); sets `c.bad` on anything outside the format.
    pub(crate) fn next_record(&self, c: &mut Cursor, r: &mut Rec, first: bool) {
        let code = c.byte();
        let how = code_start(code);
        let max = self.addr_max();
        let mut start = r.start;
        if first && how != START_SAME {
            c.bad = true;
        } else if how == START_DELTA {
            let d = c.varint(10);
            if d == 0 || d > max.wrapping_sub(start) {
                c.bad = true;
            }
            start = start.wrapping_add(d);
        } else if how != START_SAME {
            let pad = u64::from(how - 1) << self.pad_shift;
            if r.size > max.wrapping_sub(start) || pad > max.wrapping_sub(start) - r.size {
                c.bad = true;
            }
            start = start.wrapping_add(r.size).wrapping_add(pad);
        }
        r.start = start;
        r.kind = code_type(code);
        let units = c.varint(5);
        let shift = u32::from(self.blob[HDR_SHIFTS + r.kind as usize]); // at most 31: open
        if units > u64::from(u32::MAX >> shift) {
            c.bad = true;
        }
        r.size = u64::from((units as u32) << shift);
        // [start, start + size) may end exactly at the top of the address space.
        if r.size != 0 && r.size - 1 > max.wrapping_sub(start) {
            c.bad = true;
        }
    }

    pub(crate) fn symbol_of(&self, r: &Rec, index: u32) -> Symbol {
        Symbol {
            start: r.start,
            size: r.size,
            index,
            letter: self.blob[HDR_TYPES + r.kind as usize],
        }
    }

    /// Symbol `i` in address order (`i < len()`), or an empty symbol past the end.
    pub fn symbol(&self, i: u32) -> Symbol {
        if i >= self.count {
            return Symbol {
                start: 0,
                size: 0,
                index: i,
                letter: 0,
            };
        }
        let b = i / BLOCK;
        let (mut c, mut r) = self.block_start(b);
        let mut k = b * BLOCK;
        while k <= i && !c.bad {
            self.next_record(&mut c, &mut r, k == b * BLOCK);
            k += 1;
        }
        self.symbol_of(&r, i)
    }

    /// Among the first `n` records of block `b`, the first of the greatest start at or above
    /// `from` that contains `addr`.
    fn best_in_block(&self, b: u32, n: u32, addr: u64, from: u64) -> Option<Symbol> {
        let (mut c, mut r) = self.block_start(b);
        let mut best: Option<Symbol> = None;
        for k in 0..self.block_len(b).min(n) {
            self.next_record(&mut c, &mut r, k == 0);
            if c.bad || r.start > addr {
                break;
            }
            if r.start >= from && r.contains(addr) && best.map_or(true, |s| r.start > s.start) {
                best = Some(self.symbol_of(&r, b * BLOCK + k));
            }
        }
        best
    }

    /// Node `i` of the max-end tree: the greatest end under it less base, `head_size` bytes (0
    /// past the blocks).
    pub(crate) fn tree_raw(&self, i: u32) -> u64 {
        self.field(self.tree_off + i * self.head_size, self.head_size)
    }

    /// The greatest block before `b` holding a record that ends after `addr` (at or above base):
    /// left from leaf `b - 1` and up to the first subtree whose max end passes `addr`, then down
    /// its rightmost such path, all less base, as the nodes are.
    fn tree_find(&self, b: u32, rel: u64) -> Option<u32> {
        let leaves = self.tree_leaves;
        let top = self.addr_max().wrapping_sub(self.base);
        if b == 0 {
            return None;
        }
        let mut i = leaves + b - 1;
        loop {
            if reaches(self.tree_raw(i), rel, top) {
                while i < leaves {
                    i = if reaches(self.tree_raw(2 * i + 1), rel, top) {
                        2 * i + 1
                    } else {
                        2 * i
                    };
                }
                // An unverified tree may point anywhere: only earlier blocks.
                return if i - leaves < b {
                    Some(i - leaves)
                } else {
                    None
                };
            }
            while i > 1 && i & 1 == 0 {
                i >>= 1; // a left child: its parent starts where it does
            }
            if i <= 1 {
                return None;
            }
            i -= 1; // a right child: its left sibling is the range just before it
        }
    }

    /// The symbol whose range contains `addr`: the greatest start wins, then the smallest size,
    /// then table order (global, weak, local, then by name). O(log n) and a bounded decode.
    ///
    /// `addr` is a code address as the table has it: look a return address up at
    /// [`call_site`](crate::call_site)`(ra)`, and clear the Thumb bit of a 32-bit ARM code pointer
    /// with [`code_addr`](crate::code_addr).
    pub fn lookup(&self, addr: u64) -> Option<Symbol> {
        let rel = addr.wrapping_sub(self.base);
        let (mut lo, mut hi) = (0, if addr < self.base { 0 } else { self.nblocks });
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.block_rel_head(mid) <= rel {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo == 0 {
            return None;
        }
        let mut b = lo - 1;
        let mut out = match self.best_in_block(b, BLOCK, addr, 0) {
            Some(s) => s,
            None => {
                // Only a symbol that starts before block b and reaches past its head can.
                if self.tree_off == 0 {
                    return None;
                }
                b = self.tree_find(b, rel)?;
                self.best_in_block(b, BLOCK, addr, 0)?
            }
        };
        if out.index % BLOCK == 0 && out.index > 0 {
            // Its aliases may fill whole blocks before it: the blocks whose first record is at
            // its start and contains addr are a run ending at its block. A binary search, one
            // record a step, finds the run's first block (out keeps its first record); the
            // first alias to contain addr is that record or in the block before.
            let start = out.start;
            let (mut lo, mut hi) = (0, out.index / BLOCK);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                match self.best_in_block(mid, 1, addr, start) {
                    Some(s) => {
                        out = s;
                        hi = mid;
                    }
                    None => lo = mid + 1,
                }
            }
            if lo > 0 {
                if let Some(s) = self.best_in_block(lo - 1, BLOCK, addr, start) {
                    out = s;
                }
            }
        }
        Some(out)
    }
}

/// The symbols in address order (from [`Table::symbols`]), decoded one block at a time.
pub struct Symbols<'t, 'a> {
    table: &'t Table<'a>,
    next: u32,
    cursor: Cursor<'a>,
    rec: Rec,
}

impl<'t, 'a> Symbols<'t, 'a> {
    pub(crate) fn new(table: &'t Table<'a>) -> Self {
        let cursor = Cursor::new(table.blob, 0, 0);
        Symbols {
            table,
            next: 0,
            cursor,
            rec: Rec {
                start: 0,
                size: 0,
                kind: 0,
            },
        }
    }
}

impl<'t, 'a> Iterator for Symbols<'t, 'a> {
    type Item = Symbol;

    fn next(&mut self) -> Option<Symbol> {
        let (t, i) = (self.table, self.next);
        if i >= t.count {
            return None;
        }
        let first = i % BLOCK == 0;
        if first {
            let (c, r) = t.block_start(i / BLOCK);
            self.cursor = c;
            self.rec = r;
        }
        // As symbol(i): past a bad record the block's later symbols repeat what was decoded.
        if !self.cursor.bad {
            t.next_record(&mut self.cursor, &mut self.rec, first);
        }
        self.next += 1;
        Some(t.symbol_of(&self.rec, i))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.table.count - self.next) as usize;
        (left, Some(left))
    }
}
