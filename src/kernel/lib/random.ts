/** The kernel's deterministic random source, seeded at boot from the command line (base/random.ts). */
export { Random } from '../../base/random.js';
