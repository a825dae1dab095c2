/**
 * E2E: Debian's coreutils (dynamically linked: ld.so, libc, libselinux, ...)
 * run by dash in userland/e2e-scripts/coreutils.sh — mkdir, cp, mv, rm,
 * ls -l, wc, sort — with the same output and status on ir0 as natively.
 */
import { testAgainstNative } from './against-native.js';

await testAgainstNative('coreutils');
