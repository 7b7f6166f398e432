/** Starts the webhook dispatcher for a server process (every instance runs one; SKIP LOCKED shares the work). */
import type { AppContext } from '../context';
import { createWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher';

export interface WebhooksRuntime {
  banner: string[];
  dispatcher?: WebhookDispatcher;
  stop(): Promise<void>;
}

export function startWebhooks(ctx: AppContext, opts: Partial<WebhookDispatcherOptions> = {}): WebhooksRuntime {
  const { config } = ctx;
  const banner: string[] = [];
  if (config.WEBHOOK_ALLOW_PRIVATE) banner.push('Webhooks: private and loopback targets are ALLOWED (WEBHOOK_ALLOW_PRIVATE=true)');
  if (!config.WEBHOOK_DISPATCH) {
    banner.push('Webhooks: dispatcher off in this process (WEBHOOK_DISPATCH=false); deliveries wait in the outbox');
    return { banner, stop: async () => {} };
  }
  const dispatcher = createWebhookDispatcher({
    db: ctx.db,
    logger: ctx.logger,
    secret: ctx.secret,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    retryMaxMs: config.WEBHOOK_RETRY_MAX_MS,
    giveUpMs: config.WEBHOOK_GIVE_UP_MS,
    ...opts,
  });
  dispatcher.start();
  return { banner, dispatcher, stop: () => dispatcher.stop() };
}
