/** The image recipe: root directories built from Debian bookworm i386 packages plus the project's programs. */
export { buildImage, readManifest, DEFAULT_PACKAGES, ImageError, type ImageManifest, type ImageOptions, type ImageResult } from './recipe.js';
export { defaultImageRoot, IMAGE_USERLAND_DIRECTORY } from './image-paths.js';
export { isI386Executable } from './userland-overlay.js';
