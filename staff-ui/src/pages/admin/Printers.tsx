/**
 * Admin: the campus's label printers (DESIGN §18) — name, address, type and stock, editable after
 * they were made; which printer each kiosk uses; each printer's health (`~HS`) and last job; a
 * test print to one printer.
 */
import { useState } from 'react';
import type { Kiosk, Printer, PrinterHealth } from '../../../../contracts';
import { LABEL_STOCKS } from '../../../../contracts/rules/label-stocks';
import { api } from '../../api';
import { ActionButton, Badge, ErrorText, Loading } from '../../ui';
import { useApiQuery } from '../../query';
import { SpecForm, str, type Values } from '../../forms';
import { ago } from '../../format';

const HEALTH: Record<PrinterHealth, { tone: 'green' | 'red' | 'grey' | 'amber'; text: string }> = {
  ok: { tone: 'green', text: 'Ready' },
  paper_out: { tone: 'red', text: 'Out of labels' },
  head_open: { tone: 'red', text: 'Head open' },
  paused: { tone: 'amber', text: 'Paused' },
  unreachable: { tone: 'red', text: 'Not answering' },
  unknown: { tone: 'grey', text: 'Not asked yet' },
};

const FIELDS = [
  { name: 'name', label: 'Name', required: true, placeholder: 'e.g. Welcome Desk printer' },
  {
    name: 'type',
    label: 'Type',
    type: 'select' as const,
    options: [
      { value: 'zebra', label: 'Zebra on the network (the server prints)' },
      { value: 'browser', label: 'Through the kiosk’s browser (DYMO, Brother, Citizen…)' },
    ],
  },
  { name: 'address', label: 'Address (host:port)', placeholder: 'e.g. 10.0.0.42:9100' },
  { name: 'stockId', label: 'Label stock', type: 'select' as const, options: LABEL_STOCKS.map((s) => ({ value: s.id, label: s.name })) },
];
const bodyOf = (v: Values) => ({
  name: str(v.name),
  type: str(v.type) as Printer['type'],
  address: str(v.address) ? str(v.address) : null,
  stockId: str(v.stockId),
});

export default function Printers() {
  const list = useApiQuery(['label-printers'], () => api('GET /api/label-printers').then((r) => r.printers));
  const kiosks = useApiQuery(['kiosks'], () => api('GET /api/kiosks').then((r) => r.kiosks));
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [tested, setTested] = useState<Record<string, string>>({});
  const reload = () => Promise.all([list.reload(), kiosks.reload()]);

  return (
    <div className="admin printers">
      <div className="page-head">
        <h1 className="page-title">Label printers</h1>
        {!adding && (
          <button type="button" className="btn btn--primary" onClick={() => setAdding(true)}>
            Add a printer
          </button>
        )}
      </div>
      {adding && (
        <section className="panel">
          <h2>New printer</h2>
          <SpecForm
            fields={FIELDS}
            initial={{ name: '', type: 'zebra', address: '', stockId: 'zebra-4x2' }}
            submitLabel="Add printer"
            onSubmit={async (v) => {
              await api('POST /api/label-printers', { body: bodyOf(v) });
              setAdding(false);
              await reload();
            }}
            onCancel={() => setAdding(false)}
          />
        </section>
      )}
      <ErrorText error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.length === 0 && <p className="muted">No label printers yet. Kiosks without one print through their browser.</p>}
      {list.data && list.data.length > 0 && (
        <table className="table" data-testid="label-printer-table">
          <thead>
            <tr>
              <th>Printer</th>
              <th>Stock</th>
              <th>Health</th>
              <th>Last job</th>
              <th>Kiosks</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((p) =>
              editing === p.id ? (
                <tr key={p.id}>
                  <td colSpan={6}>
                    <SpecForm
                      fields={FIELDS}
                      initial={{ name: p.name, type: p.type, address: p.address ?? '', stockId: p.stockId }}
                      onSubmit={async (v) => {
                        await api('PATCH /api/label-printers/:id', { params: { id: p.id }, body: bodyOf(v) });
                        setEditing(null);
                        await reload();
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={p.id} data-printer-id={p.id}>
                  <td>
                    <strong>{p.name}</strong>
                    <br />
                    <span className="muted small mono">{p.type === 'zebra' ? p.address : 'through the browser'}</span>
                  </td>
                  <td className="small">{LABEL_STOCKS.find((s) => s.id === p.stockId)?.name ?? p.stockId}</td>
                  <td>
                    {p.type === 'zebra' ? (
                      <Badge tone={HEALTH[p.health].tone} title={p.healthAt ? `asked ${ago(p.healthAt)}` : undefined}>
                        {HEALTH[p.health].text}
                      </Badge>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {p.lastOk === null ? (
                      <Badge tone="grey">Nothing sent yet</Badge>
                    ) : p.lastOk ? (
                      <Badge tone="green">Printed {p.lastAt ? ago(p.lastAt) : ''}</Badge>
                    ) : (
                      <Badge tone="red" title={p.lastError ?? ''}>
                        Failed {p.lastAt ? ago(p.lastAt) : ''}
                      </Badge>
                    )}
                    {tested[p.id] && (
                      <div className="small" role="status">
                        {tested[p.id]}
                      </div>
                    )}
                  </td>
                  <td className="small">{p.kiosks.map((k) => k.name).join(', ') || '—'}</td>
                  <td className="row-actions">
                    {p.type === 'zebra' && (
                      <ActionButton
                        className="btn--small"
                        onClick={async () => {
                          try {
                            await api('POST /api/label-printers/:id/test-print', { params: { id: p.id } });
                            setTested((x) => ({ ...x, [p.id]: 'Test label sent' }));
                          } catch (e) {
                            setTested((x) => ({ ...x, [p.id]: e instanceof Error ? e.message : 'Test print failed' }));
                          }
                          await reload();
                        }}
                      >
                        Test print
                      </ActionButton>
                    )}
                    <button type="button" className="btn btn--small" onClick={() => setEditing(p.id)}>
                      Edit
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {kiosks.data && list.data && list.data.length > 0 && (
        <KioskPrinters kiosks={kiosks.data.filter((k) => k.mode === 'checkin')} printers={list.data} onChange={reload} />
      )}
    </div>
  );
}

/** Which printer each check-in kiosk uses (none: it prints through its browser). */
function KioskPrinters({ kiosks, printers, onChange }: { kiosks: Kiosk[]; printers: Printer[]; onChange: () => Promise<unknown> }) {
  const [error, setError] = useState<unknown>(null);
  if (!kiosks.length) return null;
  return (
    <section className="panel">
      <h2>Which printer each kiosk uses</h2>
      <ErrorText error={error} />
      <table className="table" data-testid="kiosk-printer-table">
        <tbody>
          {kiosks.map((k) => (
            <tr key={k.id}>
              <td>
                <label htmlFor={`kiosk-printer-${k.id}`}>{k.name}</label>
              </td>
              <td>
                <select
                  id={`kiosk-printer-${k.id}`}
                  value={k.printerId ?? ''}
                  onChange={async (e) => {
                    setError(null);
                    try {
                      await api('PUT /api/kiosks/:id/printer', { params: { id: k.id }, body: { printerId: e.target.value || null } });
                      await onChange();
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  <option value="">None (print through the browser)</option>
                  {printers.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
