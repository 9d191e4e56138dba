//! Entry and the S-mode trap entry, in assembly: `_start` (first in `.text.boot`, where OpenSBI
//! enters at 0x80200000) masks interrupts, turns the FPU on (riscv64gc code may use FP registers),
//! sets the stack, `.bss` and stvec, and calls `kernel_main` with s0 = ra = 0 so backtraces end
//! there. The trap entry saves a [`Frame`], links a frame record `{s0, sepc}` below s0 (the RISC-V
//! layout: caller's s0 at s0 - 16, return address at s0 - 8) and calls `rk_handle_trap(frame)`;
//! if that returns, the frame is restored and it srets.

/// The registers as the trap entry saves them (x[0] is 0, x[2] the sp before the trap).
#[repr(C)]
pub struct Frame {
    pub x: [u64; 32],
    pub sepc: u64,
    pub scause: u64,
    pub stval: u64,
    pub sstatus: u64,
    record: [u64; 2],
}

core::arch::global_asm!(
    r#"
    .section .text.boot, "ax"
    .globl _start
    .type _start, @function
_start:
    csrw    sie, zero
    csrci   sstatus, 2                  // SIE
    li      t0, (1 << 13)               // sstatus.FS = Initial: the FPU on
    csrs    sstatus, t0
    la      sp, __stack_top
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    sd      zero, 8(t0)
    addi    t0, t0, 16
    j       1b
2:  la      t0, rk_trap_entry
    csrw    stvec, t0
    li      s0, 0
    li      ra, 0
    call    kernel_main
3:  wfi
    j       3b
    .size _start, . - _start

    .text
    .balign 4                           // stvec's base must be 4-byte aligned
    .globl rk_trap_entry
    .type rk_trap_entry, @function
rk_trap_entry:
    addi    sp, sp, -304
    sd      x1, 8(sp)
    .irp n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd      x\n, (8 * \n)(sp)
    .endr
    sd      zero, 0(sp)
    addi    t0, sp, 304
    sd      t0, 16(sp)                  // sp before the trap
    csrr    t0, sepc
    csrr    t1, scause
    csrr    t2, stval
    csrr    t3, sstatus
    sd      t0, 256(sp)
    sd      t1, 264(sp)
    sd      t2, 272(sp)
    sd      t3, 280(sp)
    sd      s0, 288(sp)                 // the record (s0, sepc)
    sd      t0, 296(sp)
    addi    s0, sp, 304
    mv      a0, sp
    call    rk_handle_trap
    ld      t0, 256(sp)
    ld      t1, 280(sp)
    csrw    sepc, t0
    csrw    sstatus, t1
    ld      x1, 8(sp)
    .irp n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    ld      x\n, (8 * \n)(sp)
    .endr
    addi    sp, sp, 304
    sret
    .size rk_trap_entry, . - rk_trap_entry
"#
);

// The assembly's 304: the frame's size, a multiple of 16 (the stack's alignment).
const _: () = assert!(core::mem::size_of::<Frame>() == 304);
