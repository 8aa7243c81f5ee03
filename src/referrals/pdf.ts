// The referral as a PDF, made in-process with the shared accessible-PDF builder (tagged, titled, en-GB).
import { createAccessiblePdf } from '../platform/pdf/document.ts';
import { ANALYSIS_FIELDS, ANALYSIS_QUESTIONS, type MissingItem, type ReferralDocument } from './model.ts';
import { londonDateTime } from '../platform/calendar/london-time.ts';

const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const day = (iso: string | null) => (iso ? londonDate.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)) : 'Not recorded');
const orNot = (s: string | null | undefined) => (s && s.trim() ? s : 'Not recorded');

export interface ReferralPdfInput {
  reference: string;
  document: ReferralDocument;
  missing: MissingItem[];
  method: string;
  sentAt: Date;
  receivingOrganisation: string;
  telephone?: { spokenTo: string; at: Date } | null;
  generatedAt?: Date;
}

export function referralPdfTitle(reference: string, d: ReferralDocument): string {
  return `Multi-agency referral ${reference}: ${d.childName}`;
}

export function renderReferralPdf(input: ReferralPdfInput): Promise<Buffer> {
  const { document: d, missing } = input;
  const generatedAt = input.generatedAt ?? new Date();
  const title = referralPdfTitle(input.reference, d);
  const pdf = createAccessiblePdf({
    title,
    subject: `${d.kindLabel} referral from ${d.referrer.name}, ${d.referrer.organisationName}, to ${input.receivingOrganisation}`,
    keywords: 'multi-agency referral, safeguarding',
    generatedAt,
  });
  const { heading, para, list } = pdf;
  const fact = (label: string, value: string) => para(`${label}: ${value}`);

  heading(1, title);
  para(`${d.kindLabel}. Sent ${input.method === 'telephone' ? 'by telephone' : 'online'} to ${input.receivingOrganisation} on ${londonDateTime.format(input.sentAt)}.`);
  if (input.telephone) para(`Telephoned to ${input.telephone.spokenTo} on ${londonDateTime.format(input.telephone.at)}; a telephone referral is confirmed in writing within 48 hours of the call.`);

  heading(2, 'Referrer');
  fact('Name', d.referrer.name);
  fact('Role', d.referrer.role);
  fact('Organisation', d.referrer.organisationName);
  fact('Email', d.referrer.email);
  // A contact from a member of the public is stored in the same shape (see contacts.ts); only a professional
  // referral carries the "never anonymous" rule, and an anonymous caller's details never leave the front door.
  const publicContact = (d as { publicContact?: boolean }).publicContact === true;
  if (!publicContact) para('A referral from a professional is never anonymous.', { small: true });
  else if (d.referrerAnonymous) para('A member of the public, who asked to remain anonymous. Their details are held by the front door only.', { small: true });
  else para('A member of the public.', { small: true });

  heading(2, 'The child');
  fact('Name', d.childName + (d.child.knownAs ? ` (known as ${d.child.knownAs})` : ''));
  if (d.child.otherNames.length) fact('Other names', d.child.otherNames.join(', '));
  if (d.child.dateOfBirth) fact('Date of birth', day(d.child.dateOfBirth));
  else fact('Expected date of delivery', day(d.child.expectedDueDate));
  fact('Gender', orNot(d.child.gender ?? d.child.sex));
  fact('Address', orNot(d.child.currentAddress));
  if (d.child.previousAddresses.length) fact('Previous addresses', d.child.previousAddresses.join('; '));
  fact('Ethnicity', orNot(d.child.ethnicity));
  fact('First language', orNot(d.child.firstLanguage));
  fact('Religion', orNot(d.child.religion));
  fact('Interpreter or communication aid', d.child.interpreterNeeded ? orNot(d.child.communicationNeeds) : 'Not needed');
  fact('Special educational needs', orNot(d.child.senStatus));
  if (d.child.disability) fact('Disability', d.child.disability);
  fact('School or setting', orNot(d.child.schoolOrSetting));
  fact('NHS number', orNot(d.child.nhsNumber));
  if (d.child.statuses.length) fact('Known status', d.child.statuses.join(', '));

  heading(2, 'Household and family');
  list(d.household.map((m) => `${m.name}, ${m.relationship}${m.parentalResponsibility ? ', has parental responsibility' : ''}; born ${day(m.dateOfBirth)}${m.phone ? `; telephone ${m.phone}` : ''}${m.livesWithChild ? '' : '; does not live with the child'}`));
  list(d.siblings.map((s) => `${s.name ?? 'Another child (record held elsewhere)'}, ${s.relationship}${s.dateOfBirth ? `; born ${day(s.dateOfBirth)}` : ''}`));
  if (!d.household.length && !d.siblings.length) para('No household members are recorded.');

  heading(2, 'Other practitioners working with the family');
  if (d.professionals.length) list(d.professionals.map((p) => `${p.name}, ${p.role}${p.organisation ? `, ${p.organisation}` : ''}${p.phone ? `; ${p.phone}` : ''}${p.email ? `; ${p.email}` : ''}`));
  else para('None recorded.');

  heading(2, `The concern (${d.concern.reference})`);
  para(d.concern.whatHappened);
  if (d.concern.childsWords) fact('The child’s words', `“${d.concern.childsWords}”`);
  fact('When', d.concern.occurredAt ? londonDateTime.format(new Date(d.concern.occurredAt)) : orNot(d.concern.occurredAtText));
  fact('Where', orNot(d.concern.location));
  if (d.concern.present) fact('Who was present', d.concern.present);
  fact('Injuries or marks', orNot(d.concern.injuries));
  if (d.concern.immediateDanger) para('The child was recorded as being in immediate danger.', { bold: true });

  heading(2, 'Level of need');
  if (d.assessment) {
    para(`${d.assessment.chosenLevelName} (${d.assessment.frameworkId}, version ${d.assessment.frameworkVersion}), assessed by ${d.assessment.assessedByName}.`);
    if (!d.assessment.agreed && d.assessment.overrideReason) fact('Professional judgement differs from the suggested level because', d.assessment.overrideReason);
    list(d.assessment.reasons.map((r) => `${r.text} (${r.source})`));
  } else para('No threshold assessment is recorded.');

  heading(2, 'Decision');
  fact('Decision', d.decision.outcomeLabel);
  fact('Reasons', d.decision.rationale);

  heading(2, 'Consent');
  fact('Overall', d.consent.overallLabel);
  list(d.consent.people.map((p) => `${p.name} (${p.relationship}): ${p.status ? p.status.replace('_', ' ') : 'nothing recorded'}${p.reason ? `, ${p.reason}` : ''}`));
  if (d.consent.frontDoorMustBeTold === 'withheld') para('Consent was withheld: the referral is made without the parent’s agreement.', { bold: true });
  if (d.consent.frontDoorMustBeTold === 'not_sought') para('Consent was not sought or not obtained; the reasons are given above.', { bold: true });
  if (d.consent.approvedBy) para(`Going ahead without consent was approved by ${d.consent.approvedBy}.`);

  heading(2, 'The referrer’s analysis');
  for (const f of ANALYSIS_FIELDS) {
    heading(3, ANALYSIS_QUESTIONS[f].label);
    para(d.analysis[f] || 'Not answered');
  }

  heading(2, 'Information not included');
  if (missing.length) {
    para('The referral was sent without the following. Absence of information must not delay a referral.');
    list(missing.map((m) => `${m.text} (${m.citationText})`));
  } else para('Nothing the seed lists ask for is missing.');

  para(`Made by Continuum on ${londonDateTime.format(generatedAt)}.`, { small: true });
  return pdf.finish();
}
