//! The kernel checks its own table: its functions' addresses to names and names to addresses,
//! against the function pointers, then the whole proof (`verify`).

use ksym::Table;

use crate::{demo, println, Platform};

/// `addr` must be inside the function at `func` that is called `name`.
fn check_addr(t: &Table, name: &str, func: u64, addr: u64) -> bool {
    let sym = t.lookup(addr);
    match sym {
        Some(s) => println!("selftest: addr {:#018x} -> {}", addr, t.located(&s, addr)),
        None => println!("selftest: addr {:#018x} -> not found", addr),
    }
    let mut buf = [0u8; 64];
    sym.map_or(false, |s| {
        s.start == func
            && t.name(&s, &mut buf) == name.len()
            && &buf[..name.len()] == name.as_bytes()
    })
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

pub(crate) fn run(p: &Platform) -> bool {
    let t = match ksym::kernel_table() {
        Ok(t) => t,
        Err(e) => {
            println!(
                "symbol table unusable: {}\nselftest: FAILED (no symbol table)",
                e
            );
            return false;
        }
    };
    println!(
        "symbol table: {} symbols, {} bytes",
        t.len(),
        t.bytes_used()
    );
    let main = p.kernel_main as usize as u64;
    let level1 = demo::level1 as usize as u64;
    let start = p.start as usize as u64;
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
    println!(
        "{}",
        if ok {
            "selftest: ok"
        } else {
            "selftest: FAILED (a lookup disagrees)"
        }
    );
    ok
}
