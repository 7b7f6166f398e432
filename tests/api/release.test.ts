/**
 * The release rules (DESIGN §4): who may take a child home, and every refusal on record.
 * Each refusal test finds exactly one audit row for it after the 4xx.
 */
import { hashPassword } from '../../server/src/auth/crypto';
import { OVERRIDE_PIN_FAILURES_PER_WINDOW } from '../../server/src/pickup/pickup.routes';
import { buildHousehold, buildSite, kioskToken, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function family(site: BuiltSite, opts: { custody?: string; pickups?: string[]; lastName?: string } = {}) {
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }], { lastName: opts.lastName ?? 'Rivera' });
  const pickupIds: string[] = [];
  for (const name of opts.pickups ?? [])
    pickupIds.push((await t.db('authorized_pickups').insert({ household_id: fam.householdId, name }).returning('id'))[0].id);
  if (opts.custody) await t.db('custody_alerts').insert({ household_id: fam.householdId, name: opts.custody, note: 'court order' });
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(ci.status).toBe(201);
  return { ...fam, pickupIds, checkinId: ci.body.checkins[0].id as string, code: ci.body.securityCode as string, batchId: ci.body.batchId as string };
}
const checkout = (token: string, body: object) => t.api().post('/api/checkouts').set(bearer(token)).send(body);
const auditRows = (site: BuiltSite, action: string) => t.db('audit_log').where({ site_id: site.siteId, action });
const status = async (id: string) => (await t.db('checkins').where({ id }).first()).status;

describe('release to a listed adult', () => {
  test('verify lists guardians and authorised pickups with ids; checkout by id records who', async () => {
    const site = await buildSite(t.db);
    const f = await family(site, { pickups: ['Grandma Jo'] });
    const v = await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ securityCode: f.code, serviceId: site.serviceId });
    expect(v.body.guardians).toEqual([{ id: f.guardianId, firstName: 'Pat', lastName: 'Rivera', photoUrl: null }]);
    expect(v.body.authorizedPickups).toEqual([{ id: f.pickupIds[0], name: 'Grandma Jo', relationship: '', photoUrl: null }]);
    const out = await checkout(site.tokens.volunteer, { checkinIds: [f.checkinId], securityCode: f.code, pickupPersonId: f.pickupIds[0] });
    expect(out.status).toBe(200);
    expect(out.body).toEqual(
      expect.objectContaining({ pickedUpBy: 'Grandma Jo', pickupPerson: { id: f.pickupIds[0], kind: 'authorized_pickup' }, override: null }),
    );
    const row = await t.db('checkins').where({ id: f.checkinId }).first();
    expect(row).toEqual(
      expect.objectContaining({
        status: 'checked_out',
        picked_up_by: 'Grandma Jo',
        picked_up_kind: 'authorized_pickup',
        picked_up_person_id: f.pickupIds[0],
        checked_out_by: site.userIds.volunteer,
      }),
    );
  });

  test('a typed name that is a listed person (accents, order, case) counts as that person', async () => {
    const site = await buildSite(t.db);
    const f = await family(site, { pickups: ['José Pérez'] });
    const out = await checkout(site.tokens.volunteer, { checkinIds: [f.checkinId], securityCode: f.code, pickedUpBy: 'perez JOSE' });
    expect(out.status).toBe(200);
    expect(out.body.pickupPerson).toEqual({ id: f.pickupIds[0], kind: 'authorized_pickup' });
    expect(out.body.pickedUpBy).toBe('José Pérez');
  });

  test("another family's guardian id is refused 409 not_authorized_pickup, one audit row", async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const other = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const out = await checkout(site.tokens.volunteer, { checkinIds: [f.checkinId], securityCode: f.code, pickupPersonId: other.guardianId });
    expect(out.status).toBe(409);
    expect(out.body.error.code).toBe('not_authorized_pickup');
    expect(await auditRows(site, 'checkout.not_authorized')).toHaveLength(1);
    expect(await status(f.checkinId)).toBe('checked_in');
  });
});

describe('a typed name not on the list', () => {
  test('is refused for a volunteer (409 not_authorized_pickup), exactly one audit row, child stays', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const out = await checkout(site.tokens.volunteer, { checkinIds: [f.checkinId], securityCode: f.code, pickedUpBy: 'Sam Stranger' });
    expect(out.status).toBe(409);
    expect(out.body.error.code).toBe('not_authorized_pickup');
    const rows = await auditRows(site, 'checkout.not_authorized');
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toEqual(expect.objectContaining({ pickedUpBy: 'Sam Stranger' }));
    expect(await status(f.checkinId)).toBe('checked_in');
  });

  test("a volunteer's override without a PIN is denied (403), one audit row", async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const out = await checkout(site.tokens.volunteer, {
      checkinIds: [f.checkinId],
      securityCode: f.code,
      pickedUpBy: 'Sam Stranger',
      override: { reason: 'aunt, ID checked' },
    });
    expect(out.status).toBe(403);
    expect(out.body.error.code).toBe('override_denied');
    expect(await auditRows(site, 'pickup.override_denied')).toHaveLength(1);
    expect(await status(f.checkinId)).toBe('checked_in');
  });

  test('a staff sign-in with a reason overrides; audited; the SMS names who took the child', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const out = await checkout(site.tokens.staff, {
      checkinIds: [f.checkinId],
      securityCode: f.code,
      pickedUpBy: 'Sam Stranger',
      override: { reason: 'aunt, ID checked' },
    });
    expect(out.status).toBe(200);
    expect(out.body.override).toEqual({ by: 'Test staff', reason: 'aunt, ID checked' });
    const row = await t.db('checkins').where({ id: f.checkinId }).first();
    expect(row).toEqual(
      expect.objectContaining({ picked_up_by: 'Sam Stranger', picked_up_kind: 'typed', override_by: site.userIds.staff, override_reason: 'aunt, ID checked' }),
    );
    const [o] = await auditRows(site, 'pickup.override');
    expect(o.details).toEqual(expect.objectContaining({ by: site.userIds.staff, reason: 'aunt, ID checked', releasedTo: 'Sam Stranger', notOnList: true }));
    const sms = await t.db('notifications').where({ batch_id: f.batchId, kind: 'checkout_confirmation' }).first();
    expect(sms.body).toContain('Sam Stranger');
  });

  test('a volunteer (or a pickup kiosk) overrides with a staff PIN; a wrong PIN is 403 and audited; PINs are rate-limited', async () => {
    const site = await buildSite(t.db);
    await t
      .db('users')
      .where({ id: site.userIds.staff })
      .update({ override_pin_hash: await hashPassword('482913') });
    const f = await family(site);
    const door = await kioskToken(t.db, site.siteId, 'pickup');
    const wrong = await checkout(door, {
      checkinIds: [f.checkinId],
      securityCode: f.code,
      pickedUpBy: 'Sam Stranger',
      override: { pin: '000000', reason: 'aunt' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('override_denied');
    expect(await auditRows(site, 'pickup.override_denied')).toHaveLength(1);
    const ok = await checkout(door, {
      checkinIds: [f.checkinId],
      securityCode: f.code,
      pickedUpBy: 'Sam Stranger',
      override: { pin: '482913', reason: 'aunt, ID checked' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.override.by).toBe('Test staff');
    const row = await t.db('checkins').where({ id: f.checkinId }).first();
    expect(row.override_by).toBe(site.userIds.staff);
    expect(row.checked_out_kiosk_id).not.toBeNull();

    const g = await family(site, { lastName: 'Other' });
    const statuses: number[] = [];
    for (let i = 0; i < OVERRIDE_PIN_FAILURES_PER_WINDOW + 1; i++) {
      statuses.push(
        (
          await checkout(site.tokens.volunteer, {
            checkinIds: [g.checkinId],
            securityCode: g.code,
            pickedUpBy: 'Sam Stranger',
            override: { pin: `11${i}111`, reason: 'guess' },
          })
        ).status,
      );
    }
    expect(statuses.slice(0, OVERRIDE_PIN_FAILURES_PER_WINDOW).every((s) => s === 403)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // even the right PIN is refused while the limit stands
    expect(
      (
        await checkout(site.tokens.volunteer, {
          checkinIds: [g.checkinId],
          securityCode: g.code,
          pickedUpBy: 'Sam Stranger',
          override: { pin: '482913', reason: 'x y z' },
        })
      ).status,
    ).toBe(429);
    expect(await auditRows(site, 'pickup.override_rate_limited')).toHaveLength(2);
    expect(await status(g.checkinId)).toBe('checked_in');
  });

  test('setting a PIN: staff only, 4–8 digits, stored hashed', async () => {
    const site = await buildSite(t.db);
    const put = (token: string, body: object) => t.api().put('/api/auth/me/override-pin').set(bearer(token)).send(body);
    expect((await put(site.tokens.volunteer, { pin: '1234' })).status).toBe(403);
    const bad = await put(site.tokens.staff, { pin: '12a4' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('pin');
    expect((await put(site.tokens.staff, { pin: '123' })).status).toBe(400);
    expect((await put(site.tokens.staff, { pin: '123456789' })).status).toBe(400);
    expect((await put(site.tokens.staff, { pin: '2468' })).status).toBe(204);
    const u = await t.db('users').where({ id: site.userIds.staff }).first();
    expect(u.override_pin_hash).toMatch(/^scrypt\$/);
    expect(u.override_pin_hash).not.toContain('2468');
  });
});

describe('custody alerts', () => {
  test.each(['Jordan Kim', 'Kim Jordan', 'Jordan M. Kim', 'JORDAN KIM', 'Jordan\u200BKim'])(
    'full match %p: 409 custody_alert, no override lifts it, one audit row',
    async (typed) => {
      const site = await buildSite(t.db);
      const f = await family(site, { custody: 'Jordan Kim' });
      const out = await checkout(site.tokens.staff, {
        checkinIds: [f.checkinId],
        securityCode: f.code,
        pickedUpBy: typed,
        override: { reason: 'staff says ok' },
      });
      expect(out.status).toBe(409);
      expect(out.body.error.code).toBe('custody_alert');
      expect(await auditRows(site, 'checkout.custody_blocked')).toHaveLength(1);
      expect(await status(f.checkinId)).toBe('checked_in');
    },
  );

  test('a listed guardian whose name matches a custody alert is still stopped', async () => {
    const site = await buildSite(t.db);
    const f = await family(site, { custody: 'Pat Rivera' });
    const out = await checkout(site.tokens.staff, {
      checkinIds: [f.checkinId],
      securityCode: f.code,
      pickupPersonId: f.guardianId,
      override: { reason: 'x y z' },
    });
    expect(out.status).toBe(409);
    expect(out.body.error.code).toBe('custody_alert');
    expect(await auditRows(site, 'checkout.custody_blocked')).toHaveLength(1);
  });

  test.each(['Jordan', 'Kim', 'J. Kim'])(
    'partial match %p: 409 possible_custody_match without an override (one audit row), allowed with one',
    async (typed) => {
      const site = await buildSite(t.db);
      const f = await family(site, { custody: 'Jordan Kim', pickups: [typed] });
      const listed = { checkinIds: [f.checkinId], securityCode: f.code, pickupPersonId: f.pickupIds[0] };
      const out = await checkout(site.tokens.volunteer, listed);
      expect(out.status).toBe(409);
      expect(out.body.error.code).toBe('possible_custody_match');
      expect(await auditRows(site, 'checkout.possible_custody_match')).toHaveLength(1);
      expect(await status(f.checkinId)).toBe('checked_in');
      const ok = await checkout(site.tokens.staff, { ...listed, override: { reason: 'not the same person: ID checked' } });
      expect(ok.status).toBe(200);
      const [o] = await auditRows(site, 'pickup.override');
      expect(o.details).toEqual(expect.objectContaining({ possibleCustodyMatch: 'Jordan Kim' }));
    },
  );

  test('a different non-Latin name passes; the same one is stopped', async () => {
    const site = await buildSite(t.db);
    const f = await family(site, { custody: 'Иван Петров', pickups: ['Сергей Смирнов', 'Петров Иван'] });
    expect((await checkout(site.tokens.volunteer, { checkinIds: [f.checkinId], securityCode: f.code, pickupPersonId: f.pickupIds[1] })).body.error.code).toBe(
      'custody_alert',
    );
    expect((await checkout(site.tokens.volunteer, { checkinIds: [f.checkinId], securityCode: f.code, pickupPersonId: f.pickupIds[0] })).status).toBe(200);
  });
});

describe('failed verification is on record', () => {
  test('a wrong code at checkout: 404 and exactly one audit row', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const out = await checkout(site.tokens.volunteer, {
      checkinIds: [f.checkinId],
      securityCode: f.code === 'BBBB' ? 'CCCC' : 'BBBB',
      pickupPersonId: f.guardianId,
    });
    expect(out.status).toBe(404);
    expect(await auditRows(site, 'pickup.verify_failed')).toHaveLength(1);
  });

  test('a rate-limited verification leaves exactly one pickup.rate_limited row', async () => {
    const site = await buildSite(t.db);
    for (let i = 0; i < 10; i++)
      await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ securityCode: 'ZZZZ', serviceId: site.serviceId });
    const limited = await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ securityCode: 'ZZZZ', serviceId: site.serviceId });
    expect(limited.status).toBe(429);
    expect(await auditRows(site, 'pickup.rate_limited')).toHaveLength(1);
  });

  test('parallel checkouts of the same child: exactly one succeeds', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const rs = await Promise.all(
      [1, 2, 3, 4].map(() => checkout(site.tokens.volunteer, { checkinIds: [f.checkinId], securityCode: f.code, pickupPersonId: f.guardianId })),
    );
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  });

  test('bad bodies are 400s naming the field', async () => {
    const site = await buildSite(t.db);
    const f = await family(site);
    const cases: [object, string][] = [
      [{ checkinIds: [f.checkinId], securityCode: f.code }, 'pickedUpBy'],
      [{ checkinIds: [f.checkinId], securityCode: f.code, pickupPersonId: 'nope' }, 'pickupPersonId'],
      [{ checkinIds: [f.checkinId], securityCode: f.code, pickedUpBy: 'X', override: { pin: '12', reason: 'why not' } }, 'override.pin'],
      [{ checkinIds: [f.checkinId], securityCode: f.code, pickedUpBy: 'X', override: { pin: '1234' } }, 'override.reason'],
      [{ checkinIds: [f.checkinId, f.checkinId], securityCode: f.code, pickedUpBy: 'X' }, 'checkinIds'],
    ];
    for (const [body, field] of cases) {
      const r = await checkout(site.tokens.volunteer, body);
      expect({ field, status: r.status, got: r.body.error?.field }).toEqual({ field, status: 400, got: field });
    }
  });
});
