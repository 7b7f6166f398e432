import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildHousehold, buildSite, givePrinter, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, TEST_SECRET, type TestApp } from '../support/harness';
import { pickupToken, pickupUrl } from '../../server/src/checkin/pickup-token';
import { buildLabelsZpl, parsePrinterHost, zplText } from '../../server/src/printing/printing.service';
import { fakePrinter, type FakePrinter } from '../support/printer';

/** A port on which nothing listens: bind, note it, close. */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

let t: TestApp;
let printer: FakePrinter;
beforeAll(async () => {
  t = await startTestApp();
  printer = await fakePrinter();
});
afterAll(async () => {
  await printer.close();
  await t.stop();
});

const setPrinter = (site: BuiltSite, host: string | null) => givePrinter(t.db, site.kioskId, host);
async function checkIn(site: BuiltSite, householdId: string, childIds: string[]) {
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body as { batchId: string; requestId: string; securityCode: string; pickupUrl: string };
}
const print = (token: string, batchId: unknown) => t.api().post('/api/print/labels').set(bearer(token)).send({ batchId });

describe('POST /api/print/labels', () => {
  test('sends one label per child and a parent tag with the pickup QR to the kiosk printer', async () => {
    const site = await buildSite(t.db);
    await setPrinter(site, printer.address);
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Ada', months: 24, allergies: 'Peanuts' },
        { firstName: 'José', months: 48 },
      ],
      { lastName: 'Lovelace' },
    );
    const res = await checkIn(site, fam.householdId, fam.childIds);
    const job = printer.nextJob();
    const r = await print(site.tokens.kiosk, res.batchId);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ printed: true, labels: 3 });
    const zpl = await job;

    const labels = zpl.trim().split(/\n(?=\^XA)/);
    expect(labels).toHaveLength(3);
    for (const l of labels) {
      expect(l.startsWith('^XA')).toBe(true);
      expect(l.endsWith('^XZ')).toBe(true);
      expect(l).toContain('^CI28');
    }
    const [ada, jose, parent] = labels as [string, string, string];
    expect(ada).toContain('^FDAda^FS');
    expect(ada).toContain('^FDLovelace^FS');
    expect(ada).toContain('^FDToddlers^FS');
    expect(ada).toContain(`^FD${res.securityCode}^FS`);
    expect(ada).toContain('^FDALLERGY: Peanuts^FS');
    expect(jose).toContain('^FDJosé^FS'); // UTF-8 through ^CI28
    expect(jose).toContain('^FDPreschool^FS');
    expect(jose).not.toContain('ALLERGY');
    expect(parent).toContain('PARENT PICKUP TAG');
    expect(parent).toContain(`^FD${res.securityCode}^FS`);
    expect(parent).toContain('^FDAda, José^FS');
    // the QR carries exactly the pickup URL the check-in answered with (escaped for ^FH)
    const pass = await t.db('pickup_passes').where({ batch_id: res.batchId }).first();
    const url = pickupUrl(t.baseUrl, pickupToken(Buffer.from(TEST_SECRET), pass.id));
    expect(res.pickupUrl).toBe(url);
    expect(parent).toMatch(/\^BQN,2,\d+\^FH\^FDMA,/);
    expect(parent).toContain(`^FDMA,${zplText(url)}^FS`);

    const audit = await t.db('audit_log').where({ entity_id: res.requestId, action: 'labels.print' });
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(site.kioskId);
  });

  test('^ and ~ in names cannot inject ZPL commands', async () => {
    const site = await buildSite(t.db);
    await setPrinter(site, printer.address);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Jo^XZ~JA_x', months: 24, allergies: 'egg^FS' }], { lastName: 'Tilde~Caret^' });
    const res = await checkIn(site, fam.householdId, fam.childIds);
    const job = printer.nextJob();
    expect((await print(site.tokens.kiosk, res.batchId)).status).toBe(200);
    const zpl = await job;
    expect(zpl).toContain('^FH^FDJo_5EXZ_7EJA_5Fx^FS');
    expect(zpl).toContain('^FH^FDTilde_7ECaret_5E^FS');
    expect(zpl).toContain('ALLERGY: egg_5EFS^FS');
    expect(zpl).not.toContain('Jo^XZ');
    expect(zpl).not.toContain('~JA');
    // exactly one ^XZ per label: nothing in the data ended a label early
    expect(zpl.match(/\^XZ/g)).toHaveLength(2);
    expect(zpl.match(/\^XA/g)).toHaveLength(2);
  });

  test('502 printer_unreachable when nothing answers at the printer address', async () => {
    const site = await buildSite(t.db);
    await setPrinter(site, `127.0.0.1:${await deadPort()}`);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const res = await checkIn(site, fam.householdId, fam.childIds);
    const r = await print(site.tokens.kiosk, res.batchId);
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('printer_unreachable');
  });

  test('the browser path gets the same label data (campus text, MEDICAL marker, never the note) without a printer', async () => {
    const site = await buildSite(t.db, { settings: { labelFooter: 'North Campus · Be kind' } });
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Ada', months: 24, allergies: 'Peanuts', medicalNotes: 'Type 1 diabetes: insulin pump' },
      { firstName: 'Ben', months: 48 },
    ]);
    const res = await checkIn(site, fam.householdId, fam.childIds);
    const r = await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ requestId: res.requestId, browser: true });
    expect(r.status).toBe(200);
    expect(r.body.printed).toBe(false);
    expect(r.body.set.footer).toBe('North Campus · Be kind');
    expect(r.body.set.children.map((c: { firstName: string; medical: boolean }) => [c.firstName, c.medical])).toEqual([
      ['Ada', true],
      ['Ben', false],
    ]);
    expect(JSON.stringify(r.body)).not.toContain('diabetes');
    const audit = await t.db('audit_log').where({ entity_id: res.requestId, action: 'labels.print' }).first();
    expect(audit.details.printer).toBe('browser');
  });

  test("the printer's last result is kept for staff; staff send a test print to it", async () => {
    const site = await buildSite(t.db);
    await setPrinter(site, printer.address);
    const list0 = await t.api().get('/api/printers').set(bearer(site.tokens.staff));
    expect(list0.status).toBe(200);
    expect(list0.body.printers).toEqual([expect.objectContaining({ kioskId: site.kioskId, printerHost: printer.address, lastOk: null, lastAt: null })]);

    const job = printer.nextJob();
    const tp = await t.api().post(`/api/kiosks/${site.kioskId}/test-print`).set(bearer(site.tokens.staff));
    expect(tp.status).toBe(200);
    const zpl = await job;
    expect(zpl).toContain('^FDTEST PRINT^FS');
    let [p] = (await t.api().get('/api/printers').set(bearer(site.tokens.staff))).body.printers;
    expect(p).toMatchObject({ lastOk: true, lastError: null });
    expect(Date.now() - Date.parse(p.lastAt)).toBeLessThan(60_000);
    expect(await t.db('audit_log').where({ entity_id: site.kioskId, action: 'labels.test_print' })).toHaveLength(1);

    await setPrinter(site, `127.0.0.1:${await deadPort()}`);
    const down = await t.api().post(`/api/kiosks/${site.kioskId}/test-print`).set(bearer(site.tokens.staff));
    expect(down.status).toBe(502);
    expect(down.body.error.code).toBe('printer_unreachable');
    [p] = (await t.api().get('/api/printers').set(bearer(site.tokens.staff))).body.printers;
    expect(p).toMatchObject({ lastOk: false, lastError: expect.stringContaining('not answering') });

    // a kiosk check-in's labels record their result too
    await setPrinter(site, printer.address);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const res = await checkIn(site, fam.householdId, fam.childIds);
    expect((await print(site.tokens.kiosk, res.batchId)).status).toBe(200);
    [p] = (await t.api().get('/api/printers').set(bearer(site.tokens.staff))).body.printers;
    expect(p.lastOk).toBe(true);
    // volunteers and other sites do not
    expect((await t.api().post(`/api/kiosks/${site.kioskId}/test-print`).set(bearer(site.tokens.volunteer))).status).toBe(403);
    const other = await buildSite(t.db);
    expect((await t.api().post(`/api/kiosks/${site.kioskId}/test-print`).set(bearer(other.tokens.staff))).status).toBe(404);
  });

  test('a batch of another site is not found; another kiosk of the same site may not print it', async () => {
    const a = await buildSite(t.db);
    const b = await buildSite(t.db);
    await setPrinter(a, printer.address);
    await setPrinter(b, printer.address);
    const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
    const res = await checkIn(a, fam.householdId, fam.childIds);
    const before = printer.jobs.length;
    const other = await print(b.tokens.kiosk, res.batchId);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const otherKiosk = (await t.api().post('/api/kiosks').set(bearer(a.tokens.admin)).send({ name: 'Lobby 2', siteId: a.siteId, printerHost: printer.address }))
      .body;
    const paired = await t.api().post('/api/kiosks/pair').send({ pairingCode: otherKiosk.pairingCode });
    expect(paired.status).toBe(200);
    expect((await print(paired.body.token, res.batchId)).status).toBe(403);
    // the marker: the batch's own kiosk prints it; a job the refused requests had sent would be here before it
    const marker = printer.nextJob();
    expect((await print(a.tokens.kiosk, res.batchId)).status).toBe(200);
    expect(printer.jobs.slice(before)).toEqual([await marker]);
  });

  test('only kiosks print; bad input is a 400 naming batchId; no printer is a 409; the reprint window and limit hold', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const res = await checkIn(site, fam.householdId, fam.childIds);

    const bad = await print(site.tokens.kiosk, 'nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('batchId');
    expect((await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({})).body.error.field).toBe('batchId');
    expect((await print(site.tokens.staff, res.batchId)).status).toBe(403);
    expect((await t.api().post('/api/print/labels').send({ batchId: res.batchId })).status).toBe(401);

    const none = await print(site.tokens.kiosk, res.batchId);
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('no_printer');

    await setPrinter(site, printer.address);
    for (let i = 0; i < 5; i++) expect((await print(site.tokens.kiosk, res.batchId)).status).toBe(200);
    const limit = await print(site.tokens.kiosk, res.batchId);
    expect(limit.status).toBe(409);
    expect(limit.body.error.code).toBe('reprint_limit');

    const fam2 = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const old = await checkIn(site, fam2.householdId, fam2.childIds);
    await t
      .db('checkin_requests')
      .where({ id: old.requestId })
      .update({ created_at: new Date(Date.now() - 6 * 60_000) });
    const expired = await print(site.tokens.kiosk, old.batchId);
    expect(expired.status).toBe(409);
    expect(expired.body.error.code).toBe('reprint_expired');
  });

  test('a check-in where every child was refused has nothing to print', async () => {
    const site = await buildSite(t.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 0 }] });
    await setPrinter(site, printer.address);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const r = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(r.body.refused[0].reason).toBe('room_full');
    const p = await print(site.tokens.kiosk, r.body.batchId);
    expect(p.status).toBe(409);
    expect(p.body.error.code).toBe('nothing_to_print');
  });
});

describe('ZPL building and printer addresses', () => {
  test('parsePrinterHost defaults to port 9100 and understands host:port and [IPv6]:port', () => {
    expect(parsePrinterHost('zebra-lobby.local')).toEqual({ host: 'zebra-lobby.local', port: 9100 });
    expect(parsePrinterHost(' 10.0.0.5:9101 ')).toEqual({ host: '10.0.0.5', port: 9101 });
    expect(parsePrinterHost('[fe80::1]:6101')).toEqual({ host: 'fe80::1', port: 6101 });
    expect(parsePrinterHost('[::1]')).toEqual({ host: '::1', port: 9100 });
    expect(() => parsePrinterHost('host:99999')).toThrow(/not host or host:port/);
    expect(() => parsePrinterHost('host:abc')).toThrow();
  });

  const LONG = {
    securityCode: 'BCDF',
    pickupUrl: 'https://example.church/pass/abc',
    date: 'Sun, Nov 29, 2026',
    serviceName: '9:00',
    footer: 'North Campus · Be kind',
    children: [
      {
        firstName: 'Christopher Jonathan',
        lastName: 'Montgomery-Castellanos',
        roomName: 'K-2',
        allergies: 'Tree nuts (cashew, pistachio), dairy, eggs — carries EpiPen',
        medical: true,
      },
      { firstName: 'Maximiliano', lastName: 'W', roomName: 'Toddlers', allergies: '' },
      { firstName: 'Bartholomew-Maximilian Alexander', lastName: 'X', roomName: 'K-2', allergies: '  ' },
      { firstName: 'Ada', lastName: 'L', roomName: 'Nursery', allergies: '' },
    ],
  };
  /** The ^A size and the field-data text of the field that prints `text`. */
  const fieldOf = (zpl: string, text: string) => {
    const line = zpl.split('\n').find((l) => l.includes(`^FD${text}^FS`));
    if (!line) throw new Error(`no field prints "${text}"`);
    const m = /\^A0N,(\d+),\d+\^FB(\d+),(\d+)/.exec(line)!;
    return { size: Number(m[1]), width: Number(m[2]), lines: Number(m[3]) };
  };

  test('long names shrink to fit (a smaller ^A size, never an ellipsis); a short name keeps the big font', () => {
    const zpl = buildLabelsZpl(LONG);
    expect(zpl).not.toContain('…');
    const short = fieldOf(zpl, 'Ada');
    for (const name of ['Christopher Jonathan', 'Maximiliano', 'Bartholomew-Maximilian Alexander']) {
      const f = fieldOf(zpl, name);
      // longer than the big font holds on one line: a smaller size
      if (name.length > Math.floor(520 / (76 * 0.62))) expect(f.size).toBeLessThan(short.size);
      // at 0.62 of the height per character (wide capitals included) the whole name fits its block
      expect(Math.floor(f.width / (f.size * 0.62)) * f.lines).toBeGreaterThanOrEqual(name.length);
    }
    expect(fieldOf(zpl, 'Christopher Jonathan').size).toBeLessThan(60);
    expect(fieldOf(zpl, 'Montgomery-Castellanos').size).toBeLessThan(40);
    expect(fieldOf(zpl, 'Bartholomew-Maximilian Alexander').lines).toBe(2);
  });

  test('allergies wrap onto two lines in a field block, whole; a medical note prints a MEDICAL marker, never the note; the campus text prints on every label', () => {
    const zpl = buildLabelsZpl(LONG);
    const text = 'ALLERGY: Tree nuts (cashew, pistachio), dairy, eggs — carries EpiPen';
    const f = fieldOf(zpl, text);
    expect(f.lines).toBe(2);
    expect(Math.floor(f.width / (f.size * 0.62)) * 2).toBeGreaterThanOrEqual(text.length);
    expect(zpl.match(/\^FDMEDICAL\^FS/g)).toHaveLength(1);
    expect(zpl.match(/ALLERGY/g)).toHaveLength(1); // the blank allergy prints no band
    // four child labels and the parent tag, each with the campus text
    expect(zpl.match(/\^FDNorth Campus · Be kind\^FS/g)).toHaveLength(5);
    expect(zpl).toContain('^FDMA,https://example.church/pass/abc^FS');
  });

  test('a Spanish family gets the fixed words in Spanish', () => {
    const zpl = buildLabelsZpl({ ...LONG, lang: 'es' });
    expect(zpl).toContain('^FDALERGIA: Tree nuts');
    expect(zpl).toContain('^FDMÉDICO^FS');
    expect(zpl).toContain('^FDETIQUETA DE RECOGIDA^FS');
    expect(zpl).not.toContain('ALLERGY');
  });
});
