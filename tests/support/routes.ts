/** Lists every route the Express app serves, read from its router stack (Express 5). */
import type { Express } from 'express';

export interface RouteInfo { method: string; path: string }

export function listRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods)) if (layer.route.methods[m] && m !== '_all') out.push({ method: m, path: String(layer.route.path) });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as any).router.stack);
  return out;
}

/** Fills :params with values: a known id where the test has one, else the given filler. */
export function fillPath(path: string, values: Record<string, string>, filler: (name: string) => string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? filler(name)).replace(/\{\/\*\w+\}/g, '');
}
