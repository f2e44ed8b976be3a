import type { Logger } from 'pino';
import { modelOf } from '../bot/assemble.ts';
import type { Config } from '../bot/config.ts';
import type { Inbox } from '../bot/engine/inbox.ts';
import { StoreUnavailableError } from '../db/store.ts';
import type { Nlu, Understanding } from '../intents/nlu.ts';

// The intent model as the server gets it. Usually it is in the cache and
// loads in a moment. On a first start (or after the training data changed) it
// is trained on a thread of its own, 15–20 s, while the server already serves
// its page, the console and the API: messages that arrive meanwhile wait for
// the model and are answered once it is ready, in the order they came.

export interface ServerUnderstanding {
  /** Understands a text; the gated inbox calls the engine only once the model is ready. */
  readonly understand: (text: string, now: Date) => Understanding;
  /** Settles when messages can be understood: at once from the cache; rejects when training failed or stop() came first. */
  readonly ready: Promise<void>;
  /** Whether the model is still being trained (/healthz says "starting"). */
  starting(): boolean;
  /** The inbox, each message held until the model is ready. */
  gate(inbox: Inbox): Inbox;
  /** Stops a training in progress (shutting down); the messages held get 503. */
  stop(): Promise<void>;
}

/** Says one plain line to the person who ran `npm start` (the logs are JSON on stderr). */
export type Progress = (line: string) => void;

export function understandingOf(config: Config, log: Logger, progress: Progress = () => undefined): ServerUnderstanding {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 1000);
  const model = modelOf(config);
  let nlu: Nlu | undefined = model.status === 'cached' ? model.nlu : undefined;
  if (model.status === 'cached') log.info({ trained: false, ms: Math.round(performance.now() - started) }, 'intent model ready');
  else {
    log.info('training the intent model (first start, or the training data changed); messages wait for it');
    progress('Training the intent model (first start only)… the web chat page is already served; messages are answered once it is ready.');
  }
  let stopping = false;
  const ready: Promise<void> =
    model.status === 'cached'
      ? Promise.resolve()
      : model.ready.then(
          (trained) => {
            nlu = trained;
            log.info({ trained: true, ms: Math.round(performance.now() - started) }, 'intent model ready');
            progress(`The intent model is ready (trained in ${seconds()} s); Huduma answers messages now.`);
          },
          (error: unknown) => {
            // Shutting down during a training is no failure: held messages get 503 and are sent again by their clients.
            if (stopping) throw new StoreUnavailableError('HUDUMA_STOPPING', 'Huduma stopped before its intent model was ready');
            throw error;
          },
        );
  // Every waiter handles the outcome itself; this keeps an unawaited failure from being "unhandled".
  ready.catch(() => undefined);
  return {
    understand: (text, now) => {
      if (!nlu) throw new Error('the intent model is not ready: messages must wait for understanding.ready');
      return nlu.understand(text, now);
    },
    ready,
    starting: () => nlu === undefined,
    gate: (inbox) => ({
      submit: (message, understood) => (nlu ? inbox.submit(message, understood) : ready.then(() => inbox.submit(message, understood))),
      drain: async () => {
        if (!nlu) await ready.catch(() => undefined);
        await inbox.drain();
      },
    }),
    stop: async () => {
      stopping = true;
      if (model.status === 'training') await model.stop();
    },
  };
}
