// Turning consent and sharing records into what the pages show. Pure: no I/O.
import type { ConsentOverview } from './consent.ts';
import { concernReference, childNameOf } from './case.ts';
import {
  ARTICLE_6_BASES, ARTICLE_9_CONDITIONS, CASE_CONSENT_LABELS, CONSENT_METHOD_LABELS, CONSENT_STATUS_LABELS, CONSENT_STATUS_TAGS,
  lawfulBasisText, NOT_SOUGHT_REASON_INFO, sharingStates, SHARING_STATE_TAGS, type CaseConsentStatus, type ProceedAnswer,
} from './rules.ts';
import type { ConsentRow, SharingRow } from './store.ts';

export function rulesView(rules: ProceedAnswer | null) {
  if (!rules) return null;
  const tag = rules.proceed
    ? { text: 'Can proceed', colour: 'green' }
    : rules.needsManagerApproval ? { text: 'Needs a manager’s approval', colour: 'orange' } : { text: 'Cannot proceed', colour: 'red' };
  return {
    ...rules, tag,
    frontDoorText: rules.frontDoorMustBeTold === 'withheld' ? 'Tell the front door that consent was withheld.'
      : rules.frontDoorMustBeTold === 'not_sought' ? 'Tell the front door that consent was not sought or not obtained, and why.' : null,
  };
}

export function consentRowView(r: ConsentRow) {
  return {
    id: r.id,
    date: r.status_date,
    status: CONSENT_STATUS_LABELS[r.status],
    tag: CONSENT_STATUS_TAGS[r.status],
    method: r.method ? CONSENT_METHOD_LABELS[r.method] : '',
    soughtBy: r.sought_by_name ?? '',
    reason: [r.not_sought_reason ? NOT_SOUGHT_REASON_INFO[r.not_sought_reason].label : '', r.reason_text ?? ''].filter(Boolean).join(': '),
    childsView: r.childs_view ?? '',
    recordedBy: r.recorded_by_name,
    recordedAt: r.recorded_at,
    superseded: false,
  };
}

export function overviewView(o: ConsentOverview) {
  return {
    ...o,
    rulesView: rulesView(o.rules),
    caseConsentLabel: CASE_CONSENT_LABELS[o.caseConsent],
    subjects: o.subjects.map((s) => ({ ...s, tag: CONSENT_STATUS_TAGS[s.current?.status ?? 'none'], currentView: s.current ? consentRowView(s.current) : null })),
    historyView: o.history.map((r) => ({ ...consentRowView(r), subjectName: r.subjectName })),
  };
}

export function sharingEntryView(e: SharingRow, today: string) {
  const states = sharingStates({ share: e.share, withoutConsent: e.without_consent, countersigned: !!e.countersigned_at, sharedOn: e.shared_on, shareBy: e.share_by }, today);
  return {
    id: e.id,
    reference: `S-${String(e.reference).padStart(6, '0')}`,
    concernId: e.concern_id,
    concernReference: concernReference(e.concern_reference),
    childName: childNameOf(e),
    share: e.share,
    decisionText: e.share ? 'Share' : 'Do not share',
    what: e.what,
    recipient: e.recipient,
    purpose: e.purpose,
    lawfulBasis: e.share ? lawfulBasisText(e.article6, e.article9) : '',
    article6Label: ARTICLE_6_BASES.find((b) => b.code === e.article6)?.label ?? '',
    article9Labels: e.article9.map((c) => ARTICLE_9_CONDITIONS.find((b) => b.code === c)?.label ?? c),
    consentStatus: CASE_CONSENT_LABELS[e.consent_status as CaseConsentStatus] ?? e.consent_status,
    withoutConsent: e.without_consent,
    reasons: e.reasons ?? '',
    decidedBy: e.decided_by_name,
    decidedOn: e.decided_on,
    shareBy: e.share_by,
    countersignedBy: e.countersigned_by_name,
    countersignedAt: e.countersigned_at,
    countersignNote: e.countersign_note,
    sharedOn: e.shared_on,
    sharedHow: e.shared_how,
    awaitingCountersignature: states.includes('awaiting_countersignature'),
    states: states.map((s) => SHARING_STATE_TAGS[s]),
  };
}
