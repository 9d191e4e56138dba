//! The differential probe (host, std): reads a table in the fuzz target's input format (an 8-byte
//! little-endian count, a flags byte, the placeholder's bytes) and prints what this crate answers,
//! line for line as `tests/probe/probe.c` prints the C runtime's (`tests/test_rust.c` compares).
//!
//!     cargo run --offline --example probe -- FILE

use std::io::Write;

const HDR_END: usize = 44;
const HDR_CHECKSUM: usize = 12;
const HDR_COUNT: usize = 8;
const MAX_SYMS: u32 = 100_000;
const MAX_MATCHES: usize = 64;

fn u32_at(b: &[u8], off: usize, big: bool) -> u32 {
    let w = [b[off], b[off + 1], b[off + 2], b[off + 3]];
    if big {
        u32::from_be_bytes(w)
    } else {
        u32::from_le_bytes(w)
    }
}

/// The fuzz target's flags: 1 reseals the checksum, 2 takes the count from the header.
fn prepare(data: &[u8]) -> Option<(Vec<u8>, u64)> {
    if data.len() < 9 {
        return None;
    }
    let mut count = u64::from_le_bytes(data[..8].try_into().unwrap());
    let mut blob = data[9..].to_vec();
    let big = blob.len() > 5 && blob[5] == 2;
    if data[8] & 1 != 0 && blob.len() >= 88 {
        let end = u32_at(&blob, HDR_END, big) as usize;
        if (88..=blob.len()).contains(&end) {
            let sum = ksym::checksum(&blob[..end]);
            let bytes = if big {
                sum.to_be_bytes()
            } else {
                sum.to_le_bytes()
            };
            blob[HDR_CHECKSUM..HDR_CHECKSUM + 4].copy_from_slice(&bytes);
        }
    }
    if data[8] & 2 != 0 && blob.len() >= 88 {
        count = u64::from(u32_at(&blob, HDR_COUNT, big));
    }
    Some((blob, count))
}

fn escaped(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if (0x21..0x7f).contains(&b) && b != b'\\' {
                (b as char).to_string()
            } else {
                format!("\\x{:02x}", b)
            }
        })
        .collect()
}

fn kind(e: &ksym::Error) -> &'static str {
    match e {
        ksym::Error::Unpatched => "unpatched",
        ksym::Error::Version => "version",
        ksym::Error::Corrupt(_) => "corrupt",
    }
}

fn name_of(t: &ksym::Table, s: &ksym::Symbol) -> Vec<u8> {
    let mut buf = vec![0u8; 256];
    let len = t.name(s, &mut buf);
    if len > buf.len() {
        buf.resize(len, 0);
        t.name(s, &mut buf);
    }
    buf.truncate(len);
    buf
}

fn probe(out: &mut impl Write, data: &[u8]) -> std::io::Result<()> {
    let (blob, count) = match prepare(data) {
        Some(p) => p,
        None => return writeln!(out, "input: too short"),
    };
    let t = match ksym::Table::open(&blob, count) {
        Ok(t) => t,
        Err(e) => return writeln!(out, "open: {} {}", kind(&e), e.reason()),
    };
    writeln!(out, "open: ok")?;
    writeln!(out, "verify: {}", t.verify().map_or_else(|e| e.reason(), |_| "ok"))?;
    let syms: Vec<ksym::Symbol> = t.symbols().take(MAX_SYMS as usize).collect();
    let mut names = Vec::new();
    for s in &syms {
        let name = name_of(&t, s);
        writeln!(
            out,
            "sym {} {:x} {:x} {} {}",
            s.index,
            s.start,
            s.size,
            s.letter,
            escaped(&name)
        )?;
        let shown = format!("{}", t.name_of(s));
        if shown.as_bytes() != escaped_display(&name).as_bytes() {
            writeln!(out, "display differs: {}", shown)?;
        }
        names.push(name);
    }
    writeln!(out, "past-end {}", name_of(&t, &t.symbol(t.len())).len())?;
    let mut addrs = Vec::new();
    for s in &syms {
        for a in [
            s.start.wrapping_sub(1),
            s.start,
            s.start.wrapping_add(s.size / 2),
            s.start.wrapping_add(s.size),
        ] {
            addrs.push(a);
        }
    }
    addrs.extend(
        data.chunks_exact(8)
            .step_by(8)
            .map(|w| u64::from_le_bytes(w.try_into().unwrap())),
    );
    for a in addrs {
        match t.lookup(a) {
            Some(s) => writeln!(
                out,
                "addr {:x} -> {} {:x} {:x} {} {}",
                a,
                s.index,
                s.start,
                s.size,
                s.letter,
                t.describe(a, 0)
            )?,
            None => writeln!(out, "addr {:x} -> none {}", a, t.describe(a, 0))?,
        }
    }
    names.push(Vec::new());
    if let Some(n) = names.first().cloned().filter(|n| !n.is_empty()) {
        names.push(n[..n.len() - 1].to_vec());
    }
    for n in &names {
        let mut all = t.lookup_name(n);
        let first: String = all
            .by_ref()
            .take(MAX_MATCHES)
            .map(|s| format!(" {}", s.index))
            .collect();
        let total = first.matches(' ').count() + all.count();
        writeln!(out, "name {} -> {}{}", escaped(n), total, first)?;
    }
    Ok(())
}

/// What the crate's Display prints for these name bytes (printable ASCII, else \xNN).
fn escaped_display(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                (b as char).to_string()
            } else {
                format!("\\x{:02x}", b)
            }
        })
        .collect()
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: probe FILE");
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {}", path, e));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    probe(&mut out, &data).expect("write");
}
