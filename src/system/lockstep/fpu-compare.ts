/**
 * Compares two x87 states in the 108-byte fnsave layout (Intel SDM 1
 * §8.1.10, 32-bit protected mode): control word, status word, tag word and
 * the contents of every non-empty register. The last-instruction pointers
 * (FIP, FCS, FOP, FDP, FDS) are not compared: the selectors differ between a
 * 64-bit kernel's compat segments and the vcpu's, and no program here reads them.
 */
import { hex } from './register-compare.js';

const CONTROL = 0, STATUS = 4, TAG = 8, REGISTERS = 28;
/** The tag of an empty register (Intel SDM 1 §8.1.7). */
const EMPTY = 3;

export function compareFpu(real: Uint8Array, vcpu: Uint8Array): string[] {
  const differences: string[] = [];
  const word = (state: Uint8Array, at: number): number => state[at] | (state[at + 1] << 8);
  for (const [name, at] of [['fpu control', CONTROL], ['fpu status', STATUS], ['fpu tag', TAG]] as const) {
    if (word(real, at) !== word(vcpu, at)) differences.push(`${name}: real ${hex(word(real, at))} vcpu ${hex(word(vcpu, at))}`);
  }
  if (differences.length > 0) return differences;
  const top = (word(real, STATUS) >> 11) & 7;
  const tags = word(real, TAG);
  for (let i = 0; i < 8; i++) {
    if (((tags >> (((top + i) & 7) * 2)) & 3) === EMPTY) continue;
    const at = REGISTERS + i * 10;
    const realBytes = real.subarray(at, at + 10), vcpuBytes = vcpu.subarray(at, at + 10);
    if (!realBytes.every((byte, j) => byte === vcpuBytes[j])) {
      differences.push(`st(${i}): real ${formatExtended(realBytes)} vcpu ${formatExtended(vcpuBytes)}`);
    }
  }
  return differences;
}

/** An 80-bit register as sign/exponent and 64-bit significand in hex. */
function formatExtended(bytes: Uint8Array): string {
  const hexBytes = [...bytes].reverse().map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hexBytes.slice(0, 4)}:${hexBytes.slice(4)}`;
}
