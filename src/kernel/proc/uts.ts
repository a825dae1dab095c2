/**
 * The system's names (include/linux/utsname.h): what uname(2) reports, and the two
 * names root may change — the host name (sethostname, /proc/sys/kernel/hostname) and
 * the NIS domain name (setdomainname, /proc/sys/kernel/domainname). One set for the
 * machine: ir0 has no UTS namespaces.
 */

/** __NEW_UTS_LEN: the longest name; each struct new_utsname field holds it plus a NUL. */
export const UTS_NAME_LENGTH = 64;

export const UTS_SYSNAME = 'Linux';
export const UTS_RELEASE = '6.1.0-ir0';
export const UTS_VERSION = '#1 SMP PREEMPT_DYNAMIC ir0';
export const UTS_MACHINE = 'i686';

export type UtsField = 'nodename' | 'domainname';

const encoder = new TextEncoder();

/** A name field as the kernel keeps it: 65 bytes, the name then NULs (sethostname copies bytes, not a string). */
function field(text: string | Uint8Array): Uint8Array {
  const out = new Uint8Array(UTS_NAME_LENGTH + 1);
  out.set((typeof text === 'string' ? encoder.encode(text) : text).subarray(0, UTS_NAME_LENGTH));
  return out;
}

export class UtsNames {
  /** ir0 boots with the host name "ir0" (Linux's compiled-in default is "(none)"). */
  private readonly names: Record<UtsField, Uint8Array> = { nodename: field('ir0'), domainname: field('(none)') };

  /** Sets a name from the bytes a program passed (kernel/sys.c sethostname: copy, then zero the rest). */
  set(name: UtsField, bytes: Uint8Array): void {
    this.names[name] = field(bytes);
  }

  /** A name as text, up to its first NUL (what /proc/sys/kernel/hostname prints). */
  text(name: UtsField): string {
    const bytes = this.names[name];
    const end = bytes.indexOf(0);
    return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
  }

  /** struct new_utsname: six 65-byte fields. */
  encode(): Uint8Array {
    const fields = [field(UTS_SYSNAME), this.names.nodename, field(UTS_RELEASE), field(UTS_VERSION), field(UTS_MACHINE), this.names.domainname];
    const out = new Uint8Array((UTS_NAME_LENGTH + 1) * fields.length);
    fields.forEach((bytes, i) => out.set(bytes, i * (UTS_NAME_LENGTH + 1)));
    return out;
  }
}
