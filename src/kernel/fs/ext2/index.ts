/** ext2, read-write, revision 1: the on-disk core (Ext2Volume over a BlockDevice) and mkfs. */
export * from './block-device.js';
export * from './constants.js';
export { Ext2Filesystem, type Ext2Log, type Ext2MountOptions, type Ext2Statfs } from './filesystem.js';
export * from './volume.js';
export { makeFilesystem, planGeometry, type Geometry, type MkfsOptions } from './mkfs.js';
export { ext2FilesystemType, mountExt2, type Ext2MountRequest } from './vfs-driver.js';
export { exerciseImage, exerciseVolume, populateExerciseFixture } from './exercise.js';
