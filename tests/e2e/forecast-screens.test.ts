/**
 * The forecast on screen (DESIGN §17, issue #28 point 5), in a real Chromium against the served
 * build and the real `GET /api/services/:id/forecast`: eight past Sundays imported through the
 * attendance upload, then the dashboard's timeline per age group (band, actual line, planned room
 * openings), tomorrow's plan in one line, and the wall display's plan line before the doors open.
 * Times in the campus's time zone. Build first: npm run build:ui
 */
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildSite, type BuiltSite, type RoomSpec } from '../support/factories';
import { bearer } from '../support/harness';
import { addDays, instantAt, wallTimeIn } from '../../contracts/rules';
import { newToken, sha256 } from '../../server/src/auth/crypto';
import { clockIn, weekdayIn } from '../../staff-ui/src/forecast/plan';

jest.setTimeout(120_000);

const ROOMS: RoomSpec[] = [
  { name: 'Toddlers A', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 8, ratio: 5, volunteers: 2, sortOrder: 1 },
  { name: 'Toddlers B', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 8, ratio: 5, volunteers: 0, sortOrder: 2, open: false },
  { name: 'Preschool', ageGroup: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 12, ratio: 8, volunteers: 2, sortOrder: 3 },
  { name: 'Overflow', kind: 'overflow', minAgeMonths: 18, maxAgeMonths: 71, capacity: 6, ratio: null, volunteers: 0, sortOrder: 9, open: false },
];

describeBrowser('staff UI: the forecast on the dashboard and the wall display (served build, Chromium)', () => {
  const suite = staffBrowserSuite();
  const { open } = suite;

  /** Eight past weeks of a slot (the service's local weekday and time, and the day after's) as a generic CSV, uploaded as an admin would. */
  async function importHistory(site: BuiltSite, startsAt: Date) {
    const wall = wallTimeIn(startsAt, site.timezone);
    const [date, time] = [wall.slice(0, 10), wall.slice(11, 16)];
    const lines = ['checked_in_at,room,service'];
    for (const day of [date, addDays(date, 1)]) {
      for (let w = 1; w <= 8; w++) {
        const start = instantAt(addDays(day, -7 * w), time, site.timezone).getTime();
        const toddlers = 12 + (w % 6); // 12–17 a week: Toddlers B needed, the overflow only at the band's top
        for (let i = 0; i < toddlers; i++)
          lines.push(
            `${wallTimeIn(start + (-25 + (30 * i) / toddlers) * 60_000, site.timezone)
              .slice(0, 16)
              .replace('T', ' ')},Toddlers A,Sunday`,
          );
        for (let i = 0; i < 6; i++)
          lines.push(
            `${wallTimeIn(start + (-20 + 4 * i) * 60_000, site.timezone)
              .slice(0, 16)
              .replace('T', ' ')},Preschool,Sunday`,
          );
      }
    }
    const r = await suite.t
      .api()
      .post('/api/imports')
      .query({ kind: 'attendance' })
      .set(bearer(site.tokens.admin))
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(lines.join('\n')));
    expect(r.status).toBe(202);
    for (;;) {
      const j = (await suite.t.api().get(`/api/imports/${r.body.import.jobId}`).set(bearer(site.tokens.admin))).body.import;
      if (j.status !== 'running') {
        expect(j).toMatchObject({ status: 'done', problems: [] });
        return;
      }
      await new Promise((res) => setImmediate(res));
    }
  }

  test('dashboard: a timeline per age group with its band, the actual line and Toddlers B’s opening; tomorrow’s plan in one line', async () => {
    const site = await buildSite(suite.t.db, { rooms: ROOMS });
    const service = await suite.t.db('services').where({ id: site.serviceId }).first();
    await importHistory(site, new Date(service.starts_at));
    const tomorrowStart = new Date(new Date(service.starts_at).getTime() + 86_400_000);
    const [tomorrow] = await suite.t
      .db('services')
      .insert({
        site_id: site.siteId,
        name: 'Tomorrow Service',
        starts_at: tomorrowStart,
        checkin_opens_at: new Date(tomorrowStart.getTime() - 45 * 60_000),
        checkin_closes_at: new Date(tomorrowStart.getTime() + 90 * 60_000),
        service_date: addDays(String(wallTimeIn(service.starts_at, site.timezone)).slice(0, 10), 1),
      })
      .returning('id');
    for (const r of await suite.t.db('service_rooms').where({ service_id: site.serviceId }))
      await suite.t.db('service_rooms').insert({ service_id: tomorrow.id, room_id: r.room_id, open: r.open, capacity: r.capacity, volunteers: r.volunteers });
    const forecast = (await suite.t.api().get(`/api/services/${site.serviceId}/forecast`).set(bearer(site.tokens.staff))).body;
    const toddlers = forecast.groups.find((g: { label: string }) => /toddler/i.test(g.label));
    const openB = toddlers.openBy.find((o: { roomName: string }) => o.roomName === 'Toddlers B');
    expect(openB?.expectedFullAt).toBeTruthy();

    const page = await open(site.tokens.staff, '/dashboard');
    const timelines = page.getByTestId('forecast-timeline');
    await timelines.first().waitFor();
    expect(await timelines.count()).toBe(forecast.groups.length);
    const plan = page.getByTestId('forecast-plan');
    const head = `${weekdayIn(service.starts_at, site.timezone)} ${clockIn(service.starts_at, site.timezone)}:`;
    expect(await plan.textContent()).toContain(`${head} `);
    expect(await plan.textContent()).toContain(`Toddlers B at ${clockIn(openB.at, site.timezone)}`);
    const svg = timelines.filter({ hasText: toddlers.label }).locator('svg');
    expect(await svg.getAttribute('aria-label')).toContain(`open Toddlers B by ${clockIn(openB.at, site.timezone)}`);
    expect(await svg.locator('path.forecast-band').count()).toBe(1);
    expect(await svg.locator('path.forecast-actual').count()).toBe(1); // check-in opened half an hour ago: 0 so far
    await page
      .getByTestId('forecast-plan-line')
      .filter({ hasText: `${weekdayIn(tomorrowStart.toISOString(), site.timezone)} ` })
      .waitFor();
    expect(await page.getByTestId('forecast-plan-line').textContent()).toMatch(/Toddlers B at \d{1,2}:\d{2}/);
    await page.getByTestId('forecast-timeline').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('forecast-dashboard'), fullPage: true });
    expect(tomorrow.id).toBeTruthy();
  });

  test('no history: the dashboard says so plainly, with no numbers', async () => {
    const site = await buildSite(suite.t.db, { rooms: ROOMS });
    const page = await open(site.tokens.staff, '/dashboard');
    await page
      .getByTestId('forecast-plan')
      .getByText(/no forecast yet — no past services to learn from/)
      .waitFor();
    await page.getByText(/No past services of this time at this campus yet/).waitFor();
    expect(await page.getByTestId('forecast-timeline').count()).toBe(0);
  });

  test('wall display: the next service’s plan before its doors open', async () => {
    const site = await buildSite(suite.t.db, { rooms: ROOMS, opensInMinutes: 20 });
    const service = await suite.t.db('services').where({ id: site.serviceId }).first();
    await importHistory(site, new Date(service.starts_at));
    const token = newToken('d');
    await suite.t.db('displays').insert({ site_id: site.siteId, name: 'Lobby TV', token_hash: sha256(token) });
    const context = await suite.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.addInitScript(
      (tk) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('kc.display.token', tk),
      token,
    );
    const page = await context.newPage();
    await page.goto(`${suite.t.baseUrl}/staff/display`);
    const plan = page.getByTestId('wall-plan');
    await plan.waitFor();
    // the engine counts the history from this service's check-in opening (10 minutes before the start here), so whether the
    // band alone or the expected curve reaches Toddlers B is its call; the line names the room either way, in campus time
    expect(await plan.textContent()).toMatch(
      new RegExp(
        `^Next: Test Service — ${weekdayIn(service.starts_at, site.timezone)} ${clockIn(service.starts_at, site.timezone)}: Toddlers B (at \\d{1,2}:\\d{2}|unlikely)`,
      ),
    );
    await page.screenshot({ path: screenshotPath('forecast-wall'), fullPage: false });
    await context.close();
  });
});
