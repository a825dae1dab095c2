/** End-to-end comparison of ir0 with the real kernel: the same image, the same program, natively and under ir0 run. */
export { compareWithNative, firstDifference, type CompareOptions, type Comparison } from './compare.js';
export { runNative, nativeUnavailableReason } from './native-run.js';
export { runIr0, IR0_DEFAULT_ENVIRONMENT, type Ir0Output } from './ir0-run.js';
export type { ProcessOutput } from './process-output.js';
export { E2E_CASES, e2eCase, type E2eCase } from './cases.js';
export { e2eImage } from './e2e-image.js';
