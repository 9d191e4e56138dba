//! The ksympatch demo kernel in Rust, the part every board shares (board/plat/virt-rust*): a
//! `#![no_std]` kernel that needs nothing in C. It is linked once with the placeholder of
//! `kernel_symbols.ld`, patched with `ksympatch patch --demangle`, and then checks its own symbol
//! table through the `ksym` crate (address to name, name to address, against its function
//! pointers) before raising the fault chosen at boot, whose report names every address. The last
//! line says how the run ended: `ksympatch-demo: PASS`, `... fault reported`, `... panic
//! reported` or `... FAIL <reason>`.
//!
//! A board crate (a static library) brings the boot code, the exception or trap entry and its
//! report, and defines the console and the power-off this crate calls:
//! `#[no_mangle] fn rk_putc(b: u8)` and `#[no_mangle] fn rk_system_off() -> !`.
#![no_std]

pub mod console;
pub mod demo;
pub mod report;
mod selftest;

use core::sync::atomic::{AtomicU32, Ordering};

/// What a board tells the demo.
pub struct Platform {
    /// Where `make run FAULT=...` leaves the boot option (board/common/demo.h's numbers).
    pub boot_option: usize,
    /// An address nothing answers at: a load there faults.
    pub unmapped: usize,
    /// Its `kernel_main` and `_start`, for the self-test.
    pub kernel_main: extern "C" fn() -> !,
    pub start: unsafe extern "C" fn(),
    /// How it says where it runs, e.g. "QEMU virt (AArch64)".
    pub name: &'static str,
}

static SELFTEST_OK: AtomicU32 = AtomicU32::new(0);
static OPTION: AtomicU32 = AtomicU32::new(0);

/// After the report of a fatal exception: how the run ended, and for `nested` a second fault.
pub fn fatal() -> ! {
    if SELFTEST_OK.load(Ordering::Relaxed) != 0 {
        println!("ksympatch-demo: fault reported");
    } else {
        println!("ksympatch-demo: FAIL selftest (then fault reported)");
    }
    if OPTION.load(Ordering::Relaxed) == demo::FAULT_NESTED {
        println!("nested: faulting again inside the handler");
        demo::fault_dabort();
    }
    console::system_off();
}

/// The demo, from the board's `kernel_main`.
pub fn main(p: &Platform) -> ! {
    // SAFETY: RAM below the image, where QEMU's loader put the boot option (or left it 0).
    let option = unsafe { core::ptr::read_volatile(p.boot_option as *const u32) };
    OPTION.store(option, Ordering::Relaxed);
    demo::set_unmapped(p.unmapped);
    println!("ksympatch demo kernel in Rust on {}", p.name);
    let ok = selftest::run(p);
    SELFTEST_OK.store(u32::from(ok), Ordering::Relaxed);
    demo::run_fault(option);
    let (_, name, fatal) = demo::pick(option);
    if name == "brk" {
        println!("brk: returned from the breakpoint handler, carrying on");
    }
    if fatal {
        println!("ksympatch-demo: FAIL the fault did not trap");
    } else if !ok {
        println!("ksympatch-demo: FAIL selftest");
    } else {
        println!("ksympatch-demo: PASS");
    }
    console::system_off();
}
