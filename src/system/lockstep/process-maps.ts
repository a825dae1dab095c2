/**
 * Parses /proc/PID/maps (man 5 proc_pid_maps): one mapping per line,
 * "start-end perms offset dev inode [name]".
 */

export interface ProcessMapping {
  start: number;
  end: number;
  readable: boolean;
  writable: boolean;
  executable: boolean;
  /** Offset, device and inode: a mapping replaced by another at the same place has a new identity. */
  identity: string;
  /** '[stack]', '[vdso]', '[vvar]', a file path, or ''. */
  name: string;
}

export function parseMaps(text: string): ProcessMapping[] {
  const mappings: ProcessMapping[] = [];
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) (\S+) (\S+) (\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, start, end, perms, offset, device, inode, name] = match;
    mappings.push({
      start: parseInt(start, 16), end: parseInt(end, 16),
      readable: perms[0] === 'r', writable: perms[1] === 'w', executable: perms[2] === 'x',
      identity: `${perms} ${offset} ${device} ${inode} ${name}`, name,
    });
  }
  return mappings;
}

/** Mappings whose contents the vcpu can never see: [vvar] is the kernel's data page for the vDSO. */
export function isKernelDataMapping(mapping: ProcessMapping): boolean {
  return mapping.name.startsWith('[vvar');
}
