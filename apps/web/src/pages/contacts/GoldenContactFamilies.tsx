import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import type { Api } from '../../api/client';
import { ErrorNotice } from '../../ui/states';

type Families = Awaited<ReturnType<Api['contacts']['ofGoldenRecord']['query']>>;

/**
 * The contact families (/identify) that share a verified email or phone with a golden record: shown,
 * never merged. Their values come masked (phones on the dashboard), so the link opens a family by id.
 */
export function GoldenContactFamiliesView({ families }: { families: Families }) {
  if (families.length === 0) return null;
  return (
    <section className="golden-section card" aria-labelledby="golden-contacts-title">
      <h2 id="golden-contacts-title">Contact families sharing an email or phone</h2>
      <ul className="contact-golden">
        {families.map((f) => {
          return (
            <li key={f.primaryContatctId}>
              <Link to={`/contacts?contact=${f.primaryContatctId}`}>
                Contact family #{f.primaryContatctId}
              </Link>
              : {[...f.emails, ...f.phoneNumbers].join(', ')}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function GoldenContactFamilies({ goldenId }: { goldenId: string }) {
  const api = useApi();
  const families = useQuery({
    queryKey: ['contacts.ofGoldenRecord', goldenId],
    queryFn: () => api.contacts.ofGoldenRecord.query({ goldenId }),
  });
  if (families.error) return <ErrorNotice error={families.error} onRetry={() => void families.refetch()} />;
  return families.data ? <GoldenContactFamiliesView families={families.data} /> : null;
}
