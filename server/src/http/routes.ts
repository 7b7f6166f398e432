/** Lists every route the Express app serves, read from its router stack (Express 5). */
import type { Express } from 'express';

export interface RouteInfo {
  method: string;
  path: string;
}

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
