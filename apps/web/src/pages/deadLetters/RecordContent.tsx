import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiProvider';
import { formatDateTime } from '../../ui/format';
import { ErrorNotice, Skeleton } from '../../ui/states';
import type { RecordDetail } from './deadLetterTypes';

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A record's fields as it was submitted (a face image is shortened: it is megabytes of base64). */
export function RecordFields({ record }: { record: RecordDetail }) {
  const entries = Object.entries(record.payload).filter(
    ([k, v]) =>
      k !== 'source' && v !== null && v !== '' && !(typeof v === 'object' && Object.keys(v).length === 0),
  );
  return (
    <div className="dl-record">
      <dl className="dl-fields">
        {entries.map(([key, value]) => {
          const text = shown(value);
          return (
            <div key={key}>
              <dt>{key}</dt>
              <dd
                className={key === 'face_image' ? 'mono truncate' : undefined}
                title={text.length > 80 ? text.slice(0, 500) : undefined}
              >
                {key === 'face_image' && text.length > 60 ? `${text.slice(0, 60)}…` : text}
              </dd>
            </div>
          );
        })}
      </dl>
      <p className="muted">
        Received {formatDateTime(record.receivedAt)} · record <span className="mono">{record.id}</span> ·
        status {record.status}
      </p>
    </div>
  );
}

export function RecordContent({ recordId }: { recordId: string }) {
  const api = useApi();
  const record = useQuery({
    queryKey: ['records.get', recordId],
    queryFn: () => api.records.get.query({ id: recordId }),
  });
  if (record.error) return <ErrorNotice error={record.error} onRetry={() => void record.refetch()} />;
  if (!record.data) return <Skeleton rows={3} />;
  return <RecordFields record={record.data} />;
}
