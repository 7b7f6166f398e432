import type { Person } from '../../../contracts';
import { backgroundCheckCurrent, type BackgroundCheckStatus } from '../../../contracts/rules';
import type { PersonRow, RoleRow } from './people.repo';

/** Never the password hash; roles only at the campuses `visibleSiteId` allows (all for an org admin). */
/** `today`: the campus's date (YYYY-MM-DD in its time zone), which decides whether a check is current. */
export function presentPerson(p: PersonRow, roles: RoleRow[], visibleSiteId: string | undefined, today: string): Person {
  const check = { status: (p.background_check_status ?? 'none') as BackgroundCheckStatus, expiresOn: p.background_check_expires_on ?? null };
  return {
    id: p.id,
    email: p.email,
    name: p.name,
    orgAdmin: p.org_admin,
    active: p.deactivated_at == null,
    activated: !p.password_hash.startsWith('unset$'),
    roles: roles
      .filter((r) => r.user_id === p.id && (!visibleSiteId || r.site_id === visibleSiteId))
      .map((r) => ({ siteId: r.site_id, siteName: r.site_name, role: r.role })),
    createdAt: new Date(p.created_at).toISOString(),
    backgroundCheck: { ...check, current: backgroundCheckCurrent(check, today) },
  };
}
