import { PageHeader } from '../../ui/states';

export function OverviewPage() {
  return <PageHeader title="Overview" />;
}
