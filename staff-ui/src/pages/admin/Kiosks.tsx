/** Admin: pair kiosks (the pairing code shown big for the tablet), re-pair, unpair. */
import { useState } from 'react';
import type { Kiosk, KioskPairing } from '../../../../contracts';
import { api } from '../../api';
import { useSignedIn } from '../../session';
import { ActionButton, Badge, ErrorText, Loading, useNow } from '../../ui';
import { useApiQuery } from '../../query';
import { SpecForm, str } from '../../forms';
import { ago } from '../../format';

export default function Kiosks() {
  const session = useSignedIn();
  const list = useApiQuery(['kiosks'], () => api('GET /api/kiosks').then((r) => r.kiosks));
  const [pairing, setPairing] = useState<KioskPairing | null>(null);
  const [adding, setAdding] = useState(false);

  return (
    <div className="admin kiosks">
      <div className="page-head">
        <h1 className="page-title">Kiosks</h1>
        {!adding && (
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => {
              setAdding(true);
              setPairing(null);
            }}
          >
            Pair a new kiosk
          </button>
        )}
      </div>
      {pairing && <PairingCode p={pairing} onClose={() => setPairing(null)} />}
      {adding && (
        <section className="panel">
          <h2>New kiosk</h2>
          <SpecForm
            fields={[
              { name: 'name', label: 'Name', required: true, placeholder: 'e.g. Lobby kiosk 2' },
              {
                name: 'mode',
                label: 'Used for',
                type: 'select',
                options: [
                  { value: 'checkin', label: 'Check-in (parents)' },
                  { value: 'pickup', label: 'Pickup station' },
                ],
              },
              { name: 'printerHost', label: 'Label printer address', placeholder: 'e.g. 10.0.0.42' },
            ]}
            initial={{ name: '', mode: 'checkin', printerHost: '' }}
            submitLabel="Create and show pairing code"
            onSubmit={async (v) => {
              const p = await api('POST /api/kiosks', {
                body: {
                  name: str(v.name),
                  siteId: session.user.siteId,
                  mode: str(v.mode) as Kiosk['mode'],
                  ...(str(v.printerHost) ? { printerHost: str(v.printerHost) } : {}),
                },
              });
              setPairing(p);
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
        <table className="table" data-testid="kiosk-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Used for</th>
              <th>Status</th>
              <th>Last seen</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((k) => (
              <tr key={k.id}>
                <td>
                  <strong>{k.name}</strong>
                  {k.printerHost && (
                    <>
                      <br />
                      <span className="muted small">printer {k.printerHost}</span>
                    </>
                  )}
                </td>
                <td>{k.mode === 'checkin' ? 'Check-in' : 'Pickup'}</td>
                <td>{k.paired ? <Badge tone="green">Paired</Badge> : <Badge tone="grey">Not paired</Badge>}</td>
                <td>{k.lastSeenAt ? ago(k.lastSeenAt) : '—'}</td>
                <td className="row-actions">
                  <ActionButton
                    className="btn--small"
                    onClick={async () => {
                      setPairing(await api('POST /api/kiosks/:id/pairing-code', { params: { id: k.id } }));
                    }}
                  >
                    {k.paired ? 'Re-pair' : 'New code'}
                  </ActionButton>
                  {k.paired && (
                    <ActionButton
                      className="btn--small btn--danger"
                      confirm={`Unpair ${k.name}? The tablet stops working until paired again.`}
                      onClick={async () => {
                        await api('DELETE /api/kiosks/:id', { params: { id: k.id } });
                        await list.reload();
                      }}
                    >
                      Unpair
                    </ActionButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PairingCode({ p, onClose }: { p: KioskPairing; onClose: () => void }) {
  const now = useNow(1000);
  const left = Math.max(0, Math.round((Date.parse(p.pairingExpiresAt) - now) / 1000));
  const code = p.pairingCode;
  return (
    <section className="panel pairing" aria-live="polite">
      <h2>Pair “{p.kiosk.name}”</h2>
      <p>
        On the tablet, open <span className="mono">/kiosk</span> and enter:
      </p>
      <p className="pairing-code mono" data-testid="pairing-code" aria-label={`Pairing code ${code.split('').join(' ')}`}>
        {code.slice(0, 4)} {code.slice(4)}
      </p>
      <p className={left ? 'muted' : 'error'}>
        {left ? `Valid for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}, once.` : 'Expired — make a new code.'}
      </p>
      <button type="button" className="btn" onClick={onClose}>
        Done
      </button>
    </section>
  );
}
