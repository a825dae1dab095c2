/**
 * /proc/PID/maps (fs/proc/task_mmu.c show_map_vma; man 5 proc_pid_maps): one VMA per
 * line, "start-end perms offset major:minor inode", then the name padded to column 49
 * (25 + 6 * sizeof(void *) - 1 on i386, seq_pad) — anonymous lines end in a space.
 */
import type { Kernel, Task } from '../../proc/index.js';
import { MAP_SHARED, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../mm/index.js';
import { canonicalPath, deletedPath } from './paths.js';

const NAME_COLUMN = 25 + 6 * 4 - 1;
const hex = (value: number, width: number): string => (value >>> 0).toString(16).padStart(width, '0');

export function mapsText(kernel: Kernel, task: Task): string {
  const lines: string[] = [];
  const names = new Map<string, { path: string; device: number; ino: number }>();
  for (const vma of task.mm.vmas) {
    let name = vma.name;
    let device = 0, ino = 0;
    if (vma.source && name && !name.startsWith('[')) {
      const file = vma.source.file;
      let known = names.get(name);
      if (!known) {
        const path = canonicalPath(kernel, task, name) ?? name;
        const inode = file ?? kernel.vfs.lookup(task.fs.root, task.fs.cwd, name);
        known = { path, device: typeof inode === 'number' ? 0 : inode.superblock.device, ino: typeof inode === 'number' ? 0 : inode.ino };
        names.set(name, known);
      }
      // d_path of an unlinked file (man 5 proc_pid_maps).
      name = file?.nlink === 0 ? `${deletedPath(kernel, task, vma.name)} (deleted)` : known.path;
      device = file?.superblock.device ?? known.device;
      ino = file?.ino ?? known.ino;
    } else if (vma.source && !name) {
      name = '/dev/zero (deleted)';
    } else if (!vma.source && !name.startsWith('[')) {
      // exec names a program's bss after it; Linux shows anonymous mappings without a name.
      name = '';
    }
    const permissions = (vma.prot & PROT_READ ? 'r' : '-') + (vma.prot & PROT_WRITE ? 'w' : '-') + (vma.prot & PROT_EXEC ? 'x' : '-')
      + (vma.flags & MAP_SHARED ? 's' : 'p');
    const offset = vma.source ? vma.offset - (vma.offset % PAGE_SIZE) : 0;
    let line = `${hex(vma.start, 8)}-${hex(vma.end, 8)} ${permissions} ${hex(offset, 8)} ${hex(device >>> 8, 2)}:${hex(device & 0xff, 2)} ${ino} `;
    if (name) line = line.padEnd(NAME_COLUMN) + ' ' + name;
    lines.push(line);
  }
  return lines.map((line) => line + '\n').join('');
}
