/**
 * E2E: `python3 -c SCRIPT` gives the same output and status on ir0 as
 * natively: a short script (python-sample.py), and the full one
 * (python-features.py: os, subprocess, signal handlers and setitimer,
 * threading, tempfile, mmap, json, math).
 */
import { testAgainstNative } from './against-native.js';

await testAgainstNative('python-sample');
await testAgainstNative('python',
  'kernel: MAP_SHARED file mappings are private (mmap2 partial), so writes through mmap never reach the file');
