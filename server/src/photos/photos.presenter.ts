import type { Photo } from '../../../contracts';
import { photoUrl } from '../../../contracts/rules';

/** The only place photo rows become JSON: never the bytes, and the url only to whoever was allowed to see it. */
export const presentPhoto = (p: { id: string; width: number; height: number; bytes: number }): Photo => ({
  id: p.id,
  url: photoUrl(p.id),
  width: p.width,
  height: p.height,
  bytes: p.bytes,
});
