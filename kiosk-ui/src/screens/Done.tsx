import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckinResult, KioskHouseholdSummary, PrintLabelsResult } from '../../../contracts';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { labelDate } from '../format';
import { labelChildren, ParentTag, PrintSheet, useQrDataUrl, type LabelData } from '../labels';
import { Screen } from '../ui';
import { KIOSK_DONE_SCREEN_MS } from '../../../contracts/limits';

/** The Reprint button stays this long after the check-in (while the screen does). */
export const REPRINT_FOR_MS = 60_000;

type PrintState = 'none' | 'sending' | 'zebra' | 'browser' | 'failed';

export function Done({ result, household, timezone, serviceName, checkedInAt, onFinish }: {
  result: CheckinResult; household: KioskHouseholdSummary; timezone: string; serviceName: string; checkedInAt: number; onFinish(): void;
}) {
  const { t } = useI18n();
  const hasLabels = result.checkins.length > 0 && !!result.securityCode && !!result.pickupUrl;
  const allergies = new Map(result.checkins.map((c) => [c.childId, c.allergies ?? '']));
  // in the order the parent saw their children on the previous screen; one label per child, naming every service
  const children = labelChildren(result.checkins, household.children.map((c) => c.id), allergies, t.locale, timezone);
  const services = [...new Set(result.checkins.map((c) => c.serviceName))];
  const data: LabelData | null = hasLabels ? {
    securityCode: result.securityCode!, pickupUrl: result.pickupUrl!, date: labelDate(t.locale, timezone, new Date(checkedInAt)),
    serviceName: services.length ? services.join(' + ') : serviceName, children,
  } : null;
  const qr = useQrDataUrl(hasLabels ? result.pickupUrl : null);

  const [print, setPrint] = useState<PrintState>(hasLabels ? 'sending' : 'none');
  const [browserPrints, setBrowserPrints] = useState(0);
  const [canReprint, setCanReprint] = useState(Date.now() - checkedInAt < REPRINT_FOR_MS);

  // The server sends ZPL to the kiosk's Zebra printer; without one, the browser prints.
  const printOnServer = useCallback(async () => {
    setPrint('sending');
    try {
      await api<PrintLabelsResult>('/api/print/labels', { method: 'POST', body: { requestId: result.requestId } });
      setPrint('zebra');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'no_printer') { setPrint('browser'); setBrowserPrints((n) => n + 1); }
      else setPrint('failed');
    }
  }, [result.requestId]);

  const started = useRef(false);
  useEffect(() => {
    if (!hasLabels || started.current) return;
    started.current = true;
    void printOnServer();
  }, [hasLabels, printOnServer]);

  // window.print() only once the QR is drawn, after the sheet is in the DOM
  const printed = useRef(0);
  useEffect(() => {
    if (!qr || browserPrints === printed.current) return;
    printed.current = browserPrints;
    const id = window.setTimeout(() => window.print(), 50);
    return () => window.clearTimeout(id);
  }, [qr, browserPrints]);

  useEffect(() => {
    const left = REPRINT_FOR_MS - (Date.now() - checkedInAt);
    if (left <= 0) { setCanReprint(false); return; }
    const id = window.setTimeout(() => setCanReprint(false), left);
    return () => window.clearTimeout(id);
  }, [checkedInAt]);

  // the code and the pickup QR do not stay on a lobby screen for the next person to photograph
  const finish = useRef(onFinish);
  finish.current = onFinish;
  useEffect(() => {
    const id = window.setTimeout(() => finish.current(), Math.max(0, KIOSK_DONE_SCREEN_MS - (Date.now() - checkedInAt)));
    return () => window.clearTimeout(id);
  }, [checkedInAt]);

  const printHere = () => { setPrint('browser'); setBrowserPrints((n) => n + 1); };
  const reprint = () => { if (print === 'browser') printHere(); else void printOnServer(); };

  const refusedName = (r: CheckinResult['refused'][number]) => r.firstName ?? household.children.find((c) => c.id === r.childId)?.firstName ?? '';
  const title = !hasLabels ? t.doneNoneTitle : result.refused.length ? t.donePartialTitle : t.doneTitle;
  const smsOptIn = household.guardians.some((g) => g.smsOptIn);

  return (
    <Screen title={title} className={`screen-done${hasLabels ? '' : ' screen-done-none'}`}>
      <div className={`done-grid${data ? '' : ' done-grid-none'}`}>
        {data && (
          <p className="code-box">
            <span className="code-label">{t.securityCode}</span>
            <span className="code-value" aria-label={t.securityCodeSpoken(data.securityCode)}>{data.securityCode}</span>
          </p>
        )}
        {data && <div className="done-tag"><div className="tag-preview"><ParentTag data={data} qr={qr} /></div></div>}
        <div className="done-rooms">
          {children.length > 0 && (
            <ul className="rooms">
              {children.map((c) => (
                <li key={c.id}><span className="room-kid">{c.firstName}</span> <span className="room-arrow">{t.goesTo}</span> <span className="room-name">{c.roomName}</span></li>
              ))}
            </ul>
          )}
          {result.refused.length > 0 && (
            <ul className="refusals" role="alert">
              {result.refused.map((r) => <li key={`${r.childId}-${r.serviceId ?? ''}`}>{t.refused[r.reason](refusedName(r))}</li>)}
            </ul>
          )}
        </div>
        {hasLabels && (
          <div className="done-info">
            <p className={`print-status${print === 'failed' ? ' print-status-error' : ''}`} role="status">
              {print === 'sending' ? t.printSending : print === 'failed' ? t.printerDown : t.printingZebra}
            </p>
            {print !== 'failed' && <p className="hint">{t.labelsHelp}</p>}
            {smsOptIn && <p className="hint">{t.smsSent}</p>}
          </div>
        )}
      </div>
      <div className="actions">
        {print === 'failed' && <button type="button" className="btn btn-secondary btn-lg" onClick={printHere}>{t.printHere}</button>}
        {hasLabels && canReprint && print !== 'sending' && (
          <button type="button" className="btn btn-secondary btn-lg" onClick={reprint}>{t.reprint}</button>
        )}
        <button type="button" className="btn btn-primary btn-xl btn-grow" onClick={onFinish}>{t.finish}</button>
      </div>
      {data && <PrintSheet data={data} qr={qr} />}
    </Screen>
  );
}
