// The load generator: a bounded, closed-loop HTTP client run as its own process
// (`node --import tsx bench/load.ts '<spec as JSON>'`), so the server under test
// has its own process and event loop. N simulated people each send their next
// message only after the previous answer; keep-alive connections (one per person).
// Given several ports (instances on one database), the people are split across them.
// It prints one JSON line (LoadResult) on stdout.
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';

export type LoadMode =
  /** Web chat: each person opens a session, runs the whole network-fault flow, then asks for its status with the reference, then starts over as a new person. */
  | 'flow'
  /** A plain GET of `path` (the bare-route baseline). */
  | 'get'
  /** Telegram webhook: each chat runs the same flow as real-shaped updates (the replies go out through the outbox). */
  | 'webhook'
  /** Telegram webhook: `total` distinct chats send one update each, then the generator stops. */
  | 'burst';

export interface LoadSpec {
  readonly mode: LoadMode;
  readonly port: number;
  /** Several servers (instances on one database): person w talks to ports[w % ports.length]; `port` is then unused. */
  readonly ports?: readonly number[];
  readonly concurrency: number;
  /** Run but not measured. */
  readonly warmupMs: number;
  /** Measured: only requests that start and finish inside this window count. */
  readonly durationMs: number;
  /** Makes session ids, chat ids and update ids unique across runs on one database. */
  readonly runId: string;
  readonly path?: string;
  readonly secret?: string;
  /** Telegram: first update_id and first chat id of this run. */
  readonly updateBase?: number;
  readonly chatBase?: number;
  /** burst: how many chats. flow: how many whole flows at most (then the people stop). */
  readonly total?: number;
  /**
   * flow: the messages a second the people offer together, each person writing
   * at an even pace from a random start within a flow's length (a person whose
   * answer comes late writes again at once); the warm-up should be longer than
   * a flow (5 messages ÷ pace × people). Unset: each writes again as soon as answered.
   */
  readonly pace?: number;
}

export interface LoadResult {
  readonly mode: LoadMode;
  readonly concurrency: number;
  readonly measuredMs: number;
  /** Requests answered 200 inside the measured window (flow mode: messages; the session openings are not among them). */
  readonly count: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** Non-200 answers, failed connections and wrong answers (no reference, a status reply without it), over the whole run. */
  readonly errors: number;
  readonly firstError?: string;
  /** Whole flows finished (flow and webhook modes), over the whole run. */
  readonly flows: number;
  /** Requests sent over the whole run, warm-up included (flow mode: messages, not session openings). */
  readonly sent: number;
  /** flow mode: web chat sessions opened (POST /webchat/sessions), one per new person, over the whole run. */
  readonly sessions?: number;
  /** With `ports`: requests sent over the whole run (as `sent`), by port. */
  readonly sentByPort?: Record<string, number>;
  /** The generator's own CPU time over the whole run, in seconds, and the run's length. */
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
}

/** The network-fault flow of test/support/flows.ts, then "where is my request …?". */
export const FLOW = ['the internet in our office has been down since morning', 'Registry, block B', '+255 713 000 111', 'yes'] as const;
const REFERENCE = /[A-Z]{2,6}-\d{4}-\d{6,}/;

interface Answer {
  readonly status: number;
  readonly body: string;
}

function send(agent: Agent, port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      h['content-length'] = Buffer.byteLength(body);
    }
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** What the generator writes on stderr when its measured window opens (the warm-up is over). */
export const MEASURING = 'huduma-load: measuring';

export async function runLoad(spec: LoadSpec, onMeasuring?: () => void): Promise<LoadResult> {
  if (onMeasuring) setTimeout(onMeasuring, spec.warmupMs).unref();
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency, maxFreeSockets: spec.concurrency });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const measureFrom = started + spec.warmupMs;
  const measureTo = measureFrom + spec.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let flows = 0;
  let sent = 0;
  const ports = spec.ports && spec.ports.length > 0 ? spec.ports : [spec.port];
  const sentByPort = new Map<number, number>();
  const fail = (why: string) => {
    errors++;
    firstError ??= why;
  };

  /** One request, timed; counted when it falls inside the measured window. */
  let sessions = 0;
  /** A new web chat session (the server issues its id), not timed or counted as a message; undefined when it failed. */
  async function openSession(w: number): Promise<string | undefined> {
    try {
      const a = await send(agent, ports[w % ports.length] ?? spec.port, 'POST', '/webchat/sessions', '');
      const id = a.status === 201 ? (JSON.parse(a.body) as { sessionId?: string }).sessionId : undefined;
      if (!id) fail(`POST /webchat/sessions → ${a.status} ${a.body.slice(0, 200)}`);
      else sessions++;
      return id;
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }

  async function timed(w: number, method: string, path: string, body?: string, headers?: Record<string, string>): Promise<Answer | undefined> {
    const t0 = performance.now();
    sent++;
    const port = ports[w % ports.length] ?? spec.port;
    sentByPort.set(port, (sentByPort.get(port) ?? 0) + 1);
    let answer: Answer;
    try {
      answer = await send(agent, port, method, path, body, headers);
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
      return undefined;
    }
    const t1 = performance.now();
    if (answer.status !== 200) {
      fail(`${method} ${path} → ${answer.status} ${answer.body.slice(0, 200)}`);
      return undefined;
    }
    if (t0 >= measureFrom && t1 <= measureTo) latencies.push(t1 - t0);
    return answer;
  }

  const running = () => performance.now() < measureTo;

  /**
   * With a pace: when each person writes next (ms, performance.now()). Each
   * starts at a random moment of a whole flow's length, so people are at
   * different steps of the flow: started together, they would all file their
   * requests in the same fraction of a second, again and again.
   */
  const interval = spec.pace ? (spec.concurrency / spec.pace) * 1000 : 0;
  const nextAt = Array.from({ length: spec.concurrency }, () => started + Math.random() * interval * (FLOW.length + 1));
  async function onPace(w: number): Promise<void> {
    if (!interval) return;
    const wait = (nextAt[w] ?? 0) - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    nextAt[w] = Math.max(nextAt[w] ?? 0, performance.now() - interval) + interval;
  }

  let flowsStarted = 0;
  async function webchatPerson(w: number): Promise<void> {
    for (let k = 0; running(); k++) {
      if (spec.total !== undefined && flowsStarted >= spec.total) return;
      flowsStarted++;
      const session = await openSession(w);
      if (!session) continue;
      const path = `/webchat/sessions/${session}/messages`;
      let reference: string | undefined;
      let ok = true;
      for (const text of FLOW) {
        await onPace(w);
        if (!running()) return;
        const a = await timed(w, 'POST', path, JSON.stringify({ text }));
        if (!a) {
          ok = false;
          break;
        }
        if (text === 'yes') reference = REFERENCE.exec(a.body)?.[0];
      }
      if (!ok) continue;
      if (!reference) {
        fail(`no reference in the answer to "yes" (person ${w}, flow ${k})`);
        continue;
      }
      await onPace(w);
      if (!running()) return;
      const a = await timed(w, 'POST', path, JSON.stringify({ text: `where is my request ${reference}?` }));
      if (!a) continue;
      if (!a.body.includes(reference)) fail(`the status answer does not name ${reference}: ${a.body.slice(0, 200)}`);
      else flows++;
    }
  }

  let nextUpdate = spec.updateBase ?? 1;
  const update = (chatId: number, text: string) => {
    const id = nextUpdate++;
    const person = { id: chatId, is_bot: false, first_name: 'Asha' };
    return JSON.stringify({ update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'Asha' }, from: person, text } });
  };
  const hook = { 'X-Telegram-Bot-Api-Secret-Token': spec.secret ?? '' };

  async function telegramPerson(w: number): Promise<void> {
    for (let k = 0; running(); k++) {
      const chatId = (spec.chatBase ?? 1_000_000) + k * spec.concurrency + w;
      let ok = true;
      // The reply (with the reference) goes out through the outbox, not in the answer: the status question names none.
      for (const text of [...FLOW, 'where is my request?']) {
        if (!running()) return;
        if (!(await timed(w, 'POST', '/telegram/webhook', update(chatId, text), hook))) {
          ok = false;
          break;
        }
      }
      if (ok) flows++;
    }
  }

  let burstNext = 0;
  async function burstPerson(w: number): Promise<void> {
    for (;;) {
      const i = burstNext++;
      if (i >= (spec.total ?? 0)) return;
      await timed(w, 'POST', '/telegram/webhook', update((spec.chatBase ?? 1_000_000) + i, FLOW[0]), hook);
    }
  }

  async function getter(w: number): Promise<void> {
    while (running()) await timed(w, 'GET', spec.path ?? '/healthz');
  }

  const person = (w: number) => {
    switch (spec.mode) {
      case 'flow':
        return webchatPerson(w);
      case 'webhook':
        return telegramPerson(w);
      case 'burst':
        return burstPerson(w);
      case 'get':
        return getter(w);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, (_, w) => person(w)));
  const ended = performance.now();
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();

  // burst: the whole run is measured (no window).
  const window = spec.mode === 'burst' ? ended - started : spec.durationMs;
  const sorted = Float64Array.from(latencies).sort();
  const sum = latencies.reduce((a, b) => a + b, 0);
  return {
    mode: spec.mode,
    concurrency: spec.concurrency,
    measuredMs: window,
    count: sorted.length,
    rate: sorted.length / (window / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] ?? 0) : 0,
    mean: sorted.length > 0 ? sum / sorted.length : 0,
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    flows,
    sent,
    ...(spec.ports ? { sentByPort: Object.fromEntries(sentByPort) } : {}),
    ...(spec.mode === 'flow' ? { sessions } : {}),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    wallSeconds: (ended - started) / 1000,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const result = await runLoad(spec.mode === 'burst' ? { ...spec, warmupMs: 0, durationMs: Number.MAX_SAFE_INTEGER / 4 } : spec, () => process.stderr.write(`${MEASURING}\n`));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
