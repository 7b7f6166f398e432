/**
 * A family's data, out and away (issue #31, DESIGN §19): the export holds every kind of row the
 * family has; erasure leaves none of its names, numbers or notes in any text, varchar or jsonb
 * column of any table while its attendance stays; a second erasure changes nothing; another
 * organisation's family is a 404; and a table holding family ids cannot be added unlisted.
 */
import { FAMILY_TABLES, SCRUBBED_TABLES } from '../../server/src/privacy/family-tables';
import { precheckToken } from '../../server/src/precheckin/precheck-token';
import { buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, TEST_SECRET, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

let families = 0;
/** Letters only, different for each family of the run (the scan below searches the whole database). */
const tagOf = (n: number) =>
  `${String.fromCharCode(65 + (n % 26))}${String.fromCharCode(97 + Math.floor(n / 26))}${process.pid.toString(36).replace(/\d/g, 'x')}`;

interface Family {
  /** everything personal the family gave the system; none of it may survive erasure */
  secrets: string[];
  /** another family's line in the same import file */
  otherLine: string;
  householdId: string;
  childId: string;
  guardianId: string;
  checkinId: string;
  expressCode: string;
  precheck: string;
}

/** A family with one of everything: registered at the kiosk, edited by staff, checked in and out, texted, imported. */
async function richFamily(site: BuiltSite): Promise<Family> {
  const tag = tagOf(++families);
  const last = `Quixwell${tag}`;
  const n4 = String(1000 + ((process.pid * 7 + families * 13) % 9000));
  const phone = `(312) 555-${n4}`;
  const reg = await t
    .api()
    .post('/api/households')
    .set(bearer(site.tokens.kiosk))
    .send({
      guardians: [{ firstName: `Zebulon${tag}`, lastName: last, phone, smsOptIn: true }],
      children: [
        { firstName: `Ottilie${tag}`, lastName: last, birthdate: '2023-05-17', allergies: `Tiger nuts ${tag}`, medicalNotes: `EpiPen in the blue bag ${tag}` },
      ],
      authorizedPickups: [{ name: `Grandma Ottoline${tag}`, relationship: 'grandmother' }],
      custodyAlerts: [{ name: `Bartholomew${tag} ${last}`, note: `Court order: never released to Bartholomew${tag}` }],
    });
  expect(reg.status).toBe(201);
  const householdId = reg.body.household.id as string;
  const childId = reg.body.household.children[0].id as string;
  const guardianId = reg.body.household.guardians[0].id as string;
  const staff = bearer(site.tokens.staff);
  expect(
    (
      await t
        .api()
        .patch(`/api/households/${householdId}/children/${childId}`)
        .set(staff)
        .send({ allergies: `Tiger nuts ${tag}` })
    ).status,
  ).toBe(200);
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds: [childId], idempotencyKey: key() });
  expect(ci.status).toBe(201);
  const checkinId = ci.body.checkins[0].id as string;
  const token = ci.body.pickupUrl.split('/pass/')[1];
  const out = await t
    .api()
    .post('/api/checkouts')
    .set(staff)
    .send({ checkinIds: [checkinId], token, pickedUpBy: `Grandma Ottoline${tag}` });
  expect(out.status).toBe(200);
  const express = await t.api().post(`/api/households/${householdId}/express-code`).set(staff);
  expect(express.status).toBe(201);
  expect((await t.api().post(`/api/households/${householdId}/precheckin-link`).set(staff)).status).toBe(202);
  const link = await t.db('precheckin_links').where({ household_id: householdId }).first();
  // the import file that brought the family in, with another family's line that must stay
  await t.db('import_jobs').insert({
    site_id: site.siteId,
    user_id: site.userIds.admin,
    format: 'generic',
    dry_run: false,
    status: 'done',
    total: 2,
    processed: 2,
    summary: JSON.stringify({}),
    problems: JSON.stringify([{ row: 2, message: `Zebulon${tag} ${last}: phone ${phone} looks like a landline` }]),
    source_text: `first,last,phone\nZebulon${tag},${last},${phone}\nFenwick${tag},Other,(312) 555-0999\n`,
    options: JSON.stringify({}),
  });
  // a webhook delivery still queued (retrying for up to 24 h) that names the child, as the outbox writes it
  const [endpoint] = await t
    .db('webhook_endpoints')
    .insert({ organization_id: site.organizationId, url: 'https://example.org/hook', events: t.db.raw("'{checkin.created}'::text[]"), secret_enc: 'v1.test' })
    .returning('id');
  await t.db('webhook_deliveries').insert({
    organization_id: site.organizationId,
    endpoint_id: endpoint.id,
    site_id: site.siteId,
    event: 'checkin.created',
    payload: JSON.stringify({ checkins: [{ childId, firstName: `Ottilie${tag}`, lastName: last }] }),
  });
  // and a queued checkin.flagged one for the security desk, naming the person the custody alert restricts
  await t.db('webhook_deliveries').insert({
    organization_id: site.organizationId,
    endpoint_id: endpoint.id,
    site_id: site.siteId,
    event: 'checkin.flagged',
    payload: JSON.stringify({
      reason: 'checkout_refused',
      attemptedBy: `Bartholomew${tag} ${last}`,
      checkins: [{ childId, firstName: `Ottilie${tag}`, lastName: last, restrictedPersons: [`Bartholomew${tag} ${last}`] }],
    }),
  });
  return {
    secrets: [
      `Zebulon${tag}`,
      last,
      `Ottilie${tag}`,
      `Ottoline${tag}`,
      `Bartholomew${tag}`,
      `Tiger nuts ${tag}`,
      `EpiPen in the blue bag ${tag}`,
      `555-${n4}`,
      `312555${n4}`,
    ],
    otherLine: `Fenwick${tag}`,
    householdId,
    childId,
    guardianId,
    checkinId,
    expressCode: express.body.code,
    precheck: precheckToken(Buffer.from(TEST_SECRET), link.id),
  };
}

/** Every text, varchar, char and jsonb column of every table: where does `needle` still appear? */
async function whereFound(needles: string[]): Promise<string[]> {
  const { rows: cols } = await t.db.raw(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema AND tb.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY')`,
  );
  const found: string[] = [];
  for (const { table_name, column_name } of cols as { table_name: string; column_name: string }[]) {
    for (const n of needles) {
      const { rows } = await t.db.raw(`SELECT count(*)::int AS n FROM ?? WHERE ??::text ILIKE :pat`.replace(':pat', '?'), [table_name, column_name, `%${n}%`]);
      if (rows[0].n > 0) found.push(`${table_name}.${column_name}: ${n}`);
    }
  }
  return found;
}

test('the export holds every kind of row the family has, never a code or token; only admins of its organisation get it', async () => {
  const site = await buildSite(t.db);
  const f = await richFamily(site);
  const r = await t.api().get(`/api/households/${f.householdId}/export`).set(bearer(site.tokens.admin));
  expect(r.status).toBe(200);
  expect(r.headers['content-disposition']).toContain('attachment');
  const doc = r.body;
  expect(doc.household).toMatchObject({ id: f.householdId, name: `${f.secrets[1]} family` });
  for (const k of [
    'guardians',
    'children',
    'authorizedPickups',
    'custodyAlerts',
    'expressCodes',
    'precheckinLinks',
    'checkinBatches',
    'checkins',
    'pickupPasses',
    'messages',
    'auditLog',
  ]) {
    expect({ k, rows: (doc[k] as unknown[]).length > 0 }).toEqual({ k, rows: true });
  }
  for (const tbl of FAMILY_TABLES) expect(doc).toHaveProperty(tbl.key);
  expect(doc.children[0]).toMatchObject({ first_name: f.secrets[2], allergies: f.secrets[5], medical_notes: f.secrets[6] });
  expect(doc.checkins[0]).toMatchObject({ id: f.checkinId, status: 'checked_out', picked_up_by: `Grandma ${f.secrets[3]}` });
  expect(doc.messages.some((m: { kind: string }) => m.kind === 'checkin_receipt')).toBe(true);
  const text = JSON.stringify(doc);
  expect(text).not.toContain(f.expressCode);
  expect(text).not.toContain(f.precheck);
  expect(text).not.toMatch(/code_hash|token_hash|security_code/);

  for (const who of ['staff', 'volunteer'] as const)
    expect((await t.api().get(`/api/households/${f.householdId}/export`).set(bearer(site.tokens[who]))).status).toBe(403);
  expect((await t.api().get(`/api/households/${f.householdId}/export`).set(bearer(site.tokens.kiosk))).status).toBe(403);
  const other = await buildSite(t.db);
  const elsewhere = await t.api().get(`/api/households/${f.householdId}/export`).set(bearer(other.tokens.admin));
  expect(elsewhere.status).toBe(404);
  expect(await t.db('audit_log').where({ action: 'household.export', entity_id: f.householdId })).toHaveLength(1);
});

test('erasure leaves none of the family’s names, numbers or notes in any column, keeps its attendance, and is never found again', async () => {
  const site = await buildSite(t.db);
  const f = await richFamily(site);
  expect((await whereFound(f.secrets)).length).toBeGreaterThan(10); // the scan does find them before
  const attendanceBefore = await t
    .db('checkins')
    .where({ child_id: f.childId })
    .select('id', 'room_id', 'service_date', 'checked_in_at', 'checked_out_at', 'checked_out_by', 'status');

  const noReason = await t.api().delete(`/api/households/${f.householdId}`).set(bearer(site.tokens.admin)).send({});
  expect(noReason.status).toBe(400);
  expect(noReason.body.error.field).toBe('reason');
  for (const who of ['staff', 'volunteer', 'kiosk'] as const)
    expect((await t.api().delete(`/api/households/${f.householdId}`).set(bearer(site.tokens[who])).send({ reason: 'asked' })).status).toBe(403);
  const other = await buildSite(t.db);
  expect((await t.api().delete(`/api/households/${f.householdId}`).set(bearer(other.tokens.admin)).send({ reason: 'not ours' })).status).toBe(404);

  const r = await t
    .api()
    .delete(`/api/households/${f.householdId}`)
    .set(bearer(site.tokens.admin))
    .send({ reason: `${f.secrets[0]} ${f.secrets[1]} asked by email on 3 March, ${f.secrets[7]}` });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ householdId: f.householdId, alreadyErased: false });

  expect(await whereFound(f.secrets)).toEqual([]);
  // another family's line of the same import file stays
  expect(await whereFound([f.otherLine])).toEqual([`import_jobs.source_text: ${f.otherLine}`]);
  // the attendance record stays as it was (rooms, dates, times, who released)
  expect(
    await t
      .db('checkins')
      .where({ child_id: f.childId })
      .select('id', 'room_id', 'service_date', 'checked_in_at', 'checked_out_at', 'checked_out_by', 'status'),
  ).toEqual(attendanceBefore);
  const child = await t.db('children').where({ id: f.childId }).first();
  expect(child.birthdate).toBeTruthy();
  expect(child.first_name).not.toBe(f.secrets[2]);
  // audited without the personal data
  const audit = await t.db('audit_log').where({ action: 'household.erase', entity_id: f.householdId });
  expect(audit).toHaveLength(1);
  expect(audit[0].actor_id).toBe(site.userIds.admin);
  expect(audit[0].details.reason).toContain('asked by email');

  // never found again: kiosk phone lookup (full and last 4), express code, pre-check-in link, staff search
  for (const phone of [f.secrets[8], f.secrets[8]!.slice(-4)]) {
    const k = await t.api().get('/api/households').query({ phone, serviceId: site.serviceId }).set(bearer(site.tokens.kiosk));
    expect(k.body.households.map((h: { id: string }) => h.id)).not.toContain(f.householdId);
  }
  expect((await t.api().post('/api/households/express').set(bearer(site.tokens.kiosk)).send({ code: f.expressCode, serviceId: site.serviceId })).status).toBe(
    404,
  );
  expect((await t.api().get(`/precheck/${f.precheck}`)).text).not.toContain(f.secrets[2]);
  expect((await t.api().get(`/precheck/${f.precheck}`)).status).toBeGreaterThanOrEqual(400);
  for (const q of [f.secrets[1], 'Erased', f.secrets[8]!.slice(-4)]) {
    const s = await t.api().get('/api/households/search').query({ q }).set(bearer(site.tokens.staff));
    expect(s.body.households.map((h: { id: string }) => h.id)).not.toContain(f.householdId);
  }
});

test('a second erasure is harmless and changes nothing; a family with a child in a room is not erased', async () => {
  const site = await buildSite(t.db);
  const f = await richFamily(site);
  const erase = () => t.api().delete(`/api/households/${f.householdId}`).set(bearer(site.tokens.admin)).send({ reason: 'family request' });
  expect((await erase()).status).toBe(200);
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all(
        ['households', 'guardians', 'children', 'checkins', 'notifications', 'audit_log'].map((tb) =>
          t.db(tb).where({ organization_id: site.organizationId }).orderBy('id'),
        ),
      ),
    );
  const before = await snapshot();
  const again = await erase();
  expect(again.status).toBe(200);
  expect(again.body.alreadyErased).toBe(true);
  expect(await snapshot()).toBe(before);

  // checked in now: 409, nothing erased
  const reg = await t
    .api()
    .post('/api/households')
    .set(bearer(site.tokens.kiosk))
    .send({
      guardians: [{ firstName: 'Ina', lastName: 'Room', phone: '3125550166' }],
      children: [{ firstName: 'Ivo', lastName: 'Room', birthdate: '2023-01-02' }],
    });
  const hid = reg.body.household.id;
  await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: hid, childIds: [reg.body.household.children[0].id], idempotencyKey: key() });
  const busy = await t.api().delete(`/api/households/${hid}`).set(bearer(site.tokens.admin)).send({ reason: 'family request' });
  expect(busy.status).toBe(409);
  expect((await t.db('households').where({ id: hid }).first()).erased_at).toBeNull();
});

test('every table with a …household_id, …guardian_id or …child_id column is covered by export and erasure', async () => {
  const { rows } = await t.db.raw(
    `SELECT DISTINCT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema AND tb.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public' AND (c.column_name LIKE '%household\\_id' OR c.column_name LIKE '%guardian\\_id' OR c.column_name LIKE '%child\\_id')
      ORDER BY 1`,
  );
  const covered = new Set([...FAMILY_TABLES.map((x) => x.table), ...SCRUBBED_TABLES]);
  const missing = rows.map((r: { table_name: string }) => r.table_name).filter((n: string) => !covered.has(n));
  // a new table holding a family's data: add it to FAMILY_TABLES (server/src/privacy/family-tables.ts)
  expect(missing).toEqual([]);
});
