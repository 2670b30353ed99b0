import { PageHeader } from '../../ui/states';

export function CustomerDetailPage() {
  return <PageHeader title="Customer" />;
}
