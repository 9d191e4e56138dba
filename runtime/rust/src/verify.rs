//! The whole proof, as the C runtime's `ksym_verify()` gives it (docs/FORMAT.md, "Validation"):
//! every record and every name decoded, the sort orders, the max-end tree and the permutation.
//! O(n); a kernel may run it at boot, the tests run it on every table.

use crate::format::*;
use crate::names::{Chain, Code, NameIt};
use crate::read::Cursor;
use crate::records::Rec;
use crate::{Error, Table};

fn corrupt<T>(reason: &'static str) -> Result<T, Error> {
    Err(Error::Corrupt(reason))
}

const TREE: &str = "max-end tree disagrees with the records";

impl<'a> Table<'a> {
    /// Prove the whole table that [`Table::open`] accepted. Lookups on an opened table are safe
    /// without it (bounded, inside the blob), but only on a verified one are they all right.
    pub fn verify(&self) -> Result<(), Error> {
        self.verify_records()?;
        self.verify_names()
    }

    /// Every block where the previous one ended, its head its first record's start, types in
    /// range, sizes growing within one start, and the tree (or, without one, no record reaching
    /// past a later block's head).
    fn verify_records(&self) -> Result<(), Error> {
        let max = self.addr_max();
        let mut c = Cursor::new(self.blob, self.records_off, self.restarts_off);
        let mut r = Rec {
            start: 0,
            size: 0,
            kind: 0,
        }; // the previous record's size spans blocks
        let mut reach = Reach::new(max);
        let ntypes = self.blob[HDR_TYPES..HDR_TYPES + MAX_TYPES]
            .iter()
            .take_while(|&&t| t != 0)
            .count() as u32;
        for b in 0..self.nblocks {
            let head = self.block_head(b);
            let mut block_end = 0;
            if self.block_offset(b) != c.off - self.records_off {
                return corrupt("block index offset out of place");
            }
            if !self.head_in_order(b, head, reach.last) {
                return corrupt("block index is not sorted");
            }
            r.start = head;
            for k in 0..self.block_len(b) {
                let prev_size = r.size;
                self.next_record(&mut c, &mut r, k == 0);
                if c.bad {
                    return corrupt("record stream runs past its end or out of range");
                }
                if r.kind >= ntypes {
                    return corrupt("record type out of range");
                }
                if (b != 0 || k != 0) && r.start == reach.last && r.size < prev_size {
                    return corrupt("symbols at one address are not in table order");
                }
                let end = end_of(r.start, r.size, max);
                if reach.next(r.start, end) && self.tree_off == 0 {
                    return corrupt("a symbol reaches past a later block but there is no tree");
                }
                block_end = block_end.max(end);
            }
            if self.tree_off != 0
                && self.tree_raw(self.tree_leaves + b) != block_end.wrapping_sub(self.base)
            {
                return corrupt(TREE);
            }
        }
        if c.off != self.restarts_off {
            return corrupt("record stream has trailing bytes");
        }
        if self.tree_off != 0 {
            self.verify_tree()?;
        }
        Ok(())
    }

    /// Past the blocks all 0, every inner node the max of its two children.
    fn verify_tree(&self) -> Result<(), Error> {
        if (self.tree_leaves + self.nblocks..2 * self.tree_leaves).any(|i| self.tree_raw(i) != 0) {
            return corrupt(TREE);
        }
        for i in (1..self.tree_leaves).rev() {
            if self.tree_raw(i) != self.tree_raw(2 * i).max(self.tree_raw(2 * i + 1)) {
                return corrupt(TREE);
            }
        }
        Ok(())
    }

    /// Restarts where the stream says, every shared prefix no longer than the previous name and
    /// exactly the shared one, the names sorted (equal ones by record number), and every name's
    /// hint pointing at a group that holds its record, so the record-to-name fields are a
    /// permutation. The previous name is read again through its chain of suppliers.
    fn verify_names(&self) -> Result<(), Error> {
        let mut it = NameIt::at(self, self.names_off);
        let (mut prev, mut chain) = (Chain::new(), Chain::new());
        let (mut prev_len, mut prev_rec) = (0u64, 0u32);
        for q in 0..self.count {
            let k = q % RESTART;
            if k == 0
                && self.rd_off(self.restarts_off + q / RESTART * self.off_size)
                    != it.c.off - self.names_off
            {
                return corrupt("name restart offset out of place");
            }
            let lcp = it.begin();
            if (k == 0 && lcp != 0) || lcp > prev_len {
                return corrupt("front-coding prefix longer than the previous name");
            }
            chain.push(it.c.off, lcp, k == 0);
            let (cmp, len) = self.check_name(&mut it, &prev, q, lcp)?;
            let rec = match self.rec_of_pos(q) {
                Some(rec) => rec,
                None => return corrupt("name permutation is not a permutation"),
            };
            if cmp < 0 || (q != 0 && cmp == 0 && rec <= prev_rec) {
                return corrupt("names are not sorted");
            }
            prev = chain;
            prev_len = len;
            prev_rec = rec;
        }
        if it.c.off != self.end {
            return corrupt("name stream has trailing bytes");
        }
        Ok(())
    }

    /// Read the rest of name `q` (past its shared prefix `lcp`) and compare it with the previous
    /// name, whose chain is `prev`, from byte `lcp` on (the whole name at a restart): there they
    /// must differ, unless they are equal. Returns how name q sorts against the previous one and
    /// its length.
    fn check_name(
        &self,
        it: &mut NameIt,
        prev: &Chain,
        q: u32,
        lcp: u64,
    ) -> Result<(i32, u64), Error> {
        let mut other = prev.bytes(self, lcp);
        let mut len = lcp;
        let mut cmp = 0;
        let mut first = true;
        loop {
            let a = it.next_byte(self);
            if let Code::Byte(_) = a {
                len += 1;
                if len >= u64::from(u32::MAX) {
                    return corrupt("name of 4 GiB or more");
                }
            }
            if a == Code::Bad {
                return corrupt("name runs past the table or holds a code of no literal or token");
            }
            if q != 0 && cmp == 0 {
                let b = other.code();
                if first && q % RESTART != 0 && a == b && a != Code::End {
                    return corrupt("front-coding prefix shorter than the shared one");
                }
                cmp = order(a, b);
                first = false;
            } else if q == 0 {
                cmp = 1;
            }
            if a == Code::End {
                return Ok((cmp, len));
            }
        }
    }
}

/// How two bytes of names sort (the end of a name before any byte).
fn order(a: Code, b: Code) -> i32 {
    let v = |c| match c {
        Code::Byte(x) => i32::from(x),
        _ => 0,
    };
    (v(a) - v(b)).signum()
}
