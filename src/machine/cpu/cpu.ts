/**
 * The i686 vcpu: implements hal's Vcpu over the integer core (cpu-core.ts),
 * the decoder and the MMU. run() executes from a per-physical-page cache of
 * decoded instructions and translates eip only when it leaves the current
 * page; writes to cached code pages (onCodeWrite) or invalidatePhysicalPage
 * drop that page's cache. `step()` is the simple reference path: it decodes
 * every instruction afresh (STYLE.md 12).
 */
import { Exit, Flag, Vector, type CpuContext, type Vcpu } from '../../hal/vcpu.js';
import { CPU_FAULT } from './fault.js';
import { CpuCore, STOP_RESCAN } from './cpu-core.js';
import type { CpuMemory } from './cpu-memory.js';
import type { Instruction } from './instruction.js';
import { decode } from './decoder.js';
import { type Block, compileBlock, MAX_BLOCK } from './block-compiler.js';
import { jmpRelative32 } from './opcodes/control.js';

/** Entries by a jump before a block is compiled. */
const HOT_BLOCK = 16;
/** Most instructions one runCached call retires: its count stays a small integer (runUntil calls it again). */
const MAX_RUN = 1 << 30;

/** Decoded instructions, compiled blocks and block-entry counts of one physical page. */
class CodePage {
  readonly instructions = new Array<Instruction | undefined>(PAGE_SIZE).fill(undefined);
  readonly blocks = new Array<Block | undefined>(PAGE_SIZE).fill(undefined);
  readonly heat = new Uint8Array(PAGE_SIZE);
  /** The blocks in `blocks` (marked dead when the page is dropped: links may still point at them). */
  readonly compiled: Block[] = [];
}

const PAGE_SIZE = 4096;

export class Cpu implements Vcpu {
  readonly core: CpuCore;
  readonly gpr: Int32Array;
  private readonly memory: CpuMemory;
  /** Decoded instructions by physical page, then by offset in the page. */
  private readonly codeCache: (CodePage | undefined)[];
  /** Blocks compiled so far (also names them uniquely). */
  blocksCompiled = 0;
  private interruptPending = false;
  /** The machine's next device event, in retired instructions (Infinity: none); see machine/time/timeline.ts. */
  eventDeadline = Infinity;
  onEventDeadline: () => void = () => { this.eventDeadline = Infinity; };
  /** Start address of the instruction being executed (eip is restored to it on a fault). */
  private instructionStart = 0;
  /** The page the fast loop starts with (never filled: replaced on the first fetch). */
  private readonly emptyPage = new CodePage();
  /** Segment registers (bit per Seg) whose GDT descriptor setGdtEntry rewrote while they were loaded: loadContext reloads them. */
  private staleSegments = 0;
  /** The block the last runCached ended with (undefined: it ended with an interpreted instruction or a fault). */
  private lastBlock: Block | undefined = undefined;
  /** When true, run() decodes every instruction (the reference path). */
  referenceMode = false;

  constructor(mmu: CpuMemory) {
    this.memory = mmu;
    this.core = new CpuCore(mmu);
    this.gpr = this.core.gpr;
    this.codeCache = new Array<CodePage | undefined>(mmu.codePages.length).fill(undefined);
    mmu.onCodeWrite = (physicalPage: number) => this.dropCodePage(physicalPage);
  }

  get eip(): number { return this.core.eip >>> 0; }
  set eip(value: number) { this.core.eip = value | 0; }
  get instructionsRetired(): number { return this.core.instructionsRetired; }
  get exitVector(): number { return this.core.exitVector; }
  get exitErrorCode(): number { return this.core.exitErrorCode; }
  get cr2(): number { return this.core.cr2; }

  getEflags(): number { return this.core.getEflags(); }
  setEflags(value: number): void { this.core.setEflags(value); }

  run(budget: number): Exit {
    const core = this.core;
    core.stop = 0;
    if (this.interruptPending) {
      this.interruptPending = false;
      return Exit.Interrupt;
    }
    if (budget <= 0) return Exit.Budget;
    const end = core.instructionsRetired + budget;
    // Device events (timers, disk completions) are due at an instruction count: stop there, fire them, go on.
    for (;;) {
      const deadline = this.eventDeadline;
      const exit = this.runUntil(deadline < end ? deadline : end);
      if (exit !== Exit.Budget || core.instructionsRetired < deadline) return exit;
      this.onEventDeadline();
      if (this.interruptPending) {
        this.interruptPending = false;
        return Exit.Interrupt;
      }
      if (core.instructionsRetired >= end) return Exit.Budget;
    }
  }

  /** Runs until instructionsRetired reaches `end` or an exit. */
  private runUntil(end: number): Exit {
    const core = this.core;
    if (core.instructionsRetired >= end) return Exit.Budget;
    for (;;) {
      const singleStep = (core.flags & Flag.TF) !== 0;
      if (singleStep) core.ssLoadShadow = false;
      try {
        if (singleStep || this.referenceMode) this.runReference(singleStep ? core.instructionsRetired + 1 : end);
        else if (this.runCached(end)) {
          this.recordFault();
          return Exit.Exception;
        }
      } catch (fault) {
        if (fault !== CPU_FAULT) throw fault;
        this.recordFault();
        return Exit.Exception;
      }
      let stop = core.stop;
      if (singleStep && (stop === 0 || stop === STOP_RESCAN) && core.ssLoadShadow) {
        // Intel SDM 3A §6.8.3: after mov ss / pop ss the single-step trap waits
        // until after the next instruction (measured on the host: pop ss; int3 gives #BP).
        core.ssLoadShadow = false;
        core.stop = 0;
        if (core.instructionsRetired >= end) return Exit.Budget;
        continue;
      }
      if (singleStep && (stop === 0 || stop === STOP_RESCAN)) {
        // Intel SDM 3A §17.3.1.4: single-step #DB is a trap after the instruction.
        core.trap(Vector.DB);
        stop = core.stop;
      }
      if (stop === STOP_RESCAN) {
        core.stop = 0;
        if (core.instructionsRetired >= end) return Exit.Budget;
        continue;
      }
      if (stop !== 0) {
        if (stop === Exit.Interrupt) this.interruptPending = false;
        return stop as Exit;
      }
      // runCached retires at most MAX_RUN at a time.
      if (core.instructionsRetired >= end) return Exit.Budget;
    }
  }

  /**
   * The fast path: decoded instructions from the page cache, eip translated
   * once per page, hot blocks (entered by a jump HOT_BLOCK times) compiled by
   * block-compiler.ts. The retired count lives in a local while the loop runs
   * (written back on every exit, faults included) because a field update per
   * instruction costs ~15% here; rdtsc therefore ends the loop (STOP_RESCAN)
   * so that it reads an up-to-date count. Returns true when an instruction
   * faulted (CPU_FAULT caught here, not rethrown: a throw costs ~1 us in V8,
   * and page faults are hot in fork and demand paging).
   *
   * A block remembers the block that ran after it (Block.next, linked here after a
   * lookup): while the run leaves it for the same eip under the same translations
   * (Mmu.translationStamp) and that block's page is still cached, the next block runs
   * without translating eip or looking it up. A loop of blocks (a syscall's way
   * through libc and back) then costs a few field checks per block; the link of the
   * block a run ended with (int 0x80) is tried when the next run starts.
   */
  private runCached(end: number): boolean {
    const core = this.core;
    const memory = this.memory;
    let linearPage = -1;
    let page = this.emptyPage;
    // The count is a double (it passes 2^31); the loop counts down a small integer instead.
    const retired = core.instructionsRetired;
    const span = end - retired;
    const start = (span < MAX_RUN ? span : MAX_RUN) | 0;
    let left = start;
    let eip = core.eip;
    let fallthrough = -1;
    let block: Block | undefined;
    /** The block that ran last, if nothing ran after it (kept across calls): its link is tried first. */
    let previous = this.lastBlock;
    try {
      for (;;) {
        eip = core.eip;
        if (previous !== undefined) {
          // The link (Block.next) caches the lookup below for the eip the last block left for.
          const next = previous.next;
          if (previous.nextEip === eip && previous.nextStamp === memory.translationStamp && next.live === true && next.count <= left) {
            block = next;
            left -= next.run(core, eip, left);
            block = undefined;
            previous = next;
            fallthrough = -1;
            if (left === 0 || core.stop !== 0) break;
            continue;
          }
        }
        if (eip >>> 12 !== linearPage) {
          const physical = memory.translateFetch(eip);
          page = this.codePage(physical >>> 12);
          linearPage = eip >>> 12;
        }
        const offset = eip & (PAGE_SIZE - 1);
        block = page.blocks[offset];
        if (block !== undefined) {
          if (block.count <= left) {
            if (previous !== undefined) {
              previous.next = block;
              previous.nextEip = eip;
              previous.nextStamp = memory.translationStamp;
            }
            left -= block.run(core, eip, left);
            previous = block;
            block = undefined;
            fallthrough = -1;
            if (left === 0 || core.stop !== 0) break;
            continue;
          }
          block = undefined;
        } else if (eip !== fallthrough && ++page.heat[offset] === HOT_BLOCK && this.compile(page, offset, eip)) {
          continue;
        }
        previous = undefined;
        let ins = page.instructions[offset];
        if (ins === undefined) {
          ins = decode(core, eip);
          // An instruction that runs into the next page is not cached: it depends on two pages.
          if (offset + ins.length <= PAGE_SIZE) page.instructions[offset] = ins;
        }
        fallthrough = (eip + ins.length) | 0;
        core.eip = fallthrough;
        ins.handler(core, ins);
        if (--left === 0 || core.stop !== 0) break;
      }
    } catch (fault) {
      this.lastBlock = undefined;
      if (block !== undefined) {
        this.instructionStart = (eip + block.starts[core.blockFaultIndex]) | 0;
        left -= core.blockFaultIndex + core.blockFaultPasses;
      } else {
        this.instructionStart = eip;
      }
      core.instructionsRetired = retired + (start - left);
      if (fault !== CPU_FAULT) throw fault;
      return true;
    }
    this.lastBlock = previous;
    core.instructionsRetired = retired + (start - left);
    return false;
  }

  /** Compiles the block starting at `offset` of `page` (linear `eip`); false if it is empty. */
  private compile(page: CodePage, offset: number, eip: number): boolean {
    const list: Instruction[] = [];
    const positions: number[] = [];
    let at = offset;
    while (list.length < MAX_BLOCK && at >= 0 && at < PAGE_SIZE && !positions.includes(at - offset)) {
      let ins = page.instructions[at];
      if (ins === undefined) {
        try {
          ins = decode(this.core, (eip + at - offset) >>> 0);
        } catch (fault) {
          if (fault !== CPU_FAULT) throw fault;
          this.core.pendingVector = -1;
          break;
        }
        if (at + ins.length > PAGE_SIZE) break;
        page.instructions[at] = ins;
      }
      list.push(ins);
      positions.push(at - offset);
      at += ins.length;
      // A direct jmp within the page: the block goes on at its target (compileBlock elides the jmp).
      if (ins.handler === jmpRelative32) at += ins.immediate;
      else if (ins.endsBlock) break;
    }
    if (list.length === 0) return false;
    const block = compileBlock(list, positions, ++this.blocksCompiled);
    page.blocks[offset] = block;
    page.compiled.push(block);
    return true;
  }

  /** The reference path: decode each instruction afresh. */
  private runReference(end: number): void {
    const core = this.core;
    for (;;) {
      const eip = core.eip;
      this.instructionStart = eip;
      const ins = decode(core, eip);
      core.eip = (eip + ins.length) | 0;
      ins.handler(core, ins);
      if (++core.instructionsRetired >= end || core.stop !== 0) return;
    }
  }

  /** Executes one instruction on the reference path; returns the exit (Budget when none). */
  step(): Exit {
    const reference = this.referenceMode;
    this.referenceMode = true;
    try {
      return this.run(1);
    } finally {
      this.referenceMode = reference;
    }
  }

  private recordFault(): void {
    const core = this.core;
    core.eip = this.instructionStart;
    core.stop = 0;
    if (core.pendingVector >= 0) {
      core.exitVector = core.pendingVector;
      core.exitErrorCode = core.pendingErrorCode;
      core.pendingVector = -1;
    } else {
      core.exitVector = this.memory.faultVector;
      core.exitErrorCode = this.memory.faultErrorCode;
      if (core.exitVector === Vector.PF) core.cr2 = this.memory.cr2;
    }
  }

  private codePage(physicalPage: number): CodePage {
    let page = this.codeCache[physicalPage];
    if (page === undefined) {
      page = new CodePage();
      this.codeCache[physicalPage] = page;
      this.memory.codePages[physicalPage] = 1;
    }
    return page;
  }

  private dropCodePage(physicalPage: number): void {
    const page = this.codeCache[physicalPage];
    if (page === undefined) return;
    for (const block of page.compiled) block.live = false;
    this.codeCache[physicalPage] = undefined;
    this.memory.codePages[physicalPage] = 0;
    if (this.core.stop === 0) this.core.stop = STOP_RESCAN;
  }

  invalidatePhysicalPage(physical: number): void {
    const physicalPage = physical >>> 12;
    if (physicalPage < this.codeCache.length) this.dropCodePage(physicalPage);
  }

  setCr3(physical: number, keepTlb = false): void { this.memory.setCr3(physical, keepTlb); }
  getCr3(): number { return this.memory.getCr3(); }
  invalidatePage(linear: number, cr3?: number): void { this.memory.invalidatePage(linear, cr3); }
  flushTlb(cr3?: number): void { this.memory.flushTlb(cr3); }

  setGdtEntry(index: number, low: number, high: number): void {
    this.core.setGdtEntry(index, low, high);
    // A segment register keeps its cached descriptor until reloaded (Intel SDM 3A §3.4.3),
    // but Linux reloads the TLS selectors after set_thread_area; do the same for loaded ones.
    for (let seg = 0; seg < 6; seg++) {
      if (this.core.selectors[seg] >> 3 === index && (this.core.selectors[seg] & 4) === 0 && index !== 0) {
        this.core.segmentBase[seg] = this.core.descriptorBase(index);
        this.staleSegments |= 1 << seg;
      }
    }
  }

  getSegment(seg: number): number { return this.core.selectors[seg]; }

  setSegment(seg: number, selector: number): boolean {
    try {
      if (seg === 1) {
        if ((selector & 0xfffc) === 0) return false;
        const saved = this.core.selectors[3], savedBase = this.core.segmentBase[3], savedNull = this.core.nullSegments;
        this.core.loadSegment(3, selector);
        this.core.selectors[1] = this.core.selectors[3];
        this.core.segmentBase[1] = this.core.segmentBase[3];
        this.core.selectors[3] = saved;
        this.core.segmentBase[3] = savedBase;
        this.core.nullSegments = savedNull;
        return true;
      }
      this.core.loadSegment(seg, selector);
      return true;
    } catch (fault) {
      if (fault !== CPU_FAULT) throw fault;
      this.core.pendingVector = -1;
      return false;
    }
  }

  createContext(): CpuContext {
    return { gpr: new Int32Array(8), eip: 0, eflags: 0x202, segments: new Uint16Array(6), fpu: new Uint8Array(108) };
  }

  /** Hot path (every context switch): element loops, cheaper than TypedArray set() for 8 and 6 elements. */
  saveContext(into: CpuContext): void {
    const core = this.core;
    const gpr = core.gpr, savedGpr = into.gpr;
    for (let reg = 0; reg < 8; reg++) savedGpr[reg] = gpr[reg]!;
    into.eip = core.eip >>> 0;
    into.eflags = core.getEflags();
    const selectors = core.selectors, savedSelectors = into.segments;
    for (let seg = 0; seg < 6; seg++) savedSelectors[seg] = selectors[seg]!;
    core.x87.save(into.fpu);
  }

  loadContext(from: CpuContext): void {
    const gpr = this.core.gpr, savedGpr = from.gpr;
    for (let reg = 0; reg < 8; reg++) gpr[reg] = savedGpr[reg]!;
    this.core.eip = from.eip | 0;
    this.core.setEflags(from.eflags);
    this.core.x87.restore(from.fpu);
    const selectors = this.core.selectors;
    for (let seg = 0; seg < 6; seg++) {
      // Hot path (a switch between tasks of one program, which load the same selectors): a selector already
      // loaded whose descriptor was not rewritten since keeps its cached descriptor; reloading it would check
      // and read the same descriptor again. A rewritten one (setGdtEntry) is reloaded and checked.
      if (selectors[seg] === from.segments[seg] && (this.staleSegments & (1 << seg)) === 0) continue;
      if (!this.setSegment(seg, from.segments[seg])) {
        this.core.selectors[seg] = 0;
        this.core.segmentBase[seg] = 0;
        this.core.nullSegments |= 1 << seg;
      }
    }
    this.staleSegments = 0;
  }

  resetFpu(): void { this.core.x87.reset(); }

  requestInterrupt(): void {
    this.interruptPending = true;
    if (this.core.stop === 0) this.core.stop = Exit.Interrupt;
  }
}
