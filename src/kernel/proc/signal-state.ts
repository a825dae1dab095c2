/**
 * Per-process signal dispositions (Linux's sighand_struct) and signal numbers
 * and default actions (man 7 signal, i386 numbering). Masks are bigint bit
 * sets over signals 1..64 (bit n-1 = signal n), as the kernel's sigset_t.
 */

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
  SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16,
  SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24,
  SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
export const NSIG = 64;

export const SIG_DFL = 0;
export const SIG_IGN = 1;

export const SA_NOCLDSTOP = 0x1;
export const SA_NOCLDWAIT = 0x2;
export const SA_SIGINFO = 0x4;
export const SA_RESTORER = 0x04000000;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;

export const signalBit = (signal: number): bigint => 1n << BigInt(signal - 1);
/** SIGKILL and SIGSTOP cannot be caught, blocked or ignored. */
export const UNBLOCKABLE = signalBit(SIGKILL) | signalBit(SIGSTOP);

export type DefaultAction = 'terminate' | 'core' | 'ignore' | 'stop' | 'continue';

export function defaultAction(signal: number): DefaultAction {
  switch (signal) {
    case SIGCHLD: case SIGURG: case SIGWINCH: return 'ignore';
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return 'stop';
    case SIGCONT: return 'continue';
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
    case SIGXCPU: case SIGXFSZ: case SIGSYS: return 'core';
    default: return 'terminate';
  }
}

export interface SigAction {
  handler: number;
  flags: number;
  restorer: number;
  mask: bigint;
}

export class SignalHandlers {
  readonly actions: SigAction[];

  /** All default dispositions, or a copy of `from` (fork: each action is copied once, nothing is made twice). */
  constructor(from?: readonly SigAction[]) {
    this.actions = from
      ? from.map((action) => ({ handler: action.handler, flags: action.flags, restorer: action.restorer, mask: action.mask }))
      : Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0, restorer: 0, mask: 0n }));
  }

  clone(): SignalHandlers {
    return new SignalHandlers(this.actions);
  }

  /** execve: caught signals go back to SIG_DFL; ignored ones stay ignored (man 2 execve). */
  resetForExec(): void {
    for (const action of this.actions) if (action.handler !== SIG_IGN) Object.assign(action, { handler: SIG_DFL, flags: 0, restorer: 0, mask: 0n });
  }
}
