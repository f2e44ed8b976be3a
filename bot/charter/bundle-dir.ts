import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Which charter bundle the settings choose (bundle.ts loads and checks it).

/** The bundles shipped with Huduma, chosen with CHARTER. */
export const SHIPPED_BUNDLES = {
  ict: fileURLToPath(new URL('./ict/', import.meta.url)),
  utility: fileURLToPath(new URL('./utility/', import.meta.url)),
} as const;
export type ShippedBundle = keyof typeof SHIPPED_BUNDLES;

/** The folder of the bundle the settings choose: CHARTER_PATH (a folder, or the charter.yml in one), else the shipped CHARTER. */
export function bundleDirOf(s: { readonly CHARTER: ShippedBundle; readonly CHARTER_PATH?: string | undefined }): string {
  if (!s.CHARTER_PATH) return SHIPPED_BUNDLES[s.CHARTER];
  return statSync(s.CHARTER_PATH, { throwIfNoEntry: false })?.isFile() ? join(s.CHARTER_PATH, '..') : s.CHARTER_PATH;
}
