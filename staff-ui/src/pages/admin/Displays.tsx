/** Admin: wall displays (DESIGN §14) — create one, read its pairing code to the TV, unpair. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { ActionButton, Badge, ErrorText, Loading } from '../../ui';
import { ago } from '../../format';

export default function Displays() {
  const list = useQuery({ queryKey: ['displays'], queryFn: () => api('GET /api/displays').then((r) => r.displays) });
  const [name, setName] = useState('');
  const [code, setCode] = useState<{ name: string; pairingCode: string } | null>(null);
  return (
    <div className="admin kiosks">
      <div className="page-head">
        <h1 className="page-title">Wall displays</h1>
      </div>
      <p className="muted">
        A TV in the hallway or the check-in area shows every room and alert of this campus, read-only. Open <strong>/staff/display</strong> on the TV and enter
        the code.
      </p>
      {code && (
        <section className="panel pairing">
          <h2>Code for {code.name}</h2>
          <p className="pairing-code" data-testid="display-pairing-code">
            {code.pairingCode}
          </p>
          <p className="muted">Single use, valid for 15 minutes.</p>
        </section>
      )}
      <section className="panel">
        <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
          <label className="field grow">
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Lobby TV" />
          </label>
          <ActionButton
            className="btn--primary"
            disabled={!name.trim()}
            onClick={async () => {
              const r = await api('POST /api/displays', { body: { name: name.trim() } });
              setCode({ name: r.display.name, pairingCode: r.pairingCode });
              setName('');
              void list.refetch();
            }}
          >
            Create and show code
          </ActionButton>
        </form>
      </section>
      {list.isLoading && <Loading />}
      {list.error && <ErrorText error={list.error} />}
      <ul className="card-list">
        {(list.data ?? []).map((d) => (
          <li key={d.id} className="panel edit-row">
            <span>
              <strong>{d.name}</strong> {d.paired ? <Badge tone="green">Paired</Badge> : <Badge tone="grey">Not paired</Badge>}{' '}
              {d.lastSeenAt && <span className="muted small">seen {ago(d.lastSeenAt)}</span>}
            </span>
            {d.paired && (
              <ActionButton
                className="btn--small btn--danger"
                confirm={`Unpair ${d.name}?`}
                onClick={async () => {
                  await api('DELETE /api/displays/:id', { params: { id: d.id } });
                  void list.refetch();
                }}
              >
                Unpair
              </ActionButton>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
