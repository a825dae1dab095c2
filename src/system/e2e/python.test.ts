/**
 * E2E: `python3 -c SCRIPT` gives the same output and status on ir0 as
 * natively, with python-features.py: os, subprocess, signal handlers and
 * setitimer, threading, tempfile, mmap, json, math. (The shorter
 * python-sample case is for `ir0 image compare python-sample`.)
 */
import { testAgainstNative } from './against-native.js';

await testAgainstNative('python');
