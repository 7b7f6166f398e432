import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckinResult, KioskHouseholdSummary, PrintLabelsResult } from '../../../contracts';
import { api, ApiError } from '../api';
import { useI18n, type Lang } from '../i18n';
import { labelDate } from '../format';
import { fromServerSet, labelChildren, ParentTag, PrintSheet, useQrDataUrl, type LabelData } from '../labels';
import { Screen } from '../ui';
import { KIOSK_DONE_SCREEN_MS } from '../../../contracts/limits';

/** The Reprint button stays this long after the check-in (while the screen does). */
export const REPRINT_FOR_MS = 60_000;

/**
 * sending: the server is sending to the Zebra · zebra: the printer accepted the job · failed: it
 * did not · preparing: fetching the label data for this tablet's own printer · ready: one clear
 * "Print labels" step (no surprise dialog) · browser: the print dialog was opened.
 */
type PrintState = 'none' | 'sending' | 'zebra' | 'failed' | 'preparing' | 'ready' | 'browser';

export function Done({
  result,
  household,
  timezone,
  serviceName,
  checkedInAt,
  onFinish,
  hasPrinter,
  footer,
  smsSending,
  lang,
}: {
  result: CheckinResult;
  household: KioskHouseholdSummary;
  timezone: string;
  serviceName: string;
  checkedInAt: number;
  onFinish(): void;
  hasPrinter: boolean;
  footer: string;
  smsSending: boolean;
  lang: Lang;
}) {
  const { t } = useI18n();
  const hasLabels = result.checkins.length > 0 && !!result.securityCode && !!result.pickupUrl;
  const allergies = new Map(result.checkins.map((c) => [c.childId, c.allergies ?? '']));
  // in the order the parent saw their children on the previous screen; one label per child, naming every service
  const children = labelChildren(
    result.checkins,
    household.children.map((c) => c.id),
    allergies,
    t.locale,
    timezone,
  );
  const services = [...new Set(result.checkins.map((c) => c.serviceName))];
  const local: LabelData | null = hasLabels
    ? {
        securityCode: result.securityCode!,
        pickupUrl: result.pickupUrl!,
        date: labelDate(t.locale, timezone, new Date(checkedInAt)),
        serviceName: services.length ? services.join(' + ') : serviceName,
        children,
        footer,
        lang,
      }
    : null;
  // the server's label data (medical marker, campus text, the family's language) once it came
  const [server, setServer] = useState<LabelData | null>(null);
  const data = server ?? local;
  const qr = useQrDataUrl(hasLabels ? result.pickupUrl : null);

  const [print, setPrint] = useState<PrintState>(hasLabels ? (hasPrinter ? 'sending' : 'preparing') : 'none');
  const [canReprint, setCanReprint] = useState(Date.now() - checkedInAt < REPRINT_FOR_MS);
  const childIds = useRef(household.children.map((c) => c.id));

  const keep = useCallback((r: PrintLabelsResult) => setServer(fromServerSet(r.set, childIds.current)), []);

  /** This tablet prints: fetch the label data, then wait for the parent's one tap on "Print labels". */
  const prepareBrowser = useCallback(async () => {
    setPrint('preparing');
    try {
      keep(await api('POST /api/print/labels', { body: { requestId: result.requestId, browser: true } }));
    } catch {
      /* the labels from the check-in's own answer still print */
    }
    setPrint('ready');
  }, [result.requestId, keep]);

  // The server sends ZPL to the kiosk's Zebra printer; "printing" is said only once it took the job.
  const printOnServer = useCallback(async () => {
    setPrint('sending');
    try {
      keep(await api('POST /api/print/labels', { body: { requestId: result.requestId } }));
      setPrint('zebra');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'no_printer') await prepareBrowser();
      else setPrint('failed');
    }
  }, [result.requestId, keep, prepareBrowser]);

  const started = useRef(false);
  useEffect(() => {
    if (!hasLabels || started.current) return;
    started.current = true;
    void (hasPrinter ? printOnServer() : prepareBrowser());
  }, [hasLabels, hasPrinter, printOnServer, prepareBrowser]);

  useEffect(() => {
    const left = REPRINT_FOR_MS - (Date.now() - checkedInAt);
    if (left <= 0) {
      setCanReprint(false);
      return;
    }
    const id = window.setTimeout(() => setCanReprint(false), left);
    return () => window.clearTimeout(id);
  }, [checkedInAt]);

  // the code and the pickup QR do not stay on a lobby screen for the next person to photograph
  const finish = useRef(onFinish);
  finish.current = onFinish;
  // … but not before the labels were sent: a printerless kiosk waits for the parent's "Print labels"
  // (the kiosk's idle reset, with its warning, still clears a screen left alone)
  const printStarted = print === 'none' || print === 'zebra' || print === 'browser';
  const [startedAt, setStartedAt] = useState<number | null>(null);
  useEffect(() => {
    if (printStarted && startedAt === null) setStartedAt(Math.max(Date.now(), checkedInAt));
  }, [printStarted, startedAt, checkedInAt]);
  useEffect(() => {
    if (startedAt === null) return;
    // shown for the usual time after the check-in, and at least half of it after the print started
    const until = Math.max(checkedInAt + KIOSK_DONE_SCREEN_MS, startedAt + KIOSK_DONE_SCREEN_MS / 2);
    const id = window.setTimeout(() => finish.current(), Math.max(0, until - Date.now()));
    return () => window.clearTimeout(id);
  }, [startedAt, checkedInAt]);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const unprinted = hasLabels && (print === 'ready' || print === 'failed' || print === 'preparing');
  const done = () => (unprinted && !confirmLeave ? setConfirmLeave(true) : onFinish());

  // the parent's tap opens the dialog, once the QR is drawn into the (already fitted) sheet
  const printHere = () => {
    if (!qr) return;
    setPrint('browser');
    window.print();
  };
  const reprint = () => {
    if (print === 'browser') printHere();
    else void printOnServer();
  };
  const status = {
    none: '',
    sending: t.printSending,
    zebra: t.printingZebra,
    failed: t.printerDown,
    preparing: t.printPreparing,
    ready: t.printReady,
    browser: t.printedBrowser,
  }[print];

  const refusedName = (r: CheckinResult['refused'][number]) => r.firstName ?? household.children.find((c) => c.id === r.childId)?.firstName ?? '';
  const title = !hasLabels ? t.doneNoneTitle : print === 'failed' ? t.doneNoPrintTitle : result.refused.length ? t.donePartialTitle : t.doneTitle;
  const smsOptIn = household.guardians.some((g) => g.smsOptIn);

  return (
    <Screen title={title} className={`screen-done${hasLabels ? '' : ' screen-done-none'}`}>
      <div className={`done-grid${data ? '' : ' done-grid-none'}`}>
        {data && (
          <p className="code-box">
            <span className="code-label">{t.securityCode}</span>
            <span className="code-value" aria-label={t.securityCodeSpoken(data.securityCode)}>
              {data.securityCode}
            </span>
          </p>
        )}
        {data && (
          <div className="done-tag">
            <div className="tag-preview">
              <ParentTag data={data} qr={qr} />
            </div>
          </div>
        )}
        <div className="done-rooms">
          {children.length > 0 && (
            <ul className="rooms">
              {children.map((c) => (
                <li key={c.id}>
                  <span className="room-kid">{c.firstName}</span> <span className="room-arrow">{t.goesTo}</span> <span className="room-name">{c.roomName}</span>
                </li>
              ))}
            </ul>
          )}
          {result.refused.length > 0 && (
            <ul className="refusals" role="alert">
              {result.refused.map((r) => (
                <li key={`${r.childId}-${r.serviceId ?? ''}`}>{t.refused[r.reason](refusedName(r))}</li>
              ))}
            </ul>
          )}
        </div>
        {hasLabels && (
          <div className="done-info">
            <p className={`print-status${print === 'failed' ? ' print-status-error' : ''}${print === 'ready' ? ' print-status-step' : ''}`} role="status">
              {status}
            </p>
            {print !== 'failed' && <p className="hint">{t.labelsHelp}</p>}
            {smsOptIn && <p className="hint">{smsSending ? t.smsSent : t.smsOff}</p>}
          </div>
        )}
      </div>
      {confirmLeave && unprinted && (
        <p className="panel panel-warn" role="alert">
          {t.leaveUnprinted}
        </p>
      )}
      <div className="actions">
        {print === 'failed' && (
          <button type="button" className="btn btn-primary btn-xl btn-grow" onClick={() => void prepareBrowser()}>
            {t.printHere}
          </button>
        )}
        {print === 'ready' && (
          <button type="button" className="btn btn-primary btn-xl btn-grow" onClick={printHere} disabled={!qr}>
            {t.printLabels}
          </button>
        )}
        {hasLabels && canReprint && (print === 'zebra' || print === 'browser') && (
          <button type="button" className="btn btn-secondary btn-lg" onClick={reprint}>
            {t.reprint}
          </button>
        )}
        {/* while the labels wait to be printed, "Print labels" is the one primary action */}
        <button type="button" className={unprinted ? 'btn btn-secondary btn-lg' : 'btn btn-primary btn-xl btn-grow'} onClick={done}>
          {confirmLeave && unprinted ? t.leaveAnyway : t.finish}
        </button>
      </div>
      {data && <PrintSheet data={data} qr={qr} />}
    </Screen>
  );
}
