/**
 * Finding the family at the kiosk: by the phone's last digits, by an express key-tag code, and a
 * reprint proved by the tag's code or the pass (DESIGN §16, §18). A phone look-up that failed for
 * want of the server runs again by itself when it is back (`retryIfWaiting`).
 */
import { useCallback, useRef, useState } from 'react';
import type { KioskHouseholdSummary, Service } from '../../contracts';
import { api, ApiError, NetworkError } from './api';
import { useLatest } from './hooks';
import type { Messages } from './i18n';
import type { KioskSession } from './session';
import type { View } from './view';

export function useFamilyLookup(t: Messages, service: Service | null, session: KioskSession | null, digits: string, show: (v: View) => void) {
  const [finding, setFinding] = useState(false);
  const [findError, setFindError] = useState<string | null>(null);
  const [reprintError, setReprintError] = useState<'wrong' | 'locked' | null>(null);
  /** a phone look-up that failed for want of the server, to run again when it is back */
  const retryFind = useRef(false);

  async function find() {
    retryFind.current = false;
    if (!service) return;
    setFinding(true);
    setFindError(null);
    try {
      const { households } = await api('GET /api/households', { query: { phone: digits, serviceId: service.id } });
      if (households.length === 0) show({ name: 'notFound' });
      else if (households.length === 1) show({ name: 'children', household: households[0]! });
      else show({ name: 'households', households });
    } catch (e) {
      // the server could not be reached: the look-up runs again by itself once it answers
      if (e instanceof NetworkError) retryFind.current = true;
      setFindError(e instanceof NetworkError ? t.offline : e instanceof ApiError && e.status === 403 ? t.notAllowed : t.somethingWrong);
    } finally {
      setFinding(false);
    }
  }
  const latestFind = useLatest(find);

  /** A parent reprints the family's labels, proved by the tag's code or the pass (DESIGN §18). */
  async function reprint(household: KioskHouseholdSummary, proof: string) {
    if (!service || !session) return;
    setReprintError(null);
    try {
      const result = await api('POST /api/print/family-labels', {
        body: { householdId: household.id, serviceId: service.id, proof, browser: !session.kiosk.hasPrinter },
      });
      show({ name: 'reprinted', result, household });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'proof_invalid') setReprintError('wrong');
      else if (e instanceof ApiError && (e.status === 429 || e.code === 'reprint_limit')) setReprintError('locked');
      else setFindError(e instanceof NetworkError ? t.offline : t.somethingWrong);
    }
  }

  /** Express check-in: a family's key-tag code goes straight to "Who is here today?". */
  async function express(code: string) {
    if (!service || finding) return;
    setFinding(true);
    setFindError(null);
    try {
      const { households } = await api('POST /api/households/express', { body: { code, serviceId: service.id } });
      // the family code the parent scanned is also their proof for a second check-in today (DESIGN §16)
      if (households[0]) show({ name: 'children', household: households[0], proof: code });
      else setFindError(t.familyCodeUnknown);
    } catch (e) {
      setFindError(
        e instanceof NetworkError
          ? t.offline
          : e instanceof ApiError && e.status === 404
            ? t.familyCodeUnknown
            : e instanceof ApiError && e.status === 403
              ? t.notAllowed
              : t.somethingWrong,
      );
    } finally {
      setFinding(false);
    }
  }

  /** back from an outage: the look-up that failed for want of the server runs again */
  const retryIfWaiting = useCallback(() => {
    if (!retryFind.current) return;
    retryFind.current = false;
    void latestFind.current();
  }, [latestFind]);
  /** the parent typed: the old error and any waiting retry go */
  const typed = useCallback(() => {
    setFindError(null);
    retryFind.current = false;
  }, []);
  /** the kiosk starts over */
  const clear = useCallback(() => {
    setFindError(null);
    setFinding(false);
    retryFind.current = false;
    setReprintError(null);
  }, []);

  return { finding, findError, reprintError, find, express, reprint, retryIfWaiting, typed, clear };
}
export type FamilyLookup = ReturnType<typeof useFamilyLookup>;
