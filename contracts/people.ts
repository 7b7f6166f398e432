/** People, roles, organisation and campuses (DESIGN §10): request schemas and response types. */
import { z } from 'zod';
import { ROLES, type Role } from './limits';
import { NameSchema, PlaceNameSchema, type SiteSettings } from './api';

const Uuid = z.uuid({ message: 'must be a UUID' });
const RoleSchema = z.enum(ROLES);
export const PASSWORD_MIN = 10;
const Password = z.string().min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`).max(200);
const Email = z.string().trim().toLowerCase().email().max(200);
const Name = z.string().trim().min(1).max(120);

export const SwitchCampusSchema = z.object({ siteId: Uuid }).strict();

/** Invite a person: a role at a campus (default: the admin's own) and/or organisation admin. */
export const PersonInviteSchema = z
  .object({
    email: Email,
    name: Name,
    role: RoleSchema.optional(),
    siteId: Uuid.optional(),
    orgAdmin: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.role != null || b.orgAdmin === true, { message: 'needs a role or orgAdmin', path: ['role'] });
export type PersonInvite = z.infer<typeof PersonInviteSchema>;

/** A role at one campus (null takes it away), or organisation admin on/off. */
export const PersonRoleSchema = z.union([
  z.object({ siteId: Uuid.optional(), role: RoleSchema.nullable() }).strict(),
  z.object({ orgAdmin: z.boolean() }).strict(),
]);
export type PersonRole = z.infer<typeof PersonRoleSchema>;

export const PeopleQuerySchema = z
  .object({
    siteId: Uuid.optional(),
    /** only people whose background check expires within this many days (or has expired) */
    expiring: z.coerce.number().int().min(1).max(366).optional(),
  })
  .strict();

/** Sets the password with an invitation or reset link (single use). */
export const AccountPasswordSchema = z
  .object({
    token: z
      .string()
      .min(20)
      .max(100)
      .regex(/^[A-Za-z0-9_-]+$/, 'malformed'),
    password: Password,
  })
  .strict();
export const PasswordChangeSchema = z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password }).strict();

export interface PersonRoleAt {
  siteId: string;
  siteName: string;
  role: Role;
}
export interface Person {
  id: string;
  email: string;
  name: string;
  orgAdmin: boolean;
  active: boolean;
  /** has set a password (accepted the invitation) */
  activated: boolean;
  roles: PersonRoleAt[];
  createdAt: string;
  /** DESIGN §13: cleared, with its expiry; `current` on today's date */
  backgroundCheck: { status: 'none' | 'pending' | 'cleared' | 'failed'; expiresOn: string | null; current: boolean };
}
export interface PersonLink {
  person: Person;
  url: string;
  expiresAt: string;
}

// ---- organisation and campuses ----

const TemplateRoom = z
  .object({
    name: PlaceNameSchema.pipe(z.string().max(80)),
    ageGroup: z.string().trim().max(80).optional(),
    kind: z.enum(['regular', 'overflow']).optional(),
    minAgeMonths: z.number().int().min(0).max(300).nullable().optional(),
    maxAgeMonths: z.number().int().min(0).max(300).nullable().optional(),
    minGrade: z.number().int().min(-1).max(12).nullable().optional(),
    maxGrade: z.number().int().min(-1).max(12).nullable().optional(),
    capacity: z.number().int().min(0).max(1000),
    ratio: z.number().int().min(1).max(100).nullable().optional(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
  })
  .strict();
export type TemplateRoom = z.infer<typeof TemplateRoom>;
export const RoomsTemplateSchema = z.array(TemplateRoom).max(100);

export const CampusCreateSchema = z
  .object({
    name: PlaceNameSchema,
    timezone: z.lazy(() => TimezoneSchema).optional(),
    /** copy rooms and this campus's own settings and wording (its overrides); without it the organisation's template, no overrides */
    copyFromSiteId: Uuid.optional(),
  })
  .strict();
export type CampusCreate = z.infer<typeof CampusCreateSchema>;

export interface OrganizationInfo {
  id: string;
  name: string;
  settings: Record<string, unknown>;
  /** the defaults every campus uses unless it changed the key (built-in defaults where the organisation sets none) */
  defaults: SiteSettings;
  campuses: { id: string; name: string; timezone: string }[];
}

/** `POST /api/org/campuses` → 201: the new campus and how many rooms it got. */
export interface CampusCreated {
  id: string;
  name: string;
  timezone: string;
  rooms: number;
}

export const TimezoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as America/Chicago');

/** `npm run setup`: the first organisation, campus and admin. */
export const SetupSchema = z
  .object({
    org: z.string().trim().min(1, 'is required').max(120),
    campus: z.string().trim().min(1, 'is required').max(120),
    timezone: TimezoneSchema,
    adminEmail: Email,
    adminPassword: Password,
    /** the admin's display name (what staff see beside their changes) */
    adminName: NameSchema,
  })
  .strict();
export type Setup = z.infer<typeof SetupSchema>;
export const RoomsTemplateUpdateSchema = z.object({ rooms: RoomsTemplateSchema }).strict();
