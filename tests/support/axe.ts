/**
 * Accessibility checks in the browser suite (DESIGN §21): injects axe-core into a Playwright page
 * and returns the violations of impact serious or critical, each as one readable line, so a test
 * can `expect(await seriousViolations(page)).toEqual([])` and a failure names rule and element.
 * The script goes in through the DevTools protocol (page.evaluate), which the page's own
 * Content-Security-Policy does not block.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}

export interface SeriousViolation {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * The violations of impact serious or critical on the page as it stands now (WCAG 2.x A and AA, and
 * axe's best practices); `impacts` widens or narrows the impacts reported.
 */
export async function seriousViolations(page: Page, o: { exclude?: string[]; impacts?: string[] } = {}): Promise<SeriousViolation[]> {
  const impacts = o.impacts ?? ['serious', 'critical'];
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axe.source);
  const violations = await page.evaluate(async (exclude: string[]) => {
    const a = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : (globalThis as unknown as { document: unknown }).document;
    const r = await a.run(context, { resultTypes: ['violations'] });
    return r.violations;
  }, o.exclude ?? []);
  return violations
    .filter((v) => !!v.impact && impacts.includes(v.impact))
    .map((v) => ({ rule: v.id, impact: v.impact!, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')) }));
}
