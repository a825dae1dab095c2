/**
 * The PC's I/O port space (64 KiB of ports). Devices claim port ranges; an
 * access is routed to the device with its offset in the range. Unclaimed
 * ports float high on reads and drop writes, as on a real bus. Wider
 * accesses to a device that only decodes bytes are split into byte accesses.
 */
import type { IoPorts } from '../../hal/platform.js';

/** A device's port range. `offset` is port - base. Only in8/out8 are required. */
export interface PortDevice {
  in8(offset: number): number;
  out8(offset: number, value: number): void;
  in16?(offset: number): number;
  out16?(offset: number, value: number): void;
  in32?(offset: number): number;
  out32?(offset: number, value: number): void;
}

interface Claim { readonly base: number; readonly device: PortDevice; readonly name: string }

export class IoBus implements IoPorts {
  /** Claim by port number; sparse, since a PC claims a few dozen ports. */
  private readonly claims = new Array<Claim | undefined>(0x10000).fill(undefined);

  /** Claims ports base..base+length-1 for `device`; throws on overlap (a machine wiring bug). */
  register(base: number, length: number, device: PortDevice, name: string): void {
    for (let port = base; port < base + length; port++) {
      const held = this.claims[port];
      if (held) throw new Error(`I/O port ${port.toString(16)} claimed by ${held.name} and ${name}`);
    }
    const claim = { base, device, name };
    for (let port = base; port < base + length; port++) this.claims[port] = claim;
  }

  in8(port: number): number {
    const claim = this.claims[port & 0xffff];
    return claim ? claim.device.in8((port & 0xffff) - claim.base) & 0xff : 0xff;
  }

  out8(port: number, value: number): void {
    const claim = this.claims[port & 0xffff];
    if (claim) claim.device.out8((port & 0xffff) - claim.base, value & 0xff);
  }

  in16(port: number): number {
    const claim = this.claims[port & 0xffff];
    if (claim?.device.in16) return claim.device.in16((port & 0xffff) - claim.base) & 0xffff;
    return this.in8(port) | (this.in8(port + 1) << 8);
  }

  out16(port: number, value: number): void {
    const claim = this.claims[port & 0xffff];
    if (claim?.device.out16) { claim.device.out16((port & 0xffff) - claim.base, value & 0xffff); return; }
    this.out8(port, value);
    this.out8(port + 1, value >>> 8);
  }

  in32(port: number): number {
    const claim = this.claims[port & 0xffff];
    if (claim?.device.in32) return claim.device.in32((port & 0xffff) - claim.base) >>> 0;
    return (this.in16(port) | (this.in16(port + 2) << 16)) >>> 0;
  }

  out32(port: number, value: number): void {
    const claim = this.claims[port & 0xffff];
    if (claim?.device.out32) { claim.device.out32((port & 0xffff) - claim.base, value >>> 0); return; }
    this.out16(port, value);
    this.out16(port + 2, value >>> 16);
  }

  insw(port: number, into: Uint8Array, offset: number, count: number): void {
    for (let i = 0; i < count; i++) {
      const word = this.in16(port);
      into[offset + 2 * i] = word;
      into[offset + 2 * i + 1] = word >>> 8;
    }
  }

  outsw(port: number, from: Uint8Array, offset: number, count: number): void {
    for (let i = 0; i < count; i++) this.out16(port, from[offset + 2 * i]! | (from[offset + 2 * i + 1]! << 8));
  }
}
