/**
 * Every uploaded photo is decoded and re-encoded by sharp (libvips; CONVENTIONS 23: image formats
 * are a solved problem): JPEG, longest side ≤ PHOTO_MAX_SIDE, turned upright by its EXIF
 * orientation, then written without any metadata (no EXIF, GPS, XMP, ICC, comments). What is
 * stored is only what sharp wrote, never a byte of the upload.
 *
 * Refused (4xx, nothing stored): what sharp cannot decode as JPEG, PNG or WebP (a text file named
 * .jpg), a truncated file (failOn 'truncated': a cut JPEG decodes to a grey half otherwise), and
 * an image declaring more than MAX_INPUT_PIXELS (a decompression bomb: a 30000×30000 PNG of a few
 * kB), refused from its header before any pixel is decoded.
 */
import sharp from 'sharp';
import { PHOTO_MAX_SIDE } from '../../../contracts/rules';
import { AppError } from '../errors';

/** 50 megapixels: every phone camera's full-size photo fits; anything larger is not a face to compare. */
export const MAX_INPUT_PIXELS = 50_000_000;
const FORMATS = new Set(['jpeg', 'png', 'webp']);

export interface ProcessedPhoto {
  image: Buffer;
  width: number;
  height: number;
  bytes: number;
}

const invalid = (message: string) => new AppError(400, 'invalid_image', message, 'body');

export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  if (!input.length) throw invalid('body: an image (JPEG, PNG or WebP) is required');
  const opts = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' as const, sequentialRead: true };
  let meta: sharp.Metadata;
  try {
    // the header only (no pixel is decoded): the size is judged below, with a message that says so
    meta = await sharp(input, { ...opts, limitInputPixels: false }).metadata();
  } catch {
    throw invalid('body: is not a JPEG, PNG or WebP image');
  }
  if (!meta.format || !FORMATS.has(meta.format)) throw invalid(`body: is ${meta.format ? `a ${meta.format} file` : 'not an image'}; send a JPEG, PNG or WebP`);
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (!pixels) throw invalid('body: the image has no size');
  if (pixels > MAX_INPUT_PIXELS)
    throw new AppError(413, 'image_too_large', `body: the image is ${meta.width}×${meta.height}; at most ${MAX_INPUT_PIXELS / 1e6} megapixels`, 'body');
  try {
    const { data, info } = await sharp(input, opts)
      .rotate()
      .resize(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { image: data, width: info.width, height: info.height, bytes: data.length };
  } catch (e) {
    const msg = (e as Error).message ?? '';
    if (/pixel limit/i.test(msg)) throw new AppError(413, 'image_too_large', `body: at most ${MAX_INPUT_PIXELS / 1e6} megapixels`, 'body');
    throw invalid('body: the image could not be read (truncated or damaged)');
  }
}
