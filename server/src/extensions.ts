/**
 * Background parts started next to the HTTP server by main.ts (and by the process-level tests):
 * the SMS dispatcher, and anything else that runs on a timer. Each returns a stop function.
 */
import type { AppContext } from './context';

export interface Extensions { banner: string[]; stop(): Promise<void> }

export async function startExtensions(_ctx: AppContext): Promise<Extensions> {
  return { banner: [], stop: async () => {} };
}
