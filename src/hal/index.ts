/** The hardware abstraction layer: the interfaces between the kernel and a machine. Types only. */
export * from './vcpu.js';
export * from './memory.js';
export * from './platform.js';
