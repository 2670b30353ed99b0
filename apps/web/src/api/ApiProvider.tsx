import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { TRPCClientError } from '@trpc/client';
import { createApi, type Api, type ConnectionState } from './client';
import type { Session, SessionState } from './session';

interface ApiContextValue {
  api: Api;
  session: Session;
  connection: ConnectionState;
}

const ApiContext = createContext<ApiContextValue | null>(null);

function retryable(failures: number, error: unknown): boolean {
  // A refused or invalid request will not succeed by asking again.
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 0;
    if (status >= 400 && status < 500) return false;
  }
  return failures < 3;
}

/** The tRPC client, the session and the query cache for everything below; `api` may be given by tests. */
export function ApiProvider({
  session,
  api: given,
  children,
}: {
  session: Session;
  api?: Api;
  children: ReactNode;
}) {
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const api = useMemo(() => given ?? createApi(session, setConnection), [given, session]);
  const queryClient = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: retryable, staleTime: 5_000, refetchOnWindowFocus: false },
          mutations: { retry: false },
        },
      }),
    [],
  );
  const state = useSyncExternalStore(session.subscribe, session.getState);
  useEffect(() => {
    // Signed out: nothing cached for the previous user may show to the next one.
    if (state.status === 'signedOut') queryClient.clear();
  }, [state.status, queryClient]);
  const value = useMemo(() => ({ api, session, connection }), [api, session, connection]);
  return (
    <ApiContext.Provider value={value}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiContext.Provider>
  );
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside <ApiProvider>');
  return value;
}

export const useApi = (): Api => useApiContext().api;
export const useConnection = (): ConnectionState => useApiContext().connection;
export function useSession(): { session: Session; state: SessionState } {
  const { session } = useApiContext();
  return { session, state: useSyncExternalStore(session.subscribe, session.getState) };
}
