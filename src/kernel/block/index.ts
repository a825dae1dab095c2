/** The block layer: disk drivers, the request queue, the page cache of block devices, MBR partitions, the ATA PIO driver. */
export * from './block-device.js';
export * from './request-queue.js';
export * from './block-cache.js';
export * from './partitions.js';
export * from './ata-driver.js';
