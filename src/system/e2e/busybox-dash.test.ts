/**
 * E2E: dash runs userland/e2e-scripts/busybox-dash.sh (shell features and
 * more than 50 busybox-static applet invocations) in the default image; ir0's
 * output and status must equal the real kernel's byte for byte.
 */
import { testAgainstNative } from './against-native.js';

await testAgainstNative('busybox');
