//! What the kernel prints when something goes wrong, with every address symbolized through the
//! `ksym` crate: the synchronous exception report (ELR/ESR/FAR) and the panic report, each with a
//! frame-pointer backtrace. The table is opened once a report (cheap: O(blocks)); if it is
//! unusable, the report says why and prints raw addresses.

use core::sync::atomic::{AtomicU32, Ordering};

use ksym::Table;

use crate::boot::Frame;
use crate::uart::system_off;
use crate::{print, println};

const MAX_FRAMES: usize = 32;
const EC_BRK64: u64 = 0x3c;

extern "C" {
    static __stack_bottom: u8;
    static __stack_top: u8;
}

/// Reports being printed (plain loads and stores: with the MMU off, exclusives may fault).
static DEPTH: AtomicU32 = AtomicU32::new(0);

/// The kernel's table, or None after saying why not.
fn table() -> Option<Table<'static>> {
    match ksym::kernel_table() {
        Ok(t) => Some(t),
        Err(e) => {
            println!("symbol table unusable: {}", e);
            None
        }
    }
}

/// ` <name+0xoff/0xsize>` for addr (looked up at addr - back), or ` <unknown>`.
fn sym(t: Option<&Table>, addr: u64, back: u64, quiet: bool) {
    if let Some(t) = t {
        match t.lookup(addr.wrapping_sub(back)) {
            Some(_) => print!(" <{}>", t.describe(addr, back)),
            None if !quiet => print!(" <unknown>"),
            None => {}
        }
    }
}

/// The frame records `{previous x29, x30}` from fp: each 16-byte aligned, inside the stack and
/// above the one before, at most MAX_FRAMES; frame #0 is pc.
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
        if fp % 16 != 0 || fp < lo || fp > hi - 16 || fp <= prev {
            break;
        }
        // SAFETY: fp is a 16-byte aligned address inside the stack (checked above).
        let (next, lr) = unsafe { (*(fp as *const u64), *((fp + 8) as *const u64)) };
        if lr == 0 {
            break;
        }
        print!("  #{} {:#018x}", n, lr);
        sym(t, lr, ksym::CALL_BACK, false);
        println!();
        prev = fp;
        fp = next;
    }
    println!("End of backtrace");
}

fn ec_name(ec: u64) -> &'static str {
    match ec {
        0x00 => "Unknown reason / undefined instruction",
        0x15 => "SVC instruction (AArch64)",
        0x21 => "Instruction Abort, same EL",
        0x22 => "PC alignment fault",
        0x25 => "Data Abort, same EL",
        0x26 => "SP alignment fault",
        EC_BRK64 => "BRK instruction (AArch64)",
        _ => "unlisted exception class",
    }
}

fn report(f: &Frame, index: u64) {
    let t = table();
    let t = t.as_ref();
    let ec = f.esr >> 26 & 0x3f;
    let kind = ["Synchronous exception", "IRQ", "FIQ", "SError"][(index % 4) as usize];
    let from = [
        "current EL, SP_EL0",
        "current EL, SP_ELx",
        "lower EL, AArch64",
        "lower EL, AArch32",
    ];
    println!("\n*** {} from {}", kind, from[(index / 4 % 4) as usize]);
    print!("ELR_EL1: {:#018x}", f.elr);
    sym(t, f.elr, 0, false);
    println!(
        "\nESR_EL1: {:#018x} (EC {:#04x}, {})",
        f.esr,
        ec,
        ec_name(ec)
    );
    print!("FAR_EL1: {:#018x}", f.far);
    sym(t, f.far, 0, true);
    println!("\nSPSR_EL1: {:#018x}", f.spsr);
    for (i, x) in f.x.iter().enumerate() {
        print!(
            "{}x{:<2}: {:#018x}{}",
            if i % 4 != 0 { " " } else { "" },
            i,
            x,
            if i % 4 == 3 { "\n" } else { "" }
        );
    }
    println!("  sp: {:#018x}", f.sp);
    backtrace(t, f.elr, f.x[29]);
}

/// Called by the vectors (boot.rs). A breakpoint resumes after itself; anything else is fatal.
#[no_mangle]
extern "C" fn rk_handle_exception(f: &mut Frame, index: u64) {
    if DEPTH.load(Ordering::Relaxed) != 0 {
        println!("\nnested exception, ELR_EL1: {:#018x}", f.elr);
        system_off();
    }
    DEPTH.store(1, Ordering::Relaxed);
    report(f, index);
    if index % 4 == 0 && f.esr >> 26 & 0x3f == EC_BRK64 {
        println!("brk: resuming after the breakpoint");
        f.elr += 4;
        DEPTH.store(0, Ordering::Relaxed);
        return;
    }
    crate::fatal();
}

/// The panic report: the location and message, and a backtrace from the handler itself.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let (pc, fp): (u64, u64);
    // SAFETY: reads this code's address and frame pointer (-C force-frame-pointers=yes).
    unsafe {
        core::arch::asm!("adr {}, .", "mov {}, x29", out(reg) pc, out(reg) fp, options(nomem, nostack))
    };
    DEPTH.store(1, Ordering::Relaxed);
    println!("\n*** {}", info);
    backtrace(table().as_ref(), pc, fp);
    println!("ksympatch-demo: panic reported");
    system_off();
}
