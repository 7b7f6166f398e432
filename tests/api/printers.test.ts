/**
 * Label printers as records, their health and failover (DESIGN §18): the test printer answers
 * `~HS` like a Zebra in each state; printers are added and edited (bad input → 400 naming the
 * field; another campus's → 404); a kiosk names its printer; health is asked before each job and
 * by the poll, raising one staff alert per state and clearing it when healthy; a job goes to the
 * campus's next healthy printer when the kiosk's own is down, and the kiosk hears where.
 */
import { buildHousehold, buildSite, givePrinter, key, type BuiltSite } from '../support/factories';
import { bearer, caughtUp, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';
import { hostStatus } from '../support/printer';
import { printerPool } from '../support/printer-suite';
import { parseHostStatus, queryHostStatus } from '../../server/src/printing/printer-status';
import { pollPrinters } from '../../server/src/printers/printer-health';
import type { AlertEvent } from '../../contracts';
import { createDb } from '../../server/src/db/knex';
import { MIGRATION_OPTS, migrateDownTo } from '../support/migrations';
import { isolatedDatabaseUrl } from '../support/db';

let t: TestApp;
const { newPrinter } = printerPool();
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function checkIn(site: BuiltSite) {
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }], { lastName: 'Lovelace' });
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body as { batchId: string; securityCode: string };
}

describe('the test printer answers ~HS like a Zebra', () => {
  test('three STX…ETX strings; each state reads back as itself; unreachable closes the port', async () => {
    const lines = hostStatus('normal').split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines.pop()).toBe('');
    for (const l of lines)
      expect([l[0], l[l.length - 1], l.slice(1, -1).includes(String.fromCharCode(3))]).toEqual([String.fromCharCode(2), String.fromCharCode(3), false]);
    expect(lines[0]!.slice(1, 8)).toBe('030,0,0');
    const p = await newPrinter();
    expect(await queryHostStatus(p.address)).toBe('ok');
    for (const [state, health] of [
      ['paper_out', 'paper_out'],
      ['head_open', 'head_open'],
      ['paused', 'paused'],
      ['normal', 'ok'],
    ] as const) {
      await p.setState(state);
      expect(parseHostStatus(hostStatus(state))).toBe(health);
      expect(await queryHostStatus(p.address)).toBe(health);
    }
    const address = p.address;
    await p.setState('unreachable');
    expect(await queryHostStatus(address)).toBe('unreachable');
    await p.setState('normal');
    expect(p.address).toBe(address);
    expect(await queryHostStatus(address)).toBe('ok');
    // a status query is no job
    expect(p.jobs).toEqual([]);
    expect(parseHostStatus('HTTP/1.1 400 Bad Request\r\n')).toBeNull();
  });
});

describe('printers as records', () => {
  test('admins add and edit a printer; bad input is a 400 naming the field; staff list them with their kiosks', async () => {
    const site = await buildSite(t.db);
    const admin = bearer(site.tokens.admin);
    const bad = [
      [{ name: 'Desk', address: 'http://10.0.0.5/print', type: 'zebra' }, 'address'],
      [{ name: 'Desk', address: '10.0.0.5:99999', type: 'zebra' }, 'address'],
      [{ name: 'Desk', address: 'two words', type: 'zebra' }, 'address'],
      [{ name: 'Desk', type: 'zebra' }, 'address'],
      [{ name: 'Desk', address: '10.0.0.5:9100', type: 'laser' }, 'type'],
      [{ name: 'Desk', address: '10.0.0.5:9100', type: 'zebra', stockId: 'zero-mm' }, 'stockId'],
      [{ name: '', address: '10.0.0.5:9100', type: 'zebra' }, 'name'],
      [{ name: 'Desk', address: '10.0.0.5:9100', type: 'zebra', colour: 'red' }, 'colour'],
    ] as const;
    for (const [body, field] of bad) {
      const r = await t.api().post('/api/label-printers').set(admin).send(body);
      expect({ body, status: r.status, field: r.body.error?.field }).toEqual({ body, status: 400, field });
    }
    const c = await t
      .api()
      .post('/api/label-printers')
      .set(admin)
      .send({ name: 'Welcome Desk printer', address: ' 10.0.0.5 ', type: 'zebra', stockId: 'zebra-4x2' });
    expect(c.status).toBe(201);
    expect(c.body.printer).toMatchObject({
      name: 'Welcome Desk printer',
      address: '10.0.0.5:9100',
      type: 'zebra',
      stockId: 'zebra-4x2',
      health: 'unknown',
      kiosks: [],
    });
    const id = c.body.printer.id as string;
    const dymo = await t.api().post('/api/label-printers').set(admin).send({ name: 'Nursery DYMO', type: 'browser', stockId: 'dymo-30256' });
    expect(dymo.status).toBe(201);
    expect(dymo.body.printer).toMatchObject({ address: null, type: 'browser' });

    // edit: address and stock; a bad address is a 400 naming it; a Zebra without an address is refused
    const e = await t.api().patch(`/api/label-printers/${id}`).set(admin).send({ address: '[fe80::1]:6101', stockId: 'zebra-2.25x1.25' });
    expect(e.status).toBe(200);
    expect(e.body.printer).toMatchObject({ address: '[fe80::1]:6101', stockId: 'zebra-2.25x1.25' });
    const eb = await t.api().patch(`/api/label-printers/${id}`).set(admin).send({ address: 'not a host:port' });
    expect([eb.status, eb.body.error.field]).toEqual([400, 'address']);
    expect((await t.api().patch(`/api/label-printers/${id}`).set(admin).send({ address: null })).status).toBe(409);
    expect((await t.api().patch(`/api/label-printers/${id}`).set(admin).send({})).status).toBe(400);
    expect((await t.api().patch(`/api/label-printers/not-a-uuid`).set(admin).send({ name: 'x' })).status).toBe(400);

    // a kiosk names it; the kiosk list and the printer list say so
    const k = await t.api().put(`/api/kiosks/${site.kioskId}/printer`).set(admin).send({ printerId: id });
    expect(k.status).toBe(200);
    expect(k.body.kiosk).toMatchObject({ printerId: id, printerName: 'Welcome Desk printer', printerHost: '[fe80::1]:6101' });
    expect((await t.api().put(`/api/kiosks/${site.kioskId}/printer`).set(admin).send({ printerId: 'x' })).body.error.field).toBe('printerId');
    const list = await t.api().get('/api/label-printers').set(bearer(site.tokens.staff));
    expect(list.status).toBe(200);
    expect(list.body.printers.map((p: { name: string; kiosks: { id: string }[] }) => [p.name, p.kiosks.map((x) => x.id)])).toEqual([
      ['Nursery DYMO', []],
      ['Welcome Desk printer', [site.kioskId]],
    ]);
    // a browser/OS printer: the kiosk prints itself
    await t.api().put(`/api/kiosks/${site.kioskId}/printer`).set(admin).send({ printerId: dymo.body.printer.id });
    expect((await t.api().get('/api/kiosk/me').set(bearer(site.tokens.kiosk))).body.kiosk.hasPrinter).toBe(false);
    await t.api().put(`/api/kiosks/${site.kioskId}/printer`).set(admin).send({ printerId: id });
    expect((await t.api().get('/api/kiosk/me').set(bearer(site.tokens.kiosk))).body.kiosk.hasPrinter).toBe(true);

    const audit = await t
      .db('audit_log')
      .where({ site_id: site.siteId })
      .whereIn('action', ['printer.create', 'printer.update', 'kiosk.printer'])
      .count('* as n');
    expect(Number(audit[0]!.n)).toBe(6);
  });

  test("another campus's (or organisation's) printers and kiosks are not found; a kiosk cannot name another campus's printer", async () => {
    const a = await buildSite(t.db);
    const b = await buildSite(t.db);
    const sister = await buildSite(t.db, { organizationId: a.organizationId });
    const pid = (await givePrinter(t.db, a.kioskId, '10.0.0.9:9100'))!;
    for (const other of [b, sister]) {
      const admin = bearer(other.tokens.admin);
      expect((await t.api().patch(`/api/label-printers/${pid}`).set(admin).send({ name: 'Mine' })).status).toBe(404);
      expect((await t.api().post(`/api/label-printers/${pid}/test-print`).set(admin)).status).toBe(404);
      expect((await t.api().put(`/api/kiosks/${other.kioskId}/printer`).set(admin).send({ printerId: pid })).status).toBe(404);
      expect((await t.api().put(`/api/kiosks/${a.kioskId}/printer`).set(admin).send({ printerId: null })).status).toBe(404);
      expect((await t.api().post('/api/label-printers').set(admin).send({ name: 'X', address: '10.1.1.1', type: 'zebra', siteId: a.siteId })).status).toBe(404);
      expect(JSON.stringify((await t.api().get('/api/label-printers').set(admin)).body)).not.toContain(pid);
    }
    expect((await t.db('printers').where({ id: pid }).first()).name).not.toBe('Mine');
    // the database itself refuses a kiosk naming another organisation's printer
    await expect(t.db('kiosks').where({ id: b.kioskId }).update({ printer_id: pid })).rejects.toThrow(/kiosks_org_printer_foreign/);
  });

  test('a test print from staff lands on that printer only; a printer that is out of paper answers 502 and is not failed over', async () => {
    const site = await buildSite(t.db);
    const one = await newPrinter();
    const two = await newPrinter();
    const id = (await givePrinter(t.db, site.kioskId, one.address, 'Lobby printer'))!;
    await t.db('printers').insert({ site_id: site.siteId, name: 'Desk printer', address: two.address, type: 'zebra' });
    const job = one.nextJob();
    const r = await t.api().post(`/api/label-printers/${id}/test-print`).set(bearer(site.tokens.staff));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ printed: true, printer: 'Lobby printer' });
    expect(await job).toContain('TEST PRINT');
    await one.setState('paper_out');
    const down = await t.api().post(`/api/label-printers/${id}/test-print`).set(bearer(site.tokens.staff));
    expect(down.status).toBe(502);
    expect(down.body.error.message).toMatch(/Lobby printer is out of labels/);
    expect(two.jobs).toEqual([]);
    expect(await t.db('audit_log').where({ site_id: site.siteId, action: 'labels.test_print' })).toHaveLength(2);
  });
});

describe('health and failover', () => {
  test('paper out on the kiosk printer: the job lands on the next healthy printer, the kiosk hears where, staff get one alert naming kiosk and printer, cleared once healthy', async () => {
    const site = await buildSite(t.db);
    const own = await newPrinter();
    const desk = await newPrinter();
    const ownId = (await givePrinter(t.db, site.kioskId, own.address, 'Lobby printer'))!;
    await t.db('printers').insert({ site_id: site.siteId, name: 'Welcome Desk printer', address: desk.address, type: 'zebra' });
    const kiosk = await t.db('kiosks').where({ id: site.kioskId }).first();
    const staff = t.socket(site.tokens.staff);
    await connected(staff);
    try {
      await own.setState('paper_out');
      const raised = nextEvent<AlertEvent>(staff, 'alert.raised');
      const landed = desk.nextJob();
      const ci = await checkIn(site);
      const r = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ batchId: ci.batchId });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ printed: true, printer: { name: 'Welcome Desk printer', failover: true } });
      expect(await landed).toContain(ci.securityCode);
      expect(own.jobs).toEqual([]);
      const alert = await raised;
      // the campus's alert, of no one service (#29: it stands on a day without services too)
      expect(alert).toMatchObject({ kind: 'printer_paper_out', serviceId: null, ageGroup: ownId });
      expect(alert.message).toContain('Lobby printer');
      expect(alert.message).toContain(kiosk.name);
      // on the dashboard's list too (the campus's alerts, read beside each service's)
      const listed = await t.api().get('/api/site-alerts').set(bearer(site.tokens.staff));
      expect(listed.body.alerts).toEqual([expect.objectContaining({ id: alert.id, kind: 'printer_paper_out', clearedAt: null })]);

      // raised once: another job and a poll while it stays down raise nothing new
      const again = await checkIn(site);
      const second = desk.nextJob();
      expect((await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ batchId: again.batchId })).status).toBe(200);
      await second;
      await pollPrinters(t.ctx);
      expect(await t.db('alerts').where({ site_id: site.siteId })).toHaveLength(1);

      // head opened now: the paper-out alert clears, a head-open one is raised
      await own.setState('head_open');
      const cleared = nextEvent<AlertEvent>(staff, 'alert.cleared');
      const headOpen = nextEvent<AlertEvent>(staff, 'alert.raised');
      await pollPrinters(t.ctx);
      expect((await cleared).id).toBe(alert.id);
      expect(await headOpen).toMatchObject({ kind: 'printer_head_open' });

      // healthy again: cleared, and the kiosk's own printer takes the next job
      await own.setState('normal');
      const healthy = nextEvent<AlertEvent>(staff, 'alert.cleared');
      await pollPrinters(t.ctx);
      expect(await healthy).toMatchObject({ kind: 'printer_head_open' });
      const third = await checkIn(site);
      const home = own.nextJob();
      const r3 = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ batchId: third.batchId });
      expect(r3.body).toMatchObject({ printed: true, printer: { name: 'Lobby printer', failover: false } });
      expect(await home).toContain(third.securityCode);
      expect(await t.db('alerts').where({ site_id: site.siteId }).whereNull('cleared_at')).toHaveLength(0);
    } finally {
      staff.close();
    }
  });

  test('paused and unreachable raise their alerts from the poll; every printer down is a 502 the kiosk can fall back from', async () => {
    const site = await buildSite(t.db);
    const own = await newPrinter();
    const desk = await newPrinter();
    await givePrinter(t.db, site.kioskId, own.address, 'Lobby printer');
    await t.db('printers').insert({ site_id: site.siteId, name: 'Welcome Desk printer', address: desk.address, type: 'zebra' });
    const staff = t.socket(site.tokens.staff);
    await connected(staff);
    try {
      await own.setState('paused');
      await desk.setState('unreachable');
      const kinds: string[] = [];
      staff.on('alert.raised', (a: AlertEvent) => kinds.push(a.kind));
      await pollPrinters(t.ctx);
      await caughtUp(t, staff, site.siteId);
      expect(kinds.sort()).toEqual(['printer_paused', 'printer_unreachable']);
      const ci = await checkIn(site);
      const r = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ batchId: ci.batchId });
      expect(r.status).toBe(502);
      expect(r.body.error).toMatchObject({ code: 'printer_unreachable' });
      expect(r.body.error.message).toMatch(/Lobby printer is paused/);
      // the kiosk then prints through its browser: the same batch's data comes back
      const b = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ batchId: ci.batchId, browser: true });
      expect(b.status).toBe(200);
      expect(b.body.printed).toBe(false);
      await caughtUp(t, staff, site.siteId);
      expect(kinds).toHaveLength(2);
    } finally {
      staff.close();
    }
  });

  test('two instances polling at once raise each alert once', async () => {
    const site = await buildSite(t.db);
    const own = await newPrinter();
    await givePrinter(t.db, site.kioskId, own.address);
    await own.setState('paper_out');
    await Promise.all([pollPrinters(t.ctx), pollPrinters(t.ctx), pollPrinters(t.ctx)]);
    expect(await t.db('alerts').where({ site_id: site.siteId, kind: 'printer_paper_out' })).toHaveLength(1);
  });

  test("an edit that makes it another printer (a browser/OS one now) clears the old printer's alert", async () => {
    const site = await buildSite(t.db);
    const own = await newPrinter();
    const id = (await givePrinter(t.db, site.kioskId, own.address))!;
    await own.setState('head_open');
    await pollPrinters(t.ctx);
    expect(await t.db('alerts').where({ site_id: site.siteId }).whereNull('cleared_at')).toHaveLength(1);
    const r = await t.api().patch(`/api/label-printers/${id}`).set(bearer(site.tokens.admin)).send({ type: 'browser', address: null, stockId: 'brother-62mm' });
    expect(r.status).toBe(200);
    expect(r.body.printer).toMatchObject({ type: 'browser', address: null, health: 'unknown' });
    expect(await t.db('alerts').where({ site_id: site.siteId }).whereNull('cleared_at')).toHaveLength(0);
    // the kiosk prints through its browser now
    expect((await t.api().get('/api/kiosk/me').set(bearer(site.tokens.kiosk))).body.kiosk.hasPrinter).toBe(false);
  });
});

describe('the migration', () => {
  test("carries every kiosk's printer address into a record (one per campus and address, with its last result), and back down", async () => {
    const db = createDb(await isolatedDatabaseUrl('printers_migration'), 2);
    try {
      const site = await buildSite(db);
      const other = await buildSite(db);
      await migrateDownTo(db, '20261207204100');
      const at = new Date('2026-12-06T15:00:00Z');
      const kiosk = (siteId: string, name: string, host: string | null, ok: boolean | null = null) =>
        db('kiosks')
          .insert({ site_id: siteId, name, mode: 'checkin', printer_host: host, printer_last_ok: ok, printer_last_at: ok === null ? null : at })
          .returning('id')
          .then((r) => r[0].id as string);
      const lobby = await kiosk(site.siteId, 'Lobby', '10.0.0.5:9100', false);
      const lobby2 = await kiosk(site.siteId, 'Lobby 2', '10.0.0.5:9100');
      const door = await kiosk(site.siteId, 'Door', '10.0.0.6');
      const none = await kiosk(site.siteId, 'Tablet', null);
      const elsewhere = await kiosk(other.siteId, 'Lobby', '10.0.0.5:9100');
      // this migration only (later ones may follow it), up and then down
      const THIS = { ...MIGRATION_OPTS, name: '20261207204100_printers.ts' };
      await db.migrate.up(THIS);

      const ps = await db('printers').whereIn('site_id', [site.siteId, other.siteId]).orderBy(['site_id', 'address']);
      expect(ps).toHaveLength(3);
      const of = async (id: string) => (await db('kiosks').where({ id }).first()).printer_id as string | null;
      const shared = await db('printers')
        .where({ id: await of(lobby) })
        .first();
      expect(shared).toMatchObject({ site_id: site.siteId, name: 'Lobby printer', address: '10.0.0.5:9100', type: 'zebra', last_ok: false });
      expect(await of(lobby2)).toBe(shared.id);
      expect(
        (
          await db('printers')
            .where({ id: await of(door) })
            .first()
        ).address,
      ).toBe('10.0.0.6');
      expect(await of(none)).toBeNull();
      const theirs = await db('printers')
        .where({ id: await of(elsewhere) })
        .first();
      expect(theirs.site_id).toBe(other.siteId);
      expect(theirs.id).not.toBe(shared.id);

      await db.migrate.down(THIS);
      const back = await db('kiosks').whereIn('id', [lobby, lobby2, door, none, elsewhere]).select('id', 'printer_host', 'printer_last_ok');
      const hostOf = (id: string) => back.find((k) => k.id === id)!.printer_host;
      expect([hostOf(lobby), hostOf(lobby2), hostOf(door), hostOf(none), hostOf(elsewhere)]).toEqual([
        '10.0.0.5:9100',
        '10.0.0.5:9100',
        '10.0.0.6',
        null,
        '10.0.0.5:9100',
      ]);
      expect(back.find((k) => k.id === lobby)!.printer_last_ok).toBe(false);
      await db.migrate.latest(MIGRATION_OPTS);
    } finally {
      await db.destroy();
    }
  });
});
