/**
 * The OpenAPI 3.1 document, made from what the app serves (its router) and the endpoint map's zod
 * schemas (contracts/endpoints.ts), so it cannot describe a route that is gone or miss one that
 * was added. Served at /api/openapi.json.
 */
import type { Express } from 'express';
import { z, type ZodType } from 'zod';
import { ENDPOINTS, REPLY_CONTENT, type EndpointSpec, type ReplyContent } from '../../../contracts/endpoints';
import { listRoutes } from './routes';
import { API_KEY_SECRET_PREFIX, API_KEY_SITE_HEADER, API_SCOPE_DESCRIPTIONS, API_SCOPES } from '../../../contracts/rules/api-keys';
import { scopeForRoute } from '../apikeys/api-key-scopes';
import { webhooksSection } from '../webhooks/webhooks.openapi';

const jsonSchema = (s: ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const MEDIA: Record<Exclude<ReplyContent, 'none'>, string> = {
  json: 'application/json',
  csv: 'text/csv',
  html: 'text/html',
  xml: 'text/xml',
  text: 'text/plain',
  jpeg: 'image/jpeg',
  js: 'text/javascript',
};
/** The 2xx answer: its media type from REPLY_CONTENT, its shape named after contracts/endpoints.ts EndpointResponses. */
function success(key: string) {
  const kind = (REPLY_CONTENT as Record<string, ReplyContent | undefined>)[key];
  if (kind === 'none') return { '204': { description: 'Done; no body' } };
  const media = MEDIA[kind ?? 'json'];
  return { '2XX': { description: `Success: EndpointResponses['${key}'] in contracts/endpoints.ts`, content: { [media]: {} } } };
}
const ERROR = {
  type: 'object',
  properties: {
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } },
  },
};

/** A signed-in person, kiosk or display (`bearer`); an API key too where one of its scopes opens the route (`apiKey: [scope]`). */
function security(method: string, path: string) {
  const scope = scopeForRoute(method, path);
  return scope ? [{ bearer: [] }, { apiKey: [scope] }] : [{ bearer: [] }];
}
const API_KEY_SCHEME = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: `${API_KEY_SECRET_PREFIX}…`,
  description: [
    `An integration's API key (DESIGN §20): \`Authorization: Bearer ${API_KEY_SECRET_PREFIX}…\`, created by an organisation admin`,
    '(POST /api/org/api-keys). It acts only within its organisation, only at its campus when limited to one, and only on the',
    'operations whose security lists one of its scopes (any other answers 403). An organisation-wide key names the campus it acts',
    `at with the ${API_KEY_SITE_HEADER} header (else the organisation's first campus). Rate-limited per key (429 with Retry-After).`,
    'Scopes:',
    ...API_SCOPES.map((s) => `- \`${s}\`: ${API_SCOPE_DESCRIPTIONS[s]}`),
  ].join('\n'),
};

export function buildOpenApi(app: Express) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path } of listRoutes(app)) {
    const key = `${method.toUpperCase()} ${path}`;
    const spec = (ENDPOINTS as Record<string, EndpointSpec>)[key];
    const oaPath = path.replace(/:(\w+)/g, '{$1}');
    const params = [...path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = spec?.query ? (jsonSchema(spec.query) as { properties?: Record<string, unknown>; required?: string[] }) : undefined;
    for (const [name, schema] of Object.entries(query?.properties ?? {}))
      params.push({ name, in: 'query', required: !!query?.required?.includes(name), schema: schema as never });
    (paths[oaPath] ??= {})[method] = {
      summary: spec?.summary ?? '',
      ...(params.length ? { parameters: params } : {}),
      ...(spec?.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) } } } } : {}),
      responses: {
        ...success(key),
        '4XX': { description: 'The error envelope: 400 names the field', content: { 'application/json': { schema: ERROR } } },
      },
      ...(path.startsWith('/api/') && !['/api/auth/login', '/api/kiosks/pair', '/api/openapi.json'].includes(path) ? { security: security(method, path) } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: "Kids' Club check-in API",
      version: '0.1.0',
      description:
        "JSON over HTTP with Authorization: Bearer <token> (a staff sign-in, a paired kiosk, or an integration's API key: see the apiKey security scheme). Events over Socket.IO: contracts/events.ts.",
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: API_KEY_SCHEME } },
    paths,
    // outbound webhooks (DESIGN §20): what each event's delivery carries
    webhooks: webhooksSection(),
  };
}
