//! `print!` and `println!` through the board's console, and its power-off: the two functions a
//! board crate defines (`rk_putc`, `rk_system_off`).

use core::fmt::{self, Write};

extern "Rust" {
    fn rk_putc(b: u8);
    fn rk_system_off() -> !;
}

/// The board's console, as a `core::fmt::Write` ("\n" goes out as "\r\n").
pub struct Console;

impl Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            // SAFETY: the board defines rk_putc; it writes one byte to its UART.
            unsafe {
                if b == b'\n' {
                    rk_putc(b'\r');
                }
                rk_putc(b);
            }
        }
        Ok(())
    }
}

pub fn system_off() -> ! {
    // SAFETY: the board defines rk_system_off; it does not return.
    unsafe { rk_system_off() }
}

#[macro_export]
macro_rules! println {
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = writeln!($crate::console::Console, $($arg)*);
    }};
}

#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = write!($crate::console::Console, $($arg)*);
    }};
}
