/**
 * Smoke e2e: a static glibc program of the project (userland/ktest/args, in
 * the image as /opt/ir0/ktest/args) prints its arguments and auxv the same on
 * ir0 as natively, and exits with the same status; and the comparison's own
 * plumbing (stdin, environment, working directory) works on both sides.
 */
import { testAgainstNative } from './against-native.js';

await testAgainstNative('static');
await testAgainstNative('stdin-env-cwd');
