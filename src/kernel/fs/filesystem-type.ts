/**
 * Filesystem types (register_filesystem, struct file_system_type): a name, whether
 * it needs a block device (FS_REQUIRES_DEV; the others are "nodev" in
 * /proc/filesystems), and mount(request) → a Superblock with `root` set, or a
 * negative errno (-EINVAL for a device that does not hold this filesystem, -EROFS
 * for a read-write mount the filesystem refuses). Boot registers tmpfs, proc,
 * devtmpfs and the disk filesystems; "ext2" and "vfat" come from their engineers.
 */
import type { BlockDevice } from '../block/index.js';
import type { Superblock } from './inode.js';

export interface MountRequest {
  /** The source as given to mount(2): a device path, or a name for nodev filesystems. */
  readonly source: string;
  /** MS_* flags (MS_RDONLY...). */
  readonly flags: number;
  /** The data string (mount -o options not taken as flags). */
  readonly data: string;
  /** The block device for FS_REQUIRES_DEV types, through the block cache. */
  readonly device: BlockDevice | null;
  /** Its device number (st_dev of the filesystem's inodes). */
  readonly deviceNumber: number;
}

export interface FileSystemType {
  readonly name: string;
  readonly requiresDevice: boolean;
  mount(request: MountRequest): Superblock | number;
}

/** /proc/filesystems: "nodev\tproc" or "\text2", in registration order. */
export function filesystemsText(types: Iterable<FileSystemType>): string {
  let text = '';
  for (const type of types) text += `${type.requiresDevice ? '' : 'nodev'}\t${type.name}\n`;
  return text;
}
