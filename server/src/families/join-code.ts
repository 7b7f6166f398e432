import { sha256 } from '../auth/crypto';

/** A texted code is stored hashed with its family: the same six digits mean nothing for another family. */
export const joinCodeHash = (householdId: string, code: string) => sha256(`join:${householdId}:${code}`);
