/**
 * i386 signal frames (arch/x86/kernel/signal_32.c, asm/sigframe.h): on
 * delivery the user registers, mask and x87 state are saved on the user stack
 * in Linux's exact layout — sigframe for plain handlers, rt_sigframe with
 * siginfo and ucontext for SA_SIGINFO — and the handler is entered; sigreturn
 * and rt_sigreturn restore them. glibc's restorers call those syscalls.
 */
import type { Vcpu } from '../../hal/index.js';
import { Seg } from '../../hal/index.js';
import { EFAULT, EINTR } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import type { Kernel, SigAction, Task } from '../proc/index.js';
import { altStackState, changeAltStack, SS_AUTODISARM, SS_DISABLE } from './alt-stack.js';
import { SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SA_RESTORER, SA_SIGINFO, SIG_DFL, signalBit, UNBLOCKABLE } from '../proc/index.js';

const SIGCONTEXT_SIZE = 88;
const FPSTATE_SIZE = 112;
const FPSTATE_UNUSED_SIZE = 624;
const SIGINFO_SIZE = 128;
const UCONTEXT_SIZE = 20 + SIGCONTEXT_SIZE + 8;
const RT_FRAME_SIZE = 16 + SIGINFO_SIZE + UCONTEXT_SIZE + 8;
const FRAME_SIZE = 8 + SIGCONTEXT_SIZE + FPSTATE_UNUSED_SIZE + 4 + 8;
const NR_sigreturn = 119;
const NR_rt_sigreturn = 173;
const SI_USER = 0;

/** struct sigcontext (asm/sigcontext.h, i386). */
function encodeSigcontext(vcpu: Vcpu, fpstate: number, oldmask: number, task: Task): Uint8Array {
  const out = new Uint8Array(SIGCONTEXT_SIZE);
  const view = new DataView(out.buffer);
  const g = vcpu.gpr;
  const words = [vcpu.getSegment(Seg.GS), vcpu.getSegment(Seg.FS), vcpu.getSegment(Seg.ES), vcpu.getSegment(Seg.DS),
    g[7]!, g[6]!, g[5]!, g[4]!, g[3]!, g[2]!, g[1]!, g[0]!, task.lastFault ? 14 : 0, 0, vcpu.eip, vcpu.getSegment(Seg.CS),
    vcpu.getEflags(), g[4]!, vcpu.getSegment(Seg.SS), fpstate, oldmask, task.lastFault?.address ?? 0];
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return out;
}

/** The x87 state as struct _fpstate_32's fnsave part, status and magic 0xffff (no FXSR data). */
function encodeFpstate(vcpu: Vcpu): Uint8Array {
  const context = vcpu.createContext();
  vcpu.saveContext(context);
  const out = new Uint8Array(FPSTATE_SIZE);
  out.set(context.fpu.subarray(0, 108));
  out[108] = context.fpu[4]!;
  out[109] = context.fpu[5]!;
  out[110] = 0xff;
  out[111] = 0xff;
  return out;
}

function encodeSiginfo(task: Task, signal: number): Uint8Array {
  // A signal sent with siginfo (kill's SI_USER and pid, rt_sigqueueinfo's payload, SIGCHLD's status) delivers it as sent.
  const queued = task.deliveringInfo;
  task.deliveringInfo = null;
  if (queued !== null && task.lastFault?.signal !== signal) return queued;
  const out = new Uint8Array(SIGINFO_SIZE);
  const view = new DataView(out.buffer);
  view.setInt32(0, signal, true);
  const fault = task.lastFault?.signal === signal ? task.lastFault : null;
  view.setInt32(8, fault ? fault.code : SI_USER, true);
  if (fault) view.setUint32(12, fault.address >>> 0, true);
  return out;
}

/** Builds the frame and enters the handler; false if the stack cannot take it. */
export function setupFrame(kernel: Kernel, task: Task, signal: number, action: SigAction): boolean {
  const vcpu = kernel.vcpu;
  const mm = task.mm;
  if (task.restartPending && (action.flags & SA_RESTART) === 0) {
    // The interrupted call returns EINTR instead of restarting (man 7 signal, "Interruption of system calls").
    vcpu.eip = (vcpu.eip + 2) >>> 0;
    vcpu.gpr[0] = -EINTR;
    task.sleepDeadline = null;
  }
  task.restartPending = false;
  task.waitedSignals = 0n;
  // SA_ONSTACK (get_sigframe): switch to the alternate stack unless it is disabled or already in use.
  const userEsp = vcpu.gpr[4]! >>> 0;
  const altStack = task.altStack;
  const esp = (action.flags & SA_ONSTACK) !== 0 && altStackState(task, userEsp) === 0 ? (altStack.sp + altStack.size) >>> 0 : userEsp;
  const fpstate = ((esp - FPSTATE_SIZE) & ~63) >>> 0;
  const rt = (action.flags & SA_SIGINFO) !== 0;
  const size = rt ? RT_FRAME_SIZE : FRAME_SIZE;
  // align_sigframe: (sp + 4) is 16-byte aligned at handler entry, as after a call.
  const frame = ((((fpstate - size + 4) & ~15) >>> 0) - 4) >>> 0;
  // After rt_sigsuspend the frame keeps the mask from before the call (Linux's saved_sigmask).
  const mask = task.savedMask ?? task.blocked;
  task.savedMask = null;
  const maskLow = Number(mask & 0xffffffffn);
  const maskHigh = Number((mask >> 32n) & 0xffffffffn);
  const retcode = (nr: number): Uint8Array => rt
    ? new Uint8Array([0xb8, nr & 0xff, nr >> 8, 0, 0, 0xcd, 0x80, 0])
    : new Uint8Array([0x58, 0xb8, nr & 0xff, nr >> 8, 0, 0, 0xcd, 0x80]);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const sigcontext = encodeSigcontext(vcpu, fpstate, maskLow, task);
  let retcodeAddress: number;
  if (rt) {
    const info = frame + 16;
    const uc = info + SIGINFO_SIZE;
    retcodeAddress = uc + UCONTEXT_SIZE;
    view.setUint32(4, signal, true);
    view.setUint32(8, info, true);
    view.setUint32(12, uc, true);
    bytes.set(encodeSiginfo(task, signal), 16);
    // ucontext: uc_flags 0, uc_link 0, uc_stack (the alternate stack as sigaltstack would report it, __save_altstack), mcontext, sigmask.
    view.setUint32(16 + SIGINFO_SIZE + 8, altStack.sp, true);
    view.setUint32(16 + SIGINFO_SIZE + 12, altStack.flags, true);
    view.setUint32(16 + SIGINFO_SIZE + 16, altStack.size, true);
    bytes.set(sigcontext, 16 + SIGINFO_SIZE + 20);
    view.setUint32(16 + SIGINFO_SIZE + 20 + SIGCONTEXT_SIZE, maskLow, true);
    view.setUint32(16 + SIGINFO_SIZE + 24 + SIGCONTEXT_SIZE, maskHigh, true);
    bytes.set(retcode(NR_rt_sigreturn), retcodeAddress - frame);
  } else {
    view.setUint32(4, signal, true);
    bytes.set(sigcontext, 8);
    view.setUint32(8 + SIGCONTEXT_SIZE + FPSTATE_UNUSED_SIZE, maskHigh, true);
    retcodeAddress = frame + 8 + SIGCONTEXT_SIZE + FPSTATE_UNUSED_SIZE + 4;
    bytes.set(retcode(NR_sigreturn), retcodeAddress - frame);
  }
  view.setUint32(0, action.flags & SA_RESTORER ? action.restorer : retcodeAddress, true);
  if (copyToUser(mm, fpstate, encodeFpstate(vcpu)) < 0 || copyToUser(mm, frame, bytes) < 0) return false;
  // __save_altstack: SS_AUTODISARM disables the stack while the handler runs; rt_sigreturn restores it from uc_stack.
  if (rt && (altStack.flags & SS_AUTODISARM) !== 0) task.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
  vcpu.gpr[4] = frame | 0;
  vcpu.eip = action.handler >>> 0;
  vcpu.gpr[0] = signal;
  vcpu.gpr[2] = rt ? (frame + 16) | 0 : 0;
  vcpu.gpr[1] = rt ? (frame + 16 + SIGINFO_SIZE) | 0 : 0;
  // Handlers start with DF and TF clear (the SysV ABI's direction flag rule).
  vcpu.setEflags(vcpu.getEflags() & ~(0x400 | 0x100));
  task.blocked = mask | action.mask | (action.flags & SA_NODEFER ? 0n : signalBit(signal));
  task.blocked &= ~UNBLOCKABLE;
  if (action.flags & SA_RESETHAND) task.signalHandlers.set(signal, { ...action, handler: SIG_DFL, flags: action.flags & ~SA_SIGINFO });
  task.lastFault = null;
  return true;
}

/** Restores registers from a struct sigcontext at `address` and the x87 state it points to; -EFAULT when unreadable. */
function restoreSigcontext(kernel: Kernel, task: Task, address: number): number {
  const vcpu = kernel.vcpu;
  const bytes = copyFromUser(task.mm, address, SIGCONTEXT_SIZE);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer);
  const word = (i: number): number => view.getUint32(i * 4, true);
  const fpstate = word(19);
  if (fpstate) {
    const fp = copyFromUser(task.mm, fpstate, 108);
    if (typeof fp === 'number') return -EFAULT;
    const context = vcpu.createContext();
    vcpu.saveContext(context);
    context.fpu.set(fp);
    vcpu.loadContext(context);
  }
  const order = [7, 6, 5, 4, 3, 2, 1, 0];
  order.forEach((reg, i) => { vcpu.gpr[reg] = word(4 + i) | 0; });
  vcpu.eip = word(14);
  vcpu.setEflags(word(16));
  if (!vcpu.setSegment(Seg.GS, word(0) & 0xffff) || !vcpu.setSegment(Seg.FS, word(1) & 0xffff)) return -EFAULT;
  return 0;
}

/** Implements sigreturn(2): esp points 4 bytes into the sigframe (the handler's ret popped pretcode). */
export function sigreturn(kernel: Kernel, task: Task): number {
  const frame = ((kernel.vcpu.gpr[4]! >>> 0) - 8) >>> 0;
  const high = copyFromUser(task.mm, frame + 8 + SIGCONTEXT_SIZE + FPSTATE_UNUSED_SIZE, 4);
  const low = copyFromUser(task.mm, frame + 8 + 80, 4);
  if (typeof high === 'number' || typeof low === 'number') return -EFAULT;
  const result = restoreSigcontext(kernel, task, frame + 8);
  if (result < 0) return result;
  task.blocked = (BigInt(new DataView(low.buffer).getUint32(0, true)) | (BigInt(new DataView(high.buffer).getUint32(0, true)) << 32n)) & ~UNBLOCKABLE;
  return kernel.vcpu.gpr[0]!;
}

/** Implements rt_sigreturn(2): esp points just past pretcode. */
export function rtSigreturn(kernel: Kernel, task: Task): number {
  const frame = ((kernel.vcpu.gpr[4]! >>> 0) - 4) >>> 0;
  const uc = frame + 16 + SIGINFO_SIZE;
  const mask = copyFromUser(task.mm, uc + 20 + SIGCONTEXT_SIZE, 8);
  if (typeof mask === 'number') return -EFAULT;
  const stack = copyFromUser(task.mm, uc + 8, 12);
  if (typeof stack === 'number') return -EFAULT;
  const result = restoreSigcontext(kernel, task, uc + 20);
  if (result < 0) return result;
  // restore_altstack: do_sigaltstack with the saved stack_t; every error but EFAULT is ignored.
  const saved = new DataView(stack.buffer);
  changeAltStack(task, kernel.vcpu.gpr[4]! >>> 0, saved.getUint32(0, true), saved.getUint32(4, true), saved.getUint32(8, true));
  const view = new DataView(mask.buffer);
  task.blocked = (BigInt(view.getUint32(0, true)) | (BigInt(view.getUint32(4, true)) << 32n)) & ~UNBLOCKABLE;
  return kernel.vcpu.gpr[0]!;
}

/** Installs frame setup as the kernel's delivery path for caught signals. */
export function installSignalFrames(kernel: Kernel): void {
  kernel.deliverToHandler = (task, signal, action) => setupFrame(kernel, task, signal, action);
}
