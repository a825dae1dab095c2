/** The scheduler tick rate (CONFIG_HZ_250, Debian's default) and its period. */
export const HZ = 250;
export const TICK_NS = 1e9 / HZ;
