//! The kernel's own table: the placeholder the linker fragment reserves
//! (`linker_scripts/kernel_symbols.ld`) and the count `ksympatch patch` writes, and the address
//! helpers a backtrace needs.

use crate::{Error, Table};

extern "C" {
    static __kernel_symbols_start: u8;
    static __kernel_symbols_end: u8;
    static NUM_KERNEL_SYMBOLS: u64;
}

/// Define `NUM_KERNEL_SYMBOLS` (the u64 that `ksympatch patch` fills in) and the placeholder's
/// first bytes, as `KSYM_DEFINE_COUNT()` does in C: use it once in the kernel, at item level.
/// Both are emitted in assembly, into the input sections the linker fragment keeps, so
/// `--gc-sections` keeps them, and the compiler never sees the count's unpatched 0.
#[macro_export]
macro_rules! ksym_define_count {
    () => {
        core::arch::global_asm!(
            ".pushsection .kernel_symbols.head, \"a\"",
            ".balign 8",
            ".quad 0",
            ".popsection",
            ".pushsection .ksym_count, \"a\"",
            ".balign 8",
            ".globl NUM_KERNEL_SYMBOLS",
            ".type NUM_KERNEL_SYMBOLS, %object",
            ".size NUM_KERNEL_SYMBOLS, 8",
            "NUM_KERNEL_SYMBOLS:",
            ".quad 0",
            ".popsection",
        );
    };
}

/// Open the kernel's own table (see [`Table::open`]): the placeholder between the linker
/// fragment's `__kernel_symbols_start` and `__kernel_symbols_end`, and `NUM_KERNEL_SYMBOLS`.
/// Cheap (O(blocks)), so a fault handler may call it every time.
pub fn kernel_table() -> Result<Table<'static>, Error> {
    // SAFETY: the linker fragment defines the two symbols around the placeholder, which is
    // read-only data for the kernel's whole life, and `ksym_define_count!()` defines the count,
    // an aligned u64. The count is read as volatile, so that the value `ksympatch` patched in is
    // read, not the 0 of the object file.
    let (blob, count) = unsafe {
        let start = core::ptr::addr_of!(__kernel_symbols_start);
        let end = core::ptr::addr_of!(__kernel_symbols_end);
        let len = (end as usize).saturating_sub(start as usize);
        (
            core::slice::from_raw_parts(start, len),
            core::ptr::read_volatile(core::ptr::addr_of!(NUM_KERNEL_SYMBOLS)),
        )
    };
    Table::open(blob, count)
}

/// How far before a return address its call starts, at least: AArch64 and ARM-state calls are 4
/// bytes; a Thumb or RISC-V call may be 2; an x86 call is 2 to 7 bytes and `ra - 1` is inside it.
#[cfg(any(
    target_arch = "aarch64",
    all(target_arch = "arm", not(target_feature = "thumb-mode"))
))]
pub const CALL_BACK: u64 = 4;
#[cfg(any(
    all(target_arch = "arm", target_feature = "thumb-mode"),
    target_arch = "riscv32",
    target_arch = "riscv64"
))]
pub const CALL_BACK: u64 = 2;
#[cfg(not(any(
    target_arch = "aarch64",
    target_arch = "arm",
    target_arch = "riscv32",
    target_arch = "riscv64"
)))]
pub const CALL_BACK: u64 = 1;

/// The address to look a return address up at: inside its call, so that a call that is its
/// function's last instruction is not blamed on the next function. Print `ra` itself.
pub fn call_site(ra: u64) -> u64 {
    ra.wrapping_sub(CALL_BACK)
}

/// A code pointer as the table has it: on 32-bit ARM, bit 0 (the Thumb bit) cleared; elsewhere
/// unchanged.
pub fn code_addr(p: u64) -> u64 {
    if cfg!(target_arch = "arm") {
        p & !1
    } else {
        p
    }
}
