//! What the kernel prints when something goes wrong, with every address symbolized through the
//! `ksym` crate: the trap report (sepc, scause in words, stval) and the panic report, each with a
//! frame-pointer backtrace. The table is opened once a report (cheap: O(blocks)); if it is
//! unusable, the report says why and prints raw addresses.
//!
//! RISC-V frame records: s0 is the frame's CFA (sp on entry), the return address is at s0 - 8
//! and the caller's s0 at s0 - 16. rustc (LLVM) saves ra and s0 in leaf functions too with
//! `-C force-frame-pointers=yes`, so the walk needs no leaf special case; the trap entry links a
//! record `{s0, sepc}`, so the faulting function's caller follows sepc.

use core::sync::atomic::{AtomicU32, Ordering};

use ksym::Table;

use crate::boot::Frame;
use crate::uart::system_off;
use crate::{print, println};

const MAX_FRAMES: usize = 32;
const SCAUSE_INTERRUPT: u64 = 1 << 63;
const SCAUSE_ILLEGAL: u64 = 2;
const SCAUSE_BREAKPOINT: u64 = 3;
const SSTATUS_SPP: u64 = 1 << 8;
/// The exception codes whose stval is a faulting address.
const STVAL_ADDR_CAUSES: u64 = 1 << 0 | 1 << 1 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 12 | 1 << 13 | 1 << 15;

extern "C" {
    static __stack_bottom: u8;
    static __stack_top: u8;
}

/// Reports being printed (plain loads and stores: with the MMU off, no atomics are needed).
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

/// The frame records `{previous s0, ra}` at fp - 16: fp 16-byte aligned, the record inside the
/// stack and above the one before, at most MAX_FRAMES; frame #0 is pc.
pub fn backtrace(t: Option<&Table>, pc: u64, mut fp: u64) {
    // SAFETY: only the addresses of the linker script's symbols are taken.
    let (lo, hi) = unsafe { (core::ptr::addr_of!(__stack_bottom) as u64, core::ptr::addr_of!(__stack_top) as u64) };
    let mut prev = 0;
    println!("Backtrace:");
    print!("  #0 {:#018x}", pc);
    sym(t, pc, 0, false);
    println!();
    for n in 1..MAX_FRAMES {
        if fp % 16 != 0 || fp < lo + 16 || fp > hi || fp <= prev {
            break;
        }
        // SAFETY: fp - 16 is a 16-byte aligned record inside the stack (checked above).
        let (next, ra) = unsafe { (*((fp - 16) as *const u64), *((fp - 8) as *const u64)) };
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

fn cause_name(scause: u64) -> &'static str {
    let code = scause & !SCAUSE_INTERRUPT;
    if scause & SCAUSE_INTERRUPT != 0 {
        return match code {
            1 => "Supervisor software interrupt",
            5 => "Supervisor timer interrupt",
            9 => "Supervisor external interrupt",
            _ => "unlisted interrupt",
        };
    }
    match code {
        0 => "Instruction address misaligned",
        1 => "Instruction access fault",
        2 => "Illegal instruction",
        3 => "Breakpoint",
        4 => "Load address misaligned",
        5 => "Load access fault",
        6 => "Store/AMO address misaligned",
        7 => "Store/AMO access fault",
        8 => "Environment call from U-mode",
        9 => "Environment call from S-mode",
        12 => "Instruction page fault",
        13 => "Load page fault",
        15 => "Store/AMO page fault",
        _ => "unlisted exception",
    }
}

const REG_NAMES: [&str; 32] = [
    "x0", " ra", " sp", " gp", " tp", " t0", " t1", " t2", " s0", " s1", " a0", " a1", " a2", " a3", " a4", " a5",
    " a6", " a7", " s2", " s3", " s4", " s5", " s6", " s7", " s8", " s9", "s10", "s11", " t3", " t4", " t5", " t6",
];

fn report(f: &Frame) {
    let t = table();
    let t = t.as_ref();
    println!("\n*** {} (scause {:#x})", cause_name(f.scause), f.scause);
    print!("sepc: {:#018x}", f.sepc);
    sym(t, f.sepc, 0, false);
    println!("\nscause: {:#018x}", f.scause);
    print!("stval: {:#018x}", f.stval);
    if f.scause & SCAUSE_INTERRUPT == 0 && f.scause < 64 && STVAL_ADDR_CAUSES >> f.scause & 1 != 0 {
        sym(t, f.stval, 0, true);
    } else if f.scause == SCAUSE_ILLEGAL {
        print!(" (the instruction's bits)");
    }
    println!(
        "\nsstatus: {:#018x} ({})",
        f.sstatus,
        if f.sstatus & SSTATUS_SPP != 0 { "from S-mode" } else { "from U-mode" }
    );
    for i in 1..32 {
        print!(
            "{}{}: {:#018x}{}",
            if i % 4 == 1 { "" } else { " " },
            REG_NAMES[i],
            f.x[i],
            if i % 4 == 0 || i == 31 { "\n" } else { "" }
        );
    }
    backtrace(t, f.sepc, f.x[8]);
}

/// The length of the instruction at pc: 2 when compressed (low bits not 11).
fn insn_len(pc: u64) -> u64 {
    // SAFETY: pc is the address of the instruction that trapped, in the kernel's code.
    if unsafe { core::ptr::read_volatile(pc as *const u16) } & 3 == 3 {
        4
    } else {
        2
    }
}

/// Called by the trap entry (boot.rs). A breakpoint resumes after itself; anything else is fatal.
#[no_mangle]
extern "C" fn rk_handle_trap(f: &mut Frame) {
    if DEPTH.load(Ordering::Relaxed) != 0 {
        println!("\nnested exception, sepc: {:#018x}", f.sepc);
        system_off();
    }
    DEPTH.store(1, Ordering::Relaxed);
    report(f);
    if f.scause == SCAUSE_BREAKPOINT {
        let len = insn_len(f.sepc);
        println!("{}", if len == 2 { "ebreak: resuming after it (c.ebreak, sepc + 2)" } else { "ebreak: resuming after it (sepc + 4)" });
        f.sepc += len;
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
    unsafe { core::arch::asm!("auipc {}, 0", "mv {}, s0", out(reg) pc, out(reg) fp, options(nomem, nostack)) };
    DEPTH.store(1, Ordering::Relaxed);
    println!("\n*** {}", info);
    backtrace(table().as_ref(), pc, fp);
    println!("ksympatch-demo: panic reported");
    system_off();
}
