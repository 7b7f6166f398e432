/** Signing in, and the devices staff pair to a campus: kiosks and wall displays. */
import { z } from 'zod';
import type { Role } from '../limits';
import { normalPrinterAddress } from '../rules/printer-address';
import { UuidSchema, name } from './fields';

export const LoginSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  password: z.string().min(1).max(200),
  /** the campus to act at (a person with roles at several); default: their default campus */
  siteId: UuidSchema.optional(),
  /** a person with accounts in several organisations names one; default: the oldest account */
  organizationId: UuidSchema.optional(),
});
export type Login = z.infer<typeof LoginSchema>;

export const KioskCreateSchema = z.object({
  name,
  siteId: UuidSchema,
  mode: z.enum(['checkin', 'pickup']).default('checkin'),
  /** a network printer's address: the campus's printer at it, or a new one named after the kiosk */
  printerHost: z
    .string()
    .trim()
    .max(200)
    .refine((v) => v === '' || normalPrinterAddress(v) !== null, 'must be host:port, e.g. 10.0.0.42:9100')
    .optional(),
  /** or one of the campus's printers by id */
  printerId: UuidSchema.optional(),
});
export type KioskCreate = z.infer<typeof KioskCreateSchema>;
export const KioskPairSchema = z.object({ pairingCode: z.string().trim().toUpperCase().min(6).max(12) });

/** A wall display an admin creates for a screen (paired like a kiosk). */
export const DisplayCreateSchema = z.object({ name: z.string().trim().min(1).max(120) }).strict();

export interface User {
  id: string;
  email: string;
  role: Role;
  siteId: string;
  name: string;
  organizationId: string;
  orgAdmin: boolean;
}
/** A campus a person may act at, and their role there. */
export interface Campus {
  siteId: string;
  name: string;
  role: Role;
}
export interface LoginResult {
  token: string;
  user: User;
  expiresAt: string;
  campuses: Campus[];
}
export interface Kiosk {
  id: string;
  siteId: string;
  name: string;
  mode: 'checkin' | 'pickup';
  paired: boolean;
  lastSeenAt: string | null;
  printerHost: string | null;
  /** the printer it names (DESIGN §18); null: it prints through its browser */
  printerId: string | null;
  printerName: string | null;
}
export interface Site {
  id: string;
  name: string;
  timezone: string;
}
/** `POST /api/kiosks` and `POST /api/kiosks/:id/pairing-code`: the code to type on the tablet (shown once). */
export interface KioskPairing {
  kiosk: Kiosk;
  pairingCode: string;
  pairingExpiresAt: string;
}
/** `POST /api/kiosks/pair`: the tablet's token, its kiosk and site. */
export interface KioskPairResult {
  token: string;
  kiosk: Kiosk;
  site: Site | null;
}
/** `GET /api/kiosk/me`: a kiosk's own view of itself and its site (the tablet shows the site's name and label text). */
export interface KioskSelf {
  /** `hasPrinter`: a Zebra on the network takes the labels; otherwise the tablet prints them itself */
  kiosk: { id: string; name: string; mode: 'checkin' | 'pickup'; siteId: string; hasPrinter: boolean };
  site?: Site & { labelFooter: string };
  /** false when the server has no SMS provider: texts are logged, not sent */
  sms: { sending: boolean };
}
/** `GET /api/auth/me`: who the token is. */
export type Me =
  { kind: 'user'; user: User; campuses: Campus[] } | { kind: 'kiosk'; kiosk: { id: string; siteId: string; name: string; mode: 'checkin' | 'pickup' } };
export interface Display {
  id: string;
  siteId: string;
  name: string;
  paired: boolean;
  lastSeenAt: string | null;
}
export interface DisplayPairing {
  display: Display;
  pairingCode: string;
  pairingExpiresAt: string;
}
export interface DisplayPairResult {
  token: string;
  display: Display;
  site: Site | null;
}
export interface DisplaySelf {
  display: { id: string; name: string; siteId: string };
  site: Site | null;
}
