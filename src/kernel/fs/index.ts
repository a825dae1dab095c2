/** Filesystems: the VFS core (inodes, ops tables, mounts, path walk), tmpfs, initramfs (cpio newc), devices, the console, pipes, fd tables. */
export {
  Inode, S_IFMT, S_IFSOCK, S_IFLNK, S_IFREG, S_IFBLK, S_IFDIR, S_IFCHR, S_IFIFO, S_ISUID, S_ISGID, S_ISVTX,
  isDirectory, isSymlink, isRegular, isDeviceNode, noInodeOps, releaseInodeIfUnused,
} from './inode.js';
export type {
  FileOps, IoContext, UserAccess, Superblock, SuperOps, InodeOps, Attributes, DirectoryEntry, FilesystemStatistics, MountLink,
} from './inode.js';
export * from './mount.js';
export * from './locks.js';
export * from './permission.js';
export * from './mount-operations.js';
export * from './filesystem-type.js';
export * from './block-device-file.js';
export * from './file.js';
export * from './vfs.js';
export * from './tmpfs.js';
export * from './cpio.js';
export * from './initramfs.js';
export * from './devices.js';
export * from './console.js';
export * from './pipe.js';
export * from './fd-table.js';
export * from './stat.js';
export * from './generated-file.js';
