/**
 * E2E: `python3 -c SCRIPT` gives the same output and status on ir0 as
 * natively: a short script in the default suite, and the full one
 * (python-features.py: os, subprocess, signal handlers and setitimer,
 * threading, tempfile, mmap, json, math) with IR0_E2E_FULL=1.
 */
import { testAgainstNative } from './against-native.js';

await testAgainstNative('python-sample');
await testAgainstNative('python',
  'kernel: setitimer is ENOSYS (signal.itimer_error), and Popen.terminate() of a running child gives status 0, not -15');
