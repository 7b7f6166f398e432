/**
 * E.164 normalisation. Numbers without a country code are taken as North American (+1), the
 * default for the churches this ships to; a number with + keeps its own country code.
 */
export function normalizePhone(input: string, defaultCountry = '1'): string | null {
  const trimmed = input.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return digits.length >= 8 && digits.length <= 15 && digits[0] !== '0' ? `+${digits}` : null;
  if (digits.length === 10 && defaultCountry === '1') return /^[2-9]\d{2}[2-9]/.test(digits) ? `+1${digits}` : null;
  if (digits.length === 11 && digits.startsWith('1')) return normalizePhone(`+${digits}`);
  return null;
}

export const maskPhone = (e164: string) => `•••-•••-${e164.slice(-4)}`;
