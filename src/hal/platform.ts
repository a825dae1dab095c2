/**
 * The PC around the vcpu as the kernel sees it: port I/O, MMIO device
 * registers, interrupt acknowledge, hlt, and the firmware tables that say
 * which devices exist. The kernel is ring-0 host code, so it reaches devices
 * the way a real kernel's drivers do: `in`/`out` on ports and loads/stores
 * to MMIO. Devices interrupt by making `vcpu.run()` return Exit.Interrupt;
 * the kernel then acknowledges (the INTA cycle) to learn the vector.
 *
 * Host I/O (a terminal, a disk file, the host clock) enters the machine only
 * through the backends at the end of this file, which system/ wires in.
 */

/** Port I/O (Intel SDM 1 §16.3). Unclaimed ports read all ones; writes to them vanish. */
export interface IoPorts {
  in8(port: number): number;
  in16(port: number): number;
  in32(port: number): number;
  out8(port: number, value: number): void;
  out16(port: number, value: number): void;
  out32(port: number, value: number): void;
  /** `rep insw`: reads `count` 16-bit words from `port` into `into` at `offset` (little-endian bytes). */
  insw(port: number, into: Uint8Array, offset: number, count: number): void;
  /** `rep outsw`: writes `count` 16-bit words from `from` at `offset` to `port`. */
  outsw(port: number, from: Uint8Array, offset: number, count: number): void;
}

/** Device registers mapped at physical addresses (HPET, local APIC, I/O APIC). Unclaimed addresses read all ones. */
export interface MmioAccess {
  read32(physical: number): number;
  write32(physical: number, value: number): void;
}

/**
 * What the firmware tells the kernel about the machine (the ACPI MADT/HPET
 * tables and the BIOS data area of a PC, reduced to what ir0's kernel uses).
 * An absent field means the device is not there.
 */
export interface FirmwareTables {
  /** Physical base of the HPET registers (ACPI "HPET" table). */
  readonly hpetBase?: number;
  /** Physical base of the local APIC (MADT). */
  readonly localApicBase?: number;
  /** Physical base of the I/O APIC (MADT). */
  readonly ioApicBase?: number;
  /** I/O bases of the 16550A UARTs, COM1 first (BIOS data area 0x400). */
  readonly serialPorts: readonly number[];
  /** I/O bases of the ATA channels present: command block base and control port. */
  readonly ataChannels: readonly { readonly base: number; readonly control: number; readonly irq: number }[];
  /** VGA text mode: the frame buffer's physical address (0xB8000) when a display is attached. */
  readonly vgaText?: number;
  /** An 8042 PS/2 controller with a keyboard. */
  readonly ps2Keyboard: boolean;
  /** ir0's paravirtual console-size device (machine/devices/console-size.ts): the host terminal's rows and columns. */
  readonly consoleSize?: { readonly port: number; readonly irq: number };
  /** TSC frequency in Hz (the rate rdtsc counts at). */
  readonly tscHz: number;
  /** The local APIC timer's input clock in Hz, before its divider (CPUID leaf 0x15's crystal, as KVM reports it). */
  readonly localApicTimerHz?: number;
}

/** The machine's time as devices see it (virtual: from retired instructions; host: the host's monotonic clock). */
export const ClockMode = { Virtual: 'virtual', Host: 'host' } as const;
export type ClockMode = (typeof ClockMode)[keyof typeof ClockMode];

/** The machine besides the vcpu and RAM. One instance per machine. */
export interface Platform {
  readonly ports: IoPorts;
  readonly mmio: MmioAccess;
  readonly firmware: FirmwareTables;
  readonly clockMode: ClockMode;
  /**
   * The interrupt-acknowledge cycle: the vector of the highest-priority
   * interrupt the interrupt controllers now deliver (marking it in service),
   * or -1 when none is pending (a spurious exit). Call after Exit.Interrupt,
   * repeatedly until -1.
   */
  acknowledgeInterrupt(): number;
  /**
   * `sti; hlt`: the CPU sleeps until an interrupt is pending. With the virtual
   * clock, time skips at once to the next device event; with the host clock,
   * the host thread sleeps until it (or until host input arrives). Returns
   * false when no device event is scheduled and no input can arrive: the
   * machine would sleep forever.
   */
  halt(): boolean;
  /**
   * Fires the device events that are due and polls host input without
   * sleeping; returns whether an interrupt is now pending. The kernel calls
   * it after an idle sleep of its own (a timer-only wait) so input is seen.
   */
  poll(): boolean;
  /** The time-stamp counter (rdtsc as the kernel reads it), counting at firmware.tscHz. */
  readTsc(): number;
}

/* ------------------------------------------------------------------ backends */

/** The host end of a serial line (a UART's cable): bytes out to the host, bytes in from it. */
export interface SerialBackend {
  /** The guest transmitted these bytes. */
  write(bytes: Uint8Array): void;
  /**
   * The machine registers where host input goes; the backend calls `receive` as bytes arrive.
   * `receive` answers how many bytes the line took: the backend keeps the rest and offers it
   * again at a later poll (the host side of hardware flow control).
   */
  connect(receive: (bytes: Uint8Array) => number): void;
  /**
   * Called by the machine at least once per millisecond of machine time and
   * whenever halt() wakes: a backend whose input arrives asynchronously (a
   * worker's shared ring) delivers it to `receive` from here.
   */
  poll?(): void;
}

/** A disk's storage: a host file in Node, a buffer in the browser. Sector size 512. */
export interface BlockBackend {
  readonly sectorCount: number;
  readonly readOnly: boolean;
  /** Reads `into.length` bytes (a multiple of 512) starting at `sector`. Returns false on a host I/O error. */
  read(sector: number, into: Uint8Array): boolean;
  write(sector: number, from: Uint8Array): boolean;
  /** Makes every completed write durable (fdatasync of the backing file). */
  flush(): boolean;
}

/** Where the VGA text screen is shown; `render` gets the 80x25 cells (char | attr << 8) and the cursor. */
export interface DisplayBackend {
  render(cells: Uint16Array, columns: number, rows: number, cursor: { row: number; column: number; visible: boolean }): void;
}

/** The host keyboard: delivers PC scancodes (set 1) as keys go down and up. */
export interface KeyboardBackend {
  connect(scancodes: (codes: Uint8Array) => void): void;
  /** As SerialBackend.poll. */
  poll?(): void;
}

/** The host terminal's size, for a serial console (the paravirtual console-size device). */
export interface ConsoleSizeBackend {
  size(): { rows: number; columns: number };
  /** The machine registers where change notices go; the backend calls `changed` when the size may have changed. */
  connect(changed: () => void): void;
  /** As SerialBackend.poll. */
  poll?(): void;
}

/** The host's clock, for ClockMode.Host and for the RTC's wall-clock time. */
export interface HostTime {
  /** Host monotonic time in ns. */
  monotonic(): number;
  /** Wall-clock time in ns since the epoch. */
  realtime(): number;
  /** Blocks the host thread up to `nanoseconds` or until `wake()` is called (host input arrived). */
  sleep(nanoseconds: number): void;
}
