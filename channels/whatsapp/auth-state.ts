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
import type { Db } from '../../db/client.ts';
import { clearAuth, readAuthValues, writeAuthValues } from '../../db/queries/whatsapp.ts';

const CREDS = 'creds';

/** The row key of a Signal key: the file name use-multi-file-auth-state would give it, without the ".json". */
export const keyOf = (type: keyof SignalDataTypeMap, id: string): string => `${type}-${id}`;

// BufferJSON keeps Buffers and Uint8Arrays (keys, signatures) intact through JSON.
export const encode = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
export const decode = (text: string): unknown => JSON.parse(text, BufferJSON.reviver);

export interface SqliteAuthState {
  /** For makeWASocket's `auth`: creds in memory, keys read and written through SQLite (with Baileys' cache in front). */
  readonly state: AuthenticationState;
  /** Merges a `creds.update` into the creds and writes them. */
  saveCreds(update?: Partial<AuthenticationCreds>): void;
  /** Forgets the linked device: every key and the creds (after a logout). */
  clear(): Promise<void>;
}

/** The Signal key store itself: one SQLite transaction per `set`, as Baileys expects a set to be all or nothing. */
function sqliteKeyStore(db: Db): SignalKeyStore {
  return {
    get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const rows = db.transaction((tx) => readAuthValues(tx, ids.map((id) => keyOf(type, id))));
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
    set(data: SignalDataSet) {
      const entries: { key: string; value: string | null }[] = [];
      for (const [type, values] of Object.entries(data) as [keyof SignalDataTypeMap, Record<string, unknown>][]) {
        for (const [id, value] of Object.entries(values ?? {})) entries.push({ key: keyOf(type, id), value: value ? encode(value) : null });
      }
      db.transaction((tx) => writeAuthValues(tx, entries), { behavior: 'immediate' });
    },
    clear() {
      db.transaction((tx) => clearAuth(tx), { behavior: 'immediate' });
    },
  };
}

/**
 * Baileys' AuthenticationState kept in our SQLite file (table whatsapp_auth),
 * with the semantics of its use-multi-file-auth-state: the same JSON, the same
 * keys, a null value deletes. Survives restarts with the rest of the data.
 */
export function sqliteAuthState(db: Db, logger?: Logger): SqliteAuthState {
  const stored = db.transaction((tx) => readAuthValues(tx, [CREDS])).get(CREDS);
  const creds = stored === undefined ? initAuthCreds() : (decode(stored) as AuthenticationCreds);
  const keys = makeCacheableSignalKeyStore(sqliteKeyStore(db), logger);
  const writeCreds = () => db.transaction((tx) => writeAuthValues(tx, [{ key: CREDS, value: encode(creds) }]), { behavior: 'immediate' });
  return {
    state: { creds, keys },
    saveCreds(update) {
      // The socket merges updates into the same object; merging here too keeps this correct on its own.
      if (update) Object.assign(creds, update);
      writeCreds();
    },
    async clear() {
      // Through the cache, so it forgets too; the store's clear deletes every row, creds included.
      await keys.clear?.();
    },
  };
}
