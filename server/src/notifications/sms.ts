/** Starts parent SMS for a server process: the transport chosen from config, and the dispatcher. */
import type { AppContext } from '../context';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { transportFor } from './transport';

export interface SmsRuntime {
  banner: string[];
  dispatcher?: Dispatcher;
  stop(): Promise<void>;
}

/** The base for links and callbacks when nothing better is known: PUBLIC_URL, else localhost:PORT. */
export const configuredBase = (ctx: AppContext) => ctx.config.PUBLIC_URL ?? `http://localhost:${ctx.config.PORT}`;

export function startSms(ctx: AppContext, opts: { publicBase?: string; pollMs?: number } = {}): SmsRuntime {
  const { config, logger } = ctx;
  const transport = transportFor(config, logger);
  const banner = [transport.description];
  if (transport.kind === 'twilio' && !config.PUBLIC_URL && !opts.publicBase) {
    banner.push(`SMS: PUBLIC_URL is not set — pickup links in texts point at ${configuredBase(ctx)}, and Twilio's status callbacks go there too`);
  }
  if (!config.SMS_DISPATCH) {
    banner.push('SMS: dispatcher off in this process (SMS_DISPATCH=false); messages wait in the outbox');
    return { banner, stop: async () => {} };
  }
  const dispatcher = createDispatcher({
    db: ctx.db,
    logger,
    secret: ctx.secret,
    publish: ctx.publish,
    transport,
    publicBase: opts.publicBase ?? configuredBase(ctx),
    maxAttempts: config.SMS_MAX_ATTEMPTS,
    retryBaseMs: config.SMS_RETRY_BASE_MS,
    retryMaxMs: config.SMS_RETRY_MAX_MS,
    leaseMs: 4 * config.SMS_SEND_TIMEOUT_MS,
    pollMs: opts.pollMs,
  });
  dispatcher.start();
  if (transport.kind === 'log') logger.warn('SMS: no Twilio credentials — messages are logged, not sent');
  return { banner, dispatcher, stop: () => dispatcher.stop() };
}
