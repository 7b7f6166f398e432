/**
 * Organisation admins: outbound webhooks (DESIGN §20) — subscribe a URL to events, see its signing
 * secret once (with a copy button), rotate the secret, send a test ping, pause or delete it, and
 * read each endpoint's delivery log with its retry state.
 */
import { useEffect, useState } from 'react';
import type { OrganizationInfo, Webhook, WebhookCreated, WebhookEvent } from '../../../../contracts';
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENTS } from '../../../../contracts/rules/webhook-events';
import { api } from '../../api';
import { useApiQuery } from '../../query';
import { ActionButton, Badge, Empty, ErrorText, Loading, fieldError } from '../../ui';
import { ago } from '../../format';

export default function Webhooks() {
  const hooks = useApiQuery(['webhooks'], async () => (await api('GET /api/org/webhooks')).webhooks);
  const org = useApiQuery(['org'], async () => (await api('GET /api/org')).organization);
  const [secret, setSecret] = useState<WebhookCreated | null>(null);
  const campuses = org.data?.campuses ?? [];
  const campusName = (id: string | null) => (id ? (campuses.find((c) => c.id === id)?.name ?? 'a campus') : 'Every campus');
  const shown = (c: WebhookCreated) => {
    setSecret(c);
    void hooks.reload();
  };
  return (
    <div className="admin webhooks">
      <div className="page-head">
        <h1 className="page-title">Webhooks</h1>
      </div>
      <p className="muted">
        A webhook tells another system — a security desk, signage, the church database — the moment children are checked in or out or an alert is raised. Each
        delivery is signed (Standard Webhooks); it never carries security codes, medical notes or photos.
      </p>
      {secret && <SecretOnce created={secret} onDone={() => setSecret(null)} />}
      <CreateWebhook campuses={campuses} onCreated={shown} />
      {hooks.error && <ErrorText error={hooks.error} />}
      {!hooks.data && !hooks.error && <Loading />}
      {hooks.data && !hooks.data.length && <Empty>No webhooks yet.</Empty>}
      <ul className="card-list" aria-label="Webhooks">
        {(hooks.data ?? []).map((w) => (
          <WebhookRow key={w.id} w={w} campus={campusName(w.siteId)} onChanged={() => void hooks.reload()} onSecret={shown} />
        ))}
      </ul>
    </div>
  );
}

function SecretOnce({ created, onDone }: { created: WebhookCreated; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="panel pairing" aria-labelledby="webhook-secret-title">
      <h2 id="webhook-secret-title">Signing secret for {created.webhook.url}</h2>
      <p className="api-key-secret" data-testid="webhook-secret">
        <code>{created.secret}</code>
      </p>
      <p className="muted">
        Copy it now into the receiving system: it is shown this once.
        {created.webhook.previousSecretExpiresAt
          ? ` The previous secret keeps signing too until ${new Date(created.webhook.previousSecretExpiresAt).toLocaleString()}.`
          : ''}
      </p>
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

function CreateWebhook({ campuses, onCreated }: { campuses: OrganizationInfo['campuses']; onCreated: (c: WebhookCreated) => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([]);
  const [siteId, setSiteId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const toggle = (e: WebhookEvent) => setEvents((x) => (x.includes(e) ? x.filter((y) => y !== e) : WEBHOOK_EVENTS.filter((y) => y === e || x.includes(y))));
  return (
    <section className="panel">
      <h2>New webhook</h2>
      <form className="api-key-form" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>URL</span>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://security-desk.example.org/hooks/checkin" maxLength={2000} />
          {fieldError(error, 'url') && <span className="error">{fieldError(error, 'url')}</span>}
        </label>
        <fieldset className="radio-group">
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((e) => (
            <label key={e} className="check">
              <input type="checkbox" checked={events.includes(e)} onChange={() => toggle(e)} /> <code>{e}</code>{' '}
              <span className="muted small">{WEBHOOK_EVENT_DESCRIPTIONS[e]}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Campus</span>
          <select value={siteId} onChange={(e) => setSiteId(e.target.value)}>
            <option value="">Every campus</option>
            {campuses.map((c) => (
              <option key={c.id} value={c.id}>
                Only {c.name}
              </option>
            ))}
          </select>
        </label>
        {error != null && !fieldError(error, 'url') && <ErrorText error={error} />}
        <div className="form-actions">
          <ActionButton
            className="btn--primary"
            disabled={!url.trim() || !events.length}
            onClick={async () => {
              setError(null);
              try {
                const c = await api('POST /api/org/webhooks', { body: { url: url.trim(), events, siteId: siteId || null } });
                setUrl('');
                setEvents([]);
                setSiteId('');
                onCreated(c);
              } catch (e) {
                setError(e);
              }
            }}
          >
            Create webhook
          </ActionButton>
        </div>
      </form>
    </section>
  );
}

function WebhookRow({ w, campus, onChanged, onSecret }: { w: Webhook; campus: string; onChanged: () => void; onSecret: (c: WebhookCreated) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="panel" data-testid="webhook-row">
      <div className="edit-row">
        <span>
          <strong className="webhook-url">{w.url}</strong> {w.active ? <Badge tone="green">Active</Badge> : <Badge tone="grey">Paused</Badge>}
          <br />
          <span className="muted small">
            {w.events.join(', ')} · {campus}
            {w.createdBy ? ` · created by ${w.createdBy}` : ''}
            {w.previousSecretExpiresAt ? ` · previous secret valid until ${new Date(w.previousSecretExpiresAt).toLocaleString()}` : ''}
          </span>
        </span>
        <span className="form-actions">
          <ActionButton
            className="btn--small"
            onClick={async () => {
              await api('POST /api/org/webhooks/:id/test', { params: { id: w.id } });
              setOpen(true);
            }}
          >
            Send test
          </ActionButton>
          <button type="button" className="btn btn--small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? 'Hide deliveries' : 'Deliveries'}
          </button>
          <ActionButton
            className="btn--small"
            onClick={async () => {
              await api('PATCH /api/org/webhooks/:id', { params: { id: w.id }, body: { active: !w.active } });
              onChanged();
            }}
          >
            {w.active ? 'Pause' : 'Resume'}
          </ActionButton>
          <ActionButton
            className="btn--small"
            confirm="Rotate the signing secret? The new one is shown once; the old one keeps signing for 24 hours."
            onClick={async () => onSecret(await api('POST /api/org/webhooks/:id/rotate-secret', { params: { id: w.id } }))}
          >
            Rotate secret
          </ActionButton>
          <ActionButton
            className="btn--small btn--danger"
            confirm={`Delete the webhook to ${w.url}? Its delivery log goes too.`}
            onClick={async () => {
              await api('DELETE /api/org/webhooks/:id', { params: { id: w.id } });
              onChanged();
            }}
          >
            Delete
          </ActionButton>
        </span>
      </div>
      {open && <Deliveries id={w.id} />}
    </li>
  );
}

const TONE = { delivered: 'green', pending: 'amber', sending: 'amber', failed: 'red' } as const;

function Deliveries({ id }: { id: string }) {
  // the log moves while deliveries are retried: refreshed every few seconds while open
  const list = useApiQuery(['webhook-deliveries', id], async () => (await api('GET /api/org/webhooks/:id/deliveries', { params: { id } })).deliveries);
  const { reload } = list;
  useEffect(() => {
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [reload]);
  if (list.error) return <ErrorText error={list.error} />;
  if (!list.data) return <Loading />;
  if (!list.data.length) return <Empty>No deliveries yet.</Empty>;
  return (
    <table className="table webhook-deliveries" aria-label="Deliveries">
      <thead>
        <tr>
          <th>Event</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Last answer</th>
          <th>Next attempt</th>
          <th>Queued</th>
        </tr>
      </thead>
      <tbody>
        {list.data.map((d) => (
          <tr key={d.id} data-testid="webhook-delivery">
            <td>
              <code>{d.event}</code>
            </td>
            <td>
              <Badge tone={TONE[d.status]}>{d.status}</Badge>
            </td>
            <td>{d.attempts}</td>
            <td>{d.lastError ?? (d.lastStatusCode ? String(d.lastStatusCode) : '—')}</td>
            <td>{d.nextAttemptAt ? new Date(d.nextAttemptAt).toLocaleTimeString() : '—'}</td>
            <td>{ago(d.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
