import { createContext, useCallback, useContext, useEffect, useMemo, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/** A short message shown once at the top of the next page, e.g. "Role changed". */
export type Flash = { heading: string; text?: string };

type Location = { pathname: string; search: string };

type NavigateOptions = { replace?: boolean; flash?: Flash };

type RouterValue = {
  location: Location;
  /** Counts navigations inside the app; 0 on first load. Pages move focus to their heading when it is above 0. */
  navigations: number;
  flash: Flash | null;
  navigate: (to: string, options?: NavigateOptions) => void;
};

const RouterContext = createContext<RouterValue | null>(null);

const currentLocation = (): Location => ({ pathname: window.location.pathname, search: window.location.search });

/** Client-side routing over the History API: no dependency, a few lines, and real links that work without it. */
export const RouterProvider = ({ children }: { children: ReactNode }) => {
  const [state, setState] = useState<{ location: Location; navigations: number; flash: Flash | null }>(() => ({
    location: currentLocation(),
    navigations: 0,
    flash: null,
  }));

  useEffect(() => {
    const onPopState = () => setState((previous) => ({ location: currentLocation(), navigations: previous.navigations + 1, flash: null }));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((to: string, options: NavigateOptions = {}) => {
    const url = new URL(to, window.location.href);
    if (options.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    if (!options.replace) window.scrollTo(0, 0);
    setState((previous) => ({
      location: { pathname: url.pathname, search: url.search },
      navigations: previous.navigations + 1,
      flash: options.flash ?? null,
    }));
  }, []);

  const value = useMemo(() => ({ ...state, navigate }), [state, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
};

export const useRouter = (): RouterValue => {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter needs a RouterProvider');
  return value;
};

export const useSearchParams = (): URLSearchParams => {
  const { location } = useRouter();
  return useMemo(() => new URLSearchParams(location.search), [location.search]);
};

/** Matches `/users/:userId` against a path; the parameters, decoded, or null. */
export const matchPath = (pattern: string, pathname: string): Record<string, string> | null => {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] ?? '';
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (part !== actual) {
      return null;
    }
  }
  return params;
};

const isPlainLeftClick = (event: MouseEvent<HTMLAnchorElement>): boolean =>
  event.button === 0 && !event.metaKey && !event.altKey && !event.ctrlKey && !event.shiftKey && !event.defaultPrevented;

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** An ordinary link that the router follows without reloading the page. */
export const Link = ({ href, onClick, children, ...rest }: LinkProps) => {
  const { navigate } = useRouter();
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (!isPlainLeftClick(event) || rest.target) return;
    const url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api')) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  };
  return (
    <a href={href} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
};
