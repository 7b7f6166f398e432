/** Every knex call of outbound webhooks: endpoints, the outbox, the dispatcher's claims. */
import type { Knex } from 'knex';
import type { WebhookEvent } from '../../../contracts';

type Db = Knex | Knex.Transaction;

// ---- endpoints ----

export interface EndpointRow {
  id: string;
  organization_id: string;
  site_id: string | null;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  created_by_name: string | null;
}
const ENDPOINT_COLUMNS = [
  'e.id',
  'e.organization_id',
  'e.site_id',
  'e.url',
  'e.events',
  'e.active',
  'e.secret_enc',
  'e.previous_secret_enc',
  'e.previous_secret_expires_at',
  'e.created_at',
];
const textArray = (db: Db, values: readonly string[]) => db.raw('CAST(? AS text[])', [`{${values.join(',')}}`]);

export async function insertEndpoint(
  db: Db,
  row: { organizationId: string; siteId: string | null; url: string; events: readonly WebhookEvent[]; secretEnc: string; createdBy: string },
): Promise<string> {
  const [r] = await db('webhook_endpoints')
    .insert({
      organization_id: row.organizationId,
      site_id: row.siteId,
      url: row.url,
      events: textArray(db, row.events),
      secret_enc: row.secretEnc,
      created_by: row.createdBy,
    })
    .returning('id');
  return (r as { id: string }).id;
}

const withCreator = (db: Db) =>
  db('webhook_endpoints as e')
    .leftJoin('users as u', 'u.id', 'e.created_by')
    .select(...ENDPOINT_COLUMNS, db.raw('coalesce(u.name, u.email) AS created_by_name'));

/** One endpoint of the organisation (another organisation's id: nothing). */
export async function findEndpoint(db: Db, organizationId: string, id: string, lock = false): Promise<EndpointRow | undefined> {
  const q = withCreator(db).where({ 'e.id': id, 'e.organization_id': organizationId }).first();
  if (lock) q.forUpdate('e');
  return (await q) as EndpointRow | undefined;
}

export async function listEndpoints(db: Db, organizationId: string): Promise<EndpointRow[]> {
  return (await withCreator(db)
    .where('e.organization_id', organizationId)
    .orderBy([{ column: 'e.created_at', order: 'desc' }, 'e.id'])) as EndpointRow[];
}

export async function updateEndpoint(
  db: Db,
  id: string,
  patch: {
    url?: string;
    events?: readonly WebhookEvent[];
    siteId?: string | null;
    active?: boolean;
    secretEnc?: string;
    previousSecretEnc?: string | null;
    previousExpiresAt?: Date | null;
  },
): Promise<void> {
  const set: Record<string, unknown> = { updated_at: db.fn.now() };
  if (patch.url !== undefined) set.url = patch.url;
  if (patch.events !== undefined) set.events = textArray(db, patch.events);
  if (patch.siteId !== undefined) set.site_id = patch.siteId;
  if (patch.active !== undefined) set.active = patch.active;
  if (patch.secretEnc !== undefined) set.secret_enc = patch.secretEnc;
  if (patch.previousSecretEnc !== undefined) set.previous_secret_enc = patch.previousSecretEnc;
  if (patch.previousExpiresAt !== undefined) set.previous_secret_expires_at = patch.previousExpiresAt;
  await db('webhook_endpoints').where({ id }).update(set);
}

export async function deleteEndpoint(db: Db, organizationId: string, id: string): Promise<boolean> {
  return (await db('webhook_endpoints').where({ id, organization_id: organizationId }).del()) > 0;
}

export async function siteOfOrganization(db: Db, organizationId: string, siteId: string): Promise<boolean> {
  return !!(await db('sites').select('id').where({ id: siteId, organization_id: organizationId }).first());
}

// ---- the outbox ----

/** An active endpoint subscribed to one of `events`, paired with each campus of `siteIds` it hears. */
export interface Subscription {
  id: string;
  organization_id: string;
  events: WebhookEvent[];
  for_site_id: string;
}

export interface Names {
  rooms: Map<string, string>;
  services: Map<string, string>;
  checkins: Map<string, { child_id: string; first_name: string; last_name: string; room_id: string; picked_up_by: string | null }>;
  /** check-in id → the names on its family's custody alerts for that child (whole-family ones and the child's own); no note */
  custody: Map<string, string[]>;
}

/**
 * The endpoints subscribed to the transaction's events and, only when there are some, the names
 * their payloads need (rooms, services, checked-in children, and the custody alerts' names for
 * `checkin.flagged` when an endpoint subscribes to it): one round trip. Without a subscriber the
 * name lookups are skipped by the planner (a one-time EXISTS), so an unsubscribed check-in pays
 * one cheap statement.
 */
export async function subscriptionsAndNames(
  trx: Knex.Transaction,
  siteIds: string[],
  events: string[],
  ids: { roomIds: string[]; serviceIds: string[]; checkinIds: string[]; flaggedCheckinIds: string[] },
): Promise<{ subs: Subscription[]; names: Names }> {
  const arr = (a: string[]) => `{${a.join(',')}}`;
  const { rows } = await trx.raw(
    `WITH subs AS (
       SELECT e.id, e.organization_id, e.events, s.id AS for_site_id
         FROM sites s
         JOIN webhook_endpoints e ON e.organization_id = s.organization_id AND (e.site_id IS NULL OR e.site_id = s.id)
        WHERE s.id = ANY(CAST(:siteIds AS uuid[])) AND e.active AND e.events && CAST(:events AS text[])
     )
     SELECT 'sub' AS kind, subs.id, NULL AS name, subs.organization_id AS child_id, NULL AS first_name, NULL AS last_name, subs.for_site_id AS room_id, NULL AS picked_up_by, subs.events
       FROM subs
     UNION ALL
     SELECT 'room', r.id, r.name, NULL, NULL, NULL, NULL, NULL, NULL
       FROM rooms r WHERE r.id = ANY(CAST(:rooms AS uuid[])) AND EXISTS (SELECT 1 FROM subs)
     UNION ALL
     SELECT 'service', s.id, s.name, NULL, NULL, NULL, NULL, NULL, NULL
       FROM services s WHERE s.id = ANY(CAST(:services AS uuid[])) AND EXISTS (SELECT 1 FROM subs)
     UNION ALL
     SELECT 'checkin', c.id, r.name, c.child_id, ch.first_name, ch.last_name, c.room_id, c.picked_up_by, NULL
       FROM checkins c JOIN children ch ON ch.id = c.child_id JOIN rooms r ON r.id = c.room_id
      WHERE c.id = ANY(CAST(:checkins AS uuid[])) AND EXISTS (SELECT 1 FROM subs)
     UNION ALL
     SELECT 'custody', c.id, a.name, c.child_id, ch.first_name, ch.last_name, c.room_id, r.name, NULL
       FROM checkins c JOIN custody_alerts a ON a.household_id = c.household_id AND (a.child_id IS NULL OR a.child_id = c.child_id)
       JOIN children ch ON ch.id = c.child_id JOIN rooms r ON r.id = c.room_id
      WHERE c.id = ANY(CAST(:flagged AS uuid[])) AND EXISTS (SELECT 1 FROM subs WHERE 'checkin.flagged' = ANY(subs.events))`,
    {
      siteIds: arr(siteIds),
      events: arr(events),
      rooms: arr(ids.roomIds),
      services: arr(ids.serviceIds),
      checkins: arr(ids.checkinIds),
      flagged: arr(ids.flaggedCheckinIds),
    },
  );
  const subs: Subscription[] = [];
  const names: Names = { rooms: new Map(), services: new Map(), checkins: new Map(), custody: new Map() };
  for (const r of rows) {
    if (r.kind === 'sub') subs.push({ id: r.id, organization_id: r.child_id, events: r.events, for_site_id: r.room_id });
    else if (r.kind === 'room') names.rooms.set(r.id, r.name);
    else if (r.kind === 'service') names.services.set(r.id, r.name);
    else if (r.kind === 'custody') {
      // (picked_up_by carries the room's name in this branch)
      names.custody.set(r.id, [...(names.custody.get(r.id) ?? []), r.name as string].sort());
      if (!names.checkins.has(r.id))
        names.checkins.set(r.id, { child_id: r.child_id, first_name: r.first_name, last_name: r.last_name, room_id: r.room_id, picked_up_by: null });
      names.rooms.set(r.room_id, r.picked_up_by);
    } else {
      names.checkins.set(r.id, { child_id: r.child_id, first_name: r.first_name, last_name: r.last_name, room_id: r.room_id, picked_up_by: r.picked_up_by });
      names.rooms.set(r.room_id, r.name);
    }
  }
  return { subs, names };
}

export interface DeliveryInsert {
  endpoint_id: string;
  organization_id: string;
  site_id: string | null;
  event: string;
  payload: Record<string, unknown>;
}
export async function insertDeliveries(db: Db, rows: DeliveryInsert[]): Promise<string[]> {
  if (!rows.length) return [];
  const inserted = await db('webhook_deliveries')
    .insert(rows.map((r) => ({ ...r, payload: JSON.stringify(r.payload) })))
    .returning('id');
  return inserted.map((r: { id: string }) => r.id);
}

// ---- deliveries ----

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  site_id: string | null;
  event: string;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}
const DELIVERY_COLUMNS = [
  'id',
  'endpoint_id',
  'site_id',
  'event',
  'payload',
  'status',
  'attempts',
  'next_attempt_at',
  'last_status_code',
  'last_error',
  'created_at',
  'updated_at',
  'delivered_at',
];

/** An endpoint's latest deliveries, newest first. */
export async function listDeliveries(db: Db, endpointId: string, limit = 100): Promise<DeliveryRow[]> {
  return db('webhook_deliveries')
    .select(DELIVERY_COLUMNS)
    .where({ endpoint_id: endpointId })
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
    .limit(limit);
}

/** A delivery claimed for sending, with what the dispatcher needs of its endpoint. */
export interface ClaimedRow extends Omit<DeliveryRow, 'payload'> {
  /** the payload as the JSON text sent (read as text: not parsed and serialised again per attempt) */
  body: string;
  url: string;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: Date | null;
}

/**
 * Claims up to `limit` of the oldest due deliveries (of `events` only, when given: the urgent
 * ones): pending → sending, attempts + 1, in one statement committed at once. Rows another
 * dispatcher holds are skipped (SKIP LOCKED), and a row it claimed is no longer 'pending' when
 * the lock is re-checked, so no two dispatchers ever hold the same delivery. A batch costs one
 * round trip however many deliveries it carries.
 */
export async function claimDue(db: Knex, limit = 1, events?: readonly string[]): Promise<ClaimedRow[]> {
  const cols = DELIVERY_COLUMNS.filter((c) => c !== 'payload')
    .map((c) => `d."${c}"`)
    .join(', ');
  const { rows } = await db.raw(
    `
    WITH due AS (
      SELECT id FROM webhook_deliveries
       WHERE status = 'pending' AND next_attempt_at <= now()${events ? ' AND event = ANY(CAST(:events AS text[]))' : ''}
       ORDER BY next_attempt_at
       LIMIT :limit
       FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE webhook_deliveries d SET status = 'sending', attempts = d.attempts + 1, updated_at = now()
        FROM due WHERE d.id = due.id
      RETURNING ${cols}, d.payload::text AS body
    )
    SELECT claimed.*, e.url, e.secret_enc, e.previous_secret_enc, e.previous_secret_expires_at
      FROM claimed JOIN webhook_endpoints e ON e.id = claimed.endpoint_id
     ORDER BY claimed.next_attempt_at`,
    { limit, events: events ? `{${events.join(',')}}` : null },
  );
  return rows as ClaimedRow[];
}

export interface Outcome {
  id: string;
  /** the attempt number claimed: the outcome stands only while that claim does */
  attempt: number;
  status: 'delivered' | 'pending' | 'failed';
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt?: Date;
}
/**
 * Records attempts' outcomes in one statement, each only while its claim still stands (status
 * 'sending' with the claimed attempt number): a delivery the lease sweep handed to another
 * dispatcher is not overwritten by its old claimant. Returns the ids recorded.
 * The body (names, rooms) is kept only while it may still be sent: the log keeps the outcome.
 */
export async function recordOutcomes(db: Knex, outcomes: readonly Outcome[]): Promise<string[]> {
  if (!outcomes.length) return [];
  const { rows } = await db.raw(
    `UPDATE webhook_deliveries d
        SET status = o.status,
            last_status_code = o.code,
            last_error = o.error,
            next_attempt_at = coalesce(o.next_at, d.next_attempt_at),
            delivered_at = CASE WHEN o.status = 'delivered' THEN now() ELSE d.delivered_at END,
            payload = CASE WHEN o.status = 'pending' THEN d.payload ELSE '{}'::jsonb END,
            updated_at = now()
       FROM jsonb_to_recordset(CAST(? AS jsonb)) AS o(id uuid, attempt int, status text, code int, error text, next_at timestamptz)
      WHERE d.id = o.id AND d.status = 'sending' AND d.attempts = o.attempt
      RETURNING d.id`,
    [
      JSON.stringify(
        outcomes.map((o) => ({
          id: o.id,
          attempt: o.attempt,
          status: o.status,
          code: o.lastStatusCode,
          error: o.lastError,
          next_at: o.nextAttemptAt?.toISOString() ?? null,
        })),
      ),
    ],
  );
  return (rows as { id: string }[]).map((r) => r.id);
}

/**
 * Deliveries left 'sending' longer than the lease: their dispatcher died (or lost the database)
 * mid-delivery. They go back to 'pending' and are sent again with the same webhook-id (at least
 * once; the receiver de-duplicates by that id).
 */
export async function releaseStale(db: Knex, leaseMs: number, exceptIds: string[]): Promise<number> {
  const q = db('webhook_deliveries')
    .where('status', 'sending')
    .where('updated_at', '<', db.raw(`now() - make_interval(secs => ?)`, [leaseMs / 1000]));
  if (exceptIds.length) q.whereNotIn('id', exceptIds);
  return q.update({ status: 'pending', next_attempt_at: db.fn.now(), updated_at: db.fn.now(), last_error: 'interrupted while delivering; sent again' });
}
