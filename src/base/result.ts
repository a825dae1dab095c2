/**
 * Errors as values. A Result is either a value or a negative Linux errno.
 * Numbers make the common case cheap: functions returning a u32-ish value use
 * `number` where a negative number in [-4095, -1] is an errno (Linux's
 * IS_ERR_VALUE convention); richer results use Result<T>.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; errno: number };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(errno: number): Result<T> => ({ ok: false, errno });

/** True for a number result in Linux's errno range [-4095, -1]. */
export const isErrno = (x: number): boolean => x < 0 && x >= -4095;
