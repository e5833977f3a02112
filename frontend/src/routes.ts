/** The pages, in sidebar order; the id is the URL hash (#/clients). */
export const routes = [
  { id: 'overview', title: 'Overview' },
  { id: 'permissions', title: 'Permissions & packages' },
  { id: 'servers', title: 'MCP servers' },
  { id: 'clients', title: 'Clients' },
  { id: 'skills', title: 'Skills' },
  { id: 'activity', title: 'Activity' },
  { id: 'playground', title: 'Playground' },
] as const;

/** A page id. */
export type RouteId = (typeof routes)[number]['id'];

/** The page named by a location hash, Overview by default. */
export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '');
  return routes.find((r) => r.id === id)?.id ?? 'overview';
}
