//! The faults the demo raises four calls deep, chosen at boot by the word QEMU's loader stores at
//! the board's boot-option address (`make run BOARD=... FAULT=...`; the numbers are
//! board/common/demo.h's; 1, dabort, is also what any other number gets).

use core::sync::atomic::{AtomicUsize, Ordering};

use crate::println;

pub const FAULT_UNDEF: u32 = 2;
pub const FAULT_BRK: u32 = 3;
pub const FAULT_NONE: u32 = 4;
pub const FAULT_NESTED: u32 = 5;
pub const FAULT_PANIC: u32 = 7;

/// The board's address that nothing answers at.
static UNMAPPED: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn set_unmapped(addr: usize) {
    UNMAPPED.store(addr, Ordering::Relaxed);
}

#[inline(never)]
pub fn fault_dabort() {
    // SAFETY: none: the point is the fault (nothing answers at this address).
    unsafe { core::ptr::read_volatile(UNMAPPED.load(Ordering::Relaxed) as *const u64) };
}

#[inline(never)]
fn fault_undef() {
    // SAFETY: an undefined instruction, to be reported.
    #[cfg(target_arch = "aarch64")]
    unsafe {
        core::arch::asm!("udf #0")
    };
    // SAFETY: an illegal instruction (c.unimp), to be reported.
    #[cfg(any(target_arch = "riscv64", target_arch = "riscv32"))]
    unsafe {
        core::arch::asm!("unimp")
    };
}

#[inline(never)]
fn fault_brk() {
    // SAFETY: a breakpoint; the handler resumes after it.
    #[cfg(target_arch = "aarch64")]
    unsafe {
        core::arch::asm!("brk #0")
    };
    // SAFETY: a breakpoint (c.ebreak); the handler resumes after it.
    #[cfg(any(target_arch = "riscv64", target_arch = "riscv32"))]
    unsafe {
        core::arch::asm!("ebreak")
    };
}

#[inline(never)]
fn no_fault() {}

#[inline(never)]
fn fault_panic() {
    let depth = 3usize;
    // SAFETY: a read of a local, volatile so that the message is formatted at run time.
    let depth = unsafe { core::ptr::read_volatile(&depth) };
    panic!("demo panic, {} calls deep", depth);
}

/// The fault for a boot option, its name and whether it is fatal (0 or unknown: dabort).
pub fn pick(option: u32) -> (fn(), &'static str, bool) {
    match option {
        FAULT_UNDEF => (fault_undef, "undef", true),
        FAULT_BRK => (fault_brk, "brk", false),
        FAULT_NONE => (no_fault, "none", false),
        FAULT_NESTED => (fault_dabort, "nested", true),
        FAULT_PANIC => (fault_panic, "panic", true),
        _ => (fault_dabort, "dabort", true),
    }
}

/// Something after the call, so that it is not a tail call: every level keeps its frame record.
#[inline(always)]
fn keep_frame() {
    // SAFETY: an empty statement the compiler may not remove or move.
    unsafe { core::arch::asm!("") };
}

#[inline(never)]
pub fn level2(raise: fn()) {
    raise();
    keep_frame();
}

#[inline(never)]
pub fn level1(raise: fn()) {
    level2(raise);
    keep_frame();
}

#[inline(never)]
pub fn run_fault(option: u32) {
    let (raise, name, _) = pick(option);
    println!("fault: {}", name);
    level1(raise);
    keep_frame();
}
