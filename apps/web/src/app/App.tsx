import { lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import { mayCall, type ProcedureLevel } from '@nexus/schema/roles';
import { useSession } from '../api/ApiProvider';
import { SignIn } from '../pages/SignIn';
import { EmptyState, Skeleton } from '../ui/states';
import { Layout } from './Layout';
import { homeFor } from './navigation';

/** Pages load on first visit: the sign-in page and the frame stay small (bench:web measures it). */
const page = (load: () => Promise<Record<string, ComponentType>>, name: string) =>
  lazy(async () => {
    const component = (await load())[name];
    if (component === undefined) throw new Error(`page module has no export named ${name}`);
    return { default: component };
  });

const Overview = page(() => import('../pages/overview/OverviewPage'), 'OverviewPage');
const Batches = page(() => import('../pages/batches/BatchesPage'), 'BatchesPage');
const BatchDetail = page(() => import('../pages/batches/BatchDetailPage'), 'BatchDetailPage');
const DeadLetters = page(() => import('../pages/deadLetters/DeadLettersPage'), 'DeadLettersPage');
const ReviewQueue = page(() => import('../pages/review/ReviewQueuePage'), 'ReviewQueuePage');
const ReviewCase = page(() => import('../pages/review/ReviewCasePage'), 'ReviewCasePage');
const Customers = page(() => import('../pages/customers/CustomersPage'), 'CustomersPage');
const CustomerDetail = page(() => import('../pages/customers/CustomerDetailPage'), 'CustomerDetailPage');
const Contacts = page(() => import('../pages/contacts/ContactsPage'), 'ContactsPage');
const Audit = page(() => import('../pages/audit/AuditPage'), 'AuditPage');
const Users = page(() => import('../pages/users/UsersPage'), 'UsersPage');
const Reports = page(() => import('../pages/reports/ReportsPage'), 'ReportsPage');
const Sources = page(() => import('../pages/jobs/SourcesPage'), 'SourcesPage');
const Jobs = page(() => import('../pages/jobs/JobsPage'), 'JobsPage');
const JobDetail = page(() => import('../pages/jobs/JobDetailPage'), 'JobDetailPage');
const Notifications = page(() => import('../pages/notifications/NotificationsPage'), 'NotificationsPage');
const Models = page(() => import('../pages/models/ModelsPage'), 'ModelsPage');
const AccessTrail = page(() => import('../pages/privacy/AccessTrailPage'), 'AccessTrailPage');

function Guard({ level, children }: { level: ProcedureLevel; children: ReactNode }) {
  const { state } = useSession();
  if (state.status !== 'signedIn') return null;
  if (!mayCall(level, state.user.role)) {
    return (
      <EmptyState title="This page is not for your role">
        You are signed in as {state.user.role}. Pick a page from the menu, or ask an admin for another role.
      </EmptyState>
    );
  }
  return <Suspense fallback={<Skeleton rows={6} />}>{children}</Suspense>;
}

function Home() {
  const { state } = useSession();
  return state.status === 'signedIn' ? <Navigate to={homeFor(state.user.role)} replace /> : null;
}

function NotFound() {
  const location = useLocation();
  return (
    <EmptyState title="No such page">
      Nothing lives at {location.pathname}. Pick a page from the menu.
    </EmptyState>
  );
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Home /> },
      {
        path: 'overview',
        element: (
          <Guard level="operator">
            <Overview />
          </Guard>
        ),
      },
      {
        path: 'batches',
        element: (
          <Guard level="ingest">
            <Batches />
          </Guard>
        ),
      },
      {
        path: 'batches/:batchId',
        element: (
          <Guard level="ingest">
            <BatchDetail />
          </Guard>
        ),
      },
      {
        path: 'dead-letters',
        element: (
          <Guard level="operator">
            <DeadLetters />
          </Guard>
        ),
      },
      {
        path: 'review',
        element: (
          <Guard level="reviewer">
            <ReviewQueue />
          </Guard>
        ),
      },
      {
        path: 'review/:caseId',
        element: (
          <Guard level="reviewer">
            <ReviewCase />
          </Guard>
        ),
      },
      {
        path: 'customers',
        element: (
          <Guard level="reviewer">
            <Customers />
          </Guard>
        ),
      },
      {
        path: 'customers/:customerId',
        element: (
          <Guard level="reviewer">
            <CustomerDetail />
          </Guard>
        ),
      },
      {
        path: 'access',
        element: (
          <Guard level="admin">
            <AccessTrail />
          </Guard>
        ),
      },
      {
        path: 'contacts',
        element: (
          <Guard level="reviewer">
            <Contacts />
          </Guard>
        ),
      },
      {
        path: 'audit',
        element: (
          <Guard level="reviewer">
            <Audit />
          </Guard>
        ),
      },
      {
        path: 'sources',
        element: (
          <Guard level="operator">
            <Sources />
          </Guard>
        ),
      },
      {
        path: 'jobs',
        element: (
          <Guard level="operator">
            <Jobs />
          </Guard>
        ),
      },
      {
        path: 'jobs/:jobId',
        element: (
          <Guard level="operator">
            <JobDetail />
          </Guard>
        ),
      },
      {
        path: 'notifications',
        element: (
          <Guard level="operator">
            <Notifications />
          </Guard>
        ),
      },
      {
        path: 'model',
        element: (
          <Guard level="operator">
            <Models />
          </Guard>
        ),
      },
      {
        path: 'reports',
        element: (
          <Guard level="reviewer">
            <Reports />
          </Guard>
        ),
      },
      {
        path: 'users',
        element: (
          <Guard level="admin">
            <Users />
          </Guard>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

/** Signed out: the sign-in form, whatever the address (it stays, so the user lands where they were going). */
export function App() {
  const { session, state } = useSession();
  useEffect(() => {
    if (state.status === 'restoring') void session.restore();
  }, [session, state.status]);
  if (state.status === 'restoring') return <div className="restoring" aria-busy="true" />;
  if (state.status === 'signedOut') return <SignIn />;
  return <RouterProvider router={router} />;
}
