//! The ksympatch demo kernel in Rust on QEMU virt (AArch64, MMU off): the boot code and the EL1
//! vectors (boot.rs), the synchronous exception report (exception.rs) and the PL011 (uart.rs);
//! the demo itself, the self-test and the panic report are the boards' shared crate, rkernel
//! (board/common/rust).
#![no_std]

mod boot;
mod exception;
mod uart;

ksym::ksym_define_count!();

extern "C" {
    fn _start();
}

#[no_mangle]
extern "C" fn kernel_main() -> ! {
    rkernel::main(&rkernel::Platform {
        boot_option: 0x4007_f000, // below the image, clear of the device tree
        unmapped: 0x09f0_0000,    // a hole in virt's map: a synchronous external abort
        kernel_main,
        start: _start,
        name: "QEMU virt (AArch64)",
    })
}
