/**
 * A task's file descriptor table (Linux's files_struct): fd → open file
 * description plus the close-on-exec flag. Shared between threads with
 * CLONE_FILES, copied by fork (descriptions are shared, references counted).
 */
import { EBADF, EMFILE } from '../lib/index.js';
import type { OpenFile } from './file.js';
import { putFile } from './file.js';
import { releasePosixLocks } from './locks.js';
import type { LockOwner } from './locks.js';

export const NR_OPEN = 1024;

export class FdTable {
  /** The POSIX lock owner this process waits for in F_SETLKW (deadlock detection, locks.ts). */
  lockWaitsFor: LockOwner | null = null;
  private readonly files: (OpenFile | null)[] = [];
  private readonly closeOnExec: boolean[] = [];
  limit = NR_OPEN;

  get(fd: number): OpenFile | null {
    return (fd >= 0 && this.files[fd]) || null;
  }

  getCloseOnExec(fd: number): boolean { return this.closeOnExec[fd] ?? false; }
  setCloseOnExec(fd: number, value: boolean): void { if (this.files[fd]) this.closeOnExec[fd] = value; }

  /** Installs `file` at the lowest free fd >= minimum; takes over the caller's reference. */
  install(file: OpenFile, closeOnExec: boolean, minimum = 0): number {
    for (let fd = minimum; fd < this.limit; fd++) {
      if (!this.files[fd]) {
        this.files[fd] = file;
        this.closeOnExec[fd] = closeOnExec;
        return fd;
      }
    }
    putFile(file);
    return -EMFILE;
  }

  /** dup2/dup3: puts `file` at `fd`, closing what was there. */
  installAt(fd: number, file: OpenFile, closeOnExec: boolean): number {
    if (fd < 0 || fd >= this.limit) return -EBADF;
    const old = this.files[fd];
    file.references++;
    this.files[fd] = file;
    this.closeOnExec[fd] = closeOnExec;
    if (old) { releasePosixLocks(old.inode, this); putFile(old); }
    return fd;
  }

  close(fd: number): number {
    const file = this.get(fd);
    if (!file) return -EBADF;
    this.files[fd] = null;
    this.closeOnExec[fd] = false;
    // POSIX record locks belong to the fd table: any close of the file by the process drops them.
    releasePosixLocks(file.inode, this);
    putFile(file);
    return 0;
  }

  fork(): FdTable {
    const copy = new FdTable();
    copy.limit = this.limit;
    this.files.forEach((file, fd) => {
      if (!file) return;
      file.references++;
      copy.files[fd] = file;
      copy.closeOnExec[fd] = this.closeOnExec[fd] ?? false;
    });
    return copy;
  }

  closeAll(): void {
    for (let fd = 0; fd < this.files.length; fd++) if (this.files[fd]) this.close(fd);
  }

  execCloseOnExec(): void {
    for (let fd = 0; fd < this.files.length; fd++) if (this.files[fd] && this.closeOnExec[fd]) this.close(fd);
  }

  /** Open fds, ascending (for /proc and close_range). */
  openFds(): number[] {
    const out: number[] = [];
    this.files.forEach((file, fd) => { if (file) out.push(fd); });
    return out;
  }
}
