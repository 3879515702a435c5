/** Where to go after signing in: only a path on this site, never another site (an open redirect). */
export const safeNext = (next: string | null): string => {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/sign-in')) return '/';
  return next;
};
