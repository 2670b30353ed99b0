import { PageHeader } from '../../ui/states';

export function ReviewQueuePage() {
  return <PageHeader title="Review" />;
}
