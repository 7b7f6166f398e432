/**
 * The cost of serving a photo at the pickup rush (DESIGN §16, issue 25): photos are seeded for
 * families the bench already seeded (a few hundred, made with sharp as the server stores them:
 * JPEG, longest side ≤ 512 px, no metadata), then every "door" fetches what a verify shows — the
 * child's photo and each guardian's — with GET /api/photos/:id at a pickup-rush concurrency
 * (autocannon, closed loop): p50/p99 latency, requests/s and bytes served.
 */
import { Client } from 'pg';
import sharp from 'sharp';
import type { Seeded } from './db';
import type { Req } from './load';
import { shuffle } from './stats';

export interface SeededPhotos {
  photos: number;
  families: number;
  meanBytes: number;
  seconds: number;
  /** per family: the photo ids a door shows at its verify (children, then guardians) */
  doors: string[][];
}

/**
 * A face-sized JPEG that compresses like a photo rather than a flat colour: a gradient with soft
 * noise, portrait 384×512 or square 512×512, quality 82 (image.ts's settings).
 */
async function facePhoto(i: number): Promise<{ image: Buffer; width: number; height: number }> {
  const width = i % 2 ? 512 : 384;
  const height = 512;
  const noise = await sharp({
    create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 110 + (i % 7) * 12, sigma: 40 } },
  })
    .blur(1.2 + (i % 3) * 0.4)
    .raw()
    .toBuffer();
  const { data, info } = await sharp(noise, { raw: { width, height, channels: 3 } })
    .modulate({ hue: (i * 47) % 360 })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  return { image: data, width: info.width, height: info.height };
}

/**
 * Photos of the children and guardians of `families` households of the first site (whose staff
 * tokens the bench holds: staff of the campus see its photos), inserted as the server would store
 * them. Distinct images are made once and reused across people.
 */
export async function seedPhotos(url: string, seeded: Seeded, opts: { families: number; distinct?: number }): Promise<SeededPhotos> {
  const t0 = performance.now();
  const distinct = await Promise.all(Array.from({ length: opts.distinct ?? 24 }, (_, i) => facePhoto(i)));
  const site = seeded.siteIds[0]!;
  const households = shuffle(seeded.households.filter((h) => h.siteId === site)).slice(0, opts.families);
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const ids = households.map((h) => h.id);
    const guardians = (
      await c.query<{ id: string; household_id: string; organization_id: string }>(
        'SELECT id, household_id, organization_id FROM guardians WHERE household_id = ANY($1::uuid[]) ORDER BY household_id, id',
        [ids],
      )
    ).rows;
    const children = (
      await c.query<{ id: string; household_id: string; organization_id: string }>(
        'SELECT id, household_id, organization_id FROM children WHERE household_id = ANY($1::uuid[]) ORDER BY household_id, id',
        [ids],
      )
    ).rows;
    const firstGuardian = new Map<string, string>();
    for (const g of guardians) if (!firstGuardian.has(g.household_id)) firstGuardian.set(g.household_id, g.id);
    const doors = new Map<string, string[]>(ids.map((id) => [id, []]));
    let n = 0;
    let bytes = 0;
    await c.query('BEGIN');
    for (const [column, rows] of [
      ['child_id', children],
      ['guardian_id', guardians],
    ] as const) {
      for (const p of rows) {
        const img = distinct[n++ % distinct.length]!;
        bytes += img.image.length;
        // a child's photo is always taken with a guardian's consent (photos_child_consent); a guardian's with their own
        const consent = column === 'child_id' ? (firstGuardian.get(p.household_id) ?? null) : p.id;
        const r = await c.query<{ id: string }>(
          `INSERT INTO photos (organization_id, ${column}, image, width, height, bytes, consent_guardian_id, consented_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING id`,
          [p.organization_id, p.id, img.image, img.width, img.height, img.image.length, consent],
        );
        doors.get(p.household_id)!.push(r.rows[0]!.id);
      }
    }
    await c.query('COMMIT');
    await c.query('ANALYZE photos');
    return {
      photos: n,
      families: households.length,
      meanBytes: n ? Math.round(bytes / n) : 0,
      seconds: Math.round((performance.now() - t0) / 100) / 10,
      doors: [...doors.values()].filter((d) => d.length),
    };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await c.end();
  }
}

/**
 * The requests of the rush: doors verify families one after another (shuffled, round and round),
 * each verify fetching the family's photos; every request carries a staff session of the site.
 */
export function photoRequests(photos: SeededPhotos, tokens: string[]): () => Req {
  // one family's photos one after another (a verify shows them together), families in random order
  const order = shuffle([...photos.doors]).flat();
  let i = 0;
  return () => {
    const id = order[i % order.length]!;
    const token = tokens[i++ % tokens.length]!;
    return { method: 'GET', path: `/api/photos/${id}`, headers: { authorization: `Bearer ${token}` } };
  };
}
