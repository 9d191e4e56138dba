//! The ksympatch demo kernel in Rust on QEMU virt (RV64GC, S-mode under OpenSBI, MMU off): the
//! boot code and the trap entry (boot.rs), the trap report (trap.rs), the NS16550A and SBI
//! power-off (uart.rs); the demo itself, the self-test and the panic report are the boards'
//! shared crate, rkernel (board/common/rust).
#![no_std]

mod boot;
mod trap;
mod uart;

ksym::ksym_define_count!();

extern "C" {
    fn _start();
}

#[no_mangle]
extern "C" fn kernel_main() -> ! {
    rkernel::main(&rkernel::Platform {
        boot_option: 0x801f_f000, // below the image, above what OpenSBI hides
        unmapped: 0x1800_0000,    // between fw_cfg and flash0: a load access fault
        kernel_main,
        start: _start,
        name: "QEMU virt (riscv64)",
    })
}
