/**
 * Where the image recipe keeps its output: `.cache/image/root` by default (the
 * root the e2e tests and `ir0 run --root` use). A built root carries its
 * manifest in `.ir0-image.json`, which marks the directory as ours to replace.
 */
import { join } from 'node:path';
import { projectRoot } from '../debian/index.js';

export const MANIFEST_NAME = '.ir0-image.json';

/** The default output directory of `ir0 image build`. */
export function defaultImageRoot(): string {
  return join(projectRoot(), '.cache', 'image', 'root');
}

/** The folder of the project's guest programs (userland/NAME/build/PROGRAM). */
export function userlandDirectory(): string {
  return join(projectRoot(), 'userland');
}

/** Where the project's own programs and e2e scripts go inside the image: opt/ir0/FOLDER/NAME. */
export const IMAGE_USERLAND_DIRECTORY = 'opt/ir0';
