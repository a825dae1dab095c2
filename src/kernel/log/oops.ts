/**
 * An oops: what a kernel panic prints instead of a bare JavaScript stack —
 * the user registers of the current task, the task, and the kernel trace.
 * The run loop catches a KernelPanic, logs the oops and stops the machine.
 */
import { hex } from '../../base/u32.js';

export interface OopsRegisters {
  readonly gpr: Int32Array;
  readonly eip: number;
  readonly eflags: number;
}

export function formatOops(reason: string, registers: OopsRegisters | null, task: string, trace: string | undefined): string {
  const lines = [`Kernel panic - not syncing: ${reason}`, `task: ${task}`];
  if (registers) {
    const g = registers.gpr;
    lines.push(`EIP: ${hex(registers.eip)} EFLAGS: ${hex(registers.eflags)}`);
    lines.push(`EAX: ${hex(g[0] ?? 0)} EBX: ${hex(g[3] ?? 0)} ECX: ${hex(g[1] ?? 0)} EDX: ${hex(g[2] ?? 0)}`);
    lines.push(`ESI: ${hex(g[6] ?? 0)} EDI: ${hex(g[7] ?? 0)} EBP: ${hex(g[5] ?? 0)} ESP: ${hex(g[4] ?? 0)}`);
  }
  lines.push('Call Trace:');
  for (const frame of (trace ?? '').split('\n').slice(1, 12)) lines.push(' ' + frame.trim());
  lines.push('---[ end Kernel panic ]---');
  return lines.join('\n');
}
