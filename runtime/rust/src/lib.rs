//! Read the kernel symbol table that [ksympatch](https://example.invalid/ksympatch) writes into a
//! kernel's `.kernel_symbols` placeholder after its single link, and turn addresses into
//! `name+0xoff/0xsize`.
//!
//! `#![no_std]`, no dependencies, no allocation, no panics on any input: a corrupt table is an
//! [`Error`] naming the reason, and every lookup on a table that [`Table::open`] accepted reads
//! only inside the blob and decodes a bounded amount. It reads table format version 6
//! (`docs/FORMAT.md`), with the same checks and the same answers as the C runtime
//! (`runtime/ksym.c`): `make test` compares the two on every fixture and on damaged tables.
//!
//! ```ignore
//! ksym::ksym_define_count!(); // once in the kernel: the NUM_KERNEL_SYMBOLS that ksympatch patches
//!
//! fn report(pc: u64) {
//!     match ksym::kernel_table() {
//!         Ok(t) => println!("PC: {:#018x} <{}>", pc, t.describe(pc, 0)),
//!         Err(e) => println!("PC: {:#018x} (symbol table unusable: {})", pc, e),
//!     }
//! }
//! ```
#![no_std]
#![forbid(unsafe_op_in_unsafe_fn)]

mod format;
mod kernel;
mod names;
mod open;
mod read;
mod records;
mod text;
mod verify;

pub use kernel::{call_site, code_addr, kernel_table, CALL_BACK};
pub use names::NameMatches;
pub use read::checksum;
pub use records::Symbols;
pub use text::{Describe, Located, Name};

/// Why a table cannot be used. [`Error::reason`] says it in the C runtime's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The placeholder is as the linker left it: run `ksympatch patch` after the link.
    Unpatched,
    /// Written by another format version: patch again with this crate's ksympatch.
    Version,
    /// A bad header, bounds, order or checksum; the reason names the check that failed.
    Corrupt(&'static str),
}

impl Error {
    /// The C runtime's `why` for the same failure.
    pub fn reason(&self) -> &'static str {
        match self {
            Error::Unpatched => "symbol table not patched",
            Error::Version => "wrong format version",
            Error::Corrupt(why) => why,
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        f.write_str(self.reason())
    }
}

/// One symbol as read from the table. Its name is not stored as text: [`Table::name`] decodes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub start: u64,
    pub size: u64,
    /// Its position in address order.
    pub index: u32,
    /// nm's type letter (`b'T'`, `b't'`, `b'D'`, ...).
    pub letter: u8,
}

impl Symbol {
    /// Whether `addr` is inside `[start, start + size)`.
    pub fn contains(&self, addr: u64) -> bool {
        addr.wrapping_sub(self.start) < self.size
    }
}

/// An opened table: a view of the blob with the header's fields. Cheap to copy.
#[derive(Clone, Copy, Debug)]
pub struct Table<'a> {
    blob: &'a [u8],
    base: u64,
    count: u32,
    nblocks: u32,
    blocks_off: u32,
    tree_off: u32,
    tree_leaves: u32,
    records_off: u32,
    restarts_off: u32,
    perm_off: u32,
    rec_names_off: u32,
    names_off: u32,
    end: u32,
    addr_size: u32,
    head_size: u32,
    /// Bytes of a block offset or a name restart: 4, or 2 with `FLAG_SHORT`.
    off_size: u32,
    big_endian: bool,
    flags: u8,
    /// Literal codes 1..=nlit: the alphabet, after the token pairs.
    nlit: u32,
    /// Token codes nlit + 1 ..= nlit + ntok.
    ntok: u32,
    /// Escape bytes: codes from `wide` on take two bytes.
    nesc: u32,
    wide: u32,
    /// The first one-byte and the first two-byte token codes that end a name (past the last of
    /// their width: none does); open finds them.
    end_short: u32,
    end_long: u32,
    pad_shift: u32,
    perm_bits: u32,
    hint_bits: u32,
}

impl<'a> Table<'a> {
    /// The number of symbols.
    pub fn len(&self) -> u32 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Bytes of the blob in use (the rest of the placeholder is zero).
    pub fn bytes_used(&self) -> u32 {
        self.end
    }

    /// Every symbol in address order.
    pub fn symbols(&self) -> Symbols<'_, 'a> {
        Symbols::new(self)
    }

    /// Write `sym`'s name into `buf`, cut short if it does not fit; returns the length of the whole
    /// name (as the C runtime's `ksym_name()`, without a terminating NUL), so a caller can retry
    /// with a larger buffer. An empty name where the table is bad.
    pub fn name(&self, sym: &Symbol, buf: &mut [u8]) -> usize {
        let (bytes, len) = self.name_bytes(sym);
        for (dst, b) in buf.iter_mut().zip(bytes) {
            *dst = b;
        }
        len as usize
    }

    /// `sym`'s name as text (see [`Name`]), e.g. `write!(w, "{}", table.name_of(&sym))`.
    pub fn name_of<'t>(&'t self, sym: &Symbol) -> Name<'t, 'a> {
        Name::new(self, *sym)
    }

    /// `name+0xoff/0xsize` for `addr` in `sym`, as text.
    pub fn located<'t>(&'t self, sym: &Symbol, addr: u64) -> Located<'t, 'a> {
        Located::new(self, *sym, addr)
    }

    /// One step from an address to text: `name+0xoff/0xsize` of the symbol that holds
    /// `addr - back`, with the offset of `addr` itself, or `addr` in hex when none does. `back` is
    /// 0 for an address in the code (a PC), [`CALL_BACK`] for a return address.
    pub fn describe<'t>(&'t self, addr: u64, back: u64) -> Describe<'t, 'a> {
        Describe::new(self, addr, back)
    }

    pub(crate) fn addr_max(&self) -> u64 {
        if self.addr_size == 8 {
            u64::MAX
        } else {
            u64::from(u32::MAX)
        }
    }

    pub(crate) fn rd32(&self, off: u32) -> u32 {
        read::u32_at(self.blob, off, self.big_endian)
    }

    /// A block offset or a name restart at `off`: a u32, or a u16 with `FLAG_SHORT`.
    pub(crate) fn rd_off(&self, off: u32) -> u32 {
        if self.off_size == 4 {
            self.rd32(off)
        } else {
            read::u16_at(self.blob, off, self.big_endian)
        }
    }

    pub(crate) fn field(&self, off: u32, n: u32) -> u64 {
        read::field_at(self.blob, off, n, self.big_endian)
    }

    /// Code `c` (not 0) is a token; `c <= nlit` is a literal; above both, outside the format.
    pub(crate) fn is_token(&self, c: u32) -> bool {
        c.wrapping_sub(self.nlit + 1) < self.ntok
    }

    /// The byte of literal code `c` (1..=nlit): the alphabet ends where the blocks begin.
    pub(crate) fn literal(&self, c: u32) -> u8 {
        self.blob[(self.blocks_off - self.nlit + c - 1) as usize]
    }

    /// Whether code `c` ends a name entry: the 0, or a token that ends in it (those come last
    /// among the codes of their width: open).
    pub(crate) fn ends_entry(&self, c: u32) -> bool {
        c == 0
            || (self.is_token(c)
                && if c < self.wide {
                    c >= self.end_short
                } else {
                    c >= self.end_long
                })
    }

    /// The two codes of token `i`: a byte each, or with escapes 12 bits each.
    pub(crate) fn token(&self, i: u32) -> [u32; 2] {
        let off = (format::HDR_TOKENS + format::pair_bytes(self.nesc) * i) as usize;
        let p = |k: usize| u32::from(self.blob[off + k]);
        if self.nesc == 0 {
            [p(0), p(1)]
        } else {
            [p(0) << 4 | p(1) >> 4, (p(1) & 0xf) << 8 | p(2)]
        }
    }

    /// The next name code at `c`: a byte, or an escape byte and the next.
    pub(crate) fn code(&self, c: &mut read::Cursor) -> u32 {
        let b = c.byte();
        if b < self.wide {
            b
        } else {
            self.wide + ((b - self.wide) << 8 | c.byte())
        }
    }
}
