import type { KioskHouseholdSummary, LocatedCheckinResult, PrintLabelsResult } from '../../contracts';

/** Which screen of the check-in flow the kiosk shows (App holds it; lookup.ts and OpenService.tsx move it). */
export type View =
  | { name: 'start' }
  | { name: 'households'; households: KioskHouseholdSummary[] }
  | { name: 'notFound' }
  /**
   * `selected`: the children chosen before this screen (joined or added at the kiosk), else every child not yet in;
   * `proof`: the family code it was found by, or the code texted to join it (DESIGN §16)
   */
  | { name: 'children'; household: KioskHouseholdSummary; selected?: string[]; proof?: string }
  | { name: 'register' }
  | { name: 'volunteer' }
  | { name: 'addChild'; household: KioskHouseholdSummary }
  | { name: 'done'; result: LocatedCheckinResult; household: KioskHouseholdSummary; at: number }
  | { name: 'photos'; household: KioskHouseholdSummary }
  | { name: 'reprinted'; result: PrintLabelsResult; household: KioskHouseholdSummary };
