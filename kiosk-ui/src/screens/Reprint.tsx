import { useEffect, useState } from 'react';
import type { KioskHouseholdSummary, PrintLabelsResult } from '../../../contracts';
import { KIOSK_DONE_SCREEN_MS } from '../../../contracts/limits';
import { useI18n } from '../i18n';
import { fromServerSet, PrintSheet, useQrDataUrl } from '../labels';
import { Screen } from '../ui';
import { useLatest } from '../hooks';

/**
 * A parent back at the kiosk reprinted the family's labels (DESIGN §18), proved by the tag's code
 * or the pass: printed by the kiosk's Zebra, or here with one "Print labels" tap. The code is not
 * shown again on screen; the labels carry it.
 */
export function Reprinted({ result, household, onFinish }: { result: PrintLabelsResult; household: KioskHouseholdSummary; onFinish(): void }) {
  const { t } = useI18n();
  const data = fromServerSet(
    result.set,
    household.children.map((c) => c.id),
    result.html,
  );
  const qr = useQrDataUrl(data.pickupUrl);
  const [opened, setOpened] = useState(false);
  const finish = useLatest(onFinish);
  const started = result.printed || opened;
  useEffect(() => {
    if (!started) return;
    const id = window.setTimeout(() => finish.current(), KIOSK_DONE_SCREEN_MS / 2);
    return () => window.clearTimeout(id);
  }, [started, finish]);
  const printHere = () => {
    if (!qr) return;
    setOpened(true);
    window.print();
  };
  return (
    <Screen title={t.reprintTitle} className="screen-done">
      <p className="print-status" role="status">
        {result.printed ? (result.printer?.failover ? t.printingAt(result.printer.name) : t.printingZebra) : opened ? t.printedBrowser : t.printReady}
      </p>
      <p className="hint">{t.labelsHelp}</p>
      <div className="actions">
        {!result.printed && (
          <button type="button" className={opened ? 'btn btn-secondary btn-lg' : 'btn btn-primary btn-xl btn-grow'} onClick={printHere} disabled={!qr}>
            {opened ? t.reprint : t.printLabels}
          </button>
        )}
        <button type="button" className={started ? 'btn btn-primary btn-xl btn-grow' : 'btn btn-secondary btn-lg'} onClick={onFinish}>
          {t.finish}
        </button>
      </div>
      <PrintSheet data={data} qr={qr} />
    </Screen>
  );
}
