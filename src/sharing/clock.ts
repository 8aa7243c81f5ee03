// The "share within one week" clock (seed 004 points 5 and 8; DESIGN §4). The due date is also kept on the log
// entry itself (share_by), so the log answers "overdue to share" without the clocks. The statutory clocks
// (src/clocks) are told about the decision and about the sharing, which start and stop the partnership's clock.
import type { AuditContext } from '../platform/audit/audit.ts';
import type { Tx } from '../platform/db/pool.ts';
import { ClockError, onEvent } from '../clocks/operations.ts';

const DECIDED = 'information-sharing.decided';
const SHARED = 'information-sharing.shared';

interface ClockFacts {
  actor: AuditContext;
  sharingId: string;
  childId: string;
  organisationId: string;
  /** restricted (LADO) cases keep their clock on the log entry only, so nothing about them shows elsewhere */
  restricted: boolean;
  at: Date;
}

async function tell(tx: Tx, event: string, f: ClockFacts): Promise<void> {
  if (f.restricted) return;
  try {
    await onEvent(tx, event, {
      actor: f.actor, organisationId: f.organisationId, childId: f.childId, subject: { type: 'sharing-decision', id: f.sharingId }, occurredAt: f.at,
    });
  } catch (error) {
    // A partnership whose clock set has no information-sharing clock still has the due date on the entry.
    if (error instanceof ClockError && error.code === 'unknown-event') return;
    throw error;
  }
}

export const onSharingDecided = (tx: Tx, f: ClockFacts) => tell(tx, DECIDED, f);
export const onSharingShared = (tx: Tx, f: ClockFacts) => tell(tx, SHARED, f);
