import { useState } from 'react';
import type { KioskHouseholdSummary, Service } from '../../../contracts';
import { useI18n } from '../i18n';
import { ageLabel, last4 } from '../format';
import type { CheckinStatus } from '../checkin';
import { Screen, Spinner } from '../ui';
import { ProofPanel } from './Proof';
import { DropOffChooser, lookupGuardian } from './DropOff';

/** Several households share the number: the parent picks theirs by surname (phones masked). */
export function ChooseHousehold({
  households,
  onChoose,
  onBack,
}: {
  households: KioskHouseholdSummary[];
  onChoose(h: KioskHouseholdSummary): void;
  onBack(): void;
}) {
  const { t } = useI18n();
  return (
    <Screen title={t.whichFamily} className="screen-households">
      <ul className="choice-list">
        {households.map((h) => {
          const phone = h.guardians[0] ? last4(h.guardians[0].phoneMasked) : '';
          const names = h.guardians.map((g) => g.firstName).join(', ');
          return (
            <li key={h.id}>
              <button type="button" className="choice" onClick={() => onChoose(h)}>
                <span className="choice-title">{h.name}</span>
                <span className="choice-sub">
                  {names}
                  {phone && <> · {t.phoneEnding(phone)}</>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <div className="actions">
        <button type="button" className="btn btn-secondary btn-lg" onClick={onBack}>
          {t.back}
        </button>
      </div>
    </Screen>
  );
}

export function NotFound({ digits, onRetry, onRegister }: { digits: string; onRetry(): void; onRegister(): void }) {
  const { t } = useI18n();
  return (
    <Screen title={t.notFoundTitle} sub={t.notFoundHelp(digits)} className="screen-notfound">
      <div className="stack">
        <button type="button" className="btn btn-primary btn-xl" onClick={onRegister}>
          {t.registerFamily}
        </button>
        <button type="button" className="btn btn-secondary btn-xl" onClick={onRetry}>
          {t.tryAgain}
        </button>
      </div>
    </Screen>
  );
}

/**
 * Who is here: every child not yet checked in starts selected, so a returning family only taps
 * "Check in". Children already in are shown, not selectable.
 */
export function ChooseChildren({
  household,
  services,
  timezone,
  status,
  onConfirm,
  onRetryNow,
  onBack,
  onAddChild,
  proof,
  onReprint,
  reprintError,
  selected: chosenBefore,
  lookupDigits,
}: {
  household: KioskHouseholdSummary;
  /** the children already chosen (a join or an added child): only they start selected */
  selected?: string[];
  services: Service[];
  timezone: string;
  status: CheckinStatus;
  /**
   * `precheckinIds`: the phone's pre-check-in this check-in carries out (chosen children and services came from it);
   * `more.proof`: what shows the family holds today's code (DESIGN §16), when it already checked children in today;
   * `more.droppedOffBy`: the adult dropping off (DESIGN §16)
   */
  onConfirm(childIds: string[], serviceIds: string[], precheckinIds?: string[], more?: { proof?: string; droppedOffBy?: string }): void;
  /** a proof the kiosk already holds for this family: the family code it was found by (express check-in) */
  proof?: string | null;
  /** everyone is in: the parent reprints the family's labels with the tag's code or the pass */
  onReprint?(proof: string): void;
  /** why the last reprint was refused */
  reprintError?: 'wrong' | 'locked' | null;
  /** the phone digits that found the family: its adult is who drops off unless another is tapped */
  lookupDigits?: string;
  onRetryNow(): void;
  onBack(): void;
  /** A child who is not on the list yet: add them to this family (with the texted code). */
  onAddChild?(): void;
}) {
  const { t } = useI18n();
  // a pre-check-in from the phone (for services open now) chooses the children and services; the one tap checks in
  const pre = household.precheckin && services.some((s) => household.precheckin!.serviceIds.includes(s.id)) ? household.precheckin : null;
  // every service open now is offered; the next one to start is chosen (staying for two is one more tap)
  const [serviceIds, setServiceIds] = useState<Set<string>>(() =>
    pre
      ? new Set(services.filter((s) => pre.serviceIds.includes(s.id)).map((s) => s.id))
      : new Set([nextService(services)?.id].filter((x): x is string => !!x)),
  );
  const toggleService = (id: string) => {
    const next = new Set(serviceIds);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setServiceIds(next);
  };
  const chosenServices = services.filter((s) => serviceIds.has(s.id)).map((s) => s.id);
  const time = (iso: string) => new Intl.DateTimeFormat(t.locale, { timeZone: timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
  const available = household.children.filter((c) => !c.checkedIn);
  const [selected, setSelected] = useState<Set<string>>(
    () => new Set(available.filter((c) => (chosenBefore ? chosenBefore.includes(c.id) : !pre || pre.childIds.includes(c.id))).map((c) => c.id)),
  );
  const busy = status.kind === 'sending' || status.kind === 'retrying';
  const toggle = (id: string) => {
    if (busy) return;
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const chosen = available.filter((c) => selected.has(c.id)).map((c) => c.id);
  const [reprinting, setReprinting] = useState(false);
  // the family already holds today's code: more children only with proof (the code is never handed out by phone alone)
  const proofRefused = status.kind === 'failed' && ['proof_required', 'proof_invalid', 'rate_limited'].includes(status.code);
  const askProof = proofRefused || (!!household.proofNeeded && !proof);
  const proofError = status.kind === 'failed' ? (status.code === 'proof_invalid' ? 'wrong' : status.code === 'rate_limited' ? 'locked' : null) : null;
  const [droppedOffBy, setDroppedOffBy] = useState<string | null>(() =>
    household.guardians.length === 1 ? household.guardians[0]!.id : lookupGuardian(household, lookupDigits),
  );

  return (
    <Screen title={t.whoIsHere} sub={available.length > 1 && !pre ? t.tapToLeaveOut : undefined} className="screen-children">
      <p className="household-name">{household.name}</p>
      {pre && (
        <div className="panel panel-info precheck-panel" role="status">
          <p className="panel-title">{t.precheckedTitle}</p>
          <p>{t.precheckedHelp}</p>
        </div>
      )}
      <ul className="kids">
        {household.children.map((c) => {
          const on = !c.checkedIn && selected.has(c.id);
          return (
            <li key={c.id}>
              <button
                type="button"
                className={`kid${on ? ' kid-on' : ''}${c.checkedIn ? ' kid-in' : ''}`}
                aria-pressed={c.checkedIn ? undefined : on}
                disabled={c.checkedIn}
                onClick={() => toggle(c.id)}
              >
                <span className="kid-check" aria-hidden="true">
                  {on && (
                    <svg viewBox="0 0 24 24" width="32" height="32">
                      <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
                    </svg>
                  )}
                </span>
                <span className="kid-text">
                  <span className="kid-name">{c.firstName}</span>
                  <span className="kid-age">{c.checkedIn ? t.alreadyIn : ageLabel(t, c)}</span>
                  {c.hasAllergies && !c.checkedIn && <span className="tag tag-allergy">{t.allergyNoted}</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {services.length > 1 && (
        <fieldset className="services-choice">
          <legend>{t.whichServices}</legend>
          {services.map((s) => (
            <button
              key={s.id}
              type="button"
              className={`chip${serviceIds.has(s.id) ? ' chip-on' : ''}`}
              aria-pressed={serviceIds.has(s.id)}
              disabled={busy}
              onClick={() => toggleService(s.id)}
            >
              {t.serviceAt(s.name, time(s.startsAt))}
            </button>
          ))}
        </fieldset>
      )}
      <DropOffChooser household={household} value={droppedOffBy} onChange={setDroppedOffBy} disabled={busy} />
      {status.kind === 'retrying' && (
        <div className="panel panel-warn panel-row" role="alert">
          <div>
            <p className="panel-title">{t.retryTitle}</p>
            <p>{t.retryHelp}</p>
          </div>
          <button type="button" className="btn btn-primary btn-lg" onClick={onRetryNow}>
            {t.retryNow}
          </button>
        </div>
      )}
      {askProof && available.length > 0 && (
        <ProofPanel
          error={proofError}
          busy={busy}
          onProof={(p) => onConfirm(chosen, chosenServices, pre?.ids, { proof: p, droppedOffBy: droppedOffBy ?? undefined })}
        />
      )}
      {status.kind === 'failed' && !proofRefused && (
        <p className="panel panel-error" role="alert">
          {t.checkinFailed}
        </p>
      )}
      {available.length === 0 && (
        <p className="panel panel-info" role="status">
          {t.allAlreadyIn}
        </p>
      )}
      {available.length === 0 && onReprint && (reprinting || reprintError) && <ProofPanel error={reprintError ?? null} busy={busy} onProof={onReprint} />}
      <div className="actions">
        <button type="button" className="btn btn-secondary btn-lg" onClick={onBack}>
          {available.length === 0 ? t.startOver : t.back}
        </button>
        {available.length > 0 && !askProof && (
          <button
            type="button"
            className="btn btn-primary btn-xl btn-grow"
            disabled={chosen.length === 0 || chosenServices.length === 0 || busy}
            onClick={() => onConfirm(chosen, chosenServices, pre?.ids, { proof: proof ?? undefined, droppedOffBy: droppedOffBy ?? undefined })}
          >
            {busy ? (
              <>
                <Spinner />
                {t.checkingIn}
              </>
            ) : !chosenServices.length ? (
              t.chooseService
            ) : chosen.length ? (
              t.checkInN(chosen.length)
            ) : (
              t.chooseOne
            )}
          </button>
        )}
        {available.length === 0 && onReprint && household.proofNeeded && !reprinting && !reprintError && (
          <button type="button" className="btn btn-primary btn-xl btn-grow" onClick={() => (proof ? onReprint(proof) : setReprinting(true))}>
            {t.reprintOurs}
          </button>
        )}
        {/* after the main action: Tab from the children reaches Back, then Check in */}
        {onAddChild && (
          <button type="button" className="btn btn-secondary btn-lg" disabled={busy} onClick={onAddChild}>
            {t.addChildToFamily}
          </button>
        )}
      </div>
    </Screen>
  );
}

/** The service a family arriving now is most likely here for: the first that has not started yet, else the latest. */
export function nextService(services: Service[], now = Date.now()): Service | undefined {
  return services.find((s) => new Date(s.startsAt).getTime() >= now) ?? services[services.length - 1];
}
