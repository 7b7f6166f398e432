import { useCallback, useEffect, useRef, useState } from 'react';
import type { KioskHouseholdSummary, LocatedCheckinResult, PrintLabelsResult } from '../../../contracts';
import { api, ApiError } from '../api';
import { useI18n, type Lang } from '../i18n';
import { labelDate } from '../format';
import { fromServerSet, labelChildren, ParentTag, PrintSheet, useQrDataUrl, type LabelData } from '../labels';
import { Screen } from '../ui';
import { useLatest } from '../hooks';
import { KIOSK_DONE_SCREEN_MS } from '../../../contracts/limits';
import './Done.css';

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
  onPhotos,
}: {
  /** a family registered here just now: offer photos for safe pickup (screens/Photos.tsx) */
  onPhotos?: () => void;
  result: LocatedCheckinResult;
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
  const [canReprint, setCanReprint] = useState(() => Date.now() - checkedInAt < REPRINT_FOR_MS);
  // when the labels were first sent (or there were none): the screen's time runs from then
  const [startedAt, setStartedAt] = useState<number | null>(() => (hasLabels ? null : Math.max(Date.now(), checkedInAt)));
  const markStarted = useCallback(() => setStartedAt((s) => s ?? Math.max(Date.now(), checkedInAt)), [checkedInAt]);
  const childIds = useRef(household.children.map((c) => c.id));

  // the job went to another printer of the campus (the kiosk's own was down): the parent is told where
  const [elsewhere, setElsewhere] = useState<string | null>(null);
  const keep = useCallback((r: PrintLabelsResult) => {
    setServer(fromServerSet(r.set, childIds.current, r.html));
    setElsewhere(r.printer?.failover ? r.printer.name : null);
  }, []);

  /** This tablet prints: fetch the label data, then wait for the parent's one tap on "Print labels". */
  const fetchForBrowser = useCallback(
    () =>
      api('POST /api/print/labels', { body: { requestId: result.requestId, browser: true } })
        // on failure the labels from the check-in's own answer still print
        .then(keep, () => {})
        .then(() => setPrint('ready')),
    [result.requestId, keep],
  );
  const prepareBrowser = () => {
    setPrint('preparing');
    void fetchForBrowser();
  };

  // The server sends ZPL to the kiosk's Zebra printer; "printing" is said only once it took the job.
  const sendToPrinter = useCallback(
    () =>
      api('POST /api/print/labels', { body: { requestId: result.requestId } }).then(
        (r) => {
          keep(r);
          setPrint('zebra');
          markStarted();
        },
        (e: unknown) => {
          if (!(e instanceof ApiError && e.code === 'no_printer')) return setPrint('failed');
          setPrint('preparing');
          return fetchForBrowser();
        },
      ),
    [result.requestId, keep, fetchForBrowser, markStarted],
  );
  const printOnServer = () => {
    setPrint('sending');
    void sendToPrinter();
  };

  // the first send: the state already says 'sending' or 'preparing'
  const started = useRef(false);
  useEffect(() => {
    if (!hasLabels || started.current) return;
    started.current = true;
    void (hasPrinter ? sendToPrinter() : fetchForBrowser());
  }, [hasLabels, hasPrinter, sendToPrinter, fetchForBrowser]);

  useEffect(() => {
    const left = REPRINT_FOR_MS - (Date.now() - checkedInAt);
    const id = window.setTimeout(() => setCanReprint(false), Math.max(0, left));
    return () => window.clearTimeout(id);
  }, [checkedInAt]);

  // the code and the pickup QR do not stay on a lobby screen for the next person to photograph
  const finish = useLatest(onFinish);
  // … but not before the labels were sent (startedAt: marked when the printer took them or the dialog
  // opened): a printerless kiosk waits for the parent's "Print labels" (the kiosk's idle reset, with
  // its warning, still clears a screen left alone)
  useEffect(() => {
    if (startedAt === null) return;
    // shown for the usual time after the check-in, and at least half of it after the print started
    const until = Math.max(checkedInAt + KIOSK_DONE_SCREEN_MS, startedAt + KIOSK_DONE_SCREEN_MS / 2);
    const id = window.setTimeout(() => finish.current(), Math.max(0, until - Date.now()));
    return () => window.clearTimeout(id);
  }, [startedAt, checkedInAt, finish]);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const unprinted = hasLabels && (print === 'ready' || print === 'failed' || print === 'preparing');
  const done = () => (unprinted && !confirmLeave ? setConfirmLeave(true) : onFinish());

  // the parent's tap opens the dialog, once the QR is drawn into the (already fitted) sheet
  const printHere = () => {
    if (!qr) return;
    setPrint('browser');
    markStarted();
    window.print();
  };
  const reprint = () => {
    if (print === 'browser') printHere();
    else void printOnServer();
  };
  const status = {
    none: '',
    sending: t.printSending,
    zebra: elsewhere ? t.printingAt(elsewhere) : t.printingZebra,
    failed: t.printerDown,
    preparing: t.printPreparing,
    ready: t.printReady,
    browser: t.printedBrowser,
  }[print];

  const refusedName = (r: LocatedCheckinResult['refused'][number]) => r.firstName ?? household.children.find((c) => c.id === r.childId)?.firstName ?? '';
  const title = !hasLabels ? t.doneNoneTitle : print === 'failed' ? t.doneNoPrintTitle : result.refused.length ? t.donePartialTitle : t.doneTitle;
  const smsOptIn = household.guardians.some((g) => g.smsOptIn);

  return (
    <Screen title={title} className={`screen-done${hasLabels ? '' : ' screen-done-none'}`}>
      <div className={`done-grid${data ? '' : ' done-grid-none'}${children.length > 3 ? ' done-grid--many' : ''}`}>
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
              {/* one language on the screen: the preview speaks the screen's; the printed tag (PrintSheet) the family's */}
              <ParentTag data={local ? { ...data, lang: undefined, date: local.date } : data} qr={qr} />
            </div>
          </div>
        )}
        <div className="done-rooms">
          {children.length > 0 && (
            // four children and more: two columns of smaller lines, so every room stays above the buttons
            <ul className={`rooms${children.length > 3 ? ' rooms--many' : ''}`}>
              {children.map((c) => (
                <li key={c.id}>
                  <span className="room-kid">{c.firstName}</span> <span className="room-arrow">{t.goesTo}</span> <span className="room-name">{c.roomName}</span>
                  {c.allergies.trim() && <span className="tag tag-allergy">{t.allergyOnLabel(c.allergies.trim())}</span>}
                  {c.roomLocation && <span className="room-where">{t.roomWhere(c.roomLocation)}</span>}
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
        {onPhotos && household.children.length > 0 && household.guardians.length > 0 && (
          <button type="button" className="btn btn-secondary btn-lg" onClick={onPhotos}>
            {t.addPhotos}
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
