//! The trap report: scause in words, sepc and stval with symbols, sstatus, the registers and a
//! backtrace from the interrupted code (the shared parts: rkernel::report). A breakpoint resumes
//! after itself; anything else is fatal.

use rkernel::report::{backtrace, enter, leave, sym, table};
use rkernel::{print, println};

use crate::boot::Frame;

const SCAUSE_INTERRUPT: u64 = 1 << 63;
const SCAUSE_ILLEGAL: u64 = 2;
const SCAUSE_BREAKPOINT: u64 = 3;
const SSTATUS_SPP: u64 = 1 << 8;
/// The exception codes whose stval is a faulting address.
const STVAL_ADDR_CAUSES: u64 =
    1 << 0 | 1 << 1 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 12 | 1 << 13 | 1 << 15;

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
    "x0", " ra", " sp", " gp", " tp", " t0", " t1", " t2", " s0", " s1", " a0", " a1", " a2",
    " a3", " a4", " a5", " a6", " a7", " s2", " s3", " s4", " s5", " s6", " s7", " s8", " s9",
    "s10", "s11", " t3", " t4", " t5", " t6",
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
        if f.sstatus & SSTATUS_SPP != 0 {
            "from S-mode"
        } else {
            "from U-mode"
        }
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
    enter("sepc", f.sepc);
    report(f);
    if f.scause == SCAUSE_BREAKPOINT {
        let len = insn_len(f.sepc);
        println!(
            "{}",
            if len == 2 {
                "ebreak: resuming after it (c.ebreak, sepc + 2)"
            } else {
                "ebreak: resuming after it (sepc + 4)"
            }
        );
        f.sepc += len;
        leave();
        return;
    }
    rkernel::fatal();
}
