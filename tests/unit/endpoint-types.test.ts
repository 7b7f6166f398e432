/**
 * The endpoint map types answers as well as requests, and cannot drift from the routes it lists.
 * The `@ts-expect-error` lines are the test that `npm run typecheck` runs: each one is a mistake a
 * call site could make, and the typecheck fails if any of them stops being an error (jest, which
 * runs through SWC, only runs the run-time half).
 */
import { ENDPOINTS, REPLY_CONTENT, type EndpointKey, type EndpointResponses, type Reply } from '../../contracts/endpoints';
import { routeUrl, type CallArgs, type RequestOf } from '../../contracts/client/http';

/** A typed call without a network: what the UIs' `api()` helpers accept. */
declare function api<K extends EndpointKey, A extends 'staff' | 'kiosk' = 'staff'>(key: K, ...req: CallArgs<K>): Reply<K, A>;
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
const holds = <T extends true>(): T => true as T;

// every route of the map has an answer, and the answers name no route the map does not have
holds<Equal<Exclude<EndpointKey, keyof EndpointResponses>, never>>();
holds<Equal<Exclude<keyof EndpointResponses, EndpointKey>, never>>();

function typeLevel(serviceId: string) {
  const rooms = api('GET /api/services/:id/rooms', { params: { id: serviceId } });
  rooms.rooms[0]?.headcount.toFixed();
  // @ts-expect-error a field the answer does not have
  void rooms.room;
  // @ts-expect-error a field of a room that does not exist
  void rooms.rooms[0]?.childCount;
  // @ts-expect-error the path's :id is required
  api('GET /api/services/:id/rooms');
  // @ts-expect-error a param the path does not have
  api('GET /api/services/:id/rooms', { params: { id: serviceId, roomId: serviceId } });
  // @ts-expect-error this route takes no body
  api('POST /api/alerts/:id/ack', { params: { id: serviceId }, body: { note: 'x' } });
  // @ts-expect-error the body's field has another type
  api('POST /api/services/:id/rooms/:roomId/headcounts', { params: { id: serviceId, roomId: serviceId }, body: { count: 'twelve' } });
  // @ts-expect-error the body is required
  api('POST /api/checkins');
  // @ts-expect-error a query field the schema does not know
  api('GET /api/reports/attendance', { query: { from: '2026-01-01', to: '2026-02-01', room: 'x' } });
  // a 204 answers nothing to read
  const none: undefined | void = api('DELETE /api/rooms/:id', { params: { id: serviceId } });
  void none;

  // a kiosk reads the kiosk's shape of a family: no surnames or birthdates of children
  const kioskFamilies = api<'GET /api/households', 'kiosk'>('GET /api/households', { query: { phone: '1234' } });
  void kioskFamilies.households[0]?.children[0]?.ageMonths;
  // @ts-expect-error a kiosk is not sent a child's birthdate
  void kioskFamilies.households[0]?.children[0]?.birthdate;
  const staffFamilies: Reply<'GET /api/households', 'staff'> = { households: [] };
  void staffFamilies.households[0]?.children[0]?.birthdate;
  // @ts-expect-error a kiosk's smaller shape of a family is not what staff read
  const wrong: Reply<'GET /api/households', 'staff'> = kioskFamilies;
  void wrong;

  // requests with only optional parts may be left out
  const noReq: RequestOf<'GET /api/kiosks'> = {};
  void noReq;
}
void typeLevel;

test('every route of the endpoint map has its answer listed, and only those', () => {
  expect(Object.keys(REPLY_CONTENT).sort()).toEqual(Object.keys(ENDPOINTS).sort());
});

test('a route key becomes its method and URL: params encoded, unset query values left out', () => {
  expect(routeUrl('PATCH /api/services/:id/rooms/:roomId', { params: { id: 'a b', roomId: 'r/1' } })).toEqual({
    method: 'PATCH',
    url: '/api/services/a%20b/rooms/r%2F1',
  });
  expect(routeUrl('GET /api/services/:id/roster', { params: { id: 's' }, query: { roomId: undefined, status: 'all', x: '' } }).url).toBe(
    '/api/services/s/roster?status=all',
  );
  expect(() => routeUrl('GET /api/households/:id', { params: {} })).toThrow(/id is missing/);
});
