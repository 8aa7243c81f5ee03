// The one place that decides who may do what. Deny by default: a permission not granted here is refused,
// and a route that does not declare what it needs cannot be registered (see http/guard.ts).
import type { Role } from './roles.ts';

export const PERMISSIONS = [
  'home:view',
  'account:manage',
  'audit:read',
  'users:manage',
  'frameworks:manage',
  'drafts:own',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const EVERYONE: Permission[] = ['home:view', 'account:manage', 'drafts:own'];

const GRANTS: Record<Role, Permission[]> = {
  practitioner: [...EVERYONE],
  dsl: [...EVERYONE],
  deputy_dsl: [...EVERYONE],
  front_door_worker: [...EVERYONE],
  front_door_manager: [...EVERYONE],
  line_manager: [...EVERYONE],
  workforce_admin: [...EVERYONE],
  auditor: [...EVERYONE, 'audit:read'],
  system_admin: [...EVERYONE, 'users:manage', 'frameworks:manage'],
};

export interface Principal {
  userId: string;
  role: Role;
  organisationId: string;
  partnershipId: string;
}

export function can(principal: Principal | null, permission: Permission): boolean {
  if (!principal) return false;
  return GRANTS[principal.role]?.includes(permission) ?? false;
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role] ?? [];
}
