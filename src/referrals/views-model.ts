// What the referral pages show: the document as summary-list sections, the updates and escalations, the JSON.
import {
  ANALYSIS_FIELDS, ANALYSIS_QUESTIONS, ESCALATION_STAGE_LABELS, ESCALATION_STAGES, FRONT_DOOR_OUTCOME_LABELS, REFERRAL_STATUS_TAGS,
  type FrontDoorOutcome, type MissingItem, type ReferralDocument,
} from './model.ts';
import type { ReferralView } from './operations.ts';
import type { EscalationRow, UpdateRow } from './store.ts';
import { londonDateTime } from '../platform/calendar/london-time.ts';

const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const day = (iso: string | null) => (iso ? londonDate.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)) : '');
const NOT_RECORDED = 'Not recorded';
const or = (s: string | null | undefined) => (s && s.trim() ? s : NOT_RECORDED);

export interface Row { key: string; value: string; href?: string; hrefText?: string; missing?: boolean }
export interface Section { id: string; title: string; rows: Row[] }

export interface ChangeLinks { child: string; household: string; professionals: string; consent: string; analysis: string }

/** The referral as sections of facts; with change links on the referrer's side before sending. */
export function documentSections(d: ReferralDocument, links: ChangeLinks | null): Section[] {
  const c = d.child;
  const change = (href: string | undefined, what: string) => (links && href ? { href, hrefText: what } : {});
  const row = (key: string, value: string | null | undefined, href?: string): Row => ({ key, value: or(value), missing: !(value && value.trim()), ...change(href, key.toLowerCase()) });
  const child: Row[] = [
    row('Name', `${d.childName}${c.knownAs ? ` (known as ${c.knownAs})` : ''}`, links?.child),
    ...(c.otherNames.length ? [row('Other names', c.otherNames.join(', '))] : []),
    c.dateOfBirth || !c.expectedDueDate ? row('Date of birth', day(c.dateOfBirth), links?.child) : row('Expected date of delivery', day(c.expectedDueDate), links?.child),
    row('Gender', c.gender ?? (c.sex ? c.sex.replace('_', ' ') : null), links?.child),
    row('Address', c.currentAddress, links?.child),
    ...(c.previousAddresses.length ? [row('Previous addresses', c.previousAddresses.join('; '))] : []),
    row('Ethnicity', c.ethnicity, links?.child),
    row('First language', c.firstLanguage, links?.child),
    row('Religion', c.religion, links?.child),
    row('Interpreter or communication aid', c.interpreterNeeded ? (c.communicationNeeds || 'Needed (details not recorded)') : 'Not needed', links?.child),
    row('Special educational needs', c.senStatus ? c.senStatus.replace(/_/g, ' ') : null, links?.child),
    row('School or setting', c.schoolOrSetting, links?.child),
    row('NHS number', c.nhsNumber, links?.child),
    ...(c.statuses.length ? [row('Known status', c.statuses.join(', '))] : []),
  ];
  const household: Row[] = d.household.length
    ? d.household.map((m) => ({
      key: `${m.name} (${m.relationship})`,
      value: [m.parentalResponsibility ? 'Has parental responsibility' : 'No parental responsibility', m.dateOfBirth ? `born ${day(m.dateOfBirth)}` : 'date of birth not recorded', m.phone ? `telephone ${m.phone}` : null, m.livesWithChild ? null : 'does not live with the child'].filter(Boolean).join('; '),
      ...change(links?.household, 'household'),
    }))
    : [{ key: 'Household', value: 'Nobody is recorded', missing: true, ...change(links?.household, 'household') }];
  for (const s of d.siblings) household.push({ key: `${s.name ?? 'Another child'} (${s.relationship})`, value: s.dateOfBirth ? `born ${day(s.dateOfBirth)}` : s.name ? 'date of birth not recorded' : 'Record held by another organisation' });
  const professionals: Row[] = d.professionals.length
    ? d.professionals.map((p) => ({ key: p.name, value: [p.role, p.organisation, p.phone, p.email].filter(Boolean).join(', ') }))
    : [{ key: 'Practitioners', value: 'None recorded', missing: true, ...change(links?.professionals, 'other practitioners') }];
  const concern: Row[] = [
    { key: 'What happened', value: d.concern.whatHappened },
    row('The child’s words', d.concern.childsWords),
    row('When', d.concern.occurredAt ? londonDateTime.format(new Date(d.concern.occurredAt)) : d.concern.occurredAtText),
    row('Where', d.concern.location),
    ...(d.concern.present ? [row('Who was present', d.concern.present)] : []),
    row('Injuries or marks', d.concern.injuries),
    { key: 'Immediate danger', value: d.concern.immediateDanger ? 'Yes' : 'No' },
    { key: 'Recorded', value: `${londonDateTime.format(new Date(d.concern.submittedAt))} by ${d.concern.raisedByName}` },
  ];
  const a = d.assessment;
  const level: Row[] = a
    ? [
      { key: 'Level', value: `${a.chosenLevelName}${a.agreed ? '' : ' (professional judgement differs from the suggestion)'}` },
      ...(a.overrideReason ? [{ key: 'Why it differs', value: a.overrideReason }] : []),
      { key: 'Framework', value: `${a.frameworkId}, version ${a.frameworkVersion}` },
      { key: 'Reasons', value: a.reasons.map((r) => `${r.text} (${r.source})`).join('\n') || 'None recorded' },
      { key: 'Assessed', value: `${londonDateTime.format(new Date(a.assessedAt))} by ${a.assessedByName}` },
    ]
    : [{ key: 'Level', value: 'No threshold assessment is recorded', missing: true }];
  const decision: Row[] = [
    { key: 'Decision', value: d.decision.outcomeLabel },
    { key: 'Reasons', value: d.decision.rationale },
    { key: 'Decided', value: `${londonDateTime.format(new Date(d.decision.decidedAt))} by ${d.decision.decidedByName}` },
  ];
  const consent: Row[] = [
    { key: 'Overall', value: d.consent.overallLabel, ...change(links?.consent, 'consent') },
    ...d.consent.people.map((p) => ({ key: `${p.name} (${p.relationship})`, value: `${p.status ? p.status.replace('_', ' ') : 'Nothing recorded'}${p.reason ? `: ${p.reason}` : ''}`, missing: p.status === null })),
    ...(d.consent.approvedBy ? [{ key: 'Manager’s approval', value: `Going ahead without consent approved by ${d.consent.approvedBy}` }] : []),
  ];
  const analysis: Row[] = ANALYSIS_FIELDS.map((f) => ({
    key: ANALYSIS_QUESTIONS[f].label, value: d.analysis[f] || 'Not answered', missing: !d.analysis[f], ...change(links ? `${links.analysis}#${f}` : undefined, ANALYSIS_QUESTIONS[f].label.toLowerCase()),
  }));
  const referrer: Row[] = [
    { key: 'Name', value: d.referrer.name }, { key: 'Role', value: d.referrer.role }, { key: 'Organisation', value: d.referrer.organisationName }, { key: 'Email', value: d.referrer.email },
  ];
  return [
    { id: 'referrer', title: 'Referrer', rows: referrer },
    { id: 'child', title: 'The child', rows: child },
    { id: 'household', title: 'Household and family', rows: household },
    { id: 'professionals', title: 'Other practitioners working with the family', rows: professionals },
    { id: 'concern', title: `The concern (${d.concern.reference})`, rows: concern },
    { id: 'level', title: 'Level of need', rows: level },
    { id: 'decision', title: 'Decision', rows: decision },
    { id: 'consent', title: 'Consent', rows: consent },
    { id: 'analysis', title: 'The referrer’s analysis', rows: analysis },
  ];
}

/** GOV.UK summary-list rows from a section. */
export function summaryRows(s: Section) {
  return s.rows.map((r) => ({
    key: { text: r.key },
    value: { text: r.value },
    ...(r.href ? { actions: { items: [{ href: r.href, text: 'Change', visuallyHiddenText: r.hrefText }] } } : {}),
  }));
}

export function consentNotice(d: ReferralDocument): string | null {
  if (d.consent.frontDoorMustBeTold === 'withheld') return 'Consent was withheld. The referral tells the front door that it is made without the parent’s agreement.';
  if (d.consent.frontDoorMustBeTold === 'not_sought') return 'Consent was not sought or not obtained. The referral tells the front door so, with the reasons recorded.';
  if (!d.consent.proceed && d.consent.reasons.length) return 'The consent rules are not met yet. The referral can still be sent; the front door will see the consent recorded.';
  return null;
}

export function missingView(missing: MissingItem[]) {
  return missing.map((m) => ({ text: m.text, citation: m.citationText, field: m.field ?? null, where: m.where }));
}

const updateLabel: Record<UpdateRow['kind'], string> = {
  acknowledgement: 'Acknowledged', decision: 'Decision', feedback: 'Feedback', written_confirmation: 'Confirmed in writing',
};

export function updatesView(updates: UpdateRow[]) {
  return updates.map((u) => ({
    title: updateLabel[u.kind],
    at: u.recorded_at,
    by: `${u.recorded_by_name}, ${u.organisation_name}`,
    level: u.level,
    outcome: u.outcome ? FRONT_DOOR_OUTCOME_LABELS[u.outcome as FrontDoorOutcome] ?? u.outcome : null,
    rationale: u.rationale,
    text: u.text,
  }));
}

export function escalationsView(escalations: EscalationRow[]) {
  return escalations.map((e) => ({
    id: e.id, raisedAt: e.raised_at, raisedBy: `${e.raised_by_name}, ${e.organisation_name}`,
    currentStage: e.stages.length, lastStage: e.stages.length >= ESCALATION_STAGES, resolved: e.resolved,
    responses: e.responses.map((x) => ({ stage: x.stage, response: x.response, resolved: x.resolved, by: `${x.recorded_by_name}, ${x.organisation_name}`, at: x.recorded_at })),
    stages: e.stages.map((s) => ({ stage: s.stage, label: ESCALATION_STAGE_LABELS[s.stage] ?? `Stage ${s.stage}`, reason: s.reason, by: s.recorded_by_name, at: s.recorded_at, dueAt: s.due_at })),
  }));
}

export function statusTag(status: keyof typeof REFERRAL_STATUS_TAGS) {
  return REFERRAL_STATUS_TAGS[status];
}

/** The structured referral for the API: what was sent, and everything since. */
export function referralJson(v: ReferralView) {
  const r = v.referral;
  return {
    id: r.id,
    reference: v.reference,
    status: r.status,
    kind: r.kind,
    method: r.method,
    telephone: r.method === 'telephone' ? { spokenTo: r.telephoned_to, spokenAt: r.telephoned_at } : null,
    writtenConfirmationSentAt: r.written_confirmation_sent_at,
    referrerType: r.referrer_type,
    anonymityRequested: r.anonymity_requested,
    sentAt: r.sent_at,
    sentBy: r.sent_by_name,
    referringOrganisation: { id: r.referring_organisation_id, name: r.referring_organisation_name },
    receivingOrganisation: { id: r.receiving_organisation_id, name: r.receiving_organisation_name },
    childId: r.child_id,
    concernId: r.concern_id,
    decisionId: r.decision_id,
    content: r.content,
    missing: r.missing,
    updates: v.updates.map((u) => ({ id: u.id, kind: u.kind, level: u.level, outcome: u.outcome, rationale: u.rationale, text: u.text, recordedBy: u.recorded_by_name, organisation: u.organisation_name, recordedAt: u.recorded_at })),
    escalations: v.escalations.map((e) => ({ id: e.id, raisedAt: e.raised_at, raisedBy: e.raised_by_name, stage: e.stages.length, resolved: e.resolved,
      responses: e.responses.map((x) => ({ stage: x.stage, response: x.response, resolved: x.resolved, recordedBy: x.recorded_by_name, organisation: x.organisation_name, recordedAt: x.recorded_at })), stages: e.stages.map((s) => ({ stage: s.stage, reason: s.reason, recordedBy: s.recorded_by_name, recordedAt: s.recorded_at, dueAt: s.due_at })) })),
  };
}
