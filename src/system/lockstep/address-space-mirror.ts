/**
 * Mirrors the real process's address space in the machine: every readable,
 * writable or executable page of /proc/PID/maps gets a frame in the
 * machine's RAM and a PTE (writable where the real page is). `sync` follows
 * the mapping list (brk, mmap, munmap, mprotect); `compareWritable` and
 * `copyWritable` check or copy all writable memory, page by page.
 *
 * `overrides` are bytes the machine must see differently from the real
 * process: the original opcode under a breakpoint planted in the real process,
 * and the vDSO's `syscall` patched to `sysenter` (see session.ts).
 */
import type { Machine, PageTableBuilder } from '../../machine/index.js';
import { PageEntry } from '../../machine/index.js';
import { isKernelDataMapping, parseMaps, type ProcessMapping } from './process-maps.js';
import type { TracerClient } from './tracer-client.js';

const PAGE = 4096;

interface PageState {
  frame: number;
  identity: string;
  writable: boolean;
}

export interface MemoryDifference {
  /** First differing address. */
  address: number;
  real: number;
  machine: number;
  /** Every differing page (linear page addresses). */
  pages: number[];
}

export class AddressSpaceMirror {
  mappings: ProcessMapping[] = [];
  readonly overrides = new Map<number, number>();
  private readonly pageStates = new Map<number, PageState>();

  constructor(private readonly machine: Machine, private readonly pages: PageTableBuilder) {}

  /** Reads real memory as the machine should see it (overrides applied). */
  readReal(tracer: TracerClient, start: number, length: number): Buffer {
    const { data } = tracer.readMemory(start, length);
    for (const [address, byte] of this.overrides) {
      if (address >= start && address < start + length) data[address - start] = byte;
    }
    return data;
  }

  /** Follows the real mapping list: maps new pages (with contents), unmaps gone ones, updates W. */
  sync(tracer: TracerClient): void {
    const mappings = parseMaps(tracer.maps());
    const seen = new Set<number>();
    for (const mapping of mappings) {
      const present = (mapping.readable || mapping.writable || mapping.executable) && !isKernelDataMapping(mapping);
      if (!present) continue;
      let runStart = -1;
      const flushRun = (end: number): void => {
        if (runStart < 0) return;
        const data = this.readReal(tracer, runStart, end - runStart);
        for (let page = runStart; page < end; page += PAGE) {
          const state = this.pageStates.get(page);
          if (state === undefined) continue;
          this.machine.ram.u8.set(data.subarray(page - runStart, page - runStart + PAGE), state.frame);
          this.machine.cpu.invalidatePhysicalPage(state.frame);
        }
        runStart = -1;
      };
      for (let page = mapping.start; page < mapping.end; page += PAGE) {
        seen.add(page);
        const state = this.pageStates.get(page);
        if (state !== undefined && state.identity === mapping.identity) continue;
        if (state !== undefined && state.identity.slice(4) === mapping.identity.slice(4)) {
          // Same mapping, new permissions (mprotect): rewrite the PTE's R/W bit only.
          this.setWritable(page, state, mapping.writable);
          state.identity = mapping.identity;
          continue;
        }
        const frame = state?.frame ?? this.pages.allocFrame();
        this.pages.map(page, frame, { writable: mapping.writable });
        this.machine.cpu.invalidatePage(page);
        this.pageStates.set(page, { frame, identity: mapping.identity, writable: mapping.writable });
        if (runStart < 0) runStart = page;
      }
      flushRun(mapping.end);
    }
    for (const [page, state] of this.pageStates) {
      if (seen.has(page)) continue;
      this.pages.unmap(page);
      this.machine.cpu.invalidatePage(page);
      this.machine.cpu.invalidatePhysicalPage(state.frame);
      this.pageStates.delete(page);
    }
    this.mappings = mappings;
  }

  private setWritable(page: number, state: PageState, writable: boolean): void {
    if (state.writable === writable) return;
    const pteAddress = this.pages.pteAddress(page);
    const pte = this.machine.ram.readPhysical32(pteAddress);
    this.machine.ram.writePhysical32(pteAddress, writable ? pte | PageEntry.RW : pte & ~PageEntry.RW);
    state.writable = writable;
    this.machine.cpu.invalidatePage(page);
  }

  /**
   * Maps zeroed pages for [from, to) as part of the mapping that contains `to`
   * (the vcpu touched the stack below its lowest page: Linux grows it on fault).
   */
  growDown(from: number, to: number): void {
    const owner = this.mappings.find((m) => m.start === to);
    if (!owner) return;
    for (let page = (from & ~(PAGE - 1)) >>> 0; page < to; page += PAGE) {
      if (this.pageStates.has(page)) continue;
      const frame = this.pages.allocFrame();
      this.pages.map(page, frame, { writable: owner.writable });
      this.machine.cpu.invalidatePage(page);
      this.pageStates.set(page, { frame, identity: owner.identity, writable: owner.writable });
    }
  }

  /** The stack mapping (for growth on #PF). */
  stackMapping(): ProcessMapping | undefined {
    return this.mappings.find((m) => m.name === '[stack]');
  }

  /** The machine's bytes at a linear address (0 where unmapped). */
  readMachine(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const at = (address + i) >>> 0;
      const state = this.pageStates.get((at & ~(PAGE - 1)) >>> 0);
      if (state !== undefined) out[i] = this.machine.ram.u8[state.frame + (at & (PAGE - 1))];
    }
    return out;
  }

  /** Writes the machine's memory at a linear address (mapped pages only), dropping cached code. */
  writeMachine(address: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const at = (address + i) >>> 0;
      const state = this.pageStates.get((at & ~(PAGE - 1)) >>> 0);
      if (state === undefined) continue;
      this.machine.ram.u8[state.frame + (at & (PAGE - 1))] = bytes[i];
      this.machine.cpu.invalidatePhysicalPage(state.frame);
    }
  }

  /**
   * Compares (copy=false) or copies real→machine (copy=true) every writable
   * page of the real process's current mapping list. Pages only limited to
   * `only` when given. Returns the differences found (before copying).
   */
  private walkWritable(tracer: TracerClient, copy: boolean, only?: readonly number[]): MemoryDifference | undefined {
    const ram = this.machine.ram.u8;
    let difference: MemoryDifference | undefined;
    const visit = (start: number, end: number): void => {
      const data = this.readReal(tracer, start, end - start);
      for (let page = start; page < end; page += PAGE) {
        const real = data.subarray(page - start, page - start + PAGE);
        const state = this.pageStates.get(page);
        const machine = state === undefined ? new Uint8Array(PAGE) : ram.subarray(state.frame, state.frame + PAGE);
        if (real.equals(machine)) continue;
        if (difference === undefined) {
          let offset = 0;
          while (real[offset] === machine[offset]) offset++;
          difference = { address: page + offset, real: real[offset], machine: machine[offset], pages: [] };
        }
        difference.pages.push(page);
        if (copy && state !== undefined) {
          ram.set(real, state.frame);
          this.machine.cpu.invalidatePhysicalPage(state.frame);
        }
      }
    };
    if (only !== undefined) {
      for (const page of only) visit(page, page + PAGE);
      return difference;
    }
    const current = copy ? this.mappings : parseMaps(tracer.maps());
    for (const mapping of current) {
      if (mapping.writable && !isKernelDataMapping(mapping)) visit(mapping.start, mapping.end);
    }
    return difference;
  }

  compareWritable(tracer: TracerClient, only?: readonly number[]): MemoryDifference | undefined {
    return this.walkWritable(tracer, false, only);
  }

  /** Copies the writable memory that differs (call after sync, so new pages exist). */
  copyWritable(tracer: TracerClient): void {
    this.walkWritable(tracer, true);
  }
}
