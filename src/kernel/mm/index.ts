/** Memory management: physical pages (buddy, slab), page tables, address spaces of VMAs, faults, uaccess. */
export * from './buddy.js';
export * from './slab.js';
export * from './physical-pages.js';
export * from './page-table.js';
export * from './vma.js';
export * from './address-space.js';
export * from './uaccess.js';
