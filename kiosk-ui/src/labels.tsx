/**
 * The printed labels: one 4 × 2 in label per child and one parent tag with the pickup QR. They are
 * printed with the browser (print CSS, @page 4in × 2in) when the kiosk has no Zebra printer; the
 * parent tag is also shown on screen.
 */
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import QRCode from 'qrcode';
import type { CheckinRow } from '../../contracts';
import { useI18n } from './i18n';

export interface LabelChild { id: string; firstName: string; lastName: string; roomName: string; allergies: string }
export interface LabelData { securityCode: string; pickupUrl: string; date: string; serviceName: string; children: LabelChild[] }

/**
 * One label per child: a child staying for several services gets one label naming each room and
 * time ("Nursery 9:00 AM / Nursery 10:30 AM"), in the order of `order` (child ids).
 */
export function labelChildren(checkins: CheckinRow[], order: string[], allergies: Map<string, string>, locale: string, timezone: string): LabelChild[] {
  const time = (iso: string) => new Intl.DateTimeFormat(locale, { timeZone: timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
  const byChild = new Map<string, CheckinRow[]>();
  for (const c of checkins) byChild.set(c.childId, [...(byChild.get(c.childId) ?? []), c]);
  const pos = (id: string) => { const i = order.indexOf(id); return i < 0 ? order.length : i; };
  return [...byChild.entries()].sort(([a], [b]) => pos(a) - pos(b)).map(([childId, rows]) => {
    const sorted = [...rows].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const first = sorted[0]!;
    return {
      id: first.id, firstName: first.firstName, lastName: first.lastName, allergies: allergies.get(childId) ?? '',
      roomName: sorted.length > 1 ? sorted.map((r) => `${r.roomName} ${time(r.startsAt)}`).join(' / ') : first.roomName,
    };
  });
}

/** The QR as a PNG data URL (the CSP allows data: images), or null while it is drawn. */
export function useQrDataUrl(text: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setUrl(null);
    if (text) {
      QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 360, color: { dark: '#000000', light: '#ffffff' } })
        .then((u) => { if (live) setUrl(u); })
        .catch(() => {});
    }
    return () => { live = false; };
  }, [text]);
  return url;
}

export function ChildLabel({ child, data }: { child: LabelChild; data: LabelData }) {
  const { t } = useI18n();
  const allergy = child.allergies.trim();
  return (
    <section className="label label-child" aria-label={`${t.childLabel}: ${child.firstName}`}>
      <div className="label-main">
        <p className="label-first">{child.firstName}</p>
        <p className="label-last">{child.lastName}</p>
        <p className="label-room">{child.roomName}</p>
      </div>
      <p className="label-code">{data.securityCode}</p>
      {allergy && <p className="label-allergy">{t.allergy.toUpperCase()}: {allergy}</p>}
      <p className="label-date">{data.date} · {data.serviceName}</p>
    </section>
  );
}

export function ParentTag({ data, qr }: { data: LabelData; qr: string | null }) {
  const { t } = useI18n();
  return (
    <section className="label label-parent" aria-label={t.parentTag}>
      <div className="label-main">
        <p className="label-title">{t.parentTag}</p>
        <p className="label-code-big" aria-label={t.securityCodeSpoken(data.securityCode)}>{data.securityCode}</p>
        <p className="label-names">{data.children.map((c) => c.firstName).join(', ')}</p>
        <p className="label-date">{data.date}</p>
      </div>
      {qr ? <img className="label-qr" src={qr} alt={t.pickupQr} width={180} height={180} /> : <div className="label-qr" aria-hidden="true" />}
    </section>
  );
}

/** Rendered into <body>, outside the app, so print CSS can show only the labels. */
export function PrintSheet({ data, qr }: { data: LabelData; qr: string | null }) {
  return createPortal(
    <div className="print-sheet" aria-hidden="true">
      {data.children.map((c) => <ChildLabel key={c.id} child={c} data={data} />)}
      <ParentTag data={data} qr={qr} />
    </div>,
    document.body,
  );
}
