/** The served routes (read from the app, server/src/http/routes.ts) and a path filler for route-table tests. */
export { listRoutes, type RouteInfo } from '../../server/src/http/routes';

/** Fills :params with values: a known id where the test has one, else the given filler. */
export function fillPath(path: string, values: Record<string, string>, filler: (name: string) => string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? filler(name)).replace(/\{\/\*\w+\}/g, '');
}
