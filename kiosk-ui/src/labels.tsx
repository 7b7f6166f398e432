/**
 * The printed labels: one 4 × 2 in label per child and one parent tag with the pickup QR. They are
 * printed with the browser (print CSS, @page 4in × 2in) when the kiosk has no Zebra printer; the
 * parent tag is also shown on screen.
 */
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import QRCode from 'qrcode';
import type { CheckinRow, LabelSetData } from '../../contracts';
import { allergyMark, SEVERE_ALLERGY_SYMBOL, type AllergySeverity } from '../../contracts/rules/care';
import { MESSAGES, useI18n } from './i18n';

export interface LabelChild {
  id: string;
  firstName: string;
  lastName: string;
  roomName: string;
  /** where the room is, for the finish screen (#30): the location of each of the child's rooms that has one */
  roomLocation?: string;
  allergies: string;
  /** DESIGN §16: severe and life-threatening print with the mark */
  allergySeverity?: AllergySeverity | null;
  medical?: boolean;
}
export interface LabelData {
  securityCode: string;
  pickupUrl: string;
  date: string;
  serviceName: string;
  children: LabelChild[];
  footer?: string;
  lang?: 'en' | 'es';
  /** the labels rendered by the server with the campus's label templates (#29): printed instead of the built-in layout */
  html?: string;
}

/** The server's label data (medical marker, campus text, the family's language) for the browser. */
export function fromServerSet(set: LabelSetData, order: string[], html?: string): LabelData {
  const pos = (id?: string) => {
    const i = id ? order.indexOf(id) : -1;
    return i < 0 ? order.length : i;
  };
  const children = set.children.map((c, i) => ({ ...c, id: c.childId ?? `${i}-${c.firstName}` }));
  return { ...set, children: children.sort((a, b) => pos(a.childId) - pos(b.childId)), ...(html ? { html } : {}) };
}

/**
 * Text that shrinks until it fits its box (never an ellipsis): from the CSS size down to
 * `minPt`, a point at a time, measured in the label's own layout (the sheet is laid out off
 * screen, at the size it prints). `lines` > 1 lets the text wrap onto that many lines first; a
 * one-line text still too wide at `minPt` wraps rather than being cut.
 */
export function FitText({
  text,
  className,
  minPt,
  lines = 1,
  style,
}: {
  text: string;
  className: string;
  minPt: number;
  lines?: number;
  style?: CSSProperties;
}) {
  const ref = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      el.style.fontSize = '';
      el.style.whiteSpace = lines > 1 ? 'normal' : 'nowrap';
      const cs = getComputedStyle(el);
      let pt = (parseFloat(cs.fontSize) * 72) / 96;
      if (!pt) return; // not laid out (display: none)
      const lineHeight = () => parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.1;
      const pad = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom);
      const fits = () => el.scrollWidth <= el.clientWidth && el.scrollHeight - pad <= Math.ceil(lineHeight() * lines) + 1;
      while (!fits() && pt > minPt) {
        pt -= 1;
        el.style.fontSize = `${pt}pt`;
      }
      if (!fits()) el.style.whiteSpace = 'normal';
    };
    fit();
    let live = true;
    void document.fonts?.ready.then(() => {
      if (live) fit();
    });
    return () => {
      live = false;
    };
  }, [text, lines, minPt]);
  return (
    <p ref={ref} className={className} style={style} data-fit="">
      {text}
    </p>
  );
}

/**
 * One label per child: a child staying for several services gets one label naming each room and
 * time ("Nursery 9:00 AM / Nursery 10:30 AM"), in the order of `order` (child ids).
 */
/** a check-in as the finish screen has it: with its room's location (#30) */
type LocatedRow = CheckinRow & { roomLocation?: string | null };
export function labelChildren(checkins: LocatedRow[], order: string[], allergies: Map<string, string>, locale: string, timezone: string): LabelChild[] {
  const time = (iso: string) => new Intl.DateTimeFormat(locale, { timeZone: timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
  const byChild = new Map<string, LocatedRow[]>();
  for (const c of checkins) byChild.set(c.childId, [...(byChild.get(c.childId) ?? []), c]);
  const pos = (id: string) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  return [...byChild.entries()]
    .sort(([a], [b]) => pos(a) - pos(b))
    .map(([childId, rows]) => {
      const sorted = [...rows].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      const first = sorted[0]!;
      return {
        id: first.id,
        firstName: first.firstName,
        lastName: first.lastName,
        allergies: allergies.get(childId) ?? '',
        allergySeverity: first.allergySeverity ?? null,
        roomName: sorted.length > 1 ? sorted.map((r) => `${r.roomName} ${time(r.startsAt)}`).join(' / ') : first.roomName,
        roomLocation: [...new Set(sorted.map((r) => r.roomLocation?.trim()).filter(Boolean))].join(' / ') || undefined,
      };
    });
}

/** The QR as a PNG data URL (the CSP allows data: images), or null while it is drawn. */
export function useQrDataUrl(text: string | null): string | null {
  // the image drawn for a text: one drawn for an earlier text is never shown for a new one
  const [drawn, setDrawn] = useState<{ text: string; url: string } | null>(null);
  useEffect(() => {
    let live = true;
    if (text) {
      QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 360, color: { dark: '#000000', light: '#ffffff' } })
        .then((url) => {
          if (live) setDrawn({ text, url });
        })
        .catch(() => {});
    }
    return () => {
      live = false;
    };
  }, [text]);
  return text && drawn?.text === text ? drawn.url : null;
}

/** Labels speak the family's language (the one they checked in with), whatever the screen shows now. */
const useLabelWords = (data: LabelData) => {
  const { t } = useI18n();
  return data.lang ? MESSAGES[data.lang] : t;
};

export function ChildLabel({ child, data }: { child: LabelChild; data: LabelData }) {
  const t = useLabelWords(data);
  const allergy = child.allergies.trim();
  // a severe or life-threatening allergy (DESIGN §16): its words in a white frame inside the black band
  const mark = allergyMark(child.allergySeverity, data.lang ?? (t.locale.startsWith('es') ? 'es' : 'en'));
  return (
    <section className="label label-child" aria-label={`${t.childLabel}: ${child.firstName}`}>
      <div className="label-main">
        <FitText className="label-first" text={child.firstName} minPt={14} />
        <FitText className="label-last" text={child.lastName} minPt={8} />
        <FitText className="label-room" text={child.roomName} minPt={9} />
      </div>
      <div className="label-side">
        <p className="label-code">{data.securityCode}</p>
        {child.medical && <p className="label-medical">{t.medicalMarker}</p>}
      </div>
      {mark ? (
        <FitText
          className="label-allergy label-allergy--severe"
          text={`${SEVERE_ALLERGY_SYMBOL} ${mark}${allergy ? `: ${allergy}` : ''}`}
          minPt={7}
          lines={2}
        />
      ) : (
        allergy && <FitText className="label-allergy" text={`${t.allergy.toUpperCase()}: ${allergy}`} minPt={7} lines={2} />
      )}
      <p className="label-date">
        {data.date} · {data.serviceName}
      </p>
      {data.footer && <p className="label-footer">{data.footer}</p>}
    </section>
  );
}

export function ParentTag({ data, qr }: { data: LabelData; qr: string | null }) {
  const t = useLabelWords(data);
  return (
    <section className="label label-parent" aria-label={t.parentTag}>
      <div className="label-main">
        <p className="label-title">{t.parentTag}</p>
        <p className="label-code-big" aria-label={t.securityCodeSpoken(data.securityCode)}>
          {data.securityCode}
        </p>
        <FitText className="label-names" text={data.children.map((c) => c.firstName).join(', ')} minPt={8} lines={2} />
        <p className="label-date">{data.date}</p>
        {data.footer && <p className="label-footer">{data.footer}</p>}
      </div>
      {qr ? <img className="label-qr" src={qr} alt={t.pickupQr} width={180} height={180} /> : <div className="label-qr" aria-hidden="true" />}
    </section>
  );
}

/** Rendered into <body>, outside the app, so print CSS can show only the labels. */
export function PrintSheet({ data, qr }: { data: LabelData; qr: string | null }) {
  // the campus's templates, rendered and escaped by the server (contracts/labels/html.ts), with their own @page sizes
  if (data.html)
    return createPortal(
      <div className="print-sheet print-sheet--templates" aria-hidden="true" dangerouslySetInnerHTML={{ __html: data.html }} />,
      document.body,
    );
  return createPortal(
    <div className="print-sheet" aria-hidden="true">
      {data.children.map((c) => (
        <ChildLabel key={c.id} child={c} data={data} />
      ))}
      <ParentTag data={data} qr={qr} />
    </div>,
    document.body,
  );
}
