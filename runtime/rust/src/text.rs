//! Symbols as text, through `core::fmt`: a name, `name+0xoff/0xsize`, and an address described
//! as the C runtime's `ksym_describe()` does. Nothing is buffered: a name of any length streams
//! out of the table. Bytes that are not printable ASCII are written as `\xNN`.

use core::fmt::{self, Display, Formatter, Write};

use crate::{Symbol, Table};

/// A symbol's name (from [`Table::name_of`]).
pub struct Name<'t, 'a> {
    table: &'t Table<'a>,
    sym: Symbol,
}

impl<'t, 'a> Name<'t, 'a> {
    pub(crate) fn new(table: &'t Table<'a>, sym: Symbol) -> Self {
        Name { table, sym }
    }
}

impl Display for Name<'_, '_> {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        for b in self.table.name_bytes(&self.sym).0 {
            if (0x20..0x7f).contains(&b) {
                f.write_char(char::from(b))?;
            } else {
                write!(f, "\\x{:02x}", b)?;
            }
        }
        Ok(())
    }
}

/// `name+0xoff/0xsize` (from [`Table::located`]).
pub struct Located<'t, 'a> {
    name: Name<'t, 'a>,
    addr: u64,
}

impl<'t, 'a> Located<'t, 'a> {
    pub(crate) fn new(table: &'t Table<'a>, sym: Symbol, addr: u64) -> Self {
        Located {
            name: Name::new(table, sym),
            addr,
        }
    }
}

impl Display for Located<'_, '_> {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        let sym = &self.name.sym;
        write!(
            f,
            "{}+{:#x}/{:#x}",
            self.name,
            self.addr.wrapping_sub(sym.start),
            sym.size
        )
    }
}

/// An address as `name+0xoff/0xsize`, or in hex when no symbol holds it (from
/// [`Table::describe`]).
pub struct Describe<'t, 'a> {
    table: &'t Table<'a>,
    addr: u64,
    back: u64,
}

impl<'t, 'a> Describe<'t, 'a> {
    pub(crate) fn new(table: &'t Table<'a>, addr: u64, back: u64) -> Self {
        Describe { table, addr, back }
    }
}

impl Display for Describe<'_, '_> {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match self.table.lookup(self.addr.wrapping_sub(self.back)) {
            Some(sym) => Located::new(self.table, sym, self.addr).fmt(f),
            None => write!(f, "{:#x}", self.addr),
        }
    }
}
