/**
 * Recognises, from raw bytes, the few instructions the driver must treat
 * specially while single-stepping the real process: those that enter the
 * kernel (int 0x80, sysenter, syscall), cpuid and rdtsc (the real process must
 * see the vcpu's answer) and rep-prefixed string instructions (the real CPU traps after
 * each iteration). Also disassembles for reports, with objdump when present.
 */
import { spawnSync } from 'node:child_process';

export type InstructionKind = 'syscall' | 'cpuid' | 'rdtsc' | 'rep-string' | 'other';

const LEGACY_PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);
/** movs, cmps, stos, lods, scas, ins, outs (Intel SDM 2B rep). */
const STRING_OPCODES = new Set([0x6c, 0x6d, 0x6e, 0x6f, 0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf]);

export function classifyInstruction(bytes: Uint8Array): InstructionKind {
  let i = 0;
  let rep = false;
  while (i < bytes.length && LEGACY_PREFIXES.has(bytes[i])) {
    if (bytes[i] === 0xf2 || bytes[i] === 0xf3) rep = true;
    i++;
  }
  const op = bytes[i], next = bytes[i + 1];
  if (op === 0xcd && next === 0x80) return 'syscall';
  if (op === 0x0f && (next === 0x34 || next === 0x05)) return 'syscall';
  if (op === 0x0f && next === 0xa2) return 'cpuid';
  if (op === 0x0f && next === 0x31) return 'rdtsc';
  if (rep && STRING_OPCODES.has(op)) return 'rep-string';
  return 'other';
}

/** An x87 instruction (escape opcodes D8..DF, or fwait): the single-step comparison checks the FPU after it. */
export function isX87(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && LEGACY_PREFIXES.has(bytes[i])) i++;
  return (bytes[i] >= 0xd8 && bytes[i] <= 0xdf) || bytes[i] === 0x9b;
}

/** `objdump -D -b binary -mi386` of the first instruction at `address`, or '' without objdump. */
export function disassemble(bytes: Uint8Array, address: number): string {
  const result = spawnSync('objdump', ['-D', '-b', 'binary', '-mi386', `--adjust-vma=0x${address.toString(16)}`, '/dev/stdin'],
    { input: Buffer.from(bytes), encoding: 'utf8' });
  if (result.status !== 0) return '';
  const line = result.stdout.split('\n').find((l) => l.trim().startsWith(address.toString(16) + ':'));
  return line?.trim() ?? '';
}
