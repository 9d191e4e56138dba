//! The name order: front-coded names with a restart every 16, byte-pair tokens, the record-to-name
//! permutation and the name hints. A name is read as a stream of bytes through its *suppliers*
//! (below), so it can be written anywhere without a buffer; a name lookup is
//! `ksym_lookup_name()`'s scan, so both runtimes give the same answers on any table that open
//! accepted.

use crate::format::*;
use crate::read::Cursor;
use crate::{Symbol, Table};

/// The bytes of one name entry, tokens expanded on a stack of constant depth.
#[derive(Clone, Copy)]
pub(crate) struct NameIt<'a> {
    pub c: Cursor<'a>,
    sp: usize,
    stack: [u16; TOKEN_DEPTH + 1],
}

/// What [`NameIt::next_byte`] read: a byte of the name, its end, or a bad stream.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    Byte(u8),
    End,
    Bad,
}

impl<'a> NameIt<'a> {
    /// An iterator on the name stream at offset `off` of the blob.
    pub fn at(t: &Table<'a>, off: u32) -> Self {
        NameIt {
            c: Cursor::new(t.blob, off, t.end),
            sp: 0,
            stack: [0; TOKEN_DEPTH + 1],
        }
    }

    /// Start reading the entry at the cursor: its shared-prefix length.
    pub fn begin(&mut self) -> u64 {
        self.sp = 0;
        self.c.varint(5)
    }

    pub fn next_byte(&mut self, t: &Table) -> Code {
        let mut c = if self.sp > 0 {
            self.sp -= 1;
            u32::from(self.stack[self.sp])
        } else {
            let c = t.code(&mut self.c);
            if self.c.bad {
                return Code::Bad;
            }
            c
        };
        // Down a token's first codes, its second ones kept for later.
        loop {
            // The 0 that ends a name: a code of its own or a token's last byte.
            if c == 0 {
                return Code::End;
            }
            if c <= t.nlit {
                return Code::Byte(t.literal(c));
            }
            if !t.is_token(c) || self.sp + 1 > self.stack.len() {
                return Code::Bad;
            }
            let [a, b] = t.token(c - t.nlit - 1);
            self.stack[self.sp] = b as u16;
            self.sp += 1;
            c = a;
        }
    }

    /// Skip to the end of the entry.
    pub fn skip(&mut self, t: &Table) {
        while let Code::Byte(_) = self.next_byte(t) {}
    }

    /// Compare the rest of the entry with `name[*m..]`, the entry being known to equal
    /// `name[..*m]`; consumes the entry and advances `m` over the bytes that match.
    fn cmp_rest(&mut self, t: &Table, name: &[u8], m: &mut usize) -> i32 {
        loop {
            match self.next_byte(t) {
                Code::Byte(c) if name.get(*m) == Some(&c) => *m += 1,
                Code::Byte(c) => {
                    self.skip(t);
                    return i32::from(c) - i32::from(name.get(*m).copied().unwrap_or(0));
                }
                _ => return if *m < name.len() { -1 } else { 0 },
            }
        }
    }
}

/// The entries that supply a name's bytes. Name j keeps the first lcp_j bytes of name j - 1, so
/// byte x of name p is in the entry of the last name j <= p (in p's run of 16) whose lcp_j <= x.
/// Those entries, each with a greater lcp than the one before, are a chain from the run's
/// restart to p's own entry: pushing each entry of the run in turn, after dropping the ones
/// whose lcp is not below its own, leaves the chain of the last one pushed.
#[derive(Clone, Copy)]
pub(crate) struct Chain {
    codes: [u32; RESTART as usize], // where each supplier's codes start (after its lcp)
    lcp: [u64; RESTART as usize],
    n: usize,
}

impl Chain {
    pub fn new() -> Self {
        Chain {
            codes: [0; RESTART as usize],
            lcp: [0; RESTART as usize],
            n: 0,
        }
    }

    /// The next name's entry, its codes at `codes`, with shared prefix `lcp` (a restart: `first`).
    pub fn push(&mut self, codes: u32, lcp: u64, first: bool) {
        if first {
            self.n = 0;
        }
        while self.n > 0 && self.lcp[self.n - 1] >= lcp {
            self.n -= 1;
        }
        if self.n < self.codes.len() {
            self.codes[self.n] = codes;
            self.lcp[self.n] = lcp;
            self.n += 1;
        }
    }

    /// The name's bytes from position `from` (at most its length) on.
    pub fn bytes<'t, 'a>(&self, t: &'t Table<'a>, from: u64) -> NameBytes<'t, 'a> {
        let mut i = self.n.max(1) - 1;
        while i > 0 && self.lcp[i] > from {
            i -= 1;
        }
        let mut s = NameBytes {
            t,
            chain: *self,
            i,
            at: self.lcp[i],
            it: NameIt::at(t, self.codes[i]),
        };
        while s.at < from && s.next().is_some() {}
        s
    }
}

/// A name's bytes, read through its chain of suppliers.
pub(crate) struct NameBytes<'t, 'a> {
    t: &'t Table<'a>,
    chain: Chain,
    i: usize,
    at: u64,
    it: NameIt<'a>,
}

impl<'t, 'a> NameBytes<'t, 'a> {
    /// No bytes at all (a cursor with nothing to read).
    fn empty(t: &'t Table<'a>) -> Self {
        let mut it = NameIt::at(t, 0);
        it.c.end = 0;
        NameBytes {
            t,
            chain: Chain::new(),
            i: 0,
            at: 0,
            it,
        }
    }

    /// The next byte, `End` at the name's end, `Bad` on a bad stream.
    pub fn code(&mut self) -> Code {
        if self.i + 1 < self.chain.n && self.at == self.chain.lcp[self.i + 1] {
            self.i += 1;
            self.it = NameIt::at(self.t, self.chain.codes[self.i]);
        }
        let c = self.it.next_byte(self.t);
        if let Code::Byte(_) = c {
            self.at += 1;
        }
        c
    }
}

impl<'t, 'a> Iterator for NameBytes<'t, 'a> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        match self.code() {
            Code::Byte(b) => Some(b),
            _ => None,
        }
    }
}

impl<'a> Table<'a> {
    /// Field `i` of the bit-packed array at `base` (`bits` bits, MSB first).
    fn packed(&self, base: u32, i: u32, bits: u32) -> u32 {
        if bits == 0 {
            return 0;
        }
        let bit = u64::from(i) * u64::from(bits);
        let mut v = 0u64;
        for k in 0..(bit % 8 + u64::from(bits) + 7) / 8 {
            v = v << 8 | u64::from(self.blob[(u64::from(base) + bit / 8 + k) as usize]);
        }
        let got = (bit % 8 + u64::from(bits) + 7) / 8 * 8;
        (v >> (got - bit % 8 - u64::from(bits)) & ((1u64 << bits) - 1)) as u32
    }

    /// The name position of record `i`.
    pub(crate) fn pos_of_rec(&self, i: u32) -> u32 {
        self.packed(self.rec_names_off, i, self.perm_bits)
    }

    /// The record whose name is at position `p`: the first of the hinted group of 32 whose name
    /// position is `p` (a candidate checked, not trusted).
    pub(crate) fn rec_of_pos(&self, p: u32) -> Option<u32> {
        let first = self
            .packed(self.perm_off, p, self.hint_bits)
            .wrapping_mul(NAME_GROUP);
        (first..first.saturating_add(NAME_GROUP))
            .take_while(|&i| i < self.count)
            .find(|&i| self.pos_of_rec(i) == p)
    }

    pub(crate) fn restart_it(&self, r: u32) -> NameIt<'a> {
        NameIt::at(self, self.names_off + self.rd_off(self.restarts_off + self.off_size * r))
    }

    /// The chain of name position `p` and the name's length, from a walk of its run that checks
    /// every entry (as `ksym_name()` does): None on a bad stream.
    pub(crate) fn chain_of(&self, p: u32) -> Option<(Chain, u64)> {
        let mut it = self.restart_it(p / RESTART);
        let mut chain = Chain::new();
        let mut len = 0u64;
        for q in p - p % RESTART..=p {
            let lcp = it.begin();
            let first = q % RESTART == 0;
            if lcp > len || (first && lcp != 0) {
                return None;
            }
            chain.push(it.c.off, lcp, first);
            len = lcp;
            loop {
                match it.next_byte(self) {
                    Code::Byte(_) => len += 1,
                    Code::End => break,
                    Code::Bad => return None,
                }
            }
        }
        Some((chain, len))
    }

    /// The bytes of `sym`'s name, and its length; none (an empty name) when the table is bad
    /// there.
    pub(crate) fn name_bytes<'t>(&'t self, sym: &Symbol) -> (NameBytes<'t, 'a>, u64) {
        let p = if sym.index < self.count {
            self.pos_of_rec(sym.index)
        } else {
            u32::MAX
        };
        match if p < self.count {
            self.chain_of(p)
        } else {
            None
        } {
            Some((chain, len)) => (chain.bytes(self, 0), len),
            None => (NameBytes::empty(self), 0),
        }
    }

    /// The first restart whose name is >= `name`, less one (equal names may begin before it).
    fn name_restart(&self, name: &[u8]) -> u32 {
        let (mut lo, mut hi) = (0, (self.count + RESTART - 1) / RESTART);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let mut it = self.restart_it(mid);
            let mut k = 0;
            it.begin();
            if it.cmp_rest(self, name, &mut k) < 0 {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo.saturating_sub(1)
    }

    /// Every symbol called `name` (a `&str` or bytes), in address order. O(log n) and a bounded
    /// scan.
    pub fn lookup_name<'t, 'n, N: AsRef<[u8]> + ?Sized>(
        &'t self,
        name: &'n N,
    ) -> NameMatches<'t, 'a, 'n> {
        let name = name.as_ref();
        let lo = if self.count == 0 {
            0
        } else {
            self.name_restart(name)
        };
        NameMatches {
            t: self,
            name,
            lo,
            q: lo * RESTART,
            m: 0,
            found: 0,
            it: self.restart_it(lo),
            done: self.count == 0,
        }
    }
}

/// The symbols of one name (from [`Table::lookup_name`]).
pub struct NameMatches<'t, 'a, 'n> {
    t: &'t Table<'a>,
    name: &'n [u8],
    lo: u32,
    q: u32,
    m: usize,
    found: u32,
    it: NameIt<'a>,
    done: bool,
}

impl<'t, 'a, 'n> NameMatches<'t, 'a, 'n> {
    /// The next name position that matches. `m` is how many bytes the current name shares with
    /// the one looked for: a name that shares less with its predecessor sorts after it, one that
    /// shares more sorts as its predecessor did, only one that shares exactly `m` is compared.
    fn next_match(&mut self) -> Option<u32> {
        let t = self.t;
        while !self.done && self.q < t.count && !self.it.c.bad {
            let q = self.q;
            self.q += 1;
            let lcp = self.it.begin();
            // In sorted names the first match is at most two runs on.
            if self.found == 0 && q >= (self.lo + 2) * RESTART {
                break;
            }
            if q % RESTART == 0 {
                self.m = 0; // a restart holds the whole name
            }
            if lcp < self.m as u64 {
                break;
            }
            let cmp = if lcp > self.m as u64 {
                self.it.skip(t);
                -1
            } else {
                self.it.cmp_rest(t, self.name, &mut self.m)
            };
            if cmp > 0 {
                break;
            }
            if cmp == 0 {
                return Some(q);
            }
        }
        self.done = true;
        None
    }
}

impl<'t, 'a, 'n> Iterator for NameMatches<'t, 'a, 'n> {
    type Item = Symbol;

    fn next(&mut self) -> Option<Symbol> {
        let q = self.next_match()?;
        match self.t.rec_of_pos(q) {
            Some(i) => {
                self.found += 1;
                Some(self.t.symbol(i))
            }
            None => {
                self.done = true; // an unverified table's bad permutation
                None
            }
        }
    }
}
