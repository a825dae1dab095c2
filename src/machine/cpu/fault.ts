/**
 * How an instruction aborts. Memory accesses and instruction handlers that
 * detect an exception record it on the Cpu/Mmu (vector, error code, cr2) and
 * `throw CPU_FAULT`. The run loop catches it, restores eip to the start of the
 * faulting instruction and exits with Exit.Exception. Because every access
 * that can fault happens before the instruction commits any state (stores are
 * checked first), a fault leaves no partial state.
 *
 * CPU_FAULT is an immutable constant so that throwing allocates nothing.
 */
export const CPU_FAULT: unique symbol = Symbol('cpu fault');
