/** Memory management: physical pages (buddy, slab), page tables, address spaces of VMAs, faults, the file page cache, uaccess. */
export * from './buddy.js';
export * from './slab.js';
export * from './physical-pages.js';
export * from './page-table.js';
export * from './vma.js';
export * from './address-space.js';
export * from './reverse-map.js';
export * from './page-cache.js';
export * from './uaccess.js';
