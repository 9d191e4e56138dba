//! The NS16550A UART of QEMU virt (byte registers) and power-off through SBI (the System Reset
//! extension, then the legacy shutdown call): the console and the power-off that the shared demo
//! (board/common/rust) calls.

const UART0: usize = 0x1000_0000;
const UART_THR: usize = 0;
const UART_LSR: usize = 5;
const LSR_THRE: u8 = 1 << 5;
/// SBI System Reset ("SRST"): function 0, type 0 (shutdown), reason 0.
const SBI_EXT_SRST: usize = 0x5352_5354;
/// The legacy SBI v0.1 shutdown, for firmware without SRST.
const SBI_LEGACY_SHUTDOWN: usize = 0x08;

#[no_mangle]
fn rk_putc(b: u8) {
    let reg = |off| (UART0 + off) as *mut u8;
    // SAFETY: the NS16550A's byte registers, mapped at UART0 on this machine.
    unsafe {
        while core::ptr::read_volatile(reg(UART_LSR)) & LSR_THRE == 0 {}
        core::ptr::write_volatile(reg(UART_THR), b);
    }
}

#[no_mangle]
fn rk_system_off() -> ! {
    // SAFETY: SBI calls that power the machine off; nothing is borrowed across them.
    unsafe {
        core::arch::asm!("ecall", in("a7") SBI_EXT_SRST, in("a6") 0usize,
                         inlateout("a0") 0usize => _, inlateout("a1") 0usize => _, options(nostack));
        core::arch::asm!("ecall", in("a7") SBI_LEGACY_SHUTDOWN, inlateout("a0") 0usize => _, options(nostack));
    }
    loop {
        // SAFETY: wait for an interrupt, forever.
        unsafe { core::arch::asm!("wfi", options(nomem, nostack)) };
    }
}
