/**
 * ext2 on-disk constants (Linux fs/ext2/ext2.h, e2fsprogs lib/ext2fs/ext2_fs.h):
 * magic, revision, reserved inode numbers, feature bits, inode flags and the
 * directory entry file types. Revision 1 only ("dynamic" inode sizes and features).
 */

export const EXT2_SUPER_MAGIC = 0xef53;
export const EXT2_SUPERBLOCK_OFFSET = 1024;
export const EXT2_SUPERBLOCK_SIZE = 1024;
export const EXT2_DYNAMIC_REV = 1;
export const EXT2_GOOD_OLD_INODE_SIZE = 128;
export const EXT2_GOOD_OLD_FIRST_INO = 11;
export const EXT2_GROUP_DESCRIPTOR_SIZE = 32;

/** Reserved inode numbers. */
export const EXT2_BAD_INO = 1;
export const EXT2_ROOT_INO = 2;
export const EXT2_RESIZE_INO = 7;
export const EXT2_JOURNAL_INO = 8;

/** s_state bits. */
export const EXT2_VALID_FS = 1;
export const EXT2_ERROR_FS = 2;

/** s_errors behaviours. */
export const EXT2_ERRORS_CONTINUE = 1;

/** Compatible features: any kernel may mount read-write. */
export const COMPAT_DIR_PREALLOC = 0x1;
export const COMPAT_IMAGIC_INODES = 0x2;
export const COMPAT_HAS_JOURNAL = 0x4;
export const COMPAT_EXT_ATTR = 0x8;
export const COMPAT_RESIZE_INODE = 0x10;
export const COMPAT_DIR_INDEX = 0x20;

/** Incompatible features: a kernel that does not know one must not mount at all. */
export const INCOMPAT_COMPRESSION = 0x1;
export const INCOMPAT_FILETYPE = 0x2;
export const INCOMPAT_RECOVER = 0x4;
export const INCOMPAT_JOURNAL_DEV = 0x8;
export const INCOMPAT_META_BG = 0x10;
export const INCOMPAT_EXTENTS = 0x40;
export const INCOMPAT_64BIT = 0x80;
export const INCOMPAT_FLEX_BG = 0x200;
/** What this driver reads and writes. RECOVER is handled apart: read-only mount only. */
export const INCOMPAT_SUPPORTED = INCOMPAT_FILETYPE | INCOMPAT_FLEX_BG;

/** Read-only compatible features: an unknown one allows a read-only mount. */
export const RO_COMPAT_SPARSE_SUPER = 0x1;
export const RO_COMPAT_LARGE_FILE = 0x2;
export const RO_COMPAT_BTREE_DIR = 0x4;
export const RO_COMPAT_SUPPORTED = RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE | RO_COMPAT_BTREE_DIR;

/** i_flags. */
export const EXT2_INDEX_FL = 0x1000;
export const EXT4_EXTENTS_FL = 0x80000;

/** i_block: 12 direct pointers, then single, double and triple indirect. */
export const EXT2_NDIR_BLOCKS = 12;
export const EXT2_IND_BLOCK = 12;
export const EXT2_DIND_BLOCK = 13;
export const EXT2_TIND_BLOCK = 14;
export const EXT2_N_BLOCKS = 15;
/** A symlink target shorter than this lives in i_block itself (fs/ext2/namei.c ext2_symlink). */
export const EXT2_FAST_SYMLINK_MAX = 59;

/** Directory entry file_type values (with INCOMPAT_FILETYPE). */
export const FT_UNKNOWN = 0;
export const FT_REG_FILE = 1;
export const FT_DIR = 2;
export const FT_CHRDEV = 3;
export const FT_BLKDEV = 4;
export const FT_FIFO = 5;
export const FT_SOCK = 6;
export const FT_SYMLINK = 7;

export const EXT2_NAME_LEN = 255;
/** Longest path a symlink may hold (one block minus its NUL, as Linux allows up to PAGE_SIZE). */
export const EXT2_LINK_MAX = 32000;

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

/** The directory entry file type for an inode mode. */
export function fileTypeOfMode(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFREG: return FT_REG_FILE;
    case S_IFDIR: return FT_DIR;
    case S_IFCHR: return FT_CHRDEV;
    case S_IFBLK: return FT_BLKDEV;
    case S_IFIFO: return FT_FIFO;
    case S_IFSOCK: return FT_SOCK;
    case S_IFLNK: return FT_SYMLINK;
    default: return FT_UNKNOWN;
  }
}
