// The outcomes a DSL can decide on, what each means, and the follow-up tasks each suggests. Pure: no I/O.
import { addCalendarDays, isValidIsoDate } from '../platform/calendar/iso-date.ts';
import { addWorkingDays } from '../platform/calendar/working-days.ts';

export const OUTCOMES = [
  'no_further_action', 'monitor', 'universal_support', 'early_help',
  'front_door_child_in_need', 'front_door_child_protection', 'police', 'lado', 'prevent', 'marac',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface SuggestedTask {
  title: string;
  /** due after this many working days from the decision */
  workingDays: number;
}

export interface OutcomeInfo {
  label: string;
  hint: string;
  /** a decision not to refer anywhere: its reasons for not referring are asked for specifically */
  notReferral: boolean;
  /** routes the concern to a restricted record (an allegation against someone who works with children) */
  restricted: boolean;
  tasks: SuggestedTask[];
}

/**
 * Default due dates are working days (DESIGN §4): a contact to the front door is made at once and the front
 * door decides within 1 working day; the outcome comes back within 5 (Medway); information is shared within
 * a week of a decision; monitoring is reviewed after 4 weeks (20 working days).
 */
export const OUTCOME_INFO: Record<Outcome, OutcomeInfo> = {
  no_further_action: {
    label: 'No further action',
    hint: 'The concern does not need any further action now. Say why you are not referring.',
    notReferral: true, restricted: false,
    tasks: [{ title: 'Let the person who raised the concern know the decision', workingDays: 1 }],
  },
  monitor: {
    label: 'Monitor',
    hint: 'Keep a watching brief within your organisation. Say why you are not referring.',
    notReferral: true, restricted: false,
    tasks: [{ title: 'Review in 4 weeks', workingDays: 20 }],
  },
  universal_support: {
    label: 'Universal support',
    hint: 'Needs can be met by universal services (Level 1).',
    notReferral: false, restricted: false,
    tasks: [{ title: 'Agree universal support with the family', workingDays: 5 }, { title: 'Review in 6 weeks', workingDays: 30 }],
  },
  early_help: {
    label: 'Early help',
    hint: 'A single-agency response or a multi-agency early help plan, with the family’s consent.',
    notReferral: false, restricted: false,
    tasks: [{ title: 'Discuss early help with the family and seek consent', workingDays: 5 }, { title: 'Start the early help assessment', workingDays: 10 }],
  },
  front_door_child_in_need: {
    label: 'Contact the front door: child in need (section 17)',
    hint: 'Make a contact to children’s social care for a child in need assessment.',
    notReferral: false, restricted: false,
    tasks: [{ title: 'Contact the front door (First Response)', workingDays: 1 }, { title: 'Chase the outcome of the contact if not heard', workingDays: 5 }],
  },
  front_door_child_protection: {
    label: 'Contact the front door: child protection (section 47)',
    hint: 'The child is suffering, or likely to suffer, significant harm.',
    notReferral: false, restricted: false,
    tasks: [{ title: 'Contact the front door (First Response)', workingDays: 1 }, { title: 'Chase the outcome of the contact if not heard', workingDays: 5 }],
  },
  police: {
    label: 'Police',
    hint: 'A crime may have been committed. If a child is in immediate danger, call 999.',
    notReferral: false, restricted: false,
    tasks: [{ title: 'Report to the police and record the reference number', workingDays: 1 }],
  },
  lado: {
    label: 'LADO: allegation against someone who works with children',
    hint: 'The record becomes restricted: only the DSL and the workforce administrator will see it.',
    notReferral: false, restricted: true,
    tasks: [{ title: 'Refer to the LADO', workingDays: 1 }, { title: 'Agree next steps with the workforce administrator', workingDays: 2 }],
  },
  prevent: {
    label: 'Prevent',
    hint: 'A concern about radicalisation.',
    notReferral: false, restricted: false,
    tasks: [{ title: 'Make a Prevent referral', workingDays: 1 }],
  },
  marac: {
    label: 'MARAC',
    hint: 'High-risk domestic abuse: refer to the multi-agency risk assessment conference.',
    notReferral: false, restricted: false,
    tasks: [{ title: 'Complete the risk assessment and refer to MARAC', workingDays: 1 }],
  },
};

export function isOutcome(v: unknown): v is Outcome {
  return typeof v === 'string' && (OUTCOMES as readonly string[]).includes(v);
}

export interface TaskDraft {
  title: string;
  dueDate: string;
}

/** The suggested tasks for an outcome, due in working days from `today` (an England date). */
export function suggestedTasks(outcome: Outcome, today: string): TaskDraft[] {
  return OUTCOME_INFO[outcome].tasks.map((t) => ({ title: t.title, dueDate: addWorkingDays(today, t.workingDays) }));
}

export type TaskDueTag = { text: string; colour: 'red' | 'orange' | 'blue' | 'grey' | 'green' };

/** How a task's due date reads on the tasks page. */
export function dueTag(dueDate: string, today: string, status: string): TaskDueTag {
  if (status === 'done') return { text: 'Done', colour: 'green' };
  if (status === 'cancelled') return { text: 'Cancelled', colour: 'grey' };
  if (dueDate < today) return { text: 'Overdue', colour: 'red' };
  if (dueDate === today) return { text: 'Due today', colour: 'orange' };
  if (dueDate <= addCalendarDays(today, 7)) return { text: 'Due soon', colour: 'blue' };
  return { text: 'Open', colour: 'grey' };
}

/** "YYYY-MM-DD" from GOV.UK date input parts; null when not a real date. */
export function dateFromParts(day: string, month: string, year: string): string | null {
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) return null;
  const iso = `${year.trim()}-${month.trim().padStart(2, '0')}-${day.trim().padStart(2, '0')}`;
  return isValidIsoDate(iso) ? iso : null;
}
