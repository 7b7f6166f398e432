/** Admin: the people of this campus (an organisation admin: of every campus) — invite, change roles, deactivate, reset links. */
import { useState } from 'react';
import type { Person, PersonLink, Role } from '../../../../contracts';
import { api } from '../../api';
import { useSignedIn } from '../../session';
import { ActionButton, Badge, ErrorText, Loading } from '../../ui';
import { useApiQuery } from '../../query';
import { SpecForm, str } from '../../forms';
import { dateTimeIn } from '../../format';

const ROLE_OPTIONS = [
  { value: 'volunteer', label: 'Volunteer' },
  { value: 'staff', label: 'Staff' },
  { value: 'admin', label: 'Admin' },
];

export default function People() {
  const session = useSignedIn();
  const list = useApiQuery(['people', session.user.siteId], () =>
    api('GET /api/people', { query: { siteId: session.user.orgAdmin ? session.user.siteId : undefined } }).then((r) => r.people),
  );
  const [link, setLink] = useState<{ what: string; l: PersonLink } | null>(null);
  const [adding, setAdding] = useState(false);
  const roleHere = (p: Person) => p.roles.find((r) => r.siteId === session.user.siteId)?.role;

  return (
    <div className="admin people">
      <div className="page-head">
        <h1 className="page-title">People</h1>
        {!adding && (
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => {
              setAdding(true);
              setLink(null);
            }}
          >
            Invite someone
          </button>
        )}
      </div>
      {link && (
        <section className="panel" aria-live="polite" data-testid="person-link">
          <h2>
            {link.what} for {link.l.person.name || link.l.person.email}
          </h2>
          <p>Send this link to them (it works once, until {dateTimeIn(link.l.expiresAt, session.site?.timezone)}):</p>
          <p className="mono" style={{ wordBreak: 'break-all' }}>
            {link.l.url}
          </p>
          <button type="button" className="btn" onClick={() => setLink(null)}>
            Done
          </button>
        </section>
      )}
      {adding && (
        <section className="panel">
          <h2>Invite someone to this campus</h2>
          <SpecForm
            fields={[
              { name: 'name', label: 'Name', required: true },
              { name: 'email', label: 'Email', required: true, type: 'email' },
              { name: 'role', label: 'Role here', type: 'select', options: ROLE_OPTIONS },
            ]}
            initial={{ name: '', email: '', role: 'volunteer' }}
            submitLabel="Create invitation link"
            onSubmit={async (v) => {
              const l = await api('POST /api/people', {
                body: { name: str(v.name), email: str(v.email), role: str(v.role) as Role, siteId: session.user.siteId },
              });
              setLink({ what: 'Invitation', l });
              setAdding(false);
              void list.reload();
            }}
            onCancel={() => setAdding(false)}
          />
        </section>
      )}
      <ErrorText error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <table className="table" data-testid="people-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role here</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((p) => (
              <tr key={p.id}>
                <td>
                  <strong>{p.name || p.email}</strong>
                  <br />
                  <span className="muted small">{p.email}</span>
                  {session.user.orgAdmin && p.roles.length > 0 && (
                    <>
                      <br />
                      <span className="muted small">{p.roles.map((r) => `${r.siteName}: ${r.role}`).join(' · ')}</span>
                    </>
                  )}
                </td>
                <td>
                  {p.orgAdmin ? (
                    <Badge tone="purple">Organisation admin</Badge>
                  ) : p.id === session.user.id ? (
                    roleHere(p)
                  ) : (
                    <select
                      aria-label={`Role of ${p.name || p.email}`}
                      value={roleHere(p) ?? ''}
                      onChange={async (e) => {
                        await api('PUT /api/people/:id/role', {
                          params: { id: p.id },
                          body: { siteId: session.user.siteId, role: (e.target.value || null) as Role | null },
                        });
                        await list.reload();
                      }}
                    >
                      <option value="">No role here</option>
                      {ROLE_OPTIONS.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>
                  {!p.active ? <Badge tone="grey">Deactivated</Badge> : p.activated ? <Badge tone="green">Active</Badge> : <Badge tone="amber">Invited</Badge>}
                </td>
                <td className="row-actions">
                  {p.id !== session.user.id && p.active && (
                    <ActionButton
                      className="btn--small"
                      onClick={async () => {
                        setLink({
                          what: p.activated ? 'Password reset link' : 'New invitation',
                          l: await api('POST /api/people/:id/reset-link', { params: { id: p.id } }),
                        });
                      }}
                    >
                      {p.activated ? 'Reset link' : 'New invitation'}
                    </ActionButton>
                  )}
                  {p.id !== session.user.id &&
                    (p.active ? (
                      <ActionButton
                        className="btn--small btn--danger"
                        confirm={`Deactivate ${p.name || p.email}? They are signed out everywhere at once.`}
                        onClick={async () => {
                          await api('POST /api/people/:id/deactivate', { params: { id: p.id } });
                          await list.reload();
                        }}
                      >
                        Deactivate
                      </ActionButton>
                    ) : (
                      <ActionButton
                        className="btn--small"
                        onClick={async () => {
                          await api('POST /api/people/:id/reactivate', { params: { id: p.id } });
                          await list.reload();
                        }}
                      >
                        Reactivate
                      </ActionButton>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
