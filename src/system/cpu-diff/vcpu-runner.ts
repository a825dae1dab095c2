/**
 * Runs test cases on ir0's vcpu with the harness's address space mirrored:
 * the same pages at the same linear addresses with the same permissions, the
 * host's flat selectors (0x23 code, 0x2b data) and TLS entry in the GDT, and
 * the same register, EFLAGS and x87 state. Each case runs until the trailing
 * int3 or a fault (Exit.Exception), as natively.
 */
import { Exit, Seg, type CpuContext, type Vcpu } from '../../hal/vcpu.js';
import { Cpu } from '../../machine/cpu/index.js';
import { Mmu, PageTableBuilder, Ram } from '../../machine/index.js';
import {
  CODE_BASE, CODE_ENTRY, DATA_BASE, DATA_BYTES, DATA_MAPPED_PAGES, DATA_RW_PAGES, HOST_USER_CS, HOST_USER_DS,
  PAGE, TLS_BASE, diffRegion, fillDataRegion, type Outcome, type TestCase,
} from './layout.js';

/** Instructions a case may retire before it counts as not stopping (the test instruction and the int3). */
const CASE_BUDGET = 64;

/** A GDT descriptor as Linux's fill_ldt builds it for set_thread_area (arch/x86/include/asm/desc.h). */
export function userDataDescriptor(base: number): { low: number; high: number } {
  const low = ((base & 0xffff) << 16) | 0xffff;
  // type 3 (read/write, accessed), S, DPL 3, P, limit 19:16 = 0xf, AVL, D/B, G.
  const high = ((base >>> 16) & 0xff) | 0x0000f300 | 0x000f0000 | 0x00100000 | 0x00c00000 | (base & 0xff000000);
  return { low: low | 0, high: high | 0 };
}

export class VcpuRunner {
  readonly cpu: Vcpu;
  private readonly ram: Ram;
  private readonly codeFrame: number;
  private readonly dataFrames: number[];
  private readonly context: CpuContext;
  private readonly before = new Uint8Array(DATA_BYTES);
  private readonly after = new Uint8Array(DATA_BYTES);

  /** `reference`: run the vcpu's decode-every-instruction path instead of the cached one. */
  constructor(tlsEntry: number, reference = false) {
    this.ram = new Ram(4 * 1024 * 1024);
    const mmu = new Mmu(this.ram);
    const pages = new PageTableBuilder(this.ram);
    // The harness maps its code page read-write-execute; 32-bit paging has no NX, so writable is the mirror.
    [this.codeFrame] = pages.allocAndMap(CODE_BASE, PAGE, { writable: true });
    this.dataFrames = [];
    for (let page = 0; page < DATA_MAPPED_PAGES; page++) {
      this.dataFrames.push(...pages.allocAndMap(DATA_BASE + page * PAGE, PAGE, { writable: page < DATA_RW_PAGES }));
    }
    const cpu = new Cpu(mmu);
    cpu.referenceMode = reference;
    cpu.setCr3(pages.cr3);
    // The host's GDT (x86-64 kernel, i386 process): flat user code 4 (0x23), flat user data 5 (0x2b).
    cpu.setGdtEntry(HOST_USER_CS >> 3, 0x0000ffff, 0x00cffb00);
    cpu.setGdtEntry(HOST_USER_DS >> 3, 0x0000ffff, 0x00cff300);
    const tls = userDataDescriptor(TLS_BASE);
    cpu.setGdtEntry(tlsEntry, tls.low, tls.high);
    this.cpu = cpu;
    this.context = cpu.createContext();
  }

  run(testCase: TestCase): Outcome {
    const { cpu, ram, context } = this;
    ram.u8.fill(0xcc, this.codeFrame, this.codeFrame + PAGE);
    ram.u8.set(testCase.code, this.codeFrame + (CODE_ENTRY - CODE_BASE));
    cpu.invalidatePhysicalPage(this.codeFrame);
    fillDataRegion(testCase.seed, this.before, testCase.patches);
    this.dataFrames.forEach((frame, page) => {
      ram.u8.set(this.before.subarray(page * PAGE, (page + 1) * PAGE), frame);
      cpu.invalidatePhysicalPage(frame);
    });

    context.gpr.set(testCase.gpr);
    context.eip = CODE_ENTRY;
    context.eflags = testCase.eflags;
    context.segments[Seg.ES] = HOST_USER_DS;
    context.segments[Seg.CS] = HOST_USER_CS;
    context.segments[Seg.SS] = HOST_USER_DS;
    context.segments[Seg.DS] = HOST_USER_DS;
    context.segments[Seg.FS] = testCase.fs;
    context.segments[Seg.GS] = testCase.gs;
    context.fpu.set(testCase.fpu);
    cpu.loadContext(context);

    let trapno = -1;
    let error: string | undefined;
    try {
      for (let retired = 0; retired < CASE_BUDGET; retired += 8) {
        const exit = cpu.run(8);
        if (exit === Exit.Exception) { trapno = cpu.exitVector; break; }
        // A system call or sysenter here means the generator emitted a form marked untestable.
        if (exit === Exit.Syscall || exit === Exit.Sysenter || exit === Exit.Halt) { trapno = -2 - exit; break; }
      }
    } catch (thrown) {
      // A host exception from the vcpu is a vcpu bug: report it as this case's mismatch and go on.
      error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    }

    cpu.saveContext(context);
    this.dataFrames.forEach((frame, page) => this.after.set(ram.u8.subarray(frame, frame + PAGE), page * PAGE));
    const region = diffRegion(this.before, this.after);
    return {
      gpr: Array.from(cpu.gpr, (v) => v >>> 0),
      eip: cpu.eip >>> 0,
      eflags: cpu.getEflags() >>> 0,
      segments: [cpu.getSegment(Seg.ES), cpu.getSegment(Seg.DS), cpu.getSegment(Seg.FS), cpu.getSegment(Seg.GS)],
      trapno,
      err: cpu.exitErrorCode >>> 0,
      cr2: cpu.cr2 >>> 0,
      fpu: context.fpu.slice(),
      ...region,
      error,
    };
  }
}
