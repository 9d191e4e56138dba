//! The ksympatch demo kernel in Rust, on QEMU virt (RV64GC, S-mode under OpenSBI, MMU off): a `#![no_std]` kernel that
//! needs nothing in C. It is linked once with the placeholder of `kernel_symbols.ld`, patched with
//! `ksympatch patch --demangle`, and then checks its own symbol table through the `ksym` crate
//! (address to name, name to address, against its function pointers) before raising the fault
//! chosen at boot, whose report names every address. The last line says how the run ended:
//! `ksympatch-demo: PASS`, `... fault reported`, `... panic reported` or `... FAIL <reason>`.
#![no_std]

mod boot;
mod demo;
mod report;
mod uart;

use core::sync::atomic::{AtomicU32, Ordering};

use ksym::Table;

ksym::ksym_define_count!();

/// Where `make run FAULT=...` leaves the boot option (below the image, above what OpenSBI hides).
const BOOT_OPTION: usize = 0x801f_f000;

static SELFTEST_OK: AtomicU32 = AtomicU32::new(0);
static OPTION: AtomicU32 = AtomicU32::new(0);

extern "C" {
    fn _start();
}

/// `addr` must be inside the function at `func` that is called `name`.
fn check_addr(t: &Table, name: &str, func: u64, addr: u64) -> bool {
    let sym = t.lookup(addr);
    match sym {
        Some(s) => println!("selftest: addr {:#018x} -> {}", addr, t.located(&s, addr)),
        None => println!("selftest: addr {:#018x} -> not found", addr),
    }
    let mut buf = [0u8; 64];
    sym.map_or(false, |s| s.start == func && t.name(&s, &mut buf) == name.len() && &buf[..name.len()] == name.as_bytes())
}

/// `name` must be the function at `func`, and only it.
fn check_name(t: &Table, name: &str, func: u64) -> bool {
    let mut found = t.lookup_name(name);
    let first = found.next();
    match first {
        Some(s) => println!("selftest: name {} -> {:#018x}", name, s.start),
        None => println!("selftest: name {} -> not found", name),
    }
    first.map_or(false, |s| s.start == func) && found.next().is_none()
}

fn selftest() -> bool {
    let t = match ksym::kernel_table() {
        Ok(t) => t,
        Err(e) => {
            println!("symbol table unusable: {}\nselftest: FAILED (no symbol table)", e);
            return false;
        }
    };
    println!("symbol table: {} symbols, {} bytes", t.len(), t.bytes_used());
    let main = kernel_main as usize as u64;
    let level1 = demo::level1 as usize as u64;
    let start = _start as usize as u64;
    let ok = [
        check_addr(&t, "kernel_main", main, main),
        check_addr(&t, "rkernel::demo::level1", level1, level1 + 4),
        check_addr(&t, "_start", start, start + 8),
        check_name(&t, "kernel_main", main),
        check_name(&t, "rkernel::demo::level1", level1),
        check_name(&t, "_start", start),
        t.verify().is_ok(),
    ];
    let ok = ok.iter().all(|&x| x);
    println!("{}", if ok { "selftest: ok" } else { "selftest: FAILED (a lookup disagrees)" });
    ok
}

/// After the report of a fatal exception (report.rs).
fn fatal() -> ! {
    if SELFTEST_OK.load(Ordering::Relaxed) != 0 {
        println!("ksympatch-demo: fault reported");
    } else {
        println!("ksympatch-demo: FAIL selftest (then fault reported)");
    }
    if OPTION.load(Ordering::Relaxed) == demo::FAULT_NESTED {
        println!("nested: faulting again inside the handler");
        demo::fault_dabort();
    }
    uart::system_off();
}

#[no_mangle]
extern "C" fn kernel_main() -> ! {
    // SAFETY: RAM below the image; QEMU's loader put the boot option there (or left it 0).
    let option = unsafe { core::ptr::read_volatile(BOOT_OPTION as *const u32) };
    OPTION.store(option, Ordering::Relaxed);
    println!("ksympatch demo kernel in Rust on QEMU virt (riscv64)");
    let ok = selftest();
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
    uart::system_off();
}
