/** Photos of the people at release (DESIGN §16): limits and names shared by the server and both UIs, zod-free. */
export const PHOTO_KINDS = ['child', 'guardian', 'pickup', 'restricted'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];
/** What an upload may be (the body's Content-Type); the server re-encodes every one to JPEG. */
export const PHOTO_UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** Uploads above this many bytes are refused (413) before they are read. */
export const MAX_PHOTO_UPLOAD_BYTES = 10 * 1024 * 1024;
/** The longest side of a stored photo: enough to compare a face at arm's length, small enough to serve at the pickup rush. */
export const PHOTO_MAX_SIDE = 512;
/** Where a stored photo is served (to a caller allowed to see it, with a bearer token: a screen fetches it and shows a blob URL). */
export const photoUrl = (photoId: string) => `/api/photos/${photoId}`;
