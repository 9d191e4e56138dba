//! The crate on tables that ksympatch wrote into the test fixtures (`tests/data/NAME.table`: the
//! count, a flags byte and the table, as the fuzz target reads them), against `nm -n -S` of the
//! same ELFs (`NAME.nm`; `nm -C` for the C++ kernel patched with `--demangle=full`).
//! `make rust-test-data` in the repository writes both again.

use ksym::{Error, Symbol, Table};

struct NmLine {
    start: u64,
    size: Option<u64>,
    letter: u8,
    name: String,
}

fn data(name: &str, ext: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{}.{}", env!("CARGO_MANIFEST_DIR"), name, ext);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {}", path, e))
}

/// The table's bytes and its count.
fn table_file(name: &str) -> (Vec<u8>, u64) {
    let d = data(name, "table");
    (
        d[9..].to_vec(),
        u64::from_le_bytes(d[..8].try_into().unwrap()),
    )
}

/// `nm -n -S` lines: "start [size] letter name", the name possibly with spaces (nm -C).
fn nm(name: &str) -> Vec<NmLine> {
    let text = String::from_utf8(data(name, "nm")).unwrap();
    text.lines()
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, ' ').collect();
            let hex = |s: &str| u64::from_str_radix(s, 16).unwrap();
            if f[1].len() == 1 {
                NmLine {
                    start: hex(f[0]),
                    size: None,
                    letter: f[1].as_bytes()[0],
                    name: l.splitn(3, ' ').nth(2).unwrap().into(),
                }
            } else {
                NmLine {
                    start: hex(f[0]),
                    size: Some(hex(f[1])),
                    letter: f[2].as_bytes()[0],
                    name: f[3].into(),
                }
            }
        })
        .collect()
}

fn name(t: &Table, s: &Symbol) -> String {
    let mut buf = [0u8; 1024]; // the llvm fixture's longest name is 545 bytes
    let n = t.name(s, &mut buf);
    assert!(n <= buf.len());
    String::from_utf8(buf[..n].to_vec()).unwrap()
}

const FIXTURES: [&str; 6] = ["gnu-le", "gnu-be", "lld-arm32", "glibc", "llvm", "cxx"];

#[test]
fn every_symbol_agrees_with_nm() {
    for f in FIXTURES {
        let (blob, count) = table_file(f);
        let t = Table::open(&blob, count).unwrap();
        let lines = nm(f);
        assert_eq!(t.verify(), Ok(()), "{}", f);
        assert_eq!(t.symbols().count() as u64, count);
        for s in t.symbols() {
            let n = name(&t, &s);
            let line = lines
                .iter()
                .find(|l| l.start == s.start && l.name == n && l.letter == s.letter);
            let line = line.unwrap_or_else(|| panic!("{}: {:x} {} not in nm", f, s.start, n));
            if let Some(size) = line.size {
                assert_eq!(size, s.size, "{}: size of {}", f, n);
            }
            assert_eq!(t.symbol(s.index), s);
        }
    }
}

#[test]
fn every_address_inside_a_symbol_finds_the_innermost_one() {
    for f in FIXTURES {
        let (blob, count) = table_file(f);
        let t = Table::open(&blob, count).unwrap();
        let syms: Vec<Symbol> = t.symbols().collect();
        for s in syms.iter().filter(|s| s.size > 0) {
            for a in [s.start, s.start + s.size / 2, s.start + s.size - 1] {
                let got = t
                    .lookup(a)
                    .unwrap_or_else(|| panic!("{}: nothing at {:x}", f, a));
                // The innermost: the greatest start that holds a, then the smallest size.
                let best = syms
                    .iter()
                    .filter(|x| x.contains(a))
                    .max_by_key(|x| (x.start, u64::MAX - x.size))
                    .unwrap();
                assert!(got.contains(a));
                assert_eq!(
                    (got.start, got.size),
                    (best.start, best.size),
                    "{}: {:x}",
                    f,
                    a
                );
            }
        }
        let last = syms.iter().map(|s| s.start + s.size).max().unwrap();
        assert_eq!(
            t.lookup(last.max(syms.last().unwrap().start + 1) + 0x10000),
            None
        );
        assert_eq!(t.lookup(syms[0].start.wrapping_sub(1)), None);
    }
}

#[test]
fn every_name_finds_all_its_symbols_in_address_order() {
    for f in FIXTURES {
        let (blob, count) = table_file(f);
        let t = Table::open(&blob, count).unwrap();
        let names: Vec<String> = t.symbols().map(|s| name(&t, &s)).collect();
        for n in &names {
            let want: Vec<u32> = (0..count as u32)
                .filter(|&i| &names[i as usize] == n)
                .collect();
            let got: Vec<u32> = t.lookup_name(n.as_bytes()).map(|x| x.index).collect();
            assert_eq!(got, want, "{}: {}", f, n);
        }
        assert_eq!(t.lookup_name("no such symbol at all").count(), 0);
    }
}

#[test]
fn display_prints_name_offset_and_size() {
    let (blob, count) = table_file("cxx");
    let t = Table::open(&blob, count).unwrap();
    let line = nm("cxx")
        .into_iter()
        .find(|l| l.name == "demo::trace(int, int)")
        .unwrap();
    let size = line.size.unwrap();
    let text = format!("{}", t.describe(line.start + 8, 0));
    assert_eq!(text, format!("demo::trace(int, int)+0x8/{:#x}", size));
    // A return address just past the function is looked up inside its call.
    let ra = line.start + size;
    assert!(
        format!("{}", t.describe(ra, ksym::CALL_BACK.max(1))).starts_with("demo::trace(int, int)+")
    );
    assert_eq!(format!("{}", t.describe(0x10, 0)), "0x10");
}

#[test]
fn a_short_buffer_gets_the_start_of_the_name_and_its_whole_length() {
    let (blob, count) = table_file("glibc");
    let t = Table::open(&blob, count).unwrap();
    let s = t.lookup_name("__libc_start_main").next().unwrap();
    let mut buf = [0u8; 6];
    assert_eq!(t.name(&s, &mut buf), "__libc_start_main".len());
    assert_eq!(&buf, b"__libc");
}

#[test]
fn unpatched_placeholder_is_reported_as_unpatched() {
    let zero = [0u8; 4096];
    assert_eq!(Table::open(&zero, 0).unwrap_err(), Error::Unpatched);
    assert_eq!(
        Table::open(&zero, 5).unwrap_err(),
        Error::Corrupt("bad magic")
    );
}

#[test]
fn another_format_version_is_refused_as_such() {
    let (mut blob, count) = table_file("gnu-le");
    blob[4] = 2;
    assert_eq!(Table::open(&blob, count).unwrap_err(), Error::Version);
    assert_eq!(Error::Version.reason(), "wrong format version");
}

#[test]
fn any_changed_byte_is_caught() {
    let (blob, count) = table_file("gnu-le");
    let end = Table::open(&blob, count).unwrap().bytes_used() as usize;
    for i in 0..end {
        for bit in 0..8 {
            let mut b = blob.clone();
            b[i] ^= 1 << bit;
            assert!(Table::open(&b, count).is_err(), "byte {} bit {}", i, bit);
        }
    }
}

#[test]
fn a_table_cut_short_is_corrupt_not_a_panic() {
    let (blob, count) = table_file("glibc");
    for len in (0..blob.len()).step_by(97) {
        assert!(
            matches!(Table::open(&blob[..len], count), Err(Error::Corrupt(_))),
            "{}",
            len
        );
    }
}

#[test]
fn wrong_count_is_named() {
    let (blob, count) = table_file("gnu-be");
    assert_eq!(
        Table::open(&blob, count + 1).unwrap_err().reason(),
        "record count disagrees with NUM_KERNEL_SYMBOLS"
    );
}

/// A small deterministic generator, so a failing mutant can be made again from its number.
fn next_rand(s: &mut u32) -> u32 {
    *s = s.wrapping_mul(1_103_515_245).wrapping_add(12_345);
    *s >> 8
}

/// Every reader on a table open accepted: none may panic (overflows are checked in test builds).
fn read_everything(t: &Table) {
    let _ = t.verify();
    let mut buf = [0u8; 64];
    for s in t.symbols().chain(core::iter::once(t.symbol(t.len()))) {
        let n = t.name(&s, &mut buf);
        let _ = format!("{}", t.located(&s, s.start.wrapping_add(s.size / 2)));
        for a in [
            s.start.wrapping_sub(1),
            s.start,
            s.start.wrapping_add(s.size),
        ] {
            if let Some(hit) = t.lookup(a) {
                assert!(hit.contains(a), "an answer holds its address");
            }
        }
        if n <= buf.len() {
            let _ = t.lookup_name(&buf[..n]).count();
        }
    }
}

#[test]
fn damaged_tables_are_refused_or_read_without_a_panic() {
    let mut seed = 7;
    let (mut opened, mut refused) = (0, 0);
    for f in ["glibc", "gnu-be", "cxx"] {
        let (blob, count) = table_file(f);
        let end = Table::open(&blob, count).unwrap().bytes_used() as usize;
        for _ in 0..300 {
            let mut b = blob.clone();
            for _ in 0..1 + next_rand(&mut seed) % 4 {
                let at = 16 + next_rand(&mut seed) as usize % (end - 16);
                b[at] ^= 1 + (next_rand(&mut seed) % 255) as u8;
            }
            let sum = ksym::checksum(&b[..end]);
            let sum = if b[5] == 2 {
                sum.to_be_bytes()
            } else {
                sum.to_le_bytes()
            };
            b[12..16].copy_from_slice(&sum);
            match Table::open(&b, count) {
                Ok(t) => {
                    opened += 1;
                    read_everything(&t);
                }
                Err(_) => refused += 1,
            }
        }
    }
    assert!(
        opened > 100 && refused > 100,
        "opened {}, refused {}",
        opened,
        refused
    );
}
