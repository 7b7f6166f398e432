import { useState } from 'react';
import { messageOf } from '../../api';

/**
 * A roster line's one busy flag, error and notice, shared by its actions (page, move, undo, reprint,
 * present): one action at a time, its failure or its outcome shown under the line.
 */
export function useLineAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** runs an action; what it answers (if anything) becomes the line's notice */
  const run = async (action: () => Promise<string | void>) => {
    setBusy(true);
    setError(null);
    try {
      const done = await action();
      if (done) setNotice(done);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, notice, setError, run };
}
export type LineAction = ReturnType<typeof useLineAction>;
