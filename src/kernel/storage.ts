/**
 * Storage at boot (the block part of Linux's init: ata probe, partition scan,
 * prepare_namespace): registers the filesystem types, probes the ATA channels of the
 * firmware tables, makes /dev/hda and /dev/hda1..4 (block major 3), arms periodic
 * write-back, and with `root=/dev/hdaN` mounts that partition as the root — the
 * initial rootfs's /dev, /proc and /sys stay visible, bind-mounted over the new root's.
 * `shutdownStorage` writes everything back and drops the cache (a clean shutdown).
 */
import { AtaDriver, readPartitions } from './block/index.js';
import type { DiskDriver } from './block/index.js';
import type { FileSystemType, Inode } from './fs/index.js';
import {
  blockDeviceFileOps, createTmpfs, isDirectory, makeDevice, MS_BIND, MS_RDONLY, mountFilesystem, S_IFBLK, syncAll,
} from './fs/index.js';
import type { Kernel } from './proc/index.js';
import { vfatFilesystemType } from './fs/fat/index.js';
import { ext2FilesystemType } from './fs/ext2/index.js';

/** dirty_writeback_centisecs = 500: the flusher writes dirty cache pages back every 5 s. */
const WRITEBACK_INTERVAL_NS = 5e9;
/** IDE disks: major 3 for the primary channel (hda), 22 for the secondary (hdc); 64 minors per disk. */
const IDE_MAJORS = [3, 22];

/** The filesystem types every kernel has; disk filesystems ("ext2", "vfat") are registered by their own code. */
export function registerBaseFilesystems(kernel: Kernel): void {
  let nextDevice = 0x10;
  const memory = (name: string): FileSystemType => ({
    name, requiresDevice: false,
    mount: () => createTmpfs(kernel.pages, nextDevice++, name).superblock,
  });
  for (const type of [memory('tmpfs'), memory('ramfs'), memory('devtmpfs')]) kernel.vfs.filesystems.set(type.name, type);
  const vfat = vfatFilesystemType(() => kernel.realtime(), (line) => kernel.log.info(line), kernel.vfs.pageCache);
  kernel.vfs.filesystems.set(vfat.name, vfat);
  const ext2 = ext2FilesystemType(() => kernel.realtime(), (line) => kernel.log.info(line), kernel.vfs.pageCache);
  kernel.vfs.filesystems.set(ext2.name, ext2);
}

/** Probes disks and mounts root=; returns an error line (boot stops) or null. */
export function startStorage(kernel: Kernel, options: Map<string, string>): string | null {
  const vfs = kernel.vfs;
  const platform = kernel.platform;
  if (platform && kernel.interrupts) {
    platform.firmware.ataChannels.forEach((channel, index) => {
      const name = `hd${String.fromCharCode(97 + index * 2)}`;
      const driver = AtaDriver.probe(name, platform, kernel.interrupts!, channel);
      if (!driver) return;
      kernel.log.ok(`${name}: ${driver.model}, ${driver.sectorCount} sectors (${Math.round(driver.sectorCount / 2048)} MiB)${driver.lba48 ? ', LBA48' : ''}`);
      addDisk(kernel, driver, IDE_MAJORS[index] ?? 3 + index);
    });
  }
  let armed = false;
  vfs.blockCache.log = (line) => kernel.log.error(line);
  vfs.blockCache.onDirty = () => {
    if (armed) return;
    armed = true;
    // The timer fires in interrupt context: the write-back itself runs later in process context (deferredWork).
    // Stores through shared file mappings go to their filesystem first, then the disk's dirty pages.
    kernel.timers.add(kernel.clock.monotonic() + WRITEBACK_INTERVAL_NS, () => {
      kernel.deferredWork.push(() => { armed = false; vfs.pageCache.writebackAll(); vfs.blockCache.writebackAll(); });
    });
  };
  vfs.pageCache.onDirty = () => vfs.blockCache.onDirty();
  const root = options.get('root');
  if (root === undefined) return null;
  return mountRoot(kernel, root, options.get('rootfstype'), options.has('ro') ? MS_RDONLY : 0);
}

/** sync, then the cache pages go back to the allocator (so a run's page accounting balances). */
export function shutdownStorage(kernel: Kernel): void {
  syncAll(kernel.vfs);
  kernel.vfs.reclaim(Number.MAX_SAFE_INTEGER);
}

function addDisk(kernel: Kernel, driver: DiskDriver, major: number): void {
  const vfs = kernel.vfs;
  const entries = [{ name: driver.name, minor: 0, first: 0, count: driver.sectorCount }];
  for (const partition of readPartitions(driver)) {
    entries.push({ name: `${driver.name}${partition.number}`, minor: partition.number, first: partition.firstSector, count: partition.sectorCount });
  }
  const dev = vfs.lookup(vfs.root, vfs.root, '/dev');
  for (const entry of entries) {
    const rdev = makeDevice(major, entry.minor);
    vfs.blockDevices.set(rdev, blockDeviceFileOps(vfs.blockCache, driver, entry.first, entry.count));
    vfs.disks.set(rdev, { name: entry.name, device: vfs.blockCache.device(driver, entry.first, entry.count), readOnly: driver.readOnly });
    if (typeof dev === 'number') continue;
    const node = vfs.mknod(dev, entry.name, S_IFBLK | 0o660, rdev);
    if (typeof node !== 'number') { node.size = entry.count * 512; node.gid = 6; } // group disk
  }
  if (entries.length > 1) kernel.log.info(` ${driver.name}: ${entries.slice(1).map((e) => e.name).join(' ')}`);
}

/** prepare_namespace: mounts the root device, then keeps the rootfs's /dev, /proc and /sys visible on it. */
function mountRoot(kernel: Kernel, root: string, type: string | undefined, flags: number): string | null {
  const vfs = kernel.vfs;
  const rootfs = vfs.root;
  const caller = { root: rootfs, cwd: rootfs, privileged: true };
  // Mount on a scratch directory of the rootfs, then make that mount the root (init/do_mounts.c mounts on /root).
  const scratch = vfs.lookup(rootfs, rootfs, '/root');
  if (typeof scratch === 'number' && vfs.mkdir(rootfs, 'root', 0o700) < 0) return 'root: no /root in the rootfs to mount on';
  const types = type ? [type] : [...vfs.filesystems.values()].filter((t) => t.requiresDevice).map((t) => t.name);
  if (types.length === 0) return `root=${root}: no disk filesystem is registered`;
  let result = -19;
  for (const name of types) {
    result = mountFilesystem(vfs, caller, root, '/root', name, flags, '');
    if (result === 0) { kernel.log.ok(`root: ${root} mounted as ${name}${flags & MS_RDONLY ? ' (ro)' : ''}`); break; }
  }
  if (result < 0) return `root=${root}: cannot mount (errno ${-result}; tried ${types.join(', ')})`;
  const newRoot = vfs.lookup(rootfs, rootfs, '/root') as Inode;
  vfs.root = newRoot;
  for (const name of ['dev', 'proc', 'sys']) {
    const from = vfs.lookup(rootfs, rootfs, `/${name}`);
    const onto = vfs.lookup(newRoot, newRoot, `/${name}`);
    if (typeof from === 'number' || typeof onto === 'number' || !isDirectory(onto.mode)) continue;
    mountFilesystem(vfs, { root: rootfs, cwd: rootfs, privileged: true }, `/${name}`, `/root/${name}`, '', MS_BIND, '');
  }
  return null;
}
