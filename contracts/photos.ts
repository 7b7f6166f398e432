/** Photos (DESIGN §16): the upload's query and the answer. Limits and kinds: contracts/rules/photos.ts. */
import { z } from 'zod';
import { PHOTO_KINDS } from './rules/photos';
import { UuidSchema } from './api';

export const PhotoKindSchema = z.enum(PHOTO_KINDS, { message: `must be one of ${PHOTO_KINDS.join(', ')}` });
/** `consentBy`: the guardian of the family who consented to a child's photo (required for a child). */
export const PhotoPutQuerySchema = z.object({ consentBy: UuidSchema.optional() }).strict();
export type PhotoPutQuery = z.infer<typeof PhotoPutQuerySchema>;
/** What a family photographs on its own pass or pre-check-in page: its children and its guardians. */
export const FamilyPhotoKindSchema = z.enum(['child', 'guardian'], { message: 'must be one of child, guardian' });
/** From the family's page the consent is always named: `consentBy`, one of the family's guardians. */
export const FamilyPhotoQuerySchema = z.object({ consentBy: UuidSchema }).strict();

export interface Photo {
  id: string;
  /** GET it with the caller's bearer token; answers only a caller allowed to see it */
  url: string;
  width: number;
  height: number;
  bytes: number;
}
