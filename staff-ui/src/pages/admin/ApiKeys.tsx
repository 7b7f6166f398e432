/**
 * Organisation admins: API keys for the church's other systems (DESIGN §20) — create one with its
 * scopes and, if wanted, a campus; its secret is shown here once, with a copy button; revoke.
 * The list, form and secret panel are IssuedSecretsPage's, shared with Webhooks.
 */
import type { ApiKey, ApiKeyCreated } from '../../../../contracts';
import { API_SCOPE_DESCRIPTIONS, API_SCOPES, type ApiScope } from '../../../../contracts/rules';
import { api } from '../../api';
import { ActionButton, Badge } from '../../ui';
import { ago } from '../../format';
import { IssuedSecretsPage } from './IssuedSecrets';

export default function ApiKeys() {
  return (
    <IssuedSecretsPage<ApiKey, ApiKeyCreated, ApiScope>
      className="api-keys"
      title="API keys"
      intro={
        <>
          A key lets another system — a security desk, signage, the church database — call this API as <code>Authorization: Bearer kc_live_…</code>, only for
          what its scopes allow and, if you choose one, only at one campus. Revoking a key stops it at once.
        </>
      }
      list={{ key: 'api-keys', load: async () => (await api('GET /api/org/api-keys')).apiKeys, label: 'API keys', empty: 'No API keys yet.' }}
      secret={{
        headingId: 'secret-title',
        testId: 'api-key-secret',
        title: (c) => `Secret for ${c.apiKey.name}`,
        note: () => 'Copy it now and keep it in the other system: it is shown this once (only a fingerprint of it is kept here).',
      }}
      form={{
        title: 'New key',
        field: { name: 'name', label: 'Name', placeholder: 'e.g. Security desk', maxLength: 100 },
        choices: { legend: 'Scopes', all: API_SCOPES, describe: API_SCOPE_DESCRIPTIONS },
        everyCampus: 'Every campus (the caller names one with the X-Site-Id header)',
        submit: 'Create key',
        create: ({ text, chosen, siteId }) => api('POST /api/org/api-keys', { body: { name: text, scopes: chosen, siteId } }),
      }}
      row={(k, { campus, reload }) => <KeyRow k={k} campus={campus} onRevoked={reload} />}
    />
  );
}

function KeyRow({ k, campus, onRevoked }: { k: ApiKey; campus: string; onRevoked: () => void }) {
  return (
    <li className="panel edit-row" data-testid="api-key-row">
      <span>
        <strong>{k.name}</strong> <code className="muted">{k.prefix}…</code>{' '}
        {k.revokedAt ? <Badge tone="grey">Revoked {ago(k.revokedAt)}</Badge> : <Badge tone="green">Active</Badge>}
        <br />
        <span className="muted small">
          {k.scopes.join(', ')} · {campus} · {k.lastUsedAt ? `used ${k.useCount} time${k.useCount === 1 ? '' : 's'}, last ${ago(k.lastUsedAt)}` : 'never used'}
          {k.createdBy ? ` · created by ${k.createdBy}` : ''}
        </span>
      </span>
      {!k.revokedAt && (
        <ActionButton
          className="btn--small btn--danger"
          confirm={`Revoke ${k.name}? Every system using it stops at once.`}
          onClick={async () => {
            await api('DELETE /api/org/api-keys/:id', { params: { id: k.id } });
            onRevoked();
          }}
        >
          Revoke
        </ActionButton>
      )}
    </li>
  );
}
