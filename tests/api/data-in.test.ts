/**
 * Data in at the door (DESIGN §11): bad phones, names and birthdates are refused with a 400 that
 * names the field; a phone that already belongs to a family asks "Is this you?" instead of
 * making a second family, and joining it from a kiosk takes the code texted to that phone.
 */
import { birthdateForMonths, buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { dateInTimezone } from '../../contracts/rules';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const family = (over: { phone?: string; child?: Record<string, unknown>; guardian?: Record<string, unknown> } = {}) => ({
  guardians: [{ firstName: 'Sam', lastName: 'Johnson', phone: over.phone ?? '(312) 555-0123', smsOptIn: true, ...over.guardian }],
  children: [{ firstName: 'Ava', lastName: 'Johnson', birthdate: birthdateForMonths(30, dateInTimezone(new Date(), 'America/Chicago')), ...over.child }],
  idempotencyKey: key(),
});

describe('bad data is refused at the door with the field named', () => {
  test.each(['+1 312 555 01', '+12345678', '+1 012 555 0123', '+44 20 7946 0958'])('phone %s', async (phone) => {
    const site = await buildSite(t.db);
    for (const token of [site.tokens.kiosk, site.tokens.staff]) {
      const r = await t.api().post('/api/households').set(bearer(token)).send(family({ phone }));
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('guardians.0.phone');
    }
    expect(await t.db('households').where({ site_id: site.siteId }).count('* as n')).toEqual([{ n: 0 }]);
  });

  test('real UK, US and Mexican mobiles are stored in E.164', async () => {
    const site = await buildSite(t.db);
    for (const [phone, e164] of [
      ['+44 7911 123456', '+447911123456'],
      ['312-555-0188', '+13125550188'],
      ['+52 55 1234 5678', '+525512345678'],
    ] as const) {
      const r = await t.api().post('/api/households').set(bearer(site.tokens.staff)).send(family({ phone }));
      expect(r.status).toBe(201);
      expect(r.body.household.guardians[0].phone).toBe(e164);
    }
  });

  test('a UK site reads a number without +44 as British', async () => {
    const site = await buildSite(t.db, { timezone: 'Europe/London' });
    const r = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.staff))
      .send(family({ phone: '07400 123456' }));
    expect(r.status).toBe(201);
    expect(r.body.household.guardians[0].phone).toBe('+447400123456');
    // …and a setting overrides the timezone
    const us = await buildSite(t.db, { timezone: 'Europe/London', settings: { phoneCountry: 'US' } });
    const r2 = await t
      .api()
      .post('/api/households')
      .set(bearer(us.tokens.staff))
      .send(family({ phone: '312 555 0177' }));
    expect(r2.body.household.guardians[0].phone).toBe('+13125550177');
  });

  test.each(['2099-01-01', '1800-01-01', '0001-01-01', '0000-01-01', '2023-02-30'])('birthdate %s', async (birthdate) => {
    const site = await buildSite(t.db);
    const body = family();
    body.children.push({ firstName: 'Bo', lastName: 'Johnson', birthdate });
    const r = await t.api().post('/api/households').set(bearer(site.tokens.kiosk)).send(body);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('children.1.birthdate');
    const fam = await buildHousehold(t.db, site.siteId);
    const c = await t
      .api()
      .post(`/api/households/${fam.householdId}/children`)
      .set(bearer(site.tokens.staff))
      .send({ firstName: 'Bo', lastName: 'X', birthdate });
    expect(c.status).toBe(400);
    expect(c.body.error.field).toBe('birthdate');
  });

  test("today in the site's timezone is the last allowed birthdate", async () => {
    const site = await buildSite(t.db, { timezone: 'Pacific/Kiritimati' }); // UTC+14: its today is often UTC's tomorrow
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    const r = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.staff))
      .send(family({ child: { birthdate: today } }));
    expect(r.status).toBe(201);
    const west = await buildSite(t.db, { timezone: 'Pacific/Pago_Pago' }); // UTC-11
    const tomorrowThere = new Date(Date.now() + 86_400_000);
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Pago_Pago' }).format(tomorrowThere);
    const r2 = await t
      .api()
      .post('/api/households')
      .set(bearer(west.tokens.staff))
      .send(family({ child: { birthdate: tomorrow } }));
    expect(r2.status).toBe(400);
    expect(r2.body.error.field).toBe('children.0.birthdate');
  });

  test.each([
    ['\u200B', 'children.0.firstName'],
    ['0', 'children.0.firstName'],
    ['\u202E\u200D', 'children.0.firstName'],
  ])('child name %p', async (firstName, field) => {
    const site = await buildSite(t.db);
    const r = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.kiosk))
      .send(family({ child: { firstName } }));
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
  });

  test('invisible characters are stripped from names that have letters', async () => {
    const site = await buildSite(t.db);
    const r = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.staff))
      .send(family({ child: { firstName: '\u200BAva\u202E' } }));
    expect(r.status).toBe(201);
    expect(r.body.household.children[0].firstName).toBe('Ava');
  });
});

describe('duplicates are caught where they start', () => {
  async function johnsons() {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Johnson', phone: '+13125550123' });
    return { site, fam };
  }

  test('registering with a known phone answers 409 possible_duplicate with just the masked family, and makes nothing', async () => {
    const { site, fam } = await johnsons();
    for (const token of [site.tokens.kiosk, site.tokens.staff]) {
      const r = await t.api().post('/api/households').set(bearer(token)).send(family());
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('possible_duplicate');
      expect(r.body.error.matches).toEqual([{ householdId: fam.householdId, name: 'Johnson family', phoneMasked: '•••-•••-0123' }]);
      expect(JSON.stringify(r.body)).not.toContain('Mia');
      expect(JSON.stringify(r.body)).not.toContain('+1312');
    }
    expect(await t.db('households').where({ site_id: site.siteId }).pluck('id')).toEqual([fam.householdId]);
  });

  test("another site's family with the same phone is not a duplicate here", async () => {
    await johnsons();
    const other = await buildSite(t.db);
    const r = await t.api().post('/api/households').set(bearer(other.tokens.kiosk)).send(family());
    expect(r.status).toBe(201);
  });

  test('confirmNew makes a new family on purpose (audited), and a retry with the same key answers the same family', async () => {
    const { site } = await johnsons();
    const body = { ...family(), confirmNew: true };
    const r = await t.api().post('/api/households').set(bearer(site.tokens.kiosk)).send(body);
    expect(r.status).toBe(201);
    const again = await t.api().post('/api/households').set(bearer(site.tokens.kiosk)).send(body);
    expect(again.status).toBe(201);
    expect(again.body.household.id).toBe(r.body.household.id);
    const audit = await t.db('audit_log').where({ entity_id: r.body.household.id, action: 'household.create' }).first();
    expect(audit.details.confirmedNew).toBe(true);
  });

  test('a kiosk joins the family only with the code texted to its phone; a stranger without it cannot', async () => {
    const { site, fam } = await johnsons();
    const join = (joinCode?: string) =>
      t
        .api()
        .post('/api/households')
        .set(bearer(site.tokens.kiosk))
        .send({ ...family(), joinHouseholdId: fam.householdId, ...(joinCode ? { joinCode } : {}) });
    // no code, wrong code: refused and audited (the audit row survives the rollback)
    expect((await join()).status).toBe(403);
    let r = await t.api().post(`/api/households/${fam.householdId}/join-code`).set(bearer(site.tokens.kiosk)).send({ phone: '312 555 0123' });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ sent: true, phoneMasked: '•••-•••-0123' });
    const sms = await t.db('notifications').where({ site_id: site.siteId, kind: 'join_code' }).first();
    expect(sms.to).toBe('+13125550123');
    const code = /(\d{6})/.exec(sms.body)![1]!;
    expect(await t.db('household_join_codes').where({ household_id: fam.householdId }).pluck('code_hash')).not.toContain(code);
    const wrong = code === '000000' ? '111111' : '000000';
    r = await join(wrong);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('join_code_invalid');
    expect(await t.db('children').where({ household_id: fam.householdId }).count('* as n')).toEqual([{ n: 1 }]);
    // the right code: Ava joins the Johnsons, no second family, no second guardian with the same phone
    r = await join(code);
    expect(r.status).toBe(200);
    expect(r.body.joined).toBe(true);
    expect(r.body.household.id).toBe(fam.householdId);
    expect(r.body.household.children.map((c: { firstName: string }) => c.firstName).sort()).toEqual(['Ava', 'Mia']);
    expect(r.body.household.guardians).toHaveLength(1);
    expect(await t.db('households').where({ site_id: site.siteId }).count('* as n')).toEqual([{ n: 1 }]);
    // the code is used up
    expect((await join(code)).status).toBe(403);
    const actions = await t.db('audit_log').where({ entity_id: fam.householdId }).pluck('action');
    expect(actions.filter((a: string) => a === 'household.join_refused')).toHaveLength(3);
    expect(actions).toEqual(expect.arrayContaining(['household.join_code_sent', 'household.join']));
  });

  test('a code goes only to a number of that family, at most 3 per 10 minutes; 5 wrong codes lock joining', async () => {
    const { site, fam } = await johnsons();
    const ask = (phone: string) => t.api().post(`/api/households/${fam.householdId}/join-code`).set(bearer(site.tokens.kiosk)).send({ phone });
    expect((await ask('312 555 0999')).status).toBe(404);
    const other = await buildSite(t.db);
    expect((await t.api().post(`/api/households/${fam.householdId}/join-code`).set(bearer(other.tokens.kiosk)).send({ phone: '312 555 0123' })).status).toBe(
      404,
    );
    for (let i = 0; i < 3; i++) expect((await ask('312 555 0123')).status).toBe(202);
    expect((await ask('312 555 0123')).status).toBe(429);
    const codes = (await t.db('notifications').where({ site_id: site.siteId, kind: 'join_code' }).pluck('body')).map((b: string) => /(\d{6})/.exec(b)![1]);
    let wrong = 100000;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      while (codes.includes(String(wrong))) wrong++;
      statuses.push(
        (
          await t
            .api()
            .post('/api/households')
            .set(bearer(site.tokens.kiosk))
            .send({ ...family(), joinHouseholdId: fam.householdId, joinCode: String(wrong++) })
        ).status,
      );
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
    // even the right code now waits
    expect(
      (
        await t
          .api()
          .post('/api/households')
          .set(bearer(site.tokens.kiosk))
          .send({ ...family(), joinHouseholdId: fam.householdId, joinCode: codes[0] })
      ).status,
    ).toBe(429);
  });

  test('staff at the desk join a family without a code (they see the parent)', async () => {
    const { site, fam } = await johnsons();
    const r = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.staff))
      .send({ ...family({ phone: '312 555 0124', guardian: { firstName: 'Alex' } }), joinHouseholdId: fam.householdId });
    expect(r.status).toBe(200);
    expect(r.body.household.guardians.map((g: { firstName: string }) => g.firstName).sort()).toEqual(['Alex', 'Pat']);
    expect(
      (
        await t
          .api()
          .post('/api/households')
          .set(bearer(site.tokens.staff))
          .send({ ...family(), joinHouseholdId: '00000000-0000-4000-8000-000000000000' })
      ).status,
    ).toBe(404);
  });

  test('two kiosks registering the same new phone at once make one family and one "Is this you?"', async () => {
    const site = await buildSite(t.db);
    const [a, b] = await Promise.all(
      [0, 1].map(() =>
        t
          .api()
          .post('/api/households')
          .set(bearer(site.tokens.kiosk))
          .send(family({ phone: '312 555 0166' })),
      ),
    );
    expect([a!.status, b!.status].sort()).toEqual([201, 409]);
    expect(await t.db('households').where({ site_id: site.siteId }).count('* as n')).toEqual([{ n: 1 }]);
  });
});
