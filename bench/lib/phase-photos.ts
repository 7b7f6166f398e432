/** The photo phase (issue 25): GET /api/photos/:id at the pickup rush (seeding is bench/lib/photos.ts). */
import { saturate } from './load';
import { cpuPerCheckin } from './measure';
import { log, PHOTO_CONNECTIONS, PLAN, REPEAT } from './options';
import { photoRequests, type SeededPhotos } from './photos';
import type { usageMeter } from './proc';
import { repeated, settle } from './repeat';
import { round } from './stats';

/**
 * GET /api/photos/:id for the photos the doors show (each verify: the child's and the guardians'),
 * by PHOTO_CONNECTIONS concurrent stations with staff sessions of the site, closed loop; a
 * warm-up, then REPEAT runs (each after a CHECKPOINT); medians with their spread.
 */
export async function photoPhase(baseUrl: string, url: string, photos: SeededPhotos, tokens: string[], meter: ReturnType<typeof usageMeter>) {
  const next = photoRequests(photos, tokens);
  log(`photos: warm-up ${PLAN.warmSeconds} s…`);
  await saturate(baseUrl, { connections: 4, seconds: PLAN.warmSeconds, next });
  const runs: Record<string, unknown>[] = [];
  for (let rep = 1; rep <= REPEAT; rep++) {
    await settle(url, { vacuum: 'none' });
    log(`photos at the pickup rush: ${PHOTO_CONNECTIONS} door stations for ${PLAN.photoSeconds} s (run ${rep} of ${REPEAT})…`);
    const m = meter.start();
    const r = await saturate(baseUrl, { connections: PHOTO_CONNECTIONS, seconds: PLAN.photoSeconds, next });
    const usage = m.stop();
    runs.push({
      requestsPerSec: r.requestsPerSec,
      requests: r.requests,
      ok: r.requests - r.non2xx - r.errors - r.timeouts,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      latencyMs: r.latencyMs,
      mbPerSec: round(r.bytesPerSec / 2 ** 20, 2),
      usage,
      cpuMsPerPhoto: cpuPerCheckin(usage, r.requestsPerSec),
    });
    log(
      `  p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ${r.requestsPerSec} photos/s, non-2xx ${r.non2xx}, errors ${r.errors} (other CPU ${usage.otherCpuPct} %)`,
    );
  }
  return {
    what: 'GET /api/photos/:id (staff session of the campus; JPEG ≤ 512 px) for the child and guardian photos of each verify, families in random order, closed loop (autocannon)',
    target: null,
    photos: photos.photos,
    families: photos.families,
    meanPhotoBytes: photos.meanBytes,
    seedSeconds: photos.seconds,
    concurrentDoors: PHOTO_CONNECTIONS,
    seconds: PLAN.photoSeconds,
    ...repeated(runs),
  };
}
