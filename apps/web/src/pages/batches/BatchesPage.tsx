import { PageHeader } from '../../ui/states';

export function BatchesPage() {
  return <PageHeader title="Batches" />;
}
