/**
 * Label templates per organisation with campus overrides (DESIGN §18, #29): who may change which
 * level, the campus override winning over the organisation's, the print path printing the
 * effective template (ZPL captured on the local test printer for every kind and stock), the
 * preview, bad input as a 400 naming the field, and another organisation's or campus's ids as 404.
 */
import { buildHousehold, buildSite, givePrinter, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { fakePrinter, type FakePrinter } from '../support/printer';
import { LABEL_STOCKS } from '../../contracts/rules/label-stocks';
import { defaultTemplate, LABEL_TEMPLATE_KINDS, type LabelTemplateKind } from '../../contracts/label-templates';
import { sendToPrinter } from '../../server/src/printing/printing.service';

let t: TestApp;
let printer: FakePrinter;
let a: BuiltSite;
let a2: BuiltSite;
let b: BuiltSite;
beforeAll(async () => {
  t = await startTestApp();
  printer = await fakePrinter();
  a = await buildSite(t.db);
  a2 = await buildSite(t.db, { organizationId: a.organizationId });
  b = await buildSite(t.db);
  // a's admin is an organisation admin; a2's and b's admins are campus admins
  await t.db('users').where({ id: a.userIds.admin }).update({ org_admin: true });
});
afterAll(async () => {
  await printer.close();
  await t.stop();
});

const body = (kind: LabelTemplateKind, stockId: string) => {
  const d = defaultTemplate(kind, stockId);
  return { stock: d.stock, elements: d.elements };
};
const put = (token: string, kind: string, level: string, template: unknown) =>
  t.api().put(`/api/label-templates/${kind}`).set(bearer(token)).send({ level, template });
const list = async (token: string) => {
  const r = await t.api().get('/api/label-templates').set(bearer(token));
  expect(r.status).toBe(200);
  return r.body as {
    templates: { kind: string; source: string; effective: { stock: { id: string } }; campus: { id: string } | null; organization: { id: string } | null }[];
    canEditOrganization: boolean;
  };
};
const slot = async (token: string, kind: string) => (await list(token)).templates.find((s) => s.kind === kind)!;

async function printLabels(site: BuiltSite, browser = false) {
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Olivia', months: 48, allergies: 'Peanuts' }], { lastName: 'Martínez' });
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(ci.status).toBe(201);
  const job = browser ? null : printer.nextJob();
  const r = await t
    .api()
    .post('/api/print/labels')
    .set(bearer(site.tokens.kiosk))
    .send({ requestId: ci.body.requestId, ...(browser ? { browser: true } : {}) });
  expect(r.status).toBe(200);
  return { zpl: job ? await job : '', html: r.body.html as string, code: ci.body.securityCode as string };
}

/** Each ^XA…^XZ label of a job: it holds the code (when it should) and every field lies within ^PW × ^LL. */
function checkLabels(zpl: string, code: string | null) {
  const labels = zpl.trim().split(/\n(?=\^XA)/);
  for (const l of labels) {
    expect(l.startsWith('^XA')).toBe(true);
    expect(l.endsWith('^XZ')).toBe(true);
    const pw = Number(/\^PW(\d+)/.exec(l)![1]);
    const ll = Number(/\^LL(\d+)/.exec(l)![1]);
    for (const m of l.matchAll(/\^FO(\d+),(\d+)(?:\^A0N,(\d+),\d+\^FB(\d+),(\d+)|\^GB(\d+),(\d+))?/g)) {
      const [x, y] = [Number(m[1]), Number(m[2])];
      expect(x).toBeLessThanOrEqual(pw);
      expect(y).toBeLessThanOrEqual(ll);
      // a field's right edge and its lines' bottom stay on the label (a dot or two of rounding aside)
      if (m[3]) expect([x + Number(m[4]) <= pw + 2, y + Number(m[3]) * Number(m[5]) <= ll + 3]).toEqual([true, true]);
      if (m[6]) expect([x + Number(m[6]) <= pw + 2, y + Number(m[7]) <= ll + 2]).toEqual([true, true]);
    }
    if (code) expect(l).toContain(`^FD${code}^FS`);
  }
  return labels;
}
describe('levels and who may change them', () => {
  test('defaults first; the organisation admin sets the organisation level; a campus admin overrides it at the campus only; reset goes back', async () => {
    const before = await list(a.tokens.admin);
    expect(before.canEditOrganization).toBe(true);
    expect(before.templates.map((s) => [s.kind, s.source])).toEqual(LABEL_TEMPLATE_KINDS.map((k) => [k, 'default']));
    expect(before.templates[0]!.effective.stock.id).toBe('zebra-4x2');
    expect((await list(a2.tokens.admin)).canEditOrganization).toBe(false);

    // a campus admin may not change the organisation's; staff may not change anything
    expect((await put(a2.tokens.admin, 'child', 'organization', body('child', 'dymo-30256'))).status).toBe(403);
    expect((await put(a.tokens.staff, 'child', 'campus', body('child', 'dymo-30256'))).status).toBe(403);

    const org = await put(a.tokens.admin, 'child', 'organization', body('child', 'dymo-30256'));
    expect(org.status).toBe(200);
    expect(org.body.template).toMatchObject({ kind: 'child', level: 'organization', siteId: null, stock: { id: 'dymo-30256' } });
    // both campuses inherit it
    for (const tok of [a.tokens.admin, a2.tokens.admin])
      expect(await slot(tok, 'child')).toMatchObject({ source: 'organization', effective: { stock: { id: 'dymo-30256' } } });

    // a2's own override wins at a2, not at a
    const own = await put(a2.tokens.admin, 'child', 'campus', body('child', 'brother-62mm'));
    expect(own.status).toBe(200);
    expect(own.body.template).toMatchObject({ level: 'campus', siteId: a2.siteId, stock: { id: 'brother-62mm', heightMm: null } });
    expect(await slot(a2.tokens.admin, 'child')).toMatchObject({ source: 'campus', effective: { stock: { id: 'brother-62mm' } } });
    expect(await slot(a.tokens.admin, 'child')).toMatchObject({ source: 'organization', campus: null });

    // a changed organisation template does not beat the campus override
    expect((await put(a.tokens.admin, 'child', 'organization', body('child', 'zebra-2.25x1.25'))).status).toBe(200);
    expect(await slot(a2.tokens.admin, 'child')).toMatchObject({ source: 'campus', effective: { stock: { id: 'brother-62mm' } } });

    // reset the override: back to the organisation's; a campus admin cannot reset the organisation's
    expect((await t.api().post('/api/label-templates/child/reset').set(bearer(a2.tokens.admin)).send({ level: 'organization' })).status).toBe(403);
    const reset = await t.api().post('/api/label-templates/child/reset').set(bearer(a2.tokens.admin)).send({ level: 'campus' });
    expect(reset.status).toBe(200);
    expect(reset.body.slot).toMatchObject({ kind: 'child', source: 'organization', effective: { stock: { id: 'zebra-2.25x1.25' } } });
    const orgReset = await t.api().post('/api/label-templates/child/reset').set(bearer(a.tokens.admin)).send({ level: 'organization' });
    expect(orgReset.body.slot).toMatchObject({ source: 'default', effective: { stock: { id: 'zebra-4x2' } } });

    // every change is audited
    const audit = await t.db('audit_log').where({ entity: 'label_template' }).whereIn('actor_id', [a.userIds.admin, a2.userIds.admin]);
    expect(audit.map((r) => r.action).sort()).toEqual([
      'label_template.put',
      'label_template.put',
      'label_template.put',
      'label_template.reset',
      'label_template.reset',
    ]);
  });

  test('parallel saves of one kind leave one row, the last one', async () => {
    const site = await buildSite(t.db);
    const stocks = ['zebra-4x2', 'dymo-30256', 'citizen-4x2', 'brother-dk1201', 'zebra-4x6'];
    const rs = await Promise.all(stocks.map((s) => put(site.tokens.admin, 'parent', 'campus', body('parent', s))));
    expect(rs.map((r) => r.status)).toEqual(stocks.map(() => 200));
    const rows = await t.db('label_templates').where({ site_id: site.siteId, kind: 'parent' });
    expect(rows).toHaveLength(1);
    expect(stocks).toContain(rows[0].stock.id);
  });
});

describe('ids of another organisation or campus', () => {
  test("another organisation's template is not found; another campus's override is not found, even for the organisation admin", async () => {
    const bOrg = await put(b.tokens.admin, 'parent', 'campus', body('parent', 'dymo-30256'));
    expect(bOrg.status).toBe(200);
    const r = await t.api().get(`/api/label-templates/${bOrg.body.template.id}`).set(bearer(a.tokens.admin));
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
    expect((await t.api().get(`/api/label-templates/${bOrg.body.template.id}`).set(bearer(b.tokens.admin))).status).toBe(200);

    const a2Own = await put(a2.tokens.admin, 'volunteer', 'campus', body('volunteer', 'citizen-4x2'));
    expect((await t.api().get(`/api/label-templates/${a2Own.body.template.id}`).set(bearer(a.tokens.admin))).status).toBe(404);
    const aOrg = await put(a.tokens.admin, 'keytag', 'organization', body('keytag', 'zebra-4x2'));
    // the organisation's template is readable at every campus of it, never from another organisation
    expect((await t.api().get(`/api/label-templates/${aOrg.body.template.id}`).set(bearer(a2.tokens.admin))).status).toBe(200);
    expect((await t.api().get(`/api/label-templates/${aOrg.body.template.id}`).set(bearer(b.tokens.admin))).status).toBe(404);
    // b's list never shows a's templates
    expect(JSON.stringify(await list(b.tokens.admin))).not.toContain(aOrg.body.template.id);
    await t.api().post('/api/label-templates/keytag/reset').set(bearer(a.tokens.admin)).send({ level: 'organization' });
    await t.api().post('/api/label-templates/volunteer/reset').set(bearer(a2.tokens.admin)).send({ level: 'campus' });
  });
});

describe('bad input is a 400 naming the field', () => {
  const bad = async (kind: string, template: unknown, extra: object = {}) => {
    const r = await t
      .api()
      .put(`/api/label-templates/${kind}`)
      .set(bearer(a.tokens.admin))
      .send({ level: 'campus', template, ...extra });
    expect(r.status).toBe(400);
    return r.body.error.field as string;
  };
  test('unknown field, unknown property, 0 mm stock, an element off the label, an unknown kind or level', async () => {
    const ok = body('child', 'zebra-4x2');
    expect(await bad('child', { ...ok, elements: ok.elements.map((e, i) => (i === 1 ? { ...e, field: 'shoeSize' } : e)) })).toBe('template.elements.1.field');
    expect(await bad('child', { ...ok, elements: [{ ...ok.elements[0], colour: 'red' }] })).toBe('template.elements.0.colour');
    expect(await bad('child', { stock: { id: 'custom', widthMm: 0, heightMm: 50 }, elements: [] })).toBe('template.stock.widthMm');
    expect(await bad('child', { stock: { id: 'custom', widthMm: 60, heightMm: 0 }, elements: [] })).toBe('template.stock.heightMm');
    expect(
      await bad('child', {
        stock: { id: 'custom', widthMm: 60, heightMm: 30 },
        elements: [{ type: 'box', x: 70, y: 1, w: 5, h: 5, border: 1, color: 'black' }],
      }),
    ).toBe('template.elements.0.x');
    expect(await bad('child', { ...ok, elements: [{ type: 'qr', x: 90, y: 10, size: 30, data: 'pickupUrl' }] })).toBe('template.elements.0.size');
    expect(await bad('shoe', ok)).toBe('kind');
    expect(await bad('child', ok, { level: 'galaxy' })).toBe('level');
    expect(await bad('child', ok, { extra: 1 })).toBe('extra');
    const preview = await t
      .api()
      .post('/api/label-templates/preview')
      .set(bearer(a.tokens.admin))
      .send({ kind: 'child', template: { ...ok, stock: { id: 'custom', widthMm: -1, heightMm: 10 } } });
    expect(preview.status).toBe(400);
    expect(preview.body.error.field).toBe('template.stock.widthMm');
    // nothing was stored
    expect(await t.db('label_templates').where({ site_id: a.siteId })).toEqual([]);
  });
});

describe('the preview', () => {
  test.each(LABEL_STOCKS.map((s) => s.id))('%s: HTML with the page size and ZPL for a sample child', async (stockId) => {
    const r = await t
      .api()
      .post('/api/label-templates/preview')
      .set(bearer(a.tokens.admin))
      .send({ kind: 'child', template: body('child', stockId) });
    expect(r.status).toBe(200);
    const stock = LABEL_STOCKS.find((s) => s.id === stockId)!;
    expect(r.body.page.widthMm).toBe(stock.widthMm);
    expect(r.body.html).toContain(`size: ${stock.widthMm}mm ${r.body.page.heightMm}mm; margin: 0`);
    expect(r.body.html).toContain('Olivia');
    checkLabels(r.body.zpl, 'K7MX');
  });
});

describe('the print path prints the effective template', () => {
  test.each(LABEL_STOCKS.map((s) => s.id))('%s: the kiosk printer gets child label and parent tag on that stock', async (stockId) => {
    const site = await buildSite(t.db);
    await givePrinter(t.db, site.kioskId, printer.address);
    for (const kind of ['child', 'parent'] as const) expect((await put(site.tokens.admin, kind, 'campus', body(kind, stockId))).status).toBe(200);
    const { zpl, html, code } = await printLabels(site);
    const labels = checkLabels(zpl, code);
    expect(labels).toHaveLength(2);
    const stock = LABEL_STOCKS.find((s) => s.id === stockId)!;
    expect(labels[0]).toContain(`^PW${Math.round((stock.widthMm * 203) / 25.4)}`);
    expect(labels[0]).toContain('Olivia');
    expect(labels[1]).toMatch(/\^BQN,2,\d+\^FH\^FDMA,/);
    expect(html).toContain(`size: ${stock.widthMm}mm`);
  });

  test('every kind on every stock: the rendered ZPL lands on the local test printer whole', async () => {
    for (const stock of LABEL_STOCKS)
      for (const kind of LABEL_TEMPLATE_KINDS) {
        const r = await t
          .api()
          .post('/api/label-templates/preview')
          .set(bearer(a.tokens.admin))
          .send({ kind, template: body(kind, stock.id), dpi: 300 });
        expect(r.status).toBe(200);
        const job = printer.nextJob();
        await sendToPrinter(printer.address, r.body.zpl);
        const got = await job;
        expect(got).toBe(r.body.zpl);
        checkLabels(got, kind === 'child' || kind === 'parent' ? 'K7MX' : null);
        if (kind === 'keytag') expect(got).toContain('^BCN');
      }
  });

  test('the campus override wins over the organisation on the printer; the browser path gets the same template as HTML', async () => {
    const site = await buildSite(t.db);
    await t.db('users').where({ id: site.userIds.admin }).update({ org_admin: true });
    await givePrinter(t.db, site.kioskId, printer.address);
    // nothing stored yet: the kiosk's built-in browser layout prints (no template HTML sent)
    expect((await printLabels(site, true)).html).toBeUndefined();
    expect((await put(site.tokens.admin, 'child', 'organization', body('child', 'zebra-2.25x1.25'))).status).toBe(200);
    expect((await printLabels(site)).zpl.split('\n')[0]).toBe('^XA^CI28^PW457^LL254^LH0,0');
    expect((await put(site.tokens.admin, 'child', 'campus', body('child', 'zebra-4x6'))).status).toBe(200);
    expect((await printLabels(site)).zpl.split('\n')[0]).toBe('^XA^CI28^PW812^LL1218^LH0,0');
    const { html } = await printLabels(site, true);
    expect(html).toContain('size: 101.6mm 152.4mm; margin: 0');
    expect(html).toContain('data-kind="child"');
    expect(html).toContain('data-kind="parent"');
  });
});
