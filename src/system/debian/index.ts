/** Debian bookworm i386 packages for guest programs: fetch, cache and extract them. */
export { fetchDebianPackages, DebianFetchError, type DebianPackage, type FetchOptions, type FetchResult } from './fetch.js';
export { debianPaths, projectRoot, type DebianPaths } from './cache-paths.js';
