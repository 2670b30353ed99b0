import { formatDateTime } from '../../ui/format';
import type { BiometricReference, Member } from './customerTypes';
import { inlineImage, shortId } from './people';

/** Faces of the members enrolled in T5-ABIS (reference id = the record id). */
export function BiometricCard({
  references,
  members,
}: {
  references: BiometricReference[];
  members: Member[];
}) {
  const byRecord = new Map(members.map((m) => [m.recordId, m]));
  return (
    <section className="card biometrics" aria-labelledby="biometrics-title">
      <h2 id="biometrics-title">Biometric references</h2>
      {references.length === 0 ? (
        <p className="muted">No face enrolled: none of the members came with a face image.</p>
      ) : (
        <ul className="face-list">
          {references.map((ref) => {
            const member = byRecord.get(ref.referenceId);
            const image = inlineImage(member?.payload.face_image);
            return (
              <li key={ref.referenceId} className="face">
                {image ? (
                  <img src={image} alt={`Face of ${member?.source ?? ''} ${member?.externalId ?? ''}`} />
                ) : (
                  <div className="face-placeholder" aria-hidden="true">
                    ☺
                  </div>
                )}
                <div>
                  <div>
                    <span className="badge">{ref.modality}</span>{' '}
                    <span
                      className={`badge ${ref.status === 'enrolled' ? 'decision-linked' : 'decision-pending'}`}
                    >
                      {ref.status}
                    </span>
                  </div>
                  <code title={ref.referenceId}>{shortId(ref.referenceId)}</code>
                  {member ? (
                    <small>
                      {' '}
                      {member.source} {member.externalId}
                    </small>
                  ) : null}
                  <div>
                    <small>
                      {ref.enrolledAt
                        ? `Enrolled ${formatDateTime(ref.enrolledAt)}`
                        : `Waiting since ${formatDateTime(ref.createdAt)}`}
                    </small>
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
