import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionInfo } from '../shared/contracts/identity.ts';
import type { Permission } from '../shared/permissions.ts';
import { isApiError, setCsrfToken, setUnauthenticatedHandler } from './api/client.ts';
import { api } from './api/endpoints.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed_out'; ended: boolean }
  | { status: 'signed_in'; session: SessionInfo }
  | { status: 'unavailable'; message: string };

type SessionValue = {
  state: SessionState;
  /** Store the session the server just gave us (sign-in, organisation switch). */
  setSession: (session: SessionInfo) => void;
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<SessionValue | null>(null);

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const setSession = useCallback((session: SessionInfo) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'signed_in', session });
  }, []);

  const refresh = useCallback(async () => {
    try {
      setSession(await api.session());
    } catch (error) {
      setCsrfToken(null);
      if (isApiError(error) && error.status === 401) setState({ status: 'signed_out', ended: false });
      else setState({ status: 'unavailable', message: isApiError(error) ? error.message : 'Tandem could not be reached.' });
    }
  }, [setSession]);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      setCsrfToken(null);
      setState({ status: 'signed_out', ended: false });
    }
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setState({ status: 'signed_out', ended: true });
    });
    return () => setUnauthenticatedHandler(null);
  }, [refresh]);

  const value = useMemo(() => ({ state, setSession, refresh, signOut }), [state, setSession, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useSession = (): SessionValue => {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a SessionProvider');
  return value;
};

/** The signed-in session; only for pages that the router shows to signed-in people. */
export const useSignedIn = (): SessionInfo & { can: (permission: Permission) => boolean } => {
  const { state } = useSession();
  if (state.status !== 'signed_in') throw new Error('useSignedIn used on a page for signed-out people');
  const { session } = state;
  // The server's list is the authority: it is what it will enforce for the current organisation.
  return { ...session, can: (permission: Permission) => session.permissions.includes(permission) };
};
