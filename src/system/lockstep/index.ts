/** Lockstep: the vcpu beside a real i386 process under ptrace, compared at every syscall. */
export { runLockstep, DEFAULT_ENVIRONMENT, tracerPath, type LockstepOptions, type LockstepResult } from './lockstep.js';
export { standardWorkloads, debianArgv, WORKLOAD_PACKAGES, type Workload } from './workloads.js';
export type { SessionOutcome } from './session.js';
