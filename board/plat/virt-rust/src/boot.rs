//! Entry and the EL1 vector table, in assembly: `_start` (first in `.text.boot`) drops from EL2 to
//! EL1 if QEMU entered there, sets SCTLR_EL1 (MMU, caches and alignment checks off), the stack,
//! `.bss` and VBAR_EL1, and calls `kernel_main` with a zero frame record so backtraces end there.
//! Each vector saves a [`Frame`], links a frame record `{x29, ELR_EL1}` and calls
//! `rk_handle_exception(frame, index)`; if that returns, the frame is restored and it erets.

/// The registers as the vectors save them (`FRAME_*` below are the same offsets).
#[repr(C)]
pub struct Frame {
    pub x: [u64; 31],
    pub sp: u64,
    pub elr: u64,
    pub esr: u64,
    pub far: u64,
    pub spsr: u64,
    record: [u64; 2],
}

core::arch::global_asm!(
    r#"
    .section .text.boot, "ax"
    .globl _start
    .type _start, %function
_start:
    mrs     x0, mpidr_el1
    tst     x0, #0xff
    b.ne    5f
    mrs     x0, CurrentEL
    cmp     x0, #(2 << 2)
    b.ne    1f
    mov     x0, #(1 << 31)              // HCR_EL2.RW: EL1 is AArch64
    msr     hcr_el2, x0
    mov     x0, #0x3c5                  // EL1h, DAIF masked
    msr     spsr_el2, x0
    adr     x0, 1f
    msr     elr_el2, x0
    eret
1:  mov     x0, #0x0800                 // SCTLR_EL1: RES1 bits, MMU and alignment check off
    movk    x0, #0x30d0, lsl #16
    msr     sctlr_el1, x0
    isb
    adrp    x0, __stack_top
    add     x0, x0, :lo12:__stack_top
    mov     sp, x0
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
2:  cmp     x0, x1
    b.hs    3f
    stp     xzr, xzr, [x0], #16
    b       2b
3:  adrp    x0, rk_vectors
    add     x0, x0, :lo12:rk_vectors
    msr     vbar_el1, x0
    isb
    mov     x29, xzr
    mov     x30, xzr
    bl      kernel_main
5:  wfe
    b       5b
    .size _start, . - _start

    .macro VECTOR index
    .org    rk_vectors + \index * 0x80
    sub     sp, sp, #304
    stp     x0, x1, [sp]
    mov     x1, #\index
    b       rk_exception_entry
    .endm

    .text
    .balign 2048
    .globl rk_vectors
    .type rk_vectors, %function
rk_vectors:
    .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    VECTOR \i
    .endr
    .org    rk_vectors + 16 * 0x80
    .size rk_vectors, . - rk_vectors

    .type rk_exception_entry, %function
rk_exception_entry:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    add     x2, sp, #304
    stp     x30, x2, [sp, #240]
    mrs     x2, elr_el1
    mrs     x3, esr_el1
    stp     x2, x3, [sp, #256]
    mrs     x4, far_el1
    mrs     x5, spsr_el1
    stp     x4, x5, [sp, #272]
    stp     x29, x2, [sp, #288]
    add     x29, sp, #288
    mov     x0, sp
    bl      rk_handle_exception
    ldr     x2, [sp, #256]
    ldr     x3, [sp, #280]
    msr     elr_el1, x2
    msr     spsr_el1, x3
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    ldp     x0, x1, [sp]
    add     sp, sp, #304
    eret
    .size rk_exception_entry, . - rk_exception_entry
"#
);

// The assembly's 304: the frame's size, a multiple of 16 (the stack's alignment).
const _: () = assert!(core::mem::size_of::<Frame>() == 304);
