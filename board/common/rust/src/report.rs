//! What every board's report shares: the table (or why not), an address's symbol, the
//! frame-pointer backtrace, the nesting guard, and the panic report. The table is opened once a
//! report (cheap: O(blocks)); if it is unusable, the report says why and prints raw addresses.
//!
//! Frame records, with `-C force-frame-pointers=yes`: on AArch64 `{previous x29, x30}` at x29;
//! on RISC-V `{previous s0, ra}` just below s0 (at s0 - 16 and s0 - 8).

use core::sync::atomic::{AtomicU32, Ordering};

use ksym::Table;

use crate::console::system_off;
use crate::{print, println};

const MAX_FRAMES: usize = 32;

#[cfg(target_arch = "aarch64")]
const RECORD_BELOW_FP: u64 = 0;
#[cfg(any(target_arch = "riscv64", target_arch = "riscv32"))]
const RECORD_BELOW_FP: u64 = 16;

extern "C" {
    static __stack_bottom: u8;
    static __stack_top: u8;
}

/// Reports being printed (plain loads and stores: with the MMU off, exclusives may fault).
static DEPTH: AtomicU32 = AtomicU32::new(0);

/// A report begins: a second one while the first is printed is a fault inside the handler,
/// reported in one line (`pc_line: pc`), and then the board powers off.
pub fn enter(pc_line: &str, pc: u64) {
    if DEPTH.load(Ordering::Relaxed) != 0 {
        println!("\nnested exception, {}: {:#018x}", pc_line, pc);
        system_off();
    }
    DEPTH.store(1, Ordering::Relaxed);
}

/// The report is over and the kernel carries on (a breakpoint).
pub fn leave() {
    DEPTH.store(0, Ordering::Relaxed);
}

/// The kernel's table, or None after saying why not.
pub fn table() -> Option<Table<'static>> {
    match ksym::kernel_table() {
        Ok(t) => Some(t),
        Err(e) => {
            println!("symbol table unusable: {}", e);
            None
        }
    }
}

/// ` <name+0xoff/0xsize>` for addr (looked up at addr - back), or ` <unknown>` unless quiet.
pub fn sym(t: Option<&Table>, addr: u64, back: u64, quiet: bool) {
    if let Some(t) = t {
        match t.lookup(addr.wrapping_sub(back)) {
            Some(_) => print!(" <{}>", t.describe(addr, back)),
            None if !quiet => print!(" <unknown>"),
            None => {}
        }
    }
}

/// Frame #0 is pc; then the frame records from fp: each 16-byte aligned, inside the stack and
/// above the one before, at most MAX_FRAMES. Return addresses are looked up at their call.
pub fn backtrace(t: Option<&Table>, pc: u64, mut fp: u64) {
    // SAFETY: only the addresses of the linker script's symbols are taken.
    let (lo, hi) = unsafe {
        (
            core::ptr::addr_of!(__stack_bottom) as u64,
            core::ptr::addr_of!(__stack_top) as u64,
        )
    };
    let mut prev = 0;
    println!("Backtrace:");
    print!("  #0 {:#018x}", pc);
    sym(t, pc, 0, false);
    println!();
    for n in 1..MAX_FRAMES {
        let record = fp.wrapping_sub(RECORD_BELOW_FP);
        if fp % 16 != 0 || record < lo || record > hi - 16 || fp <= prev {
            break;
        }
        // SAFETY: the record is 16-byte aligned and inside the stack (checked above).
        let (next, ra) = unsafe { (*(record as *const u64), *((record + 8) as *const u64)) };
        if ra == 0 {
            break;
        }
        print!("  #{} {:#018x}", n, ra);
        sym(t, ra, ksym::CALL_BACK, false);
        println!();
        prev = fp;
        fp = next;
    }
    println!("End of backtrace");
}

/// This code's address and its frame pointer.
#[inline(always)]
fn here() -> (u64, u64) {
    let (pc, fp): (u64, u64);
    // SAFETY: reads the program counter and the frame pointer, nothing else.
    #[cfg(target_arch = "aarch64")]
    unsafe {
        core::arch::asm!("adr {}, .", "mov {}, x29", out(reg) pc, out(reg) fp, options(nomem, nostack))
    };
    // SAFETY: as above.
    #[cfg(any(target_arch = "riscv64", target_arch = "riscv32"))]
    unsafe {
        core::arch::asm!("auipc {}, 0", "mv {}, s0", out(reg) pc, out(reg) fp, options(nomem, nostack))
    };
    (pc, fp)
}

/// The panic report: the location and message, and a backtrace from the handler itself.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let (pc, fp) = here();
    DEPTH.store(1, Ordering::Relaxed);
    println!("\n*** {}", info);
    backtrace(table().as_ref(), pc, fp);
    println!("ksympatch-demo: panic reported");
    system_off();
}
