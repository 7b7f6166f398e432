/**
 * Organisation admins: API keys for the church's other systems (DESIGN §20) — create one with its
 * scopes and, if wanted, a campus; its secret is shown here once, with a copy button; revoke.
 */
import { useState } from 'react';
import type { ApiKey, ApiKeyCreated, OrganizationInfo } from '../../../../contracts';
import { API_SCOPE_DESCRIPTIONS, API_SCOPES, type ApiScope } from '../../../../contracts/rules';
import { api } from '../../api';
import { useApiQuery } from '../../query';
import { ActionButton, Badge, Empty, ErrorText, Loading, fieldError } from '../../ui';
import { ago } from '../../format';

export default function ApiKeys() {
  const keys = useApiQuery(['api-keys'], async () => (await api('GET /api/org/api-keys')).apiKeys);
  const org = useApiQuery(['org'], async () => (await api('GET /api/org')).organization);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const campuses = org.data?.campuses ?? [];
  const campusName = (id: string | null) => (id ? (campuses.find((c) => c.id === id)?.name ?? 'a campus') : 'Every campus');
  return (
    <div className="admin api-keys">
      <div className="page-head">
        <h1 className="page-title">API keys</h1>
      </div>
      <p className="muted">
        A key lets another system — a security desk, signage, the church database — call this API as <code>Authorization: Bearer kc_live_…</code>, only for what
        its scopes allow and, if you choose one, only at one campus. Revoking a key stops it at once.
      </p>
      {created && <SecretOnce created={created} onDone={() => setCreated(null)} />}
      <CreateKey
        campuses={campuses}
        onCreated={(c) => {
          setCreated(c);
          void keys.reload();
        }}
      />
      {keys.error && <ErrorText error={keys.error} />}
      {!keys.data && !keys.error && <Loading />}
      {keys.data && !keys.data.length && <Empty>No API keys yet.</Empty>}
      <ul className="card-list" aria-label="API keys">
        {(keys.data ?? []).map((k) => (
          <KeyRow key={k.id} k={k} campus={campusName(k.siteId)} onRevoked={() => void keys.reload()} />
        ))}
      </ul>
    </div>
  );
}

function SecretOnce({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="panel pairing" aria-labelledby="secret-title">
      <h2 id="secret-title">Secret for {created.apiKey.name}</h2>
      <p className="api-key-secret" data-testid="api-key-secret">
        <code>{created.secret}</code>
      </p>
      <p className="muted">Copy it now and keep it in the other system: it is shown this once (only a fingerprint of it is kept here).</p>
      <div className="form-actions">
        <ActionButton
          className="btn--primary"
          onClick={async () => {
            await navigator.clipboard.writeText(created.secret);
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy secret'}
        </ActionButton>
        <button type="button" className="btn" onClick={onDone}>
          Done, hide it
        </button>
      </div>
    </section>
  );
}

function CreateKey({ campuses, onCreated }: { campuses: OrganizationInfo['campuses']; onCreated: (c: ApiKeyCreated) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>([]);
  const [siteId, setSiteId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const toggle = (s: ApiScope) => setScopes((x) => (x.includes(s) ? x.filter((y) => y !== s) : API_SCOPES.filter((y) => y === s || x.includes(y))));
  return (
    <section className="panel">
      <h2>New key</h2>
      <form className="api-key-form" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Security desk" maxLength={100} />
          {fieldError(error, 'name') && <span className="error">{fieldError(error, 'name')}</span>}
        </label>
        <fieldset className="radio-group">
          <legend>Scopes</legend>
          {API_SCOPES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} /> <code>{s}</code>{' '}
              <span className="muted small">{API_SCOPE_DESCRIPTIONS[s]}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Campus</span>
          <select value={siteId} onChange={(e) => setSiteId(e.target.value)}>
            <option value="">Every campus (the caller names one with the X-Site-Id header)</option>
            {campuses.map((c) => (
              <option key={c.id} value={c.id}>
                Only {c.name}
              </option>
            ))}
          </select>
        </label>
        {error != null && !fieldError(error, 'name') && <ErrorText error={error} />}
        <div className="form-actions">
          <ActionButton
            className="btn--primary"
            disabled={!name.trim() || !scopes.length}
            onClick={async () => {
              setError(null);
              try {
                const c = await api('POST /api/org/api-keys', { body: { name: name.trim(), scopes, siteId: siteId || null } });
                setName('');
                setScopes([]);
                setSiteId('');
                onCreated(c);
              } catch (e) {
                setError(e);
              }
            }}
          >
            Create key
          </ActionButton>
        </div>
      </form>
    </section>
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
