/** `ir0 mkimage`: disk images with an MBR and an ext2 partition made by the project's own mkfs. */
export * from './file-block-device.js';
export * from './mbr.js';
export * from './mkimage.js';
export * from './populate.js';
export * from './tree-compare.js';
export * from './workload.js';
export * from './debugfs-listing.js';
export * from './ext2-fuzz.js';
