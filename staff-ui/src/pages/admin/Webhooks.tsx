/**
 * Organisation admins: outbound webhooks (DESIGN §20) — subscribe a URL to events, see its signing
 * secret once (with a copy button), rotate the secret, send a test ping, pause or delete it, and
 * read each endpoint's delivery log with its retry state. The list, form and secret panel are
 * IssuedSecretsPage's, shared with ApiKeys.
 */
import { useEffect, useState } from 'react';
import type { Webhook, WebhookCreated, WebhookEvent } from '../../../../contracts';
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENTS } from '../../../../contracts/rules/webhook-events';
import { api } from '../../api';
import { useApiQuery } from '../../query';
import { ActionButton, Badge, Empty, ErrorText, Loading } from '../../ui';
import { ago } from '../../format';
import { IssuedSecretsPage } from './IssuedSecrets';

export default function Webhooks() {
  return (
    <IssuedSecretsPage<Webhook, WebhookCreated, WebhookEvent>
      className="webhooks"
      title="Webhooks"
      intro={
        <>
          A webhook tells another system — a security desk, signage, the church database — the moment children are checked in or out or an alert is raised. Each
          delivery is signed (Standard Webhooks); it never carries security codes, medical notes or photos.
        </>
      }
      list={{ key: 'webhooks', load: async () => (await api('GET /api/org/webhooks')).webhooks, label: 'Webhooks', empty: 'No webhooks yet.' }}
      secret={{
        headingId: 'webhook-secret-title',
        testId: 'webhook-secret',
        title: (c) => `Signing secret for ${c.webhook.url}`,
        note: (c) =>
          'Copy it now into the receiving system: it is shown this once.' +
          (c.webhook.previousSecretExpiresAt
            ? ` The previous secret keeps signing too until ${new Date(c.webhook.previousSecretExpiresAt).toLocaleString()}.`
            : ''),
      }}
      form={{
        title: 'New webhook',
        field: { name: 'url', label: 'URL', placeholder: 'https://security-desk.example.org/hooks/checkin', maxLength: 2000 },
        choices: { legend: 'Events', all: WEBHOOK_EVENTS, describe: WEBHOOK_EVENT_DESCRIPTIONS },
        everyCampus: 'Every campus',
        submit: 'Create webhook',
        create: ({ text, chosen, siteId }) => api('POST /api/org/webhooks', { body: { url: text, events: chosen, siteId } }),
      }}
      row={(w, { campus, reload, showSecret }) => <WebhookRow w={w} campus={campus} onChanged={reload} onSecret={showSecret} />}
    />
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
