/**
 * The one runner of the staff screen's import jobs, families and attendance alike (DESIGN §11, §17):
 * it claims an import_jobs row, runs the work in the background while a heartbeat says it is alive
 * and the row counts its progress, then records the summary and problems — or the error — and the
 * finish. The row is the job's state, so a restart loses only the work in flight (jobStatus in
 * import.jobs.ts then reports it interrupted, and a re-run starts it again from the kept file).
 */
import type { Knex } from 'knex';
import * as repo from './import.repo';

export const DEFAULT_STALE_MS = 60_000;
/** the problems a job keeps for the screen; the CLI lists them all */
const MAX_PROBLEMS = 2000;

export type JobRow = Parameters<typeof repo.insertJob>[1];

/**
 * Inserts the job's row (running) and returns its id at once; `work` then runs after this turn of the
 * event loop with a progress callback that stores how far it got (and the job's id, for rows that name
 * it), and `outcome` turns its result into the stored summary and problems.
 */
export async function runImportJob<R>(
  db: Knex,
  row: JobRow,
  work: (onProgress: (done: number) => Promise<void>, jobId: string) => Promise<R>,
  outcome: (result: R) => { summary: Record<string, unknown>; problems: unknown[] },
  opts: { staleMs?: number; onDone?: (jobId: string) => void } = {},
): Promise<string> {
  const jobId = await repo.insertJob(db, row);
  // beats well inside the staleness window even when one chunk is slow
  const beat = setInterval(() => void repo.beatJob(db, jobId).catch(() => {}), Math.max(200, Math.floor((opts.staleMs ?? DEFAULT_STALE_MS) / 4)));
  beat.unref();
  const onProgress = async (done: number) => {
    await repo.updateJob(db, jobId, { processed: done, heartbeat_at: new Date() });
  };
  setImmediate(() => {
    work(onProgress, jobId)
      .then(
        async (result) => {
          clearInterval(beat);
          const { summary, problems } = outcome(result);
          await repo.updateJob(db, jobId, {
            status: 'done',
            processed: row.total,
            summary: JSON.stringify(summary),
            problems: JSON.stringify(problems.slice(0, MAX_PROBLEMS)),
            finished_at: new Date(),
          });
        },
        async (e) => {
          clearInterval(beat);
          await repo.updateJob(db, jobId, { status: 'failed', error: String((e as Error).message).slice(0, 500), finished_at: new Date() }).catch(() => {});
        },
      )
      .finally(() => {
        clearInterval(beat);
        opts.onDone?.(jobId);
      });
  });
  return jobId;
}
