/** The kernel log subsystem: klog ring buffer and oops formatting. */
export * from './klog.js';
export * from './oops.js';
