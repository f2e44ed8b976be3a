// The engine thread: the conversation engine and its own SQLite connection,
// so that turns and their durable commits (an fsync each) run beside the main
// thread's HTTP work instead of in turn with it. Started by EngineThread.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../../../db/sqlite/store.ts';
import { assembleEngine, lazyUnderstanding } from '../../assemble.ts';
import { loadConfig } from '../../config.ts';
import { ManualClock } from '../../sla/clock.ts';
import { GroupCommit } from '../inbox.ts';
import { engineThreadData, failureOf, MetricsTape, type CloseRequest, type EngineReport, type TurnBatch, type TurnSettled } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('bot/engine/thread/worker.ts runs as a worker thread (EngineThread starts it)');
const tell = (report: EngineReport) => port.postMessage(report);

// The settings arrive as the environment they were read from and are read the same way here.
const data = engineThreadData.parse(workerData);
const config = loadConfig(data.env);
// Time is the main thread's: each batch brings its clock reading.
const clock = new ManualClock(new Date(0));
const tape = new MetricsTape();

let store: SqliteStore;
let inbox: GroupCommit;
try {
  store = new SqliteStore({ path: config.DATABASE_PATH, busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS });
  const engine = assembleEngine(config, { clock, metrics: tape, understand: lazyUnderstanding(config) });
  inbox = new GroupCommit({ store, engine });
  tell({ type: 'ready' });
} catch (error) {
  tell({ type: 'failed', error: failureOf(error) });
  process.exit(1);
}

// Turns committed together settle together: their results go back as one message.
let settled: TurnSettled[] = [];
function settle(result: TurnSettled): void {
  if (settled.length === 0) queueMicrotask(report);
  settled.push(result);
}
function report(): void {
  const results = settled;
  settled = [];
  tell({ type: 'settled', results, metrics: tape.take() });
}

port.on('message', (m: TurnBatch | CloseRequest) => {
  if (m.type === 'close') {
    void inbox
      .drain()
      .then(() => store.close())
      .then(() => port.close());
    return;
  }
  clock.set(new Date(m.nowMs));
  for (const { id, message, understood } of m.items) {
    inbox.submit(message, understood).then(
      (outcome) => settle({ id, ok: true, outcome }),
      (error: unknown) => settle({ id, ok: false, error: failureOf(error) }),
    );
  }
});
