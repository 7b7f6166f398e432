/** The one policy (server/src/policies): who sees medical notes, photos, codes and phones, actor by actor. */
import { can, type Action, type Subject } from '../../server/src/policies';
import type { Actor } from '../../server/src/auth/actor';

const ORG = 'org-a';
const SITE = 'site-a';
const user = (role: 'volunteer' | 'staff' | 'admin', extra: Partial<Extract<Actor, { kind: 'user' }>> = {}): Actor => ({
  kind: 'user',
  id: `u-${role}`,
  siteId: SITE,
  organizationId: ORG,
  orgAdmin: false,
  role,
  name: role,
  email: `${role}@x`,
  sessionId: 's',
  ...extra,
});
const kiosk = (mode: 'checkin' | 'pickup', extra: Partial<Extract<Actor, { kind: 'kiosk' }>> = {}): Actor => ({
  kind: 'kiosk',
  id: `k-${mode}`,
  siteId: SITE,
  organizationId: ORG,
  mode,
  name: mode,
  ...extra,
});
const display: Actor = { kind: 'display', id: 'd', siteId: SITE, organizationId: ORG, name: 'tv' };
const family: Subject = { siteId: SITE, organizationId: ORG };
const ACTIONS: Action[] = ['medical.read', 'photo.read', 'photo.write', 'code.read', 'phone.read'];
const all = (a: Actor | null, s: Subject) => Object.fromEntries(ACTIONS.map((x) => [x, can(a, x, s)]));

test('staff and admins of the campus: everything; an org admin at another campus too; staff of another campus or organisation: nothing', () => {
  const yes = Object.fromEntries(ACTIONS.map((x) => [x, true]));
  const no = Object.fromEntries(ACTIONS.map((x) => [x, false]));
  expect(all(user('staff'), family)).toEqual(yes);
  expect(all(user('admin'), family)).toEqual(yes);
  expect(all(user('admin', { siteId: 'site-b', orgAdmin: true }), family)).toEqual(yes);
  expect(all(user('admin', { siteId: 'site-b' }), family)).toEqual(no);
  expect(all(user('admin', { siteId: 'site-x', organizationId: 'org-b', orgAdmin: true }), family)).toEqual(no);
});

test('a volunteer: nothing by default; handed the code: photos and the code; serving the child’s room: the medical note and the photo', () => {
  const v = user('volunteer');
  expect(all(v, family)).toEqual({ 'medical.read': false, 'photo.read': false, 'photo.write': false, 'code.read': false, 'phone.read': false });
  expect(all(v, { ...family, handedFamilyCode: true })).toEqual({
    'medical.read': false,
    'photo.read': true,
    'photo.write': false,
    'code.read': true,
    'phone.read': false,
  });
  const serving = { ...family, roomIds: ['r1'], servingRoomIds: new Set(['r1']) };
  expect(all(v, serving)).toEqual({ 'medical.read': true, 'photo.read': true, 'photo.write': false, 'code.read': false, 'phone.read': false });
  expect(all(v, { ...serving, servingRoomIds: new Set(['r2']) })['photo.read']).toBe(false);
  // another organisation's family, whatever the facts
  expect(all(user('volunteer', { organizationId: 'org-b' }), { ...serving, handedFamilyCode: true })['photo.read']).toBe(false);
});

test('kiosks: the pickup kiosk sees the photos of the family it verified; a check-in kiosk only the photo it just took; a display nothing; nobody without a sign-in', () => {
  expect(can(kiosk('pickup'), 'photo.read', family)).toBe(false);
  expect(all(kiosk('pickup'), { ...family, handedFamilyCode: true })).toEqual({
    'medical.read': false,
    'photo.read': true,
    'photo.write': false,
    'code.read': true,
    'phone.read': false,
  });
  expect(can(kiosk('checkin'), 'photo.read', { ...family, handedFamilyCode: true })).toBe(false);
  expect(can(kiosk('checkin'), 'photo.read', { ...family, ownFreshUpload: true })).toBe(true);
  expect(can(kiosk('checkin'), 'photo.write', family)).toBe(false);
  expect(can(kiosk('checkin'), 'photo.write', { ...family, registeredHereJustNow: true })).toBe(true);
  expect(can(kiosk('pickup'), 'photo.write', { ...family, registeredHereJustNow: true })).toBe(false);
  expect(all(display, { ...family, handedFamilyCode: true, ownFreshUpload: true })).toEqual(Object.fromEntries(ACTIONS.map((x) => [x, false])));
  expect(all(null, family)).toEqual(Object.fromEntries(ACTIONS.map((x) => [x, false])));
});

test("an integration's key: full phones with a families scope where a campus's staff would see them; never notes, photos or codes", () => {
  const key = (scopes: Extract<Actor, { kind: 'integration' }>['scopes'], keySiteId: string | null, siteId = SITE, organizationId = ORG): Actor => ({
    kind: 'integration',
    id: 'key',
    siteId,
    organizationId,
    name: 'sync',
    scopes,
    keySiteId,
  });
  const only = (phone: boolean) => Object.fromEntries(ACTIONS.map((x) => [x, x === 'phone.read' ? phone : false]));
  expect(all(key(['families:read'], null), family)).toEqual(only(true));
  expect(all(key(['families:write'], SITE), family)).toEqual(only(true));
  expect(all(key(['families:read', 'checkins:read', 'checkins:write', 'reports:read'], null, 'site-b'), family)).toEqual(only(true));
  // limited to another campus, another organisation, or no families scope: nothing
  expect(all(key(['families:read'], 'site-b', 'site-b'), family)).toEqual(only(false));
  expect(all(key(['families:read'], null, 'site-x', 'org-b'), family)).toEqual(only(false));
  expect(all(key(['checkins:read', 'checkins:write', 'reports:read'], null), family)).toEqual(only(false));
});
