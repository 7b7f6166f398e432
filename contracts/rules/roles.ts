/** Role order (volunteer < staff < admin), zod-free: the server's guards and the UIs' menus share it. */
export type RoleName = 'volunteer' | 'staff' | 'admin';
const RANK: Record<RoleName, number> = { volunteer: 1, staff: 2, admin: 3 };
export const roleAtLeast = (role: RoleName, min: RoleName): boolean => RANK[role] >= RANK[min];
