// Roles and organisation types, with the labels people see.
export const ROLES = [
  'practitioner', 'dsl', 'deputy_dsl', 'front_door_worker', 'front_door_manager',
  'line_manager', 'workforce_admin', 'auditor', 'system_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  practitioner: 'Practitioner',
  dsl: 'Designated safeguarding lead',
  deputy_dsl: 'Deputy designated safeguarding lead',
  front_door_worker: 'Front door worker',
  front_door_manager: 'Front door manager',
  line_manager: 'Line manager',
  workforce_admin: 'Workforce administrator',
  auditor: 'Auditor',
  system_admin: 'System administrator',
};

/** Roles that see sensitive records across a case or the system must prove a second factor. */
export const SECOND_FACTOR_ROLES: ReadonlySet<Role> = new Set<Role>([
  'dsl', 'deputy_dsl', 'front_door_worker', 'front_door_manager', 'auditor', 'workforce_admin', 'system_admin',
]);

export const ORGANISATION_TYPES = ['school', 'early_years', 'health', 'police', 'housing', 'voluntary', 'front_door', 'other'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  school: 'School',
  early_years: 'Early years',
  health: 'Health',
  police: 'Police',
  housing: 'Housing',
  voluntary: 'Voluntary and community',
  front_door: 'Local authority front door',
  other: 'Other',
};

/** DfE Children in Need census referral source codes. */
export const CIN_REFERRAL_SOURCES: Record<string, string> = {
  '1A': 'Individual – family member, relative or carer',
  '1B': 'Individual – acquaintance (including neighbours and child minders)',
  '1C': 'Individual – self',
  '1D': 'Individual – other (including strangers, MPs)',
  '2A': 'Schools',
  '2B': 'Education services',
  '3A': 'Health services – GP',
  '3B': 'Health services – health visitor',
  '3C': 'Health services – school nurse',
  '3D': 'Health services – other primary health services',
  '3E': 'Health services – A&E (emergency department)',
  '3F': 'Health services – other (for example hospice)',
  '4': 'Housing (local authority or housing association)',
  '5A': 'LA services – social care (for example adult social care)',
  '5B': 'LA services – other internal (for example youth offending)',
  '5C': 'LA services – external (for example from another local authority)',
  '5D': 'LA services – early help',
  '6': 'Police',
  '7': 'Other legal agency (including courts, probation, immigration, CAFCASS, prison)',
  '8': 'Other (including children’s centres, independent agency providers, voluntary organisations)',
  '9': 'Anonymous',
  '10': 'Unknown',
};
