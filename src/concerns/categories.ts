// Concern categories: the abuse, neglect and exploitation types a practitioner can tick, each mapped to the
// DfE Children in Need census codes so that reports and exports need no re-coding.
//
// Source: Department for Education, "Children in need census: guide for local authorities" — the list of
// "factors identified at the end of assessment" (codes 1A–24A; A = the child, B = a parent or carer,
// C = another person living in the household; 20 = other; 21 = no factors identified) and the "category
// of abuse" for a child protection plan (NEG, PHY, SAB, EMO, MUL).
// A practitioner's category is a starting point for the DSL, not a finding: the factors are confirmed at
// the end of a social work assessment.

/** Every factor code in the census guide, with its wording. */
export const CIN_FACTORS = {
  '1A': 'Alcohol misuse: concerns about alcohol misuse by the child',
  '1B': 'Alcohol misuse: concerns about alcohol misuse by the parent(s) or carer(s)',
  '1C': 'Alcohol misuse: concerns about alcohol misuse by another person living in the household',
  '2A': 'Drug misuse: concerns about drug misuse by the child',
  '2B': 'Drug misuse: concerns about drug misuse by the parent(s) or carer(s)',
  '2C': 'Drug misuse: concerns about drug misuse by another person living in the household',
  '3A': 'Domestic abuse: concerns about the child being the subject of domestic abuse',
  '3B': 'Domestic abuse: concerns about the child’s parent(s) or carer(s) being the subject of domestic abuse',
  '3C': 'Domestic abuse: concerns about another person living in the household being the subject of domestic abuse',
  '4A': 'Mental health: concerns about the mental health of the child',
  '4B': 'Mental health: concerns about the mental health of the parent(s) or carer(s)',
  '4C': 'Mental health: concerns about the mental health of another person living in the household',
  '5A': 'Learning disability: concerns about the child’s learning disability',
  '5B': 'Learning disability: concerns about the parent(s) or carer(s) learning disability',
  '5C': 'Learning disability: concerns about another person in the household’s learning disability',
  '6A': 'Physical disability or illness: concerns about the child’s physical disability or illness',
  '6B': 'Physical disability or illness: concerns about the parent(s) or carer(s) physical disability or illness',
  '6C': 'Physical disability or illness: concerns about another person in the household’s physical disability or illness',
  '7A': 'Young carer',
  '8B': 'Privately fostered',
  '9A': 'Unaccompanied asylum-seeking child',
  '10A': 'Missing',
  '11A': 'Child sexual exploitation',
  '12A': 'Trafficking',
  '13A': 'Gangs',
  '14A': 'Socially unacceptable behaviour',
  '15A': 'Self-harm',
  '16A': 'Abuse or neglect: neglect',
  '17A': 'Abuse or neglect: emotional abuse',
  '18A': 'Abuse or neglect: physical abuse',
  '19A': 'Abuse or neglect: sexual abuse',
  '20': 'Other',
  '21': 'No factors identified',
  '22A': 'Female genital mutilation',
  '23A': 'Abuse linked to faith or belief',
  '24A': 'Child criminal exploitation',
} as const;
export type CinFactor = keyof typeof CIN_FACTORS;

/** Category of abuse for a child protection plan (MUL = more than one, derived when several apply). */
export const ABUSE_CATEGORIES = { NEG: 'Neglect', PHY: 'Physical abuse', SAB: 'Sexual abuse', EMO: 'Emotional abuse', MUL: 'Multiple' } as const;
export type AbuseCategory = keyof typeof ABUSE_CATEGORIES;

export interface ConcernCategory {
  id: string;
  label: string;
  hint?: string;
  group: 'abuse' | 'exploitation' | 'harmful_practices' | 'child' | 'household' | 'other';
  /** CIN census factor codes this category points to */
  cinFactors: CinFactor[];
  /** the category of abuse, where the concern is about abuse or neglect */
  abuseCategory?: Exclude<AbuseCategory, 'MUL'>;
}

export const CATEGORY_GROUPS: Record<ConcernCategory['group'], string> = {
  abuse: 'Abuse and neglect',
  exploitation: 'Exploitation and harm outside the home',
  harmful_practices: 'Harmful practices',
  child: 'The child’s own health and behaviour',
  household: 'The adults at home',
  other: 'Other',
};

export const CONCERN_CATEGORIES: readonly ConcernCategory[] = [
  { id: 'physical_abuse', label: 'Physical abuse', group: 'abuse', cinFactors: ['18A'], abuseCategory: 'PHY' },
  { id: 'emotional_abuse', label: 'Emotional abuse', group: 'abuse', cinFactors: ['17A'], abuseCategory: 'EMO' },
  { id: 'sexual_abuse', label: 'Sexual abuse', group: 'abuse', cinFactors: ['19A'], abuseCategory: 'SAB' },
  { id: 'neglect', label: 'Neglect', group: 'abuse', cinFactors: ['16A'], abuseCategory: 'NEG' },
  { id: 'domestic_abuse', label: 'Domestic abuse', hint: 'The child sees, hears or is caught up in abuse at home, or is in an abusive relationship', group: 'abuse', cinFactors: ['3A', '3B'], abuseCategory: 'EMO' },
  { id: 'online_abuse', label: 'Online abuse', hint: 'Including grooming and sharing of sexual images', group: 'abuse', cinFactors: ['19A'], abuseCategory: 'SAB' },
  { id: 'bullying', label: 'Bullying or child-on-child abuse', group: 'abuse', cinFactors: ['20'], abuseCategory: 'EMO' },
  { id: 'child_sexual_exploitation', label: 'Child sexual exploitation', group: 'exploitation', cinFactors: ['11A'], abuseCategory: 'SAB' },
  { id: 'child_criminal_exploitation', label: 'Child criminal exploitation or county lines', group: 'exploitation', cinFactors: ['24A', '13A'] },
  { id: 'gangs', label: 'Gangs or serious youth violence', group: 'exploitation', cinFactors: ['13A'] },
  { id: 'trafficking', label: 'Trafficking or modern slavery', group: 'exploitation', cinFactors: ['12A'] },
  { id: 'going_missing', label: 'Going missing', hint: 'From home, care or education', group: 'exploitation', cinFactors: ['10A'] },
  { id: 'radicalisation', label: 'Radicalisation or extremism', hint: 'Consider a Prevent referral', group: 'exploitation', cinFactors: ['20'] },
  { id: 'fgm', label: 'Female genital mutilation (FGM)', hint: 'Teachers and health and social care professionals must also report known FGM to the police', group: 'harmful_practices', cinFactors: ['22A'], abuseCategory: 'PHY' },
  { id: 'forced_marriage', label: 'Forced marriage', group: 'harmful_practices', cinFactors: ['20'], abuseCategory: 'EMO' },
  { id: 'honour_based_abuse', label: 'So-called honour-based abuse', group: 'harmful_practices', cinFactors: ['20'] },
  { id: 'faith_or_belief', label: 'Abuse linked to faith or belief', hint: 'For example accusations of witchcraft or spirit possession', group: 'harmful_practices', cinFactors: ['23A'] },
  { id: 'self_harm', label: 'Self-harm or suicidal thoughts', group: 'child', cinFactors: ['15A', '4A'] },
  { id: 'child_mental_health', label: 'The child’s mental health', group: 'child', cinFactors: ['4A'] },
  { id: 'child_substance_misuse', label: 'The child’s alcohol or drug use', group: 'child', cinFactors: ['1A', '2A'] },
  { id: 'harmful_behaviour', label: 'The child’s behaviour puts them or others at risk', group: 'child', cinFactors: ['14A'] },
  { id: 'young_carer', label: 'Young carer', group: 'child', cinFactors: ['7A'] },
  { id: 'parental_substance_misuse', label: 'A parent’s or carer’s alcohol or drug use', group: 'household', cinFactors: ['1B', '2B'] },
  { id: 'parental_mental_health', label: 'A parent’s or carer’s mental health', group: 'household', cinFactors: ['4B'] },
  { id: 'household_substance_misuse', label: 'Alcohol or drug use by someone else in the household', group: 'household', cinFactors: ['1C', '2C'] },
  { id: 'privately_fostered', label: 'Privately fostered', hint: 'Cared for 28 days or more by someone who is not a parent or close relative', group: 'household', cinFactors: ['8B'] },
  { id: 'other', label: 'Something else', group: 'other', cinFactors: ['20'] },
  { id: 'not_sure', label: 'Not sure', group: 'other', cinFactors: [] },
];

export const CATEGORY_IDS = CONCERN_CATEGORIES.map((c) => c.id) as [string, ...string[]];
const BY_ID = new Map(CONCERN_CATEGORIES.map((c) => [c.id, c]));

export function categoryLabel(id: string): string {
  return BY_ID.get(id)?.label ?? id;
}

/** The census factor codes for a set of categories, de-duplicated and in the census's order. */
export function cinFactorsFor(ids: readonly string[]): CinFactor[] {
  const codes = new Set<CinFactor>();
  for (const id of ids) for (const code of BY_ID.get(id)?.cinFactors ?? []) codes.add(code);
  const order = Object.keys(CIN_FACTORS) as CinFactor[];
  return order.filter((c) => codes.has(c));
}

/** The child protection category of abuse the categories suggest: one, MUL when several, null when none. */
export function abuseCategoryFor(ids: readonly string[]): AbuseCategory | null {
  const found = new Set<AbuseCategory>();
  for (const id of ids) {
    const a = BY_ID.get(id)?.abuseCategory;
    if (a) found.add(a);
  }
  if (found.size === 0) return null;
  if (found.size > 1) return 'MUL';
  return [...found][0]!;
}
