import { parentPort, workerData } from 'node:worker_threads';
import { createNlu, type NluOptions } from './nlu.ts';

// The intent model trained on a thread of its own (see train-thread.ts): it is
// written to the cache, where the main thread then loads it.
createNlu(workerData as NluOptions);
parentPort?.postMessage('trained');
