/**
 * The CMOS real-time clock driver (Linux's drivers/rtc/rtc-mc146818-lib.c,
 * reduced to reading the date at boot, as hctosys does): waits for the update
 * cycle to end (UIP clear), reads seconds..year and the century in the format
 * register B says (BCD or binary, 12- or 24-hour), and returns seconds since 1970.
 */
import type { IoPorts } from '../../hal/index.js';
import { secondsFromCivil } from '../../base/civil-time.js';

function select(ports: IoPorts, register: number): number {
  ports.out8(0x70, register);
  return ports.in8(0x71);
}

/** The RTC's time in seconds since 1970 (UTC), or null when no RTC answers (reads float to 0xff). */
export function readRtc(ports: IoPorts): number | null {
  // Datasheet: the time registers are stable for 244 µs after UIP reads 0; read twice until two reads agree.
  for (let attempt = 0; attempt < 10; attempt++) {
    if (select(ports, 0x0a) & 0x80) continue;
    const raw = [0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32].map((register) => select(ports, register));
    const again = [0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32].map((register) => select(ports, register));
    if (raw.some((value, i) => value !== again[i])) continue;
    if (raw.every((value) => value === 0xff)) return null;
    const registerB = select(ports, 0x0b);
    const binary = (registerB & 0x04) !== 0;
    const decode = (value: number): number => (binary ? value : (value >> 4) * 10 + (value & 0xf));
    const [seconds, minutes, hourByte, day, month, year, century] = raw as [number, number, number, number, number, number, number];
    let hours = decode(hourByte & 0x7f);
    if ((registerB & 0x02) === 0) hours = (hours % 12) + (hourByte & 0x80 ? 12 : 0);
    const fullYear = (century === 0 ? 20 : (century >> 4) * 10 + (century & 0xf)) * 100 + decode(year);
    return secondsFromCivil(fullYear, decode(month), decode(day), hours, decode(minutes), decode(seconds));
  }
  return null;
}
