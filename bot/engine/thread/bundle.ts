import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, stop, type Plugin } from 'esbuild';

// The engine thread could run the TypeScript source through tsx, as the main
// thread does, but a worker then loads tsx's loader and keeps every module's
// transformed source and source map: about 60 MB more than the same code as
// one JavaScript file. So the engine thread's code is bundled at start-up
// (about 0.1 s), packages left to Node as they are.

const OUT_DIR = fileURLToPath(new URL('../../../.cache/engine-thread/', import.meta.url));

/** Each file keeps its own address where it says import.meta.url: its data files (locales, flows, migrations) are found beside it, not beside the bundle. */
const ownImportMetaUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

let made = 0;

/**
 * Bundles `entry` into a file of its own under .cache/engine-thread/ (inside
 * the project, so packages resolve from its node_modules) and returns its
 * path; one name per process and build, so tests starting engine threads at
 * once do not share a file. The caller removes it once the worker has it loaded.
 */
export async function bundleEngineThread(entry: URL): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = `${OUT_DIR}worker-${process.pid}-${++made}.mjs`;
  try {
    await build({
      entryPoints: [fileURLToPath(entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      plugins: [ownImportMetaUrl],
      logLevel: 'silent',
    });
  } finally {
    // esbuild's service process is not needed until the next build.
    await stop();
  }
  return outfile;
}
