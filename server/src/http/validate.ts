import type { z } from 'zod';
import { badRequest } from '../errors';

/** Parses with a zod schema; a failure is a 400 naming the first bad field. */
export function parse<S extends z.ZodType>(schema: S, data: unknown, where = 'body'): z.infer<S> {
  const r = schema.safeParse(data ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String);
  let field = path.join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    field = [...path, keys[0] ?? ''].filter(Boolean).join('.');
    message = `is not a known field`;
  } else if (issue.code === 'invalid_union') {
    const msg = issue.message;
    message = msg && msg !== 'Invalid input' ? msg : 'has the wrong shape';
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    message = 'is required';
  }
  const label = field || where;
  return (() => {
    throw badRequest(`${label}: ${message}`, label);
  })();
}
