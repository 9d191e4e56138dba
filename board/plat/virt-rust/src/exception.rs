//! The synchronous exception report: ELR/ESR/FAR with symbols, SPSR, the registers and a
//! backtrace from the interrupted code (the shared parts: rkernel::report). A breakpoint resumes
//! after itself; anything else is fatal.

use rkernel::report::{backtrace, enter, leave, sym, table};
use rkernel::{print, println};

use crate::boot::Frame;

const EC_BRK64: u64 = 0x3c;

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

/// Called by the vectors (boot.rs).
#[no_mangle]
extern "C" fn rk_handle_exception(f: &mut Frame, index: u64) {
    enter("ELR_EL1", f.elr);
    report(f, index);
    if index % 4 == 0 && f.esr >> 26 & 0x3f == EC_BRK64 {
        println!("brk: resuming after the breakpoint");
        f.elr += 4;
        leave();
        return;
    }
    rkernel::fatal();
}
