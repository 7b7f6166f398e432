/** The OpenAPI 3.1 `webhooks` section (DESIGN §20): one entry per event, its body and its signature headers. */
import { z } from 'zod';
import { WEBHOOK_PAYLOADS } from '../../../contracts';

const HEADERS = [
  { name: 'webhook-id', description: 'The delivery id: the same on every retry (de-duplicate by it)' },
  { name: 'webhook-timestamp', description: 'Unix seconds of this attempt (refuse ones too far from now)' },
  {
    name: 'webhook-signature',
    description:
      'Space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the endpoint secret (whsec_…, base64 after the prefix). During 24 h after a rotation it carries a signature with each secret. Verify with a Standard Webhooks library.',
  },
];

export function webhooksSection() {
  const out: Record<string, unknown> = {};
  for (const [event, schema] of Object.entries(WEBHOOK_PAYLOADS)) {
    out[event] = {
      post: {
        summary: schema.description ?? event,
        description:
          'Delivered as a Standard Webhooks POST to each subscribed endpoint, at least once; retried with exponential backoff for 24 hours on anything but a 2xx (redirects are not followed).',
        parameters: HEADERS.map((h) => ({ name: h.name, in: 'header', required: true, description: h.description, schema: { type: 'string' } })),
        requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) } } },
        responses: { '2XX': { description: 'Received (any 2xx); anything else is retried' } },
      },
    };
  }
  return out;
}
