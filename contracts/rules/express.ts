/**
 * Express check-in codes (DESIGN §12), zod-free: the server makes them, the kiosk recognises
 * them (a scanner's burst of keystrokes, a code typed into the phone box). `KC` and 12 characters
 * of an alphabet without look-alikes (no 0/O, 1/I/L): about 59 random bits, upper case and digits
 * only so any barcode symbology (Code 39, Code 128, QR) carries it.
 */
export const EXPRESS_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const EXPRESS_CODE_LENGTH = 12;
export const EXPRESS_CODE_PREFIX = 'KC';
const EXPRESS_CODE = new RegExp(`^${EXPRESS_CODE_PREFIX}[${EXPRESS_CODE_ALPHABET}]{${EXPRESS_CODE_LENGTH}}$`);

/** Upper case, spaces and dashes removed (a card prints it in groups): the code or null. */
export function normalizeExpressCode(input: string): string | null {
  const s = String(input ?? '')
    .toUpperCase()
    .replace(/[\s-]+/g, '');
  return EXPRESS_CODE.test(s) ? s : null;
}

const EXPRESS_PREFIX = new RegExp(`^(${EXPRESS_CODE_PREFIX[0]}|${EXPRESS_CODE_PREFIX}[${EXPRESS_CODE_ALPHABET}]{0,${EXPRESS_CODE_LENGTH}})$`);
/** Whether keys typed so far can still become a code (a scanner mid-code); a stray letter cannot. */
export const couldBeExpressCode = (typed: string) =>
  EXPRESS_PREFIX.test(
    String(typed ?? '')
      .toUpperCase()
      .replace(/[\s-]+/g, ''),
  );

/** The code as printed for people to read: KC-XXXX-XXXX-XXXX. */
export const formatExpressCode = (code: string) => `${code.slice(0, 2)}-${code.slice(2, 6)}-${code.slice(6, 10)}-${code.slice(10)}`;
