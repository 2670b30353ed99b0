import { PageHeader } from '../../ui/states';

export function ReviewCasePage() {
  return <PageHeader title="Review case" />;
}
