//! The PL011 UART of QEMU virt and PSCI power-off: the console and the power-off that the
//! shared demo (board/common/rust) calls.

const UART0: usize = 0x0900_0000;
const UART_DR: usize = 0x00;
const UART_FR: usize = 0x18;
const FR_TXFF: u32 = 1 << 5;
/// PSCI 0.2 SYSTEM_OFF (SMC32 function id), through hvc: QEMU virt without EL2 or EL3.
const PSCI_SYSTEM_OFF: u64 = 0x8400_0008;

#[no_mangle]
fn rk_putc(b: u8) {
    let reg = |off| (UART0 + off) as *mut u32;
    // SAFETY: the PL011's registers, mapped at UART0 on this machine; MMIO is 32-bit.
    unsafe {
        while core::ptr::read_volatile(reg(UART_FR)) & FR_TXFF != 0 {}
        core::ptr::write_volatile(reg(UART_DR), u32::from(b));
    }
}

#[no_mangle]
fn rk_system_off() -> ! {
    // SAFETY: PSCI SYSTEM_OFF does not return; nothing is borrowed across it.
    unsafe {
        core::arch::asm!("hvc #0", in("x0") PSCI_SYSTEM_OFF, options(nomem, nostack));
    }
    loop {
        // SAFETY: wait for an interrupt, forever.
        unsafe { core::arch::asm!("wfi", options(nomem, nostack)) };
    }
}
