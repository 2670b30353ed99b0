import { PageHeader } from '../../ui/states';

export function BatchDetailPage() {
  return <PageHeader title="Batch" />;
}
