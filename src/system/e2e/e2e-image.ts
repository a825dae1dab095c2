/**
 * The image the e2e tests run in: the default image of the recipe
 * (.cache/image/root), built on first use and reused after (a few seconds
 * when the .deb files are cached, ~20 s with downloads). Tests skip, with the
 * reason, when it cannot be built or native runs are impossible here.
 */
import { DebianFetchError } from '../debian/index.js';
import { buildImage, ImageError } from '../image/index.js';
import { nativeUnavailableReason } from './native-run.js';

export type E2eImage = { root: string; skip?: undefined } | { root?: undefined; skip: string };

let pending: Promise<E2eImage> | undefined;

export function e2eImage(): Promise<E2eImage> {
  pending ??= (async (): Promise<E2eImage> => {
    const native = nativeUnavailableReason();
    if (native !== null) return { skip: native };
    try {
      const { root } = await buildImage({ onProgress: (message) => process.stderr.write(`${message}\n`) });
      return { root };
    } catch (error) {
      if (error instanceof DebianFetchError || error instanceof ImageError) return { skip: `no image: ${error.message}` };
      throw error;
    }
  })();
  return pending;
}
