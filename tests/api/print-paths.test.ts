/**
 * The print paths of #29 that the first pass left unmet (DESIGN §18): the parent's name on the
 * labels (the adult who dropped off, else the family's first guardian), a failover printer with
 * another stock getting labels of its own size, printer alerts on a day without a service, and
 * the volunteer badge and family key tag printed from their templates — the ZPL captured on the
 * local test printer.
 */
import { buildHousehold, buildSite, givePrinter, key, type BuiltSite } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';
import { pollPrinters } from '../../server/src/printers/printer-health';
import { createDb } from '../../server/src/db/knex';
import { MIGRATION_OPTS, migrateDownTo } from '../support/migrations';
import { isolatedDatabaseUrl } from '../support/db';
import type { AlertEvent } from '../../contracts';
import { printerPool } from '../support/printer-suite';
import { defaultTemplate, type LabelTemplateKind, type TextElement } from '../../contracts/labels';

let t: TestApp;
const { newPrinter } = printerPool();
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

/** A default template of this kind with a parent-name line added under the rest. */
function withParentName(kind: LabelTemplateKind) {
  const d = defaultTemplate(kind);
  const name: TextElement = {
    type: 'text',
    field: 'parentName',
    x: 3,
    y: 44,
    w: 60,
    fontPt: 8,
    minFontPt: 6,
    lines: 1,
    maxLines: 1,
    bold: false,
    align: 'left',
    reverse: false,
  };
  return { stock: d.stock, elements: [...d.elements.filter((e) => e.type !== 'text' || e.field !== 'footer'), name] };
}
const putTemplate = (site: BuiltSite, kind: LabelTemplateKind, template: unknown) =>
  t.api().put(`/api/label-templates/${kind}`).set(bearer(site.tokens.admin)).send({ level: 'campus', template });

const checkIn = (site: BuiltSite, householdId: string, childIds: string[], extra: Record<string, unknown> = {}) =>
  t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key(), ...extra });

/** The text of every ^FD field of a ZPL job. */
const fields = (zpl: string) => [...zpl.matchAll(/\^FD([^^]*)\^FS/g)].map((m) => m[1]);

describe('the parent name on the labels', () => {
  test('the adult who dropped off is printed; without one, the family’s first guardian; a staff reprint says the same', async () => {
    const site = await buildSite(t.db);
    const printer = await newPrinter();
    await givePrinter(t.db, site.kioskId, printer.address);
    for (const kind of ['child', 'parent'] as const) expect((await putTemplate(site, kind, withParentName(kind))).status).toBe(200);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 24 }], { lastName: 'Reyes' });
    const [sam] = await t
      .db('guardians')
      .insert({ household_id: fam.householdId, first_name: 'Sam', last_name: 'Okafor', phone: '+13125550188' })
      .returning('id');

    // Sam brought Mia: both labels name Sam, not Pat (the first guardian)
    const ci = await checkIn(site, fam.householdId, fam.childIds, { droppedOffBy: sam.id });
    expect(ci.status).toBe(201);
    const job = printer.nextJob();
    const r = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ requestId: ci.body.requestId });
    expect(r.status).toBe(200);
    const zpl = await job;
    const labels = zpl.trim().split(/\n(?=\^XA)/);
    expect(labels).toHaveLength(2);
    for (const l of labels) expect(fields(l)).toContain('Sam Okafor');
    expect(zpl).not.toContain('Pat Reyes');
    // the browser's copy (the campus stores templates) says the same
    expect(r.body.html).toContain('Sam Okafor');

    // a staff reprint from the roster: the day's drop-off adult
    const checkinId = (await t.db('checkins').where({ request_id: ci.body.requestId }).first()).id;
    const re = await t.api().post(`/api/checkins/${checkinId}/labels`).set(bearer(site.tokens.staff)).send({});
    expect(re.status).toBe(200);
    expect(fields(re.body.zpl)).toContain('Sam Okafor');

    // another family checked in without saying who: its first guardian
    const other = await buildHousehold(t.db, site.siteId, [{ firstName: 'Lea', months: 30 }], { lastName: 'Novak' });
    const ci2 = await checkIn(site, other.householdId, other.childIds);
    const job2 = printer.nextJob();
    expect((await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ requestId: ci2.body.requestId })).status).toBe(200);
    for (const l of (await job2).trim().split(/\n(?=\^XA)/)) expect(fields(l)).toContain('Pat Novak');
  });
});

describe('failover to a printer with another stock', () => {
  test('the job that lands on a 2.25 × 1.25 in printer is rendered for it; the kiosk’s own 4 × 2 in printer gets 4 × 2 in', async () => {
    const site = await buildSite(t.db);
    const own = await newPrinter();
    const small = await newPrinter();
    await givePrinter(t.db, site.kioskId, own.address, 'Lobby printer');
    await t.db('printers').insert({ site_id: site.siteId, name: 'Nursery printer', address: small.address, type: 'zebra', stock_id: 'zebra-2.25x1.25' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24, allergies: 'Peanuts' }], { lastName: 'Lovelace' });

    // healthy: the kiosk's own printer, 4 × 2 in (812 × 406 dots at 203 dpi)
    const ci = await checkIn(site, fam.householdId, fam.childIds);
    const home = own.nextJob();
    expect((await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ requestId: ci.body.requestId })).status).toBe(200);
    const homeZpl = await home;
    for (const l of homeZpl.trim().split(/\n(?=\^XA)/)) expect(l).toMatch(/^\^XA\^CI28\^PW812\^LL406\^LH0,0/);

    // out of paper: the job fails over to the small printer, at its size (457 × 254 dots), every field on the label
    await own.setState('paper_out');
    const away = small.nextJob();
    const r = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ batchId: ci.body.batchId });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ printed: true, printer: { name: 'Nursery printer', failover: true } });
    const zpl = await away;
    const labels = zpl.trim().split(/\n(?=\^XA)/);
    expect(labels).toHaveLength(2);
    for (const l of labels) {
      expect(l).toMatch(/^\^XA\^CI28\^PW457\^LL254\^LH0,0/);
      for (const m of l.matchAll(/\^FO(\d+),(\d+)\^A0N,(\d+),\d+\^FB(\d+),(\d+)/g)) {
        const [x, y, size, w, lines] = m.slice(1).map(Number) as [number, number, number, number, number];
        expect([x + w <= 459, y + size * lines <= 257]).toEqual([true, true]);
      }
    }
    expect(zpl).toContain(ci.body.securityCode);
    expect(fields(zpl)).toContain('Ada');
    expect(own.jobs).toHaveLength(1);
  });
});

describe('printer alerts on a day without a service', () => {
  test('a dead printer on a setup day raises one campus alert (no service): staff hear it and read it, it clears once healthy', async () => {
    const site = await buildSite(t.db);
    // no service today: a setup day
    await t.db('services').where({ site_id: site.siteId }).delete();
    expect(await t.db('services').where({ site_id: site.siteId })).toEqual([]);
    const printer = await newPrinter();
    const id = (await givePrinter(t.db, site.kioskId, printer.address, 'Lobby printer'))!;
    const staff = t.socket(site.tokens.staff);
    await connected(staff);
    try {
      await printer.setState('head_open');
      const raised = nextEvent<AlertEvent>(staff, 'alert.raised');
      await pollPrinters(t.ctx);
      const alert = await raised;
      expect(alert).toMatchObject({ kind: 'printer_head_open', serviceId: null, ageGroup: id, clearedAt: null });
      expect(alert.message).toMatch(/Lobby printer .* has its head open/);
      // the dashboard, the alert strip and the wall read the campus's alerts
      const listed = await t.api().get('/api/site-alerts').set(bearer(site.tokens.staff));
      expect(listed.status).toBe(200);
      expect(listed.body.alerts).toEqual([expect.objectContaining({ id: alert.id, serviceId: null, kind: 'printer_head_open' })]);
      // polled again while down: still one
      await pollPrinters(t.ctx);
      expect(await t.db('alerts').where({ site_id: site.siteId })).toHaveLength(1);
      // acknowledged like any alert
      const ack = await t.api().post(`/api/alerts/${alert.id}/ack`).set(bearer(site.tokens.staff));
      expect(ack.status).toBe(200);
      expect(ack.body.alert.acknowledgedAt).not.toBeNull();
      // healthy again: cleared
      await printer.setState('normal');
      const cleared = nextEvent<AlertEvent>(staff, 'alert.cleared');
      await pollPrinters(t.ctx);
      expect(await cleared).toMatchObject({ id: alert.id, serviceId: null });
      expect(await t.db('alerts').where({ site_id: site.siteId }).whereNull('cleared_at')).toEqual([]);
      // another campus sees none of it
      const other = await buildSite(t.db);
      expect((await t.api().get('/api/site-alerts').set(bearer(other.tokens.staff))).body.alerts).toEqual([]);
    } finally {
      staff.close();
    }
  });

  test('the migration makes a printer’s per-service alerts one campus alert, and goes back down', async () => {
    const db = createDb(await isolatedDatabaseUrl('site_alerts_migration'), 2);
    try {
      const site = await buildSite(db);
      await migrateDownTo(db, '20261208040100');
      const base = await db('services').where({ id: site.serviceId }).first();
      const [second] = await db('services')
        .insert({ ...base, id: undefined, name: 'Second service', starts_at: new Date(new Date(base.starts_at).getTime() + 3600_000) })
        .returning('id');
      const [p] = await db('printers').insert({ site_id: site.siteId, name: 'Lobby printer', address: '127.0.0.1:9', type: 'zebra' }).returning('id');
      const raise = (serviceId: string, at: string) =>
        db('alerts').insert({ site_id: site.siteId, service_id: serviceId, kind: 'printer_paper_out', age_group: p.id, message: 'out', raised_at: at });
      await raise(site.serviceId, '2026-12-06T15:00:00Z');
      await raise(second.id, '2026-12-06T15:05:00Z');
      // a room alert is no printer's: untouched
      await db('alerts').insert({ site_id: site.siteId, service_id: site.serviceId, kind: 'room_full', age_group: 'Toddlers', message: 'full' });

      // this migration only (later ones may follow it), up and then down
      const THIS = { ...MIGRATION_OPTS, name: '20261208040100_site_alerts.ts' };
      await db.migrate.up(THIS);
      const after = await db('alerts').where({ site_id: site.siteId }).orderBy('raised_at');
      const printerAlerts = after.filter((a) => a.kind === 'printer_paper_out');
      expect(printerAlerts.map((a) => [a.service_id, a.cleared_at === null])).toEqual([
        [site.serviceId, false],
        [null, true],
      ]);
      expect(after.find((a) => a.kind === 'room_full')).toMatchObject({ service_id: site.serviceId, cleared_at: null });
      // one standing campus alert per printer and state
      await expect(
        db('alerts').insert({ site_id: site.siteId, service_id: null, kind: 'printer_paper_out', age_group: p.id, message: 'again' }),
      ).rejects.toThrow(/alerts_site_standing_unique/);

      await db.migrate.down(THIS);
      const down = await db('alerts').where({ site_id: site.siteId });
      expect(down.every((a) => a.service_id !== null)).toBe(true);
      expect(down.map((a) => a.kind).sort()).toEqual(['printer_paper_out', 'room_full']);
      await db.migrate.latest(MIGRATION_OPTS);
    } finally {
      await db.destroy();
    }
  });
});

describe('the volunteer badge and the family key tag print from their templates', () => {
  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

  test('a volunteer checked in at a kiosk gets the campus’s badge template on its printer (its stock), and the HTML for a browser print', async () => {
    const site = await buildSite(t.db);
    const printer = await newPrinter();
    await givePrinter(t.db, site.kioskId, printer.address);
    const vol = site.userIds.volunteer;
    const admin = bearer(site.tokens.admin);
    expect((await t.api().put(`/api/volunteers/${vol}/phone`).set(admin).send({ phone: '(312) 555-0177' })).status).toBe(200);
    expect(
      (
        await t
          .api()
          .put(`/api/volunteers/${vol}/background-check`)
          .set(admin)
          .send({ status: 'cleared', expiresOn: inDays(200) })
      ).status,
    ).toBe(200);
    // the campus's badge: the 2.25 × 1.25 in stock, with a line of its own words
    const small = defaultTemplate('volunteer', 'zebra-2.25x1.25');
    const words: TextElement = { ...(small.elements[0] as TextElement), field: 'text', text: 'Thank you for serving', y: 26 };
    expect((await putTemplate(site, 'volunteer', { stock: small.stock, elements: [...small.elements, words] })).status).toBe(200);

    const job = printer.nextJob();
    const r = await t
      .api()
      .post('/api/kiosk/volunteers/checkin')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, phone: '3125550177', roomId: site.rooms.Toddlers });
    expect(r.status).toBe(201);
    expect(r.body.printed).toBe(true);
    const zpl = await job;
    expect(zpl).toMatch(/^\^XA\^CI28\^PW457\^LL254\^LH0,0/);
    expect(fields(zpl)).toEqual(expect.arrayContaining(['VOLUNTEER', 'Test volunteer', 'Toddlers', 'Thank you for serving']));
    expect(r.body.label.zpl).toBe(zpl);
    expect(r.body.label.html).toContain('Thank you for serving');
    expect(r.body.label.html).toContain('size: 57.15mm 31.75mm');
  });

  test('staff print a family’s key tag: its express code (a first one made) as barcode and QR on the kiosk printer; bad input is a 400 naming the field', async () => {
    const site = await buildSite(t.db);
    const printer = await newPrinter();
    await givePrinter(t.db, site.kioskId, printer.address, 'Desk printer');
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }], { lastName: 'Lovelace' });
    const staff = bearer(site.tokens.staff);

    expect((await t.api().post(`/api/households/${fam.householdId}/key-tag`).set(staff).send({ kioskId: 'nope' })).body.error.field).toBe('kioskId');
    expect((await t.api().post(`/api/households/${fam.householdId}/key-tag`).set(staff).send({ colour: 'red' })).status).toBe(400);

    // in the browser: the HTML of the key tag template, a first express code made
    const b = await t.api().post(`/api/households/${fam.householdId}/key-tag`).set(staff).send({});
    expect(b.status).toBe(200);
    expect(b.body.printed).toBeNull();
    expect(b.body.html).toContain('Lovelace family');
    expect(b.body.html).toContain('kcl-barcode');
    expect(await t.db('household_express_codes').where({ household_id: fam.householdId }).whereNull('revoked_at')).toHaveLength(1);

    // to the kiosk's printer: the same code (the active one is kept), a Code 128 barcode and a QR of it
    const job = printer.nextJob();
    const r = await t.api().post(`/api/households/${fam.householdId}/key-tag`).set(staff).send({ kioskId: site.kioskId });
    expect(r.status).toBe(200);
    expect(r.body.printed).toEqual({ kiosk: expect.any(String), printer: 'Desk printer' });
    expect(r.body.codeText).toBe(b.body.codeText);
    const zpl = await job;
    const code = r.body.codeText.replace(/-/g, '');
    expect(zpl).toContain('^FDCHECK-IN KEY^FS');
    expect(zpl).toContain('^FDLovelace family^FS');
    expect(zpl).toContain(`^BCN`);
    expect(zpl).toContain(`>:${code}^FS`);
    expect(zpl).toContain(`^FDMA,${code}^FS`);
    // the kiosk then finds the family by that code
    const found = await t.api().post('/api/households/express').set(bearer(site.tokens.kiosk)).send({ code });
    expect(found.status).toBe(200);
    expect(found.body.households.map((h: { id: string }) => h.id)).toEqual([fam.householdId]);
    expect(await t.db('audit_log').where({ action: 'labels.key_tag', entity_id: fam.householdId })).toHaveLength(2);
    // another organisation's family is not found
    const other = await buildSite(t.db);
    expect((await t.api().post(`/api/households/${fam.householdId}/key-tag`).set(bearer(other.tokens.staff)).send({})).status).toBe(404);
  });
});
