import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { cachedNlu, createNlu, DEFAULT_CACHE_DIR, type Nlu, type NluOptions } from './nlu.ts';

// A first start (or new training data) needs the intent model trained, about
// 15–20 s of one core. On the main thread that would keep the server from
// answering anything, even its page; on a thread of its own the server
// listens at once and only the understanding waits.

const WORKER = new URL('./train-worker.ts', import.meta.url);

/**
 * On Node 20 a worker does not inherit the loader that `tsx` gave this thread,
 * so it registers tsx's own first and then imports its entry (resolved from
 * here; vitest has no import.meta.resolve, and runs from the project).
 */
const TSX_API = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); })`;

/** A training under way: settles when the model is in the cache (or training failed, or it was stopped). */
interface Training {
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

function trainInThread(options: NluOptions): Training {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: options });
  let stopped = false;
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(stopped ? 'stopped before the intent model was trained' : `the training thread exited (code ${code}) before the model was trained`)));
  });
  return {
    done,
    stop: async () => {
      stopped = true;
      await worker.terminate();
    },
  };
}

/** The intent model: from the cache at once, or trained on its own thread while the caller goes on. */
export type ModelStart = { readonly status: 'cached'; readonly nlu: Nlu } | { readonly status: 'training'; readonly ready: Promise<Nlu>; stop(): Promise<void> };

/** Says at once, not after the training, that the model could not be kept (a read-only checkout, a wrong NLU_CACHE_DIR). */
function assertWritable(dir: string): void {
  const probe = join(dir, `.probe.${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new Error(
      `the intent model must be trained, but its cache folder ${dir} cannot be written (${typeof code === 'string' ? code : String(e)}): make it writable, or set NLU_CACHE_DIR to a folder that is`,
    );
  }
}

export function startNlu(options: NluOptions): ModelStart {
  const nlu = cachedNlu(options);
  if (nlu) return { status: 'cached', nlu };
  assertWritable(options.cacheDir ?? DEFAULT_CACHE_DIR);
  let current: Training | undefined;
  let stopped = false;
  const ready = (async () => {
    // Data or code changed again while it trained (a developer at work): train again, then give up on threads.
    for (let attempt = 0; attempt < 2 && !stopped; attempt++) {
      current = trainInThread(options);
      await current.done;
      const trained = cachedNlu(options);
      if (trained) return { ...trained, trained: true };
    }
    if (stopped) throw new Error('stopped before the intent model was trained');
    return createNlu(options);
  })();
  return {
    status: 'training',
    ready,
    stop: async () => {
      stopped = true;
      await current?.stop();
    },
  };
}
