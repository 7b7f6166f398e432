/**
 * Background parts started next to the HTTP server by main.ts (and by the process-level tests):
 * the SMS dispatcher, and anything else that runs on a timer. Each returns a stop function.
 */
import type { AppContext } from './context';
import { startSms } from './notifications/sms';
import { startWebhooks } from './webhooks/webhooks-runtime';

export interface Extensions {
  banner: string[];
  stop(): Promise<void>;
}

export async function startExtensions(ctx: AppContext): Promise<Extensions> {
  const sms = startSms(ctx);
  const webhooks = startWebhooks(ctx);
  return {
    banner: [...sms.banner, ...webhooks.banner],
    stop: async () => {
      await Promise.all([sms.stop(), webhooks.stop()]);
    },
  };
}
