/**
 * One lockstep run: a real i386 process under the tracer and a fresh machine
 * loaded with a snapshot of it, advanced checkpoint by checkpoint. A
 * checkpoint is a syscall: the real process runs natively to its syscall
 * entry, the vcpu runs to its int 0x80/sysenter, registers and all writable
 * memory are compared; then the real kernel executes the syscall and its
 * effects (registers, memory, mapping changes, TLS) are copied into the
 * machine. Segments listed in `stepCheckpoints` are single-stepped on both
 * sides instead, comparing after every instruction.
 */
import { Exit, Flag, Reg, Seg, Vector } from '../../hal/vcpu.js';
import type { Machine } from '../../machine/index.js';
import { AddressSpaceMirror, type MemoryDifference } from './address-space-mirror.js';
import { classifyInstruction, disassemble } from './instruction-bytes.js';
import { createLockstepMachine, type CpuidOracle } from './lockstep-machine.js';
import { parseMaps } from './process-maps.js';
import { compareRegisters, formatRealRegisters, formatVcpuRegisters, hex, type CompareAt } from './register-compare.js';
import { descriptorWords } from './tls-descriptor.js';
import { flagEffect } from './undefined-flags.js';
import { findEmulatedSites } from './emulated-sites.js';
import { compareFpu } from './fpu-compare.js';
import { TraceEvent, TracerClient, type RealRegisters } from './tracer-client.js';

export interface SessionOptions {
  tracerPath: string;
  argv: readonly string[];
  env: Record<string, string>;
  stdin?: string;
  stdout?: string;
  memoryMiB: number;
  /** Stop (successfully) at the first checkpoint after this many vcpu instructions. */
  maxInstructions: number;
  /** Checkpoint numbers whose preceding segment is single-stepped. */
  stepCheckpoints: ReadonlySet<number>;
  /** Pages to compare after every step of a stepped segment, by checkpoint. */
  suspectPages: ReadonlyMap<number, readonly number[]>;
  /** Addresses of cpuid and rdtsc instructions seen so far (a breakpoint is planted at each). */
  emulatedSites: Map<number, 'cpuid' | 'rdtsc'>;
  oracle: CpuidOracle;
  log: (line: string) => void;
  /** Called after each syscall's effects are copied into the machine (tests use it to plant a difference). */
  afterSyscall?: (checkpoint: number, session: LockstepSession) => void;
}

export type SessionOutcome =
  | { kind: 'exited'; status: number }
  | { kind: 'killed'; signal: number }
  | { kind: 'limit' }
  | { kind: 'mismatch'; checkpoint: number; report: string; memory?: MemoryDifference }
  | { kind: 'divergence'; checkpoint: number; report: string };

const AT_NULL = 0, AT_IGNORE = 1, AT_SYSINFO_EHDR = 33;
const SYS_exit = 1, SYS_execve = 11, SYS_exit_group = 252, SYS_execveat = 358;
/** ptrace(2): the stop after a successful execve, with PTRACE_O_TRACEEXEC. */
const PTRACE_EVENT_EXEC = 4;
const SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11;
/** Signals whose default action is to ignore them (man 7 signal). */
const DEFAULT_IGNORED = new Set([17, 23, 28, 18]);
const FAULT_SIGNALS = new Set([SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV]);
const VCPU_BUDGET = 10_000_000;
/** Instructions the tracer single-steps per round trip in step mode. */
const STEP_BATCH = 1024;
/** A segment longer than this on the vcpu means it has lost its way. */
const SEGMENT_LIMIT = 2_000_000_000;

export class LockstepSession {
  readonly tracer: TracerClient;
  readonly machine: Machine;
  readonly mirror: AddressSpaceMirror;
  checkpoint = 0;
  /** Instructions the vcpu executed in single-step mode. */
  steppedInstructions = 0;
  private readonly installedBreakpoints = new Set<number>();
  private readonly sweptMappings = new Set<string>();
  private readonly suppressedSignals: number[] = [];
  private readonly gdtSet = new Map<number, string>();
  /** EFLAGS bits undefined since the last single-stepped instruction that defined them (0 after a resync). */
  private undefinedFlags = 0;

  constructor(private readonly options: SessionOptions) {
    this.tracer = new TracerClient(options.tracerPath, options.argv,
      { env: options.env, stdin: options.stdin, stdout: options.stdout });
    const { machine, pages } = createLockstepMachine(options.memoryMiB);
    this.machine = machine;
    this.mirror = new AddressSpaceMirror(machine, pages);
    const registers = this.tracer.registers();
    this.hideVdsoImage(registers.gpr[Reg.ESP]);
    this.patchVdsoSyscall();
    this.mirror.sync(this.tracer);
    this.plantBreakpoints();
    machine.cpu.resetFpu();
    this.loadRegisters(registers);
  }

  /**
   * Turns AT_SYSINFO_EHDR in the auxiliary vector into AT_IGNORE, in the real
   * process before its first instruction: glibc then makes real syscalls for
   * clock_gettime & co. instead of reading the kernel's [vvar] page (which the
   * vcpu cannot see). AT_SYSINFO stays, so syscalls still go through the vDSO's
   * __kernel_vsyscall. The stack is argc, argv[], NULL, envp[], NULL, auxv pairs.
   */
  private hideVdsoImage(stackPointer: number): void {
    const words = new Uint32Array(this.tracer.readMemory(stackPointer, 0x2000).data.buffer.slice(0));
    let i = words[0] + 2;
    while (words[i] !== 0) i++;
    i++;
    for (; i + 1 < words.length && words[i] !== AT_NULL; i += 2) {
      if (words[i] === AT_SYSINFO_EHDR) this.tracer.writeMemory(stackPointer + i * 4, Uint8Array.of(AT_IGNORE, 0, 0, 0));
    }
  }

  /**
   * On AMD hosts the 64-bit kernel's vDSO enters the kernel with `syscall`
   * (0f 05), which an i686 raises #UD for; Intel hosts get `sysenter` (0f 34).
   * The machine sees `sysenter` either way; the bytes after it are `int 0x80`.
   */
  private patchVdsoSyscall(): void {
    const vdso = parseMaps(this.tracer.maps()).find((m) => m.name === '[vdso]');
    if (!vdso) return;
    const image = this.tracer.readMemory(vdso.start, vdso.end - vdso.start).data;
    for (let i = 0; i + 3 < image.length; i++) {
      if (image[i] === 0x0f && image[i + 1] === 0x05 && image[i + 2] === 0xcd && image[i + 3] === 0x80) {
        this.mirror.overrides.set(vdso.start + i + 1, 0x34);
      }
    }
  }

  /** Plants int3 at every known cpuid/rdtsc site inside an executable mapping (found by a sweep of new ones). */
  private plantBreakpoints(): void {
    for (const mapping of this.mirror.mappings) {
      if (!mapping.executable || mapping.name === '[vdso]' || this.sweptMappings.has(`${mapping.start}:${mapping.identity}`)) continue;
      this.sweptMappings.add(`${mapping.start}:${mapping.identity}`);
      const code = this.tracer.readMemory(mapping.start, mapping.end - mapping.start).data;
      const sites = findEmulatedSites(`${mapping.start}:${mapping.end}:${mapping.identity}`, mapping.start, code);
      for (const [site, kind] of sites) this.options.emulatedSites.set(site, kind);
    }
    for (const site of this.options.emulatedSites.keys()) {
      if (this.installedBreakpoints.has(site)) continue;
      const mapping = this.mirror.mappings.find((m) => m.executable && site >= m.start && site < m.end);
      if (!mapping) continue;
      const original = this.tracer.readMemory(site, 1).data[0];
      if (original !== 0x0f) continue;
      this.mirror.overrides.set(site, original);
      this.tracer.writeMemory(site, Uint8Array.of(0xcc));
      this.installedBreakpoints.add(site);
    }
  }

  private loadRegisters(real: RealRegisters): void {
    const cpu = this.machine.cpu;
    for (let i = 0; i < 8; i++) cpu.gpr[i] = real.gpr[i] | 0;
    cpu.eip = real.eip;
    cpu.setEflags(real.eflags);
    for (const desc of real.tls) {
      if (desc.entryNumber < 0) continue;
      const { low, high } = descriptorWords(desc);
      const key = `${low}:${high}`;
      if ((this.gdtSet.get(desc.entryNumber) ?? '0:0') === key) continue;
      cpu.setGdtEntry(desc.entryNumber, low, high);
      this.gdtSet.set(desc.entryNumber, key);
    }
  }

  /**
   * After a successful execve the process is a new program: new mappings
   * (sync replaces them all), a new stack and auxv to patch, new code to
   * sweep, no TLS, segment registers reset (Linux start_thread).
   */
  private startNewImage(): void {
    this.mirror.overrides.clear();
    this.installedBreakpoints.clear();
    this.sweptMappings.clear();
    const registers = this.tracer.registers();
    this.hideVdsoImage(registers.gpr[Reg.ESP]);
    this.patchVdsoSyscall();
    this.machine.cpu.setSegment(Seg.FS, registers.segments[Seg.FS]);
    this.machine.cpu.setSegment(Seg.GS, registers.segments[Seg.GS]);
    this.machine.cpu.resetFpu();
  }

  /** Copies what the real kernel did into the machine: mappings, memory, registers, TLS. */
  private copyEffects(): RealRegisters {
    this.mirror.sync(this.tracer);
    this.plantBreakpoints();
    this.mirror.copyWritable(this.tracer);
    const registers = this.tracer.registers();
    this.loadRegisters(registers);
    // sigreturn restores the x87 state from the signal frame; a handler starts with a fresh one.
    const context = this.machine.cpu.createContext();
    this.machine.cpu.saveContext(context);
    const realFpu = this.tracer.fpu();
    if (compareFpu(realFpu, context.fpu).length > 0) {
      context.fpu.set(realFpu);
      this.machine.cpu.loadContext(context);
    }
    this.undefinedFlags = 0;
    return registers;
  }

  /** Differences between the real and the vcpu's x87 states. */
  private fpuDifferences(): string[] {
    return compareFpu(this.tracer.fpu(), this.vcpuFpu());
  }

  /** True when the real process has a handler for `signal` (SigCgt of /proc/PID/status). */
  private catches(signal: number): boolean {
    const match = /^SigCgt:\s*([0-9a-f]+)/m.exec(this.tracer.procStatus());
    return match !== null && (BigInt('0x' + match[1]) >> BigInt(signal - 1)) % 2n === 1n;
  }

  /**
   * The real process hit a breakpoint planted on cpuid or rdtsc: it takes the
   * vcpu's answer instead. cpuid's comes from the oracle; rdtsc's depends on
   * the vcpu's instruction count, so the vcpu first runs up to that
   * instruction (one at a time: it has no breakpoints) and executes it.
   */
  private emulateAtBreakpoint(): string | undefined {
    const registers = this.tracer.registers();
    const site = (registers.eip - 1) >>> 0;
    const kind = this.options.emulatedSites.get(site);
    if (kind === undefined || !this.installedBreakpoints.has(site)) return `real process: unexpected SIGTRAP at ${hex(registers.eip)}`;
    registers.eip = site + 2;
    if (kind === 'cpuid') {
      const answer = this.options.oracle.query(registers.gpr[Reg.EAX], registers.gpr[Reg.ECX]);
      registers.gpr[Reg.EAX] = answer.eax;
      registers.gpr[Reg.EBX] = answer.ebx;
      registers.gpr[Reg.ECX] = answer.ecx;
      registers.gpr[Reg.EDX] = answer.edx;
    } else {
      const cpu = this.machine.cpu;
      const start = cpu.instructionsRetired;
      while (cpu.eip !== site) {
        if (cpu.instructionsRetired - start > 50_000_000) return `the vcpu did not reach the rdtsc at ${hex(site)}`;
        const exit = cpu.run(1);
        if (exit === Exit.Exception && this.handleVcpuFault()) continue;
        if (exit !== Exit.Budget) return `vcpu exit ${exit} (vector ${cpu.exitVector}) at ${hex(cpu.eip)} before reaching the rdtsc at ${hex(site)}`;
      }
      cpu.run(1);
      registers.gpr[Reg.EAX] = cpu.gpr[Reg.EAX] >>> 0;
      registers.gpr[Reg.EDX] = cpu.gpr[Reg.EDX] >>> 0;
    }
    this.tracer.setRegisters(registers);
    return undefined;
  }

  /**
   * Runs the real process to its next syscall entry. A signal that arrives in
   * mid-segment is held back (the vcpu cannot be interrupted at the same
   * instruction) and re-raised at the next syscall exit, where it is
   * delivered at a checkpoint; there a caught signal is single-stepped into its
   * handler and reported as 'handler'.
   */
  private runRealToSyscall(): SessionOutcome | 'entry' | 'handler' {
    let atBoundary = true;
    for (;;) {
      const stop = this.tracer.continueToSyscall(0);
      switch (stop.event) {
        case TraceEvent.SyscallEntry:
          return 'entry';
        case TraceEvent.Exited:
          return { kind: 'exited', status: stop.value };
        case TraceEvent.Killed:
          return { kind: 'killed', signal: stop.value };
        case TraceEvent.Trap: {
          const problem = this.emulateAtBreakpoint();
          if (problem !== undefined) return { kind: 'mismatch', checkpoint: this.checkpoint, report: problem };
          break;
        }
        case TraceEvent.Signal:
          if (FAULT_SIGNALS.has(stop.value)) {
            return { kind: 'mismatch', checkpoint: this.checkpoint, report: `real process: signal ${stop.value} at ${hex(this.tracer.registers().eip)}` };
          }
          if (!atBoundary) {
            this.suppressedSignals.push(stop.value);
          } else if (this.catches(stop.value)) {
            const entered = this.tracer.step(stop.value);
            if (entered.event !== TraceEvent.Trap) return { kind: 'mismatch', checkpoint: this.checkpoint, report: 'signal delivery did not stop at the handler' };
            return 'handler';
          } else {
            const after = this.tracer.continueToSyscall(stop.value);
            if (after.event === TraceEvent.Killed) return { kind: 'killed', signal: after.value };
            if (after.event === TraceEvent.Exited) return { kind: 'exited', status: after.value };
            if (after.event === TraceEvent.SyscallEntry) return 'entry';
          }
          break;
        case TraceEvent.SyscallExit:
          break;
      }
      atBoundary = false;
    }
  }

  /** Runs the vcpu to its next syscall; handles stack growth. */
  private runVcpuToSyscall(): 'int80' | 'vdso' | string {
    const cpu = this.machine.cpu;
    const start = cpu.instructionsRetired;
    for (;;) {
      if (cpu.instructionsRetired - start > SEGMENT_LIMIT) return `the vcpu ran ${SEGMENT_LIMIT} instructions without a syscall`;
      const exit = cpu.run(VCPU_BUDGET);
      if (exit === Exit.Syscall) return 'int80';
      if (exit === Exit.Sysenter) return 'vdso';
      if (exit === Exit.Budget || exit === Exit.Interrupt) continue;
      if (exit === Exit.Exception && this.handleVcpuFault()) continue;
      return `vcpu exit ${exit} vector ${cpu.exitVector} error ${hex(cpu.exitErrorCode)} cr2 ${hex(cpu.cr2)} at eip ${hex(cpu.eip)}`;
    }
  }

  /** A #PF just below the stack is Linux's stack growth (mm/mmap.c expand_stack): map zero pages. */
  private handleVcpuFault(): boolean {
    const cpu = this.machine.cpu;
    if (cpu.exitVector !== Vector.PF) return false;
    const stack = this.mirror.stackMapping();
    const address = cpu.cr2 >>> 0;
    if (!stack || address >= stack.start || address < stack.start - 0x800000) return false;
    this.mirror.growDown(address, stack.start);
    return true;
  }

  /** Compares registers and all writable memory at a syscall entry. */
  private compareCheckpoint(at: CompareAt): SessionOutcome | undefined {
    const real = this.tracer.registers();
    // At a checkpoint reached at full speed the last flag-writing instruction is unknown. AF is
    // undefined after and/or/xor/test (Intel SDM 2), the commonest instructions, and is read
    // only by BCD adjusts, lahf and pushf, so a wrong AF that matters shows in a register later:
    // it is not compared here (single-stepped segments track undefined flags exactly).
    const stepped = this.options.stepCheckpoints.has(this.checkpoint);
    const mask = stepped ? this.undefinedFlags : Flag.AF;
    const registers = [...compareRegisters(real, this.machine.cpu, at, mask), ...this.fpuDifferences()];
    const memory = this.mirror.compareWritable(this.tracer);
    if (registers.length === 0 && memory === undefined) return undefined;
    const lines = [`checkpoint ${this.checkpoint} (syscall ${real.origEax}) differs:`, ...registers.map((r) => '  ' + r)];
    if (memory) lines.push(`  memory at ${hex(memory.address)}: real ${hex(memory.real)} vcpu ${hex(memory.machine)} (${memory.pages.length} page(s) differ)`);
    lines.push(`  real: ${formatRealRegisters(real)}`, `  vcpu: ${formatVcpuRegisters(this.machine.cpu)}`);
    return { kind: 'mismatch', checkpoint: this.checkpoint, report: lines.join('\n'), memory };
  }

  /** Runs until the program ends, the instruction limit, or a difference. */
  run(): SessionOutcome {
    const cpu = this.machine.cpu;
    for (;;) {
      let at: CompareAt;
      if (this.options.stepCheckpoints.has(this.checkpoint)) {
        const stepped = this.stepSegment();
        if (typeof stepped !== 'string') return stepped;
        at = stepped;
      } else {
        const real = this.runRealToSyscall();
        if (real === 'handler') {
          this.copyEffects();
          continue;
        }
        if (real !== 'entry') return real;
        const vcpu = this.runVcpuToSyscall();
        if (vcpu !== 'int80' && vcpu !== 'vdso') {
          return { kind: 'mismatch', checkpoint: this.checkpoint, report: `checkpoint ${this.checkpoint}: ${vcpu}\n  real: ${formatRealRegisters(this.tracer.registers())}` };
        }
        at = vcpu === 'int80' ? 'int80-entry' : 'vdso-entry';
      }
      const difference = this.compareCheckpoint(at);
      if (difference) return difference;
      const number = this.tracer.registers().origEax;
      const isExec = number === SYS_execve || number === SYS_execveat;
      if (cpu.instructionsRetired >= this.options.maxInstructions && number !== SYS_exit && number !== SYS_exit_group) {
        return { kind: 'limit' };
      }
      let exit = this.tracer.continueToSyscall(0);
      let executed = false;
      if (isExec && exit.event === TraceEvent.Trap && exit.value === PTRACE_EVENT_EXEC) {
        executed = true;
        exit = this.tracer.continueToSyscall(0);
      }
      if (exit.event === TraceEvent.Exited) return { kind: 'exited', status: exit.value };
      if (exit.event === TraceEvent.Killed) return { kind: 'killed', signal: exit.value };
      if (exit.event !== TraceEvent.SyscallExit) {
        return { kind: 'mismatch', checkpoint: this.checkpoint, report: `real process: expected a syscall exit, got event ${exit.event}/${exit.value}` };
      }
      for (const signal of this.suppressedSignals.splice(0)) {
        if (this.catches(signal) || !DEFAULT_IGNORED.has(signal)) this.tracer.signal(signal);
      }
      if (executed) this.startNewImage();
      this.copyEffects();
      this.options.afterSyscall?.(this.checkpoint, this);
      this.checkpoint++;
    }
  }

  /**
   * Single-steps the segment that ends at the current checkpoint on both
   * sides, comparing registers (the x87 state after x87 instructions, and the
   * suspect pages) after each instruction. The tracer steps the real process
   * in batches (one round trip per batch, ~35 us per step) and stops before
   * the instructions handled here: syscalls, cpuid, rdtsc. Returns how the
   * closing syscall was entered, or the outcome.
   */
  private stepSegment(): SessionOutcome | CompareAt {
    const cpu = this.machine.cpu;
    const suspects = (this.options.suspectPages.get(this.checkpoint) ?? []).slice(0, 8);
    const realPages = new Map<number, Uint8Array>();
    let previous = this.tracer.registers();
    for (;;) {
      const batch = this.tracer.trace(STEP_BATCH, suspects);
      for (const record of batch.records) {
        const eip = cpu.eip >>> 0;
        const bytes = this.mirror.readMachine(eip, 16);
        const kind = classifyInstruction(bytes);
        const vcpuBefore = formatVcpuRegisters(cpu);
        let exit = cpu.run(1);
        while (exit === Exit.Exception && this.handleVcpuFault()) exit = cpu.run(1);
        // The vcpu may run a rep string instruction one iteration per call; the tracer counts it once.
        while (kind === 'rep-string' && exit === Exit.Budget && cpu.eip === eip) exit = cpu.run(1);
        this.steppedInstructions++;
        const effect = flagEffect(bytes);
        this.undefinedFlags = (this.undefinedFlags & ~effect.written) | effect.undefined;
        const real = record.registers;
        const differences = compareRegisters(real, cpu, 'step', this.undefinedFlags);
        if (exit !== Exit.Budget) differences.push(`vcpu exit ${exit} (vector ${cpu.exitVector})`);
        if (differences.length === 0 && record.fpu) differences.push(...compareFpu(record.fpu, this.vcpuFpu()));
        for (const [page, data] of record.pages) realPages.set(page, data);
        if (differences.length === 0) {
          for (const [page, data] of realPages) {
            const machine = this.mirror.readMachine(page, 4096);
            const offset = data.findIndex((byte, i) => byte !== machine[i]);
            if (offset >= 0) {
              differences.push(`memory at ${hex(page + offset)}: real ${hex(data[offset])} vcpu ${hex(machine[offset])}`);
              break;
            }
          }
        }
        if (differences.length > 0) return this.stepDivergence(eip, bytes, previous, vcpuBefore, differences, real);
        previous = real;
      }
      if (batch.stop === 'limit') continue;
      const signal = batch.event?.event === TraceEvent.Signal ? batch.event.value : 0;
      if (batch.stop === 'event' && signal !== 0 && !FAULT_SIGNALS.has(signal)) {
        // Held back as in runRealToSyscall; the next step resumes without it.
        this.suppressedSignals.push(signal);
        continue;
      }
      const eip = previous.eip >>> 0;
      const bytes = this.mirror.readReal(this.tracer, eip, 16);
      const vcpuBefore = formatVcpuRegisters(cpu);
      if (batch.stop === 'event') {
        const exit = cpu.run(1);
        return this.stepDivergence(eip, bytes, previous, vcpuBefore,
          [`real process stopped with event ${batch.event?.event}/${batch.event?.value}`, `vcpu exit ${exit} (vector ${cpu.exitVector})`]);
      }
      const kind = classifyInstruction(bytes);
      if (kind === 'syscall') {
        const exit = cpu.run(1);
        if (exit !== Exit.Syscall && exit !== Exit.Sysenter) return this.stepDivergence(eip, bytes, previous, vcpuBefore, [`vcpu exit ${exit} at a syscall instruction`]);
        const entry = this.tracer.continueToSyscall(0);
        if (entry.event !== TraceEvent.SyscallEntry) return this.stepDivergence(eip, bytes, previous, vcpuBefore, [`real event ${entry.event}`]);
        return exit === Exit.Syscall ? 'int80-entry' : 'vdso-entry';
      }
      if (kind !== 'cpuid' && kind !== 'rdtsc') {
        return this.stepDivergence(eip, bytes, previous, vcpuBefore, ['the real process reached an int3 it did not plant: not supported']);
      }
      const exit = cpu.run(1);
      this.steppedInstructions++;
      // The real process gets the vcpu's answer instead of executing the instruction.
      const registers = this.tracer.registers();
      for (const r of [Reg.EAX, Reg.ECX, Reg.EDX, Reg.EBX]) registers.gpr[r] = cpu.gpr[r] >>> 0;
      registers.eip = cpu.eip;
      this.tracer.setRegisters(registers);
      this.options.emulatedSites.set(eip, kind);
      const differences = compareRegisters(registers, cpu, 'step', this.undefinedFlags);
      if (exit !== Exit.Budget) differences.push(`vcpu exit ${exit} (vector ${cpu.exitVector})`);
      if (differences.length > 0) return this.stepDivergence(eip, bytes, previous, vcpuBefore, differences, registers);
      previous = registers;
    }
  }

  private vcpuFpu(): Uint8Array {
    const context = this.machine.cpu.createContext();
    this.machine.cpu.saveContext(context);
    return context.fpu;
  }

  private stepDivergence(eip: number, bytes: Uint8Array, before: RealRegisters, vcpuBefore: string,
    differences: string[], after?: RealRegisters): SessionOutcome {
    const text = disassemble(bytes, eip);
    const lines = [
      `first differing instruction at ${hex(eip)} (checkpoint ${this.checkpoint}, after ${this.machine.cpu.instructionsRetired} vcpu instructions):`,
      `  bytes: ${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`,
      ...(text ? [`  objdump: ${text}`] : []),
      `  before (both): ${formatRealRegisters(before)}`,
      `  vcpu before:   ${vcpuBefore}`,
      ...(after ? [`  real after:    ${formatRealRegisters(after)}`] : []),
      `  vcpu after:    ${formatVcpuRegisters(this.machine.cpu)}`,
      ...differences.map((d) => '  ' + d),
    ];
    return { kind: 'divergence', checkpoint: this.checkpoint, report: lines.join('\n') };
  }

  close(): void {
    this.tracer.close();
  }
}

