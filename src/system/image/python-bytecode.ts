/**
 * Compiles the image's Python standard library to bytecode, as Debian's
 * maintainer scripts do on a real system (py3compile in the postinst of
 * libpython3.X-minimal and -stdlib; the .deb files ship no .pyc). Without it
 * every python3 start compiles each imported module again, which costs more
 * than the program itself on an emulated CPU. The image's own python runs on
 * the host through the image's ld.so; paths inside the .pyc files are the
 * image's (compileall -s ROOT -p /).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The python3.X versions whose interpreter and standard library are in the image. */
export function pythonVersions(root: string): string[] {
  const bin = join(root, 'usr', 'bin');
  if (!existsSync(bin)) return [];
  return readdirSync(bin).filter((name) => /^python3\.\d+$/.test(name) && existsSync(join(root, 'usr', 'lib', name, 'os.py'))).sort();
}

/** Compiles each version's standard library; returns the versions compiled. Throws when the interpreter cannot run. */
export function compilePythonBytecode(root: string, progress: (message: string) => void): string[] {
  const versions = pythonVersions(root);
  for (const version of versions) {
    progress(`image: compiling the ${version} standard library to bytecode (as py3compile does)`);
    const result = spawnSync(join(root, 'usr', 'lib', 'ld-linux.so.2'), [
      '--library-path', `${join(root, 'usr', 'lib', 'i386-linux-gnu')}`,
      join(root, 'usr', 'bin', version), '-E', '-S', '-m', 'compileall', '-q', '-j', '0',
      // sitecustomize.py is an absolute link into /etc, which the host would resolve to its own file.
      '-x', 'sitecustomize', '-s', root, '-p', '/', join(root, 'usr', 'lib', version),
    ], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
    if (result.error !== undefined || result.status !== 0) {
      throw new Error(`compiling the ${version} standard library failed: ${result.error?.message ?? result.stdout + result.stderr}`);
    }
  }
  return versions;
}
