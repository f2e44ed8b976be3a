import {
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import { clearAuth, readAuthValues, writeAuthValues } from '../../db/queries/whatsapp.ts';
import type { Store } from '../../db/store.ts';

const CREDS = 'creds';

/** The row key of a Signal key: the file name use-multi-file-auth-state would give it, without the ".json". */
export const keyOf = (type: keyof SignalDataTypeMap, id: string): string => `${type}-${id}`;

// BufferJSON keeps Buffers and Uint8Arrays (keys, signatures) intact through JSON.
export const encode = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
export const decode = (text: string): unknown => JSON.parse(text, BufferJSON.reviver);

export interface StoredAuthState {
  /** For makeWASocket's `auth`: creds in memory, keys read and written through the store (with Baileys' cache in front). */
  readonly state: AuthenticationState;
  /** Merges a `creds.update` into the creds and writes them; writes happen one after another, in the order asked. */
  saveCreds(update?: Partial<AuthenticationCreds>): Promise<void>;
  /** Forgets the linked device: every key and the creds (after a logout). */
  clear(): Promise<void>;
}

/** The Signal key store itself: one transaction per `set`, as Baileys expects a set to be all or nothing. */
function storedKeyStore(store: Store): SignalKeyStore {
  return {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const rows = await store.read((tx) =>
        readAuthValues(
          tx,
          ids.map((id) => keyOf(type, id)),
        ),
      );
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        const raw = rows.get(keyOf(type, id));
        if (raw === undefined) continue;
        const value = decode(raw);
        // As use-multi-file-auth-state does: app-state keys must be proto objects again, not plain JSON.
        out[id] = (type === 'app-state-sync-key' ? proto.Message.AppStateSyncKeyData.fromObject(value as object) : value) as SignalDataTypeMap[T];
      }
      return out;
    },
    async set(data: SignalDataSet) {
      const entries: { key: string; value: string | null }[] = [];
      for (const [type, values] of Object.entries(data) as [keyof SignalDataTypeMap, Record<string, unknown>][]) {
        for (const [id, value] of Object.entries(values ?? {})) entries.push({ key: keyOf(type, id), value: value ? encode(value) : null });
      }
      await store.transaction((tx) => writeAuthValues(tx, entries));
    },
    async clear() {
      await store.transaction((tx) => clearAuth(tx));
    },
  };
}

/**
 * Baileys' AuthenticationState kept in Huduma's database (table whatsapp_auth),
 * with the semantics of its use-multi-file-auth-state: the same JSON, the same
 * keys, a null value deletes. Survives restarts with the rest of the data.
 */
export async function storedAuthState(store: Store, logger?: Logger): Promise<StoredAuthState> {
  const stored = (await store.read((tx) => readAuthValues(tx, [CREDS]))).get(CREDS);
  const creds = stored === undefined ? initAuthCreds() : (decode(stored) as AuthenticationCreds);
  const keys = makeCacheableSignalKeyStore(storedKeyStore(store), logger);
  // Chained, and each write takes the creds as they are when its turn comes: on PostgreSQL two
  // transactions may otherwise commit out of order and leave older creds stored over newer ones.
  let writes: Promise<void> = Promise.resolve();
  const writeCreds = (): Promise<void> => {
    const write = writes.then(() => store.transaction((tx) => writeAuthValues(tx, [{ key: CREDS, value: encode(creds) }])));
    writes = write.catch(() => undefined);
    return write;
  };
  return {
    state: { creds, keys },
    saveCreds(update) {
      // The socket merges updates into the same object; merging here too keeps this correct on its own.
      if (update) Object.assign(creds, update);
      return writeCreds();
    },
    async clear() {
      await writes;
      // Through the cache, so it forgets too; the store's clear deletes every row, creds included.
      await keys.clear?.();
    },
  };
}
