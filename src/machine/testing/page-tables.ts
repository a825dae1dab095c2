/**
 * A page-table builder for tests and tools (not the kernel's mm): builds
 * 32-bit page tables in a Ram, taking frames for the page directory, page
 * tables and data pages from a bump allocator that runs from the top of RAM
 * down. `map`, `mapLarge`, `mapRange`, `allocAndMap`, then load `cr3`.
 */
import { Ram } from '../memory/ram.js';
import { Mmu } from '../mmu/mmu.js';
import { Cpu } from '../cpu/index.js';
import { PageEntry } from '../mmu/page-walk.js';

export interface MapFlags {
  writable: boolean;
  /** User-accessible (U/S=1). Default true: the vcpu runs only ring 3. */
  user?: boolean;
}

const PAGE = 4096;
const LARGE_PAGE = 0x400000;

export class PageTableBuilder {
  readonly ram: Ram;
  /** Physical address of the page directory: the value to load into CR3. */
  readonly cr3: number;
  /** Next frame to hand out is nextFrame - PAGE. */
  private nextFrame: number;
  private readonly floor: number;

  /** Frames come from [floor, ram.size), top first. Default floor: 1 MiB. */
  constructor(ram: Ram, options: { floor?: number } = {}) {
    this.ram = ram;
    this.nextFrame = ram.size;
    this.floor = options.floor ?? 0x100000;
    this.cr3 = this.allocFrame();
  }

  /** Lowest physical address handed out so far. */
  get lowestFrame(): number {
    return this.nextFrame;
  }

  /** A zeroed 4 KiB frame. */
  allocFrame(): number {
    if (this.nextFrame - PAGE < this.floor) throw new RangeError('PageTableBuilder: out of frames');
    this.nextFrame -= PAGE;
    this.ram.u8.fill(0, this.nextFrame, this.nextFrame + PAGE);
    return this.nextFrame;
  }

  /** Physical address of the PDE for `linear`. */
  pdeAddress(linear: number): number {
    return (this.cr3 + ((linear >>> 22) << 2)) >>> 0;
  }

  /** Physical address of the PTE for `linear`, creating its page table (PDE: P, R/W, U/S) if needed. */
  pteAddress(linear: number): number {
    const pdeAddress = this.pdeAddress(linear);
    let pde = this.ram.readPhysical32(pdeAddress);
    if ((pde & PageEntry.P) === 0) {
      pde = this.allocFrame() | PageEntry.P | PageEntry.RW | PageEntry.US;
      this.ram.writePhysical32(pdeAddress, pde);
    } else if ((pde & PageEntry.PS) !== 0) {
      throw new Error(`PageTableBuilder: ${linear.toString(16)} is inside a 4 MiB page`);
    }
    return ((pde & 0xfffff000) + (((linear >>> 12) & 0x3ff) << 2)) >>> 0;
  }

  /** Maps the 4 KiB page at `linear` to the frame at `physical`. */
  map(linear: number, physical: number, flags: MapFlags): void {
    this.ram.writePhysical32(this.pteAddress(linear), entryFor(physical, flags));
  }

  /** Maps a 4 MiB PSE page (both addresses 4 MiB-aligned). */
  mapLarge(linear: number, physical: number, flags: MapFlags): void {
    if ((linear | physical) % LARGE_PAGE !== 0) throw new RangeError('mapLarge: addresses must be 4 MiB-aligned');
    this.ram.writePhysical32(this.pdeAddress(linear), entryFor(physical, flags) | PageEntry.PS);
  }

  /** Removes the 4 KiB mapping of `linear` (the caller invalidates the TLB). */
  unmap(linear: number): void {
    this.ram.writePhysical32(this.pteAddress(linear), 0);
  }

  /** Maps every page of [linear, linear+length) to the same offsets from `physical`. */
  mapRange(linear: number, physical: number, length: number, flags: MapFlags): void {
    const start = (linear & ~0xfff) >>> 0;
    const end = linear + length;
    for (let page = start; page < end; page += PAGE) this.map(page >>> 0, physical - linear + page, flags);
  }

  /** Maps fresh zeroed frames over [linear, linear+length); returns each page's physical address. */
  allocAndMap(linear: number, length: number, flags: MapFlags): number[] {
    const frames: number[] = [];
    const start = (linear & ~0xfff) >>> 0;
    for (let page = start; page < linear + length; page += PAGE) {
      const frame = this.allocFrame();
      this.map(page >>> 0, frame, flags);
      frames.push(frame);
    }
    return frames;
  }

  /**
   * Maps fresh zeroed frames where [linear, linear+length) is not yet mapped;
   * pages already mapped keep their frame and become writable if asked (an ELF
   * loader placing two segments on one page).
   */
  ensureMapped(linear: number, length: number, flags: MapFlags): void {
    const start = (linear & ~0xfff) >>> 0;
    for (let page = start; page < linear + length; page += PAGE) {
      const pteAddress = this.pteAddress(page >>> 0);
      const pte = this.ram.readPhysical32(pteAddress);
      if ((pte & PageEntry.P) === 0) this.map(page >>> 0, this.allocFrame(), flags);
      else if (flags.writable) this.ram.writePhysical32(pteAddress, pte | PageEntry.RW);
    }
  }

  /** Physical address `linear` maps to (ignoring permissions), or undefined if unmapped. */
  lookup(linear: number): number | undefined {
    const pde = this.ram.readPhysical32(this.pdeAddress(linear));
    if ((pde & PageEntry.P) === 0) return undefined;
    if ((pde & PageEntry.PS) !== 0) return ((pde & 0xffc00000) | (linear & 0x3fffff)) >>> 0;
    const pte = this.ram.readPhysical32(((pde & 0xfffff000) + (((linear >>> 12) & 0x3ff) << 2)) >>> 0);
    if ((pte & PageEntry.P) === 0) return undefined;
    return ((pte & 0xfffff000) | (linear & 0xfff)) >>> 0;
  }

  /** Copies bytes into mapped linear memory regardless of permissions (as a loader does); throws if unmapped. */
  writeLinear(linear: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const at = (linear + done) >>> 0;
      const physical = this.lookup(at);
      if (physical === undefined) throw new RangeError(`writeLinear: ${at.toString(16)} is not mapped`);
      const chunk = Math.min(bytes.length - done, PAGE - (at & 0xfff));
      this.ram.u8.set(bytes.subarray(done, done + chunk), physical);
      done += chunk;
    }
  }

  /** Copies bytes to physical memory. */
  writePhysical(physical: number, bytes: Uint8Array): void {
    this.ram.u8.set(bytes, physical);
  }
}

function entryFor(physical: number, flags: MapFlags): number {
  return ((physical & 0xfffff000) | PageEntry.P | (flags.writable ? PageEntry.RW : 0) |
    (flags.user === false ? 0 : PageEntry.US)) >>> 0;
}

/** RAM, MMU and vcpu plus a page-table builder whose CR3 is loaded: the usual test fixture. */
export function createTestMachine(sizeMiB = 16): { ram: Ram; mmu: Mmu; cpu: Cpu; pages: PageTableBuilder } {
  const ram = new Ram(sizeMiB * 1024 * 1024);
  const mmu = new Mmu(ram);
  const cpu = new Cpu(mmu);
  const pages = new PageTableBuilder(ram);
  cpu.setCr3(pages.cr3);
  return { ram, mmu, cpu, pages };
}
